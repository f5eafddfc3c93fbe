"""Subcommand crawl: an archive's date range, feed, sitemap or listing into the store, resumably."""

from __future__ import annotations

import re
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Final, TextIO

import click
from rich.markup import escape

from align.cli.fetching import LANGS_HELP, _options, fetch_options
from align.cli.main import main
from align.cli.options import data_option, langs_option
from align.cli.preflight import check_data_dir
from align.errors import InputError
from scrapers.langtags import SUPPORTED_LANGS

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from align.jobs.crawling import CrawlTally
    from scrapers.http.options import FetchOptions

# "7d" -> 7 days, "12h", "30m", "90s", "3600" (seconds)
AGE: Final = re.compile(r"^(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>[smhdw]?)$")
AGE_UNITS: Final = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
DATE_FORMATS: Final = ["%Y-%m-%d", "%d.%m.%Y"]


def parse_age(value: str | None) -> float | None:
    """``--refresh 7d`` -> 604800.0 seconds."""
    if value is None:
        return None
    match = AGE.match(value.strip().lower())
    if match is None:
        raise click.BadParameter(f"`{value}` is not an age: give e.g. 7d, 12h, 30m or a number of seconds")
    return float(match["number"]) * AGE_UNITS[match["unit"]]


def read_url_list(source: str) -> list[str]:
    """``--urls FILE`` (``-``: stdin): one URL a line; blank lines and ``#`` comments skipped."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise InputError(f"cannot read the URL list {source}: {reason}; give a text file of one URL a line") from err
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


class PlainReporter:
    """One log line per item and per note on stderr: for pipes, files and cron."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream
        self.todo = 0
        self.done = 0

    def _echo(self, line: str) -> None:
        click.echo(line, err=True, file=self.stream)

    def planned(self, todo: int, found: int, estimate: str) -> None:
        self.todo = todo
        self._echo(f"crawl: {found} item(s) known, {todo} to fetch; {estimate}")

    def requesting(self, line: str) -> None:
        """Requests are not logged one by one when not on a terminal (-v logs them)."""

    def item_done(self, line: str, *, ok: bool) -> None:
        self.done += 1
        self._echo(f"[{self.done}/{self.todo}] {line}")

    def note(self, line: str) -> None:
        self._echo(f"crawl: {line}")


class QuietReporter:
    def planned(self, todo: int, found: int, estimate: str) -> None:
        pass

    def requesting(self, line: str) -> None:
        pass

    def item_done(self, line: str, *, ok: bool) -> None:
        pass

    def note(self, line: str) -> None:
        pass


class TerminalReporter:
    """A rich progress bar (items done of those to fetch, failures, ETA) and the current request."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID = progress.add_task("crawl", total=None, failures=0, current="starting")
        self.failures = 0

    def planned(self, todo: int, found: int, estimate: str) -> None:
        self.progress.console.print(f"crawl: {found} item(s) known, {todo} to fetch; {escape(estimate)}", highlight=False)
        self.progress.update(self.task, total=todo)

    def requesting(self, line: str) -> None:
        self.progress.update(self.task, current=escape(line))

    def item_done(self, line: str, *, ok: bool) -> None:
        self.failures += not ok
        self.progress.console.print(escape(line), style=None if ok else "yellow", highlight=False)
        self.progress.update(self.task, advance=1, failures=self.failures)

    def note(self, line: str) -> None:
        self.progress.console.print(f"crawl: {escape(line)}", highlight=False)


@contextmanager
def _reporter(quiet: bool) -> Iterator[PlainReporter | QuietReporter | TerminalReporter]:
    if quiet:
        yield QuietReporter()
        return
    if not sys.stderr.isatty():  # not console.is_terminal: FORCE_COLOR makes rich animate into pipes
        yield PlainReporter()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.table import Column

    # the current request takes the width left over, cut short: the counts never are
    current = Column(ratio=1, no_wrap=True, overflow="ellipsis")
    columns = (
        TextColumn("items"), MofNCompleteColumn(), BarColumn(bar_width=20), TextColumn("{task.fields[failures]} failed"),
        TextColumn("ETA"), TimeRemainingColumn(), TextColumn("{task.fields[current]}", table_column=current),
    )  # fmt: skip
    with Progress(*columns, console=Console(stderr=True), transient=True, expand=True) as progress:
        yield TerminalReporter(progress)


@contextmanager
def _stop_on_interrupt() -> Iterator[threading.Event]:
    """The first Ctrl-C asks the crawl to stop after its current request; a second one stops at once."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def ask_to_stop(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        click.echo("bitext: stopping after the current request (Ctrl-C again stops at once)", err=True)

    previous = signal.signal(signal.SIGINT, ask_to_stop)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def print_status(data_dir: Path) -> None:
    """``bitext crawl --status``: the frontier's counts."""
    from scrapers.crawl.frontier import FILE_NAME, ITEM_STATES, URL_STATES, open_frontier

    try:
        with open_frontier(data_dir, create=False) as frontier:
            counts = frontier.counts()
    except FileNotFoundError:
        raise InputError(
            f"no crawl in {data_dir} ({data_dir / FILE_NAME} is missing): start one with `bitext crawl URL -d {data_dir}`"
        ) from None
    items, urls, versions = counts["items"], counts["urls"], counts["versions"]
    click.echo(f"items: {sum(items.values())} known: " + ", ".join(f"{items.get(s, 0)} {s}" for s in ITEM_STATES)
               + f"; {counts['aligned']['yes']} aligned")  # fmt: skip
    click.echo(f"versions: {versions.get('stored', 0)} stored, {versions.get('absent', 0)} absent")
    click.echo(f"urls: {sum(urls.values())} known: " + ", ".join(f"{urls.get(s, 0)} {s}" for s in URL_STATES))


