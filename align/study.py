"""Analysis API for translation study: small functions from the stored frames to Polars frames.

Each function answers one question a translation scholar asks of an aligned
item, so a notebook cell stays one call long and the logic is tested like any
other code:

* :func:`kind_counts` -- how often each alignment kind (1-1, 2-1, 1-0 ...) occurs per language pair;
* :func:`length_ratios` / :func:`length_ratio_summary` -- character length ratios per pair, with outliers;
* :func:`additions_and_omissions` -- units missing in one or more languages;
* :func:`low_confidence` -- units the aligner is unsure of, for review;
* :func:`concordance` -- a multilingual KWIC: a term in one language, the unit in all the others;
* :func:`recurring_terms` -- words worth looking up with the two functions around it;
* :func:`renderings` / :func:`rendering_occurrences` -- how one term or name is rendered in each language.

Nothing here reads files except :func:`load_frames`; every other function
takes frames and returns a new frame.
"""

from __future__ import annotations

import logging
import math
import os
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import accumulate
from typing import Final, Literal

import polars as pl

from align.errors import InputError
from align.frames import unit_langs
from align.store import read_frame

logger = logging.getLogger(__name__)

#: Units (and alignments) scoring below this are "low confidence" unless told otherwise.
DEFAULT_REVIEW_THRESHOLD: Final = 0.5
#: Length-ratio outliers: robust z-score beyond this many (scaled) MADs.
DEFAULT_OUTLIER_K: Final = 3.0
#: Floor of the scaled MAD of log ratios (about a 5 % length difference), so that
#: a pair whose ratios are nearly all equal does not flag every small deviation.
MIN_LOG_RATIO_SPREAD: Final = 0.05
MAD_TO_SIGMA: Final = 1.4826  # MAD of a normal distribution times this = its standard deviation

__all__ = [
    "DEFAULT_OUTLIER_K",
    "DEFAULT_REVIEW_THRESHOLD",
    "StudyFrames",
    "additions_and_omissions",
    "concordance",
    "document_units",
    "item_langs",
    "kind_counts",
    "length_ratio_summary",
    "length_ratios",
    "load_frames",
    "low_confidence",
    "recurring_terms",
    "rendering_occurrences",
    "renderings",
]


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True, slots=True)
class StudyFrames:
    """The frames of one output folder; ``documents`` and ``sentences`` may be empty."""

    documents: pl.DataFrame
    sentences: pl.DataFrame
    alignments: pl.DataFrame
    units: pl.DataFrame

    @property
    def langs(self) -> list[str]:
        """Languages of the units frame, in column order."""
        return unit_langs(self.units)

    @property
    def original_lang(self) -> str | None:
        """The most common original language of the items, when known and present in the units."""
        known: list[str] = self.documents["original_lang"].drop_nulls().to_list()
        for lang, _count in Counter(known).most_common():
            if lang in self.langs:
                return lang
        return None

    @property
    def source_lang(self) -> str:
        """The language to search from: the original when known, else the first unit language."""
        if not self.langs:
            raise InputError("the units frame has no `text_L` column: no language to study")
        return self.original_lang or self.langs[0]

    def original_langs(self) -> dict[str, str]:
        """``doc_id -> original language`` for the items whose original is known."""
        known = self.documents.filter(pl.col("original_lang").is_not_null())
        return dict(known.select("doc_id", "original_lang").unique("doc_id").iter_rows())


def load_frames(data_dir: str | os.PathLike[str]) -> StudyFrames:
    """Read the frames of ``data_dir`` (schemas checked).

    Raises
    ------
    FrameError
        ``units.parquet`` or ``alignments.parquet`` is missing or malformed
        (``documents`` and ``sentences`` are optional).
    """
    return StudyFrames(
        documents=read_frame(data_dir, "documents", missing_ok=True),
        sentences=read_frame(data_dir, "sentences", missing_ok=True),
        alignments=read_frame(data_dir, "alignments"),
        units=read_frame(data_dir, "units"),
    )


# --------------------------------------------------------------------------- pairs


def _pair_label() -> pl.Expr:
    return pl.concat_str("src_lang", pl.lit("-"), "tgt_lang").alias("pair")


