from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import align.segment.sentences
from align.segment.sentences import SUPPORTED_LANGS, Sentence, segment_paragraphs, split_sentences

SEGMENTATION_SET = Path(__file__).parent / "data" / "segmentation"


def gold_paragraphs(lang: str) -> list[list[str]]:
    """The blocks of ``<lang>.txt``: one list of gold sentences per paragraph."""
    text = (SEGMENTATION_SET / f"{lang}.txt").read_text(encoding="utf-8")
    return [block.strip().split("\n") for block in text.split("\n\n") if block.strip()]


CASES = [
    pytest.param(lang, gold, id=f"{lang}-{number}")
    for lang in SUPPORTED_LANGS
    for number, gold in enumerate(gold_paragraphs(lang))
]


@pytest.mark.parametrize(("lang", "gold"), CASES)
def test_segmentation_set_is_split_exactly(lang: str, gold: list[str]) -> None:
    assert split_sentences(" ".join(gold), lang) == gold


@pytest.mark.parametrize("lang", SUPPORTED_LANGS)
def test_segmentation_set_is_large_enough(lang: str) -> None:
    assert sum(len(gold) for gold in gold_paragraphs(lang)) >= 40


@pytest.mark.parametrize(
    ("lang", "paragraph", "expected"),
    [
        ("ru", "Встреча в г. Москве. Это было в 2016 г. Потом всё изменилось.",
         ["Встреча в г. Москве.", "Это было в 2016 г.", "Потом всё изменилось."]),
        ("ru", "Объём составил 2 млрд. долл. США. Это рекорд.", ["Объём составил 2 млрд. долл. США.", "Это рекорд."]),
        ("de", "Das war vor 2016. Danach kam es anders.", ["Das war vor 2016.", "Danach kam es anders."]),
        ("de", "Er kam am 3. Mai. Danach ging er.", ["Er kam am 3. Mai.", "Danach ging er."]),
        ("en", "Has it been set? No. We are working.", ["Has it been set?", "No.", "We are working."]),
        ("en", "See No. 5 and art. 3 for details.", ["See No. 5 and art. 3 for details."]),
        ("fr", "Il a dit. « Nous verrons. » Puis il est parti.", ["Il a dit.", "« Nous verrons. »", "Puis il est parti."]),
        ("es", "¿Vendrá? ¡Claro! «Sí», dijo.", ["¿Vendrá?", "¡Claro!", "«Sí», dijo."]),
        ("en", "lower. case stays together.", ["lower. case stays together."]),
    ],
)
def test_rules_that_decide_between_two_readings(lang: str, paragraph: str, expected: list[str]) -> None:
    assert split_sentences(paragraph, lang) == expected


@pytest.mark.parametrize("lang", ["it", "pl", "de-DE", "EN", "pt_BR"])
def test_other_language_codes_get_rules_not_errors(lang: str) -> None:
    assert split_sentences("Dr. Rossi arrived. The talks began. Dr. Nowak joined.", lang) == [
        "Dr. Rossi arrived.",
        "The talks began.",
        "Dr. Nowak joined.",
    ]


def test_sentences_never_cross_a_paragraph() -> None:
    paragraphs = ["Meeting with Mr.", "Ayrault took place. It was useful", "", "  ", "Thanks."]
    assert segment_paragraphs(paragraphs, "en") == [
        Sentence(0, "Meeting with Mr."),
        Sentence(1, "Ayrault took place."),
        Sentence(1, "It was useful"),
        Sentence(4, "Thanks."),
    ]


WORDS = st.sampled_from(
    ["Mr.", "S.V.Lavrov", "the", "talks", "etc.", "2.5", "am", "19.", "Oktober", "1.", "(Applause.)", "«Да».",
     "?!", "…", "He", "said", "“Yes.”", "No.", "т.е.", "Г-н", "z. B.", "\u00a0»", "A", "", "\n"]
)


@given(st.lists(WORDS, max_size=30), st.sampled_from([*SUPPORTED_LANGS, "it"]))
def test_sentences_are_the_paragraph_cut_at_whitespace(words: list[str], lang: str) -> None:
    assert_cut_at_whitespace(" ".join(words), lang)


PUNCTUATION_HEAVY = st.one_of(st.sampled_from(list(".!?…»”“\"’')]([«„¿¡–- \u00a0\n\tAzЯё1ºг")), st.characters(codec="utf-8"))


@given(st.text(alphabet=PUNCTUATION_HEAVY, max_size=80), st.sampled_from([*SUPPORTED_LANGS, "it"]))
def test_any_text_is_cut_at_whitespace_only(paragraph: str, lang: str) -> None:
    assert_cut_at_whitespace(paragraph, lang)


def assert_cut_at_whitespace(paragraph: str, lang: str) -> None:
    position = 0
    for sentence in split_sentences(paragraph, lang):
        assert sentence and sentence == sentence.strip()
        found = paragraph.find(sentence, position)
        assert found >= 0 and not paragraph[position:found].strip()
        position = found + len(sentence)
    assert not paragraph[position:].strip()


def test_module_example_holds() -> None:
    assert doctest.testmod(align.segment.sentences).failed == 0
