"""Per-host spacing of requests: the politeness delay, counted from the end of each reply too."""

from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger(__name__)


class HostThrottle:
    """Keeps requests to one host at least its delay apart (thread-safe)."""

    def __init__(self) -> None:
        self._next_start: dict[str, float] = {}
        self._lock = threading.Lock()

    def finished(self, host: str, delay: float) -> None:
        """A request to ``host`` just ended: the next one waits ``delay`` from now at least."""
        with self._lock:
            now = time.monotonic()
            self._next_start[host] = max(self._next_start.get(host, now), now + delay)

    def wait_turn(self, host: str, delay: float) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start.get(host, now))
            self._next_start[host] = start + delay
        if start > now:
            logger.debug("waiting %.2f s before the next request to %s", start - now, host)
            time.sleep(start - now)
