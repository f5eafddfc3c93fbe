"""What killed writers leave in a data folder, and removing it: data files no commit names, half-written commits.

The runs table calls this at the start of every run; :mod:`align.store.housekeeping`
compacts and vacuums on top of the same listing of tables and files.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Final
from urllib.parse import unquote

from align.store.schemas import FRAME_NAMES

log = logging.getLogger(__name__)

TABLES: Final = (*FRAME_NAMES, "runs", "run_items")
# A writer about to commit has files no commit names yet: only older ones are leftovers.
LEFTOVER_GRACE_SECONDS: Final = 60.0


def data_files(table: Path) -> list[Path]:
    """The Parquet files under a table folder (the ``_delta_log`` left out)."""
    return [p for p in table.rglob("*.parquet") if "_delta_log" not in p.parts]


def store_tables(data_dir: Path) -> list[Path]:
    """The Delta tables of the store found in ``data_dir``."""
    return [data_dir / name for name in TABLES if (data_dir / name / "_delta_log").is_dir()]


def referenced_files(table: Path) -> set[str]:
    """Every data file path (relative, unquoted) any retained commit of ``table`` names (live or kept for history)."""
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
                    paths.add(unquote(str(action[kind]["path"])))
    root = table.resolve()
    for uri in DeltaTable(str(table)).file_uris():
        try:
            paths.add(Path(unquote(uri.removeprefix("file://"))).resolve().relative_to(root).as_posix())
        except ValueError:
            continue
    return paths


def remove_leftovers(
    data_dir: str | os.PathLike[str], *, grace_seconds: float = LEFTOVER_GRACE_SECONDS, tables: bool = True
) -> list[Path]:
    """Delete the files killed writers left in ``data_dir``; returns them.

    ``tables=False`` looks only for the hidden ``.<frame>.parquet.<random>.tmp``
    files of the Parquet era (no grace: nothing writes them any more), which is
    cheap enough for every read (:func:`align.store.migrate.ensure_layout`).
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return []
    cutoff = time.time() - grace_seconds
    removed: list[Path] = list(data_dir.glob(".*.parquet.*.tmp"))
    for table in store_tables(data_dir) if tables else []:
        try:
            referenced = referenced_files(table)
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
