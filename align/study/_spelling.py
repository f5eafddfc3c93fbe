"""Spelling comparison across scripts: Russian transliterated, Latin spelling habits folded."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Final

from align.languages import transliterate

SOFT_ENDINGS: Final = "аеёиоуыэюяйьaeiouy"

# Spelling differences between Latin-script transliteration habits, folded away before comparing
# ("Lawrow" and "Lavrov", "Sergej" and "Sergey", "Castello" and "Kastello", "Syria" and "Siria").
LATIN_FOLDS: Final = str.maketrans({"w": "v", "j": "i", "y": "i", "c": "k", "q": "k"})

# Greek theta and phi reach Russian as ф ("Руфь" = Ruth, "Филипп" = Philipp).
LATIN_DIGRAPHS: Final = re.compile(r"th|ph")


def stem(word: str) -> str:
    """Drop one soft final letter of a word longer than four ("Сирия" -> "Сири", "Путина" -> "Путин")."""
    return word[:-1] if len(word) > 4 and word[-1].lower() in SOFT_ENDINGS else word


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lowercase Latin letters only: Cyrillic transliterated, ß as ss, accents and punctuation dropped."""
    letters = "".join(char for char in transliterate(text) if char.isalnum() and not unicodedata.combining(char))
    return LATIN_DIGRAPHS.sub("f", letters).translate(LATIN_FOLDS)


class Likeness:
    """Spelling similarity (difflib ratio of folded letters) of many texts to one reference."""

    def __init__(self, reference: str) -> None:
        self._matcher = SequenceMatcher(None, autojunk=False)
        self._matcher.set_seq2(fold(reference))  # difflib caches its analysis of the second sequence

    def to(self, text: str) -> float:
        self._matcher.set_seq1(fold(text))
        return self._matcher.ratio()
