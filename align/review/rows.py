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


def _index_lists(lists: Sequence[Sequence[int]]) -> pl.Series:
    """``list[i32]`` from Python lists, through one string column split by polars: polars builds nested columns
    from Python objects one value at a time (seconds for a 2,000-unit item of five languages); this takes ms."""
    joined = pl.Series([",".join(map(str, group)) for group in lists], dtype=pl.Utf8())
    return joined.str.split(",").list.eval(pl.element().filter(pl.element() != "")).cast(pl.List(pl.Int32()))


def units_frame(doc_id: str, rows: Sequence[Row], langs: Sequence[str]) -> pl.DataFrame:
    """The ``units`` rows of one item (the store's schema plus ``status``)."""
    columns: list[pl.Series] = [
        pl.Series("doc_id", [doc_id] * len(rows), pl.Utf8()),
        pl.Series("unit", [row["unit"] for row in rows], pl.Int32()),
        pl.Series("score", [None if row["score"] is None else float(row["score"]) for row in rows], pl.Float64()),
    ]
    for lang in langs:
        columns.append(pl.Series(f"text_{lang}", [row[f"text_{lang}"] for row in rows], pl.Utf8()))
        columns.append(_index_lists([row[f"sents_{lang}"] for row in rows]).alias(f"sents_{lang}"))
    columns.append(pl.Series(STATUS, [row[STATUS] for row in rows], pl.Utf8()))
    frame = pl.DataFrame(columns)
    return frame.select([*units_schema(list(langs)).names(), STATUS])


def pair_directions(langs: Sequence[str], pivot: str) -> list[tuple[str, str]]:
    """Every unordered pair once, as the align job stores it: the pivot is the source, else the first language."""
    return [((b, a) if b == pivot else (a, b)) for a, b in combinations(sorted(langs), 2)]


def _bead_key(side: str) -> pl.Expr:
    return pl.col(side).cast(pl.List(pl.Utf8())).list.join(",")


def alignments_frame(
    doc_id: str,
    units: pl.DataFrame,
    langs: Sequence[str],
    pivot: str,
    old: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The item's ``alignments`` read off its ``units`` frame, as the align job does (a unit empty on both sides of
    a pair gives no row); a bead the ``old`` alignments already held keeps its pairwise score, others take the unit's."""
    present = [lang for lang in langs if units[f"sents_{lang}"].list.len().sum()]
    parts = []
    for src, tgt in pair_directions(present, pivot):
        s, t = pl.col(f"sents_{src}"), pl.col(f"sents_{tgt}")
        parts.append(units.filter((s.list.len() > 0) | (t.list.len() > 0)).select(
            pl.lit(doc_id, pl.Utf8()).alias("doc_id"), pl.lit(src, pl.Utf8()).alias("src_lang"),
            pl.lit(tgt, pl.Utf8()).alias("tgt_lang"), s.alias("src_sents"), t.alias("tgt_sents"),
            pl.col(f"text_{src}").alias("src_text"), pl.col(f"text_{tgt}").alias("tgt_text"), "score",
            pl.concat_str(s.list.len().cast(pl.Utf8()), pl.lit("-"), t.list.len().cast(pl.Utf8())).alias("kind"),
            STATUS,
        ))
    schema = pl.Schema({**ALIGNMENTS_SCHEMA, STATUS: pl.Utf8()})
    if not parts:
        return pl.DataFrame(schema=schema)
    frame = pl.concat(parts).with_row_index("_order")
    if old is not None and old.height:
        known = old.select(
            "src_lang", "tgt_lang", _bead_key("src_sents").alias("_src"), _bead_key("tgt_sents").alias("_tgt"),
            pl.col("score").alias("_pair_score"),
        ).unique(["src_lang", "tgt_lang", "_src", "_tgt"], keep="first")
        frame = frame.with_columns(_bead_key("src_sents").alias("_src"), _bead_key("tgt_sents").alias("_tgt")).join(
            known, on=["src_lang", "tgt_lang", "_src", "_tgt"], how="left",
        ).with_columns(pl.coalesce("_pair_score", "score").alias("score"))
    return frame.sort("_order").select(schema.names()).cast(dict(schema))  # type: ignore[arg-type]


def present_langs(rows: Sequence[Row], langs: Sequence[str]) -> list[str]:
    """The languages that have at least one sentence in the item."""
    return [lang for lang in langs if any(row[f"sents_{lang}"] for row in rows)]
