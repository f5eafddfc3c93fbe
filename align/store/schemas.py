"""The one place that defines the four frames of ../shared/DESIGN.md.

``documents`` (one row per language version), ``sentences``, ``alignments``
(one row per aligned pair of sentence groups, per language pair) and ``units``
(one row per multi-way unit; its ``text_L``/``sents_L`` columns exist for
every language L of the item).
"""

from __future__ import annotations

from typing import Final, Literal

import polars as pl

FrameName = Literal["documents", "sentences", "alignments", "units"]
FRAME_NAMES: Final[tuple[FrameName, ...]] = ("documents", "sentences", "alignments", "units")

UTC_TIME: Final = pl.Datetime("us", "UTC")
# Every stored row also carries the id of the run that wrote it (``DATA/runs/``); the store adds it.
RUN_ID: Final = "run_id"
INDICES: Final = pl.List(pl.Int32())

DOCUMENTS_SCHEMA: Final = pl.Schema(
    {
        "doc_id": pl.Utf8(),
        "lang": pl.Utf8(),
        "url": pl.Utf8(),
        "title": pl.Utf8(),
        "published": UTC_TIME,
        "doc_number": pl.Utf8(),
        "paragraphs": pl.List(pl.Utf8()),
        "para_kinds": pl.List(pl.Utf8()),
        "original_lang": pl.Utf8(),
        "detected_lang": pl.Utf8(),
        "lang_confidence": pl.Float64(),
        "fetched_at": UTC_TIME,
        "html_sha256": pl.Utf8(),
    }
)

SENTENCES_SCHEMA: Final = pl.Schema(
    {"doc_id": pl.Utf8(), "lang": pl.Utf8(), "para": pl.Int32(), "sent": pl.Int32(), "text": pl.Utf8()}
)

ALIGNMENTS_SCHEMA: Final = pl.Schema(
    {
        "doc_id": pl.Utf8(),
        "src_lang": pl.Utf8(),
        "tgt_lang": pl.Utf8(),
        "src_sents": INDICES,
        "tgt_sents": INDICES,
        "src_text": pl.Utf8(),
        "tgt_text": pl.Utf8(),
        "score": pl.Float64(),
        "kind": pl.Utf8(),
    }
)

# Fixed part of the units frame; ``text_{lang}`` (Utf8) and ``sents_{lang}``
# (list[i32]) follow for each language.
UNITS_BASE_SCHEMA: Final = pl.Schema({"doc_id": pl.Utf8(), "unit": pl.Int32(), "score": pl.Float64()})

SCHEMAS: Final[dict[str, pl.Schema]] = {
    "documents": DOCUMENTS_SCHEMA,
    "sentences": SENTENCES_SCHEMA,
    "alignments": ALIGNMENTS_SCHEMA,
    "units": UNITS_BASE_SCHEMA,
}


def units_schema(langs: list[str] | tuple[str, ...]) -> pl.Schema:
    """Full units schema for the given languages, in the given order."""
    cols = dict(UNITS_BASE_SCHEMA)
    for lang in langs:
        cols[f"text_{lang}"] = pl.Utf8()
        cols[f"sents_{lang}"] = INDICES
    return pl.Schema(cols)


def unit_langs(units: pl.DataFrame) -> list[str]:
    """Languages present in a units frame, in column order."""
    return [c.removeprefix("text_") for c in units.columns if c.startswith("text_")]


def empty_frame(name: FrameName) -> pl.DataFrame:
    """An empty frame with the schema of ``name``."""
    return pl.DataFrame(schema=SCHEMAS[name])


def schema_problem(name: FrameName, frame: pl.DataFrame) -> str | None:
    """Describe the first way ``frame`` departs from the schema of ``name``, else None."""
    expected = dict(SCHEMAS[name])
    if name == "units":
        expected = dict(units_schema(unit_langs(frame)))
    for column, dtype in expected.items():
        if column not in frame.columns:
            return f"column `{column}` is missing"
        if frame.schema[column] != dtype:
            return f"column `{column}` has type {frame.schema[column]}, expected {dtype}"
    if name == "units":
        for lang in unit_langs(frame):
            if f"sents_{lang}" not in frame.columns:
                return f"column `sents_{lang}` is missing"
    return None


def pair_alignments(alignments: pl.DataFrame, src: str, tgt: str) -> pl.DataFrame:
    """The ``src``-``tgt`` rows of an alignments frame, in stored order, turned round where stored ``tgt``-``src``.

    Documents may hold a pair in different directions (each has its own pivot);
    turned rows get their sides swapped and their kind reversed (``2-1`` -> ``1-2``).

    >>> frame = pl.DataFrame({"doc_id": ["d"], "src_lang": ["ru"], "tgt_lang": ["en"], "src_sents": [[0]],
    ...     "tgt_sents": [[0, 1]], "src_text": ["Да."], "tgt_text": ["A. B."], "score": [0.9], "kind": ["1-2"]},
    ...     schema=ALIGNMENTS_SCHEMA)
    >>> pair_alignments(frame, "en", "ru").select("src_lang", "src_text", "kind").row(0)
    ('en', 'A. B.', '2-1')
    """
    extras = [c for c in (RUN_ID, "status") if c in alignments.columns]  # the store's and review's columns
    rows = alignments.with_row_index("_row")
    as_stored = rows.filter((pl.col("src_lang") == src) & (pl.col("tgt_lang") == tgt))
    turned = rows.filter((pl.col("src_lang") == tgt) & (pl.col("tgt_lang") == src)).select(
        "_row",
        "doc_id",
        pl.col("tgt_lang").alias("src_lang"),
        pl.col("src_lang").alias("tgt_lang"),
        pl.col("tgt_sents").alias("src_sents"),
        pl.col("src_sents").alias("tgt_sents"),
        pl.col("tgt_text").alias("src_text"),
        pl.col("src_text").alias("tgt_text"),
        "score",
        pl.col("kind").str.split("-").list.reverse().list.join("-").alias("kind"),
        *[pl.col(c) for c in extras],
    )
    columns = ["_row", *ALIGNMENTS_SCHEMA.names(), *extras]
    both = pl.concat([as_stored.select(columns), turned.select(columns)])
    return both.sort("_row").drop("_row")
