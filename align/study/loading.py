"""Reading the frames of one output folder for study: whole items only, with the run of each item."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field

import polars as pl

from align.errors import InputError
from align.store.items import read_whole
from align.store.runs import RUNS_SCHEMA, read_runs
from align.store.schemas import unit_langs


@dataclass(frozen=True, slots=True)
class StudyFrames:
    """The frames of one output folder; ``documents`` and ``sentences`` may be empty."""

    documents: pl.DataFrame
    sentences: pl.DataFrame
    alignments: pl.DataFrame
    units: pl.DataFrame
    runs: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=RUNS_SCHEMA))

    def item_runs(self) -> pl.DataFrame:
        """One row per item and run that wrote its units: ``doc_id``, then the run's columns (``DATA/runs/``).

        An item re-aligned with another scorer names its own run and scorer here.
        """
        if "run_id" not in self.units.columns:
            return pl.DataFrame(schema={"doc_id": pl.Utf8(), **RUNS_SCHEMA})
        used = self.units.select("doc_id", "run_id").unique().sort("doc_id")
        return used.join(self.runs, on="run_id", how="left").select("doc_id", *RUNS_SCHEMA.names())

    @property
    def langs(self) -> list[str]:
        """Languages of the units frame, in column order."""
        return unit_langs(self.units)

    @property
    def original_lang(self) -> str | None:
        """The most common original language of the items, when known and present in the units."""
        known: list[str] = self.documents["original_lang"].drop_nulls().to_list()
        for lang, _count in Counter(known).most_common():
            if lang in self.langs:
                return lang
        return None

    @property
    def source_lang(self) -> str:
        """The language to search from: the original when known, else the first unit language."""
        if not self.langs:
            raise InputError("the units frame has no `text_L` column: no language to study")
        return self.original_lang or self.langs[0]

    def original_langs(self) -> dict[str, str]:
        """``doc_id -> original language`` for the items whose original is known."""
        known = self.documents.filter(pl.col("original_lang").is_not_null())
        return dict(known.select("doc_id", "original_lang").unique("doc_id").iter_rows())


def load_frames(data_dir: str | os.PathLike[str]) -> StudyFrames:
    """Read the frames of ``data_dir`` (schemas checked).

    Raises
    ------
    FrameError
        The ``units`` or ``alignments`` table is missing or malformed
        (``documents`` and ``sentences`` are optional). Items a killed run left
        half-written are left out, with one warning naming them.
    """
    return StudyFrames(
        documents=read_whole(data_dir, "documents", missing_ok=True),
        sentences=read_whole(data_dir, "sentences", missing_ok=True),
        alignments=read_whole(data_dir, "alignments"),
        units=read_whole(data_dir, "units"),
        runs=read_runs(data_dir),
    )
