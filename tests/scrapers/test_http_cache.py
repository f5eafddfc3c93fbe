"""The raw-response cache: a re-run fetches nothing, --offline works from it alone."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time

import pytest

from scrapers.errors import AntiBotInterstitial, HttpStatusError, NotInCache
from scrapers.http.cache import ResponseCache
from scrapers.http.client import HttpClient
from scrapers.testing.localsite import Route, interstitial_route

ARTICLE = Route.html("<p>The Minister held talks.</p>")


@pytest.fixture
def cached_options(fast_options, tmp_path):
    return dataclasses.replace(fast_options, cache_dir=tmp_path / "cache")


def fetch_all(options, urls):
    with HttpClient(options) as client:
        return [client.get(url) for url in urls]


def test_second_run_makes_no_request(local_site, cached_options):
    site = local_site({"/en/item": ARTICLE, "/old": Route.redirect("/en/item")})
    urls = [site.url("/en/item"), site.url("/old")]
    first = fetch_all(cached_options, urls)
    hits_after_first_run = len(site.hits)
    with HttpClient(cached_options) as client:
        second = [client.get(url) for url in urls]
    assert (client.requests_made, client.cache_hits) == (0, 2)
    assert len(site.hits) == hits_after_first_run
    assert [page.from_cache for page in first] == [False, False]
    assert [page.from_cache for page in second] == [True, True]
    assert [(p.requested_url, p.url, p.status, p.content_type, p.body, p.fetched_at) for p in second] == [
        (p.requested_url, p.url, p.status, p.content_type, p.body, p.fetched_at) for p in first
    ]
    assert second[1].url == site.url("/en/item")  # the final URL survives the cache


def test_offline_serves_hits_and_reports_misses(local_site, cached_options):
    site = local_site({"/en/item": ARTICLE, "/de/item": ARTICLE})
    fetch_all(cached_options, [site.url("/en/item")])
    offline = dataclasses.replace(cached_options, offline=True)
    hits_before = len(site.hits)
    with HttpClient(offline) as client:
        assert client.get(site.url("/en/item")).from_cache
        with pytest.raises(NotInCache) as caught:
            client.get(site.url("/de/item"))
    assert len(site.hits) == hits_before
    assert str(caught.value) == (
        f"cannot fetch {site.url('/de/item')}: not in the cache {cached_options.cache_dir}, and fetching offline. "
        "Hint: fetch it once with the network to fill the cache."
    )
    assert (caught.value.kind, caught.value.retryable) == ("not-in-cache", False)


def test_refresh_refetches_and_rewrites(local_site, cached_options):
    site = local_site({"/en/item": (ARTICLE, Route.html("<p>Updated.</p>"))})
    fetch_all(cached_options, [site.url("/en/item")])
    (refreshed,) = fetch_all(dataclasses.replace(cached_options, refresh=True), [site.url("/en/item")])
    assert not refreshed.from_cache
    assert site.count("/en/item") == 2
    (again,) = fetch_all(cached_options, [site.url("/en/item")])
    assert again.from_cache and again.text == "<p>Updated.</p>"


def test_layout_is_host_folder_with_hashed_url(local_site, cached_options):
    site = local_site({"/en/item?lang=en": ARTICLE})
    url = site.url("/en/item?lang=en")
    fetch_all(cached_options, [url])
    key = hashlib.sha256(url.encode()).hexdigest()
    folder = cached_options.cache_dir / f"127.0.0.1_{site.port}"
    assert (folder / f"{key}.body").read_bytes() == ARTICLE.body
    meta = json.loads((folder / f"{key}.json").read_text())
    assert meta["url"] == url and meta["status"] == 200 and meta["content_type"] == ARTICLE.content_type
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"{key}.body", f"{key}.json"])  # no temp files


def test_failures_are_not_cached(local_site, cached_options):
    site = local_site({"/de/item": Route(status=404), "/fr/item": interstitial_route()})
    with HttpClient(cached_options) as client:
        with pytest.raises(HttpStatusError):
            client.get(site.url("/de/item"))
        with pytest.raises(AntiBotInterstitial):
            client.get(site.url("/fr/item"))
    offline = dataclasses.replace(cached_options, offline=True)
    with HttpClient(offline) as client:
        for path in ("/de/item", "/fr/item"):
            with pytest.raises(NotInCache):
                client.get(site.url(path))


def test_cache_hits_do_not_wait_for_the_host_delay(local_site, cached_options):
    site = local_site({"/en/item": ARTICLE})
    fetch_all(cached_options, [site.url("/en/item")])
    slow = dataclasses.replace(cached_options, delay=30.0)
    started = time.monotonic()
    with HttpClient(slow) as client:
        pages = [client.get(site.url("/en/item")) for _ in range(3)]  # would take a minute if they waited
    assert time.monotonic() - started < 5.0
    assert all(page.from_cache for page in pages)


def test_damaged_entry_is_a_miss(local_site, cached_options):
    site = local_site({"/en/item": ARTICLE})
    url = site.url("/en/item")
    fetch_all(cached_options, [url])
    ResponseCache(cached_options.cache_dir).stem(url).with_suffix(".body").write_bytes(b"garbage")
    (page,) = fetch_all(cached_options, [url])
    assert not page.from_cache and page.body == ARTICLE.body
    assert site.count("/en/item") == 2


def test_unwritable_cache_costs_a_warning_not_the_page(local_site, fast_options, tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    site = local_site({"/en/item": ARTICLE})
    with HttpClient(dataclasses.replace(fast_options, cache_dir=blocker)) as client:
        page = client.get(site.url("/en/item"))
    assert page.body == ARTICLE.body
    assert any("could not cache" in r.getMessage() for r in caplog.records if r.levelname == "WARNING")
