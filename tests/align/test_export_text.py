"""Line-aligned text export, read by the real sacrebleu command."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from align.formats.selection import Selection, apply_selection, units_from_pairs
from align.formats.text import one_line, text_paths, write_text
from tests.align.frames_factory import make_frames


def _sacrebleu() -> list[str]:
    found = shutil.which("sacrebleu")
    return [found] if found else [sys.executable, "-m", "sacrebleu"]


def _export(tmp_path: Path, frames=None, src: str = "ru", tgt: str = "en", **selection) -> Path:
    frames = frames or make_frames()
    units = apply_selection(
        units_from_pairs(frames.alignments, src, tgt), Selection(langs=(src, tgt), **selection)
    )
    prefix = tmp_path / "out" / "lavrov"
    write_text(units, prefix, (src, tgt))
    return prefix


def test_writes_one_file_per_language_and_a_sidecar(tmp_path: Path) -> None:
    prefix = _export(tmp_path)
    ru, en, tsv = text_paths(prefix, ("ru", "en"))
    assert (ru.name, en.name, tsv.name) == ("lavrov.ru", "lavrov.en", "lavrov.tsv")
    ru_lines = ru.read_text(encoding="utf-8").splitlines()
    en_lines = en.read_text(encoding="utf-8").splitlines()
    assert len(ru_lines) == len(en_lines) == 5  # the 1-0 unit is left out
    assert en_lines[1].startswith("Today we held") and ru_lines[1].count(".") == 2  # the 2-1 unit on one line
    with open(tsv, encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter="\t"))
    assert [r["unit"] for r in rows] == ["0", "1", "2", "3", "4"]
    assert {r["origlang"] for r in rows} == {""}  # no documents frame given to units_from_pairs
    assert rows[1]["score"] == "0.71" and rows[1]["kind"] == "2-1" and rows[1]["doc_id"] == "mid.ru:1527258"


def test_sidecar_gives_origlang_from_documents(tmp_path: Path) -> None:
    from align.formats.selection import load_export_units

    make_frames().write(tmp_path / "data")
    units = load_export_units(tmp_path / "data", Selection(langs=("en", "ru")))
    result = write_text(units, tmp_path / "x", ("en", "ru"))
    rows = result.paths[-1].read_text(encoding="utf-8").splitlines()
    assert rows[0].split("\t") == ["doc_id", "unit", "score", "origlang", "kind"]
    assert all(row.split("\t")[3] == "ru" for row in rows[1:]) and result.lines == 5


@pytest.mark.parametrize("text", ["a\nb", "a\r\nb", "a\rb", "a\u2028b", "a\x85b", "a\x0cb"])
def test_line_breaks_inside_text_become_spaces(text: str) -> None:
    assert one_line(text) == "a b"


def test_sacrebleu_reads_the_files_line_for_line(tmp_path: Path) -> None:
    spec = [
        {"ru": ["Да."], "en": ["Ladies and gentlemen,"]},
        {"ru": ["Нет."], "en": ["Our talks focused\r\non the situation\u2028in and around Syria."]},
        {"ru": ["Может быть."], "en": ["France is a long-time partner of Russia."]},
    ]
    prefix = _export(tmp_path, make_frames(spec, [0.9, 0.8, 0.7], langs=("ru", "en")))
    ref = text_paths(prefix, ("ru", "en"))[1]
    hyp = tmp_path / "system.en"
    hyp.write_text(
        "Ladies and gentlemen,\nOur talks focused on Syria.\nFrance is a partner of Russia.\n",
        encoding="utf-8",
    )
    same = subprocess.run(
        [*_sacrebleu(), str(ref), "-i", str(ref), "-b", "-m", "bleu"], check=False, capture_output=True, text=True
    )
    assert same.returncode == 0, same.stderr
    assert float(same.stdout.strip()) == 100.0
    other = subprocess.run(
        [*_sacrebleu(), str(ref), "-i", str(hyp), "-b", "-m", "chrf"], check=False, capture_output=True, text=True
    )
    assert other.returncode == 0, other.stderr  # sacrebleu refuses files whose line counts differ
    assert 0 < float(other.stdout.strip()) < 100


def test_keep_empty_keeps_lines_aligned(tmp_path: Path) -> None:
    prefix = _export(tmp_path, keep_empty=True)
    ru, en, tsv = text_paths(prefix, ("ru", "en"))
    assert ru.read_text(encoding="utf-8").split("\n")[5] == "Спасибо."
    assert en.read_text(encoding="utf-8").split("\n")[5] == ""
    assert len(tsv.read_text(encoding="utf-8").splitlines()) == 7
