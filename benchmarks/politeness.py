"""What polite fetching costs: the client's own overhead, and the schedule it keeps on a slow site.

1. Overhead. ``scrapers.HttpClient`` (robots.txt checked, the shared per-host
   throttle, a total-deadline watchdog per request, one connection per request)
   GETs N pages of a local server at ``delay=0``; the baseline in the same run
   is a bare ``httpx.Client`` doing the same GETs with the same one-connection-
   per-request limits, and a second one with keep-alive. Figures are requests
   per second and the client's time as a ratio of each baseline's.
2. Schedule. The bundled sample item (five languages, both mid.ru layouts) is
   fetched with mid.ru's 10 s delay and with faults (one 503 with Retry-After,
   one connection reset), on a manual clock: the real requests go to 127.0.0.1,
   the waits are added up instead of slept. Figures are requests per item and
   the waited time per item, against the delay-only lower bound
   (requests x delay) of the same run.

    python benchmarks/politeness.py
    python benchmarks/politeness.py --requests 500
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # run as `python benchmarks/politeness.py` from anywhere
    sys.path.insert(0, str(REPO_ROOT))

import httpx

from scrapers import FetchOptions, HttpClient, fetch_item
from scrapers.http.clock import ManualClock  # the manual clock is a testing tool, not public API
from scrapers.testing import Route, load_manifest, serve

SAMPLE = REPO_ROOT / "scrapers" / "testing" / "sample_site"
# the sample item's pages (scrapers/testing/sample_site/site.json)
OLD_START = "/en/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/2490975"
NEW_START, NEW_DE, NEW_FR = (f"/ru/foreign_policy/news/1527258/?lang={lang}" for lang in ("en", "de", "fr"))
PAGE = Route.html("<html><body><h1>Talks</h1><p>" + "The Minister held talks. " * 200 + "</p></body></html>")


def overhead(n: int, rounds: int) -> None:
    with serve({"/robots.txt": Route.html("User-agent: *\nDisallow: /private\n"), "/a": PAGE}) as site:
        url = site.url("/a")
        clients = {
            "httpx, a connection per request": lambda: httpx.Client(limits=httpx.Limits(max_keepalive_connections=0)),
            "httpx, keep-alive": lambda: httpx.Client(),
            "scrapers.HttpClient": lambda: HttpClient(FetchOptions(delay=0.0, max_retries=0)),
        }
        timings = dict.fromkeys(clients, float("inf"))
        for _ in range(rounds):  # the best of several interleaved rounds, each after a warm-up
            for name, make in clients.items():
                with make() as client:
                    for _ in range(10):
                        client.get(url)
                    started = time.perf_counter()
                    for _ in range(n):
                        client.get(url)
                    timings[name] = min(timings[name], time.perf_counter() - started)
    ours = timings["scrapers.HttpClient"]
    print(f"## overhead: {n} GETs of a {len(PAGE.body):,}-byte page on 127.0.0.1, delay 0, best of {rounds} rounds")
    print(f"{'client':34} {'req/s':>8} {'our time / its time':>20}")
    for name, seconds in timings.items():
        print(f"{name:34} {n / seconds:8.0f} {ours / seconds:19.2f}x")


def schedule() -> None:
    routes = dict(load_manifest(SAMPLE).routes)
    # faults on the new layout: the de page answers 503 once (Retry-After 30), the fr page resets once
    routes[NEW_DE] = (Route(status=503, headers={"Retry-After": "30"}), routes[NEW_DE])
    routes[NEW_FR] = (Route(reset=True), routes[NEW_FR])
    print("\n## schedule: the sample item in 5 languages, both layouts, mid.ru's 10 s delay, on a manual clock")
    print(f"{'item':24} {'requests':>8} {'waited s':>9} {'delay-only s':>13} {'ratio':>6}")
    with serve(routes) as site:
        for start in (OLD_START, NEW_START):
            clock = ManualClock()
            options = FetchOptions(max_retries=3, backoff=2.0)
            with HttpClient(options, clock=clock, host_delays={"127.0.0.1": 10.0}) as client:
                result = fetch_item(site.url(start), options=options, site="mid.ru", client=client)
            waited = sum(clock.slept)
            bound = (client.requests_made - 1) * 10.0  # the first request waits for nothing
            print(f"{result.doc_id:24} {client.requests_made:8d} {waited:9.0f} {bound:13.0f} {waited / bound:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300, help="GETs per client in the overhead run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the best of each client counts")
    args = parser.parse_args()
    overhead(args.requests, args.rounds)
    schedule()


if __name__ == "__main__":
    main()
