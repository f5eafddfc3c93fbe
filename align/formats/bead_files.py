"""Bead files: one bead per line, the interchange format of the research tools.

0-based indices, as Vecalign and the Bleualign/Text+Berg gold files write
them, optionally followed by a score::

    [0]:[0, 1]:0.93
    [2, 3]:[4]
    [5]:[]
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from align.errors import AlignmentFileError
from align.pairwise.beads import Bead


def bead_line(bead: Bead, *, with_score: bool = True) -> str:
    """``[0]:[0, 1]``, with ``:0.9300`` after it when the bead has a score and ``with_score``."""
    line = f"{list(bead.src)}:{list(bead.tgt)}"
    if with_score and bead.score is not None:
        line += f":{bead.score:.4f}"
    return line


def parse_bead_line(line: str, *, where: str = "<string>") -> Bead:
    """Parse ``[0]:[0, 1]`` or ``[0]:[0, 1]:0.93``; ``where`` names the place in errors."""
    parts = line.strip().split(":")
    if len(parts) not in (2, 3):
        raise AlignmentFileError(f"{where}: expected `[i, ...]:[j, ...]` optionally `:score`, got {line.strip()!r}")
    try:
        src, tgt = (ast.literal_eval(p.strip()) for p in parts[:2])
        score = float(parts[2]) if len(parts) == 3 else None
    except (ValueError, SyntaxError) as err:
        raise AlignmentFileError(f"{where}: cannot parse bead {line.strip()!r}") from err
    for side in (src, tgt):
        if not isinstance(side, list) or not all(isinstance(i, int) and i >= 0 for i in side):
            raise AlignmentFileError(f"{where}: bead sides must be lists of indices >= 0, got {line.strip()!r}")
    return Bead(tuple(src), tuple(tgt), score)


def parse_beads(lines: Iterable[str], *, source: str = "<string>") -> list[Bead]:
    """Parse bead lines, skipping blank ones; errors name ``source`` and the line number."""
    return [
        parse_bead_line(line, where=f"{source}:{number}")
        for number, line in enumerate(lines, 1)
        if line.strip()
    ]


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
