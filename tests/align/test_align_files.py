"""`bitext align-files`: bead lines on stdout, languages from file names, clear errors."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from align.cli import main
from align.cli.align_files import language_from_path
from align.formats.bead_files import parse_beads
from align.pairwise import aligner
from align.pairwise.beads import Bead
from tests.align.sample_texts import DE, EN

BEAD_LINE_RE = re.compile(r"^\[[0-9, ]*\]:\[[0-9, ]*\]:[01]\.\d{4}$")


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["align-files", *args])
    return result.exit_code, result.stdout, result.stderr


def test_prints_one_bead_per_line(tmp_path: Path) -> None:
    code, out, _ = run(str(write(tmp_path / "talks.en", EN)), str(write(tmp_path / "talks.de", DE)))
    assert code == 0
    lines = out.splitlines()
    assert all(BEAD_LINE_RE.match(line) for line in lines)
    assert [(b.src, b.tgt) for b in parse_beads(lines)] == [((i,), (i,)) for i in range(len(EN))]


def test_writes_to_a_file_without_scores(tmp_path: Path) -> None:
    target = tmp_path / "out.ende"
    args = [str(write(tmp_path / "a.en", EN[:3])), str(write(tmp_path / "a.de", DE[:3])), "--no-score"]
    code, out, _ = run(*args, "-o", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8") == "[0]:[0]\n[1]:[1]\n[2]:[2]\n"


def test_blank_lines_are_paragraph_breaks_not_sentences(tmp_path: Path) -> None:
    src = write(tmp_path / "p.en", EN[:2] + ["", ""] + EN[2:4])
    tgt = write(tmp_path / "p.de", DE[:2] + [""] + DE[2:4])
    code, out, _ = run(str(src), str(tgt), "--no-score")
    assert code == 0
    assert out.splitlines() == ["[0]:[0]", "[1]:[1]", "[2]:[2]", "[3]:[3]"]


def test_missing_file_is_one_clear_line(tmp_path: Path) -> None:
    code, out, err = run(str(tmp_path / "nope.de"), str(write(tmp_path / "x.fr", ["Bonjour."])))
    assert code == 1 and out == ""
    assert err == f"bitext: error: {tmp_path / 'nope.de'}: no such file. Hint: give two files of one sentence per line\n"


def test_two_empty_files_are_an_error(tmp_path: Path) -> None:
    src, tgt = write(tmp_path / "e.de", []), write(tmp_path / "e.fr", [""])
    code, _, err = run(str(src), str(tgt))
    assert code == 1
    assert err == f"bitext: error: {src} and {tgt} are both empty. Hint: give files of one sentence per line\n"


def test_one_empty_file_gives_beads_of_the_other_side_only(tmp_path: Path) -> None:
    code, out, _ = run(str(write(tmp_path / "e.en", [])), str(write(tmp_path / "f.de", DE[:2])), "--no-score")
    assert code == 0
    assert out.splitlines() == ["[]:[0]", "[]:[1]"]


def test_unknown_scorer_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run(str(write(tmp_path / "a.en", EN)), str(write(tmp_path / "a.de", DE)), "--scorer", "bert")
    assert code == 2 and "Invalid value for '-s' / '--scorer'" in err


# EN[:4] as Moses tokenises it (escape=True, aggressive dash splits), "Russia's" put in for the apostrophe
MOSES_EN = [
    (
        "Today we held in @-@ depth discussions with my French colleague , Minister of Foreign Affairs and "
        "International Development Jean @-@ Marc Ayrault ."
    ),
    "We discussed preparations for the October 19 visit of President of Russia Vladimir Putin to France .",
    "We hope this visit will provide fresh impetus to relations between our countries .",
    "France is Russia &apos;s long @-@ time partner , and we deeply care about the quality of our relations with it .",
]
RUNNING_EN = [
    *EN[:3],
    "France is Russia's long-time partner, and we deeply care about the quality of our relations with it.",
]


@pytest.mark.parametrize("detokenize", [True, False])
def test_detokenize_undoes_moses_tokenisation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, detokenize: bool) -> None:
    """What the aligner is given: running text with --detokenize, the lines as they are without it."""
    seen: list[tuple[list[str], list[str]]] = []
    original = aligner.align_pair

    def spy(src: list[str], tgt: list[str], **kwargs: Any) -> list[Bead]:
        seen.append((list(src), list(tgt)))
        return original(src, tgt, **kwargs)

    monkeypatch.setattr(aligner, "align_pair", spy)
    files = str(write(tmp_path / "t.en", MOSES_EN)), str(write(tmp_path / "t.de", DE[:4]))
    code, out, err = run(*files, "--no-score", *(["--detokenize"] if detokenize else []))
    assert code == 0, err
    assert seen == [(RUNNING_EN if detokenize else MOSES_EN, DE[:4])]
    assert out.splitlines() == ["[0]:[0]", "[1]:[1]", "[2]:[2]", "[3]:[3]"]


@pytest.mark.parametrize(
    ("name", "lang"), [("dev.de", "de"), ("de.txt", "de"), ("ruth.RU", "ru"), ("notes.txt", "und")]
)
def test_language_from_path(name: str, lang: str) -> None:
    assert language_from_path(Path(name)) == lang


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["align-files", "--help"])
    assert "Example:" in result.output and "bitext align-files dev.de dev.fr" in result.output


def test_a_file_that_is_not_utf8_is_one_clear_line(tmp_path: Path) -> None:
    latin1 = tmp_path / "old.de"
    latin1.write_bytes("Grüsse aus Zürich.\n".encode("latin-1"))
    code, _, err = run(str(latin1), str(write(tmp_path / "old.fr", ["Salutations de Zurich."])))
    assert code == 1
    assert err == f"bitext: error: {latin1}: not UTF-8 text (byte 2). Hint: convert it with iconv\n"


def test_an_unwritable_output_is_one_clear_line(tmp_path: Path) -> None:
    args = [str(write(tmp_path / "a.en", EN[:2])), str(write(tmp_path / "a.de", DE[:2]))]
    (tmp_path / "file").write_text("")
    code, _, err = run(*args, "-o", str(tmp_path / "file" / "out.ende"))
    assert code == 1
    assert err.startswith(f"bitext: error: {tmp_path / 'file' / 'out.ende'}: a folder on this path is a file")
