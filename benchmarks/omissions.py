"""Omissions and additions with known gold: sentences deleted from, or inserted into, real document pairs.

Starting from Text+Berg dev and the Bible pairs (``../shared/data``), each
document pair is changed in a way whose right alignment is known:

* ``delete``: the target sentence of randomly chosen 1-1 gold beads is removed;
  the gold bead becomes ``[i]:[]`` (an omission in the target);
* ``insert``: a sentence from elsewhere (the other half of the same target
  document, so the topic and style stay close) is inserted between two gold
  beads; the gold gets a ``[]:[j]`` (an addition in the target).

About ``--rate`` of the beads are changed (never two neighbours), with a fixed
seed. The script prints strict/lax P/R/F1 of the whole alignment and how many
of the planted empty-side beads came out exactly (``gap R``), per dataset,
for each scorer; Gale-Church (NLTK) runs in the same process as the baseline.

Usage::

    python benchmarks/omissions.py [-s anchors -s embedding] [--rate 0.05] [--seed 1] [--data-root DIR]
"""

from __future__ import annotations

import argparse
import bisect
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# `common` must come first: it puts the repository root on sys.path for `align`.
from common import (
    AlignmentTask,
    load_bible,
    load_textberg,
    require_data,
    resolve_data_root,
)
from gale_church import gale_church_beads

from align import Bead, Counts, Scores, align_pair, score_alignments

MODES = ("delete", "insert")


@dataclass(frozen=True)
class PlantedTask:
    """A task whose gold holds ``planted`` empty-side beads made on purpose."""

    task: AlignmentTask
    planted: tuple[Bead, ...]


def _spread_choice(candidates: Sequence[int], count: int, rng: random.Random) -> list[int]:
    """Up to ``count`` of ``candidates`` (bead numbers), no two adjacent."""
    chosen: list[int] = []
    for number in rng.sample(list(candidates), len(candidates)):
        if len(chosen) == count:
            break
        if all(abs(number - other) > 1 for other in chosen):
            chosen.append(number)
    return sorted(chosen)


def _shifted(beads: Sequence[Bead], new_index: Callable[[int], int]) -> tuple[Bead, ...]:
    return tuple(Bead(bead.src, tuple(new_index(j) for j in bead.tgt)) for bead in beads)


def plant_deletions(task: AlignmentTask, rate: float, rng: random.Random) -> PlantedTask:
    gold = list(task.gold)
    one_one = [k for k, bead in enumerate(gold) if len(bead.src) == 1 and len(bead.tgt) == 1]
    chosen = set(_spread_choice(one_one, max(1, round(rate * len(gold))), rng))
    removed = sorted(gold[k].tgt[0] for k in chosen)
    tgt = tuple(line for j, line in enumerate(task.tgt) if j not in set(removed))
    new_gold = _shifted(
        [Bead(bead.src, ()) if k in chosen else bead for k, bead in enumerate(gold)],
        lambda j: j - bisect.bisect_left(removed, j),
    )
    planted = tuple(new_gold[k] for k in sorted(chosen))
    return PlantedTask(replace(task, name=f"{task.name} -del", tgt=tgt, gold=new_gold), planted)


def plant_insertions(task: AlignmentTask, rate: float, rng: random.Random) -> PlantedTask:
    """Foreign sentences inserted just before the target side of chosen gold beads."""
    gold = list(task.gold)
    starts = [k for k, bead in enumerate(gold) if bead.tgt and k > 0]
    chosen = _spread_choice(starts, max(1, round(rate * len(gold))), rng)
    before = sorted(gold[k].tgt[0] for k in chosen)  # original target index each insertion precedes
    half = len(task.tgt) // 2
    tgt: list[str] = []
    for j, line in enumerate(task.tgt):
        if before and j in set(before):
            tgt.append(task.tgt[(j + half) % len(task.tgt)])  # a sentence from the other half of the document
        tgt.append(line)
    shift = lambda j: j + bisect.bisect_right(before, j)
    shifted = list(_shifted(gold, shift))
    planted = tuple(Bead((), (shift(j) - 1,)) for j in before)
    new_gold: list[Bead] = []
    for k, bead in enumerate(shifted):
        if k in chosen:
            new_gold.append(Bead((), (bead.tgt[0] - 1,)))
        new_gold.append(bead)
    return PlantedTask(replace(task, name=f"{task.name} -ins", tgt=tuple(tgt), gold=tuple(new_gold)), planted)


def _align_with(scorer: str) -> Callable[[AlignmentTask], list[Bead]]:
    if scorer == "gale-church":
        return lambda task: gale_church_beads(task.src, task.tgt)
    return lambda task: align_pair(task.src, task.tgt, src_lang=task.src_lang, tgt_lang=task.tgt_lang, scorer=scorer)


def run(tasks: Sequence[PlantedTask], scorers: Sequence[str]) -> None:
    print(f"{'dataset':9} {'mode':7} {'aligner':12} strict P      R     F1   lax P      R     F1  gap R     sec")
    for dataset in sorted({p.task.dataset for p in tasks}):
        for mode in MODES:
            mine = [p for p in tasks if p.task.dataset == dataset and p.task.name.endswith(mode[:3])]
            for scorer in scorers:
                align = _align_with(scorer)
                counts, found, planted, seconds = Counts(), 0, 0, 0.0
                for item in mine:
                    started = time.perf_counter()
                    beads = align(item.task)
                    seconds += time.perf_counter() - started
                    counts += score_alignments(beads, item.task.gold)
                    predicted = {(b.src, b.tgt) for b in beads}
                    found += sum((p.src, p.tgt) in predicted for p in item.planted)
                    planted += len(item.planted)
                s = Scores.from_counts(counts)
                print(
                    f"{dataset:9} {mode:7} {scorer:12} {s.strict.precision:6.3f} {s.strict.recall:6.3f} "
                    f"{s.strict.f1:6.3f} {s.lax.precision:6.3f} {s.lax.recall:6.3f} {s.lax.f1:6.3f}  "
                    f"{found:3d}/{planted:<3d} {seconds:6.2f}"
                )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scorer", "-s", action="append", help="Scorer name (repeatable); default anchors, embedding.")
    parser.add_argument("--rate", type=float, default=0.05, help="Share of gold beads changed (default 0.05).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-root", help="Folder holding textberg/ and bible/ (default ../shared/data).")
    parser.add_argument("--no-baseline", action="store_true", help="Skip NLTK's Gale-Church.")
    args = parser.parse_args()
    root = resolve_data_root(args.data_root)
    tasks = load_textberg(require_data(root, "textberg")) + load_bible(require_data(root, "bible"))
    rng = random.Random(args.seed)
    planted = [plant(task, args.rate, rng) for task in tasks for plant in (plant_deletions, plant_insertions)]
    scorers = ([] if args.no_baseline else ["gale-church"]) + (args.scorer or ["anchors", "embedding"])
    run(planted, scorers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
