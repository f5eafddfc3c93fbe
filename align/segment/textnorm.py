"""Punctuation normalisation, tokenisation and detokenisation through sacremoses.

Scorers compare sentences across languages by their tokens (numbers, names,
punctuation); those tokens are only comparable once typographic variants are
folded together (``«»`` and ``“”`` to ``"``, ``…`` to ``...``). Research data
such as Text+Berg arrives tokenised (``Fluss gekommen , was``) and is
detokenised before scorers that expect running text see it. A tag's primary
language picks the Moses rules (``de-DE`` -> ``de``; sacremoses falls back to its
defaults for codes it does not know). The Moses objects load their prefix lists
on first use, once per language, never at import.

Example::

    >>> detokenize("in Fluss gekommen , was zu einem argen Durcheinander führte .", "de")
    'in Fluss gekommen, was zu einem argen Durcheinander führte.'
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from align.languages import primary_language

if TYPE_CHECKING:
    from sacremoses import MosesDetokenizer, MosesPunctNormalizer, MosesTokenizer  # type: ignore[import-untyped]

__all__ = ["detokenize", "detokenize_lines", "normalize_punctuation", "tokenize"]


def normalize_punctuation(text: str, lang: str) -> str:
    """Fold quotes, dashes, ellipses and spacing to the Moses canonical forms."""
    normalized: str = _normalizer(primary_language(lang)).normalize(text)
    return normalized


def tokenize(text: str, lang: str) -> list[str]:
    """Moses tokens of ``text``, without HTML escaping (``"`` stays ``"``)."""
    tokens: list[str] = _tokenizer(primary_language(lang)).tokenize(text, escape=False)
    return tokens


def detokenize(text: str, lang: str) -> str:
    """Turn space-separated tokens back into running text; whitespace-only input gives ``""``."""
    joined: str = _detokenizer(primary_language(lang)).detokenize(text.split())
    return joined


def detokenize_lines(lines: Iterable[str], lang: str) -> list[str]:
    """Detokenise one line per sentence; output line ``i`` is input line ``i`` (gold indices stay valid)."""
    return [detokenize(line, lang) for line in lines]


@cache
def _normalizer(lang: str) -> MosesPunctNormalizer:
    from sacremoses import MosesPunctNormalizer

    return MosesPunctNormalizer(lang=lang)


@cache
def _tokenizer(lang: str) -> MosesTokenizer:
    from sacremoses import MosesTokenizer

    return MosesTokenizer(lang=lang)


@cache
def _detokenizer(lang: str) -> MosesDetokenizer:
    from sacremoses import MosesDetokenizer

    return MosesDetokenizer(lang=lang)
