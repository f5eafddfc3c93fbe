"""The banded dynamic programme, checked against brute force on small random grids."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.pairwise.search import Band, PathBead, bead_shapes, search
from align.scorers.base import PairScores


class TableScores(PairScores):
    """Bead costs read from a random table: cost[shape][i_end, j_end]."""

    def __init__(self, shapes: list[tuple[int, int]], n: int, m: int, seed: int):
        rng = np.random.default_rng(seed)
        self.table = {shape: rng.uniform(0.0, 5.0, size=(n + 1, m + 1)) for shape in shapes}

    def cost(self, a: int, b: int, i_end: np.ndarray, j_end: np.ndarray) -> np.ndarray:
        return self.table[(a, b)][i_end, j_end]


def brute_force(scores: TableScores, shapes: list[tuple[int, int]], n: int, m: int) -> float:
    best = {(0, 0): 0.0}
    for i, j in itertools.product(range(n + 1), range(m + 1)):
        for a, b in shapes:
            if (i - a, j - b) in best:
                cand = best[(i - a, j - b)] + scores.table[(a, b)][i, j]
                best[(i, j)] = min(best.get((i, j), np.inf), cand)
    return best[(n, m)]


def path_cells(path: list[PathBead]) -> list[tuple[int, int]]:
    return [(step.i_end, step.j_end) for step in path]


@pytest.mark.parametrize(
    ("max_size", "shapes"),
    [
        (1, [(1, 1), (1, 0), (0, 1)]),
        (2, [(1, 1), (1, 2), (2, 1), (1, 0), (0, 1)]),
        (3, [(1, 1), (1, 2), (2, 1), (1, 3), (2, 2), (3, 1), (1, 0), (0, 1)]),
    ],
)
def test_bead_shapes(max_size: int, shapes: list[tuple[int, int]]) -> None:
    assert bead_shapes(max_size) == shapes


def test_bead_shapes_rejects_zero() -> None:
    with pytest.raises(ValueError, match="`max_size` must be at least 1"):
        bead_shapes(0)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 7), m=st.integers(1, 7), max_size=st.integers(1, 4), seed=st.integers(0, 10_000))
def test_search_finds_the_brute_force_optimum(n: int, m: int, max_size: int, seed: int) -> None:
    shapes = bead_shapes(max_size)
    scores = TableScores(shapes, n, m, seed)
    path = search(scores, n, m, shapes, Band.full(n, m))
    assert sum(step.cost for step in path) == pytest.approx(brute_force(scores, shapes, n, m))
    assert path[-1].i_end == n and path[-1].j_end == m
    starts = [(0, 0)] + path_cells(path)[:-1]
    for (i0, j0), step in zip(starts, path, strict=True):
        assert (step.i_end - i0, step.j_end - j0) == step.shape
        assert step.cost == pytest.approx(scores.table[step.shape][step.i_end, step.j_end])


def test_a_band_containing_the_optimum_gives_the_same_path() -> None:
    n = m = 40
    shapes = bead_shapes(3)
    scores = TableScores(shapes, n, m, seed=7)
    scores.table[(1, 1)] -= 10.0  # the diagonal wins by far
    full = search(scores, n, m, shapes, Band.full(n, m))
    rows = np.arange(n + 1)
    narrow = Band.around(rows - 3, rows + 4, m)
    assert narrow.area < Band.full(n, m).area / 4
    assert path_cells(search(scores, n, m, shapes, narrow)) == path_cells(full)
    assert all(step.shape == (1, 1) for step in full)


def test_band_around_is_monotone_and_connected() -> None:
    band = Band.around(np.array([5, 2, 9, 3, 20]), np.array([1, 4, 3, 12, 15]), m=10)
    assert band.lo[0] == 0 and band.hi[-1] == 11
    assert np.all(np.diff(band.lo) >= 0) and np.all(np.diff(band.hi) >= 0)
    assert np.all(band.lo < band.hi)
    assert np.all(band.lo[1:] < band.hi[:-1])
