"""Sentence alignment of one document pair: ``align_pair``.

The search is exact inside a band of the (source x target) grid. Short pairs
use the whole grid; long ones are first aligned coarsely, on blocks of
consecutive sentences, and the fine search runs in a band around that coarse
path, widened where the fine path touches the band edge. Memory therefore
grows linearly with document length.

Confidence (``Bead.score``): the estimated probability that the bead is
exactly right (the same groups as a careful human alignment). The scorer maps
each bead's cost to it (``PairScores.confidence``); the model-free scorer uses
logistic curves fitted on Text+Berg dev, so that of the beads scored about 0.5
about half were right there, and of those above 0.9 about nine in ten. For a
bead with an empty side it is the probability that the sentence really has no
counterpart. On easier text (Bible verses) the scores are conservative.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import Final

import numpy as np

from align.errors import InputError
from align.pairwise.beads import Bead
from align.pairwise.crossings import link_crossings
from align.pairwise.search import Band, PathBead, Shape, bead_shapes, search
from align.scorers import get_scorer
from align.scorers.base import PairScores, Scorer

logger = logging.getLogger(__name__)

# beads up to 1-5 / 2-4 / 3-3 / 4-2 / 5-1 (a + b <= 6): French Text+Berg often splits one
# German sentence into four or five, and its gold has 3-3 beads. Against 4 (a + b <= 5, as
# Bertalign): Text+Berg dev strict F1 embedding 0.897 -> 0.901, anchors 0.881 -> 0.885, Bible
# unchanged; 6 gains 0.001 more but makes the model-free alignment of Text+Berg dev 1.0 s (0.67 s).
DEFAULT_MAX_SIZE: Final = 5
FULL_SEARCH_CELLS: Final = 4_000_000  # grids up to this size are searched whole
COARSE_SHAPES: Final = bead_shapes(2)  # blocks of merged sentences need no large beads
MAX_WIDENINGS: Final = 4
REFINE_MARGIN: Final = 30  # the second pass searches this many columns around the first path
PARAGRAPH_PENALTY: Final = 3.0  # cost of a bead that disagrees with parallel paragraph breaks


def align_pair(
    src: Sequence[str],
    tgt: Sequence[str],
    *,
    src_lang: str,
    tgt_lang: str,
    scorer: str | Scorer = "anchors",
    max_size: int = DEFAULT_MAX_SIZE,
    src_paras: Sequence[int] | None = None,
    tgt_paras: Sequence[int] | None = None,
    crossings: bool = False,
) -> list[Bead]:
    """Align two lists of sentences.

    Parameters
    ----------
    src, tgt
        The sentences of the two versions, in order.
    src_lang, tgt_lang
        ISO 639-1 codes (scorers may use them).
    scorer
        A registered scorer name (``align.scorers.available_scorers()``) or a Scorer.
    max_size
        Largest number of sentences on one side of a bead; shapes allowed are
        those with ``a + b <= max_size + 1`` (for 3: 1-1, 1-2, 2-1, 1-3, 2-2,
        3-1; 4 adds 1-4, 2-3, 3-2, 4-1; the default ``DEFAULT_MAX_SIZE`` = 5
        adds 1-5, 2-4, 3-3, 4-2, 5-1), plus 1-0 and 0-1.
    src_paras, tgt_paras
        Paragraph index of each sentence. Beads that cross a paragraph break, or
        end at a break on one side only, cost more, in proportion to how
        parallel the two paragraph structures are.
    crossings
        Also link passages the translation moved (swapped paragraphs): runs of
        sentences left out on both sides near each other are aligned to each
        other where the bead costs say so (:mod:`align.pairwise.crossings`).
        The beads then keep source order only: target indices may cross.

    Returns
    -------
    list[Bead]
        Monotone beads (in source order, see ``crossings``) covering every sentence exactly once; ``score`` is the
        confidence in [0, 1] described in the module docstring.

    Raises
    ------
    InputError
        Unknown scorer, ``max_size < 1`` or paragraph lists of the wrong length.

    Examples
    --------
    >>> [b.kind for b in align_pair(["Hello.", "How are you?"], ["Hallo.", "Wie geht es?"],
    ...                             src_lang="en", tgt_lang="de")]
    ['1-1', '1-1']
    """
    if max_size < 1:
        raise InputError(f"`max_size` must be at least 1, got {max_size}")
    chosen = get_scorer(scorer) if isinstance(scorer, str) else scorer
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [Bead((i,), (), 1.0) for i in range(n)] + [Bead((), (j,), 1.0) for j in range(m)]
    shapes = bead_shapes(max_size)
    logger.info("aligning %d %s x %d %s sentences with scorer %r", n, src_lang, m, tgt_lang, chosen)
    scores = chosen.prepare(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang)
    if src_paras is not None and tgt_paras is not None:
        scores = ParagraphAwareScores(scores, _check_paras(src_paras, n, "src"), _check_paras(tgt_paras, m, "tgt"))
    path = _banded_path(scores, chosen, src, tgt, (src_lang, tgt_lang), shapes)
    refined = scores.refine(path)
    if refined is not None:
        logger.info("second pass around the first path")
        scores = refined  # and the first pass's anchor index can be freed
        path = _search_near(scores, path, n, m, shapes, margin=REFINE_MARGIN, whole_if_small=False)
    if crossings:
        path = link_crossings(path, scores, shapes)
    return _to_beads(path, scores)


def _check_paras(paras: Sequence[int], count: int, side: str) -> np.ndarray:
    if len(paras) != count:
        raise InputError(
            f"`{side}_paras` has {len(paras)} entries for {count} sentences. "
            "Hint: give one paragraph index per sentence"
        )
    return np.asarray(paras, dtype=np.int64)


def _to_beads(path: list[PathBead], scores: PairScores) -> list[Bead]:
    """Beads with their confidence, computed once per bead shape."""
    confidence = np.zeros(len(path))
    costs = np.array([step.cost for step in path])
    for shape in {step.shape for step in path}:
        mine = np.array([step.shape == shape for step in path])
        confidence[mine] = scores.confidence(shape[0], shape[1], costs[mine])
    return [
        Bead(tuple(range(s.i_end - s.shape[0], s.i_end)), tuple(range(s.j_end - s.shape[1], s.j_end)), float(c))
        for s, c in zip(path, confidence, strict=True)
    ]


def _banded_path(
    scores: PairScores,
    scorer: Scorer,
    src: Sequence[str],
    tgt: Sequence[str],
    langs: tuple[str, str],
    shapes: list[Shape],
) -> list[PathBead]:
    n, m = len(src), len(tgt)
    if (n + 1) * (m + 1) <= FULL_SEARCH_CELLS:
        return search(scores, n, m, shapes, Band.full(n, m))
    factor = math.ceil(math.sqrt((n + 1) * (m + 1) / FULL_SEARCH_CELLS))
    coarse_src = [" ".join(src[k : k + factor]) for k in range(0, n, factor)]
    coarse_tgt = [" ".join(tgt[k : k + factor]) for k in range(0, m, factor)]
    logger.info("coarse pass over blocks of %d sentences", factor)
    coarse = scorer.coarse()
    coarse_scores = coarse.prepare(coarse_src, coarse_tgt, src_lang=langs[0], tgt_lang=langs[1])
    coarse_path = _banded_path(coarse_scores, coarse, coarse_src, coarse_tgt, langs, COARSE_SHAPES)
    lo, hi = _corridor(coarse_path, factor, n, m)
    return _search_near(scores, (lo, hi), n, m, shapes, margin=2 * factor + 8)


def _search_near(
    scores: PairScores,
    near: list[PathBead] | tuple[np.ndarray, np.ndarray],
    n: int,
    m: int,
    shapes: list[Shape],
    *,
    margin: int,
    whole_if_small: bool = True,
) -> list[PathBead]:
    """Search a band around a path (or around column limits), widened while the result touches its edge."""
    if whole_if_small and (n + 1) * (m + 1) <= FULL_SEARCH_CELLS:
        return search(scores, n, m, shapes, Band.full(n, m))
    lo, hi = _corridor(near, 1, n, m) if isinstance(near, list) else near
    for _ in range(MAX_WIDENINGS):
        band = Band.around(lo - margin, hi + margin, m)
        logger.debug("fine search in a band of %d cells (margin %d)", band.area, margin)
        path = search(scores, n, m, shapes, band)
        if not _touches_edge(path, band, m):
            return path
        margin *= 2
    return path


def _corridor(coarse_path: list[PathBead], factor: int, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Fine column limits per row covered by the rectangles of the coarse beads."""
    lo = np.full(n + 1, m + 1, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for step in coarse_path:
        a, b = step.shape
        rows = slice(min((step.i_end - a) * factor, n), min(step.i_end * factor, n) + 1)
        lo[rows] = np.minimum(lo[rows], min((step.j_end - b) * factor, m))
        hi[rows] = np.maximum(hi[rows], min(step.j_end * factor, m) + 1)
    return lo, hi


def _touches_edge(path: list[PathBead], band: Band, m: int) -> bool:
    for step in path:
        i, j = step.i_end, step.j_end
        if (j == band.lo[i] and band.lo[i] > 0) or (j == band.hi[i] - 1 and band.hi[i] < m + 1):
            return True
    return False


class ParagraphAwareScores(PairScores):
    """Adds paragraph evidence to another PairScores.

    Content beads pay for each paragraph break inside them and for starting or
    ending at a break on one side only. The penalty scales with how alike the
    two paragraph counts are, so merged, split or missing paragraphs weaken it.
    """

    def __init__(self, inner: PairScores, src_paras: np.ndarray, tgt_paras: np.ndarray):
        self.inner = inner
        self.src_paras, self.tgt_paras = src_paras, tgt_paras
        self.src_break = _breaks(src_paras)
        self.tgt_break = _breaks(tgt_paras)
        count_src, count_tgt = int(self.src_break.sum()) - 1, int(self.tgt_break.sum()) - 1
        likeness = min(count_src, count_tgt) / max(count_src, count_tgt, 1)
        # one paragraph a side says nothing; otherwise trust breaks as far as their counts agree
        self.penalty = PARAGRAPH_PENALTY * likeness**2 if max(count_src, count_tgt) > 1 else 0.0

    def confidence(self, a: int, b: int, cost: np.ndarray) -> np.ndarray:
        return self.inner.confidence(a, b, cost)

    def refine(self, path: Sequence[PathBead]) -> PairScores | None:
        refined = self.inner.refine(path)
        return None if refined is None else ParagraphAwareScores(refined, self.src_paras, self.tgt_paras)

    def cost(self, a: int, b: int, i_end: np.ndarray, j_end: np.ndarray) -> np.ndarray:
        cost = self.inner.cost(a, b, i_end, j_end)
        if a == 0 or b == 0 or self.penalty == 0:
            return cost
        i_start, j_start = i_end - a, j_end - b
        crossings = _inside(self.src_break, i_start, i_end) + _inside(self.tgt_break, j_start, j_end)
        mismatches = (self.src_break[i_end] != self.tgt_break[j_end]).astype(float) + (
            self.src_break[i_start] != self.tgt_break[j_start]
        )
        total: np.ndarray = cost + self.penalty * (crossings + 0.5 * mismatches)
        return total


def _breaks(paras: np.ndarray) -> np.ndarray:
    """``breaks[i]``: a paragraph starts at sentence i (cell boundary i); true at 0 and at the end."""
    inner = paras[1:] != paras[:-1]
    return np.concatenate([[True], inner, [True]])


def _inside(breaks: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Number of breaks strictly between ``start`` and ``end``."""
    cum = np.cumsum(breaks)
    count: np.ndarray = (cum[end - 1] - cum[start]).astype(float)
    return count
