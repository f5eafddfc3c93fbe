"""FetchOptions: every knob of polite fetching, with its default, in one place.

One frozen object is passed from the CLI down to the HTTP client, so no entry
point repeats timeout/delay/retry keyword arguments.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

__all__ = ["DEFAULT_DELAY", "DEFAULT_USER_AGENT", "FetchOptions"]


def _distribution_version() -> str:
    # scrapers must not import align (where __version__ lives), so the version
    # comes from the installed distribution; a bare checkout says "dev".
    try:
        return version("bitext")
    except PackageNotFoundError:
        return "dev"


DEFAULT_USER_AGENT = f"bitext/{_distribution_version()} (+https://pypi.org/project/bitext/; parallel-text research)"
DEFAULT_DELAY = 1.0
"""Seconds between two requests to one host that ``host_delays`` does not list."""


@dataclass(frozen=True)
class FetchOptions:
    """How to fetch: identity, patience, politeness and the cache.

    Parameters
    ----------
    user_agent
        Sent with every request, robots.txt groups are matched on its first token.
    timeout
        Connect and read timeout, seconds: the longest silence of the server.
    deadline
        The longest one request may take in all (connect, headers, body), seconds,
        so that a server trickling a byte at a time cannot hold a fetch for ever.
    delay
        Seconds between two requests to one host; ``None`` lets the site adapter
        choose (``host_delays`` of :class:`scrapers.http.client.HttpClient`, else ``DEFAULT_DELAY``).
    max_retries
        Retries after the first attempt, for timeouts, resets, truncated bodies,
        429/500/502/503/504 and the anti-bot interstitial.
    backoff
        Wait before the first retry, seconds; doubled for each further retry.
    max_retry_after
        Cap on a server's Retry-After and on the backoff, seconds.
    pause_after
        Failed attempts in a row (over all URLs of a host) after which the host is paused.
    host_pause
        The first pause of a failing host, seconds; doubled while it keeps failing (up to an hour).
    max_redirects
        Redirects followed before giving up.
    max_bytes
        Largest response body accepted; the download stops there.
    respect_robots
        Obey robots.txt (the CLI's ``--ignore-robots`` turns this off).
    cache_dir
        Folder of the raw-response cache; ``None`` disables caching.
    offline
        Serve from the cache only; a miss raises :class:`scrapers.errors.NotInCache`.
    refresh
        Ignore cached responses (fresh ones are still written); no effect with ``offline``.
    """

    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = 30.0
    deadline: float = 120.0
    delay: float | None = None
    max_retries: int = 3
    backoff: float = 2.0
    max_retry_after: float = 120.0
    pause_after: int = 8
    host_pause: float = 300.0
    max_redirects: int = 5
    max_bytes: int = 20_000_000
    respect_robots: bool = True
    cache_dir: Path | None = None
    offline: bool = False
    refresh: bool = False

    def __post_init__(self) -> None:
        _check_non_negative("timeout", self.timeout, allow_zero=False)
        _check_non_negative("deadline", self.deadline, allow_zero=False)
        if self.delay is not None:
            _check_non_negative("delay", self.delay)
        _check_non_negative("max_retries", self.max_retries)
        _check_non_negative("backoff", self.backoff)
        _check_non_negative("max_retry_after", self.max_retry_after)
        _check_non_negative("pause_after", self.pause_after, allow_zero=False)
        _check_non_negative("host_pause", self.host_pause)
        _check_non_negative("max_redirects", self.max_redirects)
        _check_non_negative("max_bytes", self.max_bytes, allow_zero=False)
        if self.offline and self.cache_dir is None:
            raise ValueError("`offline=True` needs a `cache_dir` to read from")


def _check_non_negative(name: str, value: float, *, allow_zero: bool = True) -> None:
    if value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"`{name}` must be {bound}, got {value!r}")
