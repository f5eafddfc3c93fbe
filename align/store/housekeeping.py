"""Keeping the tables small and clean: compaction, vacuum, crash leftovers, plain Parquet snapshots.

* :func:`compact` rewrites each table's many small files (one per batch
  commit) into a few large ones (at most ``TARGET_FILE_BYTES``), checkpoints
  the log, and vacuums the data and commit files no version newer than
  ``keep_hours`` needs (the version history, which undo and audits use, is
  kept that long).
* :func:`remove_leftovers` deletes what a killed process leaves: data files no
  commit of the table mentions and half-written commit files, once they are
  older than a grace period (a live writer commits its files within seconds),
  plus the hidden ``*.tmp`` files of the Parquet era. Every run calls it.
* :func:`export_parquet` writes one plain Parquet file per frame, whole items
  only, plus ``runs.parquet``, for tools that read no Delta.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from align.store.schemas import FRAME_NAMES

log = logging.getLogger(__name__)

TABLES: Final = (*FRAME_NAMES, "runs")
DEFAULT_KEEP_HOURS: Final = 168  # one week of history
LEFTOVER_GRACE_SECONDS: Final = 60.0
# Compacted files stop growing at this size: replacing an item rewrites the files holding its rows, so this
# bounds what a re-alignment of one item costs however large the corpus grows.
TARGET_FILE_BYTES: Final = 8 * 1024 * 1024


@dataclass(frozen=True)
class CompactSummary:
    table: str
    files_before: int  # data files of the current version
    files_after: int
    on_disk: int  # data files on disk afterwards (the current version's and the kept history's)
    removed: int


def data_files(table: Path) -> list[Path]:
    """The Parquet files under a table folder (the ``_delta_log`` left out)."""
    return [p for p in table.rglob("*.parquet") if "_delta_log" not in p.parts]


def _tables(data_dir: Path) -> list[Path]:
    return [data_dir / name for name in TABLES if (data_dir / name / "_delta_log").is_dir()]


def compact(
    data_dir: str | os.PathLike[str], *, keep_hours: float = DEFAULT_KEEP_HOURS, vacuum: bool = True
) -> list[CompactSummary]:
    """Optimize (compact), checkpoint and (unless ``vacuum`` is off) vacuum every table of ``data_dir``.

    A table another process is writing is skipped with a warning (compaction
    loses the race rather than the writer).
    """
    from deltalake import DeltaTable

    from align.store.tables import is_conflict

    data_dir = Path(data_dir)
    if vacuum:
        remove_leftovers(data_dir)
    summaries = []
    for table in _tables(data_dir):
        removed = 0
        delta = DeltaTable(str(table))
        before = after = len(delta.file_uris())
        try:
            delta.optimize.compact(target_size=TARGET_FILE_BYTES)
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


def _referenced(table: Path) -> set[str]:
    """Every data file path any retained commit of ``table`` adds (live or kept for history)."""
    from deltalake import DeltaTable

    paths: set[str] = set()
    for commit in (table / "_delta_log").glob("*.json"):
        try:
            lines = commit.read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        for line in lines:
            try:
                action = json.loads(line)
            except ValueError:
                continue
            for kind in ("add", "remove"):
                if isinstance(action.get(kind), dict) and "path" in action[kind]:
                    paths.add(str(action[kind]["path"]))
    root = table.resolve()
    for uri in DeltaTable(str(table)).file_uris():
        try:
            paths.add(Path(uri.removeprefix("file://")).resolve().relative_to(root).as_posix())
        except ValueError:
            continue
    return paths


def remove_leftovers(data_dir: str | os.PathLike[str], *, grace_seconds: float = LEFTOVER_GRACE_SECONDS) -> list[Path]:
    """Delete the files killed writers left in ``data_dir``; returns them."""
    from urllib.parse import unquote

    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return []
    cutoff = time.time() - grace_seconds
    removed: list[Path] = list(data_dir.glob(".*.parquet.*.tmp"))
    for table in _tables(data_dir):
        try:
            referenced = {unquote(p) for p in _referenced(table)}
        except Exception as err:  # noqa: BLE001  (a damaged table: its readers report it; leave its files alone)
            log.warning("%s: cannot list its commits (%s); its files are left alone", table, err.__class__.__name__)
            continue
        for path in data_files(table):
            relative = path.relative_to(table).as_posix()
            if relative not in referenced and path.stat().st_mtime < cutoff:
                removed.append(path)
        removed += [p for p in (table / "_delta_log").glob("*.tmp") if p.stat().st_mtime < cutoff]
        removed += [p for p in (table / "_delta_log").glob("_commit_*") if p.stat().st_mtime < cutoff]
    for path in removed:
        path.unlink(missing_ok=True)
    if removed:
        log.info("removed %d file(s) left by interrupted writes in %s", len(removed), data_dir)
    return removed


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
