"""The fault matrix as a table: every hostile input and environment, its outcome, its message, data intact.

    python benchmarks/faults.py              # every case, the 30 MB ones and 4 kill -9 moments per command
    python benchmarks/faults.py --quick      # what the pytest run covers (tests/faults)
    python benchmarks/faults.py --only http  # cases whose id holds the text

The cases live in ``tests/faults/cases.py`` (shared with the test suite). The
summary line counts cases, passes, crashes, tracebacks, hangs and changed
hashes; the exit status is 1 when any case misses its designed outcome.
Nothing here touches the internet: every server runs on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # run as `python benchmarks/faults.py` from anywhere, without installing
    sys.path.insert(0, str(REPO_ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="leave out the slow cases (30 MB files)")
    parser.add_argument("--only", default="", help="run the cases whose id contains this text")
    parser.add_argument("--kill-moments", type=int, default=4, help="kill -9 moments per command")
    args = parser.parse_args(argv)
    os.environ["BITEXT_KILL_MOMENTS"] = str(args.kill_moments)  # read when the cases are built
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):  # loopback only
        os.environ.pop(name, None)
        os.environ.pop(name.lower(), None)

    from tests.align.frames_factory import make_frames
    from tests.faults.cases import ALL
    from tests.faults.matrix import run_case, summarize, table

    cases = [c for c in ALL if (not args.quick or not c.slow) and args.only in c.id]
    with tempfile.TemporaryDirectory(prefix="bitext-faults-") as scratch:
        base = make_frames(doc_id="tm:base").write(Path(scratch) / "base")
        results = []
        started = time.monotonic()
        for case in cases:
            results.append(run_case(case, base, Path(scratch) / "cases"))
            print(f"  {results[-1].outcome:9} {case.id}", file=sys.stderr, flush=True)
    print(table(results))
    summary = summarize(results)
    print("\n" + ", ".join(f"{key}: {value}" for key, value in summary.items()) + f" ({time.monotonic() - started:.0f} s)")
    return 0 if summary["passed"] == summary["cases"] else 1


if __name__ == "__main__":
    sys.exit(main())
