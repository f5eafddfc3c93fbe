"""Language tags: the five languages, and the code a locale, a language name or a URL query names."""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import parse_qsl, urlsplit

SUPPORTED_LANGS: Final[tuple[str, ...]] = ("de", "en", "es", "fr", "ru")

# "de", "de-DE", "de_DE", "de-DE1" (a switcher entry followed by its count) -> "de"
LOCALE: Final = re.compile(r"^(?P<lang>[a-z]{2})(?:[-_][A-Za-z]{2})?\d*$", re.IGNORECASE)
LANGUAGE_NAMES: Final[dict[str, str]] = {
    "deutsch": "de", "german": "de", "english": "en", "español": "es", "espanol": "es",
    "spanish": "es", "français": "fr", "francais": "fr", "french": "fr", "русский": "ru",
    "russian": "ru", "рус": "ru", "eng": "en", "deu": "de", "esp": "es", "fra": "fr",
}  # fmt: skip
# Query parameters that pick a language: ?lang=de, ?languageId=de_DE, ?selectedLocale=de
LANG_PARAMS: Final = frozenset({"lang", "language", "languageid", "locale", "selectedlocale", "hl"})


def lang_code(value: str | None) -> str | None:
    """``"de-DE"`` -> ``"de"`` when it is one of the supported languages, else None."""
    if not value:
        return None
    match = LOCALE.match(value.strip())
    lang = match.group("lang").lower() if match else LANGUAGE_NAMES.get(value.strip().casefold())
    return lang if lang in SUPPORTED_LANGS else None


def query_lang(url: str) -> str | None:
    """The language a URL's query asks for (``?lang=fr``, ``?languageId=fr_FR``), else None."""
    for key, value in parse_qsl(urlsplit(url).query):
        if key.lower() in LANG_PARAMS:
            return lang_code(value)
    return None
