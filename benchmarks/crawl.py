"""Crawling a local archive: ``bitext crawl`` against ``bitext fetch`` of the same items, in one run.

A mid.ru-shaped archive of N items (``scrapers/testing/archive.py``: two to
five languages an item, a language-menu home page, robots rules as on mid.ru,
no faults) is served on 127.0.0.1 and fetched with ``--delay 0``:

* baseline: ``fetch_urls`` (what ``bitext fetch URL...`` runs) over the items' URLs;
* crawl: the crawl job over the archive's date range (date index pages, then
  the items, the frontier in ``DATA/crawl.sqlite``), alignment off so both
  do the same work;
* resume: the same crawl again (everything is stored: what resuming costs).

Each runs in a child process, so its peak resident memory is its own; every
phase has a fresh data folder and cache. Reported: items per second,
requests per item (counted by the server), peak MB, and crawl/baseline ratios.

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


def child(mode: str, base: str, data: Path, first: str, last: str, urls_file: Path) -> None:
    """Run one phase in this process and print its figures as JSON."""
    from datetime import date

    from scrapers.http.options import FetchOptions

    options = FetchOptions(delay=0, timeout=10, max_retries=1, backoff=0.1, cache_dir=data / "cache")
    started = time.perf_counter()
    if mode == "fetch":
        from align.cli.fetching import fetch_urls

        urls = urls_file.read_text(encoding="utf-8").split()
        stored, _ = fetch_urls(urls, data_dir=data, options=options, site="mid.ru", langs=None, quiet=True)
        items = len(stored)
    else:
        from align.cli.crawling import QuietReporter
        from align.jobs.crawling import CrawlRequest, run_crawl

        request = CrawlRequest((base + SECTION,), dates=(date.fromisoformat(first), date.fromisoformat(last)),
                               site="mid.ru", align=False)  # fmt: skip
        tally = run_crawl(data, request, options, QuietReporter())
        items = tally.stored
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    print(json.dumps({"items": items, "seconds": seconds, "peak_mb": peak_mb}))


def run_phase(mode: str, base: str, data: Path, first: str, last: str, urls_file: Path) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", mode, "--base", base, "--data", str(data),
               "--first", first, "--last", last, "--urls-file", str(urls_file)]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--child", choices=("fetch", "crawl"))
    parser.add_argument("--base")
    parser.add_argument("--data", type=Path)
    parser.add_argument("--first")
    parser.add_argument("--last")
    parser.add_argument("--urls-file", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.base, args.data, args.first, args.last, args.urls_file)
        return

    from scrapers.testing.archive import build_archive
    from scrapers.testing.localsite import serve

    archive = build_archive(args.items, per_day=15, faults=False)
    first, last = f"{archive.days[0]}", f"{archive.days[-1]}"
    with tempfile.TemporaryDirectory(prefix="bitext-crawl-bench-") as tmp, serve(archive.routes) as site:
        root = Path(tmp)
        urls_file = root / "urls.txt"
        urls_file.write_text("\n".join(site.url(item.path()) for item in archive.items), encoding="utf-8")
        results = {}
        for name, mode, data in (("fetch", "fetch", root / "fetch"), ("crawl", "crawl", root / "crawl"),
                                 ("resume", "crawl", root / "crawl")):  # fmt: skip
            before = len(site.log)
            figures = run_phase(mode, site.base_url, data, first, last, urls_file)
            figures["requests"] = len(site.log) - before
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
