"""Committing a job's items in batches: the one writer every job over many items goes through.

``BatchWriter.add`` collects an item's rows; every ``batch_items`` items or
``batch_seconds`` seconds (whichever comes first) the batch is committed: one
commit per table, in the order the tables were given (sentences, alignments,
units for the align job), each replacing exactly the batch's items, then the
batch's items are listed in the run's ``items``. That last commit is what
makes the items whole (:mod:`align.store.items`); a crash before it loses at
most this batch and leaves its items broken, never a stored row.

A batch none of whose items a table has rows of yet is appended to the item
tables (a predicate replace reads the ``doc_id`` column of every stored file:
ids arrive in random order, so every file's statistics may hold them, and that
read grew with the corpus); the writer keeps each table open and knows the ids
it holds (:mod:`align.store.open_tables`). Should another process append the
same item meanwhile, the item has rows of two align runs: broken, so readers
skip it and ``bitext align`` redoes it (:mod:`align.store.items`), never shown
doubled. Other tables (``documents``) are always replaced by predicate.

Every ``compact_every`` batches the files the tables written (and
``run_items``) got since the last time are merged
(:func:`align.store.housekeeping.compact_recent`: work in proportion to what
was written since, never the table), so a long job keeps the number of files a
reader opens low at a cost that does not grow with the corpus; the job's end
compacts to large files
(:func:`align.jobs.aligning.align_stored`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Final

import polars as pl

from align.store.delta import frame_path, predicate_in, widen_units, write_rows
from align.store.items import ITEM_TABLES
from align.store.migrate import ensure_layout
from align.store.open_tables import OpenTable
from align.store.runs import RUN_ITEMS, Run
from align.store.schemas import unit_langs

DEFAULT_BATCH_ITEMS: Final = 50
DEFAULT_BATCH_SECONDS: Final = 60.0
COMPACT_EVERY_BATCHES: Final = 10
COMPACT_AFTER_ITEMS: Final = 500  # a job that stored this many items compacts the tables to large files at its end


class BatchWriter:
    """Collects the rows of items and commits them in batches for one run."""

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        run: Run,
        tables: Sequence[str],
        *,
        batch_items: int = DEFAULT_BATCH_ITEMS,
        batch_seconds: float = DEFAULT_BATCH_SECONDS,
        compact_every: int | None = COMPACT_EVERY_BATCHES,
        before_commit: Callable[[list[str]], None] | None = None,
    ) -> None:
        if batch_items < 1 or batch_seconds <= 0:
            from align.errors import InputError

            raise InputError(f"batches need at least 1 item and a positive time, got {batch_items} and {batch_seconds}")
        self.data_dir, self.run, self.tables = data_dir, run, tuple(tables)
        self.batch_items, self.batch_seconds, self.compact_every = batch_items, batch_seconds, compact_every
        self.before_commit = before_commit
        self.batches = 0
        self._open = {name: OpenTable(frame_path(data_dir, name)) for name in (*self.tables, RUN_ITEMS)}
        self._queue: dict[str, Mapping[str, pl.DataFrame]] = {}
        self._started = time.monotonic()

    def add(self, doc_id: str, rows: Mapping[str, pl.DataFrame]) -> bool:
        """Queue one item's rows (every table, empty frames allowed); True when this committed a batch.

        An item queued again replaces its queued rows (the later result wins, as a later commit would).
        """
        self._queue.pop(doc_id, None)
        self._queue[doc_id] = {name: rows[name] for name in self.tables}
        if len(self._queue) >= self.batch_items or time.monotonic() - self._started >= self.batch_seconds:
            self.flush()
            return True
        return False

    def queued(self, doc_id: str) -> Mapping[str, pl.DataFrame] | None:
        """The rows of ``doc_id`` waiting for the next commit, if it is queued."""
        return self._queue.get(doc_id)

    def flush(self) -> None:
        """Commit what is queued (nothing when the queue is empty)."""
        if not self._queue:
            return
        queue, self._queue = self._queue, {}
        ids = list(queue)
        if self.before_commit:
            self.before_commit(ids)
        ensure_layout(self.data_dir)
        where = predicate_in("doc_id", ids)
        for name in self.tables:
            frame = pl.concat([rows[name] for rows in queue.values()], how="diagonal_relaxed")
            if name == "units":
                frame = widen_units(frame, sorted(unit_langs(frame)))
            table = self._open[name]
            delta = table.refresh()
            append = name in ITEM_TABLES and not table.holds_any(ids)  # only there is an item written twice caught
            write_rows(self.data_dir, name, frame, predicate=None if append else where, run_id=self.run.run_id,
                       table=delta)
        self.run.add_items(ids)
        self.batches += 1
        self._started = time.monotonic()
        if self.compact_every and self.batches % self.compact_every == 0:
            from align.store.housekeeping import compact_recent

            compact_recent(self._open.values())
