"""A Delta table a long writer keeps open: refreshed from the commits made since, and the item ids it holds.

Opening a table from its path at every commit replays its log from the last
checkpoint, and a predicate replace reads the ``doc_id`` column of every file
whose statistics may hold the ids (ids arrive in random order: every file), so
both cost more as the corpus grows. A job's writer
(:class:`align.store.batches.BatchWriter`) and a run's ``run_items`` appends
keep one :class:`OpenTable` per table instead: ``update_incremental`` reads only
the commits made since the last look, and the ids the table holds are read once
and after that only from the data files added since (by this process or any
other), so a batch of items the table does not hold yet can be appended
without reading what is stored.

What :meth:`OpenTable.holds_any` says is true when it is asked; another process
may add the same items before the append commits. Only tables whose readers
catch an item written twice (:mod:`align.store.items`: rows of two align runs
make an item broken, which readers skip and ``bitext align`` redoes) may be
appended to on its word.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

import polars as pl

if TYPE_CHECKING:
    from deltalake import DeltaTable


class OpenTable:
    """One table at ``path`` (which may not exist yet), kept open across commits."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._delta: DeltaTable | None = None
        self._version = -1  # the version _live was read at
        self._created_since = False  # the table did not exist at the first look: all its files are "added since"
        self._live: dict[str, int] = {}  # the data files of the version last refreshed, and their sizes
        self._added_bytes = 0  # bytes of the data files that appeared since the last take_added_bytes()
        self._id_files: set[str] = set()  # the data files whose ids are in _ids
        self._ids: set[str] = set()  # every doc_id those files hold (a superset once items are deleted: safe)

    def refresh(self) -> DeltaTable | None:
        """The table as of its latest commit (None while it does not exist); reads only the commits since the last call."""
        if self._delta is None:
            if not (self.path / "_delta_log").is_dir():
                self._created_since = True
                return None
            from deltalake import DeltaTable

            self._delta, stored_before = DeltaTable(str(self.path)), not self._created_since
        else:
            stored_before = False
            # Delta names the next commit _delta_log/<version+1>.json: one stat tells whether another process has
            # committed, where update_incremental lists the whole log folder, which grows with every commit
            if (self.path / "_delta_log" / f"{self._delta.version() + 1:020d}.json").exists():
                self._delta.update_incremental()
            if self._delta.version() == self._version:
                return self._delta  # nothing committed since the last look, by anyone
        self._version = self._delta.version()
        actions = pl.DataFrame(self._delta.get_add_actions(flatten=True)).select("path", "size_bytes")
        live = {str(self.path / unquote(name)): size for name, size in actions.iter_rows()}
        if not stored_before:  # what was stored before this writer came is no file "added since"
            self._added_bytes += sum(size for name, size in live.items() if name not in self._live)
        self._live = live
        return self._delta

    @property
    def table(self) -> DeltaTable | None:
        """The table as last refreshed or committed to through it (None while it does not exist)."""
        return self._delta

    def take_added_bytes(self) -> int:
        """Bytes of the data files added (by anyone) since the last call, as of the last refresh."""
        added, self._added_bytes = self._added_bytes, 0
        return added

    def holds_any(self, doc_ids: Iterable[str]) -> bool:
        """Whether the table, as last refreshed, has rows of any of ``doc_ids``."""
        unread = sorted(set(self._live) - self._id_files)
        if unread:
            # the ids of new files only (a batch, a compaction's output): reading the whole column again is what grew
            self._ids.update(pl.read_parquet(unread, columns=["doc_id"])["doc_id"].unique().to_list())
        self._id_files = set(self._live)
        return not self._ids.isdisjoint(doc_ids)
