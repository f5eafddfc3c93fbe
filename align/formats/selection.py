"""Choosing what an export contains, computed from the stored frames (whole items only: :mod:`align.store.items`).

Two sources, one record:

* a **language pair** comes from the ``alignments`` frame (each unordered pair
  is stored once; the rows are turned to the asked direction here);
* **several languages** (``--multilingual``, or more than two ``--langs`` for
  text/JSONL/CSV) come from the ``units`` frame.

Both become :class:`ExportUnit` records, filtered by document, minimum score
(a unit without a score never passes a minimum), empty sides (dropped unless
``keep_empty``) and optionally collapsed when every text is identical to an
earlier unit's (the first one is kept). The original language and the URL of
each version come from the ``documents`` frame when it is there.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import polars as pl

from align.errors import ExportError
from align.store.delta import frame_path
from align.store.items import read_whole
from align.store.runs import read_runs
from align.store.schemas import pair_alignments, unit_langs
from align.store.tables import read_frame, table_exists

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ExportUnit:
    """One exported row: the same content in each of ``langs`` (texts/sents in that order)."""

    doc_id: str
    unit: int
    langs: tuple[str, ...]
    texts: tuple[str, ...]
    sents: tuple[tuple[int, ...], ...]
    score: float | None
    kind: str
    origlang: str | None = None
    urls: tuple[str | None, ...] = ()
    part: tuple[int, int] | None = None  # (k, n): k-th of n sentence-level pieces of a unit
    run_id: str | None = None  # the run that wrote the row (``DATA/runs/``)
    status: str | None = None  # what review did: "confirmed", "corrected" or None (``align.review``)

    def text(self, lang: str) -> str:
        return self.texts[self.langs.index(lang)]

    def url(self, lang: str) -> str | None:
        return self.urls[self.langs.index(lang)] if self.urls else None

    def has_empty_side(self) -> bool:
        return any(not text.strip() for text in self.texts)


@dataclass(frozen=True, slots=True)
class Selection:
    """What to export: languages (the first is the source), filters and options."""

    langs: tuple[str, ...]
    multilingual: bool = False
    min_score: float | None = None
    keep_empty: bool = False
    dedupe: bool = False
    doc_ids: tuple[str, ...] = field(default=())
    confirmed_only: bool = False  # only units a reviewer confirmed (``bitext review``)

    @property
    def uses_units(self) -> bool:
        return self.multilingual or len(self.langs) > 2


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What the documents frame tells about the items: original language and URLs."""

    origlang: Mapping[str, str | None] = field(default_factory=dict)
    urls: Mapping[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def from_frame(cls, documents: pl.DataFrame) -> DocumentInfo:
        origlang: dict[str, str | None] = {}
        urls: dict[tuple[str, str], str] = {}
        for row in documents.select("doc_id", "lang", "url", "original_lang").iter_rows(named=True):
            if origlang.get(row["doc_id"]) is None:
                origlang[row["doc_id"]] = row["original_lang"]
            urls[(row["doc_id"], row["lang"])] = row["url"]
        return cls(origlang, urls)


def units_from_pairs(
    alignments: pl.DataFrame, src: str, tgt: str, info: DocumentInfo | None = None
) -> Iterator[ExportUnit]:
    """Every ``src``-``tgt`` alignment as an ExportUnit; ``unit`` counts beads within a document."""
    info = info or DocumentInfo()
    rows = pair_alignments(alignments, src, tgt).with_columns(pl.int_range(pl.len()).over("doc_id").alias("_unit"))
    for row in rows.iter_rows(named=True):
        doc_id = row["doc_id"]
        yield ExportUnit(
            doc_id=doc_id,
            unit=row["_unit"],
            langs=(src, tgt),
            texts=(row["src_text"] or "", row["tgt_text"] or ""),
            sents=(tuple(row["src_sents"] or ()), tuple(row["tgt_sents"] or ())),
            score=row["score"],
            kind=row["kind"] or f"{len(row['src_sents'] or ())}-{len(row['tgt_sents'] or ())}",
            origlang=info.origlang.get(doc_id),
            urls=(info.urls.get((doc_id, src)), info.urls.get((doc_id, tgt))),
            run_id=row.get("run_id"),
            status=row.get("status"),
        )


def units_from_multiway(
    units: pl.DataFrame, langs: Iterable[str], info: DocumentInfo | None = None
) -> Iterator[ExportUnit]:
    """Every multi-way unit as an ExportUnit over ``langs``; kind counts sentences per language."""
    info = info or DocumentInfo()
    langs = tuple(langs)
    missing = [lang for lang in langs if lang not in unit_langs(units)]
    if missing:
        raise ExportError(
            f"the units frame has no language {', '.join(missing)} "
            f"(it has {', '.join(unit_langs(units)) or 'none'}); choose others with `--langs`"
        )
    columns = (
        ["doc_id", "unit", "score"] + [f"text_{lang}" for lang in langs] + [f"sents_{lang}" for lang in langs]
        + [c for c in ("run_id", "status") if c in units.columns]
    )
    for row in units.select(columns).iter_rows(named=True):
        sents = tuple(tuple(row[f"sents_{lang}"] or ()) for lang in langs)
        yield ExportUnit(
            doc_id=row["doc_id"],
            unit=row["unit"],
            langs=langs,
            texts=tuple(row[f"text_{lang}"] or "" for lang in langs),
            sents=sents,
            score=row["score"],
            kind="-".join(str(len(group)) for group in sents),
            origlang=info.origlang.get(row["doc_id"]),
            urls=tuple(info.urls.get((row["doc_id"], lang)) for lang in langs),
            run_id=row.get("run_id"),
            status=row.get("status"),
        )


def apply_selection(units: Iterable[ExportUnit], selection: Selection) -> Iterator[ExportUnit]:
    """Filter by document, review status, minimum score and empty sides; collapse duplicates when asked."""
    wanted_docs = set(selection.doc_ids)
    seen: set[tuple[str, ...]] = set()
    for unit in units:
        if wanted_docs and unit.doc_id not in wanted_docs:
            continue
        if selection.confirmed_only and unit.status != "confirmed":
            continue
        if selection.min_score is not None and (unit.score is None or unit.score < selection.min_score):
            continue
        if not selection.keep_empty and unit.has_empty_side():
            continue
        if selection.dedupe:
            key = tuple(text.strip() for text in unit.texts)
            if key in seen:
                continue
            seen.add(key)
        yield unit


def _read_documents(data_dir: str | os.PathLike[str]) -> DocumentInfo:
    imported = _imported_origlang(data_dir)
    if not table_exists(data_dir, "documents"):
        logger.info("no documents frame in %s: exports carry no URL", data_dir)
        return DocumentInfo(imported)
    info = DocumentInfo.from_frame(read_frame(data_dir, "documents"))
    merged: dict[str, str | None] = {**imported, **{d: o for d, o in info.origlang.items() if o is not None}}
    return DocumentInfo(merged, info.urls)


def _imported_origlang(data_dir: str | os.PathLike[str]) -> dict[str, str | None]:
    """The original languages that finished TMX imports declared (``x-origlang``), later imports winning."""
    found: dict[str, str | None] = {}
    imports = read_runs(data_dir).filter((pl.col("step") == "import") & pl.col("finished").is_not_null())
    for params in imports["params"].to_list():
        declared = json.loads(params or "{}").get("origlang") or {}
        if isinstance(declared, dict):
            found.update({str(doc): str(lang) for doc, lang in declared.items() if lang})
    return found


def _check_doc_ids(frame: pl.DataFrame, selection: Selection, path: str) -> None:
    known = set(frame["doc_id"].unique().to_list())
    unknown = [doc for doc in selection.doc_ids if doc not in known]
    if unknown:
        listed = sorted(known)
        shown = ", ".join(listed[:5]) + (f" ... ({len(listed)} in all)" if len(listed) > 5 else "")
        raise ExportError(
            f"{path}: no document {', '.join(unknown)}; the stored ones are: {shown or 'none'}. "
            "Hint: give one of them to `--doc`"
        )


def load_export_units(data_dir: str | os.PathLike[str], selection: Selection) -> Iterator[ExportUnit]:
    """Read the frames under ``data_dir`` and yield the selected units.

    Raises
    ------
    FrameError
        A needed frame is missing or malformed.
    ExportError
        A language or document asked for is not in the frames.
    """
    info = _read_documents(data_dir)
    if selection.uses_units:
        frame = read_whole(data_dir, "units")
        _check_doc_ids(frame, selection, str(frame_path(data_dir, "units")))
        rows = units_from_multiway(frame, selection.langs, info)
    else:
        src, tgt = selection.langs
        frame = read_whole(data_dir, "alignments")
        _check_doc_ids(frame, selection, str(frame_path(data_dir, "alignments")))
        pairs = {frozenset(p) for p in frame.select("src_lang", "tgt_lang").unique().iter_rows()}
        if frozenset((src, tgt)) not in pairs:
            directed = frame.select("src_lang", "tgt_lang").unique().iter_rows()
            stored = ", ".join(sorted(f"{s}-{t}" for s, t in directed)) or "none"
            raise ExportError(
                f"{frame_path(data_dir, 'alignments')}: no {src}-{tgt} alignments (stored pairs: {stored}); "
                f"choose a stored pair with `--langs`"
            )
        rows = units_from_pairs(frame, src, tgt, info)
    return apply_selection(rows, selection)
