"""The model-free scorers: ``length`` (Gale-Church-like) and ``anchors`` (length + shared anchors).

Bead cost = length cost + shape cost - anchor bonus, where

* the length cost is Gale and Church's ``-log P(|delta|)``, the two-sided
  normal tail of their normalised length difference ``delta`` (characters without spaces, the per-pair length ratio
  estimated from the whole document);
* the shape cost is ``merge`` per sentence beyond the first on each side;
* the anchor bonus is a Dice overlap of idf-weighted anchors (numbers, names,
  cognates, punctuation; :mod:`align.scorers.features`) between the two sides;
* leaving a sentence unaligned costs ``skip``, less for lines that look like
  captions or OCR fragments (:func:`align.scorers.features.junk_score`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, ClassVar, Final

import numpy as np

from align.scorers import features
from align.scorers.base import PairScores, Scorer
from align.scorers.lexicon import learn_lexicon, lexicon_anchors

if TYPE_CHECKING:
    from align.dp import PathBead

# erfc(z) ~= t * exp(-z**2 + sum_k c_k t**k), t = 1 / (1 + z/2): Numerical Recipes' erfcc fit
ERFC_COEFFICIENTS: Final = (
    -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806,
    0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277,
)  # fmt: skip
# Confidence = 1 / (1 + exp(-(intercept - slope * cost))), fitted (logistic regression)
# to the strict correctness of the beads this scorer gives on Text+Berg dev:
# content beads and 1-0/0-1 beads have their own curve.
CONTENT_CALIBRATION: Final = (1.86, 0.336)
SKIP_CALIBRATION: Final = (5.7, 1.44)
DENSE_LIMIT: Final = 8_000_000  # cells; above this the anchor matrix is stored sparse


@dataclass(frozen=True, slots=True)
class CostWeights:
    """The few tuned numbers of the model-free cost."""

    variance: float = 6.8  # Gale-Church s2, per character
    anchor: float = 4.0  # weight of the anchor Dice overlap (0 = length only)
    smoothing: float = 2.0  # added to the Dice denominator: few anchors = weak evidence
    mismatch: float = 0.5  # weight of unshared anchor mass against shared mass (a bead's anchors disagree)
    merge: float = 1.6  # cost of each sentence beyond 1-1 in a bead (a 2-2 bead pays twice)
    skip: float = 4.0  # cost of leaving a normal sentence unaligned
    junk_discount: float = 0.5  # fraction of `skip` forgiven for a line that is pure junk
    one_sided: float = 1.0  # weight of numbers found on one side only (they count against a bead)
    lexicon: bool = True  # second pass with a lexicon learned from the first pass's 1-1 beads


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
    for feat in index_src.keys() & index_tgt.keys():
        src_sents, tgt_sents = index_src[feat], np.asarray(index_tgt[feat])
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


def log_erfc(z: np.ndarray) -> np.ndarray:
    """``log(erfc(z))`` for ``z >= 0`` (Chebyshev fit, relative error < 1.2e-7), finite for large z."""
    t = 1.0 / (1.0 + 0.5 * z)
    poly = ERFC_COEFFICIENTS[-1]
    for coefficient in ERFC_COEFFICIENTS[-2::-1]:
        poly = coefficient + t * poly
    return np.log(t) - z * z + poly


def _prefix(values: Sequence[float]) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(np.asarray(values, dtype=np.float64))])


class AnchorPairScores(PairScores):
    def __init__(
        self, src: features.SentenceFeatures, tgt: features.SentenceFeatures, weights: CostWeights
    ):
        self.weights = weights
        self.src, self.tgt = src, tgt
        self.src_len, self.tgt_len = _prefix(src.lengths), _prefix(tgt.lengths)
        self.ratio = (self.tgt_len[-1] + 1.0) / (self.src_len[-1] + 1.0)
        self.src_junk = np.asarray(src.junk, dtype=np.float64)
        self.tgt_junk = np.asarray(tgt.junk, dtype=np.float64)
        self.anchor_matrix: AnchorMatrix | None = None
        if weights.anchor > 0:
            idf = features.idf_weights(src, tgt, one_sided=weights.one_sided)
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
        delta = np.abs(tgt_len - self.ratio * src_len) / np.sqrt(spread)
        cost = -log_erfc(delta / np.sqrt(2.0)) + self.weights.merge * (a + b - 2)
        if self.anchor_matrix is not None:
            cost -= self.weights.anchor * self._anchor_overlap(a, b, i_end, j_end)
        return cost

    def confidence(self, a: int, b: int, cost: np.ndarray) -> np.ndarray:
        intercept, slope = SKIP_CALIBRATION if a == 0 or b == 0 else CONTENT_CALIBRATION
        return 1.0 / (1.0 + np.exp(np.clip(slope * cost - intercept, -50.0, 50.0)))

    def refine(self, path: Sequence[PathBead]) -> PairScores | None:
        """Scores with the anchors of a lexicon learned from the 1-1 beads of ``path``."""
        if not self.weights.lexicon or self.weights.anchor <= 0:
            return None
        pairs = [
            (self.src.words[step.i_end - 1], self.tgt.words[step.j_end - 1])
            for step in path
            if step.shape == (1, 1)
        ]
        lexicon = learn_lexicon(pairs)
        if not lexicon:
            return None
        src = _with_anchors(self.src, lexicon_anchors(self.src.words, lexicon, side=0))
        tgt = _with_anchors(self.tgt, lexicon_anchors(self.tgt.words, lexicon, side=1))
        return AnchorPairScores(src, tgt, replace(self.weights, lexicon=False))

    def _anchor_overlap(self, a: int, b: int, i_end: np.ndarray, j_end: np.ndarray) -> np.ndarray:
        matrix = self.anchor_matrix
        shared = np.zeros(len(i_end))
        for da in range(1, a + 1):
            for db in range(1, b + 1):
                shared += matrix.get(i_end - da, j_end - db) if matrix is not None else 0.0
        mass = (self.src_mass[i_end] - self.src_mass[i_end - a]) + (
            self.tgt_mass[j_end] - self.tgt_mass[j_end - b]
        )
        overlap = np.minimum(2.0 * shared, mass)
        return (overlap - self.weights.mismatch * (mass - overlap)) / (mass + self.weights.smoothing)


def _with_anchors(
    side: features.SentenceFeatures, extra: list[tuple[str, ...]]
) -> features.SentenceFeatures:
    return replace(side, anchors=tuple(old + new for old, new in zip(side.anchors, extra, strict=True)))


class AnchorScorer(Scorer):
    """Model-free default: length plus anchors that cross scripts."""

    name: ClassVar[str] = "anchors"

    def __init__(self, **weights: float | bool):
        self.weights = CostWeights(**weights)  # type: ignore[arg-type]

    def params(self) -> dict[str, object]:
        return asdict(self.weights)

    def prepare(
        self, src: Sequence[str], tgt: Sequence[str], *, src_lang: str, tgt_lang: str
    ) -> PairScores:
        return AnchorPairScores(features.extract(src), features.extract(tgt), self.weights)


class LengthScorer(AnchorScorer):
    """Gale-Church-like: sentence lengths only, no anchors."""

    name: ClassVar[str] = "length"

    def __init__(self, **weights: float | bool):
        super().__init__(**{"anchor": 0.0, **weights})
