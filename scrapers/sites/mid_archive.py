"""mid.ru as an archive: telling the new-layout twin of an old item.

The old portal's items live on under new ids (../shared/SITES.md, "Seen
since"): the document number, the date and the title tie an old item to its
twin. The number is missing on some items and not unique on a handful, so it
is evidence, not proof. Reading date indexes, listings and feeds is the
crawl's (:mod:`scrapers.crawl.sources`); finding the twin is
:mod:`scrapers.crawl.twins`'.
"""

from __future__ import annotations

from datetime import datetime
from difflib import SequenceMatcher
from typing import Final

from scrapers.extract.paragraphs import label_of
from scrapers.records import Article

__all__ = ["is_twin", "title_ratio"]

# Titles this similar (after label_of's normalisation) name the same item
TWIN_TITLE_RATIO: Final = 0.8
TWIN_MAX_DAYS_APART: Final = 1


def is_twin(old: Article, new: Article) -> bool:
    """Whether a new-layout page is the old item re-hosted: same number when both carry one, same day, like titles.

    Two different numbers settle it (no twin); equal numbers still need the
    date, since a handful of numbers repeat.
    """
    if old.doc_number and new.doc_number and old.doc_number != new.doc_number:
        return False
    if old.published is not None and new.published is not None:
        if _days_apart(old.published, new.published) > TWIN_MAX_DAYS_APART:
            return False
    elif not (old.doc_number and new.doc_number):
        return False  # neither a date nor a number to tie them: a title alone is not enough
    same_number = bool(old.doc_number) and old.doc_number == new.doc_number
    return same_number or title_ratio(old.title, new.title) >= TWIN_TITLE_RATIO


def _days_apart(a: datetime, b: datetime) -> int:
    return abs((a.date() - b.date()).days)


def title_ratio(a: str, b: str) -> float:
    """How alike two titles are (0 to 1), after ``label_of``'s normalisation."""
    return SequenceMatcher(None, label_of(a), label_of(b), autojunk=False).ratio()
