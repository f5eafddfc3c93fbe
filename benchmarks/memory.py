"""Peak memory of align_pair on two long synthetic documents, against a trivial baseline.

Each measurement runs in a fresh Python process and reports its peak resident
set size: the baseline process builds the same texts and imports the aligner
but aligns nothing; the other one aligns them. The difference is what the
alignment itself needs; the brief's bound is 1 GB for 20,000 sentences a side.

Usage::

    python benchmarks/memory.py                     # 20,000 sentences
    python benchmarks/memory.py --sentences 5000 --scorer length
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(mode: str, sentences: int, scorer: str) -> dict[str, float]:
    """Run this script as a child in ``mode`` and read its JSON report."""
    out = subprocess.run(
        [sys.executable, str(Path(__file__)), "--child", mode, "--sentences", str(sentences), "--scorer", scorer],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(mode: str, sentences: int, scorer: str) -> None:
    sys.path.insert(0, str(HERE))
    from synthetic_text import synthetic_pair

    from align import Scores, align_pair, score_alignments

    pair = synthetic_pair(sentences)
    report: dict[str, float] = {"src": len(pair.src), "tgt": len(pair.tgt)}
    if mode == "align":
        started = time.perf_counter()
        beads = align_pair(pair.src, pair.tgt, src_lang="de", tgt_lang="fr", scorer=scorer)
        report["seconds"] = time.perf_counter() - started
        report["strict_f1"] = Scores.from_counts(score_alignments(beads, pair.gold)).strict.f1
    report["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps(report))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=20_000, help="Source sentences (default 20000).")
    parser.add_argument("--scorer", default="anchors", help="Scorer name (default anchors).")
    parser.add_argument("--child", choices=["baseline", "align"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.sentences, args.scorer)
        return 0
    baseline = measure("baseline", args.sentences, args.scorer)
    aligned = measure("align", args.sentences, args.scorer)
    extra = aligned["peak_mb"] - baseline["peak_mb"]
    print(f"documents: {int(aligned['src'])} x {int(aligned['tgt'])} sentences, scorer {args.scorer}")
    print(f"baseline (texts + imports, no alignment): peak RSS {baseline['peak_mb']:8.1f} MB")
    print(f"align_pair:                               peak RSS {aligned['peak_mb']:8.1f} MB "
          f"({aligned['peak_mb'] / baseline['peak_mb']:.2f}x baseline, +{extra:.1f} MB for the alignment)")
    print(f"alignment time {aligned['seconds']:.1f} s, strict F1 against the synthetic gold {aligned['strict_f1']:.3f}")
    print("within the 1 GB bound" if aligned["peak_mb"] < 1024 else "ABOVE the 1 GB bound")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
