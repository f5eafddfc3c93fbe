"""Time and peak memory of align_pair on long documents (issue 3: 20,000 sentences in under 1 GB).

Long documents are Text+Berg dev repeated end to end (de and fr, gold shifted
along), so quality can be scored at every length too. Each length runs in a
child process, so its peak resident memory (``ru_maxrss``) is its own and
includes the Python interpreter and imports (about 100 MB). The child's address
space is capped (``--limit-mb``, default 4096) so that a quadratic aligner fails
with a MemoryError, reported as ``over the limit``, instead of exhausting a
shared machine.

Usage::

    python benchmarks/scaling.py                     # 1000, 5000, 20000 sentences a side
    python benchmarks/scaling.py --sizes 2000 --scorer length
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# `common` must come first: it puts the repository root on sys.path for `align`.
from common import AlignmentTask, load_textberg, require_data, resolve_data_root

from align import Bead, Scores, score_alignments


def repeated(task: AlignmentTask, min_sentences: int) -> AlignmentTask:
    """``task`` concatenated with itself until the source side has ``min_sentences``."""
    copies = -(-min_sentences // len(task.src))
    gold = [
        Bead(tuple(i + k * len(task.src) for i in bead.src), tuple(j + k * len(task.tgt) for j in bead.tgt))
        for k in range(copies)
        for bead in task.gold
    ]
    return AlignmentTask(
        task.dataset, f"{task.name} x{copies}", task.src_lang, task.tgt_lang,
        task.src * copies, task.tgt * copies, tuple(gold), task.main_measure,
    )  # fmt: skip


def measure(data_root: Path, size: int, scorer: str) -> dict[str, float]:
    """Run in the child: align one long pair, report seconds, peak MB and strict F1."""
    from align import align_pair

    (task,) = load_textberg(require_data(data_root, "textberg"))
    long_task = repeated(task, size)
    started = time.perf_counter()
    beads = align_pair(long_task.src, long_task.tgt, src_lang="de", tgt_lang="fr", scorer=scorer)
    seconds = time.perf_counter() - started
    scores = Scores.from_counts(score_alignments(beads, long_task.gold))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    return {"src": len(long_task.src), "tgt": len(long_task.tgt), "seconds": seconds, "peak_mb": peak_mb,
            "strict_f1": scores.strict.f1}  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--scorer", "-s", default="anchors")
    parser.add_argument("--data-root", help="Folder holding textberg/ (default ../shared/data).")
    parser.add_argument("--limit-mb", type=int, default=4096, help="Address-space cap of each run (default 4096).")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = resolve_data_root(args.data_root)
    if args.child:
        limit = args.limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            print(json.dumps(measure(root, args.child, args.scorer)))
        except MemoryError:
            print(json.dumps({"error": f"over the {args.limit_mb} MB limit"}))
        return 0
    require_data(root, "textberg")
    print(f"{'src':>6} {'tgt':>6} {'scorer':8} {'seconds':>8} {'peak MB':>8} {'strict F1':>9}")
    for size in args.sizes:
        child = [sys.executable, __file__, "--child", str(size), "--scorer", args.scorer, "--data-root", str(root),
                 "--limit-mb", str(args.limit_mb)]  # fmt: skip
        run = subprocess.run(child, check=False, capture_output=True, text=True)
        if run.returncode != 0:
            last_line = (run.stderr.strip().splitlines() or ["no message"])[-1]
            print(f"{size:6d} {'':6} {args.scorer:8} failed: {last_line}")
            continue
        result = json.loads(run.stdout)
        if "error" in result:
            print(f"{size:6d} {'':6} {args.scorer:8} {result['error']}")
            continue
        print(f"{result['src']:6d} {result['tgt']:6d} {args.scorer:8} {result['seconds']:8.2f} "
              f"{result['peak_mb']:8.0f} {result['strict_f1']:9.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
