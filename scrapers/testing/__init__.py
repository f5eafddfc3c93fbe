"""A real HTTP server on 127.0.0.1 for tests and the demo: the loopback site server and the bundled sample site.

For tests of a site adapter or of fetching: :func:`serve` runs a :class:`LocalSite`
answering scripted :class:`Route` responses (or a folder's ``site.json``, read
by :func:`load_manifest` into a :class:`SiteManifest`) and records every
request as a :class:`Hit`. Nothing here touches the internet.

    >>> from scrapers.testing import Route, serve
    >>> with serve({"/a": Route.html("<p>hello</p>")}) as site:
    ...     site.url("/a").startswith("http://127.0.0.1:")
    True

The sample site of ``bitext demo`` is in :mod:`scrapers.testing.demo`. For
tests and benchmarks of crawling, :func:`build_archive` makes the routes of a
mid.ru-shaped news :class:`Archive` of many :class:`ArchiveItem`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from scrapers._exports import lazy_exports

if TYPE_CHECKING:
    from scrapers.testing.archive import Archive, ArchiveItem, build_archive
    from scrapers.testing.localsite import Hit, LocalSite, Route, SiteManifest, load_manifest, serve

# public name -> the module that defines it
_EXPORTS: Final[dict[str, str]] = {
    "serve": "scrapers.testing.localsite",
    "LocalSite": "scrapers.testing.localsite",
    "Route": "scrapers.testing.localsite",
    "Hit": "scrapers.testing.localsite",
    "load_manifest": "scrapers.testing.localsite",
    "SiteManifest": "scrapers.testing.localsite",
    "build_archive": "scrapers.testing.archive",
    "Archive": "scrapers.testing.archive",
    "ArchiveItem": "scrapers.testing.archive",
}

__all__ = ["Archive", "ArchiveItem", "Hit", "LocalSite", "Route", "SiteManifest", "build_archive", "load_manifest", "serve"]


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, __all__)