def _date_range(start: datetime | None, end: datetime | None) -> tuple[date, date] | None:
    if start is None and end is None:
        return None
    if start is None:
        raise click.BadParameter("--to needs --from as well", param_hint="--to")
    first = start.date()
    last = end.date() if end is not None else date.today()
    if last < first:
        raise click.BadParameter(f"{last:%Y-%m-%d} is before --from {first:%Y-%m-%d}", param_hint="--to")
    return first, last


@main.command("crawl")
@click.argument("urls", nargs=-1, metavar="URL...")
@data_option
@langs_option(LANGS_HELP)
@click.option("--from", "date_from", type=click.DateTime(DATE_FORMATS), default=None,
              help="First day of a date range (YYYY-MM-DD): a mid.ru news section is walked day by day.")
@click.option("--to", "date_to", type=click.DateTime(DATE_FORMATS), default=None,
              help="Last day of the range (default: today).")
@click.option("--urls", "url_list", default=None, metavar="FILE", help="More URLs, one a line (`-`: stdin).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Fetch at most N items in this run.")
@click.option("--no-align", is_flag=True, help="Only fetch and store; align later with `bitext align`.")
@click.option("--refresh", default=None, metavar="AGE", callback=lambda _c, _p, v: parse_age(v),
              help="Request again the pages fetched longer than AGE ago (7d, 12h, 30m); changed items are re-aligned.")
@click.option("--date", "twin_date", type=click.DateTime(DATE_FORMATS), default=None,
              help="The date of a robots-forbidden old-layout mid.ru item, to find its new-layout twin.")
@click.option("--status", is_flag=True, help="Print the counts of the crawl in DATA and exit.")
@fetch_options
@click.pass_context
def crawl(
    ctx: click.Context, /, urls: tuple[str, ...], data_dir: Path, langs: list[str] | None,
    date_from: datetime | None, date_to: datetime | None, url_list: str | None, limit: int | None,
    no_align: bool, refresh: float | None, twin_date: datetime | None, status: bool, **params: Any,
) -> None:  # fmt: skip
    """Crawl an archive into DATA: every item of a date range, feed, sitemap or listing, in every language.

    Sources: a mid.ru news section with --from/--to (its date index, day by day),
    an RSS feed (/{lang}/rss.php), a sitemap.xml or sitemap index, a listing page,
    item URLs, --urls FILE. Progress is kept in DATA/crawl.sqlite: run the same
    command again to resume; Ctrl-C stops after the current request.

    \b
    Example:
        bitext crawl https://www.mid.ru/ru/foreign_policy/news/ --from 2024-03-01 --to 2024-03-31 -d march
        bitext crawl https://www.mid.ru/en/rss.php --langs en,ru -d feed
        bitext crawl --status -d march
    """
    if status:
        print_status(data_dir)
        return
    all_urls = list(urls) + (read_url_list(url_list) if url_list else [])
    if not all_urls:
        raise click.UsageError("give at least one URL (or --urls FILE, or --status)")
    unknown = [lang for lang in langs or () if lang not in SUPPORTED_LANGS]
    if unknown:  # checked here, not once per item by fetch_item
        raise click.BadParameter(f"unsupported `{','.join(unknown)}`: choose among {', '.join(SUPPORTED_LANGS)}",
                                 param_hint="--langs")  # fmt: skip
    dates = _date_range(date_from, date_to)
    site, cache_dir = params.pop("site"), params.pop("cache_dir")
    check_data_dir(data_dir)  # before the first request: a folder we cannot write costs no network time
    options = _options(data_dir, cache_dir, **params)
    tally = crawl_urls(
        data_dir, all_urls, options=options, dates=dates, langs=langs, site=site, limit=limit, align=not no_align,
        refresh=refresh, twin_date=twin_date.date() if twin_date else None, quiet=ctx.obj["quiet"],
    )  # fmt: skip
    if tally.stopped:
        ctx.exit(130)
    if tally.failed and not tally.stored and not tally.unchanged:
        ctx.exit(1)


def crawl_urls(data_dir: Path, urls: list[str], *, options: FetchOptions, dates: tuple[date, date] | None,
               langs: list[str] | None, site: str | None, limit: int | None, align: bool, refresh: float | None,
               twin_date: date | None, quiet: bool) -> CrawlTally:  # fmt: skip
    """Run the crawl job with the progress display chosen for stderr; the summary line at the end."""
    from align.jobs.crawling import CrawlRequest, run_crawl

    request = CrawlRequest(tuple(urls), dates=dates, langs=tuple(langs) if langs else None, site=site,
                           limit=limit, align=align, refresh_age=refresh, twin_date=twin_date)  # fmt: skip
    with _stop_on_interrupt() as stop, _reporter(quiet) as reporter:
        tally = run_crawl(data_dir, request, options, reporter, stop=stop)
    if not quiet:
        click.echo(tally.summary(), err=True)
    return tally
