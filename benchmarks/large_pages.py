"""Time and peak memory to fetch and extract a large page, against a baseline in the same run.

A page of the bundled sample site is grown to 1.5, 5 and 15 MB by repeating
its body paragraphs, served on 127.0.0.1 by this process, and fetched and
extracted by ``scrapers.fetch_item`` in a fresh child process. The baseline
child imports the same modules and reads a page of the same size, but
fetches nothing. Time per MB and memory beyond the baseline per MB show whether
both grow in proportion to the page; the issue's bound is 200 MB peak for 15 MB.

    python benchmarks/large_pages.py
    python benchmarks/large_pages.py --sizes 2,20
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # run as `python benchmarks/large_pages.py` from anywhere
    sys.path.insert(0, str(REPO_ROOT))

from scrapers import FetchOptions, fetch_item
from scrapers.testing import Route, load_manifest, serve

PATH = "/en/news/1"


def make_page(megabytes: float) -> bytes:
    """The sample en page (new layout) with its paragraphs repeated up to ``megabytes``."""
    sample = REPO_ROOT / "scrapers" / "testing" / "sample_site"
    routes = load_manifest(sample).routes
    body = next(route.body for path, route in routes.items() if path.startswith("/ru/") and "lang=en" in path)
    start, end = body.index(b"<p"), body.rindex(b"</p>") + 4
    chunk = body[start:end]
    return body[:start] + chunk * (int(megabytes * 1e6 / len(chunk)) + 1) + body[end:]


def child(mode: str, page_file: str, url: str) -> None:
    report: dict[str, float] = {"mb": Path(page_file).stat().st_size / 1e6}
    if mode == "baseline":  # the same modules loaded, the page in memory once (as the fetch holds it)
        page = Path(page_file).read_bytes()
        report["held"] = len(page) + len(page.decode("utf-8", "replace"))
    if mode == "fetch":
        started = time.perf_counter()
        result = fetch_item(url, options=FetchOptions(delay=0, max_retries=0, respect_robots=False), langs=["en"])
        report["seconds"] = time.perf_counter() - started
        report["paragraphs"] = sum(len(d.paragraphs) for d in result.documents)
    report["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps(report))


def measure(mode: str, page_file: Path, url: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, str(Path(__file__)), "--child", mode, str(page_file), url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1.5,5,15", help="Page sizes in MB (default 1.5,5,15).")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "PAGE", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    print(f"{'page MB':>8} {'seconds':>8} {'s/MB':>6} {'peak MB':>8} {'baseline':>9} {'extra MB':>9} {'extra/page':>10}")
    worst = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for size in (float(s) for s in args.sizes.split(",")):
            page = make_page(size)
            page_file = Path(folder) / "page.html"
            page_file.write_bytes(page)
            with serve({PATH: Route(body=page)}) as site:
                url = site.url(PATH)
                base = measure("baseline", page_file, url)
                run = measure("fetch", page_file, url)
            extra = run["peak_mb"] - base["peak_mb"]
            worst = max(worst, run["peak_mb"]) if size >= 15 else worst
            print(f"{run['mb']:8.1f} {run['seconds']:8.1f} {run['seconds'] / run['mb']:6.2f} {run['peak_mb']:8.0f} "
                  f"{base['peak_mb']:9.0f} {extra:9.0f} {extra / run['mb']:10.1f}")  # fmt: skip
    if worst:
        print(f"15 MB page: peak {worst:.0f} MB, {'within' if worst < 200 else 'ABOVE'} the 200 MB bound")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
