"""Where a crawl finds its items: date indexes, RSS feeds, sitemaps, listing pages.

Each reader takes a fetched page and returns :class:`Listed` item links and
further source pages (a sitemap index names sitemaps; a date index may have a
next page). They only read; fetching, robots and politeness are the client's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Final, Literal
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

from scrapers.errors import ScraperError
from scrapers.extract.dates import parse_date
from scrapers.extract.paragraphs import normalize_text, parse_html

if TYPE_CHECKING:
    from scrapers.sites.base import SiteAdapter

SourceKind = Literal["index", "feed", "sitemap", "listing"]

# "/ru/foreign_policy/news/" or "/en/foreign_policy/news" -> ui "ru": a mid.ru news section (new layout)
NEWS_SECTION: Final = re.compile(r"^/(?P<ui>[a-z]{2})/(?P<section>[a-z_]+/[a-z_]+)/?$")
# A sitemap's address: "/sitemap.xml", "/sitemap-news-1.xml", "/sitemaps/index.xml.gz"
SITEMAP_PATH: Final = re.compile(r"sitemap[^/]*\.xml(?:\.gz)?$|/sitemaps?/", re.IGNORECASE)
FEED_PATH: Final = re.compile(r"(?:/rss\.php|\.rss|/rss/?|/feed/?|\.atom)$", re.IGNORECASE)
LISTING_ITEMS: Final = "li.announce__item"  # seen: ul.announce.announce_articles > li.announce__item
NEXT_PAGE: Final = ("a.pagination__next", "a[rel=next]", "link[rel=next]", ".pagination a.next", "a.modern-page-next")
PAGE_PARAMETER: Final = re.compile(r"^PAGEN_\d+$", re.IGNORECASE)  # Bitrix's page number: ?PAGEN_1=2
MAX_DAYS: Final = 3660  # a date range longer than ten years is a typing mistake


@dataclass(frozen=True)
class Listed:
    """An item link a source gave, with what the source said of it."""

    url: str
    title: str | None = None
    published: date | None = None


@dataclass(frozen=True)
class SourcePage:
    """A page to read for item links."""

    url: str
    kind: SourceKind


@dataclass(frozen=True)
class Reading:
    """What one source page gave: items, and more source pages to read."""

    items: tuple[Listed, ...]
    more: tuple[SourcePage, ...] = ()


def classify(url: str, adapter: SiteAdapter, *, dates: tuple[date, date] | None) -> SourcePage | None:
    """What kind of source ``url`` is; None when it is one item's page (fetched as an item)."""
    path = urlsplit(url).path
    if SITEMAP_PATH.search(path):
        return SourcePage(url, "sitemap")
    if FEED_PATH.search(path):
        return SourcePage(url, "feed")
    if adapter.item_id(url) is not None and _looks_like_item(url, adapter):
        return None
    if dates is not None and adapter.name == "mid.ru" and NEWS_SECTION.match(path):
        return SourcePage(url, "index")
    return SourcePage(url, "listing")


def _looks_like_item(url: str, adapter: SiteAdapter) -> bool:
    """An id in the URL and a path that is not a bare section (``/ru/foreign_policy/news/`` has no id)."""
    return not NEWS_SECTION.match(urlsplit(url).path)


