"""Links from one language version of a page to the others.

Three kinds of evidence, all read from the page itself: ``<link rel="alternate"
hreflang>`` tags, language-switcher links (``a[hreflang]``, ``a[lang]``, links
whose text is a locale such as ``de-DE`` or a language's own name, Liferay's
``languageId=de_DE``), and links to the same path that only change a language
query parameter (``?lang=de``, ``?selectedLocale=de``). Site adapters add their
own URL rules on top; every candidate is validated later, so discovery may
over-generate.
"""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from typing import Final, Literal
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from scrapers.extract.paragraphs import normalize_text
from scrapers.langtags import lang_code, query_lang

Source = Literal["hreflang", "switcher", "rule"]

# A flag image named by its locale: ".../language/de_DE.png", "/flags/fr.gif", "flag-es.svg"
FLAG_FILE: Final = re.compile(r"(?:^|[/_-])(?P<locale>[a-z]{2}(?:[-_][A-Za-z]{2})?)\.(?:png|gif|svg|jpe?g|webp)$")


@dataclass(frozen=True)
class Candidate:
    """A URL that may hold the ``lang`` version, and what suggested it."""

    lang: str
    url: str
    source: Source


def discover_links(soup: BeautifulSoup, page_url: str) -> list[Candidate]:
    """Every language-version link the page announces, in page order, hreflang first."""
    found: list[Candidate] = []
    for link in soup.find_all("link", attrs={"hreflang": True, "href": True}):
        if "alternate" in _rel(link):
            with suppress(ValueError):  # a malformed address ("http://[bad/") leads nowhere: skipped
                _add(found, lang_code(str(link["hreflang"])), page_url, str(link["href"]), "hreflang")
    for anchor in soup.find_all("a", href=True):
        with suppress(ValueError):
            lang = _switcher_lang(anchor, page_url)
            _add(found, lang, page_url, str(anchor["href"]), "switcher")
    return found


def _rel(tag: Tag) -> list[str]:
    rel: str | list[str] = tag.get("rel") or []
    return [str(r).lower() for r in (rel if isinstance(rel, list) else str(rel).split())]


def _switcher_lang(anchor: Tag, page_url: str) -> str | None:
    """The language a link leads to, from its attributes, its URL or its label (text, title, flag)."""
    parent = anchor.parent if isinstance(anchor.parent, Tag) and anchor.parent.name == "li" else None
    for value in (anchor.get("hreflang"), anchor.get("lang"), parent.get("lang") if parent else None):
        lang = lang_code(str(value or ""))
        if lang:
            return lang
    href = urljoin(page_url, str(anchor["href"]))
    lang = _liferay_lang(href) or (query_lang(href) if _same_path(href, page_url) else None)
    if lang:
        return lang
    image = anchor.find("img")
    labels = [normalize_text(anchor.get_text(" ")), str(anchor.get("title") or ""), str(anchor.get("aria-label") or "")]
    if isinstance(image, Tag):
        labels += [str(image.get("alt") or ""), str(image.get("title") or "")]
    for label in labels:
        label = label.strip()
        if 0 < len(label) <= 12:
            lang = lang_code(label) or lang_code(label.replace(" ", ""))
            if lang:
                return lang
    return _flag_lang(image) if isinstance(image, Tag) and not normalize_text(anchor.get_text(" ")) else None


def _flag_lang(image: Tag) -> str | None:
    """A bare flag's language from its file name: ``/images/language/de_DE.png``, ``flag-fr.svg``."""
    match = FLAG_FILE.search(urlsplit(str(image.get("src") or "")).path)
    return lang_code(match.group("locale")) if match else None


def _liferay_lang(url: str) -> str | None:
    for key, value in parse_qsl(urlsplit(url).query):
        if key.lower() == "languageid":
            return lang_code(value)
    return None


def _same_path(url: str, other: str) -> bool:
    a, b = urlsplit(url), urlsplit(other)
    return (a.netloc, a.path.rstrip("/")) == (b.netloc, b.path.rstrip("/"))


def _add(found: list[Candidate], lang: str | None, page_url: str, href: str, source: Source) -> None:
    if lang is None or href.startswith(("javascript:", "mailto:", "#")):
        return
    url = urldefrag(urljoin(page_url, href)).url
    if urlsplit(url).scheme not in ("http", "https"):
        return
    candidate = Candidate(lang, url, source)
    if candidate not in found:
        found.append(candidate)
