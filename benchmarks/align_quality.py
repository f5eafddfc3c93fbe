"""Alignment quality and speed on the shared development data, against Gale-Church.

For every document pair of Text+Berg dev and of the Bible documents, runs NLTK's
Gale-Church (the baseline) and every scorer of ``align.available_scorers()`` through
``align.align_pair``, in this one process, and prints strict and lax
P/R/F1, seconds, and each F1 as a ratio to Gale-Church's. Totals per dataset
sum the counts over its pairs (micro-average). Text+Berg is judged by strict
scores, the verse-level Bible gold by lax ones (marked ``*``).

Usage::

    python benchmarks/align_quality.py                       # every registered scorer
    python benchmarks/align_quality.py --scorer anchors --dataset textberg
    python benchmarks/align_quality.py --dataset bible --bible-pairs all   # all 10 pairs per document
    python benchmarks/align_quality.py --data-root /path/to/shared/data
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# `common` must come first: it puts the repository root on sys.path for `align`.
from common import (
    Aligner,
    AlignmentTask,
    RunResult,
    f1_ratio,
    load_bible,
    load_bible_all_pairs,
    load_textberg,
    require_data,
    resolve_data_root,
    run_aligner,
)
from gale_church import gale_church_beads

from align import Bead, BitextError, Counts, Scores

BASELINE = "gale-church"
HEADER = (
    f"{'dataset':9} {'pair':18} {'aligner':12} {'strict P':>8} {'R':>6} {'F1':>6}  "
    f"{'lax P':>6} {'R':>6} {'F1':>6} {'sec':>7}  {'F1/GC strict':>12} {'lax':>6}"
)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scorer", "-s", action="append", help="Scorer name (repeatable); default: all registered.")
    parser.add_argument("--dataset", action="append", choices=["textberg", "bible"], help="Default: both.")
    parser.add_argument("--data-root", help="Folder holding textberg/ and bible/ (default ../shared/data).")
    parser.add_argument(
        "--max-size", type=int, default=None, help="Largest bead for align_pair (default: align.DEFAULT_MAX_SIZE)."
    )
    parser.add_argument("--tokenised", action="store_true", help="Give scorers Text+Berg as tokenised, not detokenised.")
    parser.add_argument(
        "--bible-pairs",
        choices=["files", "all"],
        default="files",
        help="Bible pairs: those with gold files (default) or every pair of the multi-way gold.",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    datasets = args.dataset or ["textberg", "bible"]
    tasks = load_tasks(resolve_data_root(args.data_root), datasets, args.tokenised, args.bible_pairs == "all")
    aligners = {BASELINE: baseline_aligner, **scorer_aligners(args.scorer, args.max_size)}
    print(HEADER)
    totals: dict[tuple[str, str], Counts] = {}
    seconds: dict[tuple[str, str], float] = {}
    for task in tasks:
        results = {name: run_aligner(aligner, task) for name, aligner in aligners.items()}
        print_rows(task.dataset, task.name, results, task.main_measure)
        for name, result in results.items():
            key = (task.dataset, name)
            totals[key] = totals.get(key, Counts()) + result.counts
            seconds[key] = seconds.get(key, 0.0) + result.seconds
    print()
    for dataset in dict.fromkeys(task.dataset for task in tasks):
        main_measure = next(task.main_measure for task in tasks if task.dataset == dataset)
        results = {name: RunResult(totals[dataset, name], seconds[dataset, name]) for name in aligners}
        print_rows(dataset, "all pairs", results, main_measure)
    return 0


def load_tasks(root: Path, datasets: Sequence[str], tokenised: bool, all_bible_pairs: bool) -> list[AlignmentTask]:
    require_data(root, "")
    tasks: list[AlignmentTask] = []
    for dataset in datasets:
        folder = root / dataset
        if not folder.is_dir():
            print(f"skipped: {folder} not found")
            continue
        if dataset == "textberg":
            tasks += load_textberg(folder, detokenise=not tokenised)
        else:
            tasks += load_bible_all_pairs(folder) if all_bible_pairs else load_bible(folder)
    if not tasks:
        print(f"skipped: no gold alignments under {root}")
        raise SystemExit(0)
    return tasks


def baseline_aligner(task: AlignmentTask) -> list[Bead]:
    return gale_church_beads(task.src, task.tgt)


def scorer_aligners(requested: Sequence[str] | None, max_size: int | None) -> dict[str, Aligner]:
    """One aligner per usable scorer; tolerates an align without scorers (prints why)."""
    try:
        from align import DEFAULT_MAX_SIZE, align_pair, available_scorers, get_scorer
    except ImportError as err:
        print(f"note: align.align_pair / align.get_scorer not importable ({err}); only {BASELINE} runs")
        return {}
    aligners: dict[str, Aligner] = {}
    for name in requested or available_scorers():
        try:
            get_scorer(name)
        except BitextError as err:
            print(f"note: scorer {name!r} skipped: {err}")
            continue
        aligners[name] = _pairwise(align_pair, name, max_size or DEFAULT_MAX_SIZE)
    return aligners


def _pairwise(align_pair: Callable[..., list[Bead]], scorer: str, max_size: int) -> Aligner:
    def align(task: AlignmentTask) -> list[Bead]:
        return align_pair(
            task.src, task.tgt, src_lang=task.src_lang, tgt_lang=task.tgt_lang, scorer=scorer, max_size=max_size
        )

    return align


def print_rows(dataset: str, pair: str, results: dict[str, RunResult], main_measure: str) -> None:
    baseline = Scores.from_counts(results[BASELINE].counts)
    for name, result in results.items():
        scores = Scores.from_counts(result.counts)
        strict, lax = scores.strict, scores.lax
        mark_strict, mark_lax = ("*", " ") if main_measure == "strict" else (" ", "*")
        print(
            f"{dataset:9} {pair:18} {name:12} {strict.precision:8.3f} {strict.recall:6.3f} {strict.f1:6.3f}{mark_strict}"
            f" {lax.precision:6.3f} {lax.recall:6.3f} {lax.f1:6.3f}{mark_lax}{result.seconds:7.2f}"
            f"  {f1_ratio(strict.f1, baseline.strict.f1):>12} {f1_ratio(lax.f1, baseline.lax.f1):>6}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
