"""Leave-one-document-out test of the embedding scorer's joined-span evidence (``span_budget``, ``span_weight``).

Folds: the sections of Text+Berg dev (the chronicle's numbered entries,
grouped into runs of at least ``SECTION_LINES`` German lines; the whole
document is aligned once and each section scored on its own beads), every
Bible gold pair file, and synthetic perturbations of both datasets
(omissions.py's deletions and insertions, perturb.py's captions, glued captions
and swapped paragraphs), one fold per perturbation and dataset. Each fold's
main measure is strict F1 (Text+Berg) or lax F1 (Bible). For each fold held
out, the configuration with the best mean main measure over the other folds is
chosen and scored on it. Also prints the texts embedded: spans per sentence
(``span_budget`` counts characters of joined text per character of the pair).

Usage::

    python benchmarks/span_evidence.py [--cache DIR] [--rate 0.05] [--seed 1] [--data-root DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# `common` must come first: it puts the repository root on sys.path for `align`.
from common import AlignmentTask, load_bible, load_textberg, require_data, resolve_data_root
from omissions import plant_deletions, plant_insertions
from perturb import PLANTERS

from align import Bead, Counts, EmbeddingWeights, Scores, align_pair, get_scorer, score_alignments

SECTION_START = re.compile(r"^\d+\. [^\d\W]")  # "13. Aus dem Jahre 1955 ..." starts an entry; "1. 1950 :" does not
SECTION_LINES = 60
CONFIGS: dict[str, dict[str, float]] = {
    "off": {"span_budget": 0.0},
    "w0.25": {"span_budget": 1.0, "span_weight": 0.25},
    "w0.5": {"span_budget": 1.0, "span_weight": 0.5},
    "w1": {"span_budget": 1.0, "span_weight": 1.0},
}


def sections(task: AlignmentTask) -> list[range]:
    """Source-line ranges of the document's sections (numbered entries, at least SECTION_LINES lines each)."""
    starts = [0] + [i for i, line in enumerate(task.src) if SECTION_START.match(line)]
    cuts = [0]
    for start in starts[1:]:
        if start - cuts[-1] >= SECTION_LINES and len(task.src) - start >= SECTION_LINES:
            cuts.append(start)
    return [range(a, b) for a, b in zip(cuts, [*cuts[1:], len(task.src)], strict=True)]


def split_counts(task: AlignmentTask, beads: Sequence[Bead], parts: list[range]) -> list[Counts]:
    """Counts per section: beads go by their first source line, empty-source ones by the previous bead's."""

    def part_of(seq: Sequence[Bead]) -> list[int]:
        owners, current = [], 0
        for bead in seq:
            if bead.src:
                current = next(k for k, part in enumerate(parts) if bead.src[0] in part)
            owners.append(current)
        return owners

    pred_owner, gold_owner = part_of(beads), part_of(task.gold)
    pred = [[b for b, o in zip(beads, pred_owner, strict=True) if o == k] for k in range(len(parts))]
    gold = [[g for g, o in zip(task.gold, gold_owner, strict=True) if o == k] for k in range(len(parts))]
    return [score_alignments(p, g) for p, g in zip(pred, gold, strict=True)]


def folds(root: Path, rate: float, seed: int) -> list[tuple[str, AlignmentTask]]:
    """(fold name, task) pairs; a fold may hold several tasks (perturbations of every document)."""
    textberg, bible = load_textberg(require_data(root, "textberg")), load_bible(require_data(root, "bible"))
    out = [("textberg", task) for task in textberg] + [(f"bible:{task.name}", task) for task in bible]
    rng = random.Random(seed)
    planters = {"delete": lambda t, r, g: plant_deletions(t, r, g).task,
                "insert": lambda t, r, g: plant_insertions(t, r, g).task, **PLANTERS}  # fmt: skip
    for mode, plant in planters.items():
        for task in textberg + bible:
            out.append((f"syn:{mode} {task.dataset}", plant(task, rate, rng)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-root", help="Folder holding textberg/ and bible/ (default ../shared/data).")
    parser.add_argument("--cache", default=os.environ.get("BITEXT_EMBED_CACHE"), help="Embedding cache directory.")
    parser.add_argument("--rate", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--config", action="append", choices=sorted(CONFIGS), help="Default: all.")
    args = parser.parse_args()
    tasks = folds(resolve_data_root(args.data_root), args.rate, args.seed)
    names = args.config or list(CONFIGS)
    counts: dict[tuple[str, str], Counts] = {}
    measure: dict[str, str] = {}
    shared = None
    for config in names:
        scorer = get_scorer("embedding", weights=replace(EmbeddingWeights(), **CONFIGS[config]), cache=args.cache)
        if shared is not None:
            scorer.vectors = shared  # type: ignore[attr-defined]  # embedded once for every configuration
        shared = scorer.vectors  # type: ignore[attr-defined]
        shared.requested.clear()
        for fold, task in tasks:
            beads = align_pair(task.src, task.tgt, src_lang=task.src_lang, tgt_lang=task.tgt_lang, scorer=scorer)
            parts = sections(task) if fold == "textberg" else [range(len(task.src))]
            for k, part_counts in enumerate(split_counts(task, beads, parts)):
                key = f"textberg:{parts[k].start}-{parts[k].stop}" if fold == "textberg" else fold
                counts[(config, key)] = counts.get((config, key), Counts()) + part_counts
                measure[key] = task.main_measure
        spans, sentences = shared.requested.get("spans", 0), shared.requested.get("sentences", 0)
        print(f"{config}: {spans} spans for {sentences} sentences: cost ratio {1 + spans / max(sentences, 1):.2f}")
        for key, mode in measure.items():
            print(f"  {key:28} {main_f1(counts[(config, key)], mode):.4f}", flush=True)
    report(names, counts, measure)
    return 0


def main_f1(counts: Counts, measure: str) -> float:
    scores = Scores.from_counts(counts)
    return (scores.strict if measure == "strict" else scores.lax).f1


def report(names: list[str], counts: dict[tuple[str, str], Counts], measure: dict[str, str]) -> None:
    fold_names = list(measure)
    print(f"\n{'held-out fold':28} {'chosen':9} " + " ".join(f"{n:>16}" for n in names))
    gains = []
    for held in fold_names:
        rest = [f for f in fold_names if f != held]
        best = max(names, key=lambda c: statistics.mean(main_f1(counts[(c, f)], measure[f]) for f in rest))
        cells = []
        for config in names:
            s = Scores.from_counts(counts[(config, held)])
            mark = "*" if config == best else " "
            cells.append(f"{s.strict.f1:.3f}/{s.lax.f1:.3f}{mark}".rjust(16))
        gains.append(main_f1(counts[(best, held)], measure[held]) - main_f1(counts[(names[0], held)], measure[held]))
        print(f"{held:28} {best:9} " + " ".join(cells))
    print(f"\nheld-out gain of the chosen configuration over {names[0]!r} (main measure): "
          f"mean {statistics.mean(gains):+.4f}, min {min(gains):+.4f}, max {max(gains):+.4f}, "
          f"folds worse {sum(g < 0 for g in gains)}, better {sum(g > 0 for g in gains)} of {len(gains)}")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
