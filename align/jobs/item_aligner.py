"""One item's document rows -> its sentences, alignments and units rows: what each worker of a job does.

A :class:`DocumentAligner` holds one scorer (and so one model) for all the
items it is given; it segments every language version (a heading paragraph
stays one sentence), lets the scorer prepare for a whole group of items at
once (the embedding scorers embed the group's sentences in full batches) and
aligns each item's versions jointly (:mod:`align.multiway.units`). The rows
have the store's schemas; ``alignments`` holds every unordered language pair
once: the pivot is the source when it is one of the two, else the
alphabetically first language.
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import polars as pl

from align.multiway.units import PairAligner, Unit, align_multiway, choose_pivot, pair_beads
from align.pairwise.aligner import DEFAULT_MAX_SIZE
from align.scorers import CACHED_SCORERS, get_scorer
from align.segment.sentences import segment_paragraphs
from align.store.schemas import (
    ALIGNMENTS_SCHEMA,
    SENTENCES_SCHEMA,
    UNITS_BASE_SCHEMA,
    units_schema,
)

if TYPE_CHECKING:
    from align.scorers.base import Scorer

log = logging.getLogger(__name__)

EMBEDDINGS_FOLDER = "embeddings"  # DATA/embeddings/<model>@<version>/*.npz: align.scorers.embedding.EmbeddingCache


@dataclass(frozen=True)
class DocumentSummary:
    """What aligning one document produced."""

    doc_id: str
    pivot: str | None
    langs: tuple[str, ...]
    sentences: Mapping[str, int]
    units: int
    kinds: Mapping[str, int]  # unit shape ("1-1-2-1-1", counts in ``langs`` order) -> number of units
    notes: tuple[str, ...] = ()


class VersionText(NamedTuple):
    """What aligning reads of one language version's row of the documents table."""

    lang: str
    paragraphs: list[str]
    para_kinds: list[str]
    original_lang: str | None


VERSION_TEXT_COLUMNS = VersionText._fields


class ItemVersions(NamedTuple):
    """An item as a worker gets it: plain Python values, a few KB pickled. A slice of the documents table
    (a ``partition_by`` part) pickles with the string buffers of the *whole* table it views (11 MB an item of
    a 2,000-item table: pickling, the pipe and unpickling grew with the corpus), so items travel as this."""

    doc_id: str
    versions: tuple[VersionText, ...]

    @classmethod
    def from_rows(cls, doc_id: str, rows: pl.DataFrame) -> ItemVersions:
        return cls(doc_id, tuple(VersionText(*row) for row in rows.select(VERSION_TEXT_COLUMNS).iter_rows()))


@dataclass(frozen=True)
class _Version:
    """One language version cut into sentences."""

    lang: str
    texts: list[str]
    paras: list[int]


@dataclass(frozen=True)
class _Aligned:
    summary: DocumentSummary
    sentences: pl.DataFrame
    alignments: pl.DataFrame
    units: pl.DataFrame


def _segment(version: VersionText) -> _Version:
    """Sentences of one version; a heading paragraph is one sentence."""
    paragraphs = list(version.paragraphs or [])
    kinds = list(version.para_kinds or [])
    texts, paras = [], []
    for index, sentence in _sentences(paragraphs, kinds, version.lang, segment_paragraphs):
        texts.append(sentence)
        paras.append(index)
    return _Version(version.lang, texts, paras)


def _sentences(
    paragraphs: list[str], kinds: list[str], lang: str, segment: Callable[[list[str], str], list[Any]]
) -> list[tuple[int, str]]:
    headings = {index for index, kind in enumerate(kinds) if kind == "heading"}
    body = [("" if index in headings else text) for index, text in enumerate(paragraphs)]
    found = [(s.para, s.text) for s in segment(body, lang)]
    found += [(index, paragraphs[index].strip()) for index in headings if paragraphs[index].strip()]
    return sorted(found, key=lambda item: item[0])  # stable: sentence order within a paragraph is kept


def _align_document(
    item: ItemVersions,
    *,
    scorer: str | Scorer,
    pivot: str | None,
    max_size: int,
    consensus: bool,
    pair_aligner: PairAligner | None,
    versions: Mapping[str, _Version] | None = None,
) -> _Aligned:
    doc_id = item.doc_id
    if versions is None:
        versions = _versions(item)
    langs = tuple(sorted(versions))
    notes = [f"{lang} version has no text; left out" for lang in langs if not versions[lang].texts]
    present = [lang for lang in langs if versions[lang].texts]
    sentences = _sentence_rows(doc_id, versions)
    counts = {lang: len(versions[lang].texts) for lang in langs}
    if len(present) < 2:
        notes.append(f"only {present[0] if present else 'no'} language version with text; nothing to align")
        summary = DocumentSummary(doc_id, None, langs, counts, 0, {}, tuple(notes))
        no_units = pl.DataFrame(schema=UNITS_BASE_SCHEMA)
        return _Aligned(summary, sentences, pl.DataFrame(schema=ALIGNMENTS_SCHEMA), no_units)
    original = _original_lang(item)
    chosen_pivot = choose_pivot(present, pivot or original)
    if pivot and chosen_pivot != pivot:
        notes.append(f"pivot {pivot} has no text here; used {chosen_pivot}")
    units = align_multiway(
        {lang: versions[lang].texts for lang in present},
        pivot=chosen_pivot,
        paras={lang: versions[lang].paras for lang in present},
        scorer=scorer, max_size=max_size, consensus=consensus, pair_aligner=pair_aligner,
    )
    kinds = Counter(unit.shape(langs) for unit in units)
    log.info("%s: %d units over %s (pivot %s)", doc_id, len(units), ",".join(present), chosen_pivot)
    summary = DocumentSummary(doc_id, chosen_pivot, langs, counts, len(units), dict(kinds), tuple(notes))
    return _Aligned(
        summary,
        sentences,
        _alignment_rows(doc_id, units, versions, present, chosen_pivot),
        _unit_rows(doc_id, units, versions),
    )


