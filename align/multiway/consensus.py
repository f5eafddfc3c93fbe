"""The languages vote on a pivot-L alignment (the consensus step of :mod:`align.multiway.units`).

For each link (pivot sentence p, L sentence l) the votes are: the direct
pivot-L alignment, with weight ``DIRECT_WEIGHT + confidence`` of its bead, and
every path p -> M -> l through a third language M (pivot-M bead, then the
direct M-L bead), with weight 1 divided by the number of M sentences in that
M-L bead: when L glues several M sentences to one of its own, that says "these
M sentences together are l", not that each of them is (a sentence L omits is
typically glued to a neighbour's bead by every M-L pair alike; gluing alone
must not outvote a direct alignment that leaves it out). A path through a
language that has no counterpart of p abstains. A link's share is its votes over all votes cast
for p. A monotone DP over bead shapes then picks the beads that maximise the
summed ``share - VOTE_THRESHOLD`` of the links they contain, searching a band
around the direct path; ties go to the direct alignment's bead boundaries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from align.pairwise.beads import Bead
from align.pairwise.search import bead_shapes

# The direct pivot-L link votes with weight DIRECT_WEIGHT + its confidence; each other path with 1.
DIRECT_WEIGHT = 1.0
# A skipped sentence (1-0 / 0-1) costs a little, so that a tie between linking and skipping links.
SKIP_GAIN = -0.01
# A link with more than this share of the votes gains a bead that holds it; less, and it costs.
# 0.3-0.4 scored alike on the Bible documents and the sample item (benchmarks/multiway.py), 0.45+ lower.
VOTE_THRESHOLD = 0.4
# Reward for ending a bead where the direct pivot-L alignment does: decides ties only.
TIE_BONUS = 1e-6
# Half-width (in sentences) of the band around the direct pivot-L path the vote DP searches.
CONSENSUS_BAND = 6

__all__ = ["consensus_beads", "link_votes"]


def consensus_beads(
    pivot: str,
    lang: str,
    direct: Mapping[tuple[str, str], Sequence[Bead]],
    langs: Sequence[str],
    n_pivot: int,
    n_lang: int,
    max_size: int,
) -> list[Bead]:
    """Re-decide the pivot-``lang`` alignment by a vote of the direct link and every pivot->M->lang path."""
    votes = link_votes(pivot, lang, direct, langs, n_pivot)
    own = direct[(pivot, lang)]
    band = _band(own, n_pivot, n_lang, CONSENSUS_BAND)
    return _best_segmentation(votes, band, _corners(own), n_pivot, n_lang, max_size)


def link_votes(
    pivot: str, lang: str, direct: Mapping[tuple[str, str], Sequence[Bead]], langs: Sequence[str], n_pivot: int
) -> dict[tuple[int, int], float]:
    """Share of weighted votes for each link (pivot sentence, ``lang`` sentence)."""
    own = _links_by_src(direct[(pivot, lang)], n_pivot)
    paths = [
        _compose(_links_by_src(direct[(pivot, m)], n_pivot), _oriented_links(direct, m, lang))
        for m in langs
        if m not in (pivot, lang)
    ]
    votes: dict[tuple[int, int], float] = {}
    for p in range(n_pivot):
        targets, confidence = own[p]
        weight = DIRECT_WEIGHT + confidence
        opinions = [(targets_via_m, strength) for targets_via_m, strength in (path[p] for path in paths) if strength]
        total = weight + sum(strength for _, strength in opinions)
        for target in targets:
            votes[(p, target)] = votes.get((p, target), 0.0) + weight / total
        for opinion, strength in opinions:
            for target in opinion:
                votes[(p, target)] = votes.get((p, target), 0.0) + strength / total
    return votes


def _links_by_src(beads: Sequence[Bead], n_src: int) -> list[tuple[frozenset[int], float]]:
    """For each source sentence: the target sentences its bead links it to, and that bead's confidence."""
    links: list[tuple[frozenset[int], float]] = [(frozenset(), 1.0)] * n_src
    for bead in beads:
        for index in bead.src:
            links[index] = (frozenset(bead.tgt), 1.0 if bead.score is None else bead.score)
    return links


Links = dict[int, tuple[frozenset[int], float]]


