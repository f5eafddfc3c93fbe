"""The bundled sample site, served on a free loopback port for ``bitext demo``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from scrapers.testing.sample_site import NEW_START, OLD_START, SAMPLE_DIR

if TYPE_CHECKING:
    from scrapers.testing.localsite import LocalSite


@contextmanager
def sample_site() -> Iterator[LocalSite]:
    """Serve the sample site on 127.0.0.1 (a free port) while the block runs."""
    from scrapers.testing.localsite import load_manifest, serve

    with serve(load_manifest(SAMPLE_DIR)) as site:
        yield site


def demo_urls(site: LocalSite) -> list[str]:
    """Start URLs of the sample item in the old and the new mid.ru layout."""
    return [site.url(OLD_START), site.url(NEW_START)]
