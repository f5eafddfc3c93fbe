"""Monotone bead search by dynamic programming, restricted to a band of cells.

Cell ``(i, j)`` means "the first i source and j target sentences are aligned".
A bead of shape ``(a, b)`` moves from ``(i - a, j - b)`` to ``(i, j)``. The band
gives, for every row ``i``, the columns ``lo[i] <= j < hi[i]`` that are searched,
so memory and time grow with the band's area, not with ``n * m``.

The search runs row by row; inside a row every transition from earlier rows is
one vectorised numpy operation, and the ``(0, 1)`` moves along the row are a
running minimum (``D[j] = C[j] + min_{k<=j} (X[k] - C[k])`` with ``C`` the
cumulative skip cost), so no Python loop visits single cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from align.pairwise.beads import PathBead, Shape
from align.scorers.base import PairScores

# PathBead and Shape are defined in align.pairwise.beads; the search returns them, so they are re-exported
__all__ = ["Band", "PathBead", "Shape", "bead_shapes", "search"]

CELLS_PER_BLOCK = 65_536  # bead costs are computed for about this many cells per call and shape


def bead_shapes(max_size: int) -> list[Shape]:
    """Shapes with at most ``max_size`` sentences a side and ``a + b <= max_size + 1``, plus 1-0 and 0-1.

    >>> bead_shapes(3)
    [(1, 1), (1, 2), (2, 1), (1, 3), (2, 2), (3, 1), (1, 0), (0, 1)]
    """
    if max_size < 1:
        raise ValueError(f"`max_size` must be at least 1, got {max_size}")
    shapes = [
        (a, total - a)
        for total in range(2, max_size + 2)
        for a in range(1, total)
        if max(a, total - a) <= max_size
    ]
    return shapes + [(1, 0), (0, 1)]


@dataclass(frozen=True)
class Band:
    """Columns searched per row: ``lo[i] <= j < hi[i]`` for ``i`` in ``0..n``."""

    lo: np.ndarray
    hi: np.ndarray

    @classmethod
    def full(cls, n: int, m: int) -> Band:
        return cls(np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m + 1, dtype=np.int64))

    @classmethod
    def around(cls, lo: np.ndarray, hi: np.ndarray, m: int) -> Band:
        """A valid band from rough limits: clipped, monotone, reaching (0, 0) and (n, m), connected."""
        lo = np.clip(np.minimum.accumulate(lo[::-1])[::-1], 0, m)
        hi = np.clip(np.maximum.accumulate(hi), 1, m + 1)
        lo[0], hi[-1] = 0, m + 1
        # consecutive rows must overlap so that a 1-0 move can always continue the path
        lo[1:] = np.minimum(lo[1:], hi[:-1] - 1)
        return cls(lo.astype(np.int64), np.maximum(hi, lo + 1).astype(np.int64))

    @property
    def area(self) -> int:
        return int((self.hi - self.lo).sum())


def _row_block_costs(
    scores: PairScores, shapes: Sequence[Shape], band: Band, rows: range
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Bead costs of every shape for every cell of a block of rows (inf where impossible)."""
    widths = band.hi[rows.start : rows.stop] - band.lo[rows.start : rows.stop]
    starts = np.concatenate([[0], np.cumsum(widths)])
    row_of = np.repeat(np.arange(rows.start, rows.stop), widths)
    col_of = band.lo[row_of] + np.arange(starts[-1]) - starts[row_of - rows.start]
    costs = []
    for a, b in shapes:
        cost = np.full(len(row_of), np.inf)
        ok = (row_of >= a) & (col_of >= b)
        if ok.any():
            cost[ok] = scores.cost(a, b, row_of[ok], col_of[ok])
        costs.append(cost)
    return starts, costs


def _relax_row(
    i: int, band: Band, shapes: Sequence[Shape], costs: list[np.ndarray], done: dict[int, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Best cost and move of each cell of row ``i`` from the rows already done."""
    cols = np.arange(band.lo[i], band.hi[i])
    best = np.full(len(cols), np.inf)
    move = np.full(len(cols), -1, dtype=np.int8)
    if i == 0:
        best[0] = 0.0  # lo[0] == 0: the empty alignment
    for k, (a, b) in enumerate(shapes):
        if a == 0 or i < a:
            continue
        prev = done[i - a]
        idx = cols - b - band.lo[i - a]
        ok = (idx >= 0) & (idx < len(prev))
        cand = np.full(len(cols), np.inf)
        cand[ok] = prev[idx[ok]] + costs[k][ok]
        better = cand < best
        best[better], move[better] = cand[better], k
    skip_k = shapes.index((0, 1))
    step = np.where(np.isfinite(costs[skip_k]), costs[skip_k], 0.0)
    step[0] = 0.0  # never used: C[j] - C[k] only sums steps after k
    cum = np.cumsum(step)
    vals = best - cum
    running = np.minimum.accumulate(vals)
    positions = np.arange(len(cols))
    source = np.maximum.accumulate(np.where(vals <= running, positions, -1))
    reached = np.isfinite(running)
    from_left = reached & (source < positions)
    total = np.where(reached, running + cum, np.inf)
    move[from_left] = skip_k
    return total, move


def search(scores: PairScores, n: int, m: int, shapes: Sequence[Shape], band: Band) -> list[PathBead]:
    """The lowest-cost monotone path from (0, 0) to (n, m) inside ``band``.

    ``shapes`` must contain ``(1, 0)`` and ``(0, 1)`` so that a path always exists.
    """
    max_a = max(a for a, _ in shapes)
    done: dict[int, np.ndarray] = {}
    moves: list[np.ndarray] = []
    rows_per_block = max(1, CELLS_PER_BLOCK // int((band.hi - band.lo).max()))
    for start in range(0, n + 1, rows_per_block):
        rows = range(start, min(n + 1, start + rows_per_block))
        starts, costs = _row_block_costs(scores, shapes, band, rows)
        for i in rows:
            lo, hi = starts[i - start], starts[i - start + 1]
            done[i], move = _relax_row(i, band, shapes, [c[lo:hi] for c in costs], done)
            moves.append(move)
            done.pop(i - max_a - 1, None)
    return _backtrace(scores, moves, band, shapes, n, m)


def _backtrace(
    scores: PairScores, moves: list[np.ndarray], band: Band, shapes: Sequence[Shape], n: int, m: int
) -> list[PathBead]:
    cells: list[tuple[int, int, int]] = []
    i, j = n, m
    while i > 0 or j > 0:
        k = int(moves[i][j - band.lo[i]])
        if k < 0:
            raise RuntimeError(f"no path through the band at cell ({i}, {j})")
        cells.append((i, j, k))
        i, j = i - shapes[k][0], j - shapes[k][1]
    cells.reverse()
    ends = np.array(cells, dtype=np.int64).reshape(-1, 3)
    costs = np.zeros(len(cells))
    for k, (a, b) in enumerate(shapes):
        mine = ends[:, 2] == k
        if mine.any():
            costs[mine] = scores.cost(a, b, ends[mine, 0], ends[mine, 1])
    return [PathBead(i, j, shapes[k], float(c)) for (i, j, k), c in zip(cells, costs, strict=True)]
