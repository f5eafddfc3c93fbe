"""Leave-one-document-out check of the model-free scorer's few tuned weights.

For a small grid over ``skip``, ``merge`` and ``anchor`` (AnchorWeights; or, with
``--grid coverage``, over ``coverage``, ``coverage_floor`` and ``skip``), every
configuration aligns every development document pair once. Then, for each
document held out in turn (Text+Berg dev, Bible Ruth, Bible Philippians), the
configuration with the best strict F1 on the other documents is chosen and
scored on the held-out one. Held-out figures close to the defaults' show that
the defaults are not fitted to one file.

Usage::

    python benchmarks/tune_anchors.py [--grid weights|coverage] [--data-root DIR]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import AlignmentTask, load_bible, load_textberg, require_data, resolve_data_root

from align import Counts, Scores, align_pair, get_scorer, score_alignments

GRIDS = {
    "weights": {"skip": (3.0, 4.0, 5.0), "merge": (1.2, 1.6, 2.0), "anchor": (3.0, 4.0, 6.0)},
    # the merge-coverage term (a merged sentence must find its anchors on the other side), with skip
    "coverage": {"coverage": (0.0, 0.5, 1.0, 1.5, 2.0), "coverage_floor": (0.3, 0.5), "skip": (3.0, 4.0, 5.0)},
}


def document_of(task: AlignmentTask) -> str:
    return f"{task.dataset}:{task.name.split()[0]}"


def strict_f1(counts: Counts) -> float:
    return Scores.from_counts(counts).strict.f1


def f1_over(counts: dict[tuple[int, str], Counts], config: int, documents: list[str]) -> float:
    total = Counts()
    for doc in documents:
        total = total + counts[(config, doc)]
    return strict_f1(total)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-root", help="Folder holding textberg/ and bible/ (default ../shared/data).")
    parser.add_argument("--grid", choices=sorted(GRIDS), default="weights", help="Which weights to vary.")
    args = parser.parse_args()
    grid = GRIDS[args.grid]
    root = resolve_data_root(args.data_root)
    tasks = load_textberg(require_data(root, "textberg")) + load_bible(require_data(root, "bible"))
    documents = sorted({document_of(task) for task in tasks})
    configs = [dict(zip(grid, values, strict=True)) for values in itertools.product(*grid.values())]
    counts: dict[tuple[int, str], Counts] = {}
    for k, config in enumerate(configs):
        scorer = get_scorer("anchors", weights=replace(get_scorer("anchors").weights, **config))
        for task in tasks:
            beads = align_pair(list(task.src), list(task.tgt), src_lang=task.src_lang, tgt_lang=task.tgt_lang,
                               scorer=scorer)  # fmt: skip
            key = (k, document_of(task))
            counts[key] = counts.get(key, Counts()) + score_alignments(beads, task.gold)
    defaults = get_scorer("anchors").weights
    default = configs.index({name: getattr(defaults, name) for name in grid})
    print(f"{'held-out document':22} {'chosen on the others':38} {'held-out F1':>11} {'defaults':>9}")
    for held_out in documents:
        rest = [doc for doc in documents if doc != held_out]
        best = max(range(len(configs)), key=lambda k, rest=rest: f1_over(counts, k, rest))
        chosen = ", ".join(f"{name}={value}" for name, value in configs[best].items())
        print(f"{held_out:22} {chosen:38} {strict_f1(counts[(best, held_out)]):11.3f} "
              f"{strict_f1(counts[(default, held_out)]):9.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
