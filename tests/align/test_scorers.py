"""Scorer registry, model-free features and the anchors cost."""

from __future__ import annotations

import doctest
import math
from dataclasses import replace

import numpy as np
import pytest

import align.scorers
import align.scorers.base
from align.errors import InputError
from align.scorers import anchor_matrix, available_scorers, get_scorer
from align.scorers.anchor_matrix import AnchorMatrix
from align.scorers.anchors import AnchorWeights, log_erfc
from align.scorers.embedding import EmbeddingWeights
from align.scorers.features import (
    anchor_features,
    char_length,
    is_fragment,
    junk_score,
    numbers,
    transliterate,
)
from align.scorers.lexicon import learn_lexicon
from tests.align.sample_texts import DE, EN, RU, omissions_found


def test_registry_lists_the_model_free_scorers() -> None:
    assert {"anchors", "length"} <= set(available_scorers())


def test_unknown_scorer_names_the_choices() -> None:
    with pytest.raises(InputError, match=r"unknown scorer `bert`\. Hint: choose one of anchors, length"):
        get_scorer("bert")


def test_scorer_params_are_recorded() -> None:
    scorer = get_scorer("anchors", weights=AnchorWeights(skip=2.5))
    assert scorer.name == "anchors"
    assert scorer.params()["skip"] == 2.5
    assert get_scorer("length").params()["anchor"] == 0.0


def test_bad_scorer_params_are_an_input_error() -> None:
    with pytest.raises(InputError, match=r"scorer `anchors`: bad parameters \['colour'\]"):
        get_scorer("anchors", colour=1.0)


def test_another_scorers_weights_are_an_input_error() -> None:
    with pytest.raises(InputError, match=r"bad parameters \['weights'\] \(weights must be AnchorWeights"):
        get_scorer("anchors", weights=EmbeddingWeights())
    with pytest.raises(InputError, match=r"weights must be EmbeddingWeights, got AnchorWeights"):
        get_scorer("embedding", weights=AnchorWeights())


def test_default_weights_are_the_tuned_values() -> None:
    """The defaults as they were when the weights were keyword bags: a change here changes every alignment."""
    assert get_scorer("anchors").params() == {
        "variance": 6.8, "anchor": 4.0, "smoothing": 2.0, "mismatch": 0.5, "merge": 1.6, "skip": 4.0,
        "junk_discount": 0.5, "one_sided": 1.0, "coverage": 1.0, "coverage_floor": 0.3, "fragment_merge": 1.0,
        "second_pass": True,
    }  # fmt: skip
    assert get_scorer("length").params() == {**get_scorer("anchors").params(), "anchor": 0.0}


def test_registry_and_base_doctests_run() -> None:
    for module in (align.scorers, align.scorers.base):
        assert doctest.testmod(module).attempted > 0
        assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize(
    ("text", "latin"),
    [("Лавров", "lavrov"), ("Жан-Марк Эйро", "zhan-mark eiro"), ("Éyrault daß", "eyrault dass")],
)
def test_transliterate(text: str, latin: str) -> None:
    assert transliterate(text) == latin


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("8 848,6 m", ["8848,6"]),
        ("1881-1902", ["1881", "1902"]),
        ("am 19. Oktober 2016", ["19", "2016"]),
        ("12,000 people", ["12000"]),
        ("no digits", []),
    ],
)
def test_numbers(text: str, found: list[str]) -> None:
    assert numbers(text) == found


def test_names_match_across_scripts() -> None:
    shared = set(anchor_features(EN[1])) & set(anchor_features(RU[1]))
    assert {"num:19", "cog:vladi", "cog:putin"} <= shared


def test_char_length_ignores_tokenisation_spaces() -> None:
    assert char_length("Fluss gekommen , was") == char_length("Fluss gekommen, was")


