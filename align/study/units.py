"""Per multi-way unit: additions and omissions, units to review, one item's units."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import polars as pl

from align.errors import InputError
from align.store.schemas import unit_langs
from align.study._common import check_langs, has_text

#: Units (and alignments) scoring below this are "low confidence" unless told otherwise.
DEFAULT_REVIEW_THRESHOLD: Final = 0.5


def _lang_list(langs: Sequence[str], present: bool) -> pl.Expr:
    parts = [pl.when(has_text(lang) if present else ~has_text(lang)).then(pl.lit(lang)) for lang in langs]
    return pl.concat_list(parts).list.drop_nulls()


def additions_and_omissions(
    units: pl.DataFrame, *, original_lang: str | Mapping[str, str] | None = None
) -> pl.DataFrame:
    """Units that some languages have and others lack.

    ``original_lang`` (one code, or ``doc_id -> code``) names the language
    the item was written in. A unit the original has and a translation lacks
    is an ``omission`` in that translation; a unit the original lacks is an
    ``addition`` in the languages that have it; without a known original the
    row's ``kind`` is ``gap``. Returns ``doc_id``, ``unit``, ``kind``,
    ``present`` and ``missing`` (lists of codes), ``score``, and ``text`` in
    ``text_lang`` (the original when present, else the first language present).
    """
    langs = unit_langs(units)
    originals = _original_per_doc(units, original_lang)
    check_langs(units, [lang for lang in originals.values() if lang], "original language")
    with_lists = units.with_columns(
        _lang_list(langs, present=True).alias("present"),
        _lang_list(langs, present=False).alias("missing"),
        pl.col("doc_id").replace_strict(originals, default=None, return_dtype=pl.Utf8).alias("_original"),
    ).filter((pl.col("present").list.len() > 0) & (pl.col("missing").list.len() > 0))
    kind = (
        pl.when(pl.col("_original").is_null())
        .then(pl.lit("gap"))
        .when(pl.col("present").list.contains(pl.col("_original")))
        .then(pl.lit("omission"))
        .otherwise(pl.lit("addition"))
    )
    shown = (
        pl.when(pl.col("present").list.contains(pl.col("_original").fill_null("")))
        .then(pl.col("_original"))
        .otherwise(pl.col("present").list.first())
    )
    text_of_shown = pl.coalesce([pl.when(pl.col("text_lang") == lang).then(pl.col(f"text_{lang}")) for lang in langs])
    return (
        with_lists.with_columns(kind.alias("kind"), shown.alias("text_lang"))
        .with_columns(text_of_shown.alias("text"))
        .select("doc_id", "unit", "kind", "present", "missing", "score", "text_lang", "text")
        .sort("doc_id", "unit")
    )


def _original_per_doc(units: pl.DataFrame, original_lang: str | Mapping[str, str] | None) -> dict[str, str]:
    doc_ids = units["doc_id"].unique().to_list()
    if original_lang is None:
        return {}
    if isinstance(original_lang, str):
        return dict.fromkeys(doc_ids, original_lang)
    return {doc_id: lang for doc_id, lang in original_lang.items() if doc_id in doc_ids}


def low_confidence(
    units: pl.DataFrame,
    *,
    threshold: float = DEFAULT_REVIEW_THRESHOLD,
    langs: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Units scoring below ``threshold``, least confident first: ``doc_id``, ``unit``, ``score``, ``text_L``..."""
    chosen = list(langs) if langs is not None else unit_langs(units)
    check_langs(units, chosen, "language")
    return (
        units.filter(pl.col("score") < threshold)
        .sort("score", "doc_id", "unit")
        .select("doc_id", "unit", "score", *[f"text_{lang}" for lang in chosen])
    )


def document_units(
    units: pl.DataFrame,
    doc_id: str,
    *,
    langs: Sequence[str] | None = None,
    min_score: float | None = None,
    limit: int | None = None,
) -> pl.DataFrame:
    """The units of one item in order: ``unit``, ``score``, ``text_L`` for ``langs``.

    ``langs`` defaults to the languages the item has (:func:`item_langs`).

    ``min_score`` drops units scoring below it; ``limit`` keeps the first N.

    Raises
    ------
    InputError
        ``doc_id`` is not in the frame (the message lists a few that are), or
        a language of ``langs`` is not.
    """
    if langs is not None:
        check_langs(units, langs, "language")
    rows = units.filter(pl.col("doc_id") == doc_id)
    if rows.is_empty():
        raise InputError(f"no document `{doc_id}` in the units frame; {_some_doc_ids(units)}")
    chosen = list(langs) if langs is not None else item_langs(rows)
    if min_score is not None:
        rows = rows.filter(pl.col("score") >= min_score)
    rows = rows.sort("unit").select("unit", "score", *[f"text_{lang}" for lang in chosen])
    return rows.head(limit) if limit is not None else rows


def item_langs(units: pl.DataFrame) -> list[str]:
    """Languages with text in at least one of these units, in column order."""
    return [lang for lang in unit_langs(units) if units.select(has_text(lang).any()).item()]


def _some_doc_ids(units: pl.DataFrame, shown: int = 5) -> str:
    doc_ids = units["doc_id"].unique(maintain_order=True).to_list()
    if not doc_ids:
        return "the frame is empty; run `bitext align` (or `bitext demo`) first"
    more = f" (and {len(doc_ids) - shown} more)" if len(doc_ids) > shown else ""
    return "available: " + ", ".join(doc_ids[:shown]) + more
