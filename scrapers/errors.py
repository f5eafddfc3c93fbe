"""Exceptions of the scrapers package.

    ScraperError                   root: anything that stops a fetch
    ├── FetchError                 the HTTP exchange failed: .url, .reason, .kind, .hint, .attempts, .retryable
    │   ├── HttpStatusError        the server answered 4xx/5xx (carries .status); 404/410/4xx are final
    │   ├── RetryableFetchError    worth retrying: 429/5xx, timeouts, resets, anti-bot interstitial
    │   │   ├── RetryableHttpStatusError  429/500/502/503/504 (also an HttpStatusError; .retry_after)
    │   │   └── AntiBotInterstitial       the "Data processing... Please, wait." page instead of content
    │   ├── RobotsDisallowed       robots.txt forbids the URL (opt out with --ignore-robots)
    │   ├── TooLarge               the body exceeds the size cap
    │   └── NotInCache             --offline and the URL was never fetched
    ├── SiteManifestError          a local sample site's site.json is missing or malformed
    ├── ExtractionError            the page holds no article we can extract
    └── DiscoveryError             no language versions could be established

A :class:`FetchError` is data as well as a message: ``err.record()`` is the
:class:`FailedRequest` a summary or a frontier stores (URL, reason, kind,
attempts, retryability, status), so nobody parses messages back. Library
hints name no CLI flag; a front end maps ``kind`` to its own advice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


class ScraperError(Exception):
    """Root of all scraper errors."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


@dataclass(frozen=True)
class FailedRequest:
    """One request that gave no page, as data: where, why, how often it was tried, whether to try again."""

    url: str
    reason: str  # "HTTP 503 Service Unavailable", "no complete response within 120 s", ...
    kind: str  # a stable code: "status", "timeout", "deadline", "connection", "robots", ... (see FetchError)
    attempts: int
    retryable: bool
    status: int | None = None


class FetchError(ScraperError):
    """The HTTP exchange for ``url`` failed.

    Either a whole ``message`` (older call sites) or its parts: ``reason`` (what
    went wrong, without the URL), ``hint`` (what to do, naming no CLI flag) and
    ``kind``, a stable code: ``status``, ``timeout``, ``deadline``, ``connection``,
    ``truncated``, ``interstitial``, ``robots``, ``robots-unavailable``, ``dns``,
    ``redirects``, ``bad-url``, ``too-large``, ``not-in-cache``.
    ``attempts`` counts the requests made for it (retries included).
    """

    retryable: ClassVar[bool] = False
    status: int | None = None  # the HTTP status, when the server answered

    def __init__(
        self,
        message: str | None = None,
        *,
        url: str | None = None,
        reason: str | None = None,
        hint: str | None = None,
        kind: str = "fetch",
        attempts: int = 1,
        rule: str | None = None,
    ) -> None:
        super().__init__(message or "", url=url)
        self._message = message
        self.reason = reason or (message or kind)
        self.hint = hint
        self.kind = kind
        self.attempts = attempts
        self.exhausted = attempts > 1  # every allowed attempt was made (the client sets it when it gives up)
        self.rule = rule  # the robots.txt rule that forbids the URL, for kind "robots"

    def __str__(self) -> str:
        return self.describe()

    def describe(self, hint: str | None = None) -> str:
        """The one-line message, with ``hint`` (a front end's own advice) in place of the library's."""
        if self._message is not None:
            text = self._message
        else:
            shown = hint or self.hint
            text = f"cannot fetch {self.url}: {self.reason}." + (f" Hint: {shown}." if shown else "")
        return text + (f" {self.gave_up()}." if self.gave_up() else "")

    def gave_up(self) -> str:
        """"Gave up after 3 attempts" once every allowed attempt failed, else "" (a failure not retried, or not yet)."""
        if self.exhausted:
            return f"Gave up after {self.attempts} attempt{'s' if self.attempts > 1 else ''}"
        return ""

    def record(self) -> FailedRequest:
        """This failure as a record (for summaries, logs and a crawl frontier)."""
        return FailedRequest(self.url or "", self.reason, self.kind, self.attempts, self.retryable, self.status)


class HttpStatusError(FetchError):
    """The server answered with an error status (``.status``)."""

    status: int

    def __init__(self, message: str | None = None, *, url: str | None = None, status: int, **parts: str) -> None:
        parts.setdefault("kind", "status")
        FetchError.__init__(self, message, url=url, **parts)  # type: ignore[arg-type]
        self.status = status


class RetryableFetchError(FetchError):
    """A failure that a later attempt may not meet.

    ``retry_after`` is the wait the server asked for, in seconds, if it asked.
    """

    retryable: ClassVar[bool] = True

    def __init__(
        self, message: str | None = None, *, url: str | None = None, retry_after: float | None = None, **parts: str
    ) -> None:
        # explicit base call, not super(): in RetryableHttpStatusError's MRO the next
        # class is HttpStatusError, whose constructor wants a status
        FetchError.__init__(self, message, url=url, **parts)  # type: ignore[arg-type]
        self.retry_after = retry_after


class RetryableHttpStatusError(RetryableFetchError, HttpStatusError):
    """429 or a 5xx that usually passes: retried, honouring Retry-After."""

    def __init__(
        self, message: str | None = None, *, url: str | None = None, status: int, retry_after: float | None = None,
        **parts: str,
    ) -> None:  # fmt: skip
        parts.setdefault("kind", "status")
        RetryableFetchError.__init__(self, message, url=url, retry_after=retry_after, **parts)
        self.status = status


class AntiBotInterstitial(RetryableFetchError):
    """The site served its "Data processing... Please, wait." page instead of content."""


class RobotsDisallowed(FetchError):
    """robots.txt disallows the URL for our user agent."""


class TooLarge(FetchError):
    """The response body is larger than the configured cap."""


class NotInCache(FetchError):
    """Offline mode and the cache holds no response for the URL."""


class SiteManifestError(ScraperError):
    """A local site's ``site.json`` is missing, malformed or names a missing file."""


class ExtractionError(ScraperError):
    """No article could be extracted from a page."""


class DiscoveryError(ScraperError):
    """The language versions of an item could not be established."""
