"""Consistency of the sample site's five texts and their gold multi-way alignment.

The gold units are what alignment quality is measured against in tests and the demo,
so a wrong index here would silently skew every figure built on it.
"""

from __future__ import annotations

import json

import pytest

from scrapers.testing.sample_site import LANGS, SAMPLE_DIR

TEXTS_DIR = SAMPLE_DIR / "texts"
DOC_NUMBER = "1868-06-10-2016"


def _load_text(lang: str) -> dict:
    return json.loads((TEXTS_DIR / f"{lang}.json").read_text(encoding="utf-8"))


def _load_units() -> list[dict[str, list[int]]]:
    lines = (TEXTS_DIR / "gold_units.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _paragraph_of_sentence(text: dict) -> list[int]:
    """Paragraph index of every body sentence, in document order."""
    return [
        paragraph_index
        for paragraph_index, paragraph in enumerate(text["paragraphs"])
        for _ in paragraph["sentences"]
    ]


TEXTS = {lang: _load_text(lang) for lang in LANGS}
UNITS = _load_units()


def test_one_text_per_language_of_the_sample_site() -> None:
    assert sorted(path.stem for path in TEXTS_DIR.glob("*.json")) == sorted(LANGS)


@pytest.mark.parametrize("lang", LANGS)
def test_text_has_expected_fields(lang: str) -> None:
    text = TEXTS[lang]
    assert text["lang"] == lang
    assert text["doc_number"] == DOC_NUMBER
    for key in ("title", "date_old", "date_new"):
        assert isinstance(text[key], str) and text[key].strip() == text[key] != ""
    for paragraph in text["paragraphs"]:
        assert paragraph["kind"] in {"text", "heading"}
        assert paragraph["sentences"], "empty paragraph"
        for sentence in paragraph["sentences"]:
            assert sentence == sentence.strip() != ""


def test_paragraph_structure_is_parallel() -> None:
    kinds = {lang: [p["kind"] for p in TEXTS[lang]["paragraphs"]] for lang in LANGS}
    assert len({len(k) for k in kinds.values()}) == 1
    assert all(k == kinds["en"] for k in kinds.values())


def test_units_have_every_language_key() -> None:
    for number, unit in enumerate(UNITS):
        assert set(unit) == set(LANGS), f"unit {number}"
        assert any(unit[lang] for lang in LANGS), f"unit {number} is empty"


@pytest.mark.parametrize("lang", LANGS)
def test_every_sentence_in_exactly_one_unit_in_order(lang: str) -> None:
    sentence_count = len(_paragraph_of_sentence(TEXTS[lang]))
    indices = [index for unit in UNITS for index in unit[lang]]
    assert indices == list(range(sentence_count))


def test_each_unit_stays_inside_one_paragraph() -> None:
    paragraph_of = {lang: _paragraph_of_sentence(TEXTS[lang]) for lang in LANGS}
    for number, unit in enumerate(UNITS):
        paragraphs = {paragraph_of[lang][i] for lang in LANGS for i in unit[lang]}
        assert len(paragraphs) == 1, f"unit {number} spans paragraphs {sorted(paragraphs)}"


def _count(predicate) -> int:
    return sum(1 for unit in UNITS if predicate({lang: len(unit[lang]) for lang in LANGS}))


def test_documented_structural_differences_are_present() -> None:
    assert _count(lambda n: n["en"] == 2 and n["ru"] == 1) >= 2
    assert _count(lambda n: n["en"] == 1 and n["de"] == 2) >= 2
    assert _count(lambda n: n["fr"] == 1 and sum(n.values()) == 1) == 1
    assert _count(lambda n: n["es"] == 0 and all(n[l] == 1 for l in LANGS if l != "es")) == 1
    assert _count(lambda n: all(v == 2 for v in n.values())) >= 1
