"""The new-layout twin of an old-layout mid.ru item that robots.txt forbids.

Items of the old portal live on under new ids (../shared/SITES.md, "Seen
since"): a 22.09.2011 item numbered ``1383-22-09-2011`` is
``/en/foreign_policy/news/1607500/``. The twin is looked for in the new
layout's date index of the item's date, in the URL's language: matched by
document number, then by date and title, as mid.ru's rule
:func:`scrapers.sites.mid_archive.is_twin` decides (the number is evidence,
not proof: missing on some items, repeated on a handful).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit, urlunsplit

from scrapers.crawl.sources import Listed, SourcePage, date_index_pages, read_source
from scrapers.errors import ExtractionError, FetchError
from scrapers.extract.paragraphs import parse_page
from scrapers.http.cache import ResponseCache
from scrapers.records import Article
from scrapers.sites.mid import MidNewLayout, MidOldLayout
from scrapers.sites.mid_archive import is_twin, title_ratio

if TYPE_CHECKING:
    from scrapers.http.client import HttpClient

# "1383-22-09-2011" -> day 22, month 09, year 2011 (the number's date part)
NUMBER_DATE: Final = re.compile(r"^\d{1,5}-(?P<day>\d{1,2})-(?P<month>\d{1,2})-(?P<year>\d{4})$")
LIKELY_TITLE: Final = 0.5  # below this a listed title is not worth a request
MAX_CANDIDATES: Final = 25  # item pages fetched at most to find one twin
MAX_INDEX_PAGES: Final = 5  # pages of one day's index read at most


@dataclass(frozen=True)
class Known:
    """What is known of the old item: from the cache, or the date the user gave."""

    day: date | None
    title: str | None = None
    doc_number: str | None = None


@dataclass(frozen=True)
class TwinSearch:
    """The twin's URL if found, and one line saying how (or why not)."""

    url: str | None
    line: str


def known_from_cache(url: str, cache: ResponseCache | None, day: date | None) -> Known:
    """The old item's date, title and number from a cached copy; ``day`` (``--date``) wins for the date."""
    hit = cache.load(url) if cache is not None else None
    if hit is None or hit.status != 200:
        return Known(day)
    try:
        article, _ = MidOldLayout().extract(parse_page(hit.body, hit.content_type), url)
    except ExtractionError:
        return Known(day)
    published = article.published.date() if article.published else number_date(article.doc_number)
    return Known(day or published, article.title, article.doc_number)


def number_date(doc_number: str | None) -> date | None:
    """``1383-22-09-2011`` -> 2011-09-22."""
    match = NUMBER_DATE.match(doc_number or "")
    if match is None:
        return None
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None


def find_twin(client: HttpClient, old_url: str, known: Known) -> TwinSearch:
    """Search the date index of ``known.day`` for the new-layout page of the old item at ``old_url``."""
    if known.day is None:
        return TwinSearch(None, "its date is unknown (not in the cache): give it with --date YYYY-MM-DD to find its twin")
    lang = MidOldLayout().url_lang(old_url) or "ru"
    parts = urlsplit(old_url)
    host = "www.mid.ru" if parts.hostname == "archive.mid.ru" else parts.netloc
    section = urlunsplit((parts.scheme, host, f"/{lang}/foreign_policy/news/", "", ""))
    adapter = MidNewLayout()
    index = date_index_pages(section, known.day, known.day)[0]
    try:
        listed = _day_listing(client, index, adapter)
    except FetchError as err:
        return TwinSearch(None, f"the date index of {known.day:%d.%m.%Y} cannot be read ({err})")
    ranked = sorted(listed, key=lambda item: -_similarity(item.title, known.title))
    if known.title:
        ranked = [item for item in ranked if _similarity(item.title, known.title) >= LIKELY_TITLE]
    elif not known.doc_number:
        return TwinSearch(None, f"neither its title nor its number is known, so {len(listed)} items of "
                                f"{known.day:%d.%m.%Y} cannot be told apart")  # fmt: skip
    for item in ranked[:MAX_CANDIDATES]:
        try:
            page = client.get(item.url)
            article, _ = adapter.extract(parse_page(page.body, page.content_type), page.url)
        except (FetchError, ExtractionError):
            continue
        reason = _match(article, known)
        if reason:
            return TwinSearch(item.url, f"its new-layout twin is {item.url} ({reason})")
    return TwinSearch(None, f"no item of {known.day:%d.%m.%Y} in {index.url} matches it")


def _day_listing(client: HttpClient, index: SourcePage, adapter: MidNewLayout) -> list[Listed]:
    """The items of the day's index, its first page and the further ones robots.txt allows."""
    reading = read_source(index, client.get(index.url).text, index.url, adapter)
    listed, pages, seen = list(reading.items), list(reading.more), {index.url}
    while pages and len(seen) < MAX_INDEX_PAGES:
        page = pages.pop(0)
        if page.url in seen:
            continue
        seen.add(page.url)
        try:
            more = read_source(page, client.get(page.url).text, page.url, adapter)
        except FetchError:  # robots.txt forbids it (?PAGEN_1=2&...), or it fails: the first pages still count
            continue
        listed += more.items
        pages += more.more
    return listed


def _match(article: Article, known: Known) -> str | None:
    """How the page is the old item's twin (mid.ru's rule: :func:`scrapers.sites.mid_archive.is_twin`), or None."""
    day = datetime(known.day.year, known.day.month, known.day.day, tzinfo=UTC) if known.day else None
    old = Article(known.title or "", day, known.doc_number, (), ())
    if not is_twin(old, article):
        return None
    if known.doc_number and article.doc_number == known.doc_number:
        return f"same document number {known.doc_number}"
    return "same date and title"


def _similarity(a: str | None, b: str | None) -> float:
    return title_ratio(a, b) if a and b else 0.0
