from __future__ import annotations

from pathlib import Path

import pytest

from align.errors import AlignmentFileError
from align.formats.bead_files import format_beads, parse_bead_line, parse_beads, read_beads
from align.pairwise.beads import Bead


@pytest.mark.parametrize(
    ("line", "bead"),
    [
        ("[0]:[0, 1]", Bead((0,), (0, 1))),
        ("[2, 3]:[4]:0.5", Bead((2, 3), (4,), 0.5)),
        ("[5]:[]", Bead((5,), ())),
        (" []:[7] ", Bead((), (7,))),
    ],
)
def test_parse_bead_line(line: str, bead: Bead) -> None:
    assert parse_bead_line(line) == bead


def test_format_then_parse_round_trips() -> None:
    beads = [Bead((0,), (0, 1), 0.93), Bead((1, 2), (), 0.1), Bead((), (2,), None)]
    assert parse_beads(format_beads(beads).splitlines()) == [
        Bead((0,), (0, 1), 0.93),
        Bead((1, 2), (), 0.1),
        Bead((), (2,), None),
    ]
    assert Bead((0, 1), (2,)).kind == "2-1"


@pytest.mark.parametrize("line", ["[0][1]", "[0]:[x]", "[0]:[-1]", "0:1", "[0]:[1]:high"])
def test_malformed_lines_name_file_and_line(tmp_path: Path, line: str) -> None:
    path = tmp_path / "pred.txt"
    path.write_text(f"[0]:[0]\n{line}\n", encoding="utf-8")
    with pytest.raises(AlignmentFileError, match=r"pred\.txt:2: "):
        read_beads(path)


def test_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(AlignmentFileError, match="cannot read alignment file"):
        read_beads(tmp_path / "nope.txt")


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "gold.txt"
    path.write_bytes("\ufeff[0]:[0]\n[1]:[1, 2]\n".encode())
    assert read_beads(path) == [Bead((0,), (0,)), Bead((1,), (1, 2))]
