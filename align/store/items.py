"""Which stored items are whole, and reading whole items only.

Delta Lake commits one table at a time, so a job writes an item's
``sentences``, ``alignments`` and ``units`` (in that order, same ``run_id``)
and only then lists the item in its run's ``items`` (:mod:`align.store.runs`).
An item is **whole** when

* every run whose rows the item has lists the item as completely written, and
* its rows from align runs all come from one run (sentences, alignments and
  units of one alignment; an import or a correction may replace some rows).

A process killed between those commits leaves a **broken** item, and so do
two processes that append the same new item at once (the batch writer appends
items a table holds no rows of, :mod:`align.store.batches`): rows of two align
runs are broken, never shown doubled. Readers
(exports, ``show``, ``align.study``) skip it with one warning naming it, and
``bitext align`` redoes it. States (``bitext status``): ``fetched`` (documents
only), ``aligned``, ``imported`` (rows of TMX imports only), ``corrected`` (a
whole item with rows of a ``correct`` run), ``broken``.
"""

from __future__ import annotations

import logging
import os
from typing import Final

import polars as pl

from align.store.runs import read_runs
from align.store.schemas import RUN_ID, FrameName
from align.store.tables import read_frame, scan_table

log = logging.getLogger(__name__)

ITEM_TABLES: Final[tuple[FrameName, ...]] = ("sentences", "alignments", "units")
STATES: Final = ("fetched", "aligned", "imported", "corrected", "broken")
_warned: set[tuple[str, tuple[str, ...]]] = set()


def item_states(data_dir: str | os.PathLike[str]) -> pl.DataFrame:
    """One row per stored item: ``doc_id``, ``state``, ``runs`` (its run ids, sorted)."""
    parts = []
    for name in ITEM_TABLES:
        scan = scan_table(data_dir, name)
        if scan is not None:
            parts.append(scan.select("doc_id", RUN_ID).unique().collect())
    rows = pl.concat(parts).unique() if parts else pl.DataFrame(schema={"doc_id": pl.Utf8(), RUN_ID: pl.Utf8()})
    runs = read_runs(data_dir)
    done = (
        runs.select(RUN_ID, pl.col("items").alias("doc_id")).explode("doc_id")
        .drop_nulls("doc_id").unique().with_columns(pl.lit(True).alias("_done"))
    )
    joined = rows.join(runs.select(RUN_ID, "step"), on=RUN_ID, how="left").join(
        done, on=[RUN_ID, "doc_id"], how="left"
    )
    per_item = joined.group_by("doc_id").agg(
        pl.col("_done").fill_null(False).all().alias("_complete"),
        pl.col(RUN_ID).filter(pl.col("step") == "align").n_unique().alias("_align_runs"),
        (pl.col("step") == "correct").any().alias("_corrected"),
        (pl.col("step") == "import").all().alias("_imported"),
        pl.col(RUN_ID).unique().sort().alias("runs"),
    )
    state = (
        pl.when(~pl.col("_complete") | (pl.col("_align_runs") > 1)).then(pl.lit("broken"))
        .when(pl.col("_corrected")).then(pl.lit("corrected"))
        .when(pl.col("_imported")).then(pl.lit("imported"))
        .otherwise(pl.lit("aligned"))
    )
    aligned = per_item.select("doc_id", state.alias("state"), "runs")
    documents = scan_table(data_dir, "documents")
    if documents is not None:
        fetched = documents.select("doc_id", RUN_ID).unique().collect()
        fetched = fetched.group_by("doc_id").agg(pl.col(RUN_ID).unique().sort().alias("runs"))
        fetched = fetched.filter(~pl.col("doc_id").is_in(aligned["doc_id"].implode()))
        aligned = pl.concat([aligned, fetched.select("doc_id", pl.lit("fetched").alias("state"), "runs")])
    return aligned.sort("doc_id")


def broken_items(data_dir: str | os.PathLike[str]) -> list[str]:
    states = item_states(data_dir)
    return states.filter(pl.col("state") == "broken")["doc_id"].to_list()


def whole_only(data_dir: str | os.PathLike[str], frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` without the rows of broken items (warned about once per process and folder)."""
    broken = set(broken_items(data_dir))
    if not broken or "doc_id" not in frame.columns:
        return frame
    hit = sorted(broken & set(frame["doc_id"].unique().to_list()))
    if hit:
        key = (str(data_dir), tuple(hit))
        if key not in _warned:
            _warned.add(key)
            shown = ", ".join(hit[:10]) + (f" and {len(hit) - 10} more" if len(hit) > 10 else "")
            log.warning(
                "%s: skipping %d half-written item(s) left by an interrupted run (or written by two runs at once): %s; "
                "`bitext align` redoes them",
                data_dir, len(hit), shown,
            )
    return frame.filter(~pl.col("doc_id").is_in(list(broken)))


def read_whole(data_dir: str | os.PathLike[str], name: FrameName, *, missing_ok: bool = False) -> pl.DataFrame:
    """:func:`align.store.tables.read_frame` restricted to whole items."""
    frame = read_frame(data_dir, name, missing_ok=missing_ok)
    if name == "documents":
        return frame
    return whole_only(data_dir, frame)
