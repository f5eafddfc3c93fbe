"""``bitext crawl`` against a mid.ru-shaped archive served on 127.0.0.1 (scrapers/testing/archive.py)."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from align.cli import main
from align.cli.crawling import PlainReporter, TerminalReporter
from align.jobs.crawling import CrawlRequest, describe_duration, run_crawl
from align.store.tables import read_frame
from scrapers.crawl.frontier import open_frontier
from scrapers.http.cache import CachedResponse, ResponseCache
from scrapers.http.options import FetchOptions
from scrapers.http.robots import parse_robots
from scrapers.testing.archive import ROBOTS_TXT, Archive, ArchiveItem, build_archive, old_page
from scrapers.testing.localsite import LocalSite, Route, serve

ROOT = Path(__file__).resolve().parents[2]
FAST = ["--site", "mid.ru", "--delay", "0", "--timeout", "5", "--retries", "2"]
SECTION = "/ru/foreign_policy/news/"


@pytest.fixture()
def archive() -> Archive:
    return build_archive(10, per_day=4, busy_day_extra=3, faults=False, page_size=5)


@pytest.fixture()
def site(archive: Archive) -> Iterator[LocalSite]:
    with serve(archive.routes) as running:
        yield running


def bitext(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stderr


def fast_options(data: Path) -> FetchOptions:
    return FetchOptions(delay=0, timeout=5, max_retries=2, backoff=0.01, cache_dir=data / "cache")


def in_range(archive: Archive, first: date, last: date) -> list[ArchiveItem]:
    return [item for item in archive.items if first <= item.day <= last]


def assert_stored_exactly(data: Path, items: list[ArchiveItem]) -> None:
    """Every item with exactly its languages, titles and paragraphs as served, and units for each."""
    documents = read_frame(data, "documents")
    assert sorted(set(documents["doc_id"])) == sorted(item.doc_id for item in items)
    for item in items:
        rows = documents.filter(pl.col("doc_id") == item.doc_id).sort("lang")
        assert tuple(rows["lang"]) == item.langs, item
        for row in rows.iter_rows(named=True):
            assert row["title"] == item.titles[row["lang"]]
            assert tuple(row["paragraphs"]) == item.paragraphs[row["lang"]]
            assert row["doc_number"] == item.doc_number
    units = read_frame(data, "units")
    assert set(units["doc_id"]) == {item.doc_id for item in items}


def forbidden_hits(site: LocalSite) -> list[str]:
    """Requests the archive's robots.txt forbids (``/*?PAGEN``, ``/*asset_publisher``)."""
    rules = parse_robots(ROBOTS_TXT, "bitext")
    return [hit.path for hit in site.log if not rules.allows(hit.path)]


def test_a_date_range_is_crawled_with_each_item_s_own_languages(archive: Archive, site: LocalSite, tmp_path: Path) -> None:
    first, last = archive.days[0], archive.days[1]
    code, err = bitext("crawl", site.url(SECTION), "--from", f"{first}", "--to", f"{last}", "-d", str(tmp_path), *FAST)
    assert code == 0, err
    wanted = in_range(archive, first, last)
    assert_stored_exactly(tmp_path, wanted)
    # the busy first day lists 5 of its 7 items; the rest are on ?activeFrom=...&PAGEN_1=2, which /*?PAGEN allows
    assert site.count(archive.index_path(first, page=2)) == 1
    assert forbidden_hits(site) == []
    # a version that falls back to Russian is absent with its reason, not stored as French
    fallback = next(item for item in wanted if item.fallback_langs)
    assert f"{fallback.doc_id}: stored en,ru (absent de:" in err
    assert "fr: language check: detected ru" in err
    # the language menu's home pages were read and never kept
    assert site.count("/de/") >= 1
    assert "Ministerium" not in " ".join(read_frame(tmp_path, "documents")["title"])
    assert f"{len(wanted)} item(s) stored, 0 unchanged, {len(wanted)} aligned; 0 failed" in err


def test_an_index_page_robots_forbids_is_not_read_and_says_so(tmp_path: Path) -> None:
    archive = build_archive(4, per_day=4, busy_day_extra=3, faults=False, page_size=5, paging_forbidden=True)
    with serve(archive.routes) as site:
        day = f"{archive.days[0]}"
        code, err = bitext("crawl", site.url(SECTION), "--from", day, "--to", day, "--no-align", "--langs", "ru,en",
                           "-d", str(tmp_path), *FAST)  # fmt: skip
    assert code == 0, err
    assert f"not read: {site.url(archive.index_path(archive.days[0], page=2, paging_forbidden=True))}: " in err
    assert "robots.txt forbids it (Disallow: /*?PAGEN)" in err
    assert forbidden_hits(site) == []
    assert len(set(read_frame(tmp_path, "documents")["doc_id"])) == 5


