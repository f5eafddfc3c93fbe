"""The model-free scorers: ``length`` (Gale-Church-like) and ``anchors`` (length + shared anchors).

Bead cost = length cost + shape cost - anchor score, where

* the length cost is Gale and Church's ``-log P(|delta|)``, the two-sided normal
  tail of their normalised length difference ``delta`` (characters without
  spaces, so tokenised and running text agree);
* the shape cost is ``merge`` per sentence beyond the first on each side;
* the anchor score is the idf-weighted share of the bead's anchors (numbers,
  dates, names, cognates, punctuation; :mod:`align.scorers.features`) found on
  both sides, minus ``mismatch`` times the share found on one side only;
* leaving a sentence unaligned costs ``skip``, less for lines that look like
  captions or OCR fragments (:func:`align.scorers.features.junk_score`);
  gluing OCR debris (no word, no digit) into a merged bead costs ``fragment_merge`` per line.
* a merge must be supported: each sentence of a side with several pays
  ``coverage`` for each unit by which the share of its anchor mass left
  unmatched by the other side's group exceeds ``coverage_floor``
  (:meth:`AnchorPairScores.uncovered`), so an omitted or added sentence is not
  glued to its neighbour's bead. Leave-one-document-out over Text+Berg dev and
  the Bible documents (``benchmarks/tune_anchors.py --grid coverage``): held-out
  Text+Berg strict F1 0.881 with weights chosen on the Bible (0.868 without the term).

Two passes (``refine``): the first uses the length ratio of the whole documents;
the second re-estimates it from the aligned beads only and adds the anchors of
a lexicon learned from the first pass's 1-1 beads (:mod:`align.scorers.lexicon`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar, Final

import numpy as np

from align.scorers import features
from align.scorers.anchor_matrix import AnchorMatrix
from align.scorers.base import PairScores, Scorer, checked_weights, flat_params
from align.scorers.lexicon import learn_lexicon, lexicon_anchors

if TYPE_CHECKING:
    from align.pairwise.beads import PathBead

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


@dataclass(frozen=True, slots=True)
class AnchorWeights:
    """The few tuned numbers of the model-free cost (the ``anchors`` and ``length`` scorers)."""

    variance: float = 6.8  # Gale-Church s2, per character
    anchor: float = 4.0  # weight of the anchor Dice overlap (0 = length only)
    smoothing: float = 2.0  # added to the Dice denominator: few anchors = weak evidence
    mismatch: float = 0.5  # weight of unshared anchor mass against shared mass (a bead's anchors disagree)
    merge: float = 1.6  # cost of each sentence beyond 1-1 in a bead (a 2-2 bead pays twice)
    skip: float = 4.0  # cost of leaving a normal sentence unaligned
    junk_discount: float = 0.5  # fraction of `skip` forgiven for a line that is pure junk
    one_sided: float = 1.0  # weight of numbers found on one side only (they count against a bead)
    coverage: float = 1.0  # cost per merged member for each unit its unmatched anchor share exceeds the floor
    coverage_floor: float = 0.3  # share of a merged member's anchor mass that may go unmatched for free
    fragment_merge: float = 0.0  # cost of each OCR-debris line glued into a bead with several sentences on its side
    second_pass: bool = True  # re-fit the length ratio and learn a lexicon from the first path


def log_erfc(z: np.ndarray) -> np.ndarray:
    """``log(erfc(z))`` for ``z >= 0`` (Chebyshev fit, relative error < 1.2e-7), finite for large z."""
    t = 1.0 / (1.0 + 0.5 * z)
    poly: np.ndarray | float = ERFC_COEFFICIENTS[-1]
    for coefficient in ERFC_COEFFICIENTS[-2::-1]:
        poly = coefficient + t * poly
    result: np.ndarray = np.log(t) - z * z + poly
    return result


def _prefix(values: Sequence[float]) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(np.asarray(values, dtype=np.float64))])


class AnchorPairScores(PairScores):
    def __init__(
        self,
        src: features.SentenceFeatures,
        tgt: features.SentenceFeatures,
        weights: AnchorWeights,
        ratio: float | None = None,
    ):
        self.weights = weights
        self.src, self.tgt = src, tgt
        self.src_len, self.tgt_len = _prefix(src.lengths), _prefix(tgt.lengths)
        self.ratio = ratio or (self.tgt_len[-1] + 1.0) / (self.src_len[-1] + 1.0)
        self.src_junk = np.asarray(src.junk, dtype=np.float64)
        self.tgt_junk = np.asarray(tgt.junk, dtype=np.float64)
        self.src_fragments, self.tgt_fragments = _prefix(src.fragments), _prefix(tgt.fragments)
        self.anchor_matrix: AnchorMatrix | None = None
        if weights.anchor > 0:
            idf = features.idf_weights(src, tgt, one_sided=weights.one_sided)
            self.src_mass = _prefix([sum(idf.get(f, 0.0) for f in sorted(set(fs))) for fs in src.anchors])
            self.tgt_mass = _prefix([sum(idf.get(f, 0.0) for f in sorted(set(fs))) for fs in tgt.anchors])
            self.anchor_matrix = AnchorMatrix(src.anchors, tgt.anchors, idf)

    def cost(self, a: int, b: int, i_end: np.ndarray, j_end: np.ndarray) -> np.ndarray:
        if a == 0 or b == 0:
            junk = self.src_junk[i_end - 1] if b == 0 else self.tgt_junk[j_end - 1]
            skip_cost: np.ndarray = self.weights.skip * (1.0 - self.weights.junk_discount * junk)
            return skip_cost
        src_len = self.src_len[i_end] - self.src_len[i_end - a]
        tgt_len = self.tgt_len[j_end] - self.tgt_len[j_end - b]
        spread = self.weights.variance * (self.ratio * src_len + tgt_len) / 2.0 + 1.0
        delta = np.abs(tgt_len - self.ratio * src_len) / np.sqrt(spread)
        cost = -log_erfc(delta / np.sqrt(2.0)) + self.weights.merge * (a + b - 2)
        if self.weights.fragment_merge and (a > 1 or b > 1):
            cost += self.weights.fragment_merge * self._merged_fragments(a, b, i_end, j_end)
        if self.anchor_matrix is not None:
            shared = self._shared(a, b, i_end, j_end)
            cost -= self.weights.anchor * self._anchor_overlap(a, b, i_end, j_end, shared)
            if self.weights.coverage and (a > 1 or b > 1):
                cost += self.weights.coverage * self.uncovered(a, b, i_end, j_end, shared)
        return cost

    def confidence(self, a: int, b: int, cost: np.ndarray) -> np.ndarray:
        intercept, slope = SKIP_CALIBRATION if a == 0 or b == 0 else CONTENT_CALIBRATION
        return 1.0 / (1.0 + np.exp(np.clip(slope * cost - intercept, -50.0, 50.0)))

    def refine(self, path: Sequence[PathBead]) -> PairScores | None:
        """Scores with the length ratio of ``path``'s beads and the anchors of a lexicon learned from it."""
        if not self.weights.second_pass:
            return None
        weights = replace(self.weights, second_pass=False)
        src, tgt = self.src, self.tgt
        if self.weights.anchor > 0:
            lexicon = learn_lexicon(
                (self.src.words[step.i_end - 1], self.tgt.words[step.j_end - 1])
                for step in path
                if step.shape == (1, 1)
            )
            src = _with_anchors(src, lexicon_anchors(src.words, lexicon, side=0))
            tgt = _with_anchors(tgt, lexicon_anchors(tgt.words, lexicon, side=1))
        return AnchorPairScores(src, tgt, weights, self._fitted_ratio(path))

    def _fitted_ratio(self, path: Sequence[PathBead]) -> float:
        """Target/source length ratio over the aligned beads only: unaligned captions no longer skew it.

        (Fitting the variance the same way, robustly, gave 1.4-2.5 on every
        development document and hurt: GC's 6.8 leaves room for heavy tails.)
        """
        ends = np.array([(s.i_end, s.j_end, *s.shape) for s in path if s.shape[0] and s.shape[1]], dtype=np.int64)
        if not len(ends):
            return self.ratio
        src_len = self.src_len[ends[:, 0]] - self.src_len[ends[:, 0] - ends[:, 2]]
        tgt_len = self.tgt_len[ends[:, 1]] - self.tgt_len[ends[:, 1] - ends[:, 3]]
        return float((tgt_len.sum() + 1.0) / (src_len.sum() + 1.0))

    def _merged_fragments(self, a: int, b: int, i_end: np.ndarray, j_end: np.ndarray) -> np.ndarray:
        """How many OCR-debris lines (:func:`features.is_fragment`) the bead's merged sides hold.

        Gluing ``"....."`` to a neighbour cost ``merge`` (1.6), less than leaving it out (2.0 for junk),
        so debris rode along with real sentences; the gold leaves it unaligned.
        """
        count = np.zeros(len(i_end))
        if a > 1:
            count += self.src_fragments[i_end] - self.src_fragments[i_end - a]
        if b > 1:
            count += self.tgt_fragments[j_end] - self.tgt_fragments[j_end - b]
        return count

    def _shared(self, a: int, b: int, i_end: np.ndarray, j_end: np.ndarray) -> dict[tuple[int, int], np.ndarray]:
        """Shared anchor mass of each (source member, target member) of the beads: ``[(da, db)]``."""
        matrix = self.anchor_matrix
        assert matrix is not None
        return {
            (da, db): matrix.get(i_end - da, j_end - db) for da in range(1, a + 1) for db in range(1, b + 1)
        }

    def _anchor_overlap(
        self, a: int, b: int, i_end: np.ndarray, j_end: np.ndarray, shared: dict[tuple[int, int], np.ndarray]
    ) -> np.ndarray:
        total = sum(shared.values(), np.zeros(len(i_end)))
        mass = (self.src_mass[i_end] - self.src_mass[i_end - a]) + (
            self.tgt_mass[j_end] - self.tgt_mass[j_end - b]
        )
        overlap = np.minimum(2.0 * total, mass)
        score: np.ndarray = (overlap - self.weights.mismatch * (mass - overlap)) / (mass + self.weights.smoothing)
        return score

    def uncovered(
        self, a: int, b: int, i_end: np.ndarray, j_end: np.ndarray, shared: dict[tuple[int, int], np.ndarray]
    ) -> np.ndarray:
        """How far the members of a merged side exceed the floor of unmatched anchor share, summed.

        A merge must be supported: each sentence of a side with several must find
        its anchors (names, numbers, learned word pairs) in the other side's group.
        A member without anchors counts little (its share is smoothed towards 0).
        On Text+Berg dev and the Bible documents, after the lexicon pass, the
        median unmatched share of gold-merge members is 0, of a neighbouring
        sentence glued on 0.8.
        """
        floor, smoothing = self.weights.coverage_floor, self.weights.smoothing
        shortfall = np.zeros(len(i_end))
        for side, size, other, ends, mass in (
            ("src", a, b, i_end, self.src_mass), ("tgt", b, a, j_end, self.tgt_mass)
        ):
            if size < 2:
                continue
            for d in range(1, size + 1):
                found = sum(shared[(d, e) if side == "src" else (e, d)] for e in range(1, other + 1))
                own = mass[ends - d + 1] - mass[ends - d]
                unmatched = (own - np.minimum(2.0 * found, own)) / (own + smoothing)
                shortfall += np.maximum(0.0, unmatched - floor)
        return shortfall


