"""Multi-way units: known small cases, the consensus vote, and hypothesis properties.

The pairwise alignments come from ``tests/align/multiway_helpers.py`` (scripted
bead lists or a tiny length DP), so these tests pin the unit logic itself,
whatever the pairwise aligner does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.errors import InputError
from align.evaluate import score_many
from align.multiway.consensus import consensus_beads, link_votes
from align.multiway.units import Unit, align_multiway, choose_pivot, pair_beads
from align.pairwise.beads import Bead
from tests.align.multiway_helpers import ScriptedAligner, length_aligner, links


def texts_of(sizes: Mapping[str, int]) -> dict[str, list[str]]:
    return {lang: [f"{lang} sentence {i}." for i in range(n)] for lang, n in sizes.items()}


def one_to_one(n: int, score: float = 0.9) -> list[Bead]:
    return [Bead((i,), (i,), score) for i in range(n)]


def sides(units: Sequence[Unit], langs: Sequence[str]) -> list[tuple[tuple[int, ...], ...]]:
    return [tuple(unit.side(lang) for lang in langs) for unit in units]


def bead_pairs(beads: Sequence[Bead]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.src, b.tgt) for b in beads]


# --- pivot ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("langs", "preferred", "pivot"),
    [
        (["de", "en", "ru"], "ru", "ru"),  # the original language when known
        (["de", "en", "ru"], None, "en"),  # else English
        (["de", "en", "ru"], "es", "en"),  # an absent preference falls back
        (["fr", "de"], None, "fr"),  # else the first language
    ],
)
def test_choose_pivot(langs: list[str], preferred: str | None, pivot: str) -> None:
    assert choose_pivot(langs, preferred) == pivot


def test_choose_pivot_without_languages_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="no language version to align"):
        choose_pivot([])


def test_the_pivot_is_source_of_every_pivot_pair_and_only_pivot_pairs_without_consensus() -> None:
    aligner = ScriptedAligner({})
    align_multiway(texts_of({"de": 2, "ru": 2, "en": 2}), pivot="ru", consensus=False, pair_aligner=aligner)
    assert sorted(aligner.calls) == [("ru", "de"), ("ru", "en")]


def test_consensus_also_aligns_every_non_pivot_pair_once() -> None:
    aligner = ScriptedAligner({})
    align_multiway(texts_of({"de": 2, "ru": 2, "en": 2, "fr": 2}), pivot="ru", pair_aligner=aligner)
    assert sorted(aligner.calls) == [("de", "en"), ("de", "fr"), ("en", "fr"), ("ru", "de"), ("ru", "en"), ("ru", "fr")]


# --- known small cases ------------------------------------------------------------------------------

LANGS = ["en", "de", "fr"]


@pytest.mark.parametrize("consensus", [False, True])
def test_a_two_one_merge_in_one_language(consensus: bool) -> None:
    aligner = ScriptedAligner(
        {
            ("en", "de"): [Bead((0,), (0,), 0.9), Bead((1, 2), (1,), 0.9)],
            ("en", "fr"): one_to_one(3),
            ("de", "fr"): [Bead((0,), (0,), 0.9), Bead((1,), (1, 2), 0.9)],
        }
    )
    units = align_multiway(texts_of({"en": 3, "de": 2, "fr": 3}), consensus=consensus, pair_aligner=aligner)
    assert sides(units, LANGS) == [((0,), (0,), (0,)), ((1, 2), (1,), (1, 2))]
    assert bead_pairs(pair_beads(units, "de", "fr")) == [((0,), (0,)), ((1,), (1, 2))]


@pytest.mark.parametrize("consensus", [False, True])
def test_an_addition_in_one_language_gets_its_own_unit_in_order(consensus: bool) -> None:
    aligner = ScriptedAligner(
        {
            ("en", "de"): [Bead((0,), (0,), 0.9), Bead((), (1,), 0.9), Bead((1,), (2,), 0.9)],
            ("en", "fr"): one_to_one(2),
            ("de", "fr"): [Bead((0,), (0,), 0.9), Bead((1,), (), 0.9), Bead((2,), (1,), 0.9)],
        }
    )
    units = align_multiway(texts_of({"en": 2, "de": 3, "fr": 2}), consensus=consensus, pair_aligner=aligner)
    assert sides(units, LANGS) == [((0,), (0,), (0,)), ((), (1,), ()), ((1,), (2,), (1,))]
    assert bead_pairs(pair_beads(units, "de", "fr")) == [((0,), (0,)), ((1,), ()), ((2,), (1,))]
    assert bead_pairs(pair_beads(units, "en", "fr")) == [((0,), (0,)), ((1,), (1,))]  # the empty unit is dropped


@pytest.mark.parametrize("consensus", [False, True])
def test_an_omission_in_one_language_leaves_its_side_empty(consensus: bool) -> None:
    aligner = ScriptedAligner(
        {
            ("en", "de"): one_to_one(3),
            ("en", "fr"): [Bead((0,), (0,), 0.9), Bead((1,), (), 0.9), Bead((2,), (1,), 0.9)],
            ("de", "fr"): [Bead((0,), (0,), 0.9), Bead((1,), (), 0.9), Bead((2,), (1,), 0.9)],
        }
    )
    units = align_multiway(texts_of({"en": 3, "de": 3, "fr": 2}), consensus=consensus, pair_aligner=aligner)
    assert sides(units, LANGS) == [((0,), (0,), (0,)), ((1,), (1,), ()), ((2,), (2,), (1,))]


def test_a_non_pivot_bead_spanning_two_pivot_beads_merges_them() -> None:
    aligner = ScriptedAligner({("en", "de"): [Bead((0, 1), (0,), 0.9)], ("en", "fr"): one_to_one(2)})
    units = align_multiway(texts_of({"en": 2, "de": 1, "fr": 2}), consensus=False, pair_aligner=aligner)
    assert sides(units, LANGS) == [((0, 1), (0,), (0, 1))]
    assert bead_pairs(pair_beads(units, "en", "fr")) == [((0, 1), (0, 1))]  # read off the unit, not the pivot bead


def test_the_same_addition_in_two_languages_becomes_one_unit() -> None:
    """The pivot lacks a sentence that de and fr both have: their additions share one unit."""
    texts = {
        "en": ["A short one.", "Another short sentence here."],
        "de": [
            "Ein kurzer.",
            "Dieser Satz fehlt im Englischen vollkommen und ist recht lang.",
            "Noch ein kurzer Satz hier.",
        ],
        "fr": [
            "Une courte.",
            "Cette phrase manque en anglais, elle est assez longue aussi.",
            "Encore une phrase courte.",
        ],
    }
    aligner = ScriptedAligner(
        {
            ("en", "de"): [Bead((0,), (0,), 0.9), Bead((), (1,), 0.9), Bead((1,), (2,), 0.9)],
            ("en", "fr"): [Bead((0,), (0,), 0.9), Bead((), (1,), 0.9), Bead((1,), (2,), 0.9)],
        }
    )
    units = align_multiway(texts, consensus=False, pair_aligner=aligner)
    assert sides(units, LANGS) == [((0,), (0,), (0,)), ((), (1,), (1,)), ((1,), (2,), (2,))]
    assert bead_pairs(pair_beads(units, "de", "fr")) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


def test_languages_without_sentences_get_empty_sides() -> None:
    units = align_multiway(texts_of({"en": 2, "de": 0, "fr": 2}), pair_aligner=ScriptedAligner({}))
    assert sides(units, LANGS) == [((0,), (), (0,)), ((1,), (), (1,))]
    assert align_multiway(texts_of({"en": 0, "de": 0}), pair_aligner=ScriptedAligner({})) == []


def test_a_single_language_gives_one_unit_per_sentence() -> None:
    units = align_multiway(texts_of({"ru": 3}), pair_aligner=ScriptedAligner({}))
    assert sides(units, ["ru"]) == [((0,),), ((1,),), ((2,),)]


def test_length_aligner_end_to_end_finds_a_merge() -> None:
    # English from the seed (/work/shared/seeds/000_17845c7145a80987.txt); German and French written for this test.
    texts = {
        "en": [
            "Ladies and gentlemen,",
            "We have held talks with Foreign Minister of France Jean-Marc Ayrault.",
            "We discussed Syria.",
            "We also discussed Ukraine.",
        ],
        "de": [
            "Meine Damen und Herren,",
            "Wir haben Gespräche mit dem französischen Außenminister Jean-Marc Ayrault geführt.",
            "Wir haben über Syrien und auch über die Ukraine gesprochen.",
        ],
        "fr": [
            "Mesdames et messieurs,",
            "Nous avons eu des entretiens avec le ministre français Jean-Marc Ayrault.",
            "Nous avons parlé de la Syrie.",
            "Nous avons aussi parlé de l'Ukraine.",
        ],
    }
    units = align_multiway(texts, pair_aligner=length_aligner)
    assert sides(units, LANGS) == [((0,), (0,), (0,)), ((1,), (1,), (1,)), ((2, 3), (2,), (2, 3))]
    assert all(0.0 <= unit.score <= 1.0 for unit in units)


# --- the extra languages as evidence ----------------------------------------------------------------

FIVE = ["en", "de", "es", "fr", "ru"]


def five_way(en_de: list[Bead]) -> ScriptedAligner:
    """Four sentences each, truly 1-1 everywhere; only the en-de alignment is scripted by the test."""
    scripted: dict[tuple[str, str], list[Bead]] = {("en", "de"): en_de}
    for a in FIVE:
        for b in FIVE:
            if a < b and {a, b} != {"en", "de"}:
                scripted[(a, b)] = one_to_one(4)
    return ScriptedAligner(scripted)


def test_consensus_overrules_a_doubtful_pivot_link_the_other_languages_contradict() -> None:
    wrong = [Bead((0, 1), (0,), 0.3), Bead((2,), (1, 2), 0.3), Bead((3,), (3,), 0.9)]
    units = align_multiway(texts_of({lang: 4 for lang in FIVE}), pair_aligner=five_way(wrong))
    assert bead_pairs(pair_beads(units, "en", "de")) == [((i,), (i,)) for i in range(4)]
    assert units[0].pair_scores[("en", "de")] == 0.0  # the direct en-de alignment does not support the fix
    assert units[3].score == pytest.approx(0.9)


def test_pivot_only_keeps_the_pivot_alignment() -> None:
    wrong = [Bead((0, 1), (0,), 0.3), Bead((2,), (1, 2), 0.3), Bead((3,), (3,), 0.9)]
    units = align_multiway(texts_of({lang: 4 for lang in FIVE}), consensus=False, pair_aligner=five_way(wrong))
    assert bead_pairs(pair_beads(units, "en", "de")) == [((0, 1), (0,)), ((2,), (1, 2)), ((3,), (3,))]


def test_one_dissenting_path_does_not_overrule_a_confident_pivot_link() -> None:
    scripted = {
        ("en", "de"): [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.9)],
        ("en", "fr"): one_to_one(2),
        ("de", "fr"): [Bead((0, 1), (0, 1), 0.9)],
    }
    units = align_multiway(texts_of({"en": 2, "de": 2, "fr": 2}), pair_aligner=ScriptedAligner(scripted))
    assert sides(units, LANGS) == [((0,), (0,), (0,)), ((1,), (1,), (1,))]
    # de-fr disagrees: the pair scores show it, and so the unit scores drop below full agreement
    assert units[0].pair_scores[("de", "fr")] == 0.0
    assert units[0].score == pytest.approx((0.9 + 0.9 + 0.0) / 3)


def test_unit_score_is_full_when_every_direct_alignment_agrees_with_confidence_one() -> None:
    scripted = {pair: one_to_one(3, 1.0) for pair in [("en", "de"), ("en", "fr"), ("de", "fr")]}
    units = align_multiway(texts_of({"en": 3, "de": 3, "fr": 3}), pair_aligner=ScriptedAligner(scripted))
    assert [unit.score for unit in units] == [1.0, 1.0, 1.0]


# --- properties ---------------------------------------------------------------------------------------

PROPERTY_LANGS = ["en", "de", "fr", "ru"]


@st.composite
def random_alignment(draw: st.DrawFn, n_src: int, n_tgt: int) -> list[Bead]:
    """Any complete monotone bead list with sides of at most 3 sentences."""
    beads, i, j = [], 0, 0
    while i < n_src or j < n_tgt:
        a = draw(st.integers(0, min(3, n_src - i)))
        b = draw(st.integers(0 if a else 1, min(3, n_tgt - j))) if j < n_tgt else 0
        if a == 0 and b == 0:
            a = 1
        beads.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b)), draw(st.floats(0, 1))))
        i, j = i + a, j + b
    return beads


@st.composite
def multiway_input(draw: st.DrawFn) -> tuple[dict[str, list[str]], ScriptedAligner]:
    langs = PROPERTY_LANGS[: draw(st.integers(2, 4))]
    sizes = {lang: draw(st.integers(0 if lang != "en" else 1, 7)) for lang in langs}
    scripted = {
        (a, b): draw(random_alignment(sizes[a], sizes[b]))
        for a in langs
        for b in langs
        if (a == "en" and b != "en") or ("en" not in (a, b) and a < b)
    }
    return texts_of(sizes), ScriptedAligner(scripted)


def assert_partition(units: Sequence[Unit], texts: Mapping[str, Sequence[str]]) -> None:
    """Every sentence of every language in exactly one unit, in order (= monotone), no empty unit."""
    for lang, sentences in texts.items():
        assert [i for unit in units for i in unit.side(lang)] == list(range(len(sentences)))
    assert all(any(unit.side(lang) for lang in texts) for unit in units)


@settings(max_examples=150, deadline=None)
@given(case=multiway_input(), consensus=st.booleans())
def test_units_partition_every_language_monotonically_whatever_the_pairwise_input(
    case: tuple[dict[str, list[str]], ScriptedAligner], consensus: bool
) -> None:
    texts, aligner = case
    units = align_multiway(texts, consensus=consensus, pair_aligner=aligner)
    assert_partition(units, texts)
    assert all(0.0 <= unit.score <= 1.0 for unit in units)


@settings(max_examples=150, deadline=None)
@given(case=multiway_input(), consensus=st.booleans())
def test_pair_beads_agree_with_the_units_and_compose(
    case: tuple[dict[str, list[str]], ScriptedAligner], consensus: bool
) -> None:
    texts, aligner = case
    units = align_multiway(texts, consensus=consensus, pair_aligner=aligner)
    langs = list(texts)
    for a in langs:
        for b in langs:
            if a == b:
                continue
            beads = pair_beads(units, a, b)
            assert [i for bead in beads for i in bead.src] == list(range(len(texts[a])))
            assert [j for bead in beads for j in bead.tgt] == list(range(len(texts[b])))
            assert links(beads) == {(s, t) for unit in units for s in unit.side(a) for t in unit.side(b)}
            assert bead_pairs(pair_beads(units, b, a)) == [(t, s) for s, t in bead_pairs(beads)]
    # composing a->b and b->c gives the a-c links of every unit that has a b side
    if len(langs) >= 3:
        a, b, c = langs[1], langs[0], langs[2]
        a_b, b_c = links(pair_beads(units, a, b)), links(pair_beads(units, b, c))
        composed = {(s, u) for s, t in a_b for t2, u in b_c if t == t2}
        through_b = {(s, u) for unit in units if unit.side(b) for s in unit.side(a) for u in unit.side(c)}
        assert composed == through_b
        assert composed <= links(pair_beads(units, a, c))


@st.composite
def gold_units(draw: st.DrawFn) -> tuple[dict[str, list[str]], list[dict[str, tuple[int, ...]]]]:
    """Gold units with a pivot (en) side of 1-2 sentences, other sides 0-2, and single-language additions."""
    langs = PROPERTY_LANGS[: draw(st.integers(2, 4))]
    adder = langs[-1]
    counters = dict.fromkeys(langs, 0)
    units: list[dict[str, tuple[int, ...]]] = []

    def take(lang: str, n: int) -> tuple[int, ...]:
        start = counters[lang]
        counters[lang] += n
        return tuple(range(start, start + n))

    for _ in range(draw(st.integers(1, 8))):
        if draw(st.booleans()) and draw(st.booleans()):
            units.append({adder: take(adder, 1)})
        pivot_size = draw(st.integers(1, 2))
        others = {lang: draw(st.integers(0, 2)) for lang in langs[1:]}
        if pivot_size == 2 and not any(others.values()):
            others[langs[1]] = 1
        units.append({"en": take("en", pivot_size), **{lang: take(lang, n) for lang, n in others.items()}})
    return texts_of(counters), units


@settings(max_examples=150, deadline=None)
@given(case=gold_units(), consensus=st.booleans())
def test_gold_pairwise_alignments_give_back_the_gold_units_and_eval_is_one(
    case: tuple[dict[str, list[str]], list[dict[str, tuple[int, ...]]]], consensus: bool
) -> None:
    texts, gold = case
    gold_as_units = [Unit(sents, 1.0) for sents in gold]
    langs = list(texts)
    scripted = {(a, b): pair_beads(gold_as_units, a, b) for a in langs for b in langs if a < b or a == "en"}
    units = align_multiway(texts, consensus=consensus, pair_aligner=ScriptedAligner(scripted))
    non_empty = [{lang: ids for lang, ids in sents.items() if ids} for sents in gold]
    assert [{lang: unit.side(lang) for lang in langs if unit.side(lang)} for unit in units] == non_empty
    for a in langs:
        for b in langs:
            gold_beads = pair_beads(gold_as_units, a, b)
            if a != b and any(bead.src and bead.tgt for bead in gold_beads):
                scores = score_many([(pair_beads(units, a, b), gold_beads)])
                assert scores.strict.f1 == scores.lax.f1 == 1.0
    assert all(unit.score == 1.0 for unit in units)  # every direct alignment agrees, with confidence 1


def test_a_pair_aligner_that_skips_a_sentence_is_refused() -> None:
    aligner = ScriptedAligner({})

    def broken(src: Sequence[str], tgt: Sequence[str], **kwargs: object) -> list[Bead]:
        return aligner(src, tgt, **kwargs)[1:]  # type: ignore[arg-type]

    with pytest.raises(ValueError, match="the en-de pair aligner returned beads that do not cover every sentence"):
        align_multiway(texts_of({"en": 2, "de": 2}), pair_aligner=broken)


def test_link_votes_by_hand() -> None:
    direct = {
        ("en", "de"): [Bead((0,), (0, 1), 0.5)],
        ("en", "fr"): [Bead((0,), (0,), 1.0)],
        ("de", "fr"): [Bead((0,), (0,), 1.0), Bead((1,), (), 1.0)],
    }
    # direct en->de weighs 1 + 0.5; the path en->fr->de (stored de-fr, read backwards) weighs 1 and reaches de 0 only
    assert link_votes("en", "de", direct, ["en", "de", "fr"], 1) == {(0, 0): 1.0, (0, 1): pytest.approx(0.6)}
    # a language without a counterpart abstains instead of voting "no link"
    abstaining = {**direct, ("en", "fr"): [Bead((0,), (), 1.0), Bead((), (0,), 1.0)]}
    assert link_votes("en", "de", abstaining, ["en", "de", "fr"], 1) == {(0, 0): 1.0, (0, 1): 1.0}


def test_a_sentence_glued_on_by_other_pairs_does_not_outvote_a_direct_omission() -> None:
    # es omits en 1; the direct en-es alignment leaves it out, de-es glues de 1 (= en 1) onto es 1
    direct = {
        ("en", "es"): [Bead((0,), (0,), 0.5), Bead((1,), (), 0.5), Bead((2,), (1,), 0.5)],
        ("en", "de"): [Bead((0,), (0,), 1.0), Bead((1,), (1,), 1.0), Bead((2,), (2,), 1.0)],
        ("de", "es"): [Bead((0,), (0,), 1.0), Bead((1, 2), (1,), 1.0)],
    }
    votes = link_votes("en", "es", direct, ["en", "es", "de"], 3)
    # the path en 1 -> de 1 -> es 1 runs through a 2-1 bead: it weighs 1/2 against the direct 1 + 0.5
    assert votes[(1, 1)] == pytest.approx(0.5 / 2.0)
    assert votes[(2, 1)] == pytest.approx(1.0)
    beads = consensus_beads("en", "es", direct, ["en", "es", "de"], 3, 2, 3)
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,)), ((1,), ()), ((2,), (1,))]
