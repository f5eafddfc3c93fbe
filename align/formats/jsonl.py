"""JSON Lines in the shape Hugging Face translation data sets use.

One object per unit::

    {"translation": {"ru": "...", "en": "..."}, "doc_id": "mid.ru:1527258",
     "unit": 3, "score": 0.91, "kind": "1-1", "origlang": "ru"}

``datasets.load_dataset("json", data_files=PATH)`` loads it as is. Texts are
written unescaped (UTF-8, ``ensure_ascii=False``); JSON escapes the control
characters, so every text comes back exactly. A score that is not a finite
number is written as ``null`` (strict JSON has no NaN or Infinity).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import polars as pl

from align.errors import ExportError
from align.formats.selection import ExportUnit
from align.store.schemas import ALIGNMENTS_SCHEMA


def unit_record(unit: ExportUnit) -> dict[str, Any]:
    """The JSON object of one unit; a non-finite score becomes null (JSON has no NaN)."""
    score = unit.score if unit.score is not None and math.isfinite(unit.score) else None
    return {
        "translation": dict(zip(unit.langs, unit.texts, strict=True)),
        "doc_id": unit.doc_id,
        "unit": unit.unit,
        "score": score,
        "kind": unit.kind,
        "origlang": unit.origlang,
    }


def write_jsonl(units: Iterable[ExportUnit], stream: IO[str]) -> int:
    """Write one JSON object per unit; returns the number of lines."""
    count = 0
    for unit in units:
        stream.write(json.dumps(unit_record(unit), ensure_ascii=False, allow_nan=False) + "\n")
        count += 1
    return count


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with open(path, encoding="utf-8") as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise ExportError(
                    f"{path}:{number}: not JSON ({err.msg}); expected one object per line"
                ) from err
            if not isinstance(record, dict) or not isinstance(record.get("translation"), dict):
                raise ExportError(f"{path}:{number}: expected an object with a `translation` mapping")
            yield number, record


def read_jsonl_alignments(path: str | Path) -> pl.DataFrame:
    """Read a bilingual JSONL export back as an alignments frame (first language = source).

    Sentence indices are not in the JSONL; they come back empty.
    """
    rows = []
    for number, record in _records(Path(path)):
        translation = record["translation"]
        if len(translation) != 2:
            raise ExportError(f"{path}:{number}: expected 2 languages, found {len(translation)}")
        (src, src_text), (tgt, tgt_text) = translation.items()
        rows.append(
            {
                "doc_id": record.get("doc_id") or Path(path).name,
                "src_lang": src,
                "tgt_lang": tgt,
                "src_sents": [],
                "tgt_sents": [],
                "src_text": src_text,
                "tgt_text": tgt_text,
                "score": record.get("score"),
                "kind": record.get("kind") or "1-1",
            }
        )
    return pl.DataFrame(rows, schema=ALIGNMENTS_SCHEMA)
