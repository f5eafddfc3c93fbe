"""Subcommand show: one document's aligned units side by side."""

from __future__ import annotations

from pathlib import Path

import click
import polars as pl
from rich.console import Console
from rich.table import Table
from rich.text import Text

from align.cli.main import main
from align.cli.options import data_option, langs_option
from align.errors import InputError
from align.store.delta import frame_path
from align.store.items import broken_items, read_whole
from align.study import DEFAULT_REVIEW_THRESHOLD, document_units, item_langs

LOW_MARK = "!"  # printed before a low score, so a review row is visible without colour
ABSENT = "—"  # the language has nothing in this unit
REVIEW_MARKS = {"confirmed": "✓", "corrected": "✎"}  # set in `bitext review`, shown after the unit number


@main.command("show")
@click.argument("doc_id")
@data_option
@langs_option("Languages to show, in this order (default: every language of the item).")
@click.option("--min-score", type=float, default=None, help="Hide units scoring below this.")
@click.option(
    "--flag-below",
    type=float,
    default=DEFAULT_REVIEW_THRESHOLD,
    show_default=True,
    help=f"Mark units scoring below this as low confidence (`{LOW_MARK}` before the score).",
)
@click.option("-n", "--limit", type=click.IntRange(min=1), default=None, help="Show at most N units.")
def show(
    doc_id: str,
    data_dir: Path,
    langs: list[str] | None,
    min_score: float | None,
    flag_below: float,
    limit: int | None,
) -> None:
    """The aligned units of DOC_ID side by side, one row per unit, with its score.

    Units the aligner is unsure of (score below --flag-below) are marked with
    `!` and highlighted: the quick look before opening a notebook.

    \b
    Example:
        bitext show mid.ru:1527258 --langs ru,en,fr --limit 20
    """
    units = read_whole(data_dir, "units")
    if doc_id not in set(units["doc_id"].unique().to_list()) and doc_id in broken_items(data_dir):
        raise InputError(
            f"{frame_path(data_dir, 'units')}: {doc_id} was left half-written by an interrupted run; "
            f"`bitext align -d {data_dir} --doc {doc_id}` redoes it"
        )
    try:
        rows = document_units(units, doc_id, langs=langs, min_score=min_score, limit=limit)
    except InputError as err:
        raise InputError(f"{frame_path(data_dir, 'units')}: {err}") from err
    item = units.filter(pl.col("doc_id") == doc_id)
    shown_langs = langs or item_langs(item)
    statuses = dict(item.select("unit", "status").iter_rows()) if "status" in item.columns else {}
    Console(highlight=False).print(_units_table(doc_id, rows, shown_langs, flag_below, item.height, statuses))


def _units_table(
    doc_id: str, rows: pl.DataFrame, langs: list[str], flag_below: float, total: int,
    statuses: dict[int, str | None],
) -> Table:
    low = rows.filter(pl.col("score") < flag_below).height
    reviewed = [f"{sum(1 for s in statuses.values() if s == status)} {mark} {status}"
                for status, mark in REVIEW_MARKS.items() if status in statuses.values()]
    table = Table(
        title=doc_id,
        caption=f"{rows.height} of {total} units; {low} marked {LOW_MARK} (score < {flag_below:.2f}: review)"
        + (f"; {', '.join(reviewed)} in review" if reviewed else ""),
        show_lines=True,
    )
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    for lang in langs:
        table.add_column(lang, ratio=1, overflow="fold")
    for record in rows.iter_rows(named=True):
        flagged = record["score"] < flag_below
        score = f"{LOW_MARK} {record['score']:.2f}" if flagged else f"{record['score']:.2f}"
        cells = [
            Text(record[f"text_{lang}"] or ABSENT, style="" if record[f"text_{lang}"] else "dim") for lang in langs
        ]
        mark = REVIEW_MARKS.get(statuses.get(record["unit"]) or "")
        number = f"{record['unit']} {mark}" if mark else str(record["unit"])
        table.add_row(number, score, *cells, style="bold yellow" if flagged and not mark else None)
    return table
