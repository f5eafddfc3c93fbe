"""ISO 639-1 -> full locales for TMX."""

from __future__ import annotations

import pytest

from align.errors import InputError
from align.formats.locales import locale_for, parse_locale_overrides
from align.languages import primary_language


@pytest.mark.parametrize(
    ("lang", "locale"),
    [("ru", "ru-RU"), ("en", "en-GB"), ("de", "de-DE"), ("fr", "fr-FR"), ("es", "es-ES"), ("it", "it")],
)
def test_defaults(lang: str, locale: str) -> None:
    assert locale_for(lang) == locale


def test_overrides() -> None:
    overrides = parse_locale_overrides(["en=en-US", " es = es_MX "])
    assert overrides == {"en": "en-US", "es": "es-MX"}
    assert locale_for("en", overrides) == "en-US" and locale_for("ru", overrides) == "ru-RU"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("en", "expected LANG=LOCALE"),
        ("en=en US", "expected LANG=LOCALE"),
        ("en=de-DE", "not a locale of `en`"),
    ],
)
def test_bad_overrides(value: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_locale_overrides([value])


@pytest.mark.parametrize(
    ("tag", "lang"), [("en-GB", "en"), ("EN_us", "en"), ("ru", "ru"), ("zh-Hant-TW", "zh")]
)
def test_primary_language(tag: str, lang: str) -> None:
    assert primary_language(tag) == lang
