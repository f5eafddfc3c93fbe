"""From fetched items to the documents frame: with the CLI, the only align code that imports scrapers.

``store_item`` turns an :class:`scrapers.records.ItemResult` into documents rows
and stores them as one ``fetch`` run (one commit replacing the item's rows); a
language that failed this time keeps the row stored by an earlier fetch, with
that fetch's ``run_id``, so no failure loses data.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from align.store.delta import frame_path, predicate_in
from align.store.runs import start_run
from align.store.schemas import DOCUMENTS_SCHEMA, RUN_ID
from align.store.tables import replace_rows, scan_table

if TYPE_CHECKING:
    from align.jobs.aligning import AlignSummary
    from scrapers.records import ItemResult

TITLE_CHARS = 60


def documents_frame(result: ItemResult) -> pl.DataFrame:
    """One documents row per version in ``result``, in DOCUMENTS_SCHEMA.

    A row is the :class:`scrapers.records.Document` itself, field for field (tuples as
    lists); tests/align/test_documents_record.py keeps the fields and the schema's columns equal.
    """
    rows: list[dict[str, Any]] = [
        {field.name: _cell(getattr(doc, field.name)) for field in fields(doc)} for doc in result.documents
    ]
    return pl.DataFrame(rows, schema=DOCUMENTS_SCHEMA)


def _cell(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def store_item(
    data_dir: str | os.PathLike[str], result: ItemResult, *, source_url: str, site: str | None
) -> list[str]:
    """Store the item's versions; return the languages kept from an earlier fetch.

    Raises DiscoveryError (nothing stored, the frame untouched) when no version was found.
    """
    from scrapers.errors import DiscoveryError

    if not result.documents:
        reasons = "; ".join(f"{a.lang}: {a.reason}" for a in result.absences) or "no versions looked for"
        raise DiscoveryError(
            f"no language version of {source_url} could be stored ({reasons}); "
            f"{frame_path(data_dir, 'documents')} is unchanged",
            url=source_url,
        )
    fresh = documents_frame(result).with_columns(pl.lit(None, pl.Utf8()).alias(RUN_ID))
    scan = scan_table(data_dir, "documents")
    earlier = fresh.clear()
    if scan is not None:
        earlier = scan.filter(
            (pl.col("doc_id") == result.doc_id) & ~pl.col("lang").is_in(fresh["lang"].to_list())
        ).collect()
    rows = pl.concat([fresh, earlier.select(fresh.columns)]) if len(earlier) else fresh
    run = start_run(data_dir, "fetch", url=source_url, site=site)
    replace_rows(data_dir, "documents", rows, predicate=predicate_in("doc_id", [result.doc_id]), run_id=run.run_id)
    run.finish([result.doc_id])
    return sorted(earlier["lang"].to_list())


def summary_lines(result: ItemResult, *, kept_earlier: Sequence[str] = ()) -> list[str]:
    """One line per language (found, or why absent), then the notes."""
    lines = [
        (
            f"{result.doc_id}: {len(result.documents)} version(s) fetched "
            f"({result.requests_made} requests, {result.cache_hits} from the cache)"
        )
    ]
    by_lang = {doc.lang: doc for doc in result.documents}
    for lang in sorted({*by_lang, *(a.lang for a in result.absences)}):
        doc = by_lang.get(lang)
        if doc is not None:
            lines.append(
                f"  {lang}: found {_short(doc.title)!r}, {len(doc.paragraphs)} paragraphs, "
                f"language {doc.detected_lang} {doc.lang_confidence:.2f}"
            )
            continue
        absence = next(a for a in result.absences if a.lang == lang)
        where = f" ({absence.url})" if absence.url else ""
        earlier = "; the version stored earlier is kept" if lang in kept_earlier else ""
        lines.append(f"  {lang}: absent: {absence.reason}{where}{earlier}")
    lines.extend(f"  note: {note}" for note in result.notes)
    return lines


def _short(title: str) -> str:
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"


def align_fetched(data_dir: Path, doc_ids: Sequence[str]) -> AlignSummary:
    """Align the fetched items: the one call ``run`` and ``demo`` make."""
    from align.jobs.aligning import align_stored

    return align_stored(data_dir, doc_ids=list(doc_ids))
