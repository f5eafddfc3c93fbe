"""``bitext align`` through click's runner, on the documents frame of test_jobs.py."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
from click.testing import CliRunner

from align.cli import main
from align.store.delta import frame_path
from align.store.tables import read_frame, write_frame
from tests.align.test_jobs import DE, EN, FR, RU, documents_frame

DOC = "archive.mid.ru:2490975"


def stored(tmp_path: Path, versions: dict[str, list[str]]) -> Path:
    write_frame(documents_frame(versions), frame_path(tmp_path, "documents"), provenance={"test": True})
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_align_prints_one_summary_line_per_document_and_writes_the_frames(tmp_path: Path) -> None:
    data = stored(tmp_path, {"en": EN, "de": DE, "fr": FR, "ru": RU})
    code, out, err = run("align", "-d", str(data))
    assert code == 0, err
    assert out == ""
    progress, *summary = err.splitlines()
    assert re.fullmatch(r"aligning: 1/1 items in \d+s, [\d.]+ items/s", progress), progress
    assert summary == [f"{DOC}: de en fr ru* | sentences 5 5 4 5 | 4 units: 3 1-1-1-1, 1 2-2-1-2"]
    assert len(read_frame(data, "units")) == 4
    assert len(read_frame(data, "sentences")) == 19


def test_quiet_drops_progress_but_keeps_the_summary(tmp_path: Path) -> None:
    data = stored(tmp_path, {"en": EN, "ru": RU})
    code, _, err = run("-q", "align", "-d", str(data), "--pivot", "EN", "--pivot-only")
    assert code == 0, err
    assert err.splitlines() == [f"{DOC}: en* ru | sentences 5 5 | 5 units: 5 1-1"]
    assert read_frame(data, "alignments").select("src_lang", "tgt_lang").unique().rows() == [("en", "ru")]


def test_langs_and_notes(tmp_path: Path) -> None:
    data = stored(tmp_path, {"en": EN, "de": [], "ru": RU})
    code, _, err = run("-q", "align", "-d", str(data), "--langs", "de,ru")
    assert code == 0, err
    assert err.splitlines() == [
        f"{DOC}: de ru | sentences 0 5 | 0 units",
        "  note: de version has no text; left out",
        "  note: only ru language version with text; nothing to align",
    ]
    assert read_frame(data, "sentences")["lang"].unique().to_list() == ["ru"]


def test_no_documents_frame_is_one_line_and_exit_1(tmp_path: Path) -> None:
    code, _, err = run("align", "-d", str(tmp_path))
    assert code == 1
    assert err == (
        f"bitext: error: {tmp_path / 'documents'}: no documents frame here. Hint: run `bitext fetch URL` "
        "first, or point `-d/--data` at the folder that holds documents/\n"
    )


def test_unknown_document_and_scorer_are_one_line_errors_that_store_nothing(tmp_path: Path) -> None:
    data = stored(tmp_path, {"en": EN, "ru": RU})
    code, _, err = run("align", "-d", str(data), "--doc", "mid.ru:9")
    assert code == 1
    assert err.startswith("bitext: error: no document mid.ru:9 in ") and err.count("\n") == 1
    code, _, err = run("align", "-d", str(data), "--scorer", "nope")
    assert code == 1
    assert err.startswith("bitext: error: unknown scorer `nope`. Hint: choose one of anchors, ")
    assert err.count("\n") == 1
    assert not frame_path(data, "sentences").exists()


def test_a_second_run_on_one_document_keeps_the_others(tmp_path: Path) -> None:
    small = documents_frame({"en": EN[:2], "ru": RU[:2]}, "mid.ru:1")
    frame = pl.concat([documents_frame({"en": EN, "ru": RU}), small])
    write_frame(frame, frame_path(tmp_path, "documents"), provenance={"test": True})
    assert run("-q", "align", "-d", str(tmp_path))[0] == 0
    assert run("-q", "align", "-d", str(tmp_path), "--doc", "mid.ru:1")[0] == 0
    assert read_frame(tmp_path, "units").group_by("doc_id").len().sort("doc_id").rows() == [(DOC, 5), ("mid.ru:1", 2)]


def test_help_has_an_example() -> None:
    code, out, _ = run("align", "--help")
    assert code == 0
    assert "  Example:\n      bitext align -d aligned/ --doc archive.mid.ru:2490975 --pivot ru\n" in out
