from __future__ import annotations

import doctest

import pytest

import align.segment.textnorm
from align.segment.textnorm import detokenize, detokenize_lines, normalize_punctuation, tokenize


@pytest.mark.parametrize(
    ("tokens", "lang", "text"),
    [
        ("Fluss gekommen , was zu erklären ist .", "de", "Fluss gekommen, was zu erklären ist."),
        ("un flot de cotes d' altitude .", "fr", "un flot de cotes d'altitude."),
        ("Comment l' expliquer ?", "fr", "Comment l'expliquer ?"),
        ("the ( non-official ) estimates", "en", "the (non-official) estimates"),
        ("Мы готовы , т.е. согласны .", "ru", "Мы готовы, т.е. согласны."),
    ],
)
def test_detokenize_joins_punctuation_back(tokens: str, lang: str, text: str) -> None:
    assert detokenize(tokens, lang) == text


def test_detokenize_lines_keeps_one_line_per_line() -> None:
    lines = ["Mit 3 Bildern ", "", "Wie ist das zu erklären ? "]
    assert detokenize_lines(lines, "de-DE") == ["Mit 3 Bildern", "", "Wie ist das zu erklären?"]


def test_normalize_punctuation_folds_typographic_variants() -> None:
    assert normalize_punctuation("„Ja“ … sagte er", "de") == '"Ja" ... sagte er'
    assert normalize_punctuation("«Да»", "ru") == '"Да"'


def test_tokenize_splits_punctuation_without_escaping() -> None:
    assert tokenize('He said: "2.5 million, i.e. more."', "en") == [
        "He", "said", ":", '"', "2.5", "million", ",", "i.e.", "more", ".", '"',
    ]


def test_module_example_holds() -> None:
    assert doctest.testmod(align.segment.textnorm).failed == 0
