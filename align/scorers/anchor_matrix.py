"""Shared-anchor weights of sentence pairs, computed only for the cells the search asks about.

``S[i, j]`` is the summed weight of the anchors that source sentence ``i`` and
target sentence ``j`` share. A whole matrix would grow with ``n * m``, so it
is built in rectangular blocks on demand (the search asks for one block of
rows inside its band at a time) from an inverted index of the target side.
Small documents get the whole matrix at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np

WHOLE_LIMIT: Final = 8_000_000  # cells; up to this the whole matrix is built at once
BLOCK_LIMIT: Final = 4_000_000  # largest block built for one query
PAD: Final = 8  # rows/columns added around a block so neighbouring queries reuse it


class AnchorMatrix:
    """``get(i, j)``: shared anchor weight of many (source, target) sentence pairs."""

    def __init__(
        self,
        src_anchors: Sequence[Sequence[str]],
        tgt_anchors: Sequence[Sequence[str]],
        weights: Mapping[str, float],
    ):
        self.n, self.m = len(src_anchors), len(tgt_anchors)
        where: dict[str, list[int]] = {}
        for sent, feats in enumerate(tgt_anchors):
            for feat in set(feats):
                if feat in weights:
                    where.setdefault(feat, []).append(sent)
        positions = {feat: np.asarray(sents, dtype=np.int64) for feat, sents in where.items()}
        # per source sentence: (target sentences holding the anchor, its weight)
        self.links = [
            [(positions[feat], weights[feat]) for feat in sorted(set(feats)) if feat in positions]
            for feats in src_anchors
        ]
        self.origin = (0, 0)
        self.block = np.zeros((0, 0), dtype=np.float32)
        if self.n * self.m <= WHOLE_LIMIT:
            self._load(0, self.n, 0, self.m)

    def get(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        if len(i) == 0:
            return np.zeros(0)
        r0, r1, c0, c1 = int(i.min()), int(i.max()) + 1, int(j.min()), int(j.max()) + 1
        if not self._covers(r0, r1, c0, c1):
            if (r1 - r0 + 2 * PAD) * (c1 - c0 + 2 * PAD) > BLOCK_LIMIT:
                return self._pairwise(i, j)
            self._load(max(0, r0 - PAD), min(self.n, r1 + PAD), max(0, c0 - PAD), min(self.m, c1 + PAD))
        weights: np.ndarray = self.block[i - self.origin[0], j - self.origin[1]].astype(np.float64)
        return weights

    def _covers(self, r0: int, r1: int, c0: int, c1: int) -> bool:
        rows, cols = self.block.shape
        top, left = self.origin
        return top <= r0 and r1 <= top + rows and left <= c0 and c1 <= left + cols

    def _load(self, r0: int, r1: int, c0: int, c1: int) -> None:
        block = np.zeros((r1 - r0, c1 - c0), dtype=np.float32)
        for i in range(r0, r1):
            for targets, weight in self.links[i]:
                lo, hi = np.searchsorted(targets, (c0, c1))
                block[i - r0, targets[lo:hi] - c0] += weight
        self.origin, self.block = (r0, c0), block

    def _pairwise(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Scattered cells (a backtrace along a long path): one lookup per anchor of each cell."""
        return np.array([self._cell(int(a), int(b)) for a, b in zip(i, j, strict=True)], dtype=np.float64)

    def _cell(self, i: int, j: int) -> float:
        total = 0.0
        for targets, weight in self.links[i]:
            k = np.searchsorted(targets, j)
            if k < len(targets) and targets[k] == j:
                total += weight
        return total
