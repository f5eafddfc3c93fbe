"""Re-aligning an item keeps what review did: confirmed and corrected units survive ``bitext align``.

The align job calls :func:`keep_reviewed` for each document it has just
aligned (:mod:`align.jobs.aligning`). A reviewed unit whose texts still match
the new sentences is kept as it is; the aligner's new units fill the gaps
between them, trimmed of the sentences the kept units hold; their pairwise
rows are read off the merged units again. A reviewed unit whose sentences
changed (the page was fetched again and its text differs) cannot be kept;
the note says how many.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import polars as pl

from align.multiway.units import choose_pivot
from align.review.rows import (
    REVIEWED,
    STATUS,
    Row,
    Sentences,
    alignments_frame,
    rebuilt,
    renumbered,
    rows_from_frame,
    units_frame,
)
from align.store.schemas import unit_langs
from align.store.tables import scan_table


@dataclass(frozen=True)
class Kept:
    """The rows to store for a re-aligned item, and the note for its summary (None: nothing was reviewed)."""

    units: pl.DataFrame
    alignments: pl.DataFrame
    note: str | None


class ReviewedUnits:
    """The stored confirmed and corrected units of the items a job re-aligns, read once before it starts."""

    def __init__(self, reviewed: pl.DataFrame) -> None:
        self._frame = reviewed

    @classmethod
    def load(cls, data_dir: str | os.PathLike[str], doc_ids: Collection[str]) -> ReviewedUnits:
        scan = scan_table(data_dir, "units")
        if scan is None or STATUS not in scan.collect_schema().names() or not doc_ids:
            return cls(pl.DataFrame())
        frame = scan.filter(pl.col("doc_id").is_in(list(doc_ids)) & pl.col(STATUS).is_in(list(REVIEWED))).collect()
        return cls(frame)

    def keep(self, doc_id: str, units: pl.DataFrame, alignments: pl.DataFrame, sentences: pl.DataFrame) -> Kept:
        """``units``/``alignments`` just aligned for ``doc_id``, with the item's reviewed units put back."""
        reviewed = self._frame.filter(pl.col("doc_id") == doc_id) if self._frame.height else self._frame
        if not reviewed.height or not units.height:
            return Kept(units, alignments, None)
        langs = unit_langs(units)
        texts = Sentences.from_frame(sentences)
        old = rows_from_frame(reviewed.with_columns(
            *[pl.lit("").alias(f"text_{lang}") for lang in langs if f"text_{lang}" not in reviewed.columns],
            *[pl.lit([], dtype=pl.List(pl.Int32())).alias(f"sents_{lang}") for lang in langs
              if f"sents_{lang}" not in reviewed.columns],
        ), langs)
        still = [row for row in old if _matches(row, langs, texts)]
        rows = merge_reviewed(rows_from_frame(units, langs), still, langs, texts)
        pivot = _pivot(alignments, langs)
        kept_units = units_frame(doc_id, rows, langs)
        kept_alignments = alignments_frame(doc_id, kept_units, langs, pivot, alignments)
        note = f"kept {len(still)} reviewed unit(s) (confirmed or corrected in `bitext review`)"
        if len(still) < len(old):
            note += f"; {len(old) - len(still)} no longer match the re-fetched text and were dropped: review them again"
        return Kept(kept_units, kept_alignments, note)


def _pivot(alignments: pl.DataFrame, langs: Sequence[str]) -> str:
    """The language that is the source of every stored pair it is in (the job's pivot)."""
    sources = set(alignments["src_lang"].to_list()) if alignments.height else set()
    targets = set(alignments["tgt_lang"].to_list()) if alignments.height else set()
    only_source = sorted(sources - targets)
    return only_source[0] if len(only_source) == 1 else choose_pivot(list(langs))


def _matches(row: Row, langs: Sequence[str], sentences: Sentences) -> bool:
    for lang in langs:
        sents = row[f"sents_{lang}"]
        if any(i >= len(sentences.texts.get(lang, ())) for i in sents):
            return False
        if sentences.join(lang, sents) != row[f"text_{lang}"]:
            return False
    return True


def merge_reviewed(new: Sequence[Row], reviewed: Sequence[Row], langs: Sequence[str], sentences: Sentences) -> list[Row]:
    """``reviewed`` rows as they are, with ``new`` rows trimmed of their sentences in the gaps, in text order."""
    held = {lang: {i for row in reviewed for i in row[f"sents_{lang}"]} for lang in langs}
    trimmed = []
    for row in new:
        sents = {f"sents_{lang}": [i for i in row[f"sents_{lang}"] if i not in held[lang]] for lang in langs}
        if any(sents.values()):
            changed = any(len(sents[f"sents_{lang}"]) != len(row[f"sents_{lang}"]) for lang in langs)
            trimmed.append(rebuilt(row, langs, sentences, **sents) if changed else row)
    merged: list[Row] = []
    i = j = 0
    while i < len(trimmed) and j < len(reviewed):
        if _before(reviewed[j], trimmed[i], langs):
            merged.append(reviewed[j])
            j += 1
        else:
            merged.append(trimmed[i])
            i += 1
    return renumbered([*merged, *trimmed[i:], *reviewed[j:]])


def _before(a: Row, b: Row, langs: Sequence[str]) -> bool:
    """Whether ``a`` comes before ``b`` in the first language both have sentences in (True when none)."""
    for lang in langs:
        if a[f"sents_{lang}"] and b[f"sents_{lang}"]:
            return bool(max(a[f"sents_{lang}"]) < min(b[f"sents_{lang}"]))
    return True
