"""Any site that announces its language versions (hreflang tags or a language switcher).

Covers ``en.``-style hosts, ``/{lang}/`` path prefixes and language
query parameters. The item id is the last all-digit path segment (or an
``id=`` parameter); without one the path, minus its language parts, names the
item.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import ClassVar, Final
from urllib.parse import parse_qsl, urlsplit

from bs4 import BeautifulSoup

from scrapers.extract.dates import parse_date
from scrapers.extract.paragraphs import (
    body_paragraphs,
    fallback_paragraphs,
    first_title,
    inline_text,
    meta_date_text,
    meta_title,
)  # fmt: skip
from scrapers.langtags import lang_code, query_lang
from scrapers.records import Article, ParaKind
from scrapers.sites.base import SiteAdapter

TITLE_SELECTORS: Final = ("h1.entry-title", "[itemprop=headline]", "article h1", "main h1", "h1")
BODY_SELECTORS: Final = (
    "[itemprop=articleBody]", "div.entry-content", "div.article-content", "div.article-body",
    "div.article__text", "div.post-content", "article", "main",
)  # fmt: skip
DATE_SELECTORS: Final = ("time[datetime]", "[itemprop=datePublished]", "[class*=date]", "time")
# "/en/news/12345", "/events/president/news/12345/" -> "12345"
NUMERIC_SEGMENT: Final = re.compile(r"^\d+$")
# "en.kremlin.ru" -> "kremlin.ru"; "www.example.org" -> "example.org"
HOST_PREFIX: Final = re.compile(r"^(?:www\d?|[a-z]{2})\.(?=[^.]+\.[^.]+)")


class GenericAdapter(SiteAdapter):
    """hreflang/switcher discovery, common article selectors, trafilatura behind them."""

    name: ClassVar[str] = "generic"

    def doc_id(self, url: str) -> str:
        parts = urlsplit(url)
        host = HOST_PREFIX.sub("", parts.hostname or "")
        item = self.item_id(url)
        if item is None:
            segments = [s for s in parts.path.split("/") if s and not lang_code(s)]
            item = "/".join(segments) or "index"
        return f"{host}:{item}"

    def item_id(self, url: str) -> str | None:
        parts = urlsplit(url)
        for key, value in parse_qsl(parts.query):
            if key.lower() in ("id", "item", "article") and value.isdigit():
                return value
        numeric = [s for s in parts.path.split("/") if NUMERIC_SEGMENT.match(s)]
        return numeric[-1] if numeric else None

    def url_lang(self, url: str) -> str | None:
        parts = urlsplit(url)
        first = next((s for s in parts.path.split("/") if s), "")
        subdomain = (parts.hostname or "").split(".")[0]
        return query_lang(url) or _path_lang(first) or (lang_code(subdomain) if len(subdomain) == 2 else None)

    def extract(self, soup: BeautifulSoup, url: str) -> tuple[Article, list[str]]:
        # iselect: lazy, so the first title found ends the search (a 15 MB page has ~10^6 nodes)
        title = first_title(el for sel in TITLE_SELECTORS for el in soup.css.iselect(sel)) or meta_title(soup)
        notes: list[str] = []
        paragraphs, kinds = _body(soup, title)
        if not paragraphs:
            paragraphs, kinds = fallback_paragraphs(str(soup), url, title=title)
            notes.append(f"{url}: no article body under the usual selectors; used the generic extractor")
        article = Article(
            title=title or paragraphs[0], published=_published(soup), doc_number=None,
            paragraphs=paragraphs, para_kinds=kinds, used_fallback=bool(notes),
        )  # fmt: skip
        return article, notes


def layout_for(url: str) -> GenericAdapter:
    """The registry's entry point; every generic page has the same layout."""
    return GenericAdapter()


def _path_lang(segment: str) -> str | None:
    return lang_code(segment) if re.fullmatch(r"[a-z]{2}(?:[-_][a-zA-Z]{2})?", segment) else None


def _body(soup: BeautifulSoup, title: str | None) -> tuple[tuple[str, ...], tuple[ParaKind, ...]]:
    for selector in BODY_SELECTORS:
        for element in soup.css.iselect(selector):
            paragraphs, kinds = body_paragraphs(element)
            if paragraphs and paragraphs[0] == title:  # an <article> that holds its own h1
                paragraphs, kinds = paragraphs[1:], kinds[1:]
            if paragraphs:
                return paragraphs, kinds
    return (), ()


def _published(soup: BeautifulSoup) -> datetime | None:
    meta = meta_date_text(soup)
    if meta and parse_date(meta):
        return parse_date(meta)
    for selector in DATE_SELECTORS:
        for element in soup.css.iselect(selector):
            parsed = parse_date(str(element.get("datetime") or "") or inline_text(element))
            if parsed is not None:
                return parsed
    return None
