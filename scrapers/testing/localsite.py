"""A real HTTP server on 127.0.0.1 that serves fixed pages and injects faults.

The tests fetch from it instead of the internet, and ``bitext demo`` serves
the bundled sample site with it. Routes are keyed by path plus query exactly
as requested (``/ru/foreign_policy/news/1527258/?lang=en``). The server also
accepts absolute-form targets (``GET http://www.mid.ru/en/... HTTP/1.1``), as
a proxy receives them, so it can stand in for a site behind ``HTTP_PROXY``;
a route keyed by host and path (``archive.mid.ru/en/...``) then wins over
the bare path, so several hosts can sit behind one proxy.

>>> import httpx
>>> routes = {"/": Route.html("<p>hello</p>"), "/flaky": (Route(status=500), Route.html("ok"))}
>>> with serve(routes) as site:
...     [httpx.get(site.url(path)).status_code for path in ("/", "/flaky", "/flaky", "/missing")]
[200, 500, 200, 404]
"""

from __future__ import annotations

import json
import logging
import mimetypes
import socket
import struct
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapers.errors import SiteManifestError

__all__ = ["Hit", "LocalSite", "Route", "RouteSpec", "SiteManifest", "interstitial_route", "load_manifest", "serve"]

logger = logging.getLogger(__name__)

HTML = "text/html; charset=utf-8"
MANIFEST_NAME = "site.json"
INTERSTITIAL_HTML = (
    "<!DOCTYPE html><html><head><title>mid.ru</title></head>"
    "<body><div class='loader'>Data processing... Please, wait.</div></body></html>"
)


@dataclass(frozen=True)
class Route:
    """One scripted response.

    Parameters
    ----------
    status, body, content_type, headers
        What is sent; ``Content-Length`` is always the full body length.
    delay
        Seconds to wait before answering (a response slower than the client's timeout).
    truncate_at
        Send only this many body bytes, then close the connection (a truncated body).
    chunked
        Send the body with chunked transfer encoding, without ``Content-Length``,
        so that only a streaming reader can notice its size.
    trickle
        Send the whole response, status line and headers included, one byte
        every ``trickle`` seconds (a server that is never silent long enough to
        trip a read timeout).
    reset
        Read the request, then abort the connection with a TCP reset ("connection
        reset by peer"), sending nothing.
    """

    status: int = 200
    body: bytes = b""
    content_type: str = HTML
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    truncate_at: int | None = None
    chunked: bool = False
    trickle: float = 0.0
    reset: bool = False

    @classmethod
    def html(cls, text: str, *, status: int = 200, **kwargs: Any) -> Route:
        """An HTML page from a string (encoded as UTF-8)."""
        return cls(status=status, body=text.encode("utf-8"), **kwargs)

    @classmethod
    def redirect(cls, location: str, *, status: int = 302) -> Route:
        return cls(status=status, headers={"Location": location})


# A sequence is served in order, one entry per request; its last entry then repeats.
# Example: (Route(status=500), Route.html("ok")) answers 500 once, then "ok" forever.
RouteSpec = Route | Sequence[Route]


def interstitial_route() -> Route:
    """The anti-bot page mid.ru serves instead of content when it throttles."""
    return Route.html(INTERSTITIAL_HTML)


@dataclass(frozen=True)
class SiteManifest:
    """Routes read from a folder's ``site.json`` (see :func:`load_manifest`)."""

    folder: Path
    routes: Mapping[str, Route]


@dataclass(frozen=True)
class Hit:
    """One request the server received."""

    method: str
    target: str
    path: str
    headers: Mapping[str, str]
    received_at: float
    """``time.monotonic()`` when the request line arrived."""


class LocalSite:
    """A running server: its address, its routes and the requests it has seen."""

    def __init__(self, routes: Mapping[str, RouteSpec], host: str) -> None:
        self.host = host
        self.port = 0
        self.log: list[Hit] = []
        self._routes: dict[str, tuple[Route, ...]] = {}
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        for path, spec in routes.items():
            self.set_route(path, spec)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def hits(self) -> list[str]:
        """Request targets as received (absolute-form when reached through a proxy)."""
        return [hit.target for hit in self.log]

    def url(self, path: str) -> str:
        return self.base_url + path

    def count(self, path: str) -> int:
        """Requests received for ``path`` (path plus query, in either target form)."""
        return sum(1 for hit in self.log if hit.path == path)

    def set_route(self, path: str, spec: RouteSpec) -> None:
        """Add or replace the route for ``path``; its sequence restarts."""
        responses = (spec,) if isinstance(spec, Route) else tuple(spec)
        if not responses:
            raise ValueError(f"route {path!r} has an empty response sequence")
        with self._lock:
            self._routes[path] = responses
            self._served[path] = 0

    def respond_to(self, method: str, target: str, headers: Mapping[str, str]) -> Route:
        """Record the request and pick the response for it."""
        path = origin_form(target)
        host = (urlsplit(target).hostname or "") if path != target else ""
        with self._lock:
            self.log.append(Hit(method, target, path, dict(headers), time.monotonic()))
            key = host + path if host + path in self._routes else path
            responses = self._routes.get(key)
            if responses is None:
                return Route(status=404, body=b"not found", content_type="text/plain; charset=utf-8")
            served = self._served[key]
            self._served[key] = served + 1
        return responses[min(served, len(responses) - 1)]


