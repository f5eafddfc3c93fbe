"""Committing a job's items in batches: the one writer every job over many items goes through.

``BatchWriter.add`` collects an item's rows; every ``batch_items`` items or
``batch_seconds`` seconds (whichever comes first) the batch is committed: one
commit per table, in the order the tables were given (sentences, alignments,
units for the align job), each replacing exactly the batch's items, then the
batch's items are listed in the run's ``items``. That last commit is what
makes the items whole (:mod:`align.store.items`); a crash before it loses at
most this batch and leaves its items broken, never a stored row.

Every ``compact_every`` batches the tables written (and ``run_items``) are
compacted with a small target size (no vacuum) and checkpointed: only the
files written since the last compaction, and the one file still below the
target, are rewritten, never the table (:func:`align.store.housekeeping.compact`
skips files at the target size). So a long job keeps the number of files and
log entries a commit reads bounded, and a compaction's cost does not grow
with the corpus; the job's end compacts to large files
(:func:`align.jobs.aligning.align_stored`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Final

import polars as pl

from align.store.delta import predicate_in, widen_units
from align.store.runs import RUN_ITEMS, Run
from align.store.schemas import unit_langs
from align.store.tables import replace_rows

DEFAULT_BATCH_ITEMS: Final = 50
DEFAULT_BATCH_SECONDS: Final = 60.0
COMPACT_EVERY_BATCHES: Final = 10
COMPACT_AFTER_ITEMS: Final = 500  # a job that stored this many items compacts the tables to large files at its end
# The small tier: a file at this size is done growing during a job (a batch of 50 items is some 10-100 KB a
# table), so a periodic compaction rewrites at most about this much per table, however large the table.
BATCH_COMPACT_BYTES: Final = 256 * 1024


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
        where = predicate_in("doc_id", ids)
        for name in self.tables:
            frame = pl.concat([rows[name] for rows in queue.values()], how="diagonal_relaxed")
            if name == "units":
                frame = widen_units(frame, sorted(unit_langs(frame)))
            replace_rows(self.data_dir, name, frame, predicate=where, run_id=self.run.run_id)
        self.run.add_items(ids)
        self.batches += 1
        self._started = time.monotonic()
        if self.compact_every and self.batches % self.compact_every == 0:
            from align.store.housekeeping import compact

            compact(self.data_dir, vacuum=False, tables=(*self.tables, RUN_ITEMS), target_bytes=BATCH_COMPACT_BYTES)
