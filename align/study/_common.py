"""Helpers shared by the align.study modules: language checks, term patterns, words."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

import polars as pl

from align.errors import InputError
from align.store.schemas import unit_langs

# A word: letters and digits with inner hyphens or apostrophes ("UN-Sicherheitsrat", "Aujourd'hui",
# "Alep-Est"), except that a one-letter elision is a word of its own ("d'Alep" -> "d'", "Alep").
WORD: Final = re.compile(r"\w['’](?=\w)|\w+(?:['’-]\w+)*")


def has_text(lang: str) -> pl.Expr:
    """True where the unit has at least one sentence in ``lang``."""
    return pl.col(f"sents_{lang}").list.len().fill_null(0) > 0


def check_langs(units: pl.DataFrame, langs: Iterable[str], what: str) -> None:
    """Raise InputError naming the first of ``langs`` the units frame lacks."""
    available = unit_langs(units)
    for lang in langs:
        if lang not in available:
            raise InputError(f"{what} `{lang}` is not in the units frame; available: {', '.join(available) or 'none'}")


def compile_term(term: str, *, regex: bool, case: bool) -> re.Pattern[str]:
    """``term`` as a pattern (escaped unless ``regex``; case-insensitive unless ``case``)."""
    if not term.strip():
        raise InputError("the search term is empty; give a word or phrase, e.g. `ООН`")
    flags = 0 if case else re.IGNORECASE
    try:
        return re.compile(term if regex else re.escape(term), flags)
    except re.error as err:
        raise InputError(
            f"`{term}` is not a valid regular expression ({err}); pass regex=False for a plain string"
        ) from err
