from __future__ import annotations

import pytest

from scrapers.discover import Candidate, discover_links
from scrapers.errors import DiscoveryError, ScraperError
from scrapers.extract.paragraphs import parse_html
from scrapers.langtags import lang_code, query_lang
from scrapers.sites import adapter_for
from scrapers.sites.generic import GenericAdapter
from scrapers.sites.mid import MidNewLayout, MidOldLayout, with_lang_query

PAGE = "http://127.0.0.1:8000/en/news/42"
OLD_EN = "https://www.mid.ru/en/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/2490975"
NEW_EN = "https://mid.ru/ru/foreign_policy/news/1527258/?lang=en"


def links(html: str, page: str = PAGE) -> list[Candidate]:
    return discover_links(parse_html(html), page)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("de-DE", "de"), ("fr_FR", "fr"), ("ru-RU1", "ru"), ("EN", "en"), ("Español", "es"), ("it-IT", None), ("x-default", None)],
)
def test_lang_code(value: str, expected: str | None) -> None:
    assert lang_code(value) == expected


def test_hreflang_links_come_first_and_resolve() -> None:
    html = (
        '<head><link rel="alternate" hreflang="de-DE" href="/de/news/42">'
        '<link rel="alternate" hreflang="x-default" href="/news/42"></head>'
        '<body><a href="/fr/news/42" lang="fr-FR">fr</a></body>'
    )
    assert links(html) == [
        Candidate("de", "http://127.0.0.1:8000/de/news/42", "hreflang"),
        Candidate("fr", "http://127.0.0.1:8000/fr/news/42", "switcher"),
    ]


@pytest.mark.parametrize(
    ("anchor", "lang", "url"),
    [
        ('<a hreflang="es" href="/es/news/42">ES</a>', "es", "http://127.0.0.1:8000/es/news/42"),
        ('<a href="/ru/news/42">ru-RU1</a>', "ru", "http://127.0.0.1:8000/ru/news/42"),
        ('<a href="/x?p_p_id=82&amp;languageId=de_DE">Deutsch</a>', "de", "http://127.0.0.1:8000/x?p_p_id=82&languageId=de_DE"),
        ('<a href="?lang=fr">FR</a>', "fr", "http://127.0.0.1:8000/en/news/42?lang=fr"),
        ('<a href="/fr/news/42#top">Français</a>', "fr", "http://127.0.0.1:8000/fr/news/42"),
    ],
)
def test_switcher_links(anchor: str, lang: str, url: str) -> None:
    assert links(anchor) == [Candidate(lang, url, "switcher")]


def test_ordinary_links_are_not_candidates() -> None:
    assert links('<a href="/en/about">About us</a><a href="mailto:a@b.c" lang="de">x</a><a href="/it/x" lang="it">it</a>') == []


def test_query_lang() -> None:
    assert query_lang("http://x/a?lang=fr") == "fr"
    assert query_lang("http://x/a?languageId=ru_RU") == "ru"
    assert query_lang("http://x/a?page=2") is None


def test_mid_old_layout_rules() -> None:
    adapter = MidOldLayout()
    candidates = adapter.candidates(OLD_EN, parse_html("<p>no links</p>"), "de")
    assert [c.url for c in candidates] == [
        "https://www.mid.ru/de/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/2490975",
        "https://www.mid.ru/de/web/guest/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/2490975",
        "https://archive.mid.ru/de/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/2490975",
        "https://archive.mid.ru/de/web/guest/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/2490975",
    ]


def test_mid_old_layout_prefers_switcher_links_with_the_same_id() -> None:
    html = (
        '<a lang="fr-FR" href="/fr/telefonnye-razgovory-ministra/-/asset_publisher/KLX3tiYzsCLY/content/id/2490975">fr-FR</a>'
        '<a lang="fr-FR" href="/fr/">fr-FR</a>'
    )
    urls = [c.url for c in MidOldLayout().candidates("http://127.0.0.1:9/en/a/-/asset_publisher/X/content/id/2490975", parse_html(html), "fr")]
    assert urls[0] == "http://127.0.0.1:9/fr/telefonnye-razgovory-ministra/-/asset_publisher/KLX3tiYzsCLY/content/id/2490975"
    assert urls[1] == "http://127.0.0.1:9/fr/a/-/asset_publisher/X/content/id/2490975"  # the rule, then
    assert urls[-1] == "http://127.0.0.1:9/fr/"  # other switcher links last
    assert not any("archive.mid.ru" in url for url in urls)  # a local server never leads to the real host


def test_mid_new_layout_keeps_the_path() -> None:
    """``?lang=`` on the same path first; the language's own interface path only as a last resort."""
    switcher = parse_html('<a href="/de/aussenpolitik/1527258/?lang=de">DE</a>')
    assert [c.url for c in MidNewLayout().candidates(NEW_EN, switcher, "de")] == [
        "https://mid.ru/ru/foreign_policy/news/1527258/?lang=de",
        "https://mid.ru/de/aussenpolitik/1527258/?lang=de",
        "https://mid.ru/de/foreign_policy/news/1527258/",
    ]
    assert with_lang_query("http://x/ru/a/1/?page=1", "fr") == "http://x/ru/a/1/?page=1&lang=fr"


