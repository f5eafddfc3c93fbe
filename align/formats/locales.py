"""ISO 639-1 codes of the frames -> the full locales CAT tools expect in TMX.

The frames store bare language codes (``ru``); TMX tools match languages by
locale, so exports write ``ru-RU``, ``en-GB``, ``de-DE``, ``fr-FR``,
``es-ES`` by default (mid.ru publishes British English and European Spanish).
A user overrides one with ``--locale en=en-US``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final

from align.errors import InputError
from align.languages import primary_language

DEFAULT_LOCALES: Final[Mapping[str, str]] = {
    "ru": "ru-RU",
    "en": "en-GB",
    "de": "de-DE",
    "fr": "fr-FR",
    "es": "es-ES",
}

# A BCP 47 tag as TMX uses it: "en-US", "pt-BR", "zh-Hant-TW", "ru"
LOCALE_TAG: Final = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
# One override as typed on the command line: "en=en-US"
OVERRIDE: Final = re.compile(r"^\s*([A-Za-z]{2,3})\s*=\s*(\S+)\s*$")


def parse_locale_overrides(values: Iterable[str]) -> dict[str, str]:
    """Parse ``["en=en-US", "es=es-MX"]`` into ``{"en": "en-US", "es": "es-MX"}``.

    Raises
    ------
    InputError
        An item is not ``LANG=LOCALE`` or the locale is of another language.
    """
    overrides: dict[str, str] = {}
    for value in values:
        match = OVERRIDE.match(value)
        if not match or not LOCALE_TAG.match(match.group(2)):
            raise InputError(f"`--locale {value}`: expected LANG=LOCALE, e.g. `--locale en=en-US`")
        lang, tag = match.group(1).lower(), match.group(2).replace("_", "-")
        if primary_language(tag) != lang:
            raise InputError(f"`--locale {value}`: locale {tag} is not a locale of `{lang}`")
        overrides[lang] = tag
    return overrides


def locale_for(lang: str, overrides: Mapping[str, str] | None = None) -> str:
    """Full locale of ``lang``: an override, else the default, else the bare code."""
    lang = lang.lower()
    if overrides and lang in overrides:
        return overrides[lang]
    return DEFAULT_LOCALES.get(lang, lang)