def test_running_again_requests_nothing(archive: Archive, site: LocalSite, tmp_path: Path) -> None:
    args = ["crawl", site.url(SECTION), "--from", f"{archive.days[1]}", "--to", f"{archive.days[2]}",
            "-d", str(tmp_path), *FAST]  # fmt: skip
    assert bitext(*args)[0] == 0
    before = len(site.log)
    code, err = bitext(*args)
    assert code == 0, err
    assert len(site.log) == before
    assert "0 item(s) stored" in err and "0 to fetch" in err
    code, err = bitext("crawl", "--status", "-d", str(tmp_path))
    items = len(in_range(archive, archive.days[1], archive.days[2]))
    assert code == 0 and f"items: {items} known: 0 queued, 0 fetched, {items} stored" in CliRunner().invoke(
        main, ["crawl", "--status", "-d", str(tmp_path)]
    ).stdout


def test_faults_are_retried_and_every_item_still_stored(tmp_path: Path) -> None:
    archive = build_archive(12, per_day=6, faults=True)
    busy = Route(status=503, headers={"Retry-After": "0"})
    index = archive.index_path(archive.days[0])
    archive.routes[index] = (busy, busy, busy, archive.routes[index])  # type: ignore[assignment]
    # a version failing all the client's attempts is stored later: the item is stored without it, then again
    late, twin = archive.items[1].path("es"), f"/es/foreign_policy/news/{archive.items[1].item_id}/"
    archive.routes[late] = (busy, busy, busy, archive.routes[late])  # type: ignore[assignment]
    archive.routes[twin] = (busy, busy, busy, archive.routes[twin])  # type: ignore[assignment]
    with serve(archive.routes) as site:
        log = io.StringIO()
        request = CrawlRequest((site.url(SECTION),), dates=(archive.days[0], archive.days[-1]), site="mid.ru",
                               retry_wait=0.05)  # fmt: skip
        tally = run_crawl(tmp_path, request, fast_options(tmp_path), PlainReporter(log))
    # the index page failed all three attempts of the client, then once more after a wait
    assert site.count(index) == 4
    assert f"not read yet: cannot fetch {site.url(index)}: HTTP 503" in log.getvalue()
    assert f"{archive.items[1].doc_id}: tried again later for {site.url(late)}, {site.url(twin)}" in log.getvalue()
    assert site.count(late) == 4
    assert (tally.stored, tally.failed, tally.aligned) == (12, 0, 12)
    assert_stored_exactly(tmp_path, list(archive.items))
    # the faulty pages answered a 503, the anti-bot page or a truncated body first
    assert site.count(archive.items[3].path("en")) == 2
    assert site.count(archive.items[6].path()) == 2


def test_rss_and_sitemap_are_sources(archive: Archive, site: LocalSite, tmp_path: Path) -> None:
    code, err = bitext("crawl", site.url("/en/rss.php"), "--langs", "en,ru", "--limit", "3", "-d", str(tmp_path / "rss"), *FAST)
    assert code == 0, err
    english = [item for item in archive.items if "en" in item.langs]
    assert f"{len(english)} item(s) known, 3 to fetch" in err
    assert sorted(set(read_frame(tmp_path / "rss", "documents")["lang"])) == ["en", "ru"]
    code, err = bitext("crawl", site.url("/sitemap.xml"), "--from", f"{archive.days[-1]}", "--no-align",
                       "-d", str(tmp_path / "map"), *FAST)  # fmt: skip
    assert code == 0, err
    assert_stored_documents = read_frame(tmp_path / "map", "documents")
    last_day = [item.doc_id for item in archive.items if item.day == archive.days[-1]]
    assert sorted(set(assert_stored_documents["doc_id"])) == sorted(last_day)
    assert not (tmp_path / "map" / "units").exists()


def test_urls_from_stdin_and_bad_input(archive: Archive, site: LocalSite, tmp_path: Path) -> None:
    listing = "\n".join(["# two items", site.url(archive.items[0].path()), "", site.url(archive.items[1].path())])
    result = CliRunner().invoke(main, ["crawl", "--urls", "-", "--no-align", "-d", str(tmp_path), *FAST], input=listing)
    assert result.exit_code == 0, result.stderr
    assert len(set(read_frame(tmp_path, "documents")["doc_id"])) == 2
    code, err = bitext("crawl", "--urls", str(tmp_path / "missing.txt"), "-d", str(tmp_path))
    assert code == 1 and err.startswith("bitext: error: cannot read the URL list") and err.count("\n") == 1
    code, err = bitext("crawl", "--status", "-d", str(tmp_path / "nothing"))
    assert code == 1 and "no crawl in" in err and err.count("\n") == 1
    code, err = bitext("crawl", site.url(SECTION), "--from", "2024-03-05", "--to", "2024-03-01", "-d", str(tmp_path))
    assert code == 2 and "is before --from" in err
    code, err = bitext("crawl", site.url(SECTION), "--refresh", "soon", "-d", str(tmp_path))
    assert code == 2 and "not an age" in err
    code, err = bitext("crawl", site.url(SECTION), "--langs", "ru,xx", "-d", str(tmp_path))
    assert code == 2 and "unsupported `xx`" in err and err.count("\n") == 1


