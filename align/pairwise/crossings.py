"""Crossing beads: sentences the monotone search left out on both sides, re-aligned to each other.

When a translation moves a passage (swapped paragraphs, a note moved to the end
of its section), no monotone path can link both the moved passage and what it
jumped over: the search aligns one and leaves the other out, as a run of 1-0
beads on one side and a run of 0-1 beads nearby on the other. This pass takes
every such pair of runs with at most ``reach`` content beads between them, searches the
small rectangle they span with the same bead costs, and keeps the content beads
that come out cheaper than leaving the sentences out, which is the test the
monotone search applied everywhere else. Nothing new is scored: the costs are
the scorer's, at the sentences' own positions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from align.pairwise.beads import PathBead, Shape
from align.pairwise.search import Band, search
from align.scorers.base import PairScores

DEFAULT_REACH = 12  # content beads between two runs that may still be linked: a few paragraphs


@dataclass(frozen=True)
class _Run:
    """Consecutive sentences of one side, each left out by the path; ``at``: content beads before it."""

    start: int
    stop: int
    at: int


class _Shifted(PairScores):
    """The costs of a sub-rectangle whose cell (0, 0) is the full grid's (i0, j0)."""

    def __init__(self, inner: PairScores, i0: int, j0: int):
        self.inner, self.i0, self.j0 = inner, i0, j0

    def cost(self, a: int, b: int, i_end: np.ndarray, j_end: np.ndarray) -> np.ndarray:
        return self.inner.cost(a, b, i_end + self.i0, j_end + self.j0)


def link_crossings(
    path: Sequence[PathBead], scores: PairScores, shapes: Sequence[Shape], *, reach: int | None = None
) -> list[PathBead]:
    """``path`` with runs left out on both sides re-aligned where the bead costs say they belong together.

    The result keeps source order (crossing beads take the place of their source
    sentences' 1-0 beads); target order may cross. Links are made one at a time,
    the one that lowers the path's cost most first, so a run is linked to the
    passage it matches best rather than to the nearest one.
    """
    reach = DEFAULT_REACH if reach is None else reach
    out = list(path)
    linked: dict[tuple[int, int, int, int], tuple[float, list[PathBead]]] = {}
    while True:
        best: tuple[float, list[PathBead]] | None = None
        for s in _runs(out, (1, 0)):
            for t in _runs(out, (0, 1)):
                if not 0 < abs(s.at - t.at) <= reach:
                    continue  # side by side (the monotone search weighed that link already) or too far
                key = (s.start, s.stop, t.start, t.stop)
                if key not in linked:
                    linked[key] = _link(scores, shapes, s, t)
                gain, content = linked[key]
                if content and (best is None or gain > best[0]):
                    best = (gain, content)
        if best is None:
            return out
        out = _with_beads(out, best[1])


def _link(scores: PairScores, shapes: Sequence[Shape], s: _Run, t: _Run) -> tuple[float, list[PathBead]]:
    """The content beads of the best alignment of two runs, and how much cheaper they are than leaving
    their sentences out."""
    rows, cols = s.stop - s.start, t.stop - t.start
    sub = search(_Shifted(scores, s.start, t.start), rows, cols, shapes, Band.full(rows, cols))
    content = [
        PathBead(b.i_end + s.start, b.j_end + t.start, b.shape, b.cost) for b in sub if b.shape[0] and b.shape[1]
    ]
    gain = sum(_left_out(scores, b) - b.cost for b in content)
    return gain, content


def _left_out(scores: PairScores, bead: PathBead) -> float:
    """What leaving the sentences of ``bead`` out costs."""
    a, b = bead.shape
    rows = np.arange(bead.i_end - a + 1, bead.i_end + 1)
    cols = np.arange(bead.j_end - b + 1, bead.j_end + 1)
    return float(
        scores.cost(1, 0, rows, np.full(a, bead.j_end)).sum() + scores.cost(0, 1, np.full(b, bead.i_end), cols).sum()
    )


def _with_beads(path: Sequence[PathBead], content: Sequence[PathBead]) -> list[PathBead]:
    """``path`` with the 1-0 and 0-1 beads of ``content``'s sentences replaced by ``content``.

    Each new bead goes where the 1-0 bead of its first source sentence was, so source order holds.
    """
    by_first = {b.i_end - b.shape[0]: b for b in content}
    src = {i for b in content for i in range(b.i_end - b.shape[0], b.i_end)}
    tgt = {j for b in content for j in range(b.j_end - b.shape[1], b.j_end)}
    out: list[PathBead] = []
    for bead in path:
        if bead.shape == (1, 0) and bead.i_end - 1 in src:
            if bead.i_end - 1 in by_first:
                out.append(by_first[bead.i_end - 1])
        elif not (bead.shape == (0, 1) and bead.j_end - 1 in tgt):
            out.append(bead)
    return out


def _runs(path: Sequence[PathBead], shape: Shape) -> list[_Run]:
    """Maximal runs of consecutive sentences on one side, each in a bead of ``shape`` (1-0 or 0-1)."""
    side = 0 if shape == (1, 0) else 1
    runs: list[_Run] = []
    content = 0
    for bead in path:
        if bead.shape[0] and bead.shape[1]:
            content += 1
        if bead.shape != shape:
            continue
        index = (bead.i_end, bead.j_end)[side] - 1
        if runs and runs[-1].stop == index:
            runs[-1] = _Run(runs[-1].start, index + 1, runs[-1].at)
        else:
            runs.append(_Run(index, index + 1, content))
    return runs
