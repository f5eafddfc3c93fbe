"""robots.txt: parsed per RFC 9309, fetched once per host, obeyed unless the user opts out."""

from __future__ import annotations

import dataclasses

import pytest
from protego import Protego  # a test extra: the well-kept matcher ours is checked against

from scrapers.errors import AntiBotInterstitial, RobotsDisallowed
from scrapers.http.client import HttpClient
from scrapers.http.robots import parse_robots
from scrapers.testing.localsite import Route, interstitial_route

UA = "bitext/0.1.0 (+https://pypi.org/project/bitext/; parallel-text research)"
ARTICLE = Route.html("<p>The Minister held talks.</p>")

MID_LIKE = """\
# comments are ignored
User-agent: *
Disallow: /search          # trailing comment
Disallow: /*?print=
Disallow: /en/archive/$
Allow: /en/archive/public
Disallow: /en/archive/

User-agent: Yandex
Disallow: /
"""


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/ru/foreign_policy/news/1527258/?lang=en", True),
        ("/search", False),
        ("/search/results?q=1", False),
        ("/en/item?print=1", False),  # wildcard
        ("/en/item?lang=en", True),
        ("/en/archive/", False),  # $ anchor and the plain prefix rule agree
        ("/en/archive/public/1", True),  # the longer Allow beats the shorter Disallow
        ("/en/archive/secret", False),
        ("/robots.txt", True),
    ],
)
def test_star_group_rules(path, allowed):
    assert parse_robots(MID_LIKE, UA).allows(path) is allowed


def test_own_group_wins_over_star_and_matches_product_token_case_insensitively():
    text = "User-agent: *\nDisallow: /\n\nUser-agent: BiText\nDisallow: /private\n"
    rules = parse_robots(text, UA)
    assert rules.allows("/en/news")
    assert not rules.allows("/private/x")


def test_consecutive_user_agent_lines_share_one_group():
    text = "User-agent: other\nUser-agent: bitext\nDisallow: /x\n"
    assert not parse_robots(text, UA).allows("/x/1")


def test_empty_disallow_and_empty_file_allow_everything():
    assert parse_robots("User-agent: *\nDisallow:\n", UA).allows("/anything")
    assert parse_robots("", UA).allows("/anything")


def test_allow_wins_a_tie():
    assert parse_robots("User-agent: *\nDisallow: /a\nAllow: /a\n", UA).allows("/a")


def test_disallowed_url_is_refused_naming_the_rule(local_site, fast_options):
    site = local_site({"/robots.txt": Route.html("User-agent: *\nDisallow: /private\n"), "/private/x": ARTICLE})
    with HttpClient(fast_options) as client, pytest.raises(RobotsDisallowed) as caught:
        client.get(site.url("/private/x"))
    assert str(caught.value) == (
        f"cannot fetch {site.url('/private/x')}: {site.base_url}/robots.txt disallows it for our user agent "
        "(rule `Disallow: /private`). Hint: fetch it only if you have the right to, without obeying robots.txt."
    )
    assert (caught.value.kind, caught.value.rule, caught.value.retryable) == ("robots", "Disallow: /private", False)
    assert list(client.failures) == [caught.value.record()]
    assert site.count("/private/x") == 0


def test_opting_out_fetches_without_reading_robots(local_site, fast_options):
    site = local_site({"/robots.txt": Route.html("User-agent: *\nDisallow: /\n"), "/private/x": ARTICLE})
    options = dataclasses.replace(fast_options, respect_robots=False)
    with HttpClient(options) as client:
        assert client.get(site.url("/private/x")).status == 200
    assert site.count("/robots.txt") == 0


def test_robots_is_fetched_once_per_host(local_site, fast_options):
    site = local_site({"/robots.txt": Route.html("User-agent: *\nDisallow: /private\n"), "/a": ARTICLE, "/b": ARTICLE})
    with HttpClient(fast_options) as client:
        client.get(site.url("/a"))
        client.get(site.url("/b"))
    assert site.hits == ["/robots.txt", "/a", "/b"]


def test_missing_robots_allows_all(local_site, fast_options):
    site = local_site({"/a": ARTICLE})
    with HttpClient(fast_options) as client:
        assert client.get(site.url("/a")).status == 200


def test_robots_server_error_closes_the_site(local_site, fast_options):
    site = local_site({"/robots.txt": Route(status=503), "/a": ARTICLE})
    with (
        HttpClient(fast_options) as client,
        pytest.raises(RobotsDisallowed, match=r"answered HTTP 503.*counts as closed") as caught,
    ):
        client.get(site.url("/a"))
    assert site.count("/robots.txt") == fast_options.max_retries + 1
    assert (caught.value.kind, caught.value.attempts) == ("robots-unavailable", fast_options.max_retries + 1)
    assert site.count("/a") == 0


def test_interstitial_on_robots_is_reported_as_interstitial(local_site, fast_options):
    site = local_site({"/robots.txt": interstitial_route(), "/a": ARTICLE})
    with HttpClient(fast_options) as client, pytest.raises(AntiBotInterstitial):
        client.get(site.url("/a"))


