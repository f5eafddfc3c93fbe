"""Fixtures for scraper tests: a real HTTP server on 127.0.0.1 and quick fetch options.

def test_something(local_site, fast_options):
    site = local_site({"/en/item": Route.html("<p>hi</p>")})
    with HttpClient(fast_options) as client:
        page = client.get(site.url("/en/item"))
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack

import pytest

from scrapers.http.options import FetchOptions
from scrapers.testing.localsite import LocalSite, RouteSpec, SiteManifest, serve

StartSite = Callable[[Mapping[str, RouteSpec] | SiteManifest], LocalSite]


@pytest.fixture
def local_site() -> Iterator[StartSite]:
    """Start ``serve(routes)``; every site started in the test stops at its end."""
    with ExitStack() as stack:

        def start(routes: Mapping[str, RouteSpec] | SiteManifest) -> LocalSite:
            return stack.enter_context(serve(routes))

        yield start


@pytest.fixture
def fast_options() -> FetchOptions:
    """Options that keep fault tests quick: short timeout, no delay, tiny backoff, 2 retries."""
    return FetchOptions(timeout=0.5, delay=0.0, max_retries=2, backoff=0.01, max_retry_after=5.0)
