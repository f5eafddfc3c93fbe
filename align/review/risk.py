"""Why a unit deserves a look, and how urgently: the review queue's order.

Marks (each with a weight; a unit's risk is their sum, 0 when confirmed):

* ``low score``: the unit's score is below the review threshold (``bitext show`` flags the same);
* ``shape``: not one sentence per language (a merge or split the aligner chose);
* ``empty``: empty in a language the item has while others are not (an omission, or a misplaced sentence);
* ``length``: a language's length ratio to the pivot is far from that language's usual ratio in the item;
* ``numbers``: the digits differ between the pivot and another language (dates, figures, article numbers).
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from align.review.rows import CONFIRMED, STATUS, Row
from align.study import DEFAULT_REVIEW_THRESHOLD

WEIGHTS: Final = {"low score": 3.0, "empty": 2.0, "numbers": 2.0, "length": 1.0, "shape": 1.0}
# log of the length ratio this far from the item's median counts as an outlier: e^0.6 ~ 1.8 times longer or shorter
LENGTH_LOG_TOLERANCE: Final = 0.6
MIN_CHARS_FOR_RATIO: Final = 20  # shorter texts (headings, "Question:") have ratios that mean nothing
# a number with its separators: "1 234,5", "1,234.5" (groups of three), "2016", "3,5"; the digits are compared,
# so "1,500" (en) = "1.500" (de) = "1 500" (fr, ru); "2016 1.500" is two numbers
NUMBER: Final = re.compile(r"\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class Risk:
    marks: tuple[str, ...]
    score: float

    @property
    def flagged(self) -> bool:
        return bool(self.marks)


@lru_cache(maxsize=1 << 16)  # the same texts are looked at on every page view and correction
def numbers(text: str) -> Counter[str]:
    """The numbers of ``text``, separators dropped: ``"on 3 May 2016, 1,500 people"`` -> {3, 2016, 1500}."""
    return Counter(re.sub(r"\D", "", match) for match in NUMBER.findall(text))


def unit_risks(rows: Sequence[Row], langs: Sequence[str], pivot: str, *,
               threshold: float = DEFAULT_REVIEW_THRESHOLD) -> list[Risk]:
    """One :class:`Risk` per row, in row order."""
    present = [lang for lang in langs if any(row[f"sents_{lang}"] for row in rows)]
    usual = _usual_log_ratios(rows, present, pivot)
    return [_risk(row, present, pivot, usual, threshold) for row in rows]


def _risk(row: Row, present: Sequence[str], pivot: str, usual: dict[str, float], threshold: float) -> Risk:
    if row[STATUS] == CONFIRMED:
        return Risk((), 0.0)
    marks = []
    score = row["score"]
    if score is not None and score < threshold:
        marks.append("low score")
    counts = [len(row[f"sents_{lang}"]) for lang in present]
    if any(counts) and not all(counts):
        marks.append("empty")
    elif any(count != 1 for count in counts):
        marks.append("shape")
    if _length_outlier(row, present, pivot, usual):
        marks.append("length")
    if _numbers_differ(row, present, pivot):
        marks.append("numbers")
    total = sum(WEIGHTS[mark] for mark in marks)
    if "low score" in marks and score is not None:
        total += threshold - score  # lower scores first among equal marks
    return Risk(tuple(marks), total)


def _log_ratio(row: Row, lang: str, pivot: str) -> float | None:
    a, b = len(row[f"text_{lang}"]), len(row[f"text_{pivot}"])
    if a < MIN_CHARS_FOR_RATIO or b < MIN_CHARS_FOR_RATIO:
        return None
    return math.log(a / b)


def _usual_log_ratios(rows: Sequence[Row], present: Sequence[str], pivot: str) -> dict[str, float]:
    usual = {}
    for lang in present:
        if lang == pivot or pivot not in present:
            continue
        ratios = [r for r in (_log_ratio(row, lang, pivot) for row in rows) if r is not None]
        if ratios:
            usual[lang] = statistics.median(ratios)
    return usual


def _length_outlier(row: Row, present: Sequence[str], pivot: str, usual: dict[str, float]) -> bool:
    for lang, median in usual.items():
        ratio = _log_ratio(row, lang, pivot)
        if ratio is not None and abs(ratio - median) > LENGTH_LOG_TOLERANCE:
            return True
    return False


def _numbers_differ(row: Row, present: Sequence[str], pivot: str) -> bool:
    if pivot not in present or not row[f"text_{pivot}"]:
        return False
    expected = numbers(row[f"text_{pivot}"])
    return any(
        numbers(row[f"text_{lang}"]) != expected
        for lang in present
        if lang != pivot and row[f"text_{lang}"]
    )
