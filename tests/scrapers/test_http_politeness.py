"""Identity and manners: user agent, per-host delay, proxies from the environment, log lines."""

from __future__ import annotations

import dataclasses
import logging

from scrapers.http.client import HttpClient
from scrapers.http.options import DEFAULT_DELAY, DEFAULT_USER_AGENT, FetchOptions
from scrapers.testing.localsite import Route

ARTICLE = Route.html("<p>The Minister held talks.</p>")
MID_DELAYS = {"www.mid.ru": 10.0, "mid.ru": 10.0, "archive.mid.ru": 10.0}


def test_user_agent_names_the_tool(local_site, fast_options):
    site = local_site({"/a": ARTICLE})
    with HttpClient(fast_options) as client:
        client.get(site.url("/a"))
    agents = {hit.headers["User-Agent"] for hit in site.log}
    assert agents == {DEFAULT_USER_AGENT}
    assert DEFAULT_USER_AGENT.startswith("bitext/") and "parallel-text research" in DEFAULT_USER_AGENT


def test_second_request_to_a_host_waits_for_the_delay(local_site, fast_options):
    options = dataclasses.replace(fast_options, delay=0.3, respect_robots=False)
    site = local_site({"/a": ARTICLE, "/b": ARTICLE})
    with HttpClient(options) as client:
        client.get(site.url("/a"))
        client.get(site.url("/b"))
    first, second = (hit.received_at for hit in site.log)
    assert second - first >= 0.3 - 0.02  # the client starts >= 0.3 s apart; allow the server's clock skew


def test_robots_request_counts_towards_the_delay(local_site, fast_options):
    options = dataclasses.replace(fast_options, delay=0.3)
    site = local_site({"/a": ARTICLE})
    with HttpClient(options) as client:
        client.get(site.url("/a"))
    robots, page = site.log
    assert (robots.path, page.path) == ("/robots.txt", "/a")
    assert page.received_at - robots.received_at >= 0.3 - 0.02


def test_delay_per_host_comes_from_options_then_adapter_then_default():
    with HttpClient(FetchOptions(), host_delays=MID_DELAYS) as client:
        assert client.delay_for("www.mid.ru") == 10.0
        assert client.delay_for("example.org") == DEFAULT_DELAY
    with HttpClient(FetchOptions(delay=2.5), host_delays=MID_DELAYS) as client:
        assert client.delay_for("www.mid.ru") == 2.5


def test_http_proxy_from_environment_receives_absolute_form(local_site, fast_options, monkeypatch):
    site = local_site({"/en/foreign_policy/news/-/asset_publisher/x/content/id/2490975": ARTICLE})
    monkeypatch.setenv("HTTP_PROXY", site.base_url)
    url = "http://www.mid.ru/en/foreign_policy/news/-/asset_publisher/x/content/id/2490975"
    with HttpClient(fast_options, host_delays=MID_DELAYS) as client:
        page = client.get(url)
    assert page.url == url and "talks" in page.text
    assert site.hits == ["http://www.mid.ru/robots.txt", url]
    assert {hit.headers["Host"] for hit in site.log} == {"www.mid.ru"}


def test_one_info_line_per_request_and_debug_for_cache_hits(local_site, fast_options, tmp_path, caplog):
    options = dataclasses.replace(fast_options, cache_dir=tmp_path, respect_robots=False)
    site = local_site({"/a": (Route(status=500), ARTICLE)})
    with caplog.at_level(logging.DEBUG, logger="scrapers.http.client"), HttpClient(options) as client:
        client.get(site.url("/a"))
        client.get(site.url("/a"))
    records = [r for r in caplog.records if r.name == "scrapers.http.client"]
    info = [r.getMessage() for r in records if r.levelno == logging.INFO]
    warnings = [r.getMessage() for r in records if r.levelno == logging.WARNING]
    debug = [r.getMessage() for r in records if r.levelno == logging.DEBUG]
    assert info == [
        f"GET {site.url('/a')} -> 500 Internal Server Error",
        f"GET {site.url('/a')} -> 200 OK ({len(ARTICLE.body)} bytes)",
    ]
    assert len(warnings) == 1 and "HTTP 500" in warnings[0] and "retry 1/2" in warnings[0]
    assert "Gave up" not in warnings[0]  # a retry is coming: nothing was given up yet
    assert any(message.startswith(f"cache hit {site.url('/a')}") for message in debug)
    assert client.requests_made == 2
