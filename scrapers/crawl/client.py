"""``RecordingClient``: the HTTP client with the frontier's memory of every URL it was asked for.

It is an :class:`~scrapers.http.client.HttpClient` (so ``fetch_item`` uses it
unchanged) that records each URL's outcome in the frontier, answers a URL the
frontier knows is gone (404/410) or robots-forbidden without asking the server
again, forgets cached pages older than ``max_age`` so they are requested anew,
and stops before the next request once a stop was asked for (Ctrl-C).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

from scrapers.errors import FetchError, HttpStatusError, RobotsDisallowed
from scrapers.http.cache import ResponseCache
from scrapers.http.client import HttpClient, Page

if TYPE_CHECKING:
    from scrapers.crawl.frontier import Frontier
    from scrapers.http.options import FetchOptions

GONE_STATUSES: Final = frozenset({404, 410})


class CrawlStopped(Exception):  # a request to stop, not an error
    """A stop was asked for (Ctrl-C): raised before the next request, never in the middle of one."""


class RecordingClient(HttpClient):
    """An HttpClient that keeps each URL's state in the frontier (see the module docstring)."""

    def __init__(
        self,
        options: FetchOptions,
        frontier: Frontier,
        *,
        host_delays: Mapping[str, float] | None = None,
        max_age: float | None = None,
    ) -> None:
        super().__init__(options, host_delays=host_delays)
        self.frontier = frontier
        self.max_age = max_age
        self.stop = threading.Event()
        self.transient: list[str] = []  # URLs that failed for a reason that may pass, since the caller cleared it
        self.started = datetime.now(UTC)

    def get(self, url: str, *, kind: str = "page") -> Page:
        if self.stop.is_set():
            raise CrawlStopped
        known = self.frontier.url_row(url)
        if known is not None and not self.options.refresh:
            state, status, error, _ = known
            if state == "gone" and status in GONE_STATUSES:
                raise HttpStatusError(error or f"cannot fetch {url}: HTTP {status}", url=url, status=status)
        self._forget_if_stale(url)
        try:
            page = super().get(url)
        except RobotsDisallowed as err:
            self.frontier.mark_url(url, "disallowed", kind=kind, error=str(err))
            raise
        except HttpStatusError as err:
            gone = err.status in GONE_STATUSES
            if err.retryable:  # 429, 5xx
                self.transient.append(url)
            self.frontier.mark_url(url, "gone" if gone else "failed", kind=kind, error=str(err), status=err.status, attempted=True)
            raise
        except FetchError as err:
            if err.retryable:
                self.transient.append(url)
            self.frontier.mark_url(url, "failed", kind=kind, error=str(err), attempted=True)
            raise
        fetched = page.fetched_at.timestamp()
        self.frontier.mark_url(
            url, "fetched", kind=kind, status=page.status, sha256=page.sha256, fetched_at=fetched,
            attempted=not page.from_cache,
        )  # fmt: skip
        return page

    def robots_refusal(self, url: str) -> RobotsDisallowed | None:
        """Why robots.txt forbids ``url`` (reading robots.txt if needed), cached or not; None when it allows it."""
        if not self.options.respect_robots:
            return None
        try:
            self._check_robots(url, requested=url)  # the client's own check: no request but robots.txt's
        except RobotsDisallowed as err:
            return err
        return None

    def _forget_if_stale(self, url: str) -> None:
        """``--refresh AGE``: a cached page older than AGE when the run started is dropped, so the client requests it again."""
        if self.max_age is None or self.options.cache_dir is None:
            return
        cache = ResponseCache(self.options.cache_dir)
        hit = cache.load(url)
        if hit is None:
            return
        # age at the start of the run: a page fetched during this run is never fetched again
        age = (self.started - hit.fetched_at).total_seconds()
        if age > self.max_age:
            cache.stem(url).with_suffix(".json").unlink(missing_ok=True)  # an entry without .json is absent


def is_retryable(err: BaseException) -> bool:
    """Whether a later attempt may succeed (the HTTP layer's own classification)."""
    return isinstance(err, FetchError) and err.retryable


def rule_text(err: RobotsDisallowed) -> str:
    """" (Disallow: /*?PAGEN)" when the refusal names its robots.txt rule, else ""."""
    return f" ({err.rule})" if err.rule else ""