def test_a_frontier_in_use_or_damaged_is_one_line_and_loses_nothing(archive: Archive, site: LocalSite, tmp_path: Path) -> None:
    url = site.url(archive.items[0].path())
    assert bitext("crawl", url, "--no-align", "-d", str(tmp_path), *FAST)[0] == 0
    with open_frontier(tmp_path, exclusive=True):
        code, err = bitext("crawl", url, "-d", str(tmp_path), *FAST)
    assert code == 1 and err.startswith("bitext: error: another crawl is running in") and err.count("\n") == 1
    (tmp_path / "crawl.sqlite").write_bytes(b"not a database, 100 bytes of it" * 4)
    for name in ("crawl.sqlite-wal", "crawl.sqlite-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    code, err = bitext("crawl", url, "-d", str(tmp_path), *FAST)
    assert code == 1 and "cannot be used as the crawl's frontier" in err and err.count("\n") == 1
    assert len(read_frame(tmp_path, "documents")) == len(archive.items[0].langs)


def test_refresh_re_extracts_a_changed_page_only(archive: Archive, site: LocalSite, tmp_path: Path) -> None:
    urls = [site.url(item.path()) for item in archive.items[:2]]
    assert bitext("crawl", *urls, "-d", str(tmp_path), *FAST)[0] == 0
    changed = archive.items[0]
    edited = Route.html(_with_paragraph(archive, changed, "en", "A sentence added since the first crawl."))
    site.set_route(changed.path("en"), edited)
    before = len(site.log)
    code, err = bitext("crawl", *urls, "--refresh", "0s", "-d", str(tmp_path), *FAST)
    assert code == 0, err
    refreshed = Counter(hit.path for hit in site.log[before:])
    assert refreshed[changed.path("en")] == 1 and max(refreshed.values()) == 1  # each page once, none twice
    assert f"{changed.doc_id}: stored" in err and "(changed since the last crawl)" in err
    assert f"{archive.items[1].doc_id}: unchanged" in err
    english = read_frame(tmp_path, "documents").filter((pl.col("doc_id") == changed.doc_id) & (pl.col("lang") == "en"))
    assert english["paragraphs"][0][-1] == "A sentence added since the first crawl."
    sentences = read_frame(tmp_path, "sentences").filter((pl.col("doc_id") == changed.doc_id) & (pl.col("lang") == "en"))
    assert sentences["text"][-1] == "A sentence added since the first crawl."


def _with_paragraph(archive: Archive, item: ArchiveItem, lang: str, extra: str) -> str:
    route = archive.routes[item.path(lang)]
    assert isinstance(route, Route)
    return route.body.decode().replace("</p></div></main>", f"</p><p>{extra}</p></div></main>", 1)


def test_a_robots_forbidden_old_layout_url_leads_to_its_twin(archive: Archive, site: LocalSite, tmp_path: Path) -> None:
    item = archive.items[4]
    old_url = site.url(item.old_path("en"))
    # the old page was cached before robots.txt forbade it
    body = old_page(item, "en").encode()
    ResponseCache(tmp_path / "cache").store(
        CachedResponse(old_url, old_url, 200, "text/html; charset=utf-8", item_time(item), body)
    )
    code, err = bitext("crawl", old_url, "-d", str(tmp_path), *FAST)
    assert code == 0, err
    assert "is forbidden by robots.txt (Disallow: /*asset_publisher)" in err
    assert f"its new-layout twin is {site.url(f'/en/foreign_policy/news/{item.item_id}/')}" in err
    assert f"same document number {item.doc_number}" in err
    assert forbidden_hits(site) == []
    assert set(read_frame(tmp_path, "documents")["doc_id"]) == {item.doc_id}
    # without the cache, the date alone cannot tell the day's items apart: one line says what to give
    code, err = bitext("crawl", site.url(archive.items[5].old_path("en")), "-d", str(tmp_path / "bare"), *FAST)
    assert "give it with --date YYYY-MM-DD" in err
    # an old-layout link in a feed: the feed's date and title find the twin
    listed = archive.items[6]
    feed = (f"<rss><channel><item><title>{listed.titles['en']}</title><link>{site.url(listed.old_path('en'))}</link>"
            f"<pubDate>{listed.day:%a, %d %b %Y} 10:00:00 +0300</pubDate></item></channel></rss>")  # fmt: skip
    site.set_route("/en/old.rss", Route(body=feed.encode(), content_type="application/rss+xml"))
    code, err = bitext("crawl", site.url("/en/old.rss"), "--no-align", "-d", str(tmp_path / "feed"), *FAST)
    assert code == 0, err
    assert f"its new-layout twin is {site.url(f'/en/foreign_policy/news/{listed.item_id}/')} (same date and title)" in err
    assert set(read_frame(tmp_path / "feed", "documents")["doc_id"]) == {listed.doc_id}
    assert forbidden_hits(site) == []


def item_time(item: ArchiveItem) -> object:
    from datetime import UTC, datetime

    return datetime(item.day.year, item.day.month, item.day.day, tzinfo=UTC)


def _frontier_stored(data: Path) -> int:
    path = data / "crawl.sqlite"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(path, timeout=5) as db:
            return int(db.execute("SELECT COUNT(*) FROM items WHERE state = 'stored'").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _start_crawl(site: LocalSite, archive: Archive, data: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        env.pop(name, None)
    args = [sys.executable, "-m", "align", "crawl", site.url(SECTION), "--from", f"{archive.days[0]}",
            "--to", f"{archive.days[-1]}", "--no-align", "-d", str(data), *FAST]  # fmt: skip
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_for_stored(process: subprocess.Popen[bytes], data: Path, count: int) -> None:
    deadline = time.monotonic() + 120
    while _frontier_stored(data) < count:
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_kill_9_loses_at_most_the_request_in_flight(tmp_path: Path) -> None:
    archive = build_archive(12, per_day=6, faults=False)
    with serve(archive.routes) as site:
        process = _start_crawl(site, archive, tmp_path)
        _wait_for_stored(process, tmp_path, 5)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)  # reaps it and closes its pipe
        first_run = Counter(hit.path for hit in site.log)
        code, err = bitext("crawl", site.url(SECTION), "--from", f"{archive.days[0]}", "--to", f"{archive.days[-1]}",
                           "-d", str(tmp_path), *FAST)  # fmt: skip
        assert code == 0, err
        both = Counter(hit.path for hit in site.log)
    assert_stored_exactly(tmp_path, list(archive.items))
    again = {path: n for path, n in both.items() if n > 1 and path != "/robots.txt"}
    assert len(again) <= 1, again  # the one request in flight when the crawl was killed
    assert sum(first_run.values()) > 10 and both["/robots.txt"] == 2


def test_ctrl_c_stops_after_the_current_request_with_a_summary(tmp_path: Path) -> None:
    archive = build_archive(12, per_day=6, faults=False)
    with serve(archive.routes) as site:
        process = _start_crawl(site, archive, tmp_path)
        _wait_for_stored(process, tmp_path, 2)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        stopped = _frontier_stored(tmp_path)
    text = err.decode()
    assert process.returncode == 130, text
    assert "stopping after the current request" in text
    assert "crawl stopped:" in text and "Traceback" not in text
    assert 2 <= stopped < 12
    assert len(set(read_frame(tmp_path, "documents")["doc_id"])) == stopped


def test_on_a_terminal_a_progress_bar_counts_items_and_failures() -> None:
    from rich.console import Console
    from rich.progress import MofNCompleteColumn, Progress, TextColumn

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, color_system=None, width=120)
    columns = (MofNCompleteColumn(), TextColumn("{task.fields[failures]} failed"), TextColumn("{task.fields[current]}"))
    with Progress(*columns, console=console) as progress:
        reporter = TerminalReporter(progress)
        reporter.planned(2, 3, "2 item(s) in up to 5 languages: about 10 requests")
        reporter.requesting("mid.ru:1: fetching http://x/[1]")
        reporter.item_done("mid.ru:1: stored en,ru", ok=True)
        reporter.item_done("mid.ru:2: failed: HTTP 500", ok=False)
        task = progress.tasks[0]
        assert (task.completed, task.total, task.fields["failures"]) == (2, 2, 1)
    text = out.getvalue()
    assert "3 item(s) known, 2 to fetch" in text and "mid.ru:2: failed: HTTP 500" in text


def test_the_estimate_speaks_in_hours() -> None:
    assert describe_duration(1000 * 5 * 10) == "14 hours"
    assert describe_duration(95) == "2 minutes"
