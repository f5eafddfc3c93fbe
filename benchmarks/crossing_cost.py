"""What linking crossings costs: ``align_pair`` time with ``crossings`` on against off, in the same run.

Text+Berg dev as it is and with swapped paragraphs (``perturb.plant_swaps``,
rate 0.05, seed 1), the twelve Bible pairs together and, with ``--lines N``,
a synthetic document of N sentences (``synthetic_text``: merges, splits,
insertions and deletions) with swapped paragraphs at rate 0.05; each scorer given
(default both), sentence vectors already in memory (embedded before timing,
from ``--cache`` when given), so only the alignment is timed. The two settings
alternate ``--repeat`` times; the best time of each is kept. Printed: seconds
off and on, the ratio on / off and the beads the pass made.

Usage::

    python benchmarks/crossing_cost.py [--scorer embedding] [--repeat 3] [--lines 20000] [--cache DIR] [--data-root DIR]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# `common` must come first: it puts the repository root on sys.path for `align`.
from common import AlignmentTask, load_bible, load_textberg, require_data, resolve_data_root
from perturb import plant_swaps
from synthetic_text import synthetic_pair

from align import Bead, align_pair, get_scorer


def timed(tasks: list[AlignmentTask], scorer: object, crossings: bool) -> tuple[float, list[set[Bead]]]:
    started, out = time.perf_counter(), []
    for task in tasks:
        beads = align_pair(task.src, task.tgt, src_lang=task.src_lang, tgt_lang=task.tgt_lang, scorer=scorer,  # type: ignore[arg-type]
                           crossings=crossings)  # fmt: skip
        out.append({Bead(b.src, b.tgt) for b in beads})
    return time.perf_counter() - started, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scorer", action="append", choices=["anchors", "embedding"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cache", default=None, help="Embedding cache directory.")
    parser.add_argument("--lines", type=int, default=0, help="Also a synthetic document of this many sentences.")
    parser.add_argument("--data-root", default=None)
    args = parser.parse_args()
    root = resolve_data_root(args.data_root)
    textberg, bible = load_textberg(require_data(root, "textberg")), load_bible(require_data(root, "bible"))
    rng = random.Random(1)
    datasets = {
        "Text+Berg dev": textberg,
        "Text+Berg dev, swapped paragraphs": [plant_swaps(task, 0.05, rng) for task in textberg],
        "Bible, 12 pairs": bible,
    }
    if args.lines:
        pair = synthetic_pair(args.lines)
        task = AlignmentTask("synthetic", "synthetic", "de", "fr", tuple(pair.src), tuple(pair.tgt), tuple(pair.gold))
        datasets[f"synthetic {args.lines}, swapped"] = [plant_swaps(task, 0.05, rng)]
    for name in args.scorer or ["anchors", "embedding"]:
        scorer = get_scorer(name, cache=args.cache) if name == "embedding" else get_scorer(name)
        for label, tasks in datasets.items():
            timed(tasks, scorer, False)  # embeds (or reads the cache) and warms up
            best = {False: float("inf"), True: float("inf")}
            beads: dict[bool, list[set[Bead]]] = {}
            for _ in range(args.repeat):
                for crossings in (False, True):
                    seconds, beads[crossings] = timed(tasks, scorer, crossings)
                    best[crossings] = min(best[crossings], seconds)
            new = sum(len(on - off) for on, off in zip(beads[True], beads[False], strict=True))
            print(f"{name:10} {label:34} off {best[False]:7.2f} s  on {best[True]:7.2f} s  "
                  f"ratio {best[True] / best[False]:.3f}  beads changed {new}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
