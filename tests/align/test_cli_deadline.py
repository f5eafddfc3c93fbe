"""`bitext fetch` against servers that never finish: it stops at --deadline, says so in one line, and stores nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from scrapers.testing.localsite import Route, serve

ITEM = "/ru/foreign_policy/news/1527258/?lang=en"
ROOT = Path(__file__).resolve().parents[2]


def run_bitext(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "align", *args], capture_output=True, text=True, timeout=timeout, env=env, check=False
    )


def test_a_server_dripping_a_byte_every_two_seconds_cannot_hang_fetch(tmp_path: Path) -> None:
    drip = Route.html("<html><body><h1>Never whole</h1></body></html>", trickle=2.0)
    with serve({"/robots.txt": Route(status=404), ITEM: drip}) as site:
        started = time.monotonic()
        # the 5 s read timeout never trips (a byte comes every 2 s); only the 3 s total deadline can end it
        done = run_bitext(
            "fetch", site.url(ITEM), "--site", "mid.ru", "--delay", "0", "--timeout", "5", "--deadline", "3",
            "--retries", "0", "-d", str(tmp_path), timeout=60,
        )  # fmt: skip
        elapsed = time.monotonic() - started
    assert done.returncode == 1, done.stderr
    assert done.stderr == (
        f"bitext: error: cannot fetch {site.url(ITEM)}: no complete response within 3 s (the server sends too "
        "slowly). Hint: the server is overloaded or stalling; try again later or raise --deadline. "
        "Gave up after 1 attempt.\n"
    )
    assert elapsed < 20  # the request itself took ~3 s; the rest is the interpreter starting
    assert not (tmp_path / "documents").exists()


def test_a_robots_forbidden_url_is_one_line_naming_the_rule_and_the_opt_out(tmp_path: Path) -> None:
    old = "/en/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/2490975"
    robots = Route.html("User-agent: *\nDisallow: /*?PAGEN\nDisallow: /*asset_publisher\n")
    with serve({"/robots.txt": robots, old: Route.html("<h1>x</h1>")}) as site:
        done = run_bitext("fetch", site.url(old), "--site", "mid.ru", "--delay", "0", "-d", str(tmp_path), timeout=60)
        hits = site.hits
    assert done.returncode == 1
    assert done.stderr == (
        f"bitext: error: cannot fetch {site.url(old)}: {site.base_url}/robots.txt disallows it for our user agent "
        "(rule `Disallow: /*asset_publisher`). Hint: pass --ignore-robots if you have the right to fetch it anyway.\n"
    )
    assert hits == ["/robots.txt"]
