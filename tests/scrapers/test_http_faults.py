"""Each injected fault meets its designed outcome: retried, or one clear error."""

from __future__ import annotations

import dataclasses
import socket
import time

import pytest

from scrapers.errors import (
    AntiBotInterstitial,
    FetchError,
    HttpStatusError,
    RetryableFetchError,
    RetryableHttpStatusError,
    TooLarge,
)
from scrapers.http.client import HttpClient
from scrapers.testing.localsite import Route, interstitial_route

ARTICLE = Route.html("<html><body><p>The Minister held talks.</p></body></html>")


def fetch(site, options, path):
    with HttpClient(options) as client:
        return client.get(site.url(path))


def test_500_then_success_is_retried(local_site, fast_options):
    site = local_site({"/item": (Route(status=500), ARTICLE)})
    page = fetch(site, fast_options, "/item")
    assert page.status == 200
    assert "talks" in page.text
    assert site.count("/item") == 2


def test_persistent_503_gives_up_after_all_retries(local_site, fast_options):
    site = local_site({"/item": Route(status=503)})
    with pytest.raises(RetryableHttpStatusError) as caught:
        fetch(site, fast_options, "/item")
    assert caught.value.status == 503
    assert "HTTP 503" in str(caught.value)
    assert "Gave up after 3 attempts" in str(caught.value)
    assert site.count("/item") == fast_options.max_retries + 1


def test_429_waits_for_retry_after_then_succeeds(local_site, fast_options):
    site = local_site({"/item": (Route(status=429, headers={"Retry-After": "1"}), ARTICLE)})
    page = fetch(site, fast_options, "/item")
    assert page.status == 200
    first, second = (hit.received_at for hit in site.log if hit.path == "/item")
    assert second - first >= 1.0


def test_retry_after_is_capped(local_site, fast_options):
    options = dataclasses.replace(fast_options, max_retry_after=0.2)
    site = local_site({"/item": (Route(status=503, headers={"Retry-After": "3600"}), ARTICLE)})
    started = time.monotonic()
    page = fetch(site, options, "/item")
    assert page.status == 200
    assert time.monotonic() - started < 30  # the hour was not honoured


def test_slower_than_timeout_is_retried_then_names_the_timeout(local_site, fast_options):
    options = dataclasses.replace(fast_options, timeout=0.2, max_retries=1)
    site = local_site({"/item": Route.html("late", delay=3.0)})
    with pytest.raises(RetryableFetchError) as caught:
        fetch(site, options, "/item")
    message = str(caught.value)
    assert "timed out after 0.2 s" in message
    assert caught.value.url == site.url("/item")
    assert site.count("/item") == 2


def test_slow_once_then_fast_succeeds(local_site, fast_options):
    options = dataclasses.replace(fast_options, timeout=0.2)
    site = local_site({"/item": (Route.html("late", delay=3.0), ARTICLE)})
    assert "talks" in fetch(site, options, "/item").text
    assert site.count("/item") == 2


def test_truncated_once_is_retried(local_site, fast_options):
    site = local_site({"/item": (Route.html("x" * 500, truncate_at=100), ARTICLE)})
    assert "talks" in fetch(site, fast_options, "/item").text
    assert site.count("/item") == 2


def test_permanently_truncated_body_is_an_error(local_site, fast_options):
    site = local_site({"/item": Route.html("x" * 500, truncate_at=100)})
    with pytest.raises(RetryableFetchError, match=r"truncated .*Gave up after 3 attempts"):
        fetch(site, fast_options, "/item")
    assert site.count("/item") == 3


def test_redirect_is_followed_and_final_url_kept(local_site, fast_options):
    site = local_site({"/old": Route.redirect("/new", status=301), "/new": ARTICLE})
    page = fetch(site, fast_options, "/old")
    assert page.requested_url == site.url("/old")
    assert page.url == site.url("/new")


def test_redirect_loop_is_too_many_redirects(local_site, fast_options):
    site = local_site({"/a": Route.redirect("/b"), "/b": Route.redirect("/a")})
    with pytest.raises(FetchError, match="too many redirects") as caught:
        fetch(site, fast_options, "/a")
    assert not isinstance(caught.value, RetryableFetchError)
    assert site.count("/a") + site.count("/b") == fast_options.max_redirects + 1


