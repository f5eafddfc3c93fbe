"""align.languages: the one home of what align knows of its languages."""

from __future__ import annotations

import pytest

from align import languages
from align.scorers import features
from align.study._spelling import fold
from scrapers.langtags import SUPPORTED_LANGS as SCRAPERS_LANGS


def test_align_and_scrapers_support_the_same_languages() -> None:
    # two copies on purpose: scrapers never imports align
    assert languages.SUPPORTED_LANGS == SCRAPERS_LANGS


@pytest.mark.parametrize(
    ("tag", "code"), [("de", "de"), ("de-DE", "de"), ("EN_us", "en"), (" ru ", "ru"), ("zh-Hant-TW", "zh")]
)
def test_primary_language_of_a_tag(tag: str, code: str) -> None:
    assert languages.primary_language(tag) == code


def test_one_transliteration_serves_the_anchors_and_the_study() -> None:
    assert features.transliterate is languages.transliterate
    assert languages.transliterate("Йошкар-Ола, Юрий, Ярославль") == "ioshkar-ola, iurii, iaroslavl"
    # the study's spelling likeness folds the other habits (y, j, w) onto the same letters
    assert fold("Юрий Лавров") == fold("Yuriy Lavrov") == fold("Jurij Lawrow") == "iuriilavrov"
    assert fold("Straße") == fold("Strasse")


def test_month_anchors_are_cldr_names_transliterated() -> None:
    months = features.MONTHS
    assert {months[word] for word in ("oktiabria", "oktiabr", "oktober", "octobre", "octubre", "october")} == {10}
    assert months["marz"] == months["marta"] == 3 and months["aout"] == 8
    assert months["mai"] == months["maia"] == months["mayo"] == 5 and "may" not in months  # English "may" is a verb
    assert not {"jan", "oct", "okt", "janv"} & months.keys()  # no abbreviations: too many false anchors
    assert len(months) == 65


def test_german_ordinal_before_any_german_month_name() -> None:
    from align.segment.sentences import split_sentences

    for month in ("Jänner", "März", "Dezember"):
        assert split_sentences(f"Wir trafen uns am 19. {month} in Wien. Danke.", "de") == [
            f"Wir trafen uns am 19. {month} in Wien.",
            "Danke.",
        ]
