"""Subcommand align: sentences, alignments and units for the fetched documents."""

from __future__ import annotations

from pathlib import Path

import click

from align.cli.main import main
from align.cli.options import data_option, langs_option
from align.cli.preflight import check_data_dir, check_langs
from align.jobs.aligning import DocumentSummary, align_stored
from align.pairwise.aligner import DEFAULT_MAX_SIZE
from align.scorers import available_scorers
from align.store.batches import DEFAULT_BATCH_ITEMS, DEFAULT_BATCH_SECONDS

TOP_KINDS = 3  # unit shapes named in the one-line summary; the rest are counted together


@main.command("align")
@data_option
@click.option("--doc", "doc_ids", multiple=True, metavar="DOC_ID", help="Align only this document (repeatable).")
@click.option(
    "-s", "--scorer", default="anchors", show_default=True,
    help=f"Pairwise scorer: {', '.join(available_scorers())}.",
)
@click.option(
    "-p", "--pivot", default=None, metavar="LANG", callback=lambda _c, _p, value: value.lower() if value else None,
    help="Align every language to LANG (default: the original language, else en).",
)
@langs_option("Only these language versions, e.g. ru,en,de (default: all).")
@click.option(
    "-m", "--max-size", default=DEFAULT_MAX_SIZE, show_default=True, type=click.IntRange(1, 8),
    help="Most sentences on one side of a pairwise bead.",
)
@click.option(
    "--consensus/--pivot-only", default=True, show_default=True,
    help="Let all language pairs vote on the units, or align to the pivot only (faster).",
)
@click.option(
    "--pending", is_flag=True,
    help="Only documents not aligned yet or left half-written by an interrupted run.",
)
@click.option(
    "--batch-items", default=DEFAULT_BATCH_ITEMS, show_default=True, type=click.IntRange(min=1),
    help="Commit the results every N documents (a crash loses at most one batch).",
)
@click.option(
    "--batch-seconds", default=DEFAULT_BATCH_SECONDS, show_default=True, type=click.FloatRange(min=0, min_open=True),
    help="... or every S seconds, whichever comes first.",
)
@click.pass_context
def align_command(
    ctx: click.Context,
    data_dir: Path,
    doc_ids: tuple[str, ...],
    scorer: str,
    pivot: str | None,
    langs: list[str] | None,
    max_size: int,
    consensus: bool,
    pending: bool,
    batch_items: int,
    batch_seconds: float,
) -> None:
    """Split the fetched documents into sentences and align all their languages jointly.

    Writes the sentences, alignments and units tables beside the documents
    table, replacing earlier results of the same documents, in batches (one
    run in DATA/runs/). Items an interrupted run left half-written are redone.
    With --langs, languages stored earlier and left out are dropped, with a note.
    One summary line per document goes to stderr.

    \b
    Example:
        bitext align -d aligned/ --doc archive.mid.ru:2490975 --pivot ru
        bitext align --langs ru,en,fr --pivot-only
    """
    quiet = bool(ctx.obj and ctx.obj.get("quiet"))
    check_langs(pivot, "--pivot")
    check_langs(langs, "--langs")
    # a missing folder is reported by the frame reader, with its hint; one we cannot write, here
    check_data_dir(data_dir, write=data_dir.exists())

    def progress(done: int, total: int, doc_id: str) -> None:
        if not quiet and doc_id:
            click.echo(f"aligning {done + 1}/{total} {doc_id} ...", err=True)

    summary = align_stored(
        data_dir, doc_ids=list(doc_ids) or None, scorer=scorer, pivot=pivot, langs=langs,
        max_size=max_size, consensus=consensus, progress=progress, pending_only=pending,
        batch_items=batch_items, batch_seconds=batch_seconds,
    )
    for doc in summary.documents:
        click.echo(describe(doc), err=True)
        for note in doc.notes:
            click.echo(f"  note: {note}", err=True)
    if not summary.documents:
        click.echo(f"no documents to align in {data_dir}", err=True)


def describe(doc: DocumentSummary) -> str:
    """``mid.ru:1: de en es fr ru* | sentences 71 68 67 69 65 | 65 units: 55 1-1-1-1-1, ...``."""
    langs = " ".join(f"{lang}*" if lang == doc.pivot else lang for lang in doc.langs)
    counts = " ".join(str(doc.sentences[lang]) for lang in doc.langs)
    ranked = sorted(doc.kinds.items(), key=lambda item: (-item[1], item[0]))
    shown = [f"{n} {kind}" for kind, n in ranked[:TOP_KINDS]]
    rest = sum(n for _, n in ranked[TOP_KINDS:])
    if rest:
        shown.append(f"{rest} other")
    kinds = f": {', '.join(shown)}" if shown else ""
    return f"{doc.doc_id}: {langs} | sentences {counts} | {doc.units} units{kinds}"
