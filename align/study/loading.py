"""Reading the frames of one output folder for study."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass

import polars as pl

from align.errors import InputError
from align.store.schemas import unit_langs
from align.store.tables import read_frame


@dataclass(frozen=True, slots=True)
class StudyFrames:
    """The frames of one output folder; ``documents`` and ``sentences`` may be empty."""

    documents: pl.DataFrame
    sentences: pl.DataFrame
    alignments: pl.DataFrame
    units: pl.DataFrame

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
        ``units.parquet`` or ``alignments.parquet`` is missing or malformed
        (``documents`` and ``sentences`` are optional).
    """
    return StudyFrames(
        documents=read_frame(data_dir, "documents", missing_ok=True),
        sentences=read_frame(data_dir, "sentences", missing_ok=True),
        alignments=read_frame(data_dir, "alignments"),
        units=read_frame(data_dir, "units"),
    )
