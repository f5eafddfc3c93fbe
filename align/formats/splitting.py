"""Sentence-level pieces of multi-sentence units, so that CAT tools still use them.

OmegaT (and most CAT tools) segment the document being translated into
sentences and look each sentence up in the memory; they never match a unit
whose source side holds two sentences. OmegaT 3.6 reads only the header's
``segtype`` (a per-``tu`` segtype is ignored), and with
``segtype="paragraph"`` it re-segments a unit only when both sides split
into the same number of sentences, so a 2-1 unit stays unusable either way.

So a unit whose source side has n > 1 sentences is also exported as n
pieces, one per source sentence (the whole unit is kept too). For every
other language: its own sentences when it has exactly n, else its text cut
into n pieces at single spaces, nearest to the points proportional to the
source sentence lengths, preferring a cut after sentence punctuation, then
after clause punctuation. Pieces joined with one space give back the text,
which is what OmegaT writes when it joins a paragraph's translated sentences.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from itertools import accumulate, pairwise
from typing import Final

import polars as pl

from align.formats.selection import ExportUnit

SentenceLookup = Mapping[tuple[str, str, int], str]  # (doc_id, lang, sent) -> sentence text

# A single space between two non-spaces: "Syria. We" -> cut at the space
CUT_POINT: Final = re.compile(r"(?<=\S) (?=\S)")
# Text before a cut that ends a sentence: "...in Syria." / "...said?»"
SENTENCE_END: Final = re.compile(r"[.!?…][\"'»”’)\]]*$")
# Text before a cut that ends a clause: "...in Syria," / "...as follows:"
CLAUSE_END: Final = re.compile(r"[,;:–—-]$")
CUT_PENALTY: Final = {"sentence": 0.0, "clause": 0.1, "word": 0.25}


def sentence_lookup(sentences: pl.DataFrame) -> dict[tuple[str, str, int], str]:
    """Index a sentences frame by (doc_id, lang, sent)."""
    return {
        (doc_id, lang, sent): text
        for doc_id, lang, sent, text in sentences.select("doc_id", "lang", "sent", "text").iter_rows()
    }


def _cut_class(text_before: str) -> str:
    if SENTENCE_END.search(text_before):
        return "sentence"
    if CLAUSE_END.search(text_before):
        return "clause"
    return "word"


def cut_text(text: str, weights: Sequence[int]) -> list[str] | None:
    """Cut ``text`` into ``len(weights)`` non-empty pieces sized like ``weights``; None if it can't."""
    count = len(weights)
    cuts = [m.start() for m in CUT_POINT.finditer(text)]
    if count < 1 or len(cuts) < count - 1 or sum(weights) <= 0:
        return None
    total, length = sum(weights), len(text)
    goals = [length * w / total for w in accumulate(weights)][:-1]
    chosen: list[int] = []
    first_free = 0
    for k, goal in enumerate(goals):
        last_allowed = len(cuts) - (count - 2 - k)  # leave a cut for every later piece
        best = min(
            range(first_free, last_allowed),
            key=lambda i: abs(cuts[i] - goal) / length + CUT_PENALTY[_cut_class(text[: cuts[i]])],
        )
        chosen.append(cuts[best])
        first_free = best + 1
    bounds = [-1, *chosen, length]
    return [text[start + 1 : end] for start, end in pairwise(bounds)]


def _pieces_of(
    unit: ExportUnit, lang: str, weights: Sequence[int], lookup: SentenceLookup
) -> list[str] | None:
    indices = unit.sents[unit.langs.index(lang)]
    own = [lookup.get((unit.doc_id, lang, i)) for i in indices]
    if len(own) == len(weights) and all(own):
        return [text for text in own if text]
    return cut_text(unit.text(lang), weights)


def split_unit(unit: ExportUnit, src_lang: str, lookup: SentenceLookup) -> list[ExportUnit]:
    """The sentence-level pieces of ``unit`` (empty when its source is one sentence or can't be split)."""
    src_indices = unit.sents[unit.langs.index(src_lang)]
    sources = [lookup.get((unit.doc_id, src_lang, i)) for i in src_indices]
    if len(sources) < 2 or not all(sources):
        return []
    weights = [len(text or "") for text in sources]
    per_lang: list[list[str]] = []
    for lang in unit.langs:
        pieces = _pieces_of(unit, lang, weights, lookup)
        if pieces is None or any(not p.strip() for p in pieces):
            return []
        per_lang.append(pieces)
    count = len(sources)
    return [
        dataclasses.replace(
            unit,
            texts=tuple(pieces[k] for pieces in per_lang),
            sents=tuple((group[k],) if len(group) == count else group for group in unit.sents),
            part=(k + 1, count),
        )
        for k in range(count)
    ]
