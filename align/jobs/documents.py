"""From fetched items to the documents frame: with the CLI, the only align code that imports scrapers.

:class:`DocumentsWriter` turns :class:`scrapers.records.ItemResult` records into
documents rows and stores them as one ``fetch`` run, committed in batches
(every ``batch_items`` items or ``batch_seconds`` seconds, through
:class:`align.store.batches.BatchWriter`: one commit replacing exactly the
batch's items), so ``bitext fetch`` over many URLs loses at most one batch to a
crash and the raw responses of that batch are still in the HTTP cache.
``store_item`` stores one item as its own run. A language that failed this
time keeps the row stored by an earlier fetch, with that fetch's ``run_id``,
so no failure loses data.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import polars as pl

from align.store.batches import COMPACT_AFTER_ITEMS, DEFAULT_BATCH_ITEMS, DEFAULT_BATCH_SECONDS, BatchWriter
from align.store.delta import frame_path
from align.store.runs import start_run
from align.store.schemas import DOCUMENTS_SCHEMA, RUN_ID
from align.store.tables import scan_table

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


class DocumentsWriter:
    """Stores fetched items as one ``fetch`` run, in batches; use as a context manager (the end commits the rest).

    The run starts with the first item stored, so a fetch that stores nothing leaves no run.
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        *,
        site: str | None,
        batch_items: int = DEFAULT_BATCH_ITEMS,
        batch_seconds: float = DEFAULT_BATCH_SECONDS,
    ) -> None:
        self.data_dir, self.site = Path(data_dir), site
        self.batch_items, self.batch_seconds = batch_items, batch_seconds
        self._writer: BatchWriter | None = None
        self._urls = 0

    def add(self, result: ItemResult, *, source_url: str) -> list[str]:
        """Queue the item's versions; return the languages kept from an earlier fetch.

        Raises DiscoveryError (nothing queued) when no version was found.
        """
        from scrapers.errors import DiscoveryError

        if not result.documents:
            reasons = "; ".join(f"{a.lang}: {a.reason}" for a in result.absences) or "no versions looked for"
            raise DiscoveryError(
                f"no language version of {source_url} could be stored ({reasons}); "
                f"{frame_path(self.data_dir, 'documents')} is unchanged",
                url=source_url,
            )
        fresh = documents_frame(result).with_columns(pl.lit(None, pl.Utf8()).alias(RUN_ID))
        earlier = self._earlier(result.doc_id, fresh)
        rows = pl.concat([fresh, earlier.select(fresh.columns)]) if len(earlier) else fresh
        if self._writer is None:
            run = start_run(self.data_dir, "fetch", site=self.site, url=source_url)
            self._writer = BatchWriter(self.data_dir, run, ("documents",),
                                       batch_items=self.batch_items, batch_seconds=self.batch_seconds)
        self._urls += 1
        self._writer.add(result.doc_id, {"documents": rows})
        return sorted(earlier["lang"].to_list())

    def _earlier(self, doc_id: str, fresh: pl.DataFrame) -> pl.DataFrame:
        """The item's stored (or queued) versions of languages this fetch did not get."""
        missing = ~pl.col("lang").is_in(fresh["lang"].to_list())
        queued = self._writer.queued(doc_id) if self._writer else None
        if queued is not None:
            return queued["documents"].filter(missing)
        scan = scan_table(self.data_dir, "documents")
        if scan is None:
            return fresh.clear()
        return scan.filter((pl.col("doc_id") == doc_id) & missing).collect()

    def close(self) -> None:
        """Commit what is queued and finish the run."""
        if self._writer is None:
            return
        writer, self._writer = self._writer, None
        writer.flush()
        writer.run.params = {**writer.run.params, "urls": self._urls}
        writer.run.finish()
        if len(writer.run.items) >= COMPACT_AFTER_ITEMS:
            from align.store.housekeeping import compact

            compact(self.data_dir)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None) -> None:
        self.close()  # an interrupted fetch (Ctrl-C, a failed URL) keeps the items it fetched


def store_item(
    data_dir: str | os.PathLike[str], result: ItemResult, *, source_url: str, site: str | None
) -> list[str]:
    """Store the item's versions as one fetch run; return the languages kept from an earlier fetch.

    Raises DiscoveryError (nothing stored, the frame untouched) when no version was found.
    """
    with DocumentsWriter(data_dir, site=site) as writer:
        return writer.add(result, source_url=source_url)


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


def align_fetched(data_dir: Path, doc_ids: Sequence[str], **batches: Any) -> AlignSummary:
    """Align the fetched items: the one call ``run`` and ``demo`` make (``batches``: ``batch_items``, ``batch_seconds``)."""
    from align.jobs.aligning import align_stored

    return align_stored(data_dir, doc_ids=list(doc_ids), **batches)
