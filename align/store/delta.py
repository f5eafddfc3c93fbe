"""Delta Lake primitives under a data folder: table paths, predicates, checked reads and retried commits.

The lowest layer of the store: it knows nothing of runs or of the older
Parquet layout, so that the runs table and the conversion of old folders
(:mod:`align.store.runs`, :mod:`align.store.migrate`) can use it while
:mod:`align.store.tables` puts the conversion-on-first-use in front of it.
A commit that loses a race with another process is retried with backoff
(never lost, never silently overwritten); after too many conflicts the write
fails with one line.
"""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Final
from urllib.parse import quote

import polars as pl

from align.errors import FrameError
from align.store.schemas import INDICES, RUN_ID, SCHEMAS, FrameName, schema_problem, unit_langs, units_schema

if TYPE_CHECKING:
    from deltalake import DeltaTable

log = logging.getLogger(__name__)

COMMIT_ATTEMPTS: Final = 12
_BACKOFF_SECONDS: Final = 0.05


def frame_path(data_dir: str | os.PathLike[str], name: str) -> Path:
    """The folder of the Delta table ``name`` (``DATA/<name>/``)."""
    return Path(data_dir) / name


def has_table(data_dir: str | os.PathLike[str], name: str) -> bool:
    """Whether ``DATA/<name>/`` holds a Delta table."""
    return (frame_path(data_dir, name) / "_delta_log").is_dir()


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


def scan_raw(data_dir: str | os.PathLike[str], name: str) -> pl.LazyFrame | None:
    """A lazy scan of the table as it is on disk, or None when it does not exist."""
    if not has_table(data_dir, name):
        return None
    path = frame_path(data_dir, name)
    try:
        # polars' native Delta reader (2.1) percent-encodes the data files' paths and then cannot find them
        # under a folder whose name needs encoding (a space: "My Documents"); pyarrow's reader can
        native = quote(str(path.resolve()), safe="/") == str(path.resolve())
        return pl.scan_delta(str(path), use_pyarrow=not native)
    except Exception as err:  # deltalake/polars raise several unrelated types for a damaged table
        raise unreadable(path, name, err) from err


def unreadable(path: Path, name: str, err: BaseException) -> FrameError:
    first = str(err).strip().splitlines()[0][:160] if str(err).strip() else err.__class__.__name__
    return FrameError(
        f"{path}: the {name} table is damaged ({first}). Hint: restore the folder from a backup, "
        f"or delete {path} and run the step that writes it again"
    )


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


def write_rows(
    data_dir: str | os.PathLike[str],
    name: str,
    rows: pl.DataFrame,
    *,
    predicate: str | None,
    run_id: str | None,
    table: DeltaTable | None = None,
) -> None:
    """One commit, in a table of the current layout: the rows matching ``predicate`` are replaced by ``rows`` (which must match it).

    ``predicate`` None appends ``rows`` (for items the table holds no rows of).
    Rows without a ``run_id`` get ``run_id``; rows that carry one keep it (a
    version kept from an earlier fetch stays that fetch's). Conflicting commits
    of other processes are retried with backoff. ``table``: the table kept open
    by the caller (:class:`align.store.open_tables.OpenTable`), else it is opened
    from its path.
    """
    if name in SCHEMAS:
        problem = schema_problem(name, rows)  # type: ignore[arg-type]
        if problem:
            raise FrameError(f"refusing to store {name}: {problem}")
    if run_id is not None:
        if RUN_ID in rows.columns:
            rows = rows.with_columns(pl.col(RUN_ID).fill_null(run_id))
        else:
            rows = rows.with_columns(pl.lit(run_id, pl.Utf8()).alias(RUN_ID))
    path = frame_path(data_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    exists = (path / "_delta_log").is_dir()
    commit(path, rows, predicate=predicate if exists else None, table=table)


def append_rows(
    data_dir: str | os.PathLike[str], name: str, rows: pl.DataFrame, *, table: DeltaTable | None = None
) -> None:
    """One commit adding ``rows`` to table ``name`` (created if needed); nothing stored is read or rewritten."""
    path = frame_path(data_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    commit(path, rows, predicate=None, table=table)


def overwrite_table(data_dir: str | os.PathLike[str], name: str, rows: pl.DataFrame) -> None:
    """Write ``rows`` as the whole table ``name`` (new tables and migration only)."""
    path = frame_path(data_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    commit(path, rows, predicate=None, whole=True)


def commit(
    path: Path, rows: pl.DataFrame, *, predicate: str | None, whole: bool = False, table: DeltaTable | None = None
) -> None:
    """Commit ``rows`` to the table at ``path``: replace the ``predicate`` rows, append, or (``whole``) overwrite.

    ``table``: ``path`` kept open and brought up to date by the caller (saves replaying the log; a retry here updates it).
    """
    from deltalake import write_deltalake

    data = rows.rechunk().to_arrow()  # one chunk: the rows are written in the order given
    target: str | DeltaTable = str(path) if table is None else table
    for attempt in range(COMMIT_ATTEMPTS):
        try:
            if attempt and table is not None:
                table.update_incremental()  # the commits that won the race: a retry starts from them
            if predicate is not None:
                write_deltalake(target, data, mode="overwrite", predicate=predicate, schema_mode="merge")
            elif whole:
                write_deltalake(target, data, mode="overwrite", schema_mode="overwrite")
            else:
                write_deltalake(target, data, mode="append", schema_mode="merge")
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