def test_doc_ids_of_the_two_layouts_differ_for_the_same_number() -> None:
    old = adapter_for("https://www.mid.ru/en/news/-/asset_publisher/X/content/id/1527258")
    new = adapter_for("https://mid.ru/en/foreign_policy/news/1527258/")
    assert old.doc_id("https://www.mid.ru/en/news/-/asset_publisher/X/content/id/1527258") == "archive.mid.ru:1527258"
    assert new.doc_id("https://mid.ru/en/foreign_policy/news/1527258/") == "mid.ru:1527258"
    assert adapter_for("https://archive.mid.ru/fr/web/guest/a/-/asset_publisher/Y/content/id/5").doc_id(
        "https://archive.mid.ru/fr/web/guest/a/-/asset_publisher/Y/content/id/5"
    ) == "archive.mid.ru:5"


@pytest.mark.parametrize(
    ("url", "lang"),
    [
        (OLD_EN, "en"),
        ("https://www.mid.ru/ru/web/guest/a/-/asset_publisher/X/content/id/5", "ru"),
        (NEW_EN, "en"),
        ("https://mid.ru/ru/foreign_policy/news/1527258/", "ru"),
    ],
)
def test_mid_url_lang(url: str, lang: str) -> None:
    assert adapter_for(url).url_lang(url) == lang


@pytest.mark.parametrize(
    ("url", "doc_id", "lang"),
    [
        ("http://en.kremlin.ru/events/president/news/52345", "kremlin.ru:52345", "en"),
        ("http://www.example.org/fr/press/statements/77/", "example.org:77", "fr"),
        ("https://example.org/de-DE/about/mission", "example.org:about/mission", "de"),
        ("https://example.org/item?id=12&lang=es", "example.org:12", "es"),
    ],
)
def test_generic_ids_and_langs(url: str, doc_id: str, lang: str) -> None:
    adapter = adapter_for(url)
    assert isinstance(adapter, GenericAdapter)
    assert (adapter.doc_id(url), adapter.url_lang(url)) == (doc_id, lang)


def test_named_site_wins_over_the_host() -> None:
    assert isinstance(adapter_for("http://127.0.0.1:5/en/a/-/asset_publisher/X/content/id/5", "mid.ru"), MidOldLayout)
    assert isinstance(adapter_for("http://127.0.0.1:5/ru/a/1527258/?lang=en", "mid.ru"), MidNewLayout)


def test_unknown_site_is_one_clear_error() -> None:
    with pytest.raises(ScraperError, match=r"^unknown site `kremlin`: choose one of generic, kremlin\.ru, mid\.ru \(or leave out --site\)$"):
        adapter_for("http://x/", "kremlin")


def test_mid_url_without_an_item_id() -> None:
    with pytest.raises(DiscoveryError, match="no item id in this mid.ru URL"):
        adapter_for("https://mid.ru/ru/foreign_policy/news/").doc_id("https://mid.ru/ru/foreign_policy/news/")


@pytest.mark.parametrize(
    "anchor",
    [
        '<li lang="de-DE"><a href="/de/news/42">Deutsch version</a></li>',
        '<a href="/de/news/42">de-DE<sup>1</sup></a>',
        '<a href="/de/news/42" title="de-DE"><img src="/flags/de.png"></a>',
        '<a href="/de/news/42"><img src="/flags/de.png" alt="Deutsch"></a>',
    ],
)
def test_more_switcher_shapes(anchor: str) -> None:
    assert links(anchor) == [Candidate("de", "http://127.0.0.1:8000/de/news/42", "switcher")]


def test_mid_new_layout_interface_language_without_query() -> None:
    urls = [c.url for c in MidNewLayout().candidates(NEW_EN, parse_html(""), "ru")]
    assert urls == ["https://mid.ru/ru/foreign_policy/news/1527258/?lang=ru", "https://mid.ru/ru/foreign_policy/news/1527258/"]


@pytest.mark.parametrize(
    ("link", "page", "expected"),
    [
        ("https://www.mid.ru/de/a/content/id/5", "http://127.0.0.1:9/en/a/content/id/5", "http://127.0.0.1:9/de/a/content/id/5"),
        ("https://www.mid.ru/de/a/content/id/5", "http://www.mid.ru/en/a/content/id/5", "http://www.mid.ru/de/a/content/id/5"),
        ("https://archive.mid.ru/de/a", "https://www.mid.ru/en/a", "https://archive.mid.ru/de/a"),
        ("https://example.org/de/a", "http://127.0.0.1:9/en/a", "https://example.org/de/a"),
    ],
)
def test_mid_links_stay_on_the_page_origin(link: str, page: str, expected: str) -> None:
    from scrapers.sites.mid import same_origin

    assert same_origin(link, page) == expected


def test_bare_flags_are_read_from_their_file_names() -> None:
    soup = parse_html(
        '<div><a href="/de/x/content/id/7"><img src="/html/themes/mid/images/language/de_DE.png"></a>'
        '<a href="/fr/y/content/id/7"><img src="/flags/flag-fr.svg" alt=""></a>'
        '<a href="/en/logo"><img src="/images/logo.png"></a>'
        '<a href="/es/z/content/id/7" aria-label="Español"><span class="icon"></span></a></div>'
    )
    found = {c.lang: c.url for c in discover_links(soup, "http://127.0.0.1/en/x/content/id/7")}
    assert found == {
        "de": "http://127.0.0.1/de/x/content/id/7",
        "fr": "http://127.0.0.1/fr/y/content/id/7",
        "es": "http://127.0.0.1/es/z/content/id/7",
    }
