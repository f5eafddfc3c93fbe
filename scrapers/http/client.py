"""Polite HTTP: one client that throttles per host, retries, obeys robots.txt and caches.

>>> from pathlib import Path
>>> from scrapers.http.client import HttpClient
>>> from scrapers.testing.localsite import Route, serve
>>> from scrapers.http.options import FetchOptions
>>> with serve({"/en/item": Route.html("<p>Talks</p>")}) as site, HttpClient(FetchOptions(delay=0)) as client:
...     page = client.get(site.url("/en/item"))
>>> page.status, page.text, page.from_cache
(200, '<p>Talks</p>', False)

Against the real site, with the mid.ru delays and a cache::

    with HttpClient(FetchOptions(cache_dir=Path("aligned/cache")), host_delays={"mid.ru": 10.0}) as client:
        page = client.get("https://mid.ru/ru/foreign_policy/news/1527258/?lang=en")

Every failure is a :mod:`scrapers.errors` exception whose message is one line
naming the URL, the cause and what to do, and whose fields (``reason``,
``kind``, ``attempts``, ``retryable``) say the same as data; ``client.failures``
keeps one :class:`scrapers.errors.FailedRequest` per URL that gave no page.
Redirects are followed here, not by httpx, so that each hop is checked for its
scheme and its host's robots.txt and is throttled like any other request.

Every request of the process waits its turn in one per-host throttle
(:func:`scrapers.http.throttle.shared_throttle`): the delay, backoff after
failures and pauses of a failing host hold across clients. Tests give a client
a :class:`scrapers.http.clock.ManualClock` (and so a throttle of its own) to
check the waits without waiting, and may give it an httpx ``transport``.
"""

from __future__ import annotations

import hashlib
import logging
import socket
from collections import deque
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from types import TracebackType
from typing import Self
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx

from scrapers.errors import (
    AntiBotInterstitial,
    FailedRequest,
    FetchError,
    HttpStatusError,
    NotInCache,
    RetryableFetchError,
    RetryableHttpStatusError,
    RobotsDisallowed,
    TooLarge,
)
from scrapers.http.cache import CachedResponse, ResponseCache
from scrapers.http.clock import Clock
from scrapers.http.deadline import Deadline
from scrapers.http.decoding import decode_body
from scrapers.http.options import DEFAULT_DELAY, FetchOptions
from scrapers.http.retry import RETRYABLE_STATUSES, retry_after_seconds
from scrapers.http.robots import ALLOW_ALL, RobotsBook, RobotsRules, parse_robots, shared_robots
from scrapers.http.throttle import BackoffPolicy, HostState, HostThrottle, shared_throttle
from scrapers.sites.interstitials import INTERSTITIALS, find_interstitial

__all__ = ["INTERSTITIAL_PATTERN", "HttpClient", "Page", "is_interstitial"]

logger = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
SUPPORTED_SCHEMES = ("http", "https")
# HttpClient.failures keeps the last this many (a frontier keeps them all, if it wants them)
MAX_FAILURES_KEPT = 10_000
# robots.txt Crawl-delay is honoured up to this many seconds; beyond, a site is
# better served by an explicit --delay than by a fetch that seems to hang
MAX_CRAWL_DELAY = 60.0


# mid.ru's interstitial, for callers of the old name (the known ones are in scrapers.sites.interstitials)
INTERSTITIAL_PATTERN = INTERSTITIALS[0].pattern


def is_interstitial(text: str) -> bool:
    """Whether a page is a known site's anti-bot interstitial (see :mod:`scrapers.sites.interstitials`)."""
    return find_interstitial(text) is not None


@dataclass(frozen=True)
class Page:
    """A successful response: the bytes as served and where they came from."""

    requested_url: str
    url: str
    status: int
    content_type: str
    body: bytes = field(repr=False)
    fetched_at: datetime
    from_cache: bool

    @cached_property
    def text(self) -> str:
        """The body decoded by the header charset, else ``<meta charset>``, else UTF-8 (bad bytes replaced)."""
        return decode_body(self.body, self.content_type)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


