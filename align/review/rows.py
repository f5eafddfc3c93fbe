"""An item's units as plain rows, and the frames rebuilt from them.

A row is a dict with ``unit``, ``score``, ``status`` and, for each language
L of the item, ``text_L`` and ``sents_L``; editing works on a list of rows
(a 2,000-unit item is a few thousand small dicts). ``status`` is what review
did to the unit: None (the aligner's), ``"corrected"`` (its sentences were
changed by hand) or ``"confirmed"`` (a reviewer approved it). The ``units``
and ``alignments`` frames carry it as an extra ``status`` column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Final

import polars as pl

from align.store.schemas import ALIGNMENTS_SCHEMA, units_schema

STATUS: Final = "status"
CONFIRMED: Final = "confirmed"
CORRECTED: Final = "corrected"
REVIEWED: Final = (CONFIRMED, CORRECTED)

Row = dict[str, Any]


@dataclass(frozen=True)
class Sentences:
    """An item's sentences: texts and paragraph numbers per language, by sentence index."""

    texts: Mapping[str, Sequence[str]]
    paras: Mapping[str, Sequence[int]]

    @classmethod
    def from_frame(cls, sentences: pl.DataFrame) -> Sentences:
        texts: dict[str, list[str]] = {}
        paras: dict[str, list[int]] = {}
        for lang, group in sentences.sort("lang", "sent").group_by("lang", maintain_order=True):
            texts[str(lang[0])] = group["text"].to_list()
            paras[str(lang[0])] = group["para"].to_list()
        return cls(texts, paras)

    def join(self, lang: str, sents: Sequence[int]) -> str:
        """The unit text of ``sents`` in ``lang``, as the align job joins it (one space)."""
        texts = self.texts.get(lang, ())
        return " ".join(texts[i] for i in sents)

    def text(self, lang: str, sent: int) -> str:
        return self.texts[lang][sent]


def rows_from_frame(units: pl.DataFrame, langs: Sequence[str]) -> list[Row]:
    """The units of one item in unit order, as rows (``status`` None where the frame has none)."""
    frame = units.sort("unit")
    has_status = STATUS in frame.columns
    rows = []
    for record in frame.iter_rows(named=True):
        row: Row = {"unit": record["unit"], "score": record["score"], STATUS: record[STATUS] if has_status else None}
        for lang in langs:
            row[f"text_{lang}"] = record.get(f"text_{lang}") or ""
            row[f"sents_{lang}"] = list(record.get(f"sents_{lang}") or [])
        rows.append(row)
    return rows


def rebuilt(row: Row, langs: Sequence[str], sentences: Sentences, **changes: Any) -> Row:
    """``row`` with ``changes`` applied and every text joined again from its sentence indices."""
    new = {**row, **changes}
    for lang in langs:
        new[f"sents_{lang}"] = sorted(new[f"sents_{lang}"])
        new[f"text_{lang}"] = sentences.join(lang, new[f"sents_{lang}"])
    return new


def renumbered(rows: Sequence[Row]) -> list[Row]:
    return [{**row, "unit": index} for index, row in enumerate(rows)]


def units_frame(doc_id: str, rows: Sequence[Row], langs: Sequence[str]) -> pl.DataFrame:
    """The ``units`` rows of one item (the store's schema plus ``status``)."""
    schema = units_schema(list(langs))
    columns: dict[str, list[Any]] = {
        "doc_id": [doc_id] * len(rows),
        "unit": [row["unit"] for row in rows],
        "score": [float(row["score"]) if row["score"] is not None else None for row in rows],
    }
    for lang in langs:
        columns[f"text_{lang}"] = [row[f"text_{lang}"] for row in rows]
        columns[f"sents_{lang}"] = [list(row[f"sents_{lang}"]) for row in rows]
    frame = pl.DataFrame(columns, schema=schema)
    return frame.with_columns(pl.Series(STATUS, [row[STATUS] for row in rows], dtype=pl.Utf8()))


def pair_directions(langs: Sequence[str], pivot: str) -> list[tuple[str, str]]:
    """Every unordered pair once, as the align job stores it: the pivot is the source, else the first language."""
    return [((b, a) if b == pivot else (a, b)) for a, b in combinations(sorted(langs), 2)]


def alignments_frame(
    doc_id: str,
    rows: Sequence[Row],
    langs: Sequence[str],
    pivot: str,
    old: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The item's ``alignments`` read off its units, as the align job does (a unit empty on both sides of a pair
    gives no row); a bead the ``old`` alignments already held keeps its pairwise score, others take the unit's."""
    known: dict[tuple[str, str, tuple[int, ...], tuple[int, ...]], float] = {}
    if old is not None and old.height:
        for rec in old.select("src_lang", "tgt_lang", "src_sents", "tgt_sents", "score").iter_rows():
            known[(rec[0], rec[1], tuple(rec[2] or ()), tuple(rec[3] or ()))] = rec[4]
    present = [lang for lang in langs if any(row[f"sents_{lang}"] for row in rows)]
    records = []
    for src, tgt in pair_directions(present, pivot):
        for row in rows:
            src_sents, tgt_sents = list(row[f"sents_{src}"]), list(row[f"sents_{tgt}"])
            if not src_sents and not tgt_sents:
                continue
            score = known.get((src, tgt, tuple(src_sents), tuple(tgt_sents)), row["score"])
            records.append((
                doc_id, src, tgt, src_sents, tgt_sents, row[f"text_{src}"], row[f"text_{tgt}"], score,
                f"{len(src_sents)}-{len(tgt_sents)}", row[STATUS],
            ))
    schema = pl.Schema({**ALIGNMENTS_SCHEMA, STATUS: pl.Utf8()})
    return pl.DataFrame(records, schema=schema, orient="row")


def present_langs(rows: Sequence[Row], langs: Sequence[str]) -> list[str]:
    """The languages that have at least one sentence in the item."""
    return [lang for lang in langs if any(row[f"sents_{lang}"] for row in rows)]
