"""Leave-one-document-out comparison of aligner configurations over all the gold we have, with the spread.

Folds (about 40): the sections of Text+Berg dev (as in span_evidence.py), every
Bible gold pair file, every pair of the bundled sample item (hand-made
multi-way gold; its units are aligned as ``bitext align`` does, multi-way with
consensus and paragraphs, and every pair read off them), and one fold per synthetic perturbation and
dataset: deletions and insertions (omissions.py), captions, glued captions,
swapped paragraphs, split and merged sentences (perturb.py). Main measure of a
fold: strict F1 (Text+Berg, sample item) or lax F1 (Bible, verse-level gold).

For every configuration: mean, min and max of the main measure over the folds.
For every group of configurations (one parameter's values, the first being
the current default): for each fold held out, the configuration with the best
mean over the other folds is chosen and scored on it; the gain over the first
configuration is summarised (mean, min, max, folds worse/better). Fold counts
are kept in ``--results`` (JSON) so that a configuration is aligned only once; they are keyed by
configuration only, so start a new file after changing the code.

Usage::

    python benchmarks/quality_loo.py [--group NAME]... [--cache DIR] [--results FILE] [--data-root DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import random
import statistics
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
# `common` must come first: it puts the repository root on sys.path for `align`.
from common import AlignmentTask, load_bible, load_textberg, require_data, resolve_data_root
from multiway import sample_document
from omissions import plant_deletions, plant_insertions
from perturb import PLANTERS
from span_evidence import main_f1, sections, split_counts

from align import (
    Counts,
    EmbeddingWeights,
    Scores,
    align_multiway,
    align_pair,
    get_scorer,
    pair_beads,
    score_alignments,
)

# name -> (scorer, overrides of its weights; "anchors." prefixes the embedding scorer's model-free part)
CONFIGS: dict[str, tuple[str, dict[str, Any]]] = {
    "emb": ("embedding", {}),
    "emb cross": ("embedding", {"pair.crossings": True}),
    "anc cross": ("anchors", {"pair.crossings": True}),
    "emb cross reach4": ("embedding", {"pair.crossings": True, "const.crossings.DEFAULT_REACH": 4}),
    "emb cross reach30": ("embedding", {"pair.crossings": True, "const.crossings.DEFAULT_REACH": 30}),
    "emb cross break0": ("embedding", {"pair.crossings": True, "const.crossings.BREAK_BELOW": 0.0}),
    "emb cross break0.25": ("embedding", {"pair.crossings": True, "const.crossings.BREAK_BELOW": 0.25}),
    "anc cross break0": ("anchors", {"pair.crossings": True, "const.crossings.BREAK_BELOW": 0.0}),
    "anc cross reach4": ("anchors", {"pair.crossings": True, "const.crossings.DEFAULT_REACH": 4}),
    "emb skip4": ("embedding", {"anchors.skip": 4.0}),
    "emb skip6": ("embedding", {"anchors.skip": 6.0}),
    "emb junk0.75": ("embedding", {"anchors.junk_discount": 0.75}),
    "emb junk0.25": ("embedding", {"anchors.junk_discount": 0.25}),
    "emb cov3": ("embedding", {"coverage": 3.0}),
    "emb cov6": ("embedding", {"coverage": 6.0}),
    "emb sim4": ("embedding", {"similarity": 4.0}),
    "emb sim5": ("embedding", {"similarity": 5.0}),
    "emb spans w0.25": ("embedding", {"span_budget": 1.0, "span_weight": 0.25}),
    "emb spans w1": ("embedding", {"span_budget": 1.0, "span_weight": 1.0}),
    "emb fm1": ("embedding", {"anchors.fragment_merge": 1.0}),
    "emb covchars60": ("embedding", {"coverage_full_chars": 60.0}),
    "emb covchars120": ("embedding", {"coverage_full_chars": 120.0}),
    "emb cov2": ("embedding", {"coverage": 2.0}),
    "emb spans0.9 w0.25": ("embedding", {"span_budget": 0.9, "span_weight": 0.25}),
    "emb spans0.9 w0.5": ("embedding", {"span_budget": 0.9, "span_weight": 0.5}),
    "emb spans0.9 w0.5 local": ("embedding", {"span_budget": 0.9, "span_weight": 0.5, "span_local_margin": True}),
    "emb spans0.9 w1 local": ("embedding", {"span_budget": 0.9, "span_weight": 1.0, "span_local_margin": True}),
    "anc": ("anchors", {}),
    "anc skip3.5": ("anchors", {"skip": 3.5}),
    "anc skip4.5": ("anchors", {"skip": 4.5}),
    "anc junk0.75": ("anchors", {"junk_discount": 0.75}),
    "anc junk0.25": ("anchors", {"junk_discount": 0.25}),
    "anc merge1.3": ("anchors", {"merge": 1.3}),
    "anc merge2": ("anchors", {"merge": 2.0}),
    "anc fm0": ("anchors", {"fragment_merge": 0.0}),
    "anc fm2": ("anchors", {"fragment_merge": 2.0}),
    "anc fm4": ("anchors", {"fragment_merge": 4.0}),
}
# group -> configurations compared by leave-one-out, the current default first
GROUPS: dict[str, list[str]] = {
    "embedding": ["emb"],
    "anchors": ["anc"],
    "emb crossings": ["emb", "emb cross"],
    "anc crossings": ["anc", "anc cross", "anc cross reach4"],
    "emb crossings reach": ["emb cross", "emb cross reach4", "emb cross reach30"],
    "anc crossings reach": ["anc cross", "anc cross reach4"],
    "emb crossings break": ["emb cross", "emb cross break0", "emb cross break0.25"],
    "anc crossings break": ["anc cross", "anc cross break0"],
    "emb skip": ["emb", "emb skip4", "emb skip6"],
    "emb junk": ["emb", "emb junk0.25", "emb junk0.75"],
    "emb coverage": ["emb", "emb cov3", "emb cov6"],
    "emb similarity": ["emb", "emb sim4", "emb sim5"],
    "emb spans": ["emb", "emb spans w0.25", "emb spans w1"],
    "emb fragment merge": ["emb", "emb fm1"],
    "emb spans0.9": ["emb", "emb spans0.9 w0.25", "emb spans0.9 w0.5"],
    "emb spans local": ["emb", "emb spans0.9 w0.5 local", "emb spans0.9 w1 local"],
    "emb coverage chars": ["emb", "emb covchars60", "emb covchars120"],
    "emb coverage low": ["emb", "emb cov2", "emb cov3"],
    "anc skip": ["anc", "anc skip3.5", "anc skip4.5"],
    "anc junk": ["anc", "anc junk0.25", "anc junk0.75"],
    "anc merge": ["anc", "anc merge1.3", "anc merge2"],
    "anc fragment merge": ["anc", "anc fm0", "anc fm2", "anc fm4"],
}


@dataclass(frozen=True)
class Fold:
    name: str
    tasks: tuple[AlignmentTask, ...]


def folds(root: Path, rate: float, seed: int) -> list[Fold]:
    textberg, bible = load_textberg(require_data(root, "textberg")), load_bible(require_data(root, "bible"))
    out = [Fold("textberg", (task,)) for task in textberg]
    out += [Fold(f"bible:{task.name}", (task,)) for task in bible]
    rng = random.Random(seed)
    planters = {"delete": lambda t, r, g: plant_deletions(t, r, g).task,
                "insert": lambda t, r, g: plant_insertions(t, r, g).task, **PLANTERS}  # fmt: skip
    for mode, plant in planters.items():
        for dataset in (textberg, bible):
            out.append(Fold(f"syn:{mode} {dataset[0].dataset}", tuple(plant(task, rate, rng) for task in dataset)))
    return out


def sample_counts(scorer: Any) -> dict[str, Counts]:
    """Every pair of the sample item read off its multi-way units, scored against the gold units' pairs."""
    sample = sample_document()
    if sample is None:
        return {}
    units = align_multiway(sample.texts, pivot=sample.pivot, paras=sample.paras, scorer=scorer)
    return {f"sample:{a}-{b}": score_alignments(pair_beads(units, a, b), gold) for (a, b), gold in sample.gold.items()}


