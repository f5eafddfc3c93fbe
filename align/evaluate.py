"""Strict and lax precision, recall and F1 of an alignment against gold.

The measures of Sennrich & Volk (2011) as Vecalign's ``score.py`` computes
them (re-implemented here, see ``/work/shared/data/README.md``):

* beads empty on both sides are dropped; beads compare as (src, tgt) tuples;
* precision runs over every predicted bead, 1-0 and 0-1 included. A bead is a
  strict hit when gold holds the identical bead, a lax hit when it is a strict
  hit or its target indices meet the target indices that gold links to any of
  its source indices (so a bead with an empty side can only hit strictly);
* recall is the same computation with gold and prediction swapped, after every
  bead with an empty side is removed from both;
* with several files the hit/miss counts are summed before dividing
  (micro-average).

Example::

    >>> from align.pairwise.beads import Bead
    >>> gold = [Bead((0,), (0,)), Bead((1, 2), (1,))]
    >>> pred = [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), ())]
    >>> scores = score_many([(pred, gold)])
    >>> [round(x, 3) for x in (scores.strict.precision, scores.strict.recall, scores.lax.precision, scores.lax.recall)]
    [0.333, 0.5, 0.667, 1.0]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from align.pairwise.beads import Bead

__all__ = ["Counts", "Measures", "Scores", "score_alignments", "score_many"]

BeadKey = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class Counts:
    """Hits and misses of one or more files; add them to micro-average over files."""

    precision_strict_hits: int = 0
    precision_lax_hits: int = 0
    predicted: int = 0
    recall_strict_hits: int = 0
    recall_lax_hits: int = 0
    gold: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.precision_strict_hits + other.precision_strict_hits,
            self.precision_lax_hits + other.precision_lax_hits,
            self.predicted + other.predicted,
            self.recall_strict_hits + other.recall_strict_hits,
            self.recall_lax_hits + other.recall_lax_hits,
            self.gold + other.gold,
        )


@dataclass(frozen=True, slots=True)
class Measures:
    """Precision, recall and F1 of one matching mode (strict or lax); 0.0 where undefined."""

    precision: float
    recall: float
    f1: float

    @classmethod
    def from_hits(cls, precision_hits: int, predicted: int, recall_hits: int, gold: int) -> Measures:
        precision = _ratio(precision_hits, predicted)
        recall = _ratio(recall_hits, gold)
        return cls(precision, recall, _ratio(2 * precision * recall, precision + recall))


@dataclass(frozen=True, slots=True)
class Scores:
    """Strict and lax measures together with the counts they were computed from."""

    strict: Measures
    lax: Measures
    counts: Counts

    @classmethod
    def from_counts(cls, counts: Counts) -> Scores:
        c = counts
        return cls(
            strict=Measures.from_hits(c.precision_strict_hits, c.predicted, c.recall_strict_hits, c.gold),
            lax=Measures.from_hits(c.precision_lax_hits, c.predicted, c.recall_lax_hits, c.gold),
            counts=counts,
        )

    def as_dict(self) -> dict[str, dict[str, float]]:
        """``{"strict": {"precision": .., "recall": .., "f1": ..}, "lax": {...}}``."""
        return {
            mode: {"precision": m.precision, "recall": m.recall, "f1": m.f1}
            for mode, m in (("strict", self.strict), ("lax", self.lax))
        }


def score_alignments(pred: Sequence[Bead], gold: Sequence[Bead]) -> Counts:
    """Count strict and lax hits of one predicted alignment against its gold alignment.

    Parameters
    ----------
    pred, gold
        The beads of one document pair; indices inside a bead in ascending
        order (beads compare as tuples, scores are ignored).

    Returns
    -------
    Counts
        Hits and totals; add the counts of several files, then
        ``Scores.from_counts`` for micro-averaged measures.
    """
    pred_keys = [_key(bead) for bead in pred]
    gold_keys = [_key(bead) for bead in gold]
    p_strict, p_lax, predicted = _hits(pred_keys, gold_keys)
    r_strict, r_lax, golds = _hits(_both_sides(gold_keys), _both_sides(pred_keys))
    return Counts(p_strict, p_lax, predicted, r_strict, r_lax, golds)


def score_many(pairs: Iterable[tuple[Sequence[Bead], Sequence[Bead]]]) -> Scores:
    """Strict and lax P/R/F1 over ``(pred, gold)`` pairs, one pair per file.

    Counts are summed over the files before dividing (micro-average, as
    Vecalign's ``score_multiple``); a measure whose denominator is 0 is 0.0.
    """
    total = Counts()
    for pred, gold in pairs:
        total = total + score_alignments(pred, gold)
    return Scores.from_counts(total)


def _hits(candidates: list[BeadKey], reference: list[BeadKey]) -> tuple[int, int, int]:
    """(strict hits, lax hits, candidates counted) of ``candidates`` against ``reference``."""
    reference_set = set(reference)
    targets_of_source: dict[int, set[int]] = defaultdict(set)
    for src, tgt in reference:
        for index in src:
            targets_of_source[index].update(tgt)
    strict = lax = counted = 0
    for src, tgt in candidates:
        if not src and not tgt:
            continue
        counted += 1
        if (src, tgt) in reference_set:
            strict += 1
            lax += 1
            continue
        linked = set().union(*(targets_of_source.get(index, set()) for index in src))
        if linked.intersection(tgt):
            lax += 1
    return strict, lax, counted


def _both_sides(keys: list[BeadKey]) -> list[BeadKey]:
    return [(src, tgt) for src, tgt in keys if src and tgt]


def _key(bead: Bead) -> BeadKey:
    return (tuple(bead.src), tuple(bead.tgt))


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0
