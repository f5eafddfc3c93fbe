"""Joint multi-way alignment: the language versions of one document become units.

A *unit* holds, for every language, a (possibly empty) run of consecutive
sentence indices; together the units cover every sentence of every language
exactly once and are monotone in every language. Any pair (de-fr, ru-en ...)
is read off the units with :func:`pair_beads`, so all pairwise alignments
agree with each other by construction.

How units are built (:func:`align_multiway`):

1. Every other language is aligned to the *pivot* (the original language when
   known, else English, else the first language; see :func:`choose_pivot`).
2. With ``consensus=True`` every non-pivot pair is aligned directly too, and
   each pivot-L alignment is re-decided by a vote: the direct pivot-L link
   counts with weight ``1 + confidence``, each path pivot->M->L through another
   language M counts 1, or 1/k when the M-L bead glues k M sentences to L's
   (a path through a language that lacks the sentence abstains). A monotone dynamic programme (:mod:`align.multiway.consensus`) keeps the
   beads whose links carry more than a threshold share of the votes, so a
   doubtful pivot link is overruled when the other languages agree on another.
3. Units are the connected components of sentences linked by the pivot-L
   beads (a non-pivot bead spanning two pivot beads merges them). Sentences
   that no pivot sentence links to (additions) are grouped per gap between
   units, aligned among themselves, and placed in order.

Unit score (confidence in [0, 1]): for every language pair (a, b) that was
aligned directly and has sentences in the unit, the share of the unit's a and
b sentences whose direct bead lies entirely inside the unit, each weighted by
that bead's own confidence (``Bead.score``: the pairwise aligner's calibrated
probability of being right; None counts as 1). The unit score is the mean over
those pairs. 1.0 means every direct alignment grouped these sentences exactly
so, with full confidence (and, trivially, every unit of a one-language text);
0.5 means, roughly, that half of the direct evidence supports the unit; a unit
that no direct alignment supports scores 0. The
score of a pair read off with :func:`pair_beads` is that pair's own share when
the pair was aligned directly, else the unit score.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import combinations
from typing import TYPE_CHECKING, Protocol

from align.errors import InputError
from align.multiway.consensus import consensus_beads
from align.pairwise.aligner import DEFAULT_MAX_SIZE, align_pair
from align.pairwise.beads import Bead
from align.scorers import get_scorer

if TYPE_CHECKING:
    from align.scorers.base import Scorer

__all__ = ["PairAligner", "Unit", "align_multiway", "choose_pivot", "group_units", "pair_beads"]

log = logging.getLogger(__name__)

# Pivot preference when the original language is unknown: English, then the order given.
FALLBACK_PIVOT = "en"


class PairAligner(Protocol):
    """The shape of :func:`align.pairwise.aligner.align_pair` with scorer and size already bound."""

    def __call__(
        self,
        src: Sequence[str],
        tgt: Sequence[str],
        *,
        src_lang: str,
        tgt_lang: str,
        src_paras: Sequence[int] | None = None,
        tgt_paras: Sequence[int] | None = None,
    ) -> list[Bead]: ...


@dataclass(frozen=True)
class Unit:
    """The same content in every language: ``sents[lang]`` = ascending sentence indices (may be empty)."""

    sents: Mapping[str, tuple[int, ...]]
    score: float
    pair_scores: Mapping[tuple[str, str], float] = field(default_factory=dict)

    def side(self, lang: str) -> tuple[int, ...]:
        return self.sents.get(lang, ())

    def shape(self, langs: Sequence[str]) -> str:
        """``"1-1-2-1-1"``: the number of sentences per language, in ``langs`` order."""
        return "-".join(str(len(self.side(lang))) for lang in langs)


def choose_pivot(langs: Sequence[str], preferred: str | None = None) -> str:
    """``preferred`` (override or original language) if present, else English, else the first."""
    if not langs:
        raise InputError("no language version to align; give at least one non-empty text")
    for candidate in (preferred, FALLBACK_PIVOT):
        if candidate and candidate in langs:
            return candidate
    return langs[0]


def pair_beads(units: Sequence[Unit], src_lang: str, tgt_lang: str) -> list[Bead]:
    """The ``src_lang``-``tgt_lang`` alignment read off the units (units empty on both sides dropped)."""
    beads = []
    for unit in units:
        src, tgt = unit.side(src_lang), unit.side(tgt_lang)
        if src or tgt:
            score = unit.pair_scores.get((src_lang, tgt_lang), unit.pair_scores.get((tgt_lang, src_lang)))
            beads.append(Bead(src, tgt, unit.score if score is None else score))
    return beads


def align_multiway(
    texts: Mapping[str, Sequence[str]],
    *,
    pivot: str | None = None,
    paras: Mapping[str, Sequence[int]] | None = None,
    scorer: str | Scorer = "anchors",
    max_size: int = DEFAULT_MAX_SIZE,
    consensus: bool = True,
    pair_aligner: PairAligner | None = None,
) -> list[Unit]:
    """Align the sentences of all language versions of one document jointly.

    Parameters
    ----------
    texts
        Sentences per language (``{"ru": [...], "en": [...]}``); empty languages get empty sides.
    pivot
        Language every other one is aligned to; None = English, else the first language.
        Callers pass the document's original language here when it is known.
    paras
        Paragraph index of every sentence, per language (paragraph-aware alignment).
    scorer, max_size
        Passed to :func:`align.pairwise.aligner.align_pair` when ``pair_aligner`` is None
        (a scorer name is instantiated once and reused for every pair).
    consensus
        Also align the non-pivot pairs and let the languages vote (see the module docstring).
    pair_aligner
        Replaces ``align_pair`` (tests, benchmarks).

    Returns
    -------
    list[Unit]
        Monotone in every language; every sentence of every language in exactly one unit.
    """
    aligner = pair_aligner or _default_aligner(scorer, max_size)
    present = [lang for lang, sents in texts.items() if sents]
    if not present:
        return []
    pivot = choose_pivot(present, pivot)
    paras = paras or {}
    direct = _direct_alignments(texts, present, pivot, paras, aligner, consensus=consensus)
    to_pivot = {
        lang: (
            consensus_beads(pivot, lang, direct, present, len(texts[pivot]), len(texts[lang]), max_size)
            if consensus and len(present) > 2
            else direct[(pivot, lang)]
        )
        for lang in present
        if lang != pivot
    }
    sizes = {lang: len(texts[lang]) for lang in present}
    groups = group_units(sizes, pivot, to_pivot, _gap_aligner(texts, paras, aligner))
    indexed = {pair: _BeadIndex(beads) for pair, beads in direct.items()}
    return [_scored_unit(group, indexed) for group in groups]


def _default_aligner(scorer: str | Scorer, max_size: int) -> PairAligner:
    if isinstance(scorer, str):
        scorer = get_scorer(scorer)  # once, not per pair
    return partial(align_pair, scorer=scorer, max_size=max_size)


def _direct_alignments(
    texts: Mapping[str, Sequence[str]],
    langs: Sequence[str],
    pivot: str,
    paras: Mapping[str, Sequence[int]],
    aligner: PairAligner,
    *,
    consensus: bool,
) -> dict[tuple[str, str], list[Bead]]:
    """Pivot-L for every L; with ``consensus`` also every non-pivot pair (alphabetical direction)."""
    pairs = [(pivot, lang) for lang in langs if lang != pivot]
    if consensus:
        others = sorted(lang for lang in langs if lang != pivot)
        pairs += list(combinations(others, 2))
    direct = {}
    for src, tgt in pairs:
        log.debug("aligning %s-%s", src, tgt)
        beads = aligner(
            texts[src], texts[tgt], src_lang=src, tgt_lang=tgt,
            src_paras=paras.get(src), tgt_paras=paras.get(tgt),
        )
        _check_complete(beads, len(texts[src]), len(texts[tgt]), f"{src}-{tgt}")
        direct[(src, tgt)] = beads
    return direct


def _check_complete(beads: Sequence[Bead], n_src: int, n_tgt: int, pair: str) -> None:
    """Units rely on every sentence being in exactly one bead, in order; a pair aligner must deliver that."""
    src = [i for bead in beads for i in bead.src]
    tgt = [j for bead in beads for j in bead.tgt]
    if src != list(range(n_src)) or tgt != list(range(n_tgt)):
        raise ValueError(f"the {pair} pair aligner returned beads that do not cover every sentence once, in order")


# --- grouping: union-find over sentences, additions placed in their gaps ---------------------------

GapAligner = Callable[[Mapping[str, Sequence[int]]], list[dict[str, tuple[int, ...]]]]


def group_units(
    sizes: Mapping[str, int],
    pivot: str,
    to_pivot: Mapping[str, Sequence[Bead]],
    gap_aligner: GapAligner | None = None,
) -> list[dict[str, tuple[int, ...]]]:
    """Units (sentence indices per language) from complete, monotone pivot-L alignments.

    ``to_pivot[L]`` has the pivot as source. Pivot beads merge where an L bead
    spans several of them; L sentences with no pivot counterpart are collected
    per gap and grouped by ``gap_aligner`` (default: one unit per sentence).
    """
    component = _pivot_components(sizes[pivot], to_pivot)
    count = max(component, default=-1) + 1
    units: list[dict[str, list[int]]] = [{pivot: []} for _ in range(count)]
    for index, comp in enumerate(component):
        units[comp][pivot].append(index)
    gaps: dict[int, dict[str, list[int]]] = {}
    for lang, beads in to_pivot.items():
        _place_language(lang, beads, component, units, gaps)
    return _interleave(units, gaps, gap_aligner or _one_unit_per_sentence)


def _pivot_components(size: int, to_pivot: Mapping[str, Sequence[Bead]]) -> list[int]:
    """Component number of each pivot sentence; components are runs of consecutive sentences."""
    joined_to_next = [False] * size
    for beads in to_pivot.values():
        for bead in beads:
            for index in bead.src[:-1]:
                joined_to_next[index] = True
    component, current = [], 0
    for index in range(size):
        component.append(current)
        if not joined_to_next[index]:
            current += 1
    return component


def _place_language(
    lang: str,
    beads: Sequence[Bead],
    component: Sequence[int],
    units: list[dict[str, list[int]]],
    gaps: dict[int, dict[str, list[int]]],
) -> None:
    """Put each L sentence into the unit of its pivot bead; additions into a gap, or inside a unit they sit in."""
    previous = -1  # unit of the last L bead that had a pivot side
    pending: list[int] = []
    for bead in beads:
        if not bead.src:
            pending.extend(bead.tgt)
            continue
        comp = component[bead.src[0]]
        if pending:
            target = units[comp] if comp == previous else gaps.setdefault(previous, {})
            target.setdefault(lang, []).extend(pending)
            pending = []
        units[comp].setdefault(lang, []).extend(bead.tgt)
        previous = comp
    if pending:
        gaps.setdefault(previous, {}).setdefault(lang, []).extend(pending)


def _interleave(
    units: list[dict[str, list[int]]],
    gaps: Mapping[int, Mapping[str, list[int]]],
    gap_aligner: GapAligner,
) -> list[dict[str, tuple[int, ...]]]:
    """Units in order, each gap's units right after the unit they follow (gap -1 = before the first)."""
    ordered: list[dict[str, tuple[int, ...]]] = []
    for position in range(-1, len(units)):
        if position >= 0:
            ordered.append({lang: tuple(sorted(ids)) for lang, ids in units[position].items()})
        if position in gaps:
            ordered.extend(gap_aligner({lang: sorted(ids) for lang, ids in gaps[position].items()}))
    return ordered


