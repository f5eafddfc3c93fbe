"""Exceptions of the scrapers package.

    ScraperError                   root: anything that stops a fetch
    ├── FetchError                 the HTTP exchange failed (carries the URL)
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
"""

from __future__ import annotations


class ScraperError(Exception):
    """Root of all scraper errors."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class FetchError(ScraperError):
    """The HTTP exchange for ``url`` failed."""


class HttpStatusError(FetchError):
    """The server answered with an error status (``.status``)."""

    def __init__(self, message: str, *, url: str | None = None, status: int) -> None:
        FetchError.__init__(self, message, url=url)
        self.status = status


class RetryableFetchError(FetchError):
    """A failure that a later attempt may not meet.

    ``retry_after`` is the wait the server asked for, in seconds, if it asked.
    """

    def __init__(self, message: str, *, url: str | None = None, retry_after: float | None = None) -> None:
        # explicit base call, not super(): in RetryableHttpStatusError's MRO the next
        # class is HttpStatusError, whose constructor wants a status
        FetchError.__init__(self, message, url=url)
        self.retry_after = retry_after


class RetryableHttpStatusError(RetryableFetchError, HttpStatusError):
    """429 or a 5xx that usually passes: retried, honouring Retry-After."""

    def __init__(self, message: str, *, url: str | None = None, status: int, retry_after: float | None = None) -> None:
        RetryableFetchError.__init__(self, message, url=url, retry_after=retry_after)
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