def _only_langs(alignments: pl.DataFrame, langs: Sequence[str] | None) -> pl.DataFrame:
    if langs is None:
        return alignments
    return alignments.filter(pl.col("src_lang").is_in(list(langs)) & pl.col("tgt_lang").is_in(list(langs)))


def kind_counts(alignments: pl.DataFrame, *, langs: Sequence[str] | None = None) -> pl.DataFrame:
    """How often each alignment kind occurs in each language pair.

    Returns one row per (pair, kind): ``src_lang``, ``tgt_lang``, ``pair``
    (``"ru-en"``), ``kind`` (``"1-1"``, ``"2-1"`` = two source sentences
    rendered as one, ``"1-0"`` = nothing in the target ...), ``count``, and
    ``share`` of the pair's alignments. Sorted by pair, then most frequent kind.
    """
    counted = (
        _only_langs(alignments, langs)
        .group_by("src_lang", "tgt_lang", "kind")
        .agg(pl.len().cast(pl.Int64).alias("count"))
        .with_columns(_pair_label())
    )
    return (
        counted.with_columns((pl.col("count") / pl.col("count").sum().over("pair")).alias("share"))
        .select("src_lang", "tgt_lang", "pair", "kind", "count", "share")
        .sort(["pair", "count", "kind"], descending=[False, True, False])
    )


