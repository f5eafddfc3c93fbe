"""CSV for spreadsheets: one row per unit, one column per language.

Columns: ``doc_id``, ``unit``, one per language, ``score``, ``kind``,
``origlang``. RFC 4180 quoting (texts with commas, quotes or line breaks are
quoted, line breaks kept), ``\\r\\n`` row ends. A UTF-8 byte-order mark is
written by default because Excel reads BOM-less CSV in the local code page
and would garble Cyrillic; ``--no-bom`` leaves it out for programs that
don't expect one (pandas and polars accept both).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO

from align.formats.selection import ExportUnit
from align.formats.text import format_score

BOM = "\ufeff"


def csv_header(langs: tuple[str, ...]) -> list[str]:
    return ["doc_id", "unit", *langs, "score", "kind", "origlang"]


def write_csv(
    units: Iterable[ExportUnit], stream: IO[str], langs: tuple[str, ...], *, bom: bool = True
) -> int:
    """Write the header and one row per unit; returns the number of rows."""
    if bom:
        stream.write(BOM)
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(csv_header(langs))
    count = 0
    for unit in units:
        writer.writerow(
            [
                unit.doc_id,
                unit.unit,
                *(unit.text(lang) for lang in langs),
                format_score(unit.score),
                unit.kind,
                unit.origlang or "",
            ]
        )
        count += 1
    return count