@pytest.mark.parametrize(
    ("line", "junk"),
    [("1Ê+ :", 1.0), ("**&gt;", 1.0), ("Mit 3 Bildern", 1.0), ("Mit 3 Bildern und Karten", 0.75), (EN[0], 0.0),
     # short dialogue replies are whole sentences, half as forgivable as fragments ("C).", "h * ")
     ("Ja.", 0.5), ("— Oui.", 0.5), ("„Bereit?“", 0.5), ("C).", 1.0), ("Literatur:", 1.0),
     # French spacing before the mark, plain or narrow no-break; Spanish opening marks
     ("— Froid ?", 0.5), ("— Froid\u202f?", 0.5), ("« Oui ! »", 0.5), ("Fig. 3", 1.0), ("« Vraiment ! »", 0.5),
     ("— ¿Frío?", 0.5), ("? !", 1.0)],
)
def test_junk_score(line: str, junk: float) -> None:
    assert junk_score(line) == junk


@pytest.mark.parametrize(("other", "lang"), [(DE, "de"), (RU, "ru")])
@pytest.mark.parametrize("name", ["anchors", "length"])
def test_translations_cost_less_than_other_pairs(name: str, other: list[str], lang: str) -> None:
    scores = get_scorer(name).prepare(EN, other, src_lang="en", tgt_lang=lang)
    ends = np.arange(1, len(EN) + 1)
    right = scores.cost(1, 1, ends, ends)
    wrong = scores.cost(1, 1, ends, np.roll(ends, 3))
    assert np.mean(right) < np.mean(wrong)
    assert np.sum(right < wrong) >= len(EN) - 2


def test_anchors_prefer_the_pair_that_shares_numbers_and_names() -> None:
    scores = get_scorer("anchors").prepare(EN, RU, src_lang="en", tgt_lang="ru")
    with_names = scores.cost(1, 1, np.array([2]), np.array([2]))  # Putin, 19
    length = get_scorer("length").prepare(EN, RU, src_lang="en", tgt_lang="ru")
    assert with_names[0] < length.cost(1, 1, np.array([2]), np.array([2]))[0]


def test_skip_costs_less_for_junk_lines() -> None:
    scores = get_scorer("anchors").prepare(EN, ["1Ê+ :", DE[0]], src_lang="en", tgt_lang="de")
    junk_skip, sentence_skip = scores.cost(0, 1, np.array([0, 0]), np.array([1, 2]))
    assert junk_skip < sentence_skip


def synthetic_bead_words(count: int) -> list[tuple[frozenset[str], frozenset[str]]]:
    """Aligned word sets: "gipfel"/"sommet" together in every 4th bead, "der"/"le" in all."""
    beads = []
    for k in range(count):
        src = {"der", f"wort{k}"} | ({"gipfel"} if k % 4 == 0 else set())
        tgt = {"le", f"mot{k}"} | ({"sommet"} if k % 4 == 0 else set())
        beads.append((frozenset(src), frozenset(tgt)))
    return beads


def test_learned_lexicon_keeps_associated_words_only() -> None:
    lexicon = learn_lexicon(synthetic_bead_words(40))
    assert ("gipfel", "sommet") in lexicon
    assert ("der", "le") not in lexicon  # everywhere: no more often together than by chance
    assert ("wort1", "mot1") not in lexicon  # seen once


def test_too_few_beads_teach_no_lexicon() -> None:
    assert learn_lexicon(synthetic_bead_words(10)) == {}


def test_anchor_matrix_blocks_agree_with_the_whole_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    src = [anchor_features(s) for s in EN * 3]
    tgt = [anchor_features(s) for s in RU * 3]
    weights = {f: 1.0 + len(f) / 10 for feats in src + tgt for f in feats}
    whole = AnchorMatrix(src, tgt, weights)
    monkeypatch.setattr(anchor_matrix, "WHOLE_LIMIT", 0)
    monkeypatch.setattr(anchor_matrix, "BLOCK_LIMIT", 200)
    blocks = AnchorMatrix(src, tgt, weights)
    rng = np.random.default_rng(3)
    for _ in range(20):
        rows = rng.integers(0, 33, size=30)
        cols = np.clip(rows + rng.integers(-3, 4, size=30), 0, 32)  # near the diagonal: one block
        np.testing.assert_allclose(blocks.get(rows, cols), whole.get(rows, cols), rtol=1e-6)
    scattered = np.arange(33), np.arange(33)[::-1]  # too wide for a block: cell by cell
    np.testing.assert_allclose(blocks.get(*scattered), whole.get(*scattered), rtol=1e-6)
    assert whole.get(np.array([1]), np.array([1]))[0] > 0  # "Putin", "19" are shared


