"""Finding terms: a multilingual concordance (KWIC) and the recurring words of a language."""

from __future__ import annotations

import re
from collections import Counter
from typing import Final

import polars as pl

from align.store.schemas import unit_langs
from align.study._common import WORD, check_langs, compile_term


def concordance(
    units: pl.DataFrame,
    term: str,
    lang: str,
    *,
    regex: bool = False,
    case: bool = False,
    width: int = 40,
) -> pl.DataFrame:
    """Multilingual KWIC: each occurrence of ``term`` in the ``lang`` text of a unit.

    ``term`` is a plain substring unless ``regex``; matching ignores case
    unless ``case``. Returns one row per occurrence: ``doc_id``, ``unit``,
    ``left``, ``keyword`` (the text matched), ``right`` (at most ``width``
    characters of context each side), then ``text_L`` for every other
    language of the unit, and ``score``.
    """
    check_langs(units, [lang], "language")
    pattern = compile_term(term, regex=regex, case=case)
    others = [other for other in unit_langs(units) if other != lang]
    rows = []
    for record in units.select("doc_id", "unit", "score", f"text_{lang}", *[f"text_{o}" for o in others]).iter_rows(
        named=True
    ):
        text = record[f"text_{lang}"] or ""
        for match in pattern.finditer(text):
            if match.end() == match.start():
                continue
            rows.append(
                {
                    "doc_id": record["doc_id"],
                    "unit": record["unit"],
                    "left": text[max(0, match.start() - width) : match.start()],
                    "keyword": match.group(0),
                    "right": text[match.end() : match.end() + width],
                    **{f"text_{o}": record[f"text_{o}"] for o in others},
                    "score": record["score"],
                }
            )
    schema = {"doc_id": pl.Utf8, "unit": pl.Int32, "left": pl.Utf8, "keyword": pl.Utf8, "right": pl.Utf8}
    schema |= {f"text_{o}": pl.Utf8 for o in others}
    schema["score"] = pl.Float64
    return pl.DataFrame(rows, schema=schema)


# Where a sentence starts: the text start, or after . ! ? : and spaces ("... ООН. Мы" -> before "Мы").
SENTENCE_START: Final = re.compile(r"(?:^|[.!?:…]\s+)$")


def recurring_terms(
    units: pl.DataFrame, lang: str, *, top: int = 10, min_units: int = 2, min_length: int = 4
) -> pl.DataFrame:
    """Candidate terms and names in ``lang`` to look up with :func:`concordance` and :func:`renderings`.

    Counts, for each word of at least ``min_length`` characters, the units
    whose ``lang`` text contains it. Words capitalised inside a sentence
    (names, institutions) come first, then the most widespread. Returns
    ``term``, ``units``, ``capitalised``; at most ``top`` rows.
    """
    check_langs(units, [lang], "language")
    unit_count: Counter[str] = Counter()
    capitalised: set[str] = set()
    for text in units[f"text_{lang}"].fill_null("").to_list():
        seen = set()
        for match in WORD.finditer(text):
            word = match.group(0)
            if len(word) < min_length or word.isdigit():
                continue
            seen.add(word)
            if word[0].isupper() and not SENTENCE_START.search(text[: match.start()]):
                capitalised.add(word)
        unit_count.update(seen)
    rows = [
        {"term": word, "units": count, "capitalised": word in capitalised}
        for word, count in unit_count.items()
        if count >= min_units
    ]
    frame = pl.DataFrame(rows, schema={"term": pl.Utf8, "units": pl.Int64, "capitalised": pl.Boolean})
    return frame.sort(["capitalised", "units", "term"], descending=[True, True, False]).head(top)