def length_ratios(
    alignments: pl.DataFrame,
    *,
    k: float = DEFAULT_OUTLIER_K,
    langs: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Character length ratio of every aligned pair that has text on both sides, with outliers.

    ``ratio`` = target characters / source characters. A pair is an
    ``outlier`` when its log ratio lies more than ``k`` robust standard
    deviations from the median log ratio of its language pair:
    ``robust_z = (log_ratio - median) / max(1.4826 * MAD, 0.05)``. Medians
    and MADs are robust to the very outliers we look for, unlike mean and
    standard deviation; the floor keeps a pair whose lengths barely vary from
    flagging every small difference. With fewer than ~5 alignments in a pair
    the statistics mean little.

    Returns ``doc_id``, ``pair``, ``src_lang``, ``tgt_lang``, ``src_sents``,
    ``tgt_sents``, ``kind``, ``score``, ``src_chars``, ``tgt_chars``, ``ratio``, ``log_ratio``,
    ``robust_z``, ``outlier``, ``src_text``, ``tgt_text``.
    """
    if k <= 0:
        raise InputError(f"`k` must be > 0 (robust standard deviations), got {k}")
    both = _only_langs(alignments, langs).filter(
        (pl.col("src_text").str.len_chars() > 0) & (pl.col("tgt_text").str.len_chars() > 0)
    )
    measured = both.with_columns(
        _pair_label(),
        pl.col("src_text").str.len_chars().cast(pl.Int64).alias("src_chars"),
        pl.col("tgt_text").str.len_chars().cast(pl.Int64).alias("tgt_chars"),
    ).with_columns(
        (pl.col("tgt_chars") / pl.col("src_chars")).alias("ratio"),
        (pl.col("tgt_chars") / pl.col("src_chars")).log().alias("log_ratio"),
    )
    centre = pl.col("log_ratio").median().over("pair")
    spread = ((pl.col("log_ratio") - centre).abs().median().over("pair") * MAD_TO_SIGMA).clip(
        lower_bound=MIN_LOG_RATIO_SPREAD
    )
    scored = measured.with_columns(((pl.col("log_ratio") - centre) / spread).alias("robust_z"))
    return scored.with_columns((pl.col("robust_z").abs() > k).alias("outlier")).select(
        "doc_id",
        "pair",
        "src_lang",
        "tgt_lang",
        "src_sents",
        "tgt_sents",
        "kind",
        "score",
        "src_chars",
        "tgt_chars",
        "ratio",
        "log_ratio",
        "robust_z",
        "outlier",
        "src_text",
        "tgt_text",
    )


def length_ratio_summary(ratios: pl.DataFrame) -> pl.DataFrame:
    """Per pair of a :func:`length_ratios` frame: ``n``, median and quartile ratios, ``outliers``."""
    return (
        ratios.group_by("pair")
        .agg(
            pl.len().cast(pl.Int64).alias("n"),
            pl.col("ratio").median().alias("median_ratio"),
            pl.col("ratio").quantile(0.25).alias("q1_ratio"),
            pl.col("ratio").quantile(0.75).alias("q3_ratio"),
            pl.col("outlier").sum().cast(pl.Int64).alias("outliers"),
        )
        .sort("pair")
    )


# --------------------------------------------------------------------------- units


def _has_text(lang: str) -> pl.Expr:
    return pl.col(f"sents_{lang}").list.len().fill_null(0) > 0


def _lang_list(langs: Sequence[str], present: bool) -> pl.Expr:
    parts = [pl.when(_has_text(lang) if present else ~_has_text(lang)).then(pl.lit(lang)) for lang in langs]
    return pl.concat_list(parts).list.drop_nulls()


def _check_langs(units: pl.DataFrame, langs: Iterable[str], what: str) -> None:
    available = unit_langs(units)
    for lang in langs:
        if lang not in available:
            raise InputError(f"{what} `{lang}` is not in the units frame; available: {', '.join(available) or 'none'}")


def additions_and_omissions(
    units: pl.DataFrame, *, original_lang: str | Mapping[str, str] | None = None
) -> pl.DataFrame:
    """Units that some languages have and others lack.

    ``original_lang`` (one code, or ``doc_id -> code``) names the language
    the item was written in. A unit the original has and a translation lacks
    is an ``omission`` in that translation; a unit the original lacks is an
    ``addition`` in the languages that have it; without a known original the
    row's ``kind`` is ``gap``. Returns ``doc_id``, ``unit``, ``kind``,
    ``present`` and ``missing`` (lists of codes), ``score``, and ``text`` in
    ``text_lang`` (the original when present, else the first language present).
    """
    langs = unit_langs(units)
    originals = _original_per_doc(units, original_lang)
    _check_langs(units, [lang for lang in originals.values() if lang], "original language")
    with_lists = units.with_columns(
        _lang_list(langs, present=True).alias("present"),
        _lang_list(langs, present=False).alias("missing"),
        pl.col("doc_id").replace_strict(originals, default=None, return_dtype=pl.Utf8).alias("_original"),
    ).filter((pl.col("present").list.len() > 0) & (pl.col("missing").list.len() > 0))
    kind = (
        pl.when(pl.col("_original").is_null())
        .then(pl.lit("gap"))
        .when(pl.col("present").list.contains(pl.col("_original")))
        .then(pl.lit("omission"))
        .otherwise(pl.lit("addition"))
    )
    shown = (
        pl.when(pl.col("present").list.contains(pl.col("_original").fill_null("")))
        .then(pl.col("_original"))
        .otherwise(pl.col("present").list.first())
    )
    text_of_shown = pl.coalesce([pl.when(pl.col("text_lang") == lang).then(pl.col(f"text_{lang}")) for lang in langs])
    return (
        with_lists.with_columns(kind.alias("kind"), shown.alias("text_lang"))
        .with_columns(text_of_shown.alias("text"))
        .select("doc_id", "unit", "kind", "present", "missing", "score", "text_lang", "text")
        .sort("doc_id", "unit")
    )


def _original_per_doc(units: pl.DataFrame, original_lang: str | Mapping[str, str] | None) -> dict[str, str]:
    doc_ids = units["doc_id"].unique().to_list()
    if original_lang is None:
        return {}
    if isinstance(original_lang, str):
        return dict.fromkeys(doc_ids, original_lang)
    return {doc_id: lang for doc_id, lang in original_lang.items() if doc_id in doc_ids}


def low_confidence(
    units: pl.DataFrame,
    *,
    threshold: float = DEFAULT_REVIEW_THRESHOLD,
    langs: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Units scoring below ``threshold``, least confident first: ``doc_id``, ``unit``, ``score``, ``text_L``..."""
    chosen = list(langs) if langs is not None else unit_langs(units)
    _check_langs(units, chosen, "language")
    return (
        units.filter(pl.col("score") < threshold)
        .sort("score", "doc_id", "unit")
        .select("doc_id", "unit", "score", *[f"text_{lang}" for lang in chosen])
    )


def document_units(
    units: pl.DataFrame,
    doc_id: str,
    *,
    langs: Sequence[str] | None = None,
    min_score: float | None = None,
    limit: int | None = None,
) -> pl.DataFrame:
    """The units of one item in order: ``unit``, ``score``, ``text_L`` for ``langs``.

    ``langs`` defaults to the languages the item has (:func:`item_langs`).

    ``min_score`` drops units scoring below it; ``limit`` keeps the first N.

    Raises
    ------
    InputError
        ``doc_id`` is not in the frame (the message lists a few that are), or
        a language of ``langs`` is not.
    """
    if langs is not None:
        _check_langs(units, langs, "language")
    rows = units.filter(pl.col("doc_id") == doc_id)
    if rows.is_empty():
        raise InputError(f"no document `{doc_id}` in the units frame; {_some_doc_ids(units)}")
    chosen = list(langs) if langs is not None else item_langs(rows)
    if min_score is not None:
        rows = rows.filter(pl.col("score") >= min_score)
    rows = rows.sort("unit").select("unit", "score", *[f"text_{lang}" for lang in chosen])
    return rows.head(limit) if limit is not None else rows


def item_langs(units: pl.DataFrame) -> list[str]:
    """Languages with text in at least one of these units, in column order."""
    return [lang for lang in unit_langs(units) if units.select(_has_text(lang).any()).item()]


def _some_doc_ids(units: pl.DataFrame, shown: int = 5) -> str:
    doc_ids = units["doc_id"].unique(maintain_order=True).to_list()
    if not doc_ids:
        return "the frame is empty; run `bitext align` (or `bitext demo`) first"
    more = f" (and {len(doc_ids) - shown} more)" if len(doc_ids) > shown else ""
    return "available: " + ", ".join(doc_ids[:shown]) + more


# --------------------------------------------------------------------------- concordance


def _compile_term(term: str, *, regex: bool, case: bool) -> re.Pattern[str]:
    if not term.strip():
        raise InputError("the search term is empty; give a word or phrase, e.g. `ООН`")
    flags = 0 if case else re.IGNORECASE
    try:
        return re.compile(term if regex else re.escape(term), flags)
    except re.error as err:
        raise InputError(
            f"`{term}` is not a valid regular expression ({err}); pass regex=False for a plain string"
        ) from err


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
    _check_langs(units, [lang], "language")
    pattern = _compile_term(term, regex=regex, case=case)
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


# --------------------------------------------------------------------------- terms

# A word: letters and digits with inner hyphens or apostrophes ("UN-Sicherheitsrat", "Aujourd'hui",
# "Alep-Est"), except that a one-letter elision is a word of its own ("d'Alep" -> "d'", "Alep").
WORD: Final = re.compile(r"\w['’](?=\w)|\w+(?:['’-]\w+)*")
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
    _check_langs(units, [lang], "language")
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


# --------------------------------------------------------------------------- renderings
#
# Method. For every unit whose ``source_lang`` text contains the term, we look
# in each other language's text of the same unit for the span of words that
# renders it:
#   1. "name": transliterate the matched source words to Latin and take the
#      span most similar in spelling (difflib ratio on folded letters); used
#      when that similarity reaches NAME_MIN_SIMILARITY (Алеппо -> Aleppo/Alep).
#   2. "cooccurrence": otherwise, each candidate span gets the Dice
#      coefficient between "unit contains the term" and "unit contains the
#      span" over the whole corpus (a span inside a longer word counts, so
#      UN-Sicherheitsrat is found in UN-Sicherheitsrates); a second pass adds
#      the spelling similarity to the most confident rendering found in
#      another unit of that language, which recovers one-off variants
#      (Weltsicherheitsrat beside UN-Sicherheitsrat). When even the best span
#      has little evidence (MIN_COOCCURRENCE_EVIDENCE), the unit is reported as
#      "unmatched": the language has text there but no rendering was found
#      (a pronoun, a paraphrase, or an omission inside the unit).
# Limits: it needs the term in several units (one occurrence gives a guess of
# plausible length); a name that is not transliterated (Эйро -> Ayrault) shares
# its units with its context (Foreign Minister ...), so in a small corpus a
# neighbouring word may win; it cannot see a rendering by a pronoun, a
# paraphrase or a word dropped inside a unit that has text; the
# inflection of the source term is tolerated only crudely (final vowel dropped,
# up to three extra letters per word); the transliteration is Russian -> Latin only.

NAME_MIN_SIMILARITY: Final = 0.7
MAX_EXTRA_WORDS: Final = 3  # a rendering may have up to this many more words than the source match
MAX_CANDIDATES: Final = 60  # best corpus candidates kept per language in the co-occurrence pass
# A co-occurrence rendering is kept when association + likeness to the usual rendering reaches this:
# "Boaz" 0.85 + 1.0 is kept, "said" 0.48 + 0.25 (a verse that says "he said") is not.
MIN_COOCCURRENCE_EVIDENCE: Final = 1.0
SOFT_ENDINGS: Final = "аеёиоуыэюяйьaeiouy"

# Function-word guess: a span may not start or end with a short lowercase word ("the", "de", "der", "l").
SHORT_LOWERCASE: Final = re.compile(r"^(?:[^\W\d_A-ZА-ЯЁ]{1,3}|\w['’])$")

# Punctuation a rendering does not run across ("Jesu. Es", "Rusia, Vladímir").
CLAUSE_BREAK: Final = re.compile(r"[.,;:!?()\[\]«»\"“”„]")

CYRILLIC_TO_LATIN: Final[dict[str, str]] = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}
# Spelling differences between Latin-script transliteration habits, folded away before comparing
# ("Lawrow" and "Lavrov", "Sergej" and "Sergey", "Castello" and "Kastello", "Syria" and "Siria").
LATIN_FOLDS: Final = str.maketrans({"w": "v", "j": "i", "y": "i", "c": "k", "q": "k"})

