"""The export and import commands as a user runs them: outputs, filters and one-line errors."""

from __future__ import annotations

from pathlib import Path
from typing import IO

import pytest
from click.testing import CliRunner
from lxml import etree

from align.cli import main
from align.errors import ExportError
from align.formats import tmx_write
from tests.align.frames_factory import make_frames

COMMANDS = [
    ["export"],
    ["export", "tmx"],
    ["export", "text"],
    ["export", "jsonl"],
    ["export", "csv"],
    ["import"],
    ["import", "tmx"],
]


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return make_frames().write(tmp_path / "aligned")


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_has_an_example(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0 and "Example:" in result.output and "bitext " in result.output


def test_tmx_to_a_file_and_to_stdout_are_the_same_units(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "lavrov.ru-en.tmx"
    to_file = run("export", "tmx", "-d", str(data), "--langs", "ru,en", "-o", str(out))
    assert to_file.exit_code == 0 and "wrote 7 translation units" in to_file.stderr
    to_stdout = run("-q", "export", "tmx", "-d", str(data), "--langs", "ru,en")
    assert to_stdout.exit_code == 0 and to_stdout.stderr == ""
    tuids = lambda data: [tu.get("tuid") for tu in etree.fromstring(data).iter("tu")]
    assert tuids(out.read_bytes()) == tuids(to_stdout.stdout_bytes)
    header = etree.fromstring(out.read_bytes()).find("header")
    props = {p.get("type"): p.text for p in header.findall("prop")}
    assert (
        props["x-aligner"] == "test-factory"
        and props["x-scorer"] == "fixed"
        and '"frame": "alignments"' in props["x-export"]
    )


def test_tmx_multilingual_doc_filter_and_locale(data: Path) -> None:
    result = run(
        "-q",
        "export",
        "tmx",
        "-d",
        str(data),
        "--langs",
        "ru,en,de",
        "--multilingual",
        "--locale",
        "en=en-US",
        "--doc",
        "mid.ru:1527258",
        "--no-sentence-pieces",
    )
    assert result.exit_code == 0, result.output
    root = etree.fromstring(result.stdout_bytes)
    assert len(root.findall("body/tu")) == 5
    assert root.find("body/tu/tuv[2]").get("{http://www.w3.org/XML/1998/namespace}lang") == "en-US"


def test_text_csv_jsonl_filters(data: Path, tmp_path: Path) -> None:
    assert (
        run(
            "-q",
            "export",
            "text",
            "-d",
            str(data),
            "--langs",
            "en,ru",
            "--min-score",
            "0.8",
            "-o",
            str(tmp_path / "t"),
        ).exit_code
        == 0
    )
    assert (tmp_path / "t.en").read_text(encoding="utf-8").splitlines() == [
        "Ladies and gentlemen,",
        "France is a long-time partner of Russia, and we deeply care about the quality of our relations with it.",
        "Our talks focused on the situation in and around Syria.",
    ]
    three = run("-q", "export", "csv", "-d", str(data), "--langs", "ru,en,de", "--keep-empty", "--no-bom")
    assert three.exit_code == 0 and len(three.stdout_bytes.strip().split(b"\r\n")) == 7  # header + 6 units
    jsonl = run("-q", "export", "jsonl", "-d", str(data), "--langs", "de,en")
    assert jsonl.exit_code == 0 and len(jsonl.stdout.splitlines()) == 5


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["export", "tmx"], 2, "give two languages or more"),
        (["export", "tmx", "--langs", "ru,ru"], 2, "names a language twice"),
        (["export", "tmx", "--langs", "ru,en,de"], 2, "add `--multilingual`"),
        (["export", "text", "--langs", "ru,en", "-o", "-"], 2, "give a path prefix"),
        (
            ["export", "tmx", "--langs", "ru,fr"],
            1,
            "bitext: error: {data}/alignments: no ru-fr alignments",
        ),
        (["export", "csv", "--langs", "ru,fr,en"], 1, "bitext: error: the units frame has no language fr"),
        (
            ["export", "jsonl", "--langs", "ru,en", "--doc", "mid.ru:1"],
            1,
            "bitext: error: {data}/alignments: no document mid.ru:1",
        ),
        (
            ["export", "tmx", "--langs", "ru,en", "--locale", "en=de-DE"],
            1,
            "bitext: error: `--locale en=de-DE`: locale de-DE is not a locale of `en`",
        ),
    ],
)
def test_bad_input_is_one_line(data: Path, args: list[str], code: int, message: str) -> None:
    result = run(*args[:2], "-d", str(data), *args[2:])
    assert result.exit_code == code
    assert message.format(data=data) in result.stderr
    assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) <= (
        4 if code == 2 else 1
    )


def test_no_frames_is_one_line_error(tmp_path: Path) -> None:
    result = run("export", "tmx", "-d", str(tmp_path / "nothing"), "--langs", "ru,en")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"bitext: error: {tmp_path / 'nothing'}/alignments: no alignments frame here"
    )


def test_failed_export_leaves_an_existing_output_untouched(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "keep.tmx"
    out.write_text("old", encoding="utf-8")
    # fails before writing: no ru-fr alignments
    assert run("export", "tmx", "-d", str(data), "--langs", "ru,fr", "-o", str(out)).exit_code == 1
    assert out.read_text(encoding="utf-8") == "old"

    def fails_half_way(units: object, stream: IO[bytes], options: object) -> int:
        stream.write(b'<?xml version="1.0"?>\n<tmx version="1.4">')
        raise ExportError("no space left on device (simulated)")

    monkeypatch.setattr(tmx_write, "write_tmx", fails_half_way)  # fails while writing
    result = run("export", "tmx", "-d", str(data), "--langs", "ru,en", "-o", str(out))
    assert result.exit_code == 1 and "no space left on device" in result.stderr
    assert out.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aligned", "keep.tmx"]  # no temporary file left