def _with_anchors(
    side: features.SentenceFeatures, extra: list[tuple[str, ...]]
) -> features.SentenceFeatures:
    return replace(side, anchors=tuple(old + new for old, new in zip(side.anchors, extra, strict=True)))


# The model-free scorers' defaults: AnchorWeights() plus what leave-one-out chose for them alone
# (benchmarks/README.md, "The model-free default"). AnchorWeights' own field defaults stay neutral
# for the new terms because the embedding scorer builds its model-free part from them and measured
# no gain from these (start from this constant with dataclasses.replace to keep them).
MODEL_FREE_DEFAULT: Final = AnchorWeights(fragment_merge=1.0)


class AnchorScorer(Scorer):
    """Model-free default: length plus anchors that cross scripts.

    ``weights`` default to :attr:`default_weights` (:data:`MODEL_FREE_DEFAULT`).
    """

    name: ClassVar[str] = "anchors"
    default_weights: ClassVar[AnchorWeights] = MODEL_FREE_DEFAULT

    def __init__(self, weights: AnchorWeights | None = None):
        self.weights = checked_weights(weights, self.default_weights)

    def params(self) -> dict[str, object]:
        return flat_params(self.weights)

    def prepare(
        self, src: Sequence[str], tgt: Sequence[str], *, src_lang: str, tgt_lang: str
    ) -> PairScores:
        return AnchorPairScores(features.extract(src), features.extract(tgt), self.weights)


class LengthScorer(AnchorScorer):
    """Gale-Church-like: sentence lengths only, no anchors (``MODEL_FREE_DEFAULT`` with ``anchor=0.0``)."""

    name: ClassVar[str] = "length"
    default_weights: ClassVar[AnchorWeights] = replace(MODEL_FREE_DEFAULT, anchor=0.0)
