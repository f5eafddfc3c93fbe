"""How one term or name of a source language is rendered in each other language.

For every unit whose ``source_lang`` text contains the term, we look in each
other language's text of the same unit for the span of words that renders it:

1. "name": transliterate the matched source words to Latin and take the span
   most similar in spelling (difflib ratio on folded letters); used when that
   similarity reaches NAME_MIN_SIMILARITY (Алеппо -> Aleppo, Alepo, Alep).
2. "cooccurrence": otherwise, each candidate span gets the Dice coefficient
   between "unit contains the term" and "unit contains the span" over the whole
   corpus (a span at the start of a longer word counts, so UN-Sicherheitsrat is
   found in UN-Sicherheitsrates); a second pass adds the spelling similarity to
   the usual rendering of the other units in that language, which recovers
   one-off variants (Weltsicherheitsrat beside UN-Sicherheitsrat). When even
   the best span has too little evidence (MIN_COOCCURRENCE_EVIDENCE), the unit
   is "unmatched": the language has text there but no rendering was found.

Limits: co-occurrence needs the term in several units (with one occurrence the
answer is a guess of plausible length); a name that is not transliterated
(Эйро -> Ayrault) shares its units with its context (Foreign Minister ...), so
in a small corpus a neighbouring word may win; a rendering by a pronoun or a
paraphrase is "unmatched" at best; the inflection of the source term is
tolerated only crudely (a soft final letter dropped, up to three extra letters
per word); the transliteration is Russian -> Latin only, and spelling
similarity can mistake a common word for a name (Христа ~ "chéris").
"""

from __future__ import annotations

import logging
import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Final, Literal

import polars as pl

from align.errors import InputError
from align.store.schemas import unit_langs
from align.study._common import WORD, check_langs, compile_term, has_text
from align.study._spelling import Likeness, stem

logger = logging.getLogger(__name__)

NAME_MIN_SIMILARITY: Final = 0.7
MAX_EXTRA_WORDS: Final = 3  # a rendering may have up to this many more words than the source match
MAX_CANDIDATES: Final = 60  # best corpus candidates kept per language in the co-occurrence pass
# A co-occurrence rendering is kept when association + likeness to the usual rendering reaches this:
# "Boaz" 0.85 + 1.0 is kept, "said" 0.48 + 0.25 (a verse that says "he said") is not.
MIN_COOCCURRENCE_EVIDENCE: Final = 1.0

# Function-word guess: a span may not start or end with a short lowercase word ("the", "de", "der", "l").
SHORT_LOWERCASE: Final = re.compile(r"^(?:[^\W\d_A-ZА-ЯЁ]{1,3}|\w['’])$")

# Punctuation a rendering does not run across ("Jesu. Es", "Rusia, Vladímir").
CLAUSE_BREAK: Final = re.compile(r"[.,;:!?()\[\]«»\"“”„]")


Method = Literal["auto", "name", "cooccurrence"]


@dataclass(frozen=True, slots=True)
class _Span:
    """A run of words in one unit's text: its surface text and its length in words."""

    text: str
    words: int


@dataclass(frozen=True, slots=True)
class _Choice:
    """A unit's rendering; ``score`` is reported, ``evidence`` (score + likeness to the usual rendering) decides."""

    rendering: str | None
    score: float
    method: str
    evidence: float = 0.0


def _term_pattern(term: str, *, regex: bool) -> re.Pattern[str]:
    """``Совет Безопасности ООН`` -> words with a soft final letter dropped and up to 3 more letters."""
    if regex:
        return compile_term(term, regex=True, case=False)
    words = term.split()
    if not words:
        raise InputError("the term is empty; give a word or a name, e.g. `Алеппо`")
    parts = [re.escape(stem(word)) + r"\w{0,3}" for word in words]
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(parts) + r"(?!\w)", re.IGNORECASE)


def _spans(text: str, max_words: int) -> list[_Span]:
    """Every run of 1..max_words words within one clause, not starting or ending with a short lowercase word."""
    words = list(WORD.finditer(text))
    spans = []
    for first in range(len(words)):
        if SHORT_LOWERCASE.match(words[first].group(0)):
            continue
        for last in range(first, min(first + max_words, len(words))):
            if last > first and CLAUSE_BREAK.search(text, words[last - 1].end(), words[last].start()):
                break
            if not SHORT_LOWERCASE.match(words[last].group(0)):
                spans.append(_Span(text[words[first].start() : words[last].end()], last - first + 1))
    return spans


