"""What align knows of its languages: Latin letters for texts in any of them."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

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


def transliterate(text: str) -> str:
    """Lowercase, Cyrillic to Latin, ß to ss, accents removed: ``"Лавров Éyrault"`` -> ``"lavrov eyrault"``.

    Russian letters follow ALA-LC without its diacritics (``й`` -> ``i``, ``ю`` -> ``iu``,
    ``я`` -> ``ia``). The anchors scorer's cognates and names and the study's spelling
    likeness both compare texts through this one function.
    """
    lowered = text.lower().translate(_TRANSLITERATION_TABLE)
    return COMBINING_MARK_RE.sub("", unicodedata.normalize("NFKD", lowered))