def date_index_pages(section_url: str, start: date, end: date) -> list[SourcePage]:
    """One date index page a day, ``start`` to ``end`` inclusive (mid.ru's ``?activeFrom=&activeTo=``)."""
    if end < start:
        raise ScraperError(f"--to {end:%Y-%m-%d} is before --from {start:%Y-%m-%d}: give the earlier date first")
    days = (end - start).days + 1
    if days > MAX_DAYS:
        raise ScraperError(f"the range {start:%Y-%m-%d} to {end:%Y-%m-%d} spans {days} days: give at most {MAX_DAYS}")
    parts = urlsplit(section_url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    pages = []
    for offset in range(days):
        stamp = f"{start + timedelta(days=offset):%d.%m.%Y}"
        query = f"activeFrom={stamp}&activeTo={stamp}"
        pages.append(SourcePage(urlunsplit((parts.scheme, parts.netloc, path, query, "")), "index"))
    return pages


def read_source(source: SourcePage, text: str, page_url: str, adapter: SiteAdapter) -> Reading:
    """The item links and further source pages on one fetched source page."""
    if source.kind == "sitemap":
        return _read_sitemap(text, page_url, adapter)
    if source.kind == "feed":
        return _read_feed(text, page_url, adapter)
    return _read_listing(parse_html(text), page_url, adapter, kind=source.kind)


def _read_listing(soup: BeautifulSoup, page_url: str, adapter: SiteAdapter, *, kind: SourceKind) -> Reading:
    """mid.ru's announce list; on other sites, every same-host link that carries an item id."""
    items: list[Listed] = []
    for entry in soup.select(LISTING_ITEMS):
        link = entry.select_one("a.announce__link[href]") or entry.select_one("a[href]")
        if link is None:
            continue
        day = entry.select_one("span.announce__date")
        published = parse_date(day.get_text(" ", strip=True)) if day else None
        items.append(Listed(
            local_link(str(link["href"]), page_url, adapter), normalize_text(link.get_text(" ")) or None,
            published.date() if published else None,
        ))  # fmt: skip
    if not items and kind == "listing":
        host = urlsplit(page_url).hostname
        for anchor in soup.find_all("a", href=True):
            url = local_link(str(anchor["href"]), page_url, adapter)
            if urlsplit(url).hostname == host and adapter.item_id(url) is not None and _looks_like_item(url, adapter):
                items.append(Listed(url, normalize_text(anchor.get_text(" ")) or None))
    more = [SourcePage(url, kind) for url in _next_pages(soup, page_url, adapter)] if kind == "index" else []
    return Reading(_unique(items), tuple(more))


def _next_pages(soup: BeautifulSoup, page_url: str, adapter: SiteAdapter) -> list[str]:
    """The index's further pages: its "next" link, and every page number (``PAGEN_1=2``) of the same index.

    Whether robots.txt lets them be read is the client's check: ``/*?PAGEN``
    forbids ``?PAGEN_1=2&activeFrom=...`` but not ``?activeFrom=...&PAGEN_1=2``.
    """
    found: list[str] = []
    for selector in NEXT_PAGE:
        link = soup.select_one(selector)
        if isinstance(link, Tag) and link.get("href"):
            found.append(local_link(str(link["href"]), page_url, adapter))
    here = urlsplit(page_url)
    own = {(k, v) for k, v in parse_qsl(here.query) if not PAGE_PARAMETER.match(k)}
    for anchor in soup.find_all("a", href=True):
        url = local_link(str(anchor["href"]), page_url, adapter)
        parts = urlsplit(url)
        query = parse_qsl(parts.query)
        paged = [k for k, _ in query if PAGE_PARAMETER.match(k)]
        rest = {(k, v) for k, v in query if not PAGE_PARAMETER.match(k)}
        if paged and (parts.netloc, parts.path, rest) == (here.netloc, here.path, own) and url != page_url:
            found.append(url)
    return list(dict.fromkeys(found))


def _read_feed(text: str, page_url: str, adapter: SiteAdapter) -> Reading:
    """RSS 2.0 ``<item><link>`` or Atom ``<entry><link href>``, with their titles and dates."""
    soup = BeautifulSoup(text, "xml")
    items = []
    for entry in soup.find_all(["item", "entry"]):
        link = entry.find("link")
        href = (link.get("href") or link.get_text(strip=True)) if isinstance(link, Tag) else ""
        if not href:
            continue
        title = entry.find("title")
        items.append(Listed(
            local_link(str(href), page_url, adapter),
            normalize_text(title.get_text(" ")) if isinstance(title, Tag) else None,
            _feed_date(entry),
        ))  # fmt: skip
    return Reading(_unique(items))


def _feed_date(entry: Tag) -> date | None:
    for name in ("pubDate", "published", "updated", "dc:date"):
        found = entry.find(name)
        if not isinstance(found, Tag):
            continue
        value = found.get_text(strip=True)
        try:
            return parsedate_to_datetime(value).date()
        except (TypeError, ValueError):
            parsed = parse_date(value)
            if parsed is not None:
                return parsed.date()
    return None


def _read_sitemap(text: str, page_url: str, adapter: SiteAdapter) -> Reading:
    """A ``<urlset>`` gives items (``<lastmod>`` as their date); a ``<sitemapindex>`` gives more sitemaps."""
    soup = BeautifulSoup(text, "xml")
    more = [
        SourcePage(local_link(loc.get_text(strip=True), page_url, adapter), "sitemap")
        for sitemap in soup.find_all("sitemap")
        if isinstance(loc := sitemap.find("loc"), Tag)
    ]
    items = []
    for entry in soup.find_all("url"):
        loc = entry.find("loc")
        if not isinstance(loc, Tag):
            continue
        lastmod = entry.find("lastmod")
        modified = _iso_date(lastmod.get_text(strip=True)) if isinstance(lastmod, Tag) else None
        items.append(Listed(local_link(loc.get_text(strip=True), page_url, adapter), None, modified))
    return Reading(_unique(items), tuple(more))


def _iso_date(value: str) -> date | None:
    try:
        return datetime.fromisoformat(value).date()  # Python 3.11 reads a final "Z"
    except ValueError:
        return None


def local_link(href: str, page_url: str, adapter: SiteAdapter) -> str:
    """``href`` made absolute; a link to one of the site's real hosts, read on another host
    (a mirror, a local copy with ``--site``), is pointed at the page's own origin."""
    url = urldefrag(urljoin(page_url, href.strip())).url
    parts, page = urlsplit(url), urlsplit(page_url)
    if parts.hostname in adapter.hosts and page.hostname not in adapter.hosts:
        return urlunsplit(parts._replace(scheme=page.scheme, netloc=page.netloc))
    return url


def in_range(listed: Listed, dates: tuple[date, date] | None) -> bool:
    """Whether an item's listed date falls in ``dates`` (an undated item always does)."""
    if dates is None or listed.published is None:
        return True
    return dates[0] <= listed.published <= dates[1]


def _unique(items: list[Listed]) -> tuple[Listed, ...]:
    seen: dict[str, Listed] = {}
    for item in items:
        seen.setdefault(item.url, item)
    return tuple(seen.values())
