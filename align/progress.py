"""Progress of a long job on stderr: done, rate, ETA.

On a terminal the line is redrawn in place (at most every ``TTY_INTERVAL``
seconds); elsewhere (a log file, a CI job) one line is written every
``LOG_INTERVAL`` seconds, so a day-long job leaves a readable log. The last
line, with the total time, is always written.

>>> import io
>>> out = io.StringIO()
>>> progress = Progress(3, "items", "aligning", stream=out, clock=iter([0.0, 0.0, 90.0, 120.0]).__next__)
>>> progress.advance(1); progress.advance(1); progress.close()
>>> print(out.getvalue(), end="")
aligning: 2/3 items, 0.0222 items/s, ETA 45s
aligning: 2/3 items in 2m00s, 0.0167 items/s
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping
from typing import Final, TextIO

TTY_INTERVAL: Final = 0.5
LOG_INTERVAL: Final = 60.0


def duration(seconds: float) -> str:
    """``"45s"``, ``"2m05s"``, ``"3h07m"``."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


class Progress:
    """Counts ``done`` out of ``total`` and reports it now and then."""

    def __init__(
        self,
        total: int,
        unit: str,
        label: str,
        *,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
        enabled: bool = True,
    ):
        self.total, self.unit, self.label, self.enabled = total, unit, label, enabled
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.interval = TTY_INTERVAL if self.tty else LOG_INTERVAL
        self.clock = clock
        self.done = 0
        self.started = clock()
        self._last = self.started

    def rate(self, now: float) -> float:
        elapsed = now - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = self.clock()
        if now - self._last >= self.interval:
            self._last = now
            rate = self.rate(now)
            eta = f"ETA {duration((self.total - self.done) / rate)}" if rate > 0 else "ETA unknown"
            self._write(f"{self.label}: {self.done}/{self.total} {self.unit}, {rate:.3g} {self.unit}/s, {eta}", final=False)

    def close(self) -> None:
        now = self.clock()
        self._write(f"{self.label}: {self.done}/{self.total} {self.unit} in {duration(now - self.started)}, "
                    f"{self.rate(now):.3g} {self.unit}/s", final=True)

    def _write(self, line: str, *, final: bool) -> None:
        if not self.enabled:
            return
        if self.tty:
            self.stream.write("\r\x1b[K" + line + ("\n" if final else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def embedding_summary(counts: Mapping[str, int]) -> str:
    """``embedded 1200 sentences in 85.0 s (14.1/s), 300 from the cache (20%)``, from an embedding scorer's counts."""
    embedded, hits = counts.get("embedded", 0), counts.get("cache_hits", 0)
    seconds = counts.get("embed_ms", 0) / 1000
    rate = f" ({embedded / seconds:.1f}/s)" if seconds > 0 else ""
    share = f" ({100 * hits / (embedded + hits):.0f}%)" if embedded + hits else ""
    return f"embedded {embedded} sentences in {seconds:.1f} s{rate}, {hits} from the cache{share}"