@pytest.mark.parametrize("text", ["October 19", "19 октября", "19 de octubre", "am 19. Oktober", "le 19 octobre"])
def test_dates_share_month_and_day_anchors(text: str) -> None:
    assert {"num:19", "mon:10"} <= set(anchor_features(text))


@pytest.mark.parametrize("z", [0.0, 0.3, 1.0, 2.5, 6.0, 20.0])
def test_log_erfc_matches_the_standard_library(z: float) -> None:
    assert log_erfc(np.array([z]))[0] == pytest.approx(math.log(math.erfc(z)), rel=1e-6, abs=1e-7)


def test_a_merge_pays_for_a_member_whose_anchors_the_other_side_lacks() -> None:
    src = [
        "President Putin will visit France on October 19.",
        "The Normandy format met in Berlin in 2015 and in Minsk in 2016.",
    ]
    tgt = ["Президент Путин посетит Францию 19 октября."]  # the second sentence is not translated
    with_coverage = get_scorer("anchors", weights=AnchorWeights(second_pass=False)).prepare(src, tgt, src_lang="en", tgt_lang="ru")
    without = get_scorer("anchors", weights=AnchorWeights(coverage=0.0, second_pass=False)).prepare(src, tgt, src_lang="en", tgt_lang="ru")
    i_end, j_end = np.array([2]), np.array([1])
    assert with_coverage.cost(2, 1, i_end, j_end)[0] > without.cost(2, 1, i_end, j_end)[0]
    # a one-to-one bead has no merged side to check
    assert with_coverage.cost(1, 1, np.array([1]), j_end)[0] == without.cost(1, 1, np.array([1]), j_end)[0]


def test_coverage_term_finds_at_least_as_many_omissions_as_without_it() -> None:
    assert omissions_found(get_scorer("anchors")) >= omissions_found(get_scorer("anchors", weights=AnchorWeights(coverage=0.0)))


def test_ocr_debris_is_a_fragment_and_text_is_not() -> None:
    assert [is_fragment(line) for line in (".....", "- _-", 'h * "', ".:--,.")] == [True] * 4
    assert [is_fragment(line) for line in ("Ja.", "1955", "(Traduit par L. S.)", "C 2")] == [False] * 4


def test_gluing_ocr_debris_into_a_bead_costs_fragment_merge() -> None:
    src = ["Le sommet fut atteint le 9 mai par Imanishi."]
    tgt = ["Den Gipfel erreichten am 9. Mai Imanishi und Gyaltsen.", "- _-"]
    weights = AnchorWeights(second_pass=False)
    plain = get_scorer("anchors", weights=weights).prepare(src, tgt, src_lang="fr", tgt_lang="de")
    with_term = get_scorer("anchors", weights=replace(weights, fragment_merge=1.0)).prepare(
        src, tgt, src_lang="fr", tgt_lang="de"
    )
    one, two = np.array([1]), np.array([2])
    assert with_term.cost(1, 2, one, two)[0] == pytest.approx(plain.cost(1, 2, one, two)[0] + 1.0)
    # the 1-1 bead and leaving the debris out cost the same as before
    assert with_term.cost(1, 1, one, one)[0] == plain.cost(1, 1, one, one)[0]
    assert with_term.cost(0, 1, np.array([1]), two)[0] == plain.cost(0, 1, np.array([1]), two)[0]
