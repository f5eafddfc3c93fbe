"""Crossing beads: sentences the monotone search left out on both sides, re-aligned to each other.

When a translation moves a passage (swapped paragraphs, a note moved to the end
of its section), no monotone path can link both the moved passage and what it
jumped over: the search aligns one and leaves the other out, as a run of 1-0
beads on one side and a run of 0-1 beads nearby on the other. This pass takes
every such pair of runs with at most ``reach`` content beads between them, searches the
small rectangle they span with the same bead costs, and keeps the content beads
that come out cheaper than leaving the sentences out, which is the test the
monotone search applied everywhere else. Nothing new is scored: the costs are
the scorer's, at the sentences' own positions. The sentences of weak beads
(confidence under ``BREAK_BELOW``) are offered too, since the search may have
glued a moved sentence to a neighbour for want of its partner; such a bead is
dissolved only when a link pays for it, and restored otherwise.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from align.pairwise.beads import PathBead, Shape
from align.pairwise.search import Band, search
from align.scorers.base import PairScores

DEFAULT_REACH = 12  # content beads between two runs that may still be linked: a few paragraphs
# A content bead less likely right than wrong may be dissolved for a link: the monotone search glues a
# moved passage's sentences to what is left where leaving both out costs more (Text+Berg swapped
# paragraphs 0.884 -> 0.897; no other fold of benchmarks/quality_loo.py changes).
BREAK_BELOW = 0.5


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
    sentences' 1-0 beads); target order may cross. Links are made best gain
    first (the one that lowers the path's cost most), so a run is linked to the
    passage it matches best rather than to the nearest one.
    """
    reach = DEFAULT_REACH if reach is None else reach
    weak = _weak_beads(path, scores)
    out = _without(path, weak, scores)
    penalty = [_left_out(scores, bead) - bead.cost for bead in weak]  # what dissolving a weak bead costs
    src_weak = {i: k for k, bead in enumerate(weak) for i in range(bead.i_end - bead.shape[0], bead.i_end)}
    tgt_weak = {j: k for k, bead in enumerate(weak) for j in range(bead.j_end - bead.shape[1], bead.j_end)}
    intact = set(range(len(weak)))
    # (run, run) -> the gain of linking them when no weak bead is dissolved, the beads, the weak beads used
    linked: dict[tuple[int, int, int, int], tuple[float, list[PathBead], set[int]]] = {}
    while True:
        candidates: list[tuple[float, tuple[int, int], tuple[int, int], list[PathBead], set[int]]] = []
        tgt_runs = _runs(out, (0, 1))
        tgt_at = [t.at for t in tgt_runs]  # non-decreasing: runs come in path order
        for s in _runs(out, (1, 0)):
            for t in tgt_runs[bisect.bisect_left(tgt_at, s.at - reach) : bisect.bisect_right(tgt_at, s.at + reach)]:
                if s.at == t.at:
                    continue  # side by side: the monotone search weighed that link already
                key = (s.start, s.stop, t.start, t.stop)
                if key not in linked:
                    gain, content = _link(scores, shapes, s, t)
                    used = {src_weak[i] for b in content for i in range(b.i_end - b.shape[0], b.i_end) if i in src_weak}
                    used |= {
                        tgt_weak[j] for b in content for j in range(b.j_end - b.shape[1], b.j_end) if j in tgt_weak
                    }
                    linked[key] = (gain, content, used)
                gain, content, used = linked[key]
                touched = used & intact
                gain -= sum(penalty[k] for k in touched)
                if content and gain > 0:
                    candidates.append((gain, key[:2], key[2:], content, touched))
        if not candidates:
            return _with_beads(out, [weak[k] for k in sorted(intact)])
        # best gain first; links that share no run and no weak bead do not change each other's gain,
        # so all of them are made in one round (the runs they cut are tried again in the next)
        taken: list[PathBead] = []
        src_taken: set[tuple[int, int]] = set()
        tgt_taken: set[tuple[int, int]] = set()
        weak_taken: set[int] = set()
        for _, src_run, tgt_run, content, touched in sorted(candidates, key=lambda c: -c[0]):
            if src_run in src_taken or tgt_run in tgt_taken or touched & weak_taken:
                continue
            src_taken.add(src_run)
            tgt_taken.add(tgt_run)
            weak_taken |= touched
            taken += content
        out = _with_beads(out, taken)
        intact -= weak_taken


def _weak_beads(path: Sequence[PathBead], scores: PairScores) -> list[PathBead]:
    """Content beads less likely right than ``BREAK_BELOW``: the search may have forced them (a moved
    passage glued to what is left), so their sentences are offered for linking too."""
    if BREAK_BELOW <= 0:
        return []
    return [
        bead
        for bead in path
        if bead.shape[0] and bead.shape[1] and scores.confidence(*bead.shape, np.array([bead.cost]))[0] < BREAK_BELOW
    ]


def _without(path: Sequence[PathBead], weak: Sequence[PathBead], scores: PairScores) -> list[PathBead]:
    """``path`` with each bead of ``weak`` replaced by 1-0 and 0-1 beads of its sentences."""
    gone = set(weak)
    out: list[PathBead] = []
    for bead in path:
        if bead not in gone:
            out.append(bead)
            continue
        a, b = bead.shape
        ends = [(i + 1, bead.j_end - b, (1, 0)) for i in range(bead.i_end - a, bead.i_end)]
        ends += [(bead.i_end, j + 1, (0, 1)) for j in range(bead.j_end - b, bead.j_end)]
        for i, j, shape in ends:
            out.append(PathBead(i, j, shape, float(scores.cost(*shape, np.array([i]), np.array([j]))[0])))
    return out


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