def make_scorer(config: str, cache: str | None) -> Any:
    scorer_name, overrides = CONFIGS[config]
    own = {k: v for k, v in overrides.items() if not k.startswith(("anchors.", "pair.", "const."))}
    model_free = {k.removeprefix("anchors."): v for k, v in overrides.items() if k.startswith("anchors.")}
    if scorer_name == "anchors":
        return get_scorer("anchors", weights=replace(get_scorer("anchors").weights, **own))
    weights = EmbeddingWeights()
    weights = replace(weights, anchors=replace(weights.anchors, **model_free), **own)
    return get_scorer(scorer_name, weights=weights, cache=cache)


def pair_options(config: str) -> dict[str, Any]:
    """``align_pair`` keywords of a configuration (its ``pair.`` overrides)."""
    return {k.removeprefix("pair."): v for k, v in CONFIGS[config][1].items() if k.startswith("pair.")}


# modules whose constants a configuration may set (``const.<module>.<NAME>``): rules, not parameters
CONSTANT_MODULES = {"crossings": "align.pairwise.crossings"}


@contextlib.contextmanager
def constants_of(config: str) -> Iterator[None]:
    """The module constants a configuration sets (``const.`` overrides), restored afterwards."""
    saved = []
    for key, value in CONFIGS[config][1].items():
        if key.startswith("const."):
            module_name, name = key.removeprefix("const.").rsplit(".", 1)
            module = importlib.import_module(CONSTANT_MODULES[module_name])
            saved.append((module, name, getattr(module, name)))
            setattr(module, name, value)
    try:
        yield
    finally:
        for module, name, value in reversed(saved):
            setattr(module, name, value)


