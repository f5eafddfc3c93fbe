"""Time as the HTTP layer sees it: a monotonic clock to wait on, a wall clock for dates, and sleep.

The client and its throttle take a :class:`Clock`, so tests of delays, backoff
and pauses run against :class:`ManualClock`, whose ``sleep`` only moves its
hands forward: the requests still go to real servers, the waits take no time.

>>> clock = ManualClock()
>>> clock.sleep(10.0); clock.sleep(2.5)
>>> clock.monotonic(), clock.slept
(12.5, [10.0, 2.5])
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol

__all__ = ["SYSTEM_CLOCK", "Clock", "ManualClock", "SystemClock"]


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (for delays)."""

    def now(self) -> datetime:
        """The wall-clock time, timezone-aware (for Retry-After dates and fetch times)."""

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds``."""


class SystemClock:
    """The real clocks of the machine."""

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


SYSTEM_CLOCK = SystemClock()


class ManualClock:
    """A clock that moves only when slept on (or :meth:`advance`-d); it remembers every sleep."""

    def __init__(self, start: datetime | None = None) -> None:
        self._start = start or datetime(2026, 1, 1, tzinfo=UTC)
        self._elapsed = 0.0
        self._lock = threading.Lock()
        self.slept: list[float] = []

    def monotonic(self) -> float:
        with self._lock:
            return self._elapsed

    def now(self) -> datetime:
        with self._lock:
            return self._start + timedelta(seconds=self._elapsed)

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self._elapsed += max(0.0, seconds)

    def advance(self, seconds: float) -> None:
        """Let time pass without anyone waiting (e.g. the time a request took)."""
        with self._lock:
            self._elapsed += seconds