def test_redirect_to_another_scheme_is_refused(local_site, fast_options):
    site = local_site({"/a": Route.redirect("ftp://example.org/file")})
    with pytest.raises(FetchError, match="unsupported scheme 'ftp'"):
        fetch(site, fast_options, "/a")


@pytest.mark.parametrize("status", [404, 410, 403])
def test_client_error_is_final_with_status_in_message(local_site, fast_options, status):
    site = local_site({"/de/item": Route(status=status)})
    with pytest.raises(HttpStatusError) as caught:
        fetch(site, fast_options, "/de/item")
    assert caught.value.status == status
    assert f"HTTP {status}" in str(caught.value)
    assert site.url("/de/item") in str(caught.value)
    assert not isinstance(caught.value, RetryableFetchError)
    assert site.count("/de/item") == 1


def test_unknown_path_is_404(local_site, fast_options):
    site = local_site({})
    with pytest.raises(HttpStatusError, match="HTTP 404 Not Found"):
        fetch(site, fast_options, "/nothing/here")


def test_interstitial_once_is_retried(local_site, fast_options):
    site = local_site({"/item": (interstitial_route(), ARTICLE)})
    page = fetch(site, fast_options, "/item")
    assert "talks" in page.text
    assert site.count("/item") == 2


def test_permanent_interstitial_is_retryable_error_never_a_page(local_site, fast_options):
    site = local_site({"/item": interstitial_route()})
    with pytest.raises(AntiBotInterstitial) as caught:
        fetch(site, fast_options, "/item")
    assert isinstance(caught.value, RetryableFetchError)
    assert "anti-bot interstitial" in str(caught.value)
    assert site.count("/item") == 3


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked-stream"])
def test_body_over_the_cap_is_too_large(local_site, fast_options, chunked):
    options = dataclasses.replace(fast_options, max_bytes=4_000)
    site = local_site({"/big": Route(body=b"x" * 50_000, chunked=chunked)})
    with pytest.raises(TooLarge, match="larger than the 4,000-byte cap"):
        fetch(site, options, "/big")
    assert site.count("/big") == 1


def test_body_at_the_cap_is_accepted(local_site, fast_options):
    options = dataclasses.replace(fast_options, max_bytes=4_000)
    site = local_site({"/big": Route(body=b"x" * 4_000, chunked=True)})
    assert len(fetch(site, options, "/big").body) == 4_000


@pytest.mark.parametrize(
    ("url", "scheme"),
    [("ftp://mid.ru/file", "'ftp'"), ("file:///etc/passwd", "'file'"), ("www.mid.ru/en/item", "none")],
)
def test_non_http_scheme_is_rejected(fast_options, url, scheme):
    with HttpClient(fast_options) as client, pytest.raises(FetchError) as caught:
        client.get(url)
    assert str(caught.value) == (
        f"cannot fetch {url}: unsupported scheme {scheme}. Hint: only http:// and https:// URLs can be fetched."
    )


@pytest.fixture
def dead_url():
    """A URL whose port is held by a socket that never listens: connections are refused."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{holder.getsockname()[1]}/gone"


def test_connection_refused_is_retried_then_reported(fast_options, dead_url):
    with HttpClient(fast_options) as client, pytest.raises(RetryableFetchError) as caught:
        client.get(dead_url)
    assert "connection failed (ConnectError" in str(caught.value)
    assert "Gave up after 3 attempts" in str(caught.value)


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("http://", "the URL has no valid host"),
        ("http:///en/item", "the URL has no valid host"),
        ("http://www mid.ru/en/", "the URL has no valid host"),
        ("http://[::1/en/", "malformed URL (Invalid IPv6 URL)"),
        ("https://mid.ru:99999/en/", "malformed URL (Port out of range"),
        ("http://" + "a" * 300 + ".ru/", "malformed URL"),
    ],
)
def test_malformed_url_is_one_clear_final_error(fast_options, url, fragment):
    with HttpClient(fast_options) as client, pytest.raises(FetchError) as caught:
        client.get(url)
    assert fragment in str(caught.value)
    assert not isinstance(caught.value, RetryableFetchError)
    assert client.requests_made == 0


def test_surrounding_spaces_and_fragment_are_dropped(local_site, fast_options):
    site = local_site({"/en/item": ARTICLE})
    with HttpClient(fast_options) as client:
        page = client.get(f"  {site.url('/en/item')}#top \n")
    assert page.requested_url == page.url == site.url("/en/item")
