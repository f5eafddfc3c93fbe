"""The align job: stored documents -> sentences, alignments and units frames.

:func:`align_stored` reads ``documents``, segments every language version
(a heading paragraph stays one sentence), aligns all versions of a document
jointly (:mod:`align.multiway.units`) and stores ``sentences``, ``alignments`` (every
unordered language pair once: the pivot is the source when it is one of the
two, else the alphabetically first language) and ``units``.

Items are aligned by an engine (:mod:`align.jobs.engines`: this process,
worker processes, or a Ray cluster), each item by
:class:`align.jobs.item_aligner.DocumentAligner`; this process alone writes.

The job is one run (``DATA/runs/``, step ``align``). It commits in batches
(every ``batch_items`` documents or ``batch_seconds`` seconds, whichever comes
first): per batch one commit to sentences, then alignments, then units, each
replacing exactly the rows of the batch's documents, then the batch's documents
are listed in the run's items. A crash loses at most the batch in progress;
an item caught between those commits is *broken* (:mod:`align.store.items`):
readers skip it and the next ``bitext align`` redoes it.

Aligning with ``langs`` replaces the item's rows: languages stored earlier and
left out this time are dropped, and the document's summary says so in a note.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import polars as pl

from align.errors import FrameError, InputError
from align.jobs.engines import aligned_items, check_engine
from align.jobs.item_aligner import AlignSettings, DocumentSummary, JobStats, embedding_cache_dir
from align.multiway.units import PairAligner
from align.pairwise.aligner import DEFAULT_MAX_SIZE
from align.review.carry import ReviewedUnits
from align.scorers import get_scorer
from align.store.batches import COMPACT_AFTER_ITEMS, DEFAULT_BATCH_ITEMS, DEFAULT_BATCH_SECONDS, BatchWriter
from align.store.delta import frame_path
from align.store.runs import start_run
from align.store.tables import make_provenance, read_frame, scan_table, table_exists

log = logging.getLogger(__name__)

__all__ = ["AlignSummary", "DocumentSummary", "align_stored"]

DEFAULT_GROUP_ITEMS = 4  # items a worker gets at once: few enough to keep both cores busy to the end

ProgressCallback = Callable[[int, int, str], None]  # (documents done before, documents in all, doc_id just aligned)


@dataclass(frozen=True)
class AlignSummary:
    """What :func:`align_stored` did: the folder written, one summary per document, the run's provenance."""

    data_dir: Path
    documents: tuple[DocumentSummary, ...]
    provenance: Mapping[str, Any] = field(default_factory=dict)
    stats: JobStats = field(default_factory=JobStats)


def align_stored(
    data_dir: str | os.PathLike[str],
    *,
    doc_ids: Sequence[str] | None = None,
    scorer: str = "anchors",
    pivot: str | None = None,
    langs: Sequence[str] | None = None,
    max_size: int = DEFAULT_MAX_SIZE,
    consensus: bool = True,
    progress: ProgressCallback | None = None,
    pair_aligner: PairAligner | None = None,
    batch_items: int = DEFAULT_BATCH_ITEMS,
    batch_seconds: float = DEFAULT_BATCH_SECONDS,
    pending_only: bool = False,
    compact_after: int | None = COMPACT_AFTER_ITEMS,
    workers: int = 1,
    engine: str = "local",
    address: str | None = None,
    group_items: int = DEFAULT_GROUP_ITEMS,
) -> AlignSummary:
    """Align the stored documents of ``data_dir`` and store the three result frames.

    Parameters
    ----------
    data_dir
        Folder holding ``documents.parquet``; the results are written beside it.
    doc_ids
        Only these documents (default: all).
    scorer, max_size
        Pairwise scorer (``align.scorers``) and largest bead side.
    pivot
        Language every other one is aligned to; default: each document's original
        language, else English, else its first language.
    langs
        Only these language versions (default: all).
    consensus
        Let every language pair vote on the units (see :mod:`align.multiway.units`).
    progress
        Called as each document comes back aligned, with (documents done before it, total, doc_id),
        and once at the end with (total, total, "").
    pair_aligner
        Replaces :func:`align.pairwise.aligner.align_pair` (tests, benchmarks).
    batch_items, batch_seconds
        Commit after this many documents or this many seconds, whichever comes first.
    pending_only
        Only the documents not aligned yet or left broken by an interrupted run.
    compact_after
        Compact the tables after a job of at least this many documents (None: never).
    workers, engine, address
        ``engine="local"``: align in ``workers`` processes (1: in this process);
        ``engine="ray"``: on a Ray cluster (``address``, else ``$RAY_ADDRESS``, else
        a local one), ``workers`` actors. Either way this process alone writes.
    group_items
        Documents sent to a worker at once (their sentences are embedded together).

    Raises
    ------
    FrameError
        No documents frame in ``data_dir`` (run ``bitext fetch`` first) or a frame with the wrong schema.
    InputError
        An unknown document id, scorer, engine, or a bad ``max_size`` or ``workers``.
    """
    check_engine(engine, workers, group_items)
    documents = _read_documents(data_dir)
    chosen = _select(documents, doc_ids, langs, data_dir)
    if pending_only:
        from align.store.items import item_states

        states = item_states(data_dir)
        done_ids = states.filter(pl.col("state") != "fetched").filter(pl.col("state") != "broken")["doc_id"]
        chosen = chosen.filter(~pl.col("doc_id").is_in(done_ids.implode()))
    provenance = _provenance(scorer, pivot, max_size, consensus, pair_aligner)
    # the order asked for, else sorted: a table scan's row order is not stable across commits
    ids = list(dict.fromkeys(doc_ids)) if doc_ids else sorted(set(chosen["doc_id"].to_list()))
    if not ids:
        return AlignSummary(Path(data_dir), (), provenance)
    run = start_run(
        data_dir, "align", aligner=provenance["aligner"], scorer=scorer, scorer_params=provenance["scorer_params"],
        pivot=provenance["pivot"], max_size=max_size, consensus=consensus, langs=list(langs) if langs else None,
    )
    provenance["run_id"] = run.run_id
    summaries: list[DocumentSummary] = []
    reviewed = ReviewedUnits.load(data_dir, ids)  # confirmed and corrected units survive re-aligning
    writer = BatchWriter(data_dir, run, ("sentences", "alignments", "units"),
                         batch_items=batch_items, batch_seconds=batch_seconds)
    by_id = chosen.partition_by("doc_id", as_dict=True, maintain_order=True)  # one pass, not a filter per item
    items = ((doc_id, by_id.pop((doc_id,))) for doc_id in ids)
    settings = AlignSettings(scorer=scorer, pivot=pivot, max_size=max_size, consensus=consensus,
                             pair_aligner=pair_aligner, embedding_cache=embedding_cache_dir(data_dir))
    stats = JobStats()
    for done, (doc_id, aligned) in enumerate(aligned_items(items, settings, engine=engine, workers=workers,
                                                            address=address, group_items=group_items, stats=stats)):
        if progress:
            progress(done, len(ids), doc_id)
        kept = reviewed.keep(doc_id, aligned.units, aligned.alignments, aligned.sentences)
        summary = aligned.summary if kept.note is None else replace(
            aligned.summary, notes=(*aligned.summary.notes, kept.note))
        summaries.append(_note_dropped(data_dir, summary) if langs else summary)
        writer.add(doc_id, {"sentences": aligned.sentences, "alignments": kept.alignments, "units": kept.units})
    writer.flush()
    run.finish()
    if progress:
        progress(len(ids), len(ids), "")
    if compact_after is not None and len(ids) >= compact_after:
        from align.store.housekeeping import compact

        compact(data_dir)
    return AlignSummary(Path(data_dir), tuple(summaries), provenance, stats)


