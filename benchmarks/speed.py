"""Alignment time: Text+Berg dev per scorer against NLTK's Gale-Church, then growth with length.

Times only the alignment (texts are loaded and detokenised before the clock
starts), best of ``--repeat`` runs, in this one process. The second table aligns
synthetic documents of growing length (``synthetic_text.py``) to show that time
grows about linearly once the banded search takes over.

Usage::

    python benchmarks/speed.py                        # every registered scorer
    python benchmarks/speed.py --scorer anchors --sizes 1000,5000,20000
    python benchmarks/speed.py --data-root /path/to/shared/data
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import load_textberg, require_data, resolve_data_root
from gale_church import gale_church_beads
from synthetic_text import synthetic_pair

from align import Bead, BitextError, Scores, align_pair, available_scorers, get_scorer, score_alignments


def best_time(run: Callable[[], list[Bead]], repeat: int) -> tuple[float, list[Bead]]:
    best, beads = float("inf"), []
    for _ in range(repeat):
        started = time.perf_counter()
        beads = run()
        best = min(best, time.perf_counter() - started)
    return best, beads


def textberg_table(root: Path, scorers: list[str], repeat: int) -> None:
    tasks = load_textberg(require_data(root, "textberg"))
    print(f"{'document':14} {'aligner':12} {'seconds':>8} {'x GC':>6} {'strict F1':>9}")
    for task in tasks:
        src, tgt = list(task.src), list(task.tgt)
        baseline, beads = best_time(partial(gale_church_beads, src, tgt), repeat)
        f1 = Scores.from_counts(score_alignments(beads, task.gold)).strict.f1
        print(f"{task.name:14} {'gale-church':12} {baseline:8.3f} {1.0:6.2f} {f1:9.3f}")
        for name in scorers:
            try:
                scorer = get_scorer(name)
            except BitextError as err:
                print(f"{task.name:14} {name:12} skipped: {err}")
                continue
            run = partial(align_pair, src, tgt, src_lang=task.src_lang, tgt_lang=task.tgt_lang, scorer=scorer)
            seconds, beads = best_time(run, repeat)
            f1 = Scores.from_counts(score_alignments(beads, task.gold)).strict.f1
            print(f"{task.name:14} {name:12} {seconds:8.3f} {seconds / baseline:6.2f} {f1:9.3f}")


def growth_table(sizes: list[int], scorer: str) -> None:
    print(f"\nsynthetic documents, scorer {scorer}")
    print(f"{'sentences':>9} {'seconds':>8} {'ms/sentence':>11} {'strict F1':>9}")
    for size in sizes:
        pair = synthetic_pair(size)
        seconds, beads = best_time(partial(align_pair, pair.src, pair.tgt, src_lang="de", tgt_lang="fr", scorer=scorer), 1)
        f1 = Scores.from_counts(score_alignments(beads, pair.gold)).strict.f1
        print(f"{size:9d} {seconds:8.2f} {1000 * seconds / size:11.2f} {f1:9.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scorer", "-s", action="append", help="Scorer name (repeatable); default: all registered.")
    parser.add_argument("--data-root", help="Folder holding textberg/ (default ../shared/data).")
    parser.add_argument("--repeat", type=int, default=3, help="Runs per measurement; the best is kept (default 3).")
    parser.add_argument("--sizes", default="500,2000,5000", help="Synthetic document lengths (default 500,2000,5000).")
    args = parser.parse_args()
    scorers = args.scorer or available_scorers()
    textberg_table(resolve_data_root(args.data_root), scorers, args.repeat)
    growth_table([int(size) for size in args.sizes.split(",") if size], scorers[0])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