def _contains(text_lower: str, candidate: str) -> bool:
    """``candidate`` occurs in ``text_lower`` starting at a word boundary."""
    start = text_lower.find(candidate)
    while start != -1:
        if start == 0 or not text_lower[start - 1].isalnum():
            return True
        start = text_lower.find(candidate, start + 1)
    return False


def _best_name(spans: list[_Span], source_match: str) -> _Choice:
    """The span spelt most like the (stemmed, transliterated) source words; fewer words win ties."""
    likeness = Likeness(" ".join(stem(word) for word in source_match.split()))
    scored = [(likeness.to(span.text), -span.words, span.text) for span in spans]
    if not scored:
        return _Choice(None, 0.0, "name")
    similarity, _words, text = max(scored)
    return _Choice(text, similarity, "name")


@dataclass(frozen=True, slots=True)
class _Occurrence:
    """The term found in one unit: the source words matched and the same unit's target-language text."""

    doc_id: str
    unit: int
    source_match: str
    target_text: str


class _Texts:
    """Lowercased texts joined into one string, to count quickly how many contain a candidate."""

    def __init__(self, texts: Iterable[str]) -> None:
        lowered = [text.lower() for text in texts]
        self._joined = "\n".join(lowered)
        self._starts = list(accumulate((len(text) + 1 for text in lowered[:-1]), initial=0))

    def __len__(self) -> int:
        return len(self._starts) if self._joined else 0

    def count(self, candidate: str) -> int:
        """Texts where ``candidate`` occurs at the start of a word."""
        found: set[int] = set()
        start = self._joined.find(candidate)
        while start != -1:
            if start == 0 or not self._joined[start - 1].isalnum():
                found.add(bisect_right(self._starts, start) - 1)
            start = self._joined.find(candidate, start + 1)
        return len(found)


class _Cooccurrence:
    """Dice association between the term's units and candidate spans, over one language's texts."""

    def __init__(self, occurrences: list[_Occurrence], corpus: list[str], max_words: int, ratio: float) -> None:
        self.ratio = ratio
        self.max_words = max_words
        self._span_scores: dict[str, float] = {}
        self.corpus = _Texts(text for text in corpus if text)
        self.term_texts = _Texts(occ.target_text for occ in occurrences)
        candidates = {span.text.lower() for occ in occurrences for span in _spans(occ.target_text, max_words)}
        scored = {candidate: self.dice(candidate) for candidate in candidates}
        ranked = sorted(scored.items(), key=lambda item: (-item[1], -len(item[0])))
        self.top = ranked[:MAX_CANDIDATES]

    def dice(self, candidate: str) -> float:
        in_corpus = self.corpus.count(candidate)
        return 2 * self.term_texts.count(candidate) / (len(self.term_texts) + in_corpus) if in_corpus else 0.0

    def span_score(self, span: _Span) -> float:
        """The best candidate inside the span, weighted by how much of the span it covers."""
        if span.text not in self._span_scores:
            self._span_scores[span.text] = self._best_candidate_inside(span.text.lower())
        return self._span_scores[span.text]

    def _best_candidate_inside(self, lower: str) -> float:
        best = 0.0
        for candidate, dice in self.top:
            if dice <= best:
                break
            if _contains(lower, candidate):
                best = max(best, dice * len(candidate) / len(lower))
        return best

    def choose(self, occ: _Occurrence, reference: str | None) -> _Choice:
        """The best span of the unit: association, plus likeness to ``reference`` (another unit's rendering)."""
        expected = max(1.0, len(occ.source_match) * self.ratio)
        likeness = Likeness(reference) if reference else None

        def key(span: _Span) -> tuple[float, bool, float]:
            """Best score; among equals a span of plausible length, the longest, else the closest."""
            score = self.span_score(span) + (likeness.to(span.text) if likeness else 0.0)
            plausible = 0.5 * expected <= len(span.text) <= 1.5 * expected
            closeness = len(span.text) if plausible else -abs(math.log(len(span.text) / expected))
            return (round(score, 6), plausible, closeness)

        spans = _spans(occ.target_text, self.max_words)
        if not spans:
            return _Choice(None, 0.0, "unmatched")
        best = max(spans, key=key)
        score = self.span_score(best)
        evidence = score + (likeness.to(best.text) if likeness else 0.0)
        return _Choice(best.text, score, "cooccurrence", evidence)


