"""Per-host manners shared by every request of the process: the delay, backoff after failures, pauses.

One :class:`HostThrottle` (``shared_throttle()``) serves every
:class:`scrapers.http.client.HttpClient` of the process unless a client is
given its own, so two clients (discovery and a crawl, say) never ask one host
faster than its delay. Per host (``host[:port]``) it keeps:

* the politeness delay: a request starts ``delay`` after the previous one
  started and after it ended;
* backoff: after a failed attempt (429/503 with or without Retry-After, a
  connection reset, a timeout...) the host's next request waits the server's
  Retry-After, else ``base * 2**(failures-1)`` seconds, capped;
* a pause: after ``pause_after`` failed attempts in a row the host rests
  ``pause`` seconds (doubled while it keeps failing, up to ``max_pause``), then
  requests resume; one success clears the count.

Time comes from a :class:`scrapers.http.clock.Clock`, so tests wait for nothing.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from scrapers.http.clock import SYSTEM_CLOCK, Clock

__all__ = ["BackoffPolicy", "HostState", "HostThrottle", "shared_throttle"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BackoffPolicy:
    """How long a failing host is left alone (seconds)."""

    base: float = 2.0
    cap: float = 120.0
    pause_after: int = 6
    pause: float = 300.0
    max_pause: float = 3600.0

    def wait(self, failures: int, retry_after: float | None) -> float:
        """The wait after the ``failures``-th failed attempt in a row: Retry-After if given, else exponential."""
        wanted = retry_after if retry_after is not None else self.base * 2 ** max(0, failures - 1)
        return min(max(0.0, wanted), self.cap)


@dataclass(frozen=True)
class HostState:
    """What the throttle knows of one host, at one moment."""

    host: str
    requests: int
    failures: int  # failed attempts in a row
    pauses: int  # pauses in a row (the host failed again right after each)
    wait: float  # seconds before the host may be asked again (delay, backoff or pause)
    paused: bool


@dataclass
class _Host:
    next_start: float = 0.0
    blocked_until: float = 0.0  # backoff or pause
    paused_until: float = 0.0
    requests: int = 0
    failures: int = 0
    pauses: int = 0


class HostThrottle:
    """Keeps requests to one host apart and away from a failing host (thread-safe)."""

    def __init__(self, clock: Clock = SYSTEM_CLOCK) -> None:
        self.clock = clock
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()

    def _host(self, host: str) -> _Host:
        return self._hosts.setdefault(host.lower(), _Host())

    def wait_turn(self, host: str, delay: float) -> float:
        """Block until ``host`` may be asked again, then book the turn; returns the seconds waited."""
        with self._lock:
            state = self._host(host)
            now = self.clock.monotonic()
            start = max(now, state.next_start, state.blocked_until)
            state.next_start = start + delay
            state.requests += 1
            resuming = state.paused_until > now
        waited = start - now
        if waited > 0:
            logger.debug("waiting %.2f s before the next request to %s", waited, host)
            self.clock.sleep(waited)
        if resuming:
            logger.warning("resuming requests to %s after its pause", host)
        return waited

    def finished(self, host: str, delay: float) -> None:
        """A request to ``host`` just ended: the next one waits ``delay`` from now at least."""
        with self._lock:
            state = self._host(host)
            now = self.clock.monotonic()
            state.next_start = max(state.next_start, now + delay)

    def succeeded(self, host: str) -> None:
        """A complete answer came: the host is healthy again."""
        with self._lock:
            state = self._host(host)
            state.failures = state.pauses = 0

    def failed(self, host: str, policy: BackoffPolicy, retry_after: float | None = None) -> float:
        """A request to ``host`` failed in a way worth retrying; returns the wait before its next request."""
        with self._lock:
            state = self._host(host)
            now = self.clock.monotonic()
            state.failures += 1
            wait = policy.wait(state.failures, retry_after)
            if state.failures >= policy.pause_after:
                wait = max(wait, min(policy.pause * 2**state.pauses, policy.max_pause))
                state.pauses += 1
                failures, state.failures = state.failures, 0
                state.paused_until = now + wait
                logger.warning("pausing requests to %s for %.0f s: %d failed attempts in a row", host, wait, failures)
            state.blocked_until = max(state.blocked_until, now + wait)
            return wait

    def state(self, host: str) -> HostState:
        with self._lock:
            state = self._host(host)
            now = self.clock.monotonic()
            return HostState(
                host=host.lower(),
                requests=state.requests,
                failures=state.failures,
                pauses=state.pauses,
                wait=max(0.0, state.next_start - now, state.blocked_until - now),
                paused=state.paused_until > now,
            )

    def reset(self) -> None:
        """Forget every host (tests that share the process-wide throttle start clean)."""
        with self._lock:
            self._hosts.clear()


_SHARED = HostThrottle()


def shared_throttle() -> HostThrottle:
    """The process-wide throttle (system clock) that clients use unless given their own."""
    return _SHARED
