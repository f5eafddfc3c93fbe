"""CSV export for spreadsheets."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl

from align.formats.csv import BOM, write_csv
from align.formats.selection import Selection, apply_selection, units_from_multiway
from tests.align.frames_factory import make_frames


def _csv(bom: bool = True, spec=None) -> str:
    frames = make_frames(spec) if spec else make_frames()
    langs = ("ru", "en", "de")
    stream = io.StringIO(newline="")
    write_csv(
        apply_selection(units_from_multiway(frames.units, langs), Selection(langs=langs)),
        stream,
        langs,
        bom=bom,
    )
    return stream.getvalue()


def test_bom_by_default_and_not_on_request() -> None:
    assert _csv().startswith(BOM + "doc_id,unit,ru,en,de,score,kind,origlang\r\n")
    assert _csv(bom=False).startswith("doc_id,")


def test_csv_reader_gets_every_text_back_even_with_commas_quotes_and_newlines() -> None:
    spec = [
        {"ru": ['Он сказал: "Да, конечно".'], "en": ['He said:\n"Yes, of course".'], "de": ["Ja, klar; gut."]}
    ]
    rows = list(csv.DictReader(io.StringIO(_csv(bom=False, spec=spec), newline="")))
    assert rows == [
        {
            "doc_id": "mid.ru:1527258",
            "unit": "0",
            "ru": 'Он сказал: "Да, конечно".',
            "en": 'He said:\n"Yes, of course".',
            "de": "Ja, klar; gut.",
            "score": "0.93",
            "kind": "1-1-1",
            "origlang": "",
        }
    ]


def test_polars_reads_the_file_with_its_bom(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(_csv(), encoding="utf-8", newline="")
    frame = pl.read_csv(path)
    assert frame.columns[:3] == ["doc_id", "unit", "ru"]
    assert len(frame) == 5 and frame["en"][0] == "Ladies and gentlemen,"
