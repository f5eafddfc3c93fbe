"""Where a scorer's beads go wrong: error analysis on Text+Berg dev and its perturbations.

For each document (Text+Berg dev, then the same perturbations as quality_loo.py at
rate 0.05, seed 1), the gold beads missed, by shape and by what they hold (a line
under 25 characters, a number, a junk-looking line), and the wrong predicted
beads by cause:

* ``finer``: inside one gold bead (the gold's n-m bead cut into smaller ones);
* ``coarser``: the union of several whole gold beads (gold beads glued together);
* ``debris``: holds an OCR-debris line (no word, no digit) that the gold leaves alone;
* ``shifted``: anything else (a boundary moved between neighbours).

Usage::

    python benchmarks/anchor_errors.py [-s SCORER] [--show] [--data-root DIR]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# `common` must come first: it puts the repository root on sys.path for `align`.
from common import AlignmentTask, load_textberg, require_data, resolve_data_root
from omissions import plant_deletions, plant_insertions
from perturb import PLANTERS

from align import Bead, align_pair, get_scorer
from align.scorers import features

SHORT_LINE = 25  # characters without spaces

Key = tuple[tuple[int, ...], tuple[int, ...]]


def documents(root: Path) -> list[tuple[str, AlignmentTask]]:
    dev = load_textberg(require_data(root, "textberg"))[0]
    rng = random.Random(1)
    planters = {"delete": lambda t, r, g: plant_deletions(t, r, g).task,
                "insert": lambda t, r, g: plant_insertions(t, r, g).task, **PLANTERS}  # fmt: skip
    return [("dev", dev)] + [(mode, plant(dev, 0.05, rng)) for mode, plant in planters.items()]


def shape(key: Key) -> str:
    return f"{min(len(key[0]), 3)}-{min(len(key[1]), 3)}"  # 3 = 3 or more


def cause(key: Key, gold: list[Key], task: AlignmentTask) -> str:
    src, tgt = set(key[0]), set(key[1])
    lines = [task.src[i] for i in src] + [task.tgt[j] for j in tgt]
    if any(features.is_fragment(line) for line in lines) and len(lines) > 1:
        return "debris"
    if any(src <= set(g[0]) and tgt <= set(g[1]) for g in gold):
        return "finer"
    inside = [g for g in gold if set(g[0]) <= src and set(g[1]) <= tgt and (g[0] or g[1])]
    covered_src, covered_tgt = {i for g in inside for i in g[0]}, {j for g in inside for j in g[1]}
    if len(inside) > 1 and (covered_src, covered_tgt) == (src, tgt):
        return "coarser"
    return "shifted"


def tags(key: Key, task: AlignmentTask) -> list[str]:
    lines = [task.src[i] for i in key[0]] + [task.tgt[j] for j in key[1]]
    found = []
    if any(features.char_length(line) < SHORT_LINE for line in lines):
        found.append("short")
    if any(features.numbers(line) for line in lines):
        found.append("number")
    if any(features.junk_score(line) >= 0.5 for line in lines):
        found.append("junk")
    return found


def report(name: str, task: AlignmentTask, pred: list[Bead], show: bool) -> None:
    predicted = {(tuple(b.src), tuple(b.tgt)) for b in pred}
    gold = [(tuple(b.src), tuple(b.tgt)) for b in task.gold]
    missed = [g for g in gold if g not in predicted]
    wrong = sorted(p for p in predicted if p not in set(gold))
    by_shape, all_shapes = Counter(shape(g) for g in missed), Counter(shape(g) for g in gold)
    by_tag, all_tags = Counter(t for g in missed for t in tags(g, task)), Counter(t for g in gold for t in tags(g, task))
    print(f"{name}: {len(missed)} of {len(gold)} gold beads missed, {len(wrong)} wrong beads predicted")
    print("  missed by gold shape: " + ", ".join(f"{s} {by_shape[s]}/{all_shapes[s]}" for s in sorted(all_shapes)))
    print("  missed by content:    " + ", ".join(f"{t} {by_tag[t]}/{all_tags[t]}" for t in sorted(all_tags)))
    causes = Counter(cause(p, gold, task) for p in wrong)
    print("  wrong by cause:       " + ", ".join(f"{c} {n}" for c, n in causes.most_common()))
    if show:
        for key in missed:
            text = " | ".join(task.src[i][:50] for i in key[0]) + " || " + " | ".join(task.tgt[j][:50] for j in key[1])
            print(f"    gold {list(key[0])}:{list(key[1])} {text}")
        for key in wrong:
            print(f"    pred {list(key[0])}:{list(key[1])} ({cause(key, gold, task)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-root", help="Folder holding textberg/ (default ../shared/data).")
    parser.add_argument("-s", "--scorer", default="anchors")
    parser.add_argument("--show", action="store_true", help="List every missed gold bead and wrong bead.")
    args = parser.parse_args()
    scorer = get_scorer(args.scorer)
    for name, task in documents(resolve_data_root(args.data_root)):
        pred = align_pair(task.src, task.tgt, src_lang=task.src_lang, tgt_lang=task.tgt_lang, scorer=scorer)
        report(name, task, pred, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