# --- reading and choosing ------------------------------------------------------------------------


def _read_documents(data_dir: str | os.PathLike[str]) -> pl.DataFrame:
    path = frame_path(data_dir, "documents")
    if not table_exists(data_dir, "documents"):
        raise FrameError(
            f"{path}: no documents frame here. Hint: run `bitext fetch URL` first, "
            f"or point `-d/--data` at the folder that holds documents/"
        )
    return read_frame(data_dir, "documents")


def _select(
    documents: pl.DataFrame,
    doc_ids: Sequence[str] | None,
    langs: Sequence[str] | None,
    data_dir: str | os.PathLike[str],
) -> pl.DataFrame:
    if doc_ids:
        known = set(documents["doc_id"].to_list())
        unknown = [doc_id for doc_id in doc_ids if doc_id not in known]
        if unknown:
            sample = ", ".join(sorted(known)[:5]) or "none"
            raise InputError(
                f"no document {', '.join(unknown)} in {frame_path(data_dir, 'documents')}. "
                f"Hint: stored documents include {sample}"
            )
        documents = documents.filter(pl.col("doc_id").is_in(list(doc_ids)))
    if langs:
        documents = documents.filter(pl.col("lang").is_in(list(langs)))
    return documents.unique(subset=["doc_id", "lang"], keep="last", maintain_order=True)


def _provenance(
    scorer: str, pivot: str | None, max_size: int, consensus: bool, pair_aligner: PairAligner | None
) -> dict[str, Any]:
    if max_size < 1:
        raise InputError(f"`max_size` must be at least 1, got {max_size}")
    if pair_aligner is None:
        scorer_params = get_scorer(scorer).params()  # checks the name before any work is done
        aligner = "align.multiway.units+align.pairwise.aligner"
    else:
        scorer_params, aligner = {}, f"align.multiway.units+{getattr(pair_aligner, '__name__', type(pair_aligner).__name__)}"
    return make_provenance(
        aligner=aligner, scorer=scorer, scorer_params=scorer_params,
        pivot=pivot or "original language, else en", max_size=max_size, consensus=consensus,
    )


# --- storing ---------------------------------------------------------------------------------------


def _note_dropped(data_dir: str | os.PathLike[str], summary: DocumentSummary) -> DocumentSummary:
    """``summary`` with a note naming the languages stored earlier that this alignment leaves out."""
    scan = scan_table(data_dir, "sentences")
    if scan is None:
        return summary
    stored = scan.filter(pl.col("doc_id") == summary.doc_id).select("lang").unique().collect()["lang"].to_list()
    dropped = sorted(set(stored) - set(summary.langs))
    if not dropped:
        return summary
    note = (f"{', '.join(dropped)} stored earlier dropped: only {', '.join(summary.langs)} were aligned "
            f"(`--langs`); align without --langs to bring them back")
    return DocumentSummary(summary.doc_id, summary.pivot, summary.langs, summary.sentences,
                           summary.units, summary.kinds, (*summary.notes, note))
