"""Polite fetching, language-version discovery and article extraction.

This package never imports ``align``: it turns one URL into the language
versions of an item, as records that the caller stores (``align.store_item``).
The names below are its public API; importing the package does no work and
loads none of httpx, lxml, BeautifulSoup or lingua: each name is imported from
its module on first use.

Fetch an item
    :func:`fetch_item` (-> :class:`ItemResult` of :class:`Document` and
    :class:`Absence` records), configured by :class:`FetchOptions`; pass one
    :class:`HttpClient` (its pages are :class:`Page`) to fetch many items with
    one throttle and cache. :data:`SUPPORTED_LANGS` are the languages kept.
Sites and languages
    :func:`adapter_for` picks the :class:`SiteAdapter` for a URL (or by name,
    :func:`available_sites`), which extracts an :class:`Article` from a page;
    :func:`detect_language` (-> :class:`LanguageGuess`).
Errors
    :class:`ScraperError` and its subclasses (see :mod:`scrapers.errors`); a
    failed request as data is a :class:`FailedRequest` (``err.record()``,
    ``HttpClient.failures``).

A local HTTP server for tests of site adapters is in :mod:`scrapers.testing`.

Example::

    from pathlib import Path
    from scrapers import FetchOptions, fetch_item

    url = "https://www.mid.ru/en/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/2490975"
    result = fetch_item(url, options=FetchOptions(cache_dir=Path("aligned/cache")))
    print([doc.lang for doc in result.documents], [(a.lang, a.reason) for a in result.absences])
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

from scrapers._exports import lazy_exports

if TYPE_CHECKING:
    from scrapers.errors import (
        AntiBotInterstitial,
        DiscoveryError,
        ExtractionError,
        FailedRequest,
        FetchError,
        HttpStatusError,
        NotInCache,
        RetryableFetchError,
        RetryableHttpStatusError,
        RobotsDisallowed,
        ScraperError,
        SiteManifestError,
        TooLarge,
    )
    from scrapers.http.client import HttpClient, Page
    from scrapers.http.options import FetchOptions
    from scrapers.item import fetch_item
    from scrapers.langtags import SUPPORTED_LANGS
    from scrapers.language import LanguageGuess, detect_language
    from scrapers.records import Absence, Article, Document, ItemResult
    from scrapers.sites import adapter_for, available_sites
    from scrapers.sites.base import SiteAdapter

# public name -> the module that defines it
_EXPORTS: Final[dict[str, str]] = {
    "fetch_item": "scrapers.item",
    "FetchOptions": "scrapers.http.options",
    "HttpClient": "scrapers.http.client",
    "Page": "scrapers.http.client",
    "ItemResult": "scrapers.records",
    "Document": "scrapers.records",
    "Absence": "scrapers.records",
    "Article": "scrapers.records",
    "SUPPORTED_LANGS": "scrapers.langtags",
    "detect_language": "scrapers.language",
    "LanguageGuess": "scrapers.language",
    "adapter_for": "scrapers.sites",
    "available_sites": "scrapers.sites",
    "SiteAdapter": "scrapers.sites.base",
    "ScraperError": "scrapers.errors",
    "FetchError": "scrapers.errors",
    "FailedRequest": "scrapers.errors",
    "HttpStatusError": "scrapers.errors",
    "RetryableFetchError": "scrapers.errors",
    "RetryableHttpStatusError": "scrapers.errors",
    "AntiBotInterstitial": "scrapers.errors",
    "RobotsDisallowed": "scrapers.errors",
    "TooLarge": "scrapers.errors",
    "NotInCache": "scrapers.errors",
    "SiteManifestError": "scrapers.errors",
    "ExtractionError": "scrapers.errors",
    "DiscoveryError": "scrapers.errors",
}

__all__ = [
    "SUPPORTED_LANGS",
    "Absence",
    "AntiBotInterstitial",
    "Article",
    "DiscoveryError",
    "Document",
    "ExtractionError",
    "FailedRequest",
    "FetchError",
    "FetchOptions",
    "HttpClient",
    "HttpStatusError",
    "ItemResult",
    "LanguageGuess",
    "NotInCache",
    "Page",
    "RetryableFetchError",
    "RetryableHttpStatusError",
    "RobotsDisallowed",
    "ScraperError",
    "SiteAdapter",
    "SiteManifestError",
    "TooLarge",
    "adapter_for",
    "available_sites",
    "detect_language",
    "fetch_item",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, __all__)
