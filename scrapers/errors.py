"""Exceptions of the scrapers package.

    ScraperError                   root: anything that stops a fetch
    ├── FetchError                 the HTTP exchange failed (carries the URL)
    │   ├── RetryableFetchError    worth retrying: 429/5xx, timeouts, resets, anti-bot interstitial
    │   ├── RobotsDisallowed       robots.txt forbids the URL (opt out with --ignore-robots)
    │   ├── TooLarge               the body exceeds the size cap
    │   └── NotInCache             --offline and the URL was never fetched
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


class RetryableFetchError(FetchError):
    """A failure that a later attempt may not meet."""


class RobotsDisallowed(FetchError):
    """robots.txt disallows the URL for our user agent."""


class TooLarge(FetchError):
    """The response body is larger than the configured cap."""


class NotInCache(FetchError):
    """Offline mode and the cache holds no response for the URL."""


class ExtractionError(ScraperError):
    """No article could be extracted from a page."""


class DiscoveryError(ScraperError):
    """The language versions of an item could not be established."""
