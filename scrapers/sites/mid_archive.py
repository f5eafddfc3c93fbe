"""mid.ru as an archive: the date index, listing pages, RSS, and the new-layout twin of an old item.

What live mid.ru does today (../shared/SITES.md, "Seen since"):

* the date index ``/{lang}/foreign_policy/news/?activeFrom=DD.MM.YYYY&activeTo=DD.MM.YYYY``
  lists a day's items, about 20 a page; further pages go through ``?PAGEN_1=``,
  which robots.txt forbids, so a polite crawler reads the first page only;
* listings are ``ul.announce > li.announce__item`` with ``a.announce__link``
  (often relative), ``span.announce__date`` (DD.MM.YYYY), ``span.announce__time``
  (HH:MM) and ``.announce__meta-tags`` (comma-separated);
* RSS per language at ``/{lang}/rss.php``;
* the old portal's items live on under new ids: the document number, the date
  and the title tie an old item to its twin. The number is missing on some
  items and not unique on a handful, so it is evidence, not proof.

Pure functions of URLs, HTML and articles: the crawl decides what to fetch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from difflib import SequenceMatcher
from typing import Final
from urllib.parse import urlencode, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from scrapers.extract.dates import parse_date
from scrapers.extract.paragraphs import inline_text, label_of, parse_html
from scrapers.records import Article

__all__ = [
    "ListingEntry",
    "date_index_url",
    "is_twin",
    "parse_listing",
    "rss_url",
    "title_ratio",
    "twin_candidates",
]

NEWS_SECTION: Final = "foreign_policy/news"
# Titles this similar (after label_of's normalisation) name the same item
TWIN_TITLE_RATIO: Final = 0.8
TWIN_MAX_DAYS_APART: Final = 1


@dataclass(frozen=True)
class ListingEntry:
    """One item of a listing page: its absolute URL, title, date (with the time when given) and tags."""

    url: str
    title: str
    published: datetime | None
    tags: tuple[str, ...] = ()


def date_index_url(origin: str, lang: str, day: date) -> str:
    """The new layout's index of one day's news items.

    >>> date_index_url("https://mid.ru", "ru", date(2011, 9, 22))
    'https://mid.ru/ru/foreign_policy/news/?activeFrom=22.09.2011&activeTo=22.09.2011'
    """
    stamp = f"{day:%d.%m.%Y}"
    return f"{origin.rstrip('/')}/{lang}/{NEWS_SECTION}/?{urlencode({'activeFrom': stamp, 'activeTo': stamp})}"


def rss_url(origin: str, lang: str) -> str:
    """The per-language RSS feed.

    >>> rss_url("https://mid.ru/", "en")
    'https://mid.ru/en/rss.php'
    """
    return f"{origin.rstrip('/')}/{lang}/rss.php"


def parse_listing(html: str | BeautifulSoup, page_url: str) -> list[ListingEntry]:
    """The items a listing or date-index page links to, in page order (relative links made absolute)."""
    soup = html if isinstance(html, BeautifulSoup) else parse_html(html)
    entries: list[ListingEntry] = []
    seen: set[str] = set()
    for item in soup.select("ul.announce li.announce__item"):
        link = item.select_one("a.announce__link")
        if not isinstance(link, Tag) or not link.get("href"):
            continue
        url = urljoin(page_url, str(link["href"]))
        if url in seen or urlsplit(url).scheme not in ("http", "https"):
            continue
        seen.add(url)
        entries.append(ListingEntry(url, inline_text(link), _entry_date(item), _entry_tags(item)))
    return entries


def _entry_date(item: Tag) -> datetime | None:
    day = item.select_one("span.announce__date")
    clock = item.select_one("span.announce__time")
    text = " ".join(inline_text(part) for part in (day, clock) if isinstance(part, Tag))
    return parse_date(text) if text else None


def _entry_tags(item: Tag) -> tuple[str, ...]:
    tags = item.select_one(".announce__meta-tags")
    if not isinstance(tags, Tag):
        return ()
    return tuple(tag.strip() for tag in inline_text(tags).split(",") if tag.strip())


def twin_candidates(title: str, published: datetime | None, entries: Sequence[ListingEntry]) -> list[ListingEntry]:
    """Entries of the item's date index that may be its new-layout twin, the most similar title first.

    An entry dated more than a day away is out; one without a date stays in
    (the index was of the item's day). Titles less than TWIN_TITLE_RATIO alike are out.
    """
    scored = []
    for entry in entries:
        if published is not None and entry.published is not None and _days_apart(published, entry.published) > 1:
            continue
        ratio = title_ratio(title, entry.title)
        if ratio >= TWIN_TITLE_RATIO:
            scored.append((ratio, entry))
    return [entry for _, entry in sorted(scored, key=lambda pair: -pair[0])]


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