def _one_unit_per_sentence(gap: Mapping[str, Sequence[int]]) -> list[dict[str, tuple[int, ...]]]:
    return [{lang: (index,)} for lang, ids in gap.items() for index in ids]


def _gap_aligner(
    texts: Mapping[str, Sequence[str]], paras: Mapping[str, Sequence[int]], aligner: PairAligner
) -> GapAligner:
    """Align the added sentences of one gap among themselves (a smaller multi-way problem)."""

    def align_gap(gap: Mapping[str, Sequence[int]]) -> list[dict[str, tuple[int, ...]]]:
        if len(gap) == 1:
            return _one_unit_per_sentence(gap)
        sub_texts = {lang: [texts[lang][i] for i in ids] for lang, ids in gap.items()}
        sub_paras = {lang: [paras[lang][i] for i in ids] for lang, ids in gap.items() if lang in paras}
        local = align_multiway(sub_texts, paras=sub_paras, consensus=False, pair_aligner=aligner)
        return [
            {lang: tuple(gap[lang][i] for i in unit.side(lang)) for lang in gap if unit.side(lang)}
            for unit in local
        ]

    return align_gap


# --- scoring: how much of the direct evidence supports each unit -----------------------------------


def _scored_unit(group: Mapping[str, tuple[int, ...]], direct: Mapping[tuple[str, str], _BeadIndex]) -> Unit:
    pair_scores = {}
    for (a, b), index in direct.items():
        inside_a, inside_b = set(group.get(a, ())), set(group.get(b, ()))
        if inside_a or inside_b:
            pair_scores[(a, b)] = index.support(inside_a, inside_b)
    if pair_scores:
        score = sum(pair_scores.values()) / len(pair_scores)
    else:  # only one language has sentences: nothing was aligned, nothing can disagree
        score = 0.0 if direct else 1.0
    return Unit({lang: ids for lang, ids in group.items() if ids}, score, pair_scores)


class _BeadIndex:
    """A direct alignment indexed by sentence, to find the beads a unit touches."""

    def __init__(self, beads: Sequence[Bead]) -> None:
        self.beads = list(beads)
        self.by_src = {i: n for n, bead in enumerate(self.beads) for i in bead.src}
        self.by_tgt = {i: n for n, bead in enumerate(self.beads) for i in bead.tgt}

    def support(self, inside_src: set[int], inside_tgt: set[int]) -> float:
        """Confidence-weighted share of the unit's sentences whose direct bead lies inside the unit."""
        touched = {self.by_src[i] for i in inside_src} | {self.by_tgt[i] for i in inside_tgt}
        supported = 0.0
        for number in touched:
            bead = self.beads[number]
            if set(bead.src) <= inside_src and set(bead.tgt) <= inside_tgt:
                supported += (len(bead.src) + len(bead.tgt)) * (1.0 if bead.score is None else bead.score)
        return supported / (len(inside_src) + len(inside_tgt))
