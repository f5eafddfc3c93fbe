"""Subcommands export and import: TMX, text, JSONL, CSV computed from the frames."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from align.cli.main import main
from align.cli.options import data_option, langs_option, output_option

if TYPE_CHECKING:
    from align.formats.selection import Selection

F = TypeVar("F", bound=Callable[..., Any])


def selection_options(func: F) -> F:
    """Options every export shares: frames folder, languages and filters."""
    decorators = [
        data_option,
        langs_option("Languages, the source first: e.g. ru,en (required)."),
        click.option("--min-score", type=float, default=None, help="Leave out units scored below this."),
        click.option("--multilingual", is_flag=True, help="All --langs in each unit (from the units frame)."),
        click.option("--keep-empty", is_flag=True, help="Keep units that have an empty side."),
        click.option("--dedupe", is_flag=True, help="Collapse units whose texts repeat an earlier unit's."),
        click.option("--confirmed-only", is_flag=True, help="Only units confirmed in `bitext review`."),
        click.option(
            "--doc", "doc_ids", multiple=True, metavar="DOC_ID", help="Only this document (repeatable)."
        ),
    ]
    for decorate in reversed(decorators):
        func = decorate(func)
    return func


def _selection(langs: list[str] | None, *, tmx: bool = False, **options: Any) -> Selection:
    from align.formats.selection import Selection

    if not langs or len(langs) < 2:
        raise click.UsageError("give two languages or more, the source first, e.g. `--langs ru,en`")
    if len(set(langs)) != len(langs):
        raise click.UsageError(f"`--langs {','.join(langs)}` names a language twice")
    if tmx and len(langs) > 2 and not options["multilingual"]:
        raise click.UsageError("a bilingual TMX takes two languages; add `--multilingual` for more")
    return Selection(langs=tuple(langs), doc_ids=tuple(options.pop("doc_ids")), **options)


def _done(ctx: click.Context, count: int, what: str, where: str) -> None:
    if count == 0 and ctx.params.get("confirmed_only"):
        click.echo(
            "bitext: warning: no unit of this selection is confirmed yet; confirm units in `bitext review`, "
            "or leave out --confirmed-only",
            err=True,
        )
    if not ctx.obj.get("quiet"):
        click.echo(f"bitext: wrote {count} {what} to {'stdout' if where == '-' else where}", err=True)


@main.group("export")
def export_group() -> None:
    """Export aligned units from the frames as TMX, line-aligned text, JSONL or CSV.

    \b
    Example:
        bitext export tmx --langs ru,en -o lavrov.ru-en.tmx
    """


@export_group.command("tmx")
@selection_options
@output_option
@click.option("--locale", "locales", multiple=True, metavar="LANG=LOCALE", help="e.g. en=en-US (repeatable).")
@click.option(
    "--sentence-pieces/--no-sentence-pieces",
    default=True,
    show_default=True,
    help="Also write each multi-sentence unit as one tu per source sentence, so CAT tools match it.",
)
@click.pass_context
def export_tmx(
    ctx: click.Context,
    /,
    data_dir: Path,
    langs: list[str] | None,
    output: str,
    locales: tuple[str, ...],
    sentence_pieces: bool,
    **options: Any,
) -> None:
    """TMX 1.4b for CAT tools (OmegaT, Trados, memoQ); bilingual unless --multilingual.

    \b
    Example:
        bitext export tmx --langs ru,en -o lavrov.ru-en.tmx
        bitext export tmx --langs ru,en,de,fr,es --multilingual --locale en=en-US -o lavrov.tmx
    """
    from align.formats.locales import parse_locale_overrides
    from align.formats.output import open_binary_output
    from align.formats.selection import load_export_units
    from align.formats.tmx_write import TmxOptions, write_tmx

    selection = _selection(langs, tmx=True, **options)
    units = load_export_units(data_dir, selection)
    tmx_options = TmxOptions.from_frames(
        data_dir, selection, locales=parse_locale_overrides(locales), sentence_pieces=sentence_pieces
    )
    with open_binary_output(output) as stream:
        count = write_tmx(units, stream, tmx_options)
    _done(ctx, count, "translation units", output)


@export_group.command("text")
@selection_options
@click.option(
    "-o", "--output", required=True, metavar="PREFIX", help="Path prefix: PREFIX.ru, PREFIX.en, PREFIX.tsv."
)
@click.pass_context
def export_text(
    ctx: click.Context, /, data_dir: Path, langs: list[str] | None, output: str, **options: Any
) -> None:
    """Line-aligned text, one file per language, and a sidecar TSV (doc_id, unit, score, origlang).

    \b
    Example:
        bitext export text --langs ru,en -o out/lavrov
        sacrebleu out/lavrov.en -i system.en
    """
    from align.formats.selection import load_export_units
    from align.formats.text import write_text

    if output == "-":
        raise click.UsageError(
            "text export writes one file per language; give a path prefix, e.g. `-o out/lavrov`"
        )
    selection = _selection(langs, **options)
    if output.endswith(("/", os.sep)) or Path(output).is_dir():  # `-o out/`: files inside, named by the pair
        output = str(Path(output) / "-".join(selection.langs))
    result = write_text(load_export_units(data_dir, selection), output, selection.langs)
    _done(ctx, result.lines, "lines each", ", ".join(str(p) for p in result.paths))


@export_group.command("jsonl")
@selection_options
@output_option
@click.pass_context
def export_jsonl(
    ctx: click.Context, /, data_dir: Path, langs: list[str] | None, output: str, **options: Any
) -> None:
    """JSON Lines: {"translation": {"ru": ..., "en": ...}, "doc_id", "score", "origlang"} per unit.

    \b
    Example:
        bitext export jsonl --langs ru,en -o lavrov.ru-en.jsonl
        bitext export jsonl --langs ru,en --min-score 0.5 | head
    """
    from align.formats.jsonl import write_jsonl
    from align.formats.output import open_text_output
    from align.formats.selection import load_export_units

    selection = _selection(langs, **options)
    units = load_export_units(data_dir, selection)
    with open_text_output(output) as stream:
        count = write_jsonl(units, stream)
    _done(ctx, count, "lines", output)


@export_group.command("csv")
@selection_options
@output_option
@click.option(
    "--bom/--no-bom", default=None, help="UTF-8 byte-order mark (Excel needs it) [default: on for a file, off for stdout]."
)
@click.pass_context
def export_csv(
    ctx: click.Context, /, data_dir: Path, langs: list[str] | None, output: str, bom: bool | None, **options: Any
) -> None:
    """CSV for spreadsheets: doc_id, unit, one column per language, score, kind, origlang.

    \b
    Example:
        bitext export csv --langs ru,en,de -o lavrov.csv
    """
    from align.formats.csv import write_csv
    from align.formats.output import open_text_output
    from align.formats.selection import load_export_units

    selection = _selection(langs, **options)
    units = load_export_units(data_dir, selection)
    with open_text_output(output) as stream:
        count = write_csv(units, stream, selection.langs, bom=output != "-" if bom is None else bom)
    _done(ctx, count, "rows", output)


@main.group("import")
def import_group() -> None:
    """Import existing translation memories into the frames.

    \b
    Example:
        bitext import tmx memory.tmx --doc-id tm:clients
    """


@import_group.command("tmx")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@data_option
@click.option(
    "--doc-id",
    default=None,
    help="Store every tu under this doc_id (default: x-doc-id props, else tmx:FILENAME).",
)
@click.pass_context
def import_tmx_command(ctx: click.Context, file: Path, data_dir: Path, doc_id: str | None) -> None:
    """Read a TMX file (bilingual or multilingual) into the alignments frame.

    \b
    Example:
        bitext import tmx memory.tmx -d aligned --doc-id tm:clients
        bitext export text --langs en,de -o out/memory
    """
    from align.cli.preflight import check_data_dir
    from align.formats.tmx_read import import_tmx

    check_data_dir(data_dir)
    summary = import_tmx(file, data_dir, doc_id=doc_id)
    if not ctx.obj.get("quiet"):
        click.echo(
            f"bitext: imported {summary.rows} aligned pair{'' if summary.rows == 1 else 's'} ({', '.join(summary.pairs)}) "
            f"as {', '.join(summary.doc_ids)} into {data_dir}",
            err=True,
        )
