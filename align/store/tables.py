"""Reading and writing the frames as Delta Lake tables under a data folder (default ``aligned/``).

Each frame is a table ``DATA/<frame>/`` (Parquet files plus a ``_delta_log``).
A write is one Delta commit that replaces exactly the rows a predicate names
(:func:`replace_rows`): an item, a list of items, or one imported language
pair; the rest of the table is never rewritten. Every stored row carries the
``run_id`` of the run that wrote it (:mod:`align.store.runs`). A commit that
loses a race with another process is retried with backoff (never lost, never
silently overwritten); after too many conflicts the write fails with one line.

A folder in the older layout (``DATA/<frame>.parquet``) is converted on first
use (:mod:`align.store.migrate`).
"""

from __future__ import annotations

import json
import logging
import os
import random
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import polars as pl

from align import __version__
from align.errors import FrameError
from align.store.schemas import (
    INDICES,
    RUN_ID,
    SCHEMAS,
    FrameName,
    empty_frame,
    schema_problem,
    unit_langs,
    units_schema,
)

log = logging.getLogger(__name__)

DEFAULT_DATA_DIR = Path("aligned")
COMMIT_ATTEMPTS: Final = 12
_BACKOFF_SECONDS: Final = 0.05


def frame_path(data_dir: str | os.PathLike[str], name: str) -> Path:
    """The folder of the Delta table ``name`` (``DATA/<name>/``)."""
    return Path(data_dir) / name


def table_exists(data_dir: str | os.PathLike[str], name: str) -> bool:
    from align.store.migrate import ensure_layout

    ensure_layout(data_dir)
    return (frame_path(data_dir, name) / "_delta_log").is_dir()


def make_provenance(**params: Any) -> dict[str, Any]:
    """Provenance record: tool, version, creation time and the given parameters (becomes a run row)."""
    return {
        "tool": "bitext",
        "version": __version__,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **params,
    }


# --- predicates ------------------------------------------------------------------------------------


def sql_literal(value: str) -> str:
    """``value`` as a SQL string literal: ``it's:1`` -> ``'it''s:1'``."""
    return "'" + value.replace("'", "''") + "'"


def predicate_in(column: str, values: Iterable[str]) -> str:
    """``column IN ('a', 'b')`` for the distinct ``values`` (at least one)."""
    distinct = list(dict.fromkeys(values))
    if not distinct:
        raise ValueError("a predicate needs at least one value")
    if len(distinct) == 1:
        return f"{column} = {sql_literal(distinct[0])}"
    return f"{column} IN ({', '.join(sql_literal(v) for v in distinct)})"


# --- reading ---------------------------------------------------------------------------------------


def scan_table(data_dir: str | os.PathLike[str], name: str) -> pl.LazyFrame | None:
    """A lazy scan of the table, or None when it does not exist yet."""
    if not table_exists(data_dir, name):
        return None
    path = frame_path(data_dir, name)
    try:
        return pl.scan_delta(str(path))
    except Exception as err:  # deltalake/polars raise several unrelated types for a damaged table
        raise _unreadable(path, name, err) from err


def _unreadable(path: Path, name: str, err: BaseException) -> FrameError:
    first = str(err).strip().splitlines()[0][:160] if str(err).strip() else err.__class__.__name__
    return FrameError(
        f"{path}: the {name} table is damaged ({first}). Hint: restore the folder from a backup, "
        f"or delete {path} and run the step that writes it again"
    )


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
        raise _unreadable(path, name, err) from err
    return checked(frame, name, path)


def checked(frame: pl.DataFrame, name: FrameName, path: Path) -> pl.DataFrame:
    """``frame`` after the schema check (units widened to every language)."""
    if name == "units":
        frame = widen_units(frame, unit_langs(frame))
    problem = schema_problem(name, frame)
    if problem:
        raise FrameError(f"{path}: {problem}")
    if RUN_ID not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.Utf8()).alias(RUN_ID))
    return frame


