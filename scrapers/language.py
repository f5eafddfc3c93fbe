"""Which of the five languages a text is written in (lingua, restricted to them).

The detector is built on first use and kept: building it loads lingua's
models, which must not happen at import time.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from scrapers.langtags import SUPPORTED_LANGS

if TYPE_CHECKING:
    from lingua import LanguageDetector

SAMPLE_CHARS: Final = 3000  # enough to be sure, short enough to stay fast on long briefings


@dataclass(frozen=True)
class LanguageGuess:
    """The language lingua finds most likely (ISO 639-1) and its confidence in [0, 1]."""

    lang: str
    confidence: float


@functools.lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in SUPPORTED_LANGS]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect_language(text: str) -> LanguageGuess | None:
    """The most likely of SUPPORTED_LANGS for ``text`` and lingua's confidence, or None."""
    sample = text[:SAMPLE_CHARS]
    if not sample.strip():
        return None
    values = _detector().compute_language_confidence_values(sample)
    if not values:
        return None
    best = values[0]
    return LanguageGuess(best.language.iso_code_639_1.name.lower(), float(best.value))