def _versions(item: ItemVersions) -> dict[str, _Version]:
    return {v.lang: v for v in (_segment(version) for version in item.versions)}


# --- aligning in workers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AlignSettings:
    """What every worker needs to align an item the way this job does (picklable: sent to each worker once)."""

    scorer: str = "anchors"
    pivot: str | None = None
    max_size: int = DEFAULT_MAX_SIZE
    consensus: bool = True
    pair_aligner: PairAligner | None = None
    embedding_cache: str | None = None  # for the scorers that embed (CACHED_SCORERS)


def embedding_cache_dir(data_dir: str | os.PathLike[str]) -> str | None:
    """``DATA/embeddings``, where a job's embeddings persist; None when ``$BITEXT_EMBED_CACHE`` names another."""
    from align.scorers.embedding import CACHE_ENV

    return None if os.environ.get(CACHE_ENV) else str(Path(data_dir) / EMBEDDINGS_FOLDER)


@dataclass
class JobStats:
    """Work counted over a job's groups of items, in whichever processes aligned them."""

    items: int = 0
    align_seconds: float = 0.0  # summed over the workers
    counts: Counter[str] = field(default_factory=Counter)  # the scorer's own counts, e.g. embedded, cache hits

    def add(self, other: JobStats) -> None:
        self.items += other.items
        self.align_seconds += other.align_seconds
        self.counts.update(other.counts)


class DocumentAligner:
    """Aligns groups of items with one scorer instance: each worker process or Ray actor holds one,
    so a model is loaded once per worker, and a group's sentences are embedded together."""

    def __init__(self, settings: AlignSettings):
        self.settings = settings
        cache = {"cache": settings.embedding_cache} if settings.embedding_cache and settings.scorer in CACHED_SCORERS else {}
        self.scorer: Scorer | None = None if settings.pair_aligner else get_scorer(settings.scorer, **cache)

    def align_group(self, items: Sequence[ItemVersions]) -> tuple[list[_Aligned], JobStats]:
        """The items aligned, in order, and what it took."""
        started = time.perf_counter()
        versions = [_versions(item) for item in items]
        if self.scorer is not None:
            self.scorer.prefetch([(v.texts, v.lang) for item in versions for v in item.values() if v.texts])
        settings = self.settings
        aligned = [
            _align_document(item, scorer=self.scorer or settings.scorer, pivot=settings.pivot,
                            max_size=settings.max_size, consensus=settings.consensus,
                            pair_aligner=settings.pair_aligner, versions=segmented)
            for item, segmented in zip(items, versions, strict=True)
        ]
        stats = JobStats(len(items), time.perf_counter() - started)
        if self.scorer is not None:
            stats.counts.update(self.scorer.release())
        return aligned, stats


def _original_lang(item: ItemVersions) -> str | None:
    known = [version.original_lang for version in item.versions if version.original_lang]
    return known[0] if known else None


def _sentence_rows(doc_id: str, versions: Mapping[str, _Version]) -> pl.DataFrame:
    rows = [
        (doc_id, lang, para, sent, text)
        for lang, version in versions.items()
        for sent, (para, text) in enumerate(zip(version.paras, version.texts, strict=True))
    ]
    return pl.DataFrame(rows, schema=SENTENCES_SCHEMA, orient="row")


def _alignment_rows(
    doc_id: str, units: Sequence[Unit], versions: Mapping[str, _Version], langs: Sequence[str], pivot: str
) -> pl.DataFrame:
    rows = []
    for a, b in combinations(sorted(langs), 2):
        src, tgt = (b, a) if b == pivot else (a, b)
        for bead in pair_beads(units, src, tgt):
            rows.append((
                doc_id, src, tgt, list(bead.src), list(bead.tgt),
                _join(versions[src].texts, bead.src), _join(versions[tgt].texts, bead.tgt),
                bead.score, bead.kind,
            ))
    return pl.DataFrame(rows, schema=ALIGNMENTS_SCHEMA, orient="row")


def _unit_rows(doc_id: str, units: Sequence[Unit], versions: Mapping[str, _Version]) -> pl.DataFrame:
    columns: dict[str, list[Any]] = {
        "doc_id": [doc_id] * len(units),
        "unit": list(range(len(units))),
        "score": [unit.score for unit in units],
    }
    for lang, version in versions.items():
        columns[f"text_{lang}"] = [_join(version.texts, unit.side(lang)) for unit in units]
        columns[f"sents_{lang}"] = [list(unit.side(lang)) for unit in units]
    return pl.DataFrame(columns, schema=units_schema(list(versions)))


def _join(texts: Sequence[str], indices: Sequence[int]) -> str:
    return " ".join(texts[i] for i in indices)