def origin_form(target: str) -> str:
    """'http://www.mid.ru/en/a?b=1' -> '/en/a?b=1'; an origin-form target is returned as is."""
    if not target.lower().startswith(("http://", "https://")):
        return target
    parts = urlsplit(target)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 5  # idle keep-alive connections end on their own after this
    server: _Server

    def do_GET(self) -> None:
        route = self.server.site.respond_to("GET", self.path, dict(self.headers.items()))
        try:
            self._send(route)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (e.g. its timeout fired)

    def _send(self, route: Route) -> None:
        if route.delay and self.server.site.stopping.wait(route.delay):
            self.close_connection = True
            return
        if route.trickle:
            self._trickle(route)
            return
        if route.reset:
            # SO_LINGER with a zero timeout makes close() send RST instead of FIN
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        if route.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(route.body)))
        for name, value in route.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if route.chunked:
            self._send_chunked(route.body)
        elif route.truncate_at is None:
            self.wfile.write(route.body)
        else:
            self.wfile.write(route.body[: route.truncate_at])
            self.wfile.flush()
            self.close_connection = True

    def _trickle(self, route: Route) -> None:
        head = f"HTTP/1.1 {route.status} OK\r\nContent-Type: {route.content_type}\r\n"
        head += f"Content-Length: {len(route.body)}\r\nConnection: close\r\n\r\n"
        self.close_connection = True
        for byte in head.encode("latin-1") + route.body:
            if self.server.site.stopping.wait(route.trickle):
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()

    def _send_chunked(self, body: bytes, chunk_size: int = 1024) -> None:
        for start in range(0, len(body), chunk_size):
            chunk = body[start : start + chunk_size]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")

    def log_message(self, format: str, *args: Any) -> None:  # the base class names it `format`
        logger.debug("localsite: " + format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: LocalSite) -> None:
        self.site = site
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # socketserver calls this inside its except block, so exc_info is the error being handled
        logger.debug("localsite: error while serving %s", client_address, exc_info=True)  # noqa: LOG014


@contextmanager
def serve(
    routes: Mapping[str, RouteSpec] | SiteManifest, *, host: str = "127.0.0.1", port: int = 0
) -> Iterator[LocalSite]:
    """Run a local site in a daemon thread for the duration of the ``with`` block.

    Parameters
    ----------
    routes
        Path plus query -> response (or sequence of responses), or a manifest.
    host, port
        Where to listen; port 0 picks a free port (see ``.base_url``).
    """
    site = LocalSite(routes.routes if isinstance(routes, SiteManifest) else routes, host)
    server = _Server((host, port), site)
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    logger.debug("localsite serving %s", site.base_url)
    try:
        yield site
    finally:
        site.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def stalled_server(host: str = "127.0.0.1") -> Iterator[str]:
    """The base URL of a server that accepts connections and then never says a word."""
    listener = socket.create_server((host, 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.05)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in accepted:
            conn.close()
        listener.close()


def load_manifest(folder: Path | str) -> SiteManifest:
    """Read ``<folder>/site.json``: ``{"routes": [{"path": "/en/...", "file": "old/en.html"}, ...]}``.

    Each route may also give ``status`` (200), ``content_type`` (guessed from the
    file name), ``headers`` (an object) or an inline ``body`` string instead of ``file``.
    Files are relative to the folder.
    """
    folder = Path(folder)
    manifest_path = folder / MANIFEST_NAME
    try:
        data = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise SiteManifestError(f"no {MANIFEST_NAME} in {folder}. Hint: give the folder of a sample site.") from err
    except (OSError, ValueError) as err:
        raise SiteManifestError(f"cannot read {manifest_path}: {err}. Hint: it must be a JSON object.") from err
    entries = data.get("routes") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise SiteManifestError(
            f'{manifest_path} has no "routes" list. Hint: {{"routes": [{{"path": ..., "file": ...}}]}}'
        )
    routes: dict[str, Route] = {}
    for number, entry in enumerate(entries, start=1):
        path, route = _manifest_route(entry, folder, where=f"{manifest_path}, route {number}")
        routes[path] = route
    return SiteManifest(folder=folder, routes=routes)


def _manifest_route(entry: Any, folder: Path, *, where: str) -> tuple[str, Route]:
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
        raise SiteManifestError(f'{where}: needs a "path" string. Hint: {{"path": "/en/...", "file": "en.html"}}')
    if "file" in entry:
        file_path = folder / entry["file"]
        try:
            body = file_path.read_bytes()
        except OSError as err:
            raise SiteManifestError(
                f"{where}: cannot read {file_path}: {err.strerror}. Hint: paths are relative to the folder."
            ) from err
    elif isinstance(entry.get("body"), str):
        body, file_path = entry["body"].encode("utf-8"), None
    else:
        raise SiteManifestError(f'{where}: needs "file" or "body". Hint: "file" is relative to {folder}.')
    content_type = entry.get("content_type") or _guess_content_type(file_path)
    route = Route(
        status=int(entry.get("status", 200)),
        body=body,
        content_type=content_type,
        headers=dict(entry.get("headers", {})),
    )
    return entry["path"], route


def _guess_content_type(file_path: Path | None) -> str:
    if file_path is None:
        return HTML
    guessed, _ = mimetypes.guess_type(file_path.name)
    if guessed is None or guessed == "text/html":
        return HTML
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed
