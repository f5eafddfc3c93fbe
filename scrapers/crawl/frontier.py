"""The crawl's memory: ``DATA/crawl.sqlite`` (stdlib sqlite3, WAL), committed after every change.

Three tables. ``urls``: every URL the crawl met (source pages, item pages and
the version pages fetched for them) with its state, attempts, last error and
next-try time. ``items``: one row per item (``doc_id``), the URL it is crawled
from, its state and whether it is aligned. ``versions``: per item and
language, stored (with the page's hash) or absent (with the reason).

Each change is its own transaction, so ``kill -9`` loses at most what was in
flight; WAL lets ``bitext crawl --status`` read while a crawl writes.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from scrapers.errors import ScraperError

FILE_NAME: Final = "crawl.sqlite"
LOCK_NAME: Final = "crawl.lock"
UrlState = Literal["queued", "fetched", "stored", "disallowed", "gone", "failed"]
URL_STATES: Final[tuple[UrlState, ...]] = ("queued", "fetched", "stored", "disallowed", "gone", "failed")
# partial: stored, but a page failed for a reason that may pass (a 503, a reset): tried again
ItemState = Literal["queued", "fetched", "stored", "partial", "disallowed", "gone", "failed"]
ITEM_STATES: Final = ("queued", "fetched", "stored", "partial", "disallowed", "gone", "failed")

SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,              -- index | feed | sitemap | listing | item | page
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_try REAL,                   -- unix time before which the URL is not tried again
    status INTEGER,                  -- the last HTTP status seen
    sha256 TEXT,
    fetched_at REAL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS items (
    doc_id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    state TEXT NOT NULL,
    title TEXT,
    listed_date TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_try REAL,
    fetched_at REAL,
    aligned INTEGER NOT NULL DEFAULT 0,
    seq INTEGER NOT NULL,            -- discovery order, the crawl order
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (
    doc_id TEXT NOT NULL,
    lang TEXT NOT NULL,
    state TEXT NOT NULL,             -- stored | absent
    url TEXT,
    sha256 TEXT,
    reason TEXT,
    PRIMARY KEY (doc_id, lang)
);
CREATE INDEX IF NOT EXISTS items_by_state ON items (state, seq);
"""


@dataclass(frozen=True)
class ItemRow:
    """An item of the frontier."""

    doc_id: str
    url: str
    state: str
    attempts: int
    fetched_at: float | None
    title: str | None
    listed_date: str | None


@dataclass(frozen=True)
class VersionRow:
    lang: str
    state: str
    url: str | None
    sha256: str | None
    reason: str | None