def run_config(config: str, fold_list: list[Fold], cache: str | None, shared: Any) -> tuple[dict[str, Counts], Any]:
    """Counts per fold key (Text+Berg split into its sections) and the sentence vectors to share."""
    with constants_of(config):
        return _run_config(config, fold_list, cache, shared)


def _run_config(config: str, fold_list: list[Fold], cache: str | None, shared: Any) -> tuple[dict[str, Counts], Any]:
    scorer = make_scorer(config, cache)
    if shared is not None and hasattr(scorer, "vectors"):
        scorer.vectors = shared  # embedded once for every configuration
    shared = getattr(scorer, "vectors", shared)
    out: dict[str, Counts] = {}
    for fold in fold_list:
        for task in fold.tasks:
            beads = align_pair(task.src, task.tgt, src_lang=task.src_lang, tgt_lang=task.tgt_lang, scorer=scorer,
                               **pair_options(config))
            if fold.name == "textberg":
                parts = sections(task)
                for part, counts in zip(parts, split_counts(task, beads, parts), strict=True):
                    out[f"textberg:{part.start}-{part.stop}"] = counts
            else:
                out[fold.name] = out.get(fold.name, Counts()) + score_alignments(beads, task.gold)
    out.update(sample_counts(scorer))
    return out, shared


def measure_of(key: str) -> str:
    return "lax" if key.startswith("bible") or key.endswith(" bible") else "strict"


def summary(results: dict[str, dict[str, Counts]], config: str) -> str:
    values = [main_f1(c, measure_of(k)) for k, c in results[config].items()]
    tb = Scores.from_counts(sum((c for k, c in results[config].items() if k.startswith("textberg:")), Counts()))
    return (f"{config:24} mean {statistics.mean(values):.4f} min {min(values):.4f} max {max(values):.4f}"
            f"  | Text+Berg dev strict {tb.strict.f1:.4f}")  # fmt: skip


def leave_one_out(results: dict[str, dict[str, Counts]], names: list[str]) -> str:
    keys = list(results[names[0]])
    f1 = {(c, k): main_f1(results[c][k], measure_of(k)) for c in names for k in keys}
    gains, chosen = [], []
    for held in keys:
        best = max(names, key=lambda c: statistics.mean(f1[(c, k)] for k in keys if k != held))
        chosen.append(best)
        gains.append(f1[(best, held)] - f1[(names[0], held)])
    picks = ", ".join(f"{c} {chosen.count(c)}" for c in names if chosen.count(c))
    return (f"held-out gain over {names[0]!r}: mean {statistics.mean(gains):+.4f} min {min(gains):+.4f} "
            f"max {max(gains):+.4f}; worse on {sum(g < -1e-9 for g in gains)}, better on "
            f"{sum(g > 1e-9 for g in gains)} of {len(gains)} folds; chosen: {picks}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-root", help="Folder holding textberg/ and bible/ (default ../shared/data).")
    parser.add_argument("--cache", default=os.environ.get("BITEXT_EMBED_CACHE"), help="Embedding cache directory.")
    parser.add_argument("--results", type=Path, help="JSON file of fold counts per configuration (reused).")
    parser.add_argument("--rate", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--group", action="append", choices=sorted(GROUPS), help="Default: all.")
    parser.add_argument("--folds", action="store_true", help="Print every fold's main measure per configuration.")
    args = parser.parse_args()
    fold_list = folds(resolve_data_root(args.data_root), args.rate, args.seed)
    stored: dict[str, dict[str, dict[str, int]]] = {}
    if args.results and args.results.exists():
        stored = json.loads(args.results.read_text(encoding="utf-8"))
    groups = args.group or list(GROUPS)
    results: dict[str, dict[str, Counts]] = {}
    shared = None
    for config in dict.fromkeys(c for g in groups for c in GROUPS[g]):
        signature = json.dumps(CONFIGS[config], sort_keys=True)
        if signature not in stored:
            counts, shared = run_config(config, fold_list, args.cache, shared)
            stored[signature] = {k: asdict(c) for k, c in counts.items()}
            if args.results:
                args.results.write_text(json.dumps(stored, indent=1), encoding="utf-8")
        results[config] = {k: Counts(**c) for k, c in stored[signature].items()}
        print(summary(results, config), flush=True)
    if args.folds:
        names = list(results)
        print(f"\n{'fold':30}" + "".join(f"{n:>12}" for n in names))
        for key in results[names[0]]:
            print(f"{key:30}" + "".join(f"{main_f1(results[n][key], measure_of(key)):12.4f}" for n in names))
    for group in groups:
        print(f"\n{group}:")
        for config in GROUPS[group]:
            print("  " + summary(results, config))
        if len(GROUPS[group]) > 1:
            print("  " + leave_one_out(results, GROUPS[group]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
