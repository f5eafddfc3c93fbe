"""A total deadline for one HTTP exchange: connect, headers and body together.

httpx's timeouts bound each socket operation, so a server that sends one byte
every two seconds keeps a request alive for ever. :class:`Deadline` is given to
httpx as the request's ``trace`` extension: it learns the socket when the
connection is made and, when the deadline passes, shuts the socket down, which
wakes the blocked read at once. The client then reports a timeout.

The client opens a fresh connection per request (no keep-alive), so every
exchange passes through ``connection.connect_tcp.complete``.
"""

from __future__ import annotations

import socket
import threading
from typing import Any

__all__ = ["Deadline"]


class Deadline:
    """Shut the exchange's socket down ``seconds`` after :meth:`start`; ``fired`` tells whether it did."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.fired = False
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def start(self) -> Deadline:
        self._timer.start()
        return self

    def cancel(self) -> None:
        self._timer.cancel()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace hook: remember the socket of each new connection."""
        if event in ("connection.connect_tcp.complete", "connection.connect_unix_socket.complete"):
            stream = info.get("return_value")
            sock = stream.get_extra_info("socket") if stream is not None else None
            with self._lock:
                self._socket = sock if isinstance(sock, socket.socket) else None
                expired = self.fired
            if expired:
                self._shutdown()

    def _expire(self) -> None:
        with self._lock:
            self.fired = True
        self._shutdown()

    def _shutdown(self) -> None:
        with self._lock:
            sock = self._socket
        if sock is None:
            return
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed: the exchange ended on its own