@dataclass(frozen=True)
class _Reply:
    """One HTTP exchange, before redirects are followed."""

    url: str
    status: int
    reason: str
    content_type: str
    location: str | None
    body: bytes


class HttpClient:
    """Fetch pages politely: throttled per host, retried, robots-checked, cached.

    Parameters
    ----------
    options
        Timeouts, delays, retries, caps, robots and cache settings.
    host_delays
        Seconds between requests per host name, used when ``options.delay`` is
        ``None``; hosts not listed wait ``DEFAULT_DELAY``.
    throttle
        The per-host throttle to wait in; default: the process-wide one, or a
        new one on ``clock`` when a clock is given.
    clock
        Where waits and dates come from (default: the throttle's, the system clock).
    transport
        An httpx transport to send requests through (default: httpx's own).
    robots
        Where robots.txt rules are kept between requests; default: the
        process-wide book, or a new one when a clock is given.
    """

    def __init__(
        self,
        options: FetchOptions,
        *,
        host_delays: Mapping[str, float] | None = None,
        throttle: HostThrottle | None = None,
        clock: Clock | None = None,
        transport: httpx.BaseTransport | None = None,
        robots: RobotsBook | None = None,
    ) -> None:
        self.options = options
        self.host_delays = dict(host_delays or {})
        self.requests_made = 0  # real HTTP requests, retries and robots.txt included
        self.cache_hits = 0
        # one per get() that gave no page, in order; the oldest go first in a days-long crawl
        self.failures: deque[FailedRequest] = deque(maxlen=MAX_FAILURES_KEPT)
        self._cache = ResponseCache(options.cache_dir) if options.cache_dir is not None else None
        if throttle is None:
            throttle = shared_throttle() if clock is None else HostThrottle(clock)
        self.throttle = throttle
        self.clock: Clock = clock or throttle.clock
        self._backoff = BackoffPolicy(
            base=options.backoff, cap=options.max_retry_after,
            pause_after=options.pause_after, pause=options.host_pause,
        )  # fmt: skip
        self._robots = robots or (shared_robots() if clock is None else RobotsBook())
        self._crawl_delays: dict[str, float] = {}
        # trust_env: proxies from HTTP_PROXY/HTTPS_PROXY/ALL_PROXY/NO_PROXY
        self._client = httpx.Client(
            headers={"User-Agent": options.user_agent},
            timeout=httpx.Timeout(options.timeout),
            # one connection per request: the deadline watches each exchange's own socket
            limits=httpx.Limits(max_keepalive_connections=0),
            follow_redirects=False,
            trust_env=True,
            transport=transport,
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def delay_for(self, host: str) -> float:
        """Seconds between two requests to ``host``: ``--delay`` if given, else the site's and robots.txt's."""
        if self.options.delay is not None:
            return self.options.delay
        host = host.lower()
        default = self.host_delays.get(host, DEFAULT_DELAY)
        return max(default, min(self._crawl_delays.get(host, 0.0), MAX_CRAWL_DELAY))

    def get(self, url: str) -> Page:
        """Fetch ``url`` (from the cache if it holds it), following redirects.

        Raises
        ------
        FetchError
            Or one of its subclasses; the message says what failed and what to do,
            its fields say the same as data, and ``failures`` gets its record.
        """
        try:
            return self._get(url)
        except FetchError as err:
            self.failures.append(err.record())
            raise

    def host_state(self, url_or_host: str) -> HostState:
        """What the throttle knows of a URL's host: requests, failures in a row, wait, paused."""
        return self.throttle.state(_host_key(url_or_host) if "/" in url_or_host else url_or_host)

    def _get(self, url: str) -> Page:
        url = urldefrag(url.strip()).url  # the fragment is never sent, and must not split the cache
        _check_url(url, requested=url)
        cached = self._cached_page(url)
        if cached is not None:
            return cached
        if self.options.offline:
            raise NotInCache(
                url=url, kind="not-in-cache",
                reason=f"not in the cache {self.options.cache_dir}, and fetching offline",
                hint="fetch it once with the network to fill the cache",
            )  # fmt: skip
        page = self._follow(url, check_robots=self.options.respect_robots)
        if self._cache is not None and page.status == 200:
            self._store(self._cache, page)
        return page

    @staticmethod
    def _store(cache: ResponseCache, page: Page) -> None:
        """Cache a page; a cache that cannot be written costs a re-fetch later, not this page."""
        entry = CachedResponse(page.requested_url, page.url, page.status, page.content_type, page.fetched_at, page.body)
        try:
            cache.store(entry)
        except OSError as err:
            logger.warning("could not cache %s in %s: %s", page.requested_url, cache.root, err)

    def _cached_page(self, url: str) -> Page | None:
        if self._cache is None or (self.options.refresh and not self.options.offline):
            return None
        hit = self._cache.load(url)
        if hit is None:
            return None
        logger.debug("cache hit %s (fetched %s)", url, hit.fetched_at)
        self.cache_hits += 1
        return Page(url, hit.url, hit.status, hit.content_type, hit.body, hit.fetched_at, True)

    def _follow(self, url: str, *, check_robots: bool) -> Page:
        """GET ``url``, following at most ``max_redirects`` redirects."""
        current = url
        for _ in range(self.options.max_redirects + 1):
            if check_robots:
                self._check_robots(current, requested=url)
            reply = self._fetch_with_retries(current)
            if reply.status not in REDIRECT_STATUSES:
                return Page(url, reply.url, reply.status, reply.content_type, reply.body, self.clock.now(), False)
            current = urljoin(current, reply.location or "")
            _check_url(current, requested=url)
        raise FetchError(
            url=url, kind="redirects",
            reason=f"too many redirects (more than {self.options.max_redirects}, last to {current})",
            hint="the site redirects in a loop; open the URL in a browser to check it",
        )  # fmt: skip

    def _fetch_with_retries(self, url: str) -> _Reply:
        """Attempts until one answers; each failure backs the host off in the throttle, which the next attempt waits out."""
        attempts = self.options.max_retries + 1
        host = _host_key(url)
        for attempt in range(1, attempts + 1):
            try:
                reply = self._exchange(url)
            except RetryableFetchError as err:
                self.throttle.failed(host, self._backoff, err.retry_after)
                if attempt == attempts:
                    err.attempts, err.exhausted = attempts, True
                    raise
                wait = self.throttle.state(host).wait  # the backoff, or the delay when that is longer
                logger.warning("%s (retry %d/%d in %.1f s)", err, attempt, attempts - 1, wait)
            except HttpStatusError:
                self.throttle.succeeded(host)  # a definite answer (404...): the host is well
                raise
            else:
                self.throttle.succeeded(host)
                return reply
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    def _exchange(self, url: str) -> _Reply:
        """One request and its reply (logged as one INFO line), every failure classified into the error tree."""
        request = self._build_request(url)
        host = urlsplit(url).hostname or ""
        key = _host_key(url)
        self.throttle.wait_turn(key, self.delay_for(host))
        self.requests_made += 1
        deadline = Deadline(self.options.deadline)
        request.extensions["trace"] = deadline.trace
        deadline.start()
        try:
            with closing(self._client.send(request, stream=True)) as response:
                return self._reply(url, response)
        except (httpx.TransportError, RetryableFetchError) as err:
            if deadline.fired:  # the watchdog cut a trickling exchange: say so, not "truncated"
                logger.info("GET %s -> over the %g s deadline", url, self.options.deadline)
                raise RetryableFetchError(
                    url=url, kind="deadline",
                    reason=f"no complete response within {self.options.deadline:g} s (the server sends too slowly)",
                    hint="the server is overloaded or stalling; try again later",
                ) from err  # fmt: skip
            if not isinstance(err, httpx.TransportError):
                raise
            logger.info("GET %s -> no complete response (%s)", url, type(err).__name__)
            raise self._transport_error(url, err) from err
        finally:
            deadline.cancel()
            # the delay runs from the end of a reply too: a slow server gets its full pause
            self.throttle.finished(key, self.delay_for(host))

    def _build_request(self, url: str) -> httpx.Request:
        try:
            return self._client.build_request("GET", url)
        except httpx.InvalidURL as err:
            raise _malformed(url, _one_line(err), requested=url) from err

    def _transport_error(self, url: str, err: httpx.TransportError) -> FetchError:
        if _name_lookup_failed(err):
            # retrying a failed lookup only repeats it: no network, or a mistyped host
            host = urlsplit(url).hostname or url
            return FetchError(
                url=url, kind="dns",
                reason=f"the host name {host} cannot be resolved (the network is unreachable, or there is no such host)",
                hint="check the address and the connection",
            )  # fmt: skip
        if isinstance(err, httpx.RemoteProtocolError) and "location header" in str(err).lower():
            return FetchError(  # a retry gets the same redirect
                url=url, kind="bad-url",
                reason=f"the server redirects to a malformed address ({_one_line(err)})",
                hint="open the URL in a browser; the site's redirect is broken",
            )  # fmt: skip
        if isinstance(err, httpx.TimeoutException):
            kind, reason = "timeout", f"timed out after {self.options.timeout:g} s ({type(err).__name__})"
            hint = "the server is slow or unreachable; try again later or raise the timeout"
        elif isinstance(err, httpx.RemoteProtocolError):
            kind, reason = "truncated", f"the response was truncated ({_one_line(err)})"
            hint = "the connection drops mid-transfer; try again later"
        else:
            kind, reason = "connection", f"connection failed ({type(err).__name__}: {_one_line(err)})"
            hint = "check the network and the proxy variables (HTTP_PROXY, HTTPS_PROXY, NO_PROXY)"
        return RetryableFetchError(url=url, kind=kind, reason=reason, hint=hint)

    def _reply(self, url: str, response: httpx.Response) -> _Reply:
        status, reason = response.status_code, response.reason_phrase
        content_type = response.headers.get("content-type", "")
        location = response.headers.get("location")
        if not 200 <= status < 300:
            logger.info("GET %s -> %s %s", url, status, reason)
        if status in REDIRECT_STATUSES and location:
            return _Reply(url, status, reason, content_type, location, b"")
        if status in RETRYABLE_STATUSES:
            raise RetryableHttpStatusError(
                url=url, status=status, reason=f"HTTP {status} {reason}",
                hint="the server is busy or failing; try again later",
                retry_after=retry_after_seconds(response.headers.get("retry-after"), at=self.clock.now()),
            )  # fmt: skip
        if not 200 <= status < 300:
            raise HttpStatusError(
                url=url, status=status, reason=f"HTTP {status} {reason} (not retried)",
                hint="check the URL; the page may not exist (in this language)",
            )  # fmt: skip
        try:
            body = self._read_capped(url, response)
        except TooLarge:
            logger.info("GET %s -> %s %s (over the %d-byte cap)", url, status, reason, self.options.max_bytes)
            raise
        logger.info("GET %s -> %s %s (%d bytes)", url, status, reason, len(body))
        stand_in = find_interstitial(decode_body(body, content_type))
        if stand_in is not None:
            raise AntiBotInterstitial(
                url=url, kind="interstitial",
                reason=f'the site served its anti-bot interstitial ("{stand_in.says}") instead of the page',
                hint="the site is throttling us; try again later, waiting longer between requests",
            )  # fmt: skip
        return _Reply(url, status, reason, content_type, None, body)

    def _read_capped(self, url: str, response: httpx.Response) -> bytes:
        """Stream the body, stopping at ``max_bytes``; a short body is a retryable truncation."""
        cap = self.options.max_bytes
        declared = _content_length(response)
        too_large = TooLarge(
            url=url, kind="too-large", reason=f"the response is larger than the {cap:,}-byte cap",
            hint="this is not an ordinary article page; check the URL (FetchOptions(max_bytes=...) raises the cap)",
        )  # fmt: skip
        if declared is not None and declared > cap:
            raise too_large
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise too_large
            chunks.append(chunk)
        if declared is not None and response.num_bytes_downloaded < declared:
            raise RetryableFetchError(
                url=url, kind="truncated",
                reason=f"the body was truncated ({response.num_bytes_downloaded} of {declared} bytes)",
                hint="the connection drops mid-transfer; try again later",
            )  # fmt: skip
        return b"".join(chunks)

    def _check_robots(self, url: str, *, requested: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        agent = self.options.user_agent
        rules = self._robots.get(origin, agent, self.clock.monotonic())
        if rules is None:
            rules = self._load_robots(origin, requested=requested)
            self._robots.put(origin, agent, rules, self.clock.monotonic())
        if rules.crawl_delay is not None and parts.hostname:
            self._crawl_delays[parts.hostname.lower()] = rules.crawl_delay
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        rule = rules.forbidding_rule(path)
        if rule is not None:
            shown = "" if url == requested else f" (redirected to {url})"
            raise RobotsDisallowed(
                url=requested, kind="robots", rule=str(rule),
                reason=f"{origin}/robots.txt disallows it for our user agent (rule `{rule}`){shown}",
                hint="fetch it only if you have the right to, without obeying robots.txt",
            )  # fmt: skip

    def _load_robots(self, origin: str, *, requested: str) -> RobotsRules:
        """robots.txt of ``origin`` (RFC 9309): a 4xx allows everything, a persistent 429/5xx nothing.

        Network failures (refused, timeout, interstitial) propagate unchanged: the
        page itself could not be fetched either, and the error says why.
        """
        robots_url = f"{origin}/robots.txt"
        try:
            page = self._follow(robots_url, check_robots=False)
        except HttpStatusError as err:
            if 400 <= err.status < 500 and err.status != 429:
                logger.debug("no robots.txt at %s (HTTP %s): all allowed", origin, err.status)
                return ALLOW_ALL
            raise RobotsDisallowed(
                url=requested, kind="robots-unavailable", attempts=err.attempts,
                reason=f"{robots_url} answered HTTP {err.status}, so the site counts as closed to crawlers (RFC 9309)",
                hint="try again later",
            ) from err  # fmt: skip
        return parse_robots(page.text, self.options.user_agent)


def _check_url(url: str, *, requested: str) -> None:
    """Refuse what cannot be an http(s) page address, before any request."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
        (parts.hostname or "").encode("idna")  # UnicodeError (a ValueError) for an impossible host name
    except ValueError as err:
        raise _malformed(url, str(err), requested=requested) from err
    scheme = parts.scheme.lower()
    if scheme not in SUPPORTED_SCHEMES:
        shown = f"'{scheme}'" if scheme else "none"
        raise FetchError(
            f"cannot fetch {url}: unsupported scheme {shown}. Hint: only http:// and https:// URLs can be fetched.",
            url=requested, kind="bad-url", reason=f"unsupported scheme {shown}",
        )  # fmt: skip
    if not parts.hostname or any(char.isspace() for char in parts.netloc):
        raise FetchError(
            f"cannot fetch {url}: the URL has no valid host. Hint: give a full address such as "
            "https://www.mid.ru/en/foreign_policy/news/.",
            url=requested, kind="bad-url", reason="the URL has no valid host",
        )  # fmt: skip


def _malformed(url: str, detail: str, *, requested: str) -> FetchError:
    return FetchError(
        f"cannot fetch {url}: malformed URL ({detail}). Hint: copy the address from the browser's address bar.",
        url=requested, kind="bad-url", reason=f"malformed URL ({detail})",
    )  # fmt: skip


def _host_key(url: str) -> str:
    """The throttle's key for a URL: ``host[:port]``, lower case (local servers on one address stay apart)."""
    return urlsplit(url).netloc.lower().rpartition("@")[2] or url


def _content_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length")
    if value is None or not value.strip().isdigit():
        return None
    # with a content-encoding the declared length is of the compressed bytes, which
    # num_bytes_downloaded also counts, so the comparison stays valid
    return int(value)


def _name_lookup_failed(err: BaseException) -> bool:
    """Whether a transport error comes from the resolver (``socket.gaierror``) somewhere down its chain."""
    seen: set[int] = set()
    cause: BaseException | None = err
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, socket.gaierror):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__
