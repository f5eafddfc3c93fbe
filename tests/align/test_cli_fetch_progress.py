"""`bitext fetch` says how long it will take when requests are slow, and shows each request as it goes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from align.cli import main
from align.cli.fetch_progress import plan_line, request_delay
from scrapers.http.options import FetchOptions
from scrapers.testing.localsite import LocalSite, load_manifest, serve
from scrapers.testing.sample_site import NEW_PATHS, SAMPLE_DIR

OLD_MID = "https://www.mid.ru/en/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/2490975"


@pytest.fixture()
def site() -> Iterator[LocalSite]:
    with serve(load_manifest(SAMPLE_DIR)) as running:
        yield running


@pytest.mark.parametrize(
    ("url", "site", "delay"),
    [
        (OLD_MID, None, 10.0),
        ("http://en.kremlin.ru/events/president/news/52345", None, 15.0),
        ("http://127.0.0.1:8000/ru/foreign_policy/news/1527258/?lang=en", "mid.ru", 10.0),  # a named site's mirror
        ("https://example.org/en/news/1", None, 1.0),
    ],
)
def test_the_delay_a_fetch_will_get(url: str, site: str | None, delay: float) -> None:
    assert request_delay([url], FetchOptions(), site) == delay
    assert request_delay([url], FetchOptions(delay=0.0), site) == 0.0


def test_the_plan_counts_requests_at_the_delay() -> None:
    assert plan_line(1, 5, 10.0) == "fetching 1 item, 10 s between requests: about 1 min an item in 5 languages"
    assert plan_line(1000, 5, 10.0) == (
        "fetching 1000 items, 10 s between requests: about 1 min an item in 5 languages, about 17 h in all"
    )
    assert plan_line(2, 2, 3.0) == "fetching 2 items, 3 s between requests: about 9 s an item in 2 languages, about 18 s in all"
    assert plan_line(5, 5, 0.5) is None  # quick: nothing to plan


def test_slow_fetch_prints_the_plan_then_a_line_per_request(site: LocalSite, tmp_path) -> None:
    url = site.url(NEW_PATHS["en"])
    args = ["fetch", url, "--site", "mid.ru", "--delay", "2", "--langs", "en", "--retries", "0", "-d", str(tmp_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[:2] == [
        "fetching 1 item, 2 s between requests: about 4 s an item in 1 language",
        f"mid.ru:1527258: fetching {url}",
    ]
    assert lines[2].startswith("mid.ru:1527258: 1 version(s) fetched")


def test_quiet_fetch_says_nothing_but_errors(site: LocalSite, tmp_path) -> None:
    url = site.url(NEW_PATHS["en"])
    args = ["-q", "fetch", url, "--site", "mid.ru", "--delay", "2", "--langs", "en", "-d", str(tmp_path)]
    result = CliRunner().invoke(main, args)
    assert (result.exit_code, result.stderr) == (0, "")
