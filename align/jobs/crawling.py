"""The crawl job: sources -> frontier -> ``fetch_item`` -> the store, aligned in batches.

:func:`run_crawl` seeds the frontier (``DATA/crawl.sqlite``) from the URLs
given, reads every source page (date indexes, feeds, sitemaps, listings) into
items, then fetches each item not stored yet through the same discovery,
validation and extraction as ``bitext fetch``, stores it (``store_item``) and
aligns what was stored every ``batch_items`` items or ``batch_seconds``
seconds (``align_stored``), so the store is usable at every moment.

Re-running resumes: stored items are skipped, pages come from the HTTP cache,
URLs known gone are not asked for again. With ``refresh_age`` the items
fetched longer ago are fetched anew; a version whose page hash changed is
stored and its item re-aligned, an item whose pages are all unchanged is left.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Final, Protocol

from scrapers.crawl.client import CrawlStopped, RecordingClient, is_retryable, rule_text
from scrapers.crawl.frontier import Frontier, ItemState, VersionRow, open_frontier
from scrapers.crawl.sources import SourcePage, classify, date_index_pages, in_range, read_source
from scrapers.crawl.twins import Known, find_twin, known_from_cache
from scrapers.errors import DiscoveryError, FetchError, HttpStatusError, RobotsDisallowed, ScraperError
from scrapers.http.cache import ResponseCache
from scrapers.item import fetch_item, host_delays
from scrapers.langtags import SUPPORTED_LANGS
from scrapers.sites import adapter_for

if TYPE_CHECKING:
    import threading

    from scrapers.http.options import FetchOptions
    from scrapers.records import ItemResult
    from scrapers.sites.base import SiteAdapter

log = logging.getLogger(__name__)

MAX_ATTEMPTS: Final = 3  # tries of one item in one run; the next run tries a failed item again
DEFAULT_BATCH_ITEMS: Final = 20
DEFAULT_BATCH_SECONDS: Final = 300.0
OLD_LAYOUT: Final = "archive.mid.ru:"  # doc_id prefix of mid.ru's old layout, whose items have new-layout twins
DEFAULT_RETRY_WAIT: Final = 30.0  # seconds before a failed item is tried again, times its attempts


class CrawlReporter(Protocol):
    """What the job tells the person running it (the CLI draws it on a terminal or logs it)."""

    def planned(self, todo: int, found: int, estimate: str) -> None: ...
    def requesting(self, line: str) -> None: ...
    def item_done(self, line: str, *, ok: bool) -> None: ...
    def note(self, line: str) -> None: ...


@dataclass(frozen=True)
class CrawlRequest:
    """What to crawl and how."""

    urls: tuple[str, ...]
    dates: tuple[date, date] | None = None
    langs: tuple[str, ...] | None = None
    site: str | None = None
    limit: int | None = None
    align: bool = True
    refresh_age: float | None = None  # seconds; None: stored items are never fetched again
    twin_date: date | None = None  # the date of robots-forbidden old-layout items given as URLs
    batch_items: int = DEFAULT_BATCH_ITEMS
    batch_seconds: float = DEFAULT_BATCH_SECONDS
    retry_wait: float = DEFAULT_RETRY_WAIT


@dataclass
class CrawlTally:
    """What one run did."""

    found: int = 0
    todo: int = 0
    stored: int = 0
    unchanged: int = 0
    failed: int = 0
    gone: int = 0
    disallowed: int = 0
    aligned: int = 0
    requests: int = 0
    cache_hits: int = 0
    stopped: bool = False
    seconds: float = 0.0
    unaligned: int = 0
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        done = f"{self.stored} item(s) stored, {self.unchanged} unchanged, {self.aligned} aligned"
        problems = f"{self.failed} failed, {self.gone} gone, {self.disallowed} forbidden by robots.txt"
        head = "crawl stopped" if self.stopped else "crawl done"
        tail = f"; {self.unaligned} stored but not aligned yet (run again, or `bitext align`)" if self.unaligned else ""
        return (f"{head}: {done}; {problems}; {self.requests} requests, {self.cache_hits} pages from the cache, "
                f"{self.seconds:.0f} s{tail}")  # fmt: skip


def run_crawl(
    data_dir: Path,
    request: CrawlRequest,
    options: FetchOptions,
    reporter: CrawlReporter,
    *,
    stop: threading.Event | None = None,
) -> CrawlTally:
    """Crawl ``request.urls`` into ``data_dir``; ``stop`` set (Ctrl-C) ends the run after the current request."""
    with open_frontier(data_dir, exclusive=True) as frontier:
        client = RecordingClient(options, frontier, host_delays=_delays(request), max_age=request.refresh_age)
        if stop is not None:
            client.stop = stop
        with client:
            return _Crawl(data_dir, request, options, reporter, frontier, client).run()


def _delays(request: CrawlRequest) -> dict[str, float]:
    delays: dict[str, float] = {}
    for url in request.urls:
        delays.update(host_delays(adapter_for(url, request.site), url, named=request.site is not None))
    return delays


class _Crawl:
    """One run of the job (see the module docstring)."""

    def __init__(
        self, data_dir: Path, request: CrawlRequest, options: FetchOptions, reporter: CrawlReporter,
        frontier: Frontier, client: RecordingClient,
    ) -> None:  # fmt: skip
        self.data_dir = data_dir
        self.request = request
        self.options = options
        self.reporter = reporter
        self.frontier = frontier
        self.client = client
        self.tally = CrawlTally()
        self.started = time.monotonic()
        self.last_batch = time.monotonic()
        self.langs = request.langs or SUPPORTED_LANGS
        self.reported: set[str] = set()

    def run(self) -> CrawlTally:
        try:
            self._seed()
            self._read_sources()
            self._crawl_items()
        except CrawlStopped:
            self.tally.stopped = True
        if self.request.align and not self.tally.stopped:
            self._align(self.frontier.unaligned())
        self.tally.unaligned = len(self.frontier.unaligned()) if self.request.align else 0
        self.tally.requests, self.tally.cache_hits = self.client.requests_made, self.client.cache_hits
        self.tally.seconds = time.monotonic() - self.started
        return self.tally

    # --- sources ---------------------------------------------------------------------------------

    def _seed(self) -> None:
        for url in self.request.urls:
            adapter = adapter_for(url, self.request.site)
            source = classify(url, adapter, dates=self.request.dates)
            if source is None:
                self._queue(url, adapter, title=None, listed=None, again=True)
            elif source.kind == "index" and self.request.dates:
                for page in date_index_pages(url, *self.request.dates):
                    self._queue_source(page)
            else:
                self._queue_source(source)

    def _queue_source(self, source: SourcePage) -> None:
        if not self.frontier.queue_source(source.url, source.kind) and self.request.refresh_age is not None:
            self.frontier.mark_url(source.url, "queued", kind=source.kind)  # read again: it may list new items

    def _read_sources(self) -> None:
        """Every queued source page, and the pages they name; one that failed is tried again after a wait."""
        tries: Counter[str] = Counter()
        while pending := [(u, k) for u, k in self.frontier.sources_to_read() if tries[u] < MAX_ATTEMPTS]:
            if any(tries[url] for url, _ in pending):
                self._wait_until(time.time() + self.request.retry_wait)
            for url, kind in pending:
                tries[url] += 1
                last = tries[url] == MAX_ATTEMPTS
                if not self._read_source(SourcePage(url, kind), last=last):  # type: ignore[arg-type]
                    tries[url] = MAX_ATTEMPTS  # not worth another try

    def _read_source(self, source: SourcePage, *, last: bool) -> bool:
        """Read one source page; False when trying it again cannot help (read, or forbidden)."""
        adapter = adapter_for(source.url, self.request.site)
        self.reporter.requesting(f"reading {source.url}")
        try:
            page = self.client.get(source.url, kind=source.kind)
        except RobotsDisallowed as err:
            self.reporter.note(f"not read: {source.url}: robots.txt forbids it{rule_text(err)}; "
                               "the items listed only there are not reached")  # fmt: skip
            return False
        except FetchError as err:
            again = is_retryable(err) and not last
            self.reporter.note(f"not read{' yet' if again else ''}: {err}")
            return again
        reading = read_source(source, page.text, page.url, adapter)
        for listed in reading.items:
            if in_range(listed, self.request.dates):
                # the item's own adapter: a feed of one layout may link to the other
                self._queue(listed.url, adapter_for(listed.url, self.request.site), title=listed.title,
                            listed=listed.published)  # fmt: skip
        for more in reading.more:
            self._queue_source(more)
        self.frontier.mark_url(source.url, "fetched", kind=source.kind)
        return False

    def _queue(self, url: str, adapter: SiteAdapter, *, title: str | None, listed: date | None,
               again: bool = False) -> None:  # fmt: skip
        try:
            doc_id = adapter.doc_id(url)
        except DiscoveryError as err:
            self.reporter.note(f"skipped: {err}")
            return
        if self.frontier.queue_item(doc_id, url, title=title, listed_date=listed.isoformat() if listed else None):
            self.tally.found += 1
        elif again:  # named on the command line: a failed or forbidden item is tried again
            row = self.frontier.item(doc_id)
            if row is not None and row.state in ("failed", "disallowed"):
                self.frontier.set_item(doc_id, "queued")

    # --- items -----------------------------------------------------------------------------------

    def _todo(self) -> list[str]:
        rows = self.frontier.items_in(("queued", "fetched", "partial", "failed"))
        if self.request.refresh_age is not None:
            oldest = time.time() - self.request.refresh_age
            rows += [r for r in self.frontier.items_in(("stored",)) if (r.fetched_at or 0) < oldest]
        for row in rows:
            if row.attempts:
                self.frontier.reset_attempts(row.doc_id)  # a new run: a failed item gets its tries again
        return [row.doc_id for row in rows]

    def _crawl_items(self) -> None:
        todo = self._todo()
        limit = self.request.limit
        if limit is not None:
            todo = todo[:limit]
        self.tally.todo = len(todo)
        found = sum(self.frontier.counts()["items"].values())
        self.reporter.planned(len(todo), found, self._estimate(len(todo)))
        retry: dict[str, float] = {}
        for doc_id in todo:
            self._item(doc_id, retry)
        while retry:
            doc_id, when = min(retry.items(), key=lambda pair: pair[1])
            self._wait_until(when)
            del retry[doc_id]
            self._item(doc_id, retry)

    def _wait_until(self, when: float) -> None:
        while (left := when - time.time()) > 0:
            if self.client.stop.wait(min(left, 0.5)):
                raise CrawlStopped

    def _item(self, doc_id: str, retry: dict[str, float]) -> None:
        row = self.frontier.item(doc_id)
        if row is None:
            return
        refusal = self.client.robots_refusal(row.url) if doc_id.startswith(OLD_LAYOUT) else None
        if refusal is not None:
            # even when cached: the new-layout twin has the versions robots.txt keeps us from
            self._forbidden(doc_id, row.url, refusal)
            self._maybe_align()
            return
        self.client.transient.clear()
        try:
            result = fetch_item(row.url, options=self.options, site=self.request.site, langs=self.request.langs,
                                client=self.client, progress=self.reporter.requesting)  # fmt: skip
        except CrawlStopped:
            raise
        except RobotsDisallowed as err:
            self._forbidden(doc_id, row.url, err)
        except HttpStatusError as err:
            if err.status in (404, 410):
                self.frontier.set_item(doc_id, self._kept_or("gone", doc_id), error=str(err), attempted=True)
                self._done(doc_id, f"{doc_id}: gone ({err})", ok=False, tally="gone")
            else:
                self._failed(doc_id, row.attempts, err, retry)
        except ScraperError as err:
            self._failed(doc_id, row.attempts, err, retry)
        else:
            self._fetched(doc_id, row.url, result)
            if self.client.transient and result.absences and row.attempts + 1 < MAX_ATTEMPTS:
                self._partial(doc_id, row.attempts, retry)
        self._maybe_align()

    def _partial(self, doc_id: str, attempts: int, retry: dict[str, float]) -> None:
        """Stored with what it has, but a page failed for a reason that may pass: the item is tried again."""
        failed = ", ".join(self.client.transient)
        if not any(v.state == "stored" for v in self.frontier.versions(doc_id)):
            return  # nothing stored: _fetched recorded it failed, tried again by the next run
        when = time.time() + self.request.retry_wait * (attempts + 1)
        self.frontier.set_item(doc_id, "partial", error=f"failed for now: {failed}", attempted=True, next_try=when)
        retry[doc_id] = when
        self.reporter.note(f"{doc_id}: tried again later for {failed}")

    def _failed(self, doc_id: str, attempts: int, err: ScraperError, retry: dict[str, float]) -> None:
        tries = attempts + 1
        if is_retryable(err) and tries < MAX_ATTEMPTS:
            when = time.time() + self.request.retry_wait * tries
            self.frontier.set_item(doc_id, self._kept_or("failed", doc_id), error=str(err), attempted=True,
                                   next_try=when)  # fmt: skip
            retry[doc_id] = when
            self.reporter.note(f"{doc_id}: failed, tried again later ({err})")
            return
        self.frontier.set_item(doc_id, self._kept_or("failed", doc_id), error=str(err), attempted=True)
        self.tally.failures.append(f"{doc_id}: {err}")
        self._done(doc_id, f"{doc_id}: failed: {err}", ok=False, tally="failed")

    def _kept_or(self, state: ItemState, doc_id: str) -> ItemState:
        """``state``, or "stored" for an item stored before (a failed re-crawl loses nothing)."""
        return "stored" if any(v.state == "stored" for v in self.frontier.versions(doc_id)) else state

    def _forbidden(self, doc_id: str, url: str, err: RobotsDisallowed) -> None:
        """A robots-forbidden item: one line naming the rule; an old-layout mid.ru item is looked for
        under its new-layout id, and crawled there when found."""
        line = f"{doc_id}: {url} is forbidden by robots.txt{rule_text(err)}"
        self.frontier.set_item(doc_id, "disallowed", error=err.reason, attempted=True)
        self.frontier.mark_url(url, "disallowed", kind="item", error=line)
        if not doc_id.startswith(OLD_LAYOUT):
            self._done(doc_id, line, ok=False, tally="disallowed")
            return
        cache = ResponseCache(self.options.cache_dir) if self.options.cache_dir is not None else None
        search = find_twin(self.client, url, self._known(doc_id, url, cache))
        self._done(doc_id, f"{line}; {search.line}", ok=search.url is not None, tally="disallowed")
        if search.url is not None:
            twin_adapter = adapter_for(search.url, self.request.site)
            twin_id = twin_adapter.doc_id(search.url)
            self.frontier.queue_item(twin_id, search.url)
            twin = self.frontier.item(twin_id)
            if twin is not None and twin.state != "stored":
                self._item(twin_id, {})

    def _known(self, doc_id: str, url: str, cache: ResponseCache | None) -> Known:
        """The old item's date, title and number: the cache's copy, else ``--date`` and what its source listed."""
        known = known_from_cache(url, cache, self.request.twin_date)
        row = self.frontier.item(doc_id)
        listed = date.fromisoformat(row.listed_date) if row and row.listed_date else None
        return Known(known.day or listed, known.title or (row.title if row else None), known.doc_number)

    def _fetched(self, doc_id: str, url: str, result: ItemResult) -> None:
        from align.jobs.documents import store_item

        self.frontier.set_item(doc_id, "fetched")
        versions = [VersionRow(d.lang, "stored", d.url, d.html_sha256, None) for d in result.documents]
        versions += [VersionRow(a.lang, "absent", a.url, None, a.reason) for a in result.absences]
        line = _item_line(result)
        if not result.documents:
            if not any(v.state == "stored" for v in self.frontier.versions(doc_id)):
                self.frontier.set_versions(doc_id, versions)
            self.frontier.set_item(doc_id, self._kept_or("failed", doc_id), error=line, attempted=True)
            self._done(doc_id, f"{doc_id}: nothing stored: {line}", ok=False, tally="failed")
            return
        before = {v.lang: v.sha256 for v in self.frontier.versions(doc_id) if v.state == "stored"}
        now = {v.lang: v.sha256 for v in versions if v.state == "stored"}
        if before and before == now:
            self.frontier.set_item(doc_id, "stored", fetched=True)
            self._done(doc_id, f"{doc_id}: unchanged", ok=True, tally="unchanged")
            return
        store_item(self.data_dir, result, source_url=url, site=self.request.site)
        self.frontier.set_versions(doc_id, versions)
        self.frontier.set_item(doc_id, "stored", fetched=True, realign=True)
        for stored_url in {url, *(d.url for d in result.documents)}:
            self.frontier.mark_url(stored_url, "stored", kind="item" if stored_url == url else "page")
        changed = " (changed since the last crawl)" if before else ""
        self._done(doc_id, f"{doc_id}: {line}{changed}", ok=True, tally="stored")

    def _done(self, doc_id: str, line: str, *, ok: bool, tally: str) -> None:
        """Count and report an item once; a second try of a partial item is a note."""
        if doc_id in self.reported:
            self.reporter.note(line)
            return
        self.reported.add(doc_id)
        setattr(self.tally, tally, getattr(self.tally, tally) + 1)
        self.reporter.item_done(line, ok=ok)

    # --- alignment -------------------------------------------------------------------------------

    def _maybe_align(self) -> None:
        if not self.request.align:
            return
        pending = self.frontier.unaligned()
        due = time.monotonic() - self.last_batch >= self.request.batch_seconds
        if len(pending) >= self.request.batch_items or (pending and due):
            self._align(pending)

    def _align(self, doc_ids: Sequence[str]) -> None:
        self.last_batch = time.monotonic()
        if not doc_ids:
            return
        from align.jobs.aligning import align_stored

        self.reporter.note(f"aligning {len(doc_ids)} item(s)")
        align_stored(self.data_dir, doc_ids=list(doc_ids))
        self.frontier.mark_aligned(doc_ids)
        self.tally.aligned += len(doc_ids)

    # --- planning --------------------------------------------------------------------------------

    def _estimate(self, todo: int) -> str:
        """The time the items left take at the polite delay: a request per language an item."""
        if not todo:
            return "nothing left to fetch"
        delay = self.options.delay if self.options.delay is not None else max(_delays(self.request).values(), default=1.0)
        requests = todo * len(self.langs)
        seconds = requests * delay
        return (f"{todo} item(s) in up to {len(self.langs)} languages: about {requests} requests; "
                f"at {delay:g} s a request that is about {describe_duration(seconds)}")  # fmt: skip


def _item_line(result: ItemResult) -> str:
    stored = ",".join(d.lang for d in result.documents) or "none"
    absent = "; ".join(f"{a.lang}: {a.reason}" for a in result.absences)
    return f"stored {stored}" + (f" (absent {absent})" if absent else "")


def describe_duration(seconds: float) -> str:
    """13.9 h -> "14 hours"; 95 s -> "2 minutes"; 20 s -> "20 seconds"."""
    if seconds >= 5400:
        return f"{seconds / 3600:.0f} hours"
    if seconds >= 90:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds:.0f} seconds"

