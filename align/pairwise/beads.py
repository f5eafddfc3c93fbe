"""Beads: aligned groups of sentence indices, the unit every aligner here produces.

:class:`Bead` is what aligners return; their line format (``[0]:[0, 1]:0.93``)
is read and written by :mod:`align.formats.bead_files`. :class:`PathBead` is
one step of the search's best path, as the search hands it to the scorers
(``PairScores.refine``); it lives here, beside ``Bead``, so that the scorers
need not import the search that imports them.
"""

from __future__ import annotations

from dataclasses import dataclass

Shape = tuple[int, int]  # (source sentences, target sentences) of a bead


@dataclass(frozen=True, slots=True)
class Bead:
    """Source sentence indices aligned with target sentence indices (either side may be empty)."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float | None = None

    @property
    def kind(self) -> str:
        """``"1-1"``, ``"2-1"``, ``"1-0"`` ..."""
        return f"{len(self.src)}-{len(self.tgt)}"


@dataclass(frozen=True, slots=True)
class PathBead:
    """One bead of the best path: its end cell, its shape and its cost."""

    i_end: int
    j_end: int
    shape: Shape
    cost: float
