"""Committing a job's items in batches: the one writer every job over many items goes through.

``BatchWriter.add`` collects an item's rows; every ``batch_items`` items or
``batch_seconds`` seconds (whichever comes first) the batch is committed: one
commit per table, in the order the tables were given (sentences, alignments,
units for the align job), each replacing exactly the batch's items, then the
batch's items are listed in the run's ``items``. That last commit is what
makes the items whole (:mod:`align.store.items`); a crash before it loses at
most this batch and leaves its items broken, never a stored row.

Every ``compact_every`` batches the tables are compacted (no vacuum) and
checkpointed, so a long job keeps each table to a few files and each commit's
cost flat instead of growing with the number of batches stored.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Final

import polars as pl

from align.store.delta import predicate_in, widen_units
from align.store.runs import Run
from align.store.schemas import unit_langs
from align.store.tables import replace_rows

DEFAULT_BATCH_ITEMS: Final = 50
DEFAULT_BATCH_SECONDS: Final = 60.0
COMPACT_EVERY_BATCHES: Final = 10


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
        self._ids: list[str] = []
        self._rows: dict[str, list[pl.DataFrame]] = {name: [] for name in self.tables}
        self._started = time.monotonic()

    def add(self, doc_id: str, rows: Mapping[str, pl.DataFrame]) -> bool:
        """Queue one item's rows (every table, empty frames allowed); True when this committed a batch."""
        self._ids.append(doc_id)
        for name in self.tables:
            self._rows[name].append(rows[name])
        if len(self._ids) >= self.batch_items or time.monotonic() - self._started >= self.batch_seconds:
            self.flush()
            return True
        return False

    def flush(self) -> None:
        """Commit what is queued (nothing when the queue is empty)."""
        if not self._ids:
            return
        ids, rows = self._ids, self._rows
        self._ids, self._rows = [], {name: [] for name in self.tables}
        if self.before_commit:
            self.before_commit(ids)
        where = predicate_in("doc_id", ids)
        for name in self.tables:
            frame = pl.concat(rows[name], how="diagonal_relaxed")
            if name == "units":
                frame = widen_units(frame, sorted(unit_langs(frame)))
            replace_rows(self.data_dir, name, frame, predicate=where, run_id=self.run.run_id)
        self.run.add_items(ids)
        self.batches += 1
        self._started = time.monotonic()
        if self.compact_every and self.batches % self.compact_every == 0:
            from align.store.housekeeping import compact

            compact(self.data_dir, vacuum=False)
