"""Stand-in pair aligners for the multi-way tests: no scorer, no model, fully predictable.

``length_aligner`` is a tiny Gale-Church-like DP on character lengths (good
enough for short hand-made texts whose sentence lengths differ clearly);
``ScriptedAligner`` returns bead lists fixed in advance, so property tests can
feed arbitrary (even wrong) pairwise alignments to the unit builder.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from align.pairwise.beads import Bead

SHAPES = [(1, 0), (0, 1), (1, 1), (1, 2), (2, 1), (2, 2)]
SKIP_COST = 3.0
SHAPE_COST = {(1, 1): 0.0, (1, 2): 0.4, (2, 1): 0.4, (2, 2): 2.0}


def length_aligner(
    src: Sequence[str],
    tgt: Sequence[str],
    *,
    src_lang: str,
    tgt_lang: str,
    src_paras: Sequence[int] | None = None,
    tgt_paras: Sequence[int] | None = None,
) -> list[Bead]:
    """Minimal-cost monotone beads by character-length ratio; score = exp(-cost)."""
    n, m = len(src), len(tgt)
    best: dict[tuple[int, int], tuple[float, tuple[int, int]]] = {(0, 0): (0.0, (0, 0))}
    for i in range(n + 1):
        for j in range(m + 1):
            options = [
                (best[(i - a, j - b)][0] + _cost(src[i - a : i], tgt[j - b : j], a, b), (a, b))
                for a, b in SHAPES
                if (i - a, j - b) in best
            ]
            if options and (i, j) != (0, 0):
                best[(i, j)] = min(options)
    beads = []
    i, j = n, m
    while (i, j) != (0, 0):
        a, b = best[(i, j)][1]
        cost = best[(i, j)][0] - best[(i - a, j - b)][0]
        beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), math.exp(-cost)))
        i, j = i - a, j - b
    return beads[::-1]


def _cost(src: Sequence[str], tgt: Sequence[str], a: int, b: int) -> float:
    if a == 0 or b == 0:
        return SKIP_COST
    ratio = (sum(map(len, src)) + 1) / (sum(map(len, tgt)) + 1)
    return 4 * abs(math.log(ratio)) + SHAPE_COST[(a, b)]


class ScriptedAligner:
    """Returns the beads scripted for a language pair (reversed when asked the other way round)."""

    def __init__(self, scripted: Mapping[tuple[str, str], Sequence[Bead]]) -> None:
        self.scripted = scripted
        self.calls: list[tuple[str, str]] = []

    def __call__(
        self,
        src: Sequence[str],
        tgt: Sequence[str],
        *,
        src_lang: str,
        tgt_lang: str,
        src_paras: Sequence[int] | None = None,
        tgt_paras: Sequence[int] | None = None,
    ) -> list[Bead]:
        self.calls.append((src_lang, tgt_lang))
        beads = self.scripted.get((src_lang, tgt_lang))
        if beads is None and (tgt_lang, src_lang) in self.scripted:
            beads = [Bead(b.tgt, b.src, b.score) for b in self.scripted[(tgt_lang, src_lang)]]
        if beads is not None and _covers(beads, len(src), len(tgt)):
            return list(beads)
        # not scripted, or asked about a sub-text (a gap of added sentences): fall back to lengths
        return length_aligner(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang)


def _covers(beads: Sequence[Bead], n_src: int, n_tgt: int) -> bool:
    src = [i for bead in beads for i in bead.src]
    tgt = [j for bead in beads for j in bead.tgt]
    return src == list(range(n_src)) and tgt == list(range(n_tgt))


def links(beads: Sequence[Bead]) -> set[tuple[int, int]]:
    """Every (src, tgt) sentence pair a bead list links."""
    return {(s, t) for bead in beads for s in bead.src for t in bead.tgt}
