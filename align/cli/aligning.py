"""Subcommand align: sentences, alignments and units for the fetched documents."""

from __future__ import annotations

from pathlib import Path

import click

from align.cli.main import main
from align.cli.options import data_option, langs_option
from align.cli.preflight import check_data_dir, check_langs
from align.jobs.aligning import DocumentSummary, align_stored
from align.jobs.engines import ENGINES, default_workers
from align.pairwise.aligner import DEFAULT_MAX_SIZE
from align.progress import Progress, embedding_summary
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
@click.option(
    "-w", "--workers", default=None, type=click.IntRange(min=1), metavar="N",
    help="Worker processes (or Ray actors) aligning items at once [default: the cores this process may use].",
)
@click.option(
    "--engine", default="local", show_default=True, type=click.Choice(ENGINES),
    help="local: worker processes on this machine; ray: a Ray cluster (the extra bitext[ray]).",
)
@click.option(
    "--address", default=None, metavar="ADDR",
    help="Ray cluster to join, e.g. ray://head:10001 (default: $RAY_ADDRESS, else a local Ray).",
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
    workers: int | None,
    engine: str,
    address: str | None,
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
        bitext align --workers 2
        bitext align --engine ray --address ray://head:10001
    """
    quiet = bool(ctx.obj and ctx.obj.get("quiet"))
    check_langs(pivot, "--pivot")
    check_langs(langs, "--langs")
    # a missing folder is reported by the frame reader, with its hint; one we cannot write, here
    check_data_dir(data_dir, write=data_dir.exists())

    if address and engine != "ray":
        raise click.BadParameter("--address names a Ray cluster: give it with --engine ray", param_hint="--address")
    reporter: Progress | None = None

    def progress(done: int, total: int, doc_id: str) -> None:
        nonlocal reporter
        if reporter is None:
            reporter = Progress(total, "items", "aligning", enabled=not quiet)
        if doc_id:
            reporter.advance()

    summary = align_stored(
        data_dir, doc_ids=list(doc_ids) or None, scorer=scorer, pivot=pivot, langs=langs,
        max_size=max_size, consensus=consensus, progress=progress, pending_only=pending,
        batch_items=batch_items, batch_seconds=batch_seconds,
        workers=workers or default_workers(), engine=engine, address=address,
    )
    if reporter is not None:
        reporter.close()
        if not quiet and summary.stats.counts:
            click.echo(embedding_summary(summary.stats.counts), err=True)
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