def _char_ratio(units: pl.DataFrame, source_lang: str, lang: str) -> float:
    both = units.filter(has_text(source_lang) & has_text(lang))
    if both.is_empty():
        return 1.0
    ratio = (both[f"text_{lang}"].str.len_chars() / both[f"text_{source_lang}"].str.len_chars()).median()
    return float(ratio) if isinstance(ratio, (int, float)) and math.isfinite(ratio) else 1.0


def _find_occurrences(units: pl.DataFrame, pattern: re.Pattern[str], source_lang: str, lang: str) -> list[_Occurrence]:
    found = []
    for doc_id, unit, source, target in units.select(
        "doc_id", "unit", f"text_{source_lang}", f"text_{lang}"
    ).iter_rows():
        match = pattern.search(source or "")
        if match:
            found.append(_Occurrence(doc_id, unit, match.group(0), target or ""))
    return found


def _render_language(
    units: pl.DataFrame, pattern: re.Pattern[str], source_lang: str, lang: str, method: Method
) -> list[dict[str, object]]:
    occurrences = _find_occurrences(units, pattern, source_lang, lang)
    present = [occ for occ in occurrences if occ.target_text.strip()]
    max_words = max((len(WORD.findall(occ.source_match)) for occ in occurrences), default=1) + MAX_EXTRA_WORDS
    choices = _name_choices(present, max_words, method)
    pending = [index for index in range(len(present)) if index not in choices]
    if pending:
        model = _Cooccurrence(
            present, units[f"text_{lang}"].fill_null("").to_list(), max_words, _char_ratio(units, source_lang, lang)
        )
        choices |= _cooccurrence_choices(model, present, pending, choices)
    rows = [_occurrence_row(occ, lang, choices[index]) for index, occ in enumerate(present)]
    absent = _Choice(None, 0.0, "absent")
    return rows + [_occurrence_row(occ, lang, absent) for occ in occurrences if not occ.target_text.strip()]


def _name_choices(present: list[_Occurrence], max_words: int, method: Method) -> dict[int, _Choice]:
    if method == "cooccurrence":
        return {}
    choices = {}
    for index, occ in enumerate(present):
        choice = _best_name(_spans(occ.target_text, max_words), occ.source_match)
        if method == "name" or choice.score >= NAME_MIN_SIMILARITY:
            choices[index] = choice
    return choices


def _cooccurrence_choices(
    model: _Cooccurrence, present: list[_Occurrence], pending: list[int], named: dict[int, _Choice]
) -> dict[int, _Choice]:
    """Two passes: association alone, then association plus likeness to the other units' usual rendering."""
    known = named | {index: model.choose(present[index], None) for index in pending}
    tally = _RenderingTally(known.values())
    chosen = {}
    for index in pending:
        choice = model.choose(present[index], tally.usual(excluding=known[index]))
        if choice.evidence < MIN_COOCCURRENCE_EVIDENCE:
            choice = _Choice(None, choice.score, "unmatched")
        chosen[index] = choice
    return chosen


class _RenderingTally:
    """How often each rendering was chosen (case-insensitive), and its best-scored spelling."""

    def __init__(self, choices: Iterable[_Choice]) -> None:
        self.counts: Counter[str] = Counter()
        self.best: dict[str, _Choice] = {}
        for choice in choices:
            if choice.rendering is None:
                continue
            key = choice.rendering.lower()
            self.counts[key] += 1
            if key not in self.best or choice.score > self.best[key].score:
                self.best[key] = choice

    def usual(self, *, excluding: _Choice) -> str | None:
        """The most frequent rendering of the other units; ties go to the best score."""
        own = excluding.rendering.lower() if excluding.rendering else None
        counts = {key: count - (key == own) for key, count in self.counts.items()}
        candidates = [key for key, count in counts.items() if count > 0]
        if not candidates:
            return None
        return self.best[max(candidates, key=lambda key: (counts[key], self.best[key].score))].rendering


def _occurrence_row(occ: _Occurrence, lang: str, choice: _Choice) -> dict[str, object]:
    return {
        "doc_id": occ.doc_id,
        "unit": occ.unit,
        "lang": lang,
        "source_match": occ.source_match,
        "rendering": choice.rendering,
        "score": choice.score,
        "method": choice.method,
    }