def widen_units(frame: pl.DataFrame, langs: list[str]) -> pl.DataFrame:
    """``frame`` with text/sents columns for every language of ``langs`` ("" and [] where it has none)."""
    filled = []
    for lang in langs:
        text, sents = f"text_{lang}", f"sents_{lang}"
        if text not in frame.columns and sents not in frame.columns:
            filled += [pl.lit("").alias(text), pl.lit([], dtype=INDICES).alias(sents)]
            continue
        if text in frame.columns:
            filled.append(pl.col(text).fill_null(""))
        if sents in frame.columns:
            filled.append(pl.col(sents).fill_null(pl.lit([], dtype=INDICES)))
    widened = frame.with_columns(filled)
    order = [c for c in units_schema(langs).names() if c in widened.columns]
    rest = [c for c in widened.columns if c not in order]
    return widened.select([*order, *rest])


# --- writing ---------------------------------------------------------------------------------------


def replace_rows(
    data_dir: str | os.PathLike[str],
    name: str,
    rows: pl.DataFrame,
    *,
    predicate: str,
    run_id: str | None,
) -> None:
    """One commit: the rows matching ``predicate`` are replaced by ``rows`` (which must match it).

    Rows without a ``run_id`` get ``run_id``; rows that carry one keep it (a
    version kept from an earlier fetch stays that fetch's). Conflicting commits
    of other processes are retried with backoff.
    """
    from align.store.migrate import ensure_layout

    if name in SCHEMAS:
        problem = schema_problem(name, rows)  # type: ignore[arg-type]
        if problem:
            raise FrameError(f"refusing to store {name}: {problem}")
    ensure_layout(data_dir)
    if run_id is not None:
        if RUN_ID in rows.columns:
            rows = rows.with_columns(pl.col(RUN_ID).fill_null(run_id))
        else:
            rows = rows.with_columns(pl.lit(run_id, pl.Utf8()).alias(RUN_ID))
    path = frame_path(data_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    exists = (path / "_delta_log").is_dir()
    commit(path, rows, predicate=predicate if exists else None)


def overwrite_table(data_dir: str | os.PathLike[str], name: str, rows: pl.DataFrame) -> None:
    """Write ``rows`` as the whole table ``name`` (new tables and migration only)."""
    path = frame_path(data_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    commit(path, rows, predicate=None, whole=True)


def commit(path: Path, rows: pl.DataFrame, *, predicate: str | None, whole: bool = False) -> None:
    """Commit ``rows`` to the table at ``path``: replace the ``predicate`` rows, append, or (``whole``) overwrite."""
    from deltalake import write_deltalake

    data = rows.rechunk().to_arrow()  # one chunk: the rows are written in the order given
    for attempt in range(COMMIT_ATTEMPTS):
        try:
            if predicate is not None:
                write_deltalake(str(path), data, mode="overwrite", predicate=predicate, schema_mode="merge")
            elif whole:
                write_deltalake(str(path), data, mode="overwrite", schema_mode="overwrite")
            else:
                write_deltalake(str(path), data, mode="append", schema_mode="merge")
            return
        except Exception as err:
            if not is_conflict(err):
                first = (str(err).strip().splitlines() or [err.__class__.__name__])[0][:200]
                raise FrameError(
                    f"{path}: could not commit to the {path.name} table ({first}). Hint: if the table is damaged, "
                    f"restore it from a backup or delete {path} and run the step that writes it again"
                ) from err
            wait = _BACKOFF_SECONDS * (2**attempt) * (0.5 + random.random())
            log.debug("%s: commit conflict (%s); retrying in %.2fs", path, err.__class__.__name__, wait)
            time.sleep(min(wait, 5.0))
    raise FrameError(
        f"{path}: {COMMIT_ATTEMPTS} commits in a row lost a race with other processes writing this table; "
        f"nothing of this batch was stored. Hint: run the command again"
    )


def is_conflict(err: BaseException) -> bool:
    """Is ``err`` a lost optimistic-concurrency race (safe to retry)?"""
    from deltalake.exceptions import CommitFailedError

    if isinstance(err, CommitFailedError):
        return True
    text = str(err).lower()
    return any(
        marker in text
        for marker in ("conflict", "concurrent", "version already exists", "already exists", "transaction failed")
    )


# --- compatibility helpers (tests, benchmarks, notebooks built the frames with these) --------------


def write_frame(
    frame: pl.DataFrame, path: str | os.PathLike[str], *, provenance: Mapping[str, Any]
) -> Path:
    """Store ``frame`` as table ``path`` (``frame_path(DATA, name)``), replacing the rows of its items,
    as one run described by ``provenance`` (equal records share one run)."""
    from align.store.runs import run_for_provenance

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
    from align.store.runs import read_runs

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