def _oriented_links(direct: Mapping[tuple[str, str], Sequence[Bead]], src: str, tgt: str) -> Links:
    """src sentence -> (its tgt sentences, 1 / the number of src sentences in its bead), from the direct
    alignment stored either way round."""
    if (src, tgt) in direct:
        return {i: (frozenset(b.tgt), 1.0 / len(b.src)) for b in direct[(src, tgt)] for i in b.src}
    return {i: (frozenset(b.src), 1.0 / len(b.tgt)) for b in direct[(tgt, src)] for i in b.tgt}


def _compose(first: Sequence[tuple[frozenset[int], float]], second: Links) -> list[tuple[frozenset[int], float]]:
    """pivot->M->L: each pivot sentence's L sentences and the strength of that opinion.

    The strength is 0 when M has no counterpart of the pivot sentence (M abstains),
    else the largest share (1 / M sentences in the M-L bead) among the paths taken.
    """
    composed = []
    for middles, _confidence in first:
        targets: set[int] = set()
        strength = 0.0
        for middle in middles:
            reached, share = second.get(middle, (frozenset(), 1.0))
            targets |= reached
            strength = max(strength, share)
        composed.append((frozenset(targets), strength))
    return composed


def _band(beads: Sequence[Bead], n_src: int, n_tgt: int, width: int) -> list[tuple[int, int]]:
    """For each source position 0..n_src: the target positions the DP may visit, ``width`` around the path."""
    low, high = [n_tgt] * (n_src + 1), [0] * (n_src + 1)
    i = j = 0
    for bead in beads:
        i_end, j_end = i + len(bead.src), j + len(bead.tgt)
        for row in range(i, i_end + 1):
            low[row], high[row] = min(low[row], j), max(high[row], j_end)
        i, j = i_end, j_end
    return [(max(0, lo - width), min(n_tgt, hi + width)) for lo, hi in zip(low, high, strict=True)]


def _corners(beads: Sequence[Bead]) -> set[tuple[int, int]]:
    """The (i, j) positions between the beads of an alignment."""
    corners, i, j = set(), 0, 0
    for bead in beads:
        i, j = i + len(bead.src), j + len(bead.tgt)
        corners.add((i, j))
    return corners


def _best_segmentation(
    votes: Mapping[tuple[int, int], float],
    band: Sequence[tuple[int, int]],
    preferred: set[tuple[int, int]],
    n_src: int,
    n_tgt: int,
    max_size: int,
) -> list[Bead]:
    """Monotone beads maximising the summed (vote - threshold) of the links they contain.

    Ties (e.g. the order of an omission and an addition) go to the ``preferred`` bead boundaries.
    """
    shapes = bead_shapes(max_size)  # the pairwise search's shapes; max() below does not depend on their order
    best: dict[tuple[int, int], tuple[float, tuple[int, int]]] = {(0, 0): (0.0, (0, 0))}
    for i in range(n_src + 1):
        lo, hi = band[i]
        for j in range(lo, hi + 1):
            if (i, j) == (0, 0):
                continue
            tie_break = TIE_BONUS if (i, j) in preferred else 0.0
            candidates = [
                (best[(i - a, j - b)][0] + _gain(votes, i, j, a, b) + tie_break, (a, b))
                for a, b in shapes
                if (i - a, j - b) in best
            ]
            if candidates:
                best[(i, j)] = max(candidates)
    return _trace(best, votes, n_src, n_tgt)


def _gain(votes: Mapping[tuple[int, int], float], i: int, j: int, a: int, b: int) -> float:
    if a == 0 or b == 0:
        return SKIP_GAIN * (a + b)
    return sum(votes.get((p, t), 0.0) - VOTE_THRESHOLD for p in range(i - a, i) for t in range(j - b, j))


def _trace(
    best: Mapping[tuple[int, int], tuple[float, tuple[int, int]]],
    votes: Mapping[tuple[int, int], float],
    n_src: int,
    n_tgt: int,
) -> list[Bead]:
    beads = []
    i, j = n_src, n_tgt
    while (i, j) != (0, 0):
        a, b = best[(i, j)][1]
        src, tgt = tuple(range(i - a, i)), tuple(range(j - b, j))
        cells = [votes.get((p, t), 0.0) for p in src for t in tgt]
        beads.append(Bead(src, tgt, sum(cells) / len(cells) if cells else None))
        i, j = i - a, j - b
    return beads[::-1]
