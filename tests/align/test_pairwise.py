"""align_pair: known small cases exactly, and the properties every alignment has."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import align.pairwise.aligner
from align.errors import InputError
from align.pairwise.aligner import DEFAULT_MAX_SIZE, ParagraphAwareScores, align_pair
from align.pairwise.beads import Bead
from align.pairwise.search import Band, bead_shapes, search
from align.scorers import get_scorer
from tests.align.sample_texts import DE, EN, RU


def pairs(beads: list[Bead]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(bead.src, bead.tgt) for bead in beads]


def check_partition(beads: list[Bead], n: int, m: int, max_size: int = DEFAULT_MAX_SIZE) -> None:
    """Every sentence in exactly one bead, beads monotone, indices ascending, confidence in [0, 1]."""
    src = [i for bead in beads for i in bead.src]
    tgt = [j for bead in beads for j in bead.tgt]
    assert src == list(range(n)) and tgt == list(range(m))
    for bead in beads:
        assert bead.src or bead.tgt
        assert len(bead.src) + len(bead.tgt) <= max_size + 1
        assert bead.score is not None and 0.0 <= bead.score <= 1.0


@pytest.mark.parametrize("scorer", ["anchors", "length"])
def test_identical_texts_align_one_to_one(scorer: str) -> None:
    beads = align_pair(EN, EN, src_lang="en", tgt_lang="en", scorer=scorer)
    assert pairs(beads) == [((i,), (i,)) for i in range(len(EN))]


@pytest.mark.parametrize(("other", "lang"), [(DE, "de"), (RU, "ru")])
def test_translations_align_one_to_one(other: list[str], lang: str) -> None:
    beads = align_pair(EN, other, src_lang="en", tgt_lang=lang)
    assert pairs(beads) == [((i,), (i,)) for i in range(len(EN))]
    assert min(bead.score or 0.0 for bead in beads) > 0.5


def test_a_merged_sentence_gives_a_two_to_one_bead() -> None:
    merged = DE[:4] + [DE[4] + " " + DE[5]] + DE[6:]
    beads = align_pair(EN, merged, src_lang="en", tgt_lang="de")
    assert ((4, 5), (4,)) in pairs(beads)
    assert ((6,), (5,)) in pairs(beads) and ((3,), (3,)) in pairs(beads)


def test_a_sentence_split_in_five_gives_one_bead_by_default() -> None:
    # Text+Berg's gold has such 1-5 beads; with beads up to a + b <= 5 the first piece was left unaligned
    merged = EN[:2] + [" ".join(EN[2:7])] + EN[7:]
    beads = align_pair(merged, DE, src_lang="en", tgt_lang="de")
    assert ((2,), (2, 3, 4, 5, 6)) in pairs(beads)
    assert ((3,), (7,)) in pairs(beads) and ((1,), (1,)) in pairs(beads)
    check_partition(beads, len(merged), len(DE))


def test_an_inserted_sentence_stays_unaligned() -> None:
    inserted = DE[:6] + ["Die Pressekonferenz fand am 6. Oktober 2016 in Moskau statt."] + DE[6:]
    beads = align_pair(EN, inserted, src_lang="en", tgt_lang="de")
    assert ((), (6,)) in pairs(beads)
    assert ((6,), (7,)) in pairs(beads) and ((5,), (5,)) in pairs(beads)


def test_a_dropped_sentence_is_one_to_zero() -> None:
    beads = align_pair(EN, RU[:8] + RU[9:], src_lang="en", tgt_lang="ru")
    assert pairs(beads)[7:10] == [((7,), (7,)), ((8,), ()), ((9,), (8,))]


def test_one_empty_side_gives_unaligned_beads_only() -> None:
    assert pairs(align_pair(EN[:2], [], src_lang="en", tgt_lang="de")) == [((0,), ()), ((1,), ())]
    assert pairs(align_pair([], DE[:1], src_lang="en", tgt_lang="de")) == [((), (0,))]
    assert align_pair([], [], src_lang="en", tgt_lang="de") == []


def test_max_size_one_allows_only_one_to_one_and_skips() -> None:
    merged = DE[:4] + [DE[4] + " " + DE[5]] + DE[6:]
    beads = align_pair(EN, merged, src_lang="en", tgt_lang="de", max_size=1)
    assert {bead.kind for bead in beads} <= {"1-1", "1-0", "0-1"}
    check_partition(beads, len(EN), len(merged), max_size=1)


def test_parallel_paragraphs_keep_beads_inside_paragraphs() -> None:
    # Length alone would merge the two short sentences at the paragraph break;
    # the paragraph structure says they belong to different paragraphs.
    src = ["A fairly long first sentence about the meeting.", "Yes.", "No.", "Another long sentence follows here."]
    tgt = ["Ein ziemlich langer erster Satz über das Treffen.", "Ja. Nein.", "Ein weiterer langer Satz folgt hier."]
    beads = align_pair(src, tgt, src_lang="en", tgt_lang="de", src_paras=[0, 0, 1, 1], tgt_paras=[0, 1, 1])
    for bead in beads:
        assert len({[0, 0, 1, 1][i] for i in bead.src}) <= 1
        assert len({[0, 1, 1][j] for j in bead.tgt}) <= 1


def test_paragraph_lists_must_match_the_sentences() -> None:
    with pytest.raises(InputError, match=r"`tgt_paras` has 2 entries for 3 sentences"):
        align_pair(EN[:3], DE[:3], src_lang="en", tgt_lang="de", src_paras=[0, 0, 1], tgt_paras=[0, 0])


def test_max_size_below_one_is_an_input_error() -> None:
    with pytest.raises(InputError, match="`max_size` must be at least 1, got 0"):
        align_pair(EN, DE, src_lang="en", tgt_lang="de", max_size=0)


def test_coarse_to_fine_search_matches_the_full_search(monkeypatch: pytest.MonkeyPatch) -> None:
    src = EN * 12
    tgt = DE * 12
    tgt = tgt[:30] + [tgt[30] + " " + tgt[31]] + tgt[32:70] + ["Die Pressekonferenz fand am 6. Oktober 2016 in Moskau statt."] + tgt[70:]
    full = align_pair(src, tgt, src_lang="en", tgt_lang="de")
    monkeypatch.setattr(align.pairwise.aligner, "FULL_SEARCH_CELLS", 400)
    banded = align_pair(src, tgt, src_lang="en", tgt_lang="de")
    assert pairs(banded) == pairs(full)
    assert ((30, 31), (30,)) in pairs(full) and ((), (69,)) in pairs(full)


WORDS = st.sampled_from(["Syria", "talks", "the", "2016", "Putin", "visit", "peace", "«", "?", "conflict"])
SENTENCES = st.lists(st.lists(WORDS, min_size=1, max_size=12).map(" ".join), max_size=25)


@settings(max_examples=40, deadline=None)
@given(src=SENTENCES, tgt=SENTENCES, max_size=st.integers(1, 4), scorer=st.sampled_from(["anchors", "length"]))
def test_every_sentence_is_in_exactly_one_monotone_bead(
    src: list[str], tgt: list[str], max_size: int, scorer: str
) -> None:
    beads = align_pair(src, tgt, src_lang="en", tgt_lang="de", scorer=scorer, max_size=max_size)
    check_partition(beads, len(src), len(tgt), max_size)


@settings(max_examples=25, deadline=None)
@given(src=SENTENCES, tgt=SENTENCES, data=st.data())
def test_paragraph_evidence_never_breaks_the_partition(src: list[str], tgt: list[str], data: st.DataObject) -> None:
    src_paras = sorted(data.draw(st.lists(st.integers(0, 4), min_size=len(src), max_size=len(src))))
    tgt_paras = sorted(data.draw(st.lists(st.integers(0, 4), min_size=len(tgt), max_size=len(tgt))))
    beads = align_pair(src, tgt, src_lang="en", tgt_lang="de", src_paras=src_paras, tgt_paras=tgt_paras)
    check_partition(beads, len(src), len(tgt))


def test_one_paragraph_a_side_changes_nothing() -> None:
    plain = align_pair(EN, DE, src_lang="en", tgt_lang="de")
    assert align_pair(EN, DE, src_lang="en", tgt_lang="de", src_paras=[0] * 11, tgt_paras=[0] * 11) == plain


def test_paragraph_evidence_keeps_the_second_pass_and_the_calibration() -> None:
    src, tgt = EN * 4, DE * 4  # 44 one-to-one beads: enough for a lexicon
    inner = get_scorer("anchors").prepare(src, tgt, src_lang="en", tgt_lang="de")
    paras = np.repeat(np.arange(8), [5, 6] * 4)
    wrapped = ParagraphAwareScores(inner, paras, paras)
    path = search(wrapped, 44, 44, bead_shapes(4), Band.full(44, 44))
    refined = wrapped.refine(path)
    assert isinstance(refined, ParagraphAwareScores) and refined.penalty == wrapped.penalty
    costs = np.array([-2.0, 0.5, 3.0])
    np.testing.assert_allclose(wrapped.confidence(1, 1, costs), inner.confidence(1, 1, costs))


@settings(max_examples=25, deadline=None)
@given(src=SENTENCES, tgt=SENTENCES, cells=st.integers(4, 60))
def test_the_banded_search_keeps_the_partition(src: list[str], tgt: list[str], cells: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(align.pairwise.aligner, "FULL_SEARCH_CELLS", cells)  # force coarse-to-fine on tiny inputs
        beads = align_pair(src, tgt, src_lang="en", tgt_lang="de")
    check_partition(beads, len(src), len(tgt))