OCCURRENCE_SCHEMA: Final = pl.Schema(
    {
        "doc_id": pl.Utf8,
        "unit": pl.Int32,
        "lang": pl.Utf8,
        "source_match": pl.Utf8,
        "rendering": pl.Utf8,
        "score": pl.Float64,
        "method": pl.Utf8,
    }
)


def rendering_occurrences(
    units: pl.DataFrame,
    term: str,
    *,
    source_lang: str = "ru",
    langs: Sequence[str] | None = None,
    regex: bool = False,
    method: Method = "auto",
) -> pl.DataFrame:
    """For each unit whose ``source_lang`` text contains ``term``, its rendering in every other language.

    ``term`` matches with crude inflection tolerance (each word loses a soft
    final letter and may take up to three more: ``Сирия`` finds ``Сирии``,
    ``Совет`` finds ``Совета``), or as a regular expression when ``regex``. ``method``
    forces the transliteration (``"name"``) or the co-occurrence
    (``"cooccurrence"``) method; ``"auto"`` uses the name method when a span
    is spelt close enough to the transliterated term. The methods and their
    limits are described at the top of this module.

    Returns ``doc_id``, ``unit``, ``lang``, ``source_match`` (the text
    matched), ``rendering``, ``score`` (spelling similarity or association,
    0..1) and ``method``: ``"name"``, ``"cooccurrence"``, or, with a null
    ``rendering``, ``"absent"`` (the language has nothing in that unit) or
    ``"unmatched"`` (it has text, but no span looks like a rendering).
    """
    check_langs(units, [source_lang], "source language")
    targets = [lang for lang in (langs or unit_langs(units)) if lang != source_lang]
    check_langs(units, targets, "language")
    if method not in ("auto", "name", "cooccurrence"):
        raise InputError(f"`method` must be auto, name or cooccurrence, got {method!r}")
    pattern = _term_pattern(term, regex=regex)
    rows = [row for lang in targets for row in _render_language(units, pattern, source_lang, lang, method)]
    logger.debug("renderings of %r: %d occurrences in %d languages", term, len(rows), len(targets))
    return pl.DataFrame(rows, schema=OCCURRENCE_SCHEMA).sort("lang", "doc_id", "unit")


def renderings(
    units: pl.DataFrame,
    term: str,
    *,
    source_lang: str = "ru",
    langs: Sequence[str] | None = None,
    regex: bool = False,
    method: Method = "auto",
) -> pl.DataFrame:
    """How ``term`` (in ``source_lang``) is rendered in each other language, with counts.

    Aggregates :func:`rendering_occurrences` (same parameters): one row per
    language and rendering, ``count`` (units), ``share`` of that language's
    occurrences, ``method`` (the most frequent) and ``mean_score``. Null
    renderings count the units where the language has nothing (``absent``:
    an omission) or no recognisable rendering (``unmatched``).

    Examples
    --------
    >>> units = pl.DataFrame({
    ...     "doc_id": ["a", "a"], "unit": [0, 1], "score": [0.9, 0.9],
    ...     "text_ru": ["Мы были в Алеппо.", "Алеппо страдает."], "sents_ru": [[0], [1]],
    ...     "text_fr": ["Nous étions à Alep.", "Alep souffre."], "sents_fr": [[0], [1]],
    ... })
    >>> renderings(units, "Алеппо").select("lang", "rendering", "count").rows()
    [('fr', 'Alep', 2)]
    """
    occurrences = rendering_occurrences(units, term, source_lang=source_lang, langs=langs, regex=regex, method=method)
    return (
        occurrences.with_columns(pl.when(pl.col("rendering").is_null()).then("method").alias("_why_none"))
        .group_by("lang", "rendering", "_why_none")
        .agg(
            pl.len().cast(pl.Int64).alias("count"),
            pl.col("method").mode().sort().first().alias("method"),
            pl.col("score").mean().alias("mean_score"),
        )
        .with_columns((pl.col("count") / pl.col("count").sum().over("lang")).alias("share"))
        .select("lang", "rendering", "count", "share", "method", "mean_score")
        .sort(["lang", "count", "rendering"], descending=[False, True, False], nulls_last=True)
    )