# Greek theta and phi reach Russian as ф ("Руфь" = Ruth, "Филипп" = Philipp).
LATIN_DIGRAPHS: Final = re.compile(r"th|ph")

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
        return _compile_term(term, regex=True, case=False)
    words = term.split()
    if not words:
        raise InputError("the term is empty; give a word or a name, e.g. `Алеппо`")
    parts = [re.escape(_stem(word)) + r"\w{0,3}" for word in words]
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(parts) + r"(?!\w)", re.IGNORECASE)


def _stem(word: str) -> str:
    """Drop one soft final letter of a word longer than four ("Сирия" -> "Сири", "Путина" -> "Путин")."""
    return word[:-1] if len(word) > 4 and word[-1].lower() in SOFT_ENDINGS else word


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    """Lowercase Latin letters only: Cyrillic transliterated, accents and punctuation dropped."""
    latin = "".join(CYRILLIC_TO_LATIN.get(char, char) for char in text.lower())
    plain = unicodedata.normalize("NFKD", latin)
    letters = "".join(char for char in plain if char.isalnum() and not unicodedata.combining(char))
    return LATIN_DIGRAPHS.sub("f", letters).translate(LATIN_FOLDS)


class _Likeness:
    """Spelling similarity (difflib ratio of folded letters) of many texts to one reference."""

    def __init__(self, reference: str) -> None:
        self._matcher = SequenceMatcher(None, autojunk=False)
        self._matcher.set_seq2(_fold(reference))  # difflib caches its analysis of the second sequence

    def to(self, text: str) -> float:
        self._matcher.set_seq1(_fold(text))
        return self._matcher.ratio()


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
    stem = " ".join(_stem(word) for word in source_match.split())
    likeness = _Likeness(stem)
    scored = [(likeness.to(span.text), -span.words, span.text) for span in spans]
    if not scored:
        return _Choice(None, 0.0, "name")
    similarity, _words, text = max(scored)
    return _Choice(text, similarity, "name")


@dataclass(frozen=True, slots=True)
class _Occurrence:
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
        expected = max(1.0, len(occ.source_match) * self.ratio)

        likeness = _Likeness(reference) if reference else None

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
    both = units.filter(_has_text(source_lang) & _has_text(lang))
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
    limits are described at the top of this section of ``align/study.py``.

    Returns ``doc_id``, ``unit``, ``lang``, ``source_match`` (the text
    matched), ``rendering``, ``score`` (spelling similarity or association,
    0..1) and ``method``: ``"name"``, ``"cooccurrence"``, or, with a null
    ``rendering``, ``"absent"`` (the language has nothing in that unit) or
    ``"unmatched"`` (it has text, but no span looks like a rendering).
    """
    _check_langs(units, [source_lang], "source language")
    targets = [lang for lang in (langs or unit_langs(units)) if lang != source_lang]
    _check_langs(units, targets, "language")
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
