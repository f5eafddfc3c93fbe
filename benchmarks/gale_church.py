"""NLTK's Gale-Church aligner as a baseline that produces beads.

``nltk.translate.gale_church.align_blocks`` returns sentence links, one per
aligned (source, target) pair: a 2-2 bead comes back as four links and an
unaligned sentence as none. The beads are rebuilt from them: links that share
a sentence form one bead, and every sentence in no link becomes a 1-0 or 0-1 bead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from nltk.translate.gale_church import align_blocks  # type: ignore[import-untyped]  # at import: timings exclude it

from align import Bead


def gale_church_beads(src: Sequence[str], tgt: Sequence[str]) -> list[Bead]:
    """Align by character lengths with NLTK's Gale-Church (language-independent parameters)."""
    if not src or not tgt:
        return links_to_beads([], len(src), len(tgt))
    links = align_blocks([max(len(s), 1) for s in src], [max(len(t), 1) for t in tgt])
    return links_to_beads(links, len(src), len(tgt))


def links_to_beads(links: Iterable[tuple[int, int]], n_src: int, n_tgt: int) -> list[Bead]:
    """Monotone links -> beads covering ``range(n_src)`` and ``range(n_tgt)`` exactly once.

    >>> links_to_beads([(0, 0), (1, 1), (1, 2), (3, 3), (4, 3)], 5, 4)
    [Bead(src=(0,), tgt=(0,), score=None), Bead(src=(1,), tgt=(1, 2), score=None), \
Bead(src=(2,), tgt=(), score=None), Bead(src=(3, 4), tgt=(3,), score=None)]
    """
    groups: list[tuple[set[int], set[int]]] = []
    for i, j in sorted(links):
        if groups and (i in groups[-1][0] or j in groups[-1][1]):
            groups[-1][0].add(i)
            groups[-1][1].add(j)
        else:
            groups.append(({i}, {j}))
    beads: list[Bead] = []
    next_src = next_tgt = 0
    for src, tgt in groups:
        beads += _unaligned(next_src, min(src), next_tgt, min(tgt))
        beads.append(Bead(tuple(sorted(src)), tuple(sorted(tgt))))
        next_src, next_tgt = max(src) + 1, max(tgt) + 1
    beads += _unaligned(next_src, n_src, next_tgt, n_tgt)
    return beads


def _unaligned(src_from: int, src_to: int, tgt_from: int, tgt_to: int) -> list[Bead]:
    return [Bead((i,), ()) for i in range(src_from, src_to)] + [Bead((), (j,)) for j in range(tgt_from, tgt_to)]
