"""kremlin.ru, the President of Russia: Russian on kremlin.ru, English on en.kremlin.ru, one numeric id.

``http://kremlin.ru/events/president/news/52345`` and
``http://en.kremlin.ru/events/president/news/52345`` are the two versions of
one item (../shared/SITES.md, "Seen since"). The markup: title
``h1.entry-title`` (else ``<title>`` minus " • President of Russia"), date
``time.read__published[datetime]``, body ``[itemprop=articleBody]`` up to
``.read__bottom``, with ``span.read__tooltip`` pop-ups and a trailing
"Published in section(s): …" line that are not text. The site answered 403
after bursts: 15 s between requests.
"""

from __future__ import annotations

import re
from typing import ClassVar, Final
from urllib.parse import urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

from scrapers.discover import Candidate, discover_links
from scrapers.errors import ExtractionError
from scrapers.extract.dates import parse_date
from scrapers.extract.paragraphs import body_paragraphs, first_title, normalize_text
from scrapers.records import Article
from scrapers.sites.generic import GenericAdapter

KREMLIN_HOSTS: Final = ("kremlin.ru", "www.kremlin.ru", "en.kremlin.ru")
# the language each real host serves
HOST_LANGS: Final = {"kremlin.ru": "ru", "www.kremlin.ru": "ru", "en.kremlin.ru": "en"}
LANG_HOSTS: Final = {"ru": "kremlin.ru", "en": "en.kremlin.ru"}
# "Vladimir Putin met with ... • President of Russia" -> the part before the bullet
TITLE_SUFFIX: Final = re.compile(r"\s*[•|]\s*(?:President of Russia|Президент России)\s*$")
# the section list that closes the body: "Published in sections: News, Transcripts"
PUBLISHED_IN: Final = re.compile(
    r"^(?:Published in sections?|Опубликовано? в разделах?)\s*:", re.IGNORECASE
)
BODY_END: Final = ".read__bottom"
DROPPED: Final = ("span.read__tooltip",)


class KremlinAdapter(GenericAdapter):
    """kremlin.ru / en.kremlin.ru: the generic discovery plus the hosts rule and the site's own markup."""

    name: ClassVar[str] = "kremlin.ru"
    original_lang: ClassVar[str | None] = "ru"
    # corpus builders wait 10-15 s; kremlin.ru answered 403 after ~150 fast requests
    host_delay: ClassVar[float | None] = 15.0
    hosts: ClassVar[tuple[str, ...]] = KREMLIN_HOSTS

    def doc_id(self, url: str) -> str:
        item = self.item_id(url)
        return f"kremlin.ru:{item}" if item is not None else super().doc_id(url)

    def url_lang(self, url: str) -> str | None:
        return HOST_LANGS.get((urlsplit(url).hostname or "").lower()) or super().url_lang(url)

    def candidates(self, url: str, soup: BeautifulSoup, lang: str) -> list[Candidate]:
        """The page's own links to ``lang``, then the same path on that language's host."""
        found = [c for c in discover_links(soup, url) if c.lang == lang]
        parts = urlsplit(url)
        if (parts.hostname or "").lower() in HOST_LANGS and lang in LANG_HOSTS:
            ruled = urlunsplit(parts._replace(netloc=LANG_HOSTS[lang], fragment=""))
            if ruled not in (c.url for c in found):
                found.append(Candidate(lang, ruled, "rule"))
        return found

    def extract(self, soup: BeautifulSoup, url: str) -> tuple[Article, list[str]]:
        body = soup.select_one("[itemprop=articleBody]")
        if body is None:  # not the site's article markup: the generic selectors and trafilatura
            return super().extract(soup, url)
        _cut_at_the_bottom(body)
        for selector in DROPPED:
            for element in body.select(selector):
                element.decompose()
        paragraphs, kinds = body_paragraphs(body)
        while paragraphs and PUBLISHED_IN.match(paragraphs[-1]):
            paragraphs, kinds = paragraphs[:-1], kinds[:-1]
        title = first_title(soup.select("h1.entry-title")) or _title_tag(soup)
        if not title:
            raise ExtractionError(f"{url}: no article title found on the page", url=url)
        if not paragraphs:
            raise ExtractionError(f"{url}: no article body found on the page", url=url)
        published = soup.select_one("time.read__published[datetime]")
        article = Article(
            title=title, published=parse_date(str(published["datetime"])) if isinstance(published, Tag) else None,
            doc_number=None, paragraphs=paragraphs, para_kinds=kinds, used_fallback=False,
        )  # fmt: skip
        return article, []


def _cut_at_the_bottom(body: Tag) -> None:
    """Drop ``.read__bottom`` (sections, tags, share links) and whatever follows it inside the body."""
    bottom = body.select_one(BODY_END)
    if bottom is None:
        return
    for sibling in list(bottom.find_next_siblings()):
        sibling.decompose()
    bottom.decompose()


def _title_tag(soup: BeautifulSoup) -> str | None:
    if soup.title is None or not soup.title.string:
        return None
    return TITLE_SUFFIX.sub("", normalize_text(soup.title.string)) or None


def layout_for(url: str) -> KremlinAdapter:
    """The registry's entry point: one layout for both hosts."""
    return KremlinAdapter()
