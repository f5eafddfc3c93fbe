"""`bitext show DOC_ID`: the units of one item side by side, low-confidence units marked."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner, Result

from align.cli import main
from align.store.delta import frame_path
from align.store.tables import make_provenance, write_frame
from tests.align.study_frames import DOC_A, DOC_B, units_frame, write_study_frames


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_study_frames(tmp_path_factory.mktemp("frames"))


def _show(*args: str) -> Result:
    return CliRunner().invoke(main, ["show", *args], env={"COLUMNS": "220"})


def _rows(output: str) -> list[str]:
    """Table lines that start a unit (a unit number in the first column)."""
    return [line for line in output.splitlines() if line.startswith("│") and line.split("│")[1].strip().isdigit()]


def test_show_prints_every_unit_with_its_score(data_dir: Path) -> None:
    result = _show(DOC_B, "-d", str(data_dir))
    assert result.exit_code == 0, result.output
    rows = _rows(result.output)
    assert [row.split("│")[1].strip() for row in rows] == ["0", "1", "2", "3", "4", "5"]
    header = next(line for line in result.output.splitlines() if line.startswith("┃"))
    assert [cell.strip() for cell in header.split("┃")[1:-1]] == ["#", "score", "ru", "de", "en", "es", "fr"]
    assert "Сергей Лавров: Мы изучаем проект." in result.output
    assert "6 of 6 units; 1 marked ! (score < 0.50: review)" in result.output


def test_low_confidence_units_carry_a_marker_without_colour(data_dir: Path) -> None:
    result = _show(DOC_A, "-d", str(data_dir), "--langs", "ru,en")
    scores = {row.split("│")[1].strip(): row.split("│")[2].strip() for row in _rows(result.output)}
    assert scores["5"] == "! 0.30" and scores["6"] == "! 0.42" and scores["0"] == "0.95"
    assert "\x1b[" not in result.output  # not a terminal: the marker alone shows it
    flagged = _show(DOC_A, "-d", str(data_dir), "--langs", "ru", "--flag-below", "0.9")
    assert sum("│ !" in row for row in _rows(flagged.output)) == 6


def test_an_empty_language_cell_shows_a_dash(data_dir: Path) -> None:
    result = _show(DOC_A, "-d", str(data_dir), "--langs", "fr,en")
    unit_4 = next(row for row in _rows(result.output) if row.split("│")[1].strip() == "4")
    assert unit_4.split("│")[3].strip() == "—"


def test_langs_min_score_and_limit(data_dir: Path) -> None:
    result = _show(DOC_A, "-d", str(data_dir), "--langs", "en,ru", "--min-score", "0.85", "-n", "3")
    assert result.exit_code == 0, result.output
    assert [row.split("│")[1].strip() for row in _rows(result.output)] == ["0", "1", "2"]
    header = next(line for line in result.output.splitlines() if line.startswith("┃"))
    assert [cell.strip() for cell in header.split("┃")[1:-1]] == ["#", "score", "en", "ru"]
    assert "3 of 9 units" in result.output


def test_default_languages_are_those_the_item_has(tmp_path: Path) -> None:
    write_study_frames(tmp_path)
    units = units_frame().with_columns(
        pl.lit("").alias("text_de"), pl.lit([], dtype=pl.List(pl.Int32)).alias("sents_de")
    )
    write_frame(units, frame_path(tmp_path, "units"), provenance=make_provenance(step="tests/align/study_frames.py"))
    header = next(line for line in _show(DOC_A, "-d", str(tmp_path)).output.splitlines() if line.startswith("┃"))
    assert "de" not in [cell.strip() for cell in header.split("┃")]


def test_unknown_doc_id_is_one_line_listing_available_ids(data_dir: Path) -> None:
    result = _show("mid.ru:404", "-d", str(data_dir))
    assert result.exit_code == 1
    assert result.output == (
        f"bitext: error: {data_dir / 'units'}: no document `mid.ru:404` in the units frame; "
        f"available: {DOC_A}, {DOC_B}\n"
    )


def test_unknown_language_is_one_line(data_dir: Path) -> None:
    result = _show(DOC_A, "-d", str(data_dir), "--langs", "ru,it")
    assert result.exit_code == 1
    assert result.output.endswith("language `it` is not in the units frame; available: ru, de, en, es, fr\n")


def test_missing_frames_are_one_line(tmp_path: Path) -> None:
    result = _show(DOC_A, "-d", str(tmp_path))
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "units: no units frame here" in result.output


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["show", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "bitext show " in result.output
