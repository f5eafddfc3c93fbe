"""What a site adapter knows: item ids, language URL rules and where the article sits."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from bs4 import BeautifulSoup, Tag

from scrapers.discover import Candidate, discover_links
from scrapers.langtags import lang_code
from scrapers.records import Article


class SiteAdapter(ABC):
    """One site (or one layout of a site).

    ``fetch_item`` asks the adapter for the item's ``doc_id``, the language a
    URL asks for, the candidate URLs of the other versions, and the article
    on each page; validation and fetching stay outside.
    """

    name: ClassVar[str]
    #: The language the site's items are written in, when the site says so (mid.ru: ru).
    original_lang: ClassVar[str | None] = None
    #: Polite minimum delay between requests to the site's real hosts, in seconds.
    host_delay: ClassVar[float | None] = None
    #: Real host names of the site, for the per-host delay.
    hosts: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def doc_id(self, url: str) -> str:
        """The id shared by every language version of the item at ``url``."""

    @abstractmethod
    def item_id(self, url: str) -> str | None:
        """The item id visible in ``url``, if any: candidates must carry the same one."""

    @abstractmethod
    def url_lang(self, url: str) -> str | None:
        """The language of the text that ``url`` asks for, if the URL says."""

    @abstractmethod
    def extract(self, soup: BeautifulSoup, url: str) -> tuple[Article, list[str]]:
        """The article on the page and notes for the user (e.g. "generic extractor used").

        Raises ExtractionError when the page holds no article.
        """

    def candidates(self, url: str, soup: BeautifulSoup, lang: str) -> list[Candidate]:
        """URLs that may hold the ``lang`` version, best first (default: links the page announces)."""
        return [c for c in discover_links(soup, url) if c.lang == lang]

    def page_lang(self, url: str, soup: BeautifulSoup) -> str | None:
        """The language a page claims to be in: its URL, else ``<html lang>``."""
        html = soup.find("html")
        declared = lang_code(str(html.get("lang") or "")) if isinstance(html, Tag) else None
        return self.url_lang(url) or declared
