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

from scrapers.errors import FetchError, HttpStatusError, RetryableFetchError, RobotsDisallowed
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
        self.failures = 0
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
            self.failures += not gone
            if isinstance(err, RetryableFetchError):  # 429, 5xx
                self.transient.append(url)
            self.frontier.mark_url(url, "gone" if gone else "failed", kind=kind, error=str(err), status=err.status, attempted=True)
            raise
        except FetchError as err:
            self.failures += 1
            if isinstance(err, RetryableFetchError):
                self.transient.append(url)
            self.frontier.mark_url(url, "failed", kind=kind, error=str(err), attempted=True)
            raise
        fetched = page.fetched_at.timestamp()
        self.frontier.mark_url(
            url, "fetched", kind=kind, status=page.status, sha256=page.sha256, fetched_at=fetched,
            attempted=not page.from_cache,
        )  # fmt: skip
        return page

    def robots_allows(self, url: str) -> bool:
        """Whether robots.txt lets ``url`` be requested (reads robots.txt if needed), cached or not."""
        if not self.options.respect_robots:
            return True
        try:
            self._check_robots(url, requested=url)
        except RobotsDisallowed:
            return False
        return True

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
    return isinstance(err, RetryableFetchError)


def forbidding_rule(client: HttpClient, url: str) -> str | None:
    """The robots.txt line that forbids ``url`` ("Disallow: /*asset_publisher"), if the client has read it.

    The client keeps the parsed rules per origin; the longest matching rule decides (RFC 9309).
    """
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    rules = getattr(client, "_robots", {}).get(f"{parts.scheme}://{parts.netloc}".lower())
    if rules is None:
        return None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    matching = [rule for rule in rules.rules if rule.matches(path)]
    if not matching:
        return None
    best = max(matching, key=lambda rule: (len(rule.pattern), rule.allow))
    return None if best.allow else f"Disallow: {best.pattern}"
