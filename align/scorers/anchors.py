"""The model-free scorers: ``length`` (Gale-Church-like) and ``anchors`` (length + shared anchors).

Bead cost = length cost + bead-shape prior - anchor bonus, where

* the length cost is ``delta**2 / 2`` with Gale and Church's normalised length
  difference ``delta`` (characters without spaces, the per-pair length ratio
  estimated from the whole document);
* the anchor bonus is a Dice overlap of idf-weighted anchors (numbers, names,
  cognates, punctuation; :mod:`align.scorers.features`) between the two sides;
* leaving a sentence unaligned costs ``skip``, less for lines that look like
  captions or OCR fragments (:func:`align.scorers.features.junk_score`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import ClassVar, Final

import numpy as np

from align.scorers import features
from align.scorers.base import PairScores, Scorer

# -log P(shape) for bead shapes, from the bead counts of published gold alignments
# (Gale & Church 1993 and the Text+Berg/Bible dev files together, smoothed).
SHAPE_PRIOR: Final[dict[tuple[int, int], float]] = {
    (1, 1): 0.0,
    (1, 2): 1.6, (2, 1): 1.6,
    (2, 2): 3.2, (1, 3): 3.2, (3, 1): 3.2,
}  # fmt: skip
DEFAULT_PRIOR: Final = 4.5  # any larger shape
DENSE_LIMIT: Final = 8_000_000  # cells; above this the anchor matrix is stored sparse


@dataclass(frozen=True, slots=True)
class CostWeights:
    """The few tuned numbers of the model-free cost."""

    variance: float = 6.8  # Gale-Church s2, per character
    anchor: float = 4.0  # weight of the anchor Dice overlap (0 = length only)
    smoothing: float = 2.0  # added to the Dice denominator: few anchors = weak evidence
    skip: float = 4.0  # cost of leaving a normal sentence unaligned
    junk_discount: float = 0.8  # fraction of `skip` forgiven for a line that is pure junk


class AnchorMatrix:
    """Summed weights of the anchors shared by src sentence i and tgt sentence j."""

    def __init__(self, n: int, m: int, rows: np.ndarray, cols: np.ndarray, values: np.ndarray):
        self.n, self.m = n, m
        self.dense: np.ndarray | None = None
        if n * m <= DENSE_LIMIT:
            self.dense = np.zeros((max(n, 1), max(m, 1)), dtype=np.float32)
            np.add.at(self.dense, (rows, cols), values)
            return
        keys = rows.astype(np.int64) * m + cols
        order = np.argsort(keys, kind="stable")
        keys, values = keys[order], values[order]
        self.keys, start = np.unique(keys, return_index=True)
        self.values = np.add.reduceat(values, start) if len(values) else values

    def get(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        if self.dense is not None:
            return self.dense[i, j].astype(np.float64)
        if not len(self.keys):
            return np.zeros(len(i))
        wanted = i.astype(np.int64) * self.m + j
        pos = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        return np.where(self.keys[pos] == wanted, self.values[pos], 0.0)


def shared_anchor_matrix(
    src: features.SentenceFeatures, tgt: features.SentenceFeatures, weights: dict[str, float]
) -> AnchorMatrix:
    """Build the matrix from an inverted index, so only sentence pairs sharing an anchor cost work."""
    index_src: dict[str, list[int]] = {}
    index_tgt: dict[str, list[int]] = {}
    for side, index in ((src, index_src), (tgt, index_tgt)):
        for sent, feats in enumerate(side.anchors):
            for feat in set(feats):
                if feat in weights:
                    index.setdefault(feat, []).append(sent)
    rows, cols, vals = [], [], []
    for feat, src_sents in index_src.items():
        tgt_sents = np.asarray(index_tgt[feat])
        for i in src_sents:
            rows.append(np.full(len(tgt_sents), i))
            cols.append(tgt_sents)
            vals.append(np.full(len(tgt_sents), weights[feat], dtype=np.float32))
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return AnchorMatrix(len(src.anchors), len(tgt.anchors), empty, empty, empty.astype(np.float32))
    return AnchorMatrix(
        len(src.anchors), len(tgt.anchors), np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
    )


def _prefix(values: Sequence[float]) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(np.asarray(values, dtype=np.float64))])


class AnchorPairScores(PairScores):
    def __init__(
        self, src: features.SentenceFeatures, tgt: features.SentenceFeatures, weights: CostWeights
    ):
        self.weights = weights
        self.src_len, self.tgt_len = _prefix(src.lengths), _prefix(tgt.lengths)
        self.ratio = (self.tgt_len[-1] + 1.0) / (self.src_len[-1] + 1.0)
        self.src_junk = np.asarray(src.junk, dtype=np.float64)
        self.tgt_junk = np.asarray(tgt.junk, dtype=np.float64)
        self.anchor_matrix: AnchorMatrix | None = None
        if weights.anchor > 0:
            idf = features.idf_weights(src, tgt)
            self.src_mass = _prefix([sum(idf.get(f, 0.0) for f in set(fs)) for fs in src.anchors])
            self.tgt_mass = _prefix([sum(idf.get(f, 0.0) for f in set(fs)) for fs in tgt.anchors])
            self.anchor_matrix = shared_anchor_matrix(src, tgt, idf)

    def cost(self, a: int, b: int, i_end: np.ndarray, j_end: np.ndarray) -> np.ndarray:
        if a == 0 or b == 0:
            junk = self.src_junk[i_end - 1] if b == 0 else self.tgt_junk[j_end - 1]
            return self.weights.skip * (1.0 - self.weights.junk_discount * junk)
        src_len = self.src_len[i_end] - self.src_len[i_end - a]
        tgt_len = self.tgt_len[j_end] - self.tgt_len[j_end - b]
        spread = self.weights.variance * (self.ratio * src_len + tgt_len) / 2.0 + 1.0
        delta_sq = (tgt_len - self.ratio * src_len) ** 2 / spread
        cost = delta_sq / 2.0 + SHAPE_PRIOR.get((a, b), DEFAULT_PRIOR)
        if self.anchor_matrix is not None:
            cost -= self.weights.anchor * self._anchor_overlap(a, b, i_end, j_end)
        return cost

    def _anchor_overlap(self, a: int, b: int, i_end: np.ndarray, j_end: np.ndarray) -> np.ndarray:
        matrix = self.anchor_matrix
        shared = np.zeros(len(i_end))
        for da in range(1, a + 1):
            for db in range(1, b + 1):
                shared += matrix.get(i_end - da, j_end - db) if matrix is not None else 0.0
        mass = (self.src_mass[i_end] - self.src_mass[i_end - a]) + (
            self.tgt_mass[j_end] - self.tgt_mass[j_end - b]
        )
        return np.minimum(2.0 * shared / (mass + self.weights.smoothing), 1.0)


class AnchorScorer(Scorer):
    """Model-free default: length plus anchors that cross scripts."""

    name: ClassVar[str] = "anchors"

    def __init__(self, **weights: float):
        self.weights = CostWeights(**weights)

    def params(self) -> dict[str, object]:
        return asdict(self.weights)

    def prepare(
        self, src: Sequence[str], tgt: Sequence[str], *, src_lang: str, tgt_lang: str
    ) -> PairScores:
        return AnchorPairScores(features.extract(src), features.extract(tgt), self.weights)


class LengthScorer(AnchorScorer):
    """Gale-Church-like: sentence lengths only, no anchors."""

    name: ClassVar[str] = "length"

    def __init__(self, **weights: float):
        super().__init__(**{"anchor": 0.0, **weights})
