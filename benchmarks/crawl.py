"""Crawling a local archive: ``bitext crawl`` against ``bitext fetch`` of the same items, in one run.

A mid.ru-shaped archive of N items (``scrapers/testing/archive.py``: two to
five languages an item, a language-menu home page, robots rules as on mid.ru,
no faults) is served on 127.0.0.1 and fetched with ``--delay 0``:

* baseline: ``bitext fetch URL...`` of every item's URL;
* crawl: ``bitext crawl SECTION --from D1 --to D2 --no-align`` over the
  archive's date range (the date index pages, then the items, the frontier in
  ``DATA/crawl.sqlite``), alignment off so both do the same work;
* resume: the same crawl again (everything is stored: what resuming costs).

Each command runs as its own process under a wrapper process of this script,
so the peak resident memory reported is the command's alone; every phase has
a fresh data folder and cache. Reported: items per second, requests per item
(counted by the server), peak MB, and crawl/baseline ratios.

    python benchmarks/crawl.py                # 200 items
    python benchmarks/crawl.py --items 400
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # run as `python benchmarks/crawl.py` without installing
    sys.path.insert(0, str(REPO_ROOT))

SECTION = "/ru/foreign_policy/news/"


def child(command: list[str]) -> None:
    """Run one bitext command as this process's only child; print its seconds and peak memory as JSON."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env["PYTHONPATH"] = str(REPO_ROOT)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "align", "-q", *command], check=False, env=env, cwd=REPO_ROOT)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # Linux reports KiB
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))


def run_phase(command: list[str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--child", *command], check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def stored_items(data: Path) -> int:
    """Items in the folder's documents table."""
    from align import read_frame

    return int(read_frame(data, "documents")["doc_id"].n_unique())


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=200)
    args = parser.parse_args()

    from scrapers.testing import build_archive, serve

    archive = build_archive(args.items, per_day=15, faults=False)
    first, last = f"{archive.days[0]}", f"{archive.days[-1]}"
    fast = ["--site", "mid.ru", "--delay", "0", "--timeout", "10", "--retries", "1"]
    with tempfile.TemporaryDirectory(prefix="bitext-crawl-bench-") as tmp, serve(archive.routes) as site:
        root = Path(tmp)
        urls = [site.url(item.path()) for item in archive.items]
        crawl = ["crawl", site.url(SECTION), "--from", first, "--to", last, "--no-align", "-d", str(root / "crawl"), *fast]
        phases = {"fetch": ["fetch", *urls, "-d", str(root / "fetch"), *fast], "crawl": crawl, "resume": crawl}
        results = {}
        for name, command in phases.items():
            before = len(site.log)
            items_before = stored_items(root / "crawl") if name == "resume" else 0
            figures = run_phase(command)
            figures["requests"] = len(site.log) - before
            folder = root / ("crawl" if name == "resume" else name)
            figures["items"] = stored_items(folder) - items_before
            results[name] = figures
    print(f"archive: {len(archive.items)} items over {len(archive.days)} days, "
          f"{sum(len(i.langs) for i in archive.items)} versions, --delay 0")  # fmt: skip
    print(f"{'phase':8} {'items':>6} {'seconds':>8} {'items/s':>8} {'req/item':>9} {'peak MB':>8}")
    for name, r in results.items():
        per_item = r["requests"] / r["items"] if r["items"] else float("nan")
        rate = r["items"] / r["seconds"] if r["items"] else 0.0
        print(f"{name:8} {r['items']:6.0f} {r['seconds']:8.1f} {rate:8.2f} {per_item:9.2f} {r['peak_mb']:8.0f}")
    base, crawl = results["fetch"], results["crawl"]
    print(f"crawl/fetch: time {crawl['seconds'] / base['seconds']:.2f}x, requests {crawl['requests'] / base['requests']:.3f}x, "
          f"peak memory {crawl['peak_mb'] / base['peak_mb']:.2f}x; resume: {results['resume']['requests']:.0f} requests, "
          f"{results['resume']['seconds'] / crawl['seconds']:.3f}x the crawl's time")  # fmt: skip


if __name__ == "__main__":
    main()
