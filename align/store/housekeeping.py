"""Keeping the tables small and clean: compaction, vacuum, crash leftovers, plain Parquet snapshots.

* :func:`compact` rewrites each table's many small files (one per batch
  commit) into a few large ones (at most ``TARGET_FILE_BYTES``), checkpoints
  the log, and vacuums the data and commit files no version newer than
  ``keep_hours`` needs (the version history, which undo and audits use, is
  kept that long). Files already at the target size are left as they are
  (delta-rs skips them).
* :func:`compact_recent`, which a long job runs every few batches
  (:mod:`align.store.batches`), merges the files added since its last call
  into files of at most their total size: its work is proportional to what
  was written since, and costs the same at item 100 as at item 100,000 (tiered:
  the small tier during a job, the large one, :func:`compact`, at its end).
* :func:`align.store.leftovers.remove_leftovers` (run here before a vacuum) deletes what a killed process leaves: data files no
  commit of the table mentions and half-written commit files, once they are
  older than a grace period (a live writer commits its files within seconds),
  plus the hidden ``*.tmp`` files of the Parquet era. Every run calls it.
* :func:`export_parquet` writes one plain Parquet file per frame, whole items
  only, plus ``runs.parquet``, for tools that read no Delta.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from align.store.leftovers import data_files, remove_leftovers, store_tables
from align.store.open_tables import OpenTable
from align.store.schemas import FRAME_NAMES

log = logging.getLogger(__name__)

DEFAULT_KEEP_HOURS: Final = 168  # one week of history
# Compacted files stop growing at this size: replacing an item rewrites the files holding its rows, so this
# bounds what a re-alignment of one item costs however large the corpus grows.
TARGET_FILE_BYTES: Final = 8 * 1024 * 1024
# compact_recent's target: this many times the bytes added since its last call (see there)
RECENT_TARGET_FACTOR: Final = 1


@dataclass(frozen=True)
class CompactSummary:
    table: str
    files_before: int  # data files of the current version
    files_after: int
    on_disk: int  # data files on disk afterwards (the current version's and the kept history's)
    removed: int


def compact(
    data_dir: str | os.PathLike[str],
    *,
    keep_hours: float = DEFAULT_KEEP_HOURS,
    vacuum: bool = True,
    tables: Iterable[str] | None = None,
    target_bytes: int = TARGET_FILE_BYTES,
) -> list[CompactSummary]:
    """Optimize (compact), checkpoint and (unless ``vacuum`` is off) vacuum the tables of ``data_dir``.

    ``tables``: only these (default: every table). Files of ``target_bytes`` or
    more are not rewritten. A table another process is writing is skipped with
    a warning (compaction loses the race rather than the writer).
    """
    from deltalake import DeltaTable

    from align.store.delta import is_conflict

    data_dir = Path(data_dir)
    if vacuum:
        remove_leftovers(data_dir)
    summaries = []
    chosen = None if tables is None else set(tables)
    for table in store_tables(data_dir):
        if chosen is not None and table.name not in chosen:
            continue
        removed = 0
        delta = DeltaTable(str(table))
        before = after = len(delta.file_uris())
        try:
            delta.optimize.compact(target_size=target_bytes)
            delta = DeltaTable(str(table))
            if vacuum:
                retention = f"interval {int(keep_hours * 60)} minutes"
                if delta.metadata().configuration.get("delta.logRetentionDuration") != retention:
                    delta.alter.set_table_properties({"delta.logRetentionDuration": retention})
                    delta = DeltaTable(str(table))
                removed = len(delta.vacuum(retention_hours=int(keep_hours), dry_run=False,
                                           enforce_retention_duration=False))
                delta = DeltaTable(str(table))
            delta.create_checkpoint()
            if vacuum:
                delta.cleanup_metadata()  # commit files older than the kept history
            after = len(DeltaTable(str(table)).file_uris())
        except Exception as err:
            if not is_conflict(err):
                raise
            log.warning("%s: another process is writing it; not compacted this time", table)
        summaries.append(CompactSummary(table.name, before, after, len(data_files(table)), removed))
    return summaries


def compact_recent(tables: Iterable[OpenTable]) -> None:
    """Merge the small files added to ``tables`` since the last call; no checkpoint, no vacuum.

    delta-rs's optimize rewrites every file below its target, packed first-fit
    into files of at most the target, so a file merged once stays below a fixed
    target and is rewritten at every call: with 256 KB, all of a 10,000-item
    corpus's tables at every call. The target here is the bytes added since
    the last call (times ``RECENT_TARGET_FACTOR``): what is rewritten is
    the new files and the few older files first-fit packs them with, each below
    that target, so a call costs a small multiple of what was written since,
    however large the table. (delta-rs writes a checkpoint every 100 commits by
    itself; a writer keeps its tables open, so it reads no long log meanwhile.)
    """
    from align.store.delta import is_conflict

    for table in tables:
        delta = table.refresh()
        added = table.take_added_bytes()
        if delta is None or not added:
            continue
        try:
            delta.optimize.compact(target_size=min(RECENT_TARGET_FACTOR * added, TARGET_FILE_BYTES))
        except Exception as err:
            if not is_conflict(err):
                raise
            log.warning("%s: another process is writing it; not compacted this time", table.path)
        table.refresh()
        table.take_added_bytes()  # the compaction's own output is no new data


def export_parquet(data_dir: str | os.PathLike[str], output: str | os.PathLike[str]) -> list[Path]:
    """Write ``OUTPUT/<frame>.parquet`` (whole items only) and ``OUTPUT/runs.parquet``; returns the files."""
    from align.store.items import read_whole
    from align.store.runs import read_runs
    from align.store.tables import table_exists

    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    written = []
    frames = {name: read_whole(data_dir, name) for name in FRAME_NAMES if table_exists(data_dir, name)}
    frames["runs"] = read_runs(data_dir)  # type: ignore[index]
    for name, frame in frames.items():
        target = output / f"{name}.parquet"
        partial = output / f".{name}.parquet.partial"
        frame.write_parquet(partial)
        os.replace(partial, target)
        written.append(target)
    return written
