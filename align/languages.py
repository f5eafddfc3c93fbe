"""What align knows of its languages: which five it supports, the code a tag names, Latin letters, month names.

``scrapers.langtags.SUPPORTED_LANGS`` is scrapers' own copy of the list, because
scrapers never imports align; tests/align/test_languages.py keeps the two equal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import cache
from typing import Final

SUPPORTED_LANGS: Final[tuple[str, ...]] = ("de", "en", "es", "fr", "ru")

_CYRILLIC_TO_LATIN: Final[dict[str, str]] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}  # fmt: skip
_TRANSLITERATION_TABLE: Final = str.maketrans({**_CYRILLIC_TO_LATIN, "ß": "ss"})
# accents left apart by NFKD: "e\u0301" -> "e"
COMBINING_MARK_RE: Final = re.compile(r"[\u0300-\u036f]")


def primary_language(tag: str) -> str:
    """The base code of a language tag: ``"en-GB"`` / ``"EN_us"`` / ``" ru "`` -> ``"en"`` / ``"en"`` / ``"ru"``."""
    return tag.strip().replace("_", "-").split("-")[0].lower()


def transliterate(text: str) -> str:
    """Lowercase, Cyrillic to Latin, ß to ss, accents removed: ``"Лавров Éyrault"`` -> ``"lavrov eyrault"``.

    Russian letters follow ALA-LC without its diacritics (``й`` -> ``i``, ``ю`` -> ``iu``,
    ``я`` -> ``ia``). The anchors scorer's cognates and names and the study's spelling
    likeness both compare texts through this one function.
    """
    lowered = text.lower().translate(_TRANSLITERATION_TABLE)
    return COMBINING_MARK_RE.sub("", unicodedata.normalize("NFKD", lowered))


@cache
def month_names(locale: str) -> Mapping[str, int]:
    """CLDR's full month names in ``locale`` (format and stand-alone forms, so Russian's genitive) -> month.

    scrapers.extract.dates reads the same names for itself: scrapers never imports align.

    >>> month_names("ru")["октября"], month_names("ru")["октябрь"], month_names("de_AT")["Jänner"]
    (10, 10, 1)
    """
    from babel import Locale

    months = Locale.parse(locale).months
    return {name: number for context in ("format", "stand-alone") for number, name in months[context]["wide"].items()}
