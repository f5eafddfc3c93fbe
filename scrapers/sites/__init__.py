"""Site adapters, chosen by host or by name (``--site mid.ru``).

The registry maps a name to the function that picks the adapter for a URL;
modules are imported only when their site is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit

from scrapers.errors import FetchError, ScraperError

if TYPE_CHECKING:
    from scrapers.sites.base import SiteAdapter

# site name -> "module:function(url) -> SiteAdapter"
SITES: Final[dict[str, str]] = {
    "mid.ru": "scrapers.sites.mid:layout_for",
    "kremlin.ru": "scrapers.sites.kremlin:layout_for",
    "generic": "scrapers.sites.generic:layout_for",
}
HOSTS: Final[dict[str, str]] = {
    "mid.ru": "mid.ru", "www.mid.ru": "mid.ru", "archive.mid.ru": "mid.ru",
    "kremlin.ru": "kremlin.ru", "www.kremlin.ru": "kremlin.ru", "en.kremlin.ru": "kremlin.ru",
}  # fmt: skip


def available_sites() -> list[str]:
    """The registered site names (for ``fetch_item(site=...)`` and ``--site``), in registration order."""
    return list(SITES)


def site_for_host(host: str | None) -> str:
    return HOSTS.get((host or "").lower(), "generic")


def adapter_for(url: str, site: str | None = None) -> SiteAdapter:
    """The adapter for ``url``: the named ``site``, else the one registered for its host.

    Raises ScraperError for an unknown site name.
    """
    try:
        host = urlsplit(url).hostname
    except ValueError as err:  # "http://[::1/x": every later step would trip on it too
        raise FetchError(
            f"cannot fetch {url}: malformed URL ({err}). Hint: copy the address from the browser's address bar.",
            url=url,
        ) from None
    name = site or site_for_host(host)
    if name not in SITES:
        known = ", ".join(sorted(SITES))
        raise ScraperError(f"unknown site `{name}`: choose one of {known} (or leave out --site)")
    module_name, attribute = SITES[name].split(":")
    factory = getattr(importlib.import_module(module_name), attribute)
    return factory(url)  # type: ignore[no-any-return]
