"""Beads: aligned groups of sentence indices, the unit every aligner here produces.

Their line format (``[0]:[0, 1]:0.93``) is read and written by :mod:`align.formats.bead_files`.
"""

from __future__ import annotations

from dataclasses import dataclass


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