def test_redirect_target_is_checked_against_robots(local_site, fast_options):
    site = local_site(
        {"/robots.txt": Route.html("User-agent: *\nDisallow: /private\n"), "/a": Route.redirect("/private/x")}
    )
    with HttpClient(fast_options) as client, pytest.raises(RobotsDisallowed, match="/private/x"):
        client.get(site.url("/a"))
    assert site.count("/private/x") == 0


def test_crawl_delay_of_our_group_is_read():
    text = "User-agent: *\nCrawl-delay: 9\n\nUser-agent: bitext\nCrawl-delay: 2.5\nDisallow: /x\n"
    assert parse_robots(text, UA).crawl_delay == 2.5
    assert parse_robots("User-agent: *\nCrawl-delay: soon\n", UA).crawl_delay is None


def test_crawl_delay_lengthens_the_default_delay_but_not_an_explicit_one(local_site, fast_options):
    site = local_site({"/robots.txt": Route.html("User-agent: *\nCrawl-delay: 0.4\n"), "/a": ARTICLE})
    host = "127.0.0.1"
    default_delay = dataclasses.replace(fast_options, delay=None)
    with HttpClient(default_delay, host_delays={host: 0.1}) as client:
        assert client.delay_for(host) == 0.1
        client.get(site.url("/a"))
        assert client.delay_for(host) == 0.4
    robots, page = site.log
    assert page.received_at - robots.received_at >= 0.1 - 0.02
    with HttpClient(dataclasses.replace(fast_options, delay=0.0)) as client:
        client.get(site.url("/a"))
        assert client.delay_for(host) == 0.0


# robots.txt as live mid.ru serves it (../shared/SITES.md, "Seen since"): listing pages and the old portal are closed
MID_ROBOTS = """\
User-agent: *
Disallow: /*?PAGEN
Disallow: /*asset_publisher
Disallow: /bitrix/
Allow: /bitrix/templates/
Crawl-delay: 10
"""
MID_PATHS = [
    "/ru/foreign_policy/news/?PAGEN_1=2",
    "/ru/foreign_policy/news/?activeFrom=06.10.2016&activeTo=06.10.2016",
    "/ru/foreign_policy/news/?activeFrom=06.10.2016&activeTo=06.10.2016&PAGEN_1=2",
    "/en/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/2490975",
    "/en/web/guest/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/2490975",
    "/en/foreign_policy/news/1607500/",
    "/ru/foreign_policy/news/1527258/?lang=en",
    "/bitrix/admin/",
    "/bitrix/templates/main/style.css",
    "/en/rss.php",
    "/ru/п",
    "/ru/%D0%BF",
]


@pytest.mark.parametrize("path", MID_PATHS)
def test_our_matcher_agrees_with_protego(path):
    theirs = Protego.parse(MID_ROBOTS).can_fetch(f"https://mid.ru{path}", UA)
    assert parse_robots(MID_ROBOTS, UA).allows(path) is theirs


def test_mid_rules_close_listing_pages_and_the_old_portal_naming_the_rule():
    rules = parse_robots(MID_ROBOTS, UA)
    assert str(rules.forbidding_rule("/ru/foreign_policy/news/?PAGEN_1=2")) == "Disallow: /*?PAGEN"
    old = "/en/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/2490975"
    assert str(rules.forbidding_rule(old)) == "Disallow: /*asset_publisher"
    assert rules.forbidding_rule("/ru/foreign_policy/news/?activeFrom=06.10.2016&activeTo=06.10.2016") is None
    assert rules.crawl_delay == 10.0


def test_percent_encoded_and_raw_paths_are_one_path():
    rules = parse_robots("User-agent: *\nDisallow: /ru/п\n", UA)
    assert not rules.allows("/ru/%D0%BF/1") and not rules.allows("/ru/п/1")
    assert rules.allows("/ru/q")


def test_a_forbidden_old_layout_url_is_never_requested(local_site, fast_options):
    old = "/en/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/2490975"
    site = local_site({"/robots.txt": Route.html(MID_ROBOTS), old: ARTICLE, "/ru/foreign_policy/news/?PAGEN_1=2": ARTICLE})
    with HttpClient(fast_options) as client:
        for path in (old, "/ru/foreign_policy/news/?PAGEN_1=2"):
            with pytest.raises(RobotsDisallowed) as caught:
                client.get(site.url(path))
            assert caught.value.rule in ("Disallow: /*asset_publisher", "Disallow: /*?PAGEN")
    assert site.hits == ["/robots.txt"]


def test_clients_of_one_process_read_robots_once_per_host_and_again_after_a_day(local_site, fast_options):
    from scrapers.http.clock import ManualClock
    from scrapers.http.robots import ROBOTS_MAX_AGE, RobotsBook

    site = local_site({"/robots.txt": Route.html("User-agent: *\nDisallow: /private\n"), "/a": ARTICLE})
    with HttpClient(fast_options) as first, HttpClient(fast_options) as second:
        first.get(site.url("/a"))
        second.get(site.url("/a"))
    assert site.hits == ["/robots.txt", "/a", "/a"]  # the second client used the process-wide rules
    clock, book = ManualClock(), RobotsBook()
    with HttpClient(fast_options, clock=clock, robots=book) as client:
        client.get(site.url("/a"))
        clock.advance(ROBOTS_MAX_AGE)
        client.get(site.url("/a"))
    assert site.hits[3:] == ["/robots.txt", "/a", "/robots.txt", "/a"]