class Frontier:
    """One crawl's state in a folder; open it with :func:`open_frontier`."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    # --- URLs -------------------------------------------------------------------------------------

    def url_state(self, url: str) -> str | None:
        row = self._db.execute("SELECT state FROM urls WHERE url = ?", (url,)).fetchone()
        return str(row[0]) if row else None

    def url_row(self, url: str) -> tuple[str, int | None, str | None, float | None] | None:
        """(state, status, last_error, fetched_at) of ``url``, if the crawl met it."""
        row = self._db.execute("SELECT state, status, last_error, fetched_at FROM urls WHERE url = ?", (url,)).fetchone()
        return (str(row[0]), row[1], row[2], row[3]) if row else None

    def mark_url(
        self,
        url: str,
        state: UrlState,
        *,
        kind: str = "page",
        error: str | None = None,
        status: int | None = None,
        sha256: str | None = None,
        fetched_at: float | None = None,
        attempted: bool = False,
    ) -> None:
        now = time.time()
        with self._db:
            self._db.execute(
                """INSERT INTO urls (url, kind, state, attempts, last_error, status, sha256, fetched_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (url) DO UPDATE SET state = excluded.state,
                       attempts = urls.attempts + excluded.attempts,
                       last_error = excluded.last_error, status = COALESCE(excluded.status, urls.status),
                       sha256 = COALESCE(excluded.sha256, urls.sha256),
                       fetched_at = COALESCE(excluded.fetched_at, urls.fetched_at),
                       kind = CASE WHEN urls.kind = 'page' THEN excluded.kind ELSE urls.kind END,
                       updated_at = excluded.updated_at""",
                (url, kind, state, int(attempted), error, status, sha256, fetched_at, now),
            )

    def queue_source(self, url: str, kind: str) -> bool:
        """Add a source page; False when it is already known (read before, or queued)."""
        with self._db:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO urls (url, kind, state, updated_at) VALUES (?, ?, 'queued', ?)",
                (url, kind, time.time()),
            )
        return cursor.rowcount > 0

    def sources_to_read(self) -> list[tuple[str, str]]:
        rows = self._db.execute(
            "SELECT url, kind FROM urls WHERE kind IN ('index', 'feed', 'sitemap', 'listing') "
            "AND state IN ('queued', 'failed') ORDER BY rowid"
        )
        return [(str(url), str(kind)) for url, kind in rows]

    # --- items ------------------------------------------------------------------------------------

    def queue_item(self, doc_id: str, url: str, *, title: str | None = None, listed_date: str | None = None) -> bool:
        """Add an item; False when the frontier knows it already (under this URL or another)."""
        now = time.time()
        with self._db:
            seq = self._db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM items").fetchone()[0]
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO items (doc_id, url, state, title, listed_date, seq, updated_at) "
                "VALUES (?, ?, 'queued', ?, ?, ?, ?)",
                (doc_id, url, title, listed_date, seq, now),
            )
            self._db.execute(
                "INSERT OR IGNORE INTO urls (url, kind, state, updated_at) VALUES (?, 'item', 'queued', ?)", (url, now)
            )
        return cursor.rowcount > 0

    def item(self, doc_id: str) -> ItemRow | None:
        row = self._db.execute(
            "SELECT doc_id, url, state, attempts, fetched_at, title, listed_date FROM items WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return ItemRow(*row) if row else None

    def items_in(self, states: Iterable[str]) -> list[ItemRow]:
        wanted = tuple(states)
        marks = ",".join("?" * len(wanted))
        rows = self._db.execute(
            "SELECT doc_id, url, state, attempts, fetched_at, title, listed_date FROM items "
            f"WHERE state IN ({marks}) ORDER BY seq",
            wanted,
        )
        return [ItemRow(*row) for row in rows]

    def set_item(
        self, doc_id: str, state: ItemState, *, error: str | None = None, attempted: bool = False,
        next_try: float | None = None, fetched: bool = False, url: str | None = None, realign: bool = False,
    ) -> None:  # fmt: skip
        """Record an item's new state; ``fetched``: its pages were just read; ``realign``: its documents changed."""
        now = time.time()
        with self._db:
            self._db.execute(
                """UPDATE items SET state = ?, last_error = ?, attempts = attempts + ?, next_try = ?,
                       fetched_at = CASE WHEN ? THEN ? ELSE fetched_at END, url = COALESCE(?, url),
                       aligned = CASE WHEN ? THEN 0 ELSE aligned END, updated_at = ? WHERE doc_id = ?""",
                (state, error, int(attempted), next_try, fetched, now, url, realign, now, doc_id),
            )

    def reset_attempts(self, doc_id: str) -> None:
        with self._db:
            self._db.execute("UPDATE items SET attempts = 0, next_try = NULL WHERE doc_id = ?", (doc_id,))

    def set_versions(self, doc_id: str, versions: Iterable[VersionRow]) -> None:
        with self._db:
            self._db.execute("DELETE FROM versions WHERE doc_id = ?", (doc_id,))
            self._db.executemany(
                "INSERT INTO versions (doc_id, lang, state, url, sha256, reason) VALUES (?, ?, ?, ?, ?, ?)",
                [(doc_id, v.lang, v.state, v.url, v.sha256, v.reason) for v in versions],
            )

    def versions(self, doc_id: str) -> list[VersionRow]:
        rows = self._db.execute(
            "SELECT lang, state, url, sha256, reason FROM versions WHERE doc_id = ? ORDER BY lang", (doc_id,)
        )
        return [VersionRow(*row) for row in rows]

    def unaligned(self) -> list[str]:
        rows = self._db.execute(
            "SELECT doc_id FROM items WHERE state IN ('stored', 'partial') AND aligned = 0 ORDER BY seq"
        )
        return [str(row[0]) for row in rows]

    def mark_aligned(self, doc_ids: Iterable[str]) -> None:
        with self._db:
            self._db.executemany("UPDATE items SET aligned = 1 WHERE doc_id = ?", [(d,) for d in doc_ids])

    # --- counts -----------------------------------------------------------------------------------

    def counts(self) -> dict[str, dict[str, int]]:
        """``{"items": {state: n}, "urls": {state: n}, "versions": {state: n}, "aligned": {"yes": n}}``."""
        result: dict[str, dict[str, int]] = {}
        for table in ("items", "urls", "versions"):
            rows = self._db.execute(f"SELECT state, COUNT(*) FROM {table} GROUP BY state")
            result[table] = {str(state): int(n) for state, n in rows}
        aligned = self._db.execute(
            "SELECT COUNT(*) FROM items WHERE state IN ('stored', 'partial') AND aligned = 1"
        ).fetchone()[0]
        result["aligned"] = {"yes": int(aligned)}
        return result

    def close(self) -> None:
        self._db.close()


class FrontierError(ScraperError):
    """``crawl.sqlite`` cannot be used: not an SQLite file, another crawl holds it, a read-only folder."""


@contextmanager
def open_frontier(data_dir: Path, *, create: bool = True, exclusive: bool = False) -> Iterator[Frontier]:
    """The frontier of ``data_dir`` (created when ``create``); FileNotFoundError when absent and not ``create``.

    ``exclusive``: hold ``crawl.lock`` while open, so that two crawls never work one folder at once.
    """
    path = Path(data_dir) / FILE_NAME
    if not create and not path.exists():
        raise FileNotFoundError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        if exclusive:
            stack.enter_context(_crawl_lock(path.with_name(LOCK_NAME)))
        connection = stack.enter_context(closing(sqlite3.connect(path, timeout=30)))
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.executescript(SCHEMA)
        except sqlite3.DatabaseError as err:
            raise FrontierError(
                f"{path} cannot be used as the crawl's frontier ({err}); move it away to start the crawl afresh "
                "(what is stored in the folder's tables is kept)",
                url=None,
            ) from err
        yield Frontier(connection, path)


@contextmanager
def _crawl_lock(path: Path) -> Iterator[None]:
    """An exclusive ``flock`` on ``crawl.lock``; the system releases it when the process dies, even by ``kill -9``."""
    import fcntl

    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FrontierError(
                f"another crawl is running in {path.parent} (it holds {path}); wait for it to end, "
                "or crawl into another folder with -d"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
