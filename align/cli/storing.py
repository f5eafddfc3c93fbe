"""Subcommands status, compact and export parquet: looking after the store (``DATA/<frame>/``, ``DATA/runs/``)."""

from __future__ import annotations

from pathlib import Path

import click
import polars as pl

from align.cli.exporting import export_group
from align.cli.main import main
from align.cli.options import data_option
from align.errors import FrameError
from align.store.housekeeping import DEFAULT_KEEP_HOURS

SHOWN_ITEMS = 20  # items named per state; the rest are counted


def _require_store(data_dir: Path) -> None:
    from align.store.tables import table_exists

    if not any(table_exists(data_dir, name) for name in ("documents", "sentences", "alignments", "units")):
        raise FrameError(f"{data_dir}: no tables here. Hint: run `bitext fetch URL` first, or point `-d/--data` at them")


@main.command("status")
@data_option
@click.option("--all", "show_all", is_flag=True, help="Name every item, not only the first 20 of each state.")
def status(data_dir: Path, show_all: bool) -> None:
    """The stored items by state (fetched, aligned, imported, corrected, broken) and the runs.

    A broken item was left half-written by an interrupted run: readers skip it
    and `bitext align` redoes it.

    \b
    Example:
        bitext status -d aligned/
    """
    from align.store.items import STATES, item_states
    from align.store.runs import read_runs

    _require_store(data_dir)
    states = item_states(data_dir)
    click.echo(f"{data_dir}: {len(states)} item(s)")
    for state in STATES:
        ids = states.filter(pl.col("state") == state)["doc_id"].to_list()
        if not ids:
            continue
        shown = ids if show_all else ids[:SHOWN_ITEMS]
        more = f" and {len(ids) - len(shown)} more" if len(ids) > len(shown) else ""
        click.echo(f"  {state} ({len(ids)}): {', '.join(shown)}{more}")
    runs = read_runs(data_dir)
    click.echo(f"runs ({len(runs)}):")
    for row in runs.iter_rows(named=True):
        finished = row["finished"].strftime("%Y-%m-%d %H:%M:%S") if row["finished"] else "unfinished"
        what = " ".join(f"{k} {row[k]}" for k in ("aligner", "scorer", "model") if row[k])
        click.echo(
            f"  {row['run_id']}  {row['step']}  v{row['tool_version']}  "
            f"{row['started'].strftime('%Y-%m-%d %H:%M:%S')} -> {finished}  {len(row['items'] or [])} item(s)"
            + (f"  {what}" if what else "")
        )


@main.command("compact")
@data_option
@click.option(
    "--keep-hours", default=DEFAULT_KEEP_HOURS, show_default=True, type=click.FloatRange(min=0),
    help="Keep the version history (for audit and undo) of the last H hours; older files are deleted.",
)
@click.pass_context
def compact_command(ctx: click.Context, data_dir: Path, keep_hours: float) -> None:
    """Rewrite each table into a few large files and delete files no kept version needs.

    Large `bitext align` jobs do this by themselves when they finish.

    \b
    Example:
        bitext compact -d aligned/ --keep-hours 24
    """
    from align.store.housekeeping import compact

    _require_store(data_dir)
    for summary in compact(data_dir, keep_hours=keep_hours):
        if not ctx.obj.get("quiet"):
            click.echo(
                f"{summary.table}: {summary.files_before} -> {summary.files_after} file(s), "
                f"{summary.on_disk} on disk with the kept history, {summary.removed} old file(s) deleted",
                err=True,
            )


@export_group.command("parquet")
@data_option
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write documents/sentences/alignments/units/runs.parquet into.")
@click.pass_context
def export_parquet_command(ctx: click.Context, data_dir: Path, output: Path) -> None:
    """A plain Parquet snapshot of every table (whole items only), for tools that read no Delta.

    \b
    Example:
        bitext export parquet -d aligned/ -o snapshot/
    """
    from align.store.housekeeping import export_parquet

    _require_store(data_dir)
    for path in export_parquet(data_dir, output):
        if not ctx.obj.get("quiet"):
            click.echo(f"bitext: wrote {pl.scan_parquet(path).select(pl.len()).collect().item()} rows to {path}", err=True)
