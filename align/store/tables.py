"""Reading and writing the frames as Delta Lake tables under a data folder (default ``aligned/``).

Each frame is a table ``DATA/<frame>/`` (Parquet files plus a ``_delta_log``).
A write is one Delta commit that replaces exactly the rows a predicate names
(:func:`replace_rows`): an item, a list of items, or one imported language
pair; the rest of the table is never rewritten. Every stored row carries the
``run_id`` of the run that wrote it (:mod:`align.store.runs`). A commit that
loses a race with another process is retried with backoff (never lost, never
silently overwritten); after too many conflicts the write fails with one line.

A folder in the older layout (``DATA/<frame>.parquet``) is converted on first
use (:mod:`align.store.migrate`); the Delta primitives underneath are in
:mod:`align.store.delta`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from align import __version__
from align.errors import FrameError
from align.store.delta import (
    checked,
    frame_path,
    has_table,
    overwrite_table,
    predicate_in,
    scan_raw,
    unreadable,
    write_rows,
)
from align.store.migrate import ensure_layout
from align.store.runs import read_runs, run_for_provenance
from align.store.schemas import (
    RUN_ID,
    FrameName,
    empty_frame,
)

DEFAULT_DATA_DIR = Path("aligned")


def table_exists(data_dir: str | os.PathLike[str], name: str) -> bool:
    """Whether table ``name`` exists, once the folder is in the current layout (converted on first use)."""
    ensure_layout(data_dir)
    return has_table(data_dir, name)


def make_provenance(**params: Any) -> dict[str, Any]:
    """Provenance record: tool, version, creation time and the given parameters (becomes a run row)."""
    return {
        "tool": "bitext",
        "version": __version__,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **params,
    }


# --- predicates ------------------------------------------------------------------------------------


# --- reading ---------------------------------------------------------------------------------------


def scan_table(data_dir: str | os.PathLike[str], name: str) -> pl.LazyFrame | None:
    """A lazy scan of the table, or None when it does not exist yet (the folder converted on first use)."""
    ensure_layout(data_dir)
    return scan_raw(data_dir, name)


def read_frame(
    data_dir: str | os.PathLike[str], name: FrameName, *, missing_ok: bool = False
) -> pl.DataFrame:
    """Read one whole table (all rows, ``run_id`` included) and check its schema.

    ``units`` rows get ``""``/``[]`` for a language their item lacks.

    Raises
    ------
    FrameError
        The table is missing (unless ``missing_ok``), unreadable, or a column is
        missing or of the wrong type; the message names the table and the column.
    """
    path = frame_path(data_dir, name)
    scan = scan_table(data_dir, name)
    if scan is None:
        if missing_ok:
            return empty_frame(name).with_columns(pl.lit(None, pl.Utf8()).alias(RUN_ID))
        raise FrameError(
            f"{path}: no {name} frame here. Hint: run `bitext fetch URL` / `bitext align` "
            f"first, or point `-d/--data` at the folder that holds it"
        )
    try:
        frame = scan.collect()
    except BaseException as err:  # a damaged Parquet file can make polars panic (PanicException is a BaseException)
        if isinstance(err, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        raise unreadable(path, name, err) from err
    return checked(frame, name, path)


def replace_rows(
    data_dir: str | os.PathLike[str],
    name: str,
    rows: pl.DataFrame,
    *,
    predicate: str,
    run_id: str | None,
) -> None:
    """:func:`align.store.delta.write_rows` once the folder is in the current layout (converted on first use)."""
    ensure_layout(data_dir)
    write_rows(data_dir, name, rows, predicate=predicate, run_id=run_id)


# --- compatibility helpers (tests, benchmarks, notebooks built the frames with these) --------------


def write_frame(
    frame: pl.DataFrame, path: str | os.PathLike[str], *, provenance: Mapping[str, Any]
) -> Path:
    """Store ``frame`` as table ``path`` (``frame_path(DATA, name)``), replacing the rows of its items,
    as one run described by ``provenance`` (equal records share one run)."""
    path = Path(path)
    name = path.name
    run = run_for_provenance(path.parent, provenance, name)
    ids = frame["doc_id"].unique().to_list() if "doc_id" in frame.columns else []
    if ids:
        replace_rows(path.parent, name, frame, predicate=predicate_in("doc_id", ids), run_id=run.run_id)
    elif not (path / "_delta_log").is_dir():
        overwrite_table(path.parent, name, frame.with_columns(pl.lit(run.run_id, pl.Utf8()).alias(RUN_ID)))
    run.add_items(ids)
    run.finish()
    return path


def read_provenance(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The record of the run that wrote most rows of table ``path`` (empty if none)."""
    path = Path(path)
    scan = scan_table(path.parent, path.name)
    if scan is None:
        return {}
    counts = scan.select(RUN_ID).collect()[RUN_ID].value_counts(sort=True)
    if not len(counts):
        return {}
    run_id = counts[RUN_ID][0]
    runs = read_runs(path.parent).filter(pl.col("run_id") == run_id)
    if not len(runs):
        return {}
    row = runs.row(0, named=True)
    params = json.loads(row["params"] or "{}")
    return {"run_id": run_id, "step": row["step"], "version": row["tool_version"], "aligner": row["aligner"],
            "scorer": row["scorer"], "scorer_params": json.loads(row["scorer_params"] or "{}"), **params}
