"""Bead files: one bead per line, the interchange format of the research tools.

0-based indices, as Vecalign and the Bleualign/Text+Berg gold files write
them, optionally followed by a score::

    [0]:[0, 1]:0.93
    [2, 3]:[4]
    [5]:[]
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from align.errors import AlignmentFileError
from align.pairwise.beads import Bead

# `[0]:[0, 1]` or `[]:[3]:0.93`: two lists of indices >= 0, an optional score (checked by float())
_INDICES = r"\[\s*((?:\d+\s*(?:,\s*\d+\s*)*)?)\]"
BEAD_LINE = re.compile(rf"^{_INDICES}\s*:\s*{_INDICES}(?:\s*:\s*(\S+))?$")


def bead_line(bead: Bead, *, with_score: bool = True) -> str:
    """``[0]:[0, 1]``, with ``:0.9300`` after it when the bead has a score and ``with_score``."""
    line = f"{list(bead.src)}:{list(bead.tgt)}"
    if with_score and bead.score is not None:
        line += f":{bead.score:.4f}"
    return line


def parse_bead_line(line: str, *, where: str = "<string>") -> Bead:
    """Parse ``[0]:[0, 1]`` or ``[0]:[0, 1]:0.93``; ``where`` names the place in errors."""
    text = line.strip()
    shown = text if len(text) <= 80 else text[:77] + "..."
    match = BEAD_LINE.match(text)
    if match is None:
        raise AlignmentFileError(f"{where}: expected `[i, ...]:[j, ...]` optionally `:score`, got {shown!r}")
    src, tgt = (tuple(int(i) for i in side.split(",")) if side.strip() else () for side in match.group(1, 2))
    score = None
    if match.group(3) is not None:
        try:
            score = float(match.group(3))
        except ValueError:
            raise AlignmentFileError(f"{where}: the score of {shown!r} is not a number") from None
    return Bead(src, tgt, score)


def parse_beads(lines: Iterable[str], *, source: str = "<string>") -> list[Bead]:
    """Parse bead lines, skipping blank ones; errors name ``source`` and the line number.

    Each side of a bead lists its indices in increasing order, and a sentence is in one
    bead at most: an index out of order or used twice is an error, not a silent score.
    Beads that cross (``[0]:[1]`` then ``[1]:[0]``) are allowed; they are scored as given.
    """
    beads: list[Bead] = []
    seen: tuple[dict[int, int], dict[int, int]] = ({}, {})  # index -> line it was first used on
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        bead = parse_bead_line(line, where=where)
        for side, name, indices in ((0, "source", bead.src), (1, "target", bead.tgt)):
            if list(indices) != sorted(set(indices)):
                raise AlignmentFileError(
                    f"{where}: the {name} indices {list(indices)} are not increasing; "
                    "list each sentence once, in order (e.g. [3, 4]), and fix the file"
                )
            for index in indices:
                if index in seen[side]:
                    raise AlignmentFileError(
                        f"{where}: {name} sentence {index} is already aligned on line {seen[side][index]}; "
                        "a sentence belongs to one bead only (fix the file)"
                    )
                seen[side][index] = number
        beads.append(bead)
    return beads


def read_beads(path: str | os.PathLike[str]) -> list[Bead]:
    """Read a bead file; a missing or malformed file raises AlignmentFileError."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise AlignmentFileError(f"{path}: cannot read alignment file ({err.__class__.__name__})") from err
    return parse_beads(text.splitlines(), source=str(path))


def format_beads(beads: Sequence[Bead], *, with_score: bool = True) -> str:
    """The text of a bead file: one :func:`bead_line` per bead, each ending in a newline."""
    return "".join(bead_line(bead, with_score=with_score) + "\n" for bead in beads)
