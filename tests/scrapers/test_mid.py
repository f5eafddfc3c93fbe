"""The mid.ru adapter end to end, against the sample site on a real local server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import pytest

from scrapers.item import fetch_item
from scrapers.localsite import LocalSite, Route, load_manifest, serve
from scrapers.options import FetchOptions
from scrapers.records import ItemResult
from scrapers.sample_site import LANGS, NEW_PATHS, OLD_PATHS, SAMPLE_DIR
from scrapers.sample_site.build import (
    FURNITURE,
    SITE_NAME,
    SampleText,
    load_texts,
    render_old,
)

FAST = FetchOptions(delay=0, timeout=3, max_retries=1, backoff=0.01)
TEXTS = load_texts()
OLD_PUBLISHED = datetime(2016, 10, 6, 19, 14, tzinfo=timezone.utc)
NEW_PUBLISHED = datetime(2016, 10, 6, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def site() -> Iterator[LocalSite]:
    with serve(load_manifest(SAMPLE_DIR)) as running:
        yield running


def furniture_strings(lang: str) -> list[str]:
    f = FURNITURE[lang]
    return [SITE_NAME, f.portlet, f.additional, f.advanced, f.print, f.share, f.contents, f.back, *f.menu]


def assert_matches_texts(result: ItemResult, published: datetime) -> None:
    assert [d.lang for d in result.documents] == list(LANGS)
    assert result.absences == ()
    for doc in result.documents:
        text: SampleText = TEXTS[doc.lang]
        assert doc.title == text.title
        assert doc.published == published
        assert doc.doc_number == text.doc_number
        assert doc.paragraphs == text.paragraphs
        assert doc.para_kinds == text.kinds
        assert (doc.original_lang, doc.detected_lang) == ("ru", doc.lang)
        assert doc.lang_confidence > 0.9
        assert len(doc.html_sha256) == 64


@pytest.mark.parametrize("start", LANGS)
def test_old_layout_all_versions_from_any_start(site: LocalSite, start: str) -> None:
    result = fetch_item(site.url(OLD_PATHS[start]), options=FAST, site="mid.ru")
    assert result.doc_id == "archive.mid.ru:2490975"
    assert_matches_texts(result, OLD_PUBLISHED)
    assert {d.lang: d.url for d in result.documents} == {lang: site.url(p) for lang, p in OLD_PATHS.items()}
    assert result.notes == ()


@pytest.mark.parametrize("start", LANGS)
def test_new_layout_all_versions_from_any_start(site: LocalSite, start: str) -> None:
    result = fetch_item(site.url(NEW_PATHS[start]), options=FAST, site="mid.ru")
    assert result.doc_id == "mid.ru:1527258"
    assert_matches_texts(result, NEW_PUBLISHED)


def test_new_layout_without_lang_query_is_the_interface_language(site: LocalSite) -> None:
    result = fetch_item(site.url("/ru/foreign_policy/news/1527258/"), options=FAST, site="mid.ru")
    assert_matches_texts(result, NEW_PUBLISHED)
    assert result.documents[-1].url == site.url("/ru/foreign_policy/news/1527258/")


def test_no_furniture_in_titles_or_paragraphs(site: LocalSite) -> None:
    for paths in (OLD_PATHS, NEW_PATHS):
        for doc in fetch_item(site.url(paths["en"]), options=FAST, site="mid.ru").documents:
            blocks = (doc.title, *doc.paragraphs)
            assert not set(blocks) & set(furniture_strings(doc.lang)), doc.lang
            for fragment in (SITE_NAME, FURNITURE[doc.lang].portlet, "de-DE", "Back to contents"):
                assert not any(fragment in block for block in blocks), (doc.lang, fragment)


def test_langs_restricts_what_is_fetched(site: LocalSite) -> None:
    before = len(site.hits)
    result = fetch_item(site.url(NEW_PATHS["fr"]), options=FAST, site="mid.ru", langs=["ru", "en"])
    assert [d.lang for d in result.documents] == ["ru", "en"]
    assert result.absences == ()
    fetched = site.hits[before:]
    assert not any("lang=de" in hit or "lang=es" in hit for hit in fetched)


def test_old_layout_rules_without_a_language_bar() -> None:
    """No switcher at all: the /{lang}/ and web/guest rules find de, en, es, ru; fr sits in another section."""
    routes = {path: Route.html(render_old(TEXTS[lang])) for lang, path in OLD_PATHS.items()}
    with serve(routes) as bare:
        result = fetch_item(bare.url(OLD_PATHS["en"]), options=FAST, site="mid.ru")
    assert [d.lang for d in result.documents] == ["de", "en", "es", "ru"]
    assert result.documents[0].url.endswith("/de/web/guest/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/2490975")
    [absence] = result.absences
    assert absence.lang == "fr"
    assert absence.reason == "HTTP 404 Not Found (not retried)"


def test_unknown_body_markup_falls_back_to_the_generic_extractor() -> None:
    routes = {
        path: Route.html(render_old(TEXTS[lang], links=OLD_PATHS).replace("text article-content", "content-v2"))
        for lang, path in OLD_PATHS.items()
    }
    with serve(routes) as odd:
        result = fetch_item(odd.url(OLD_PATHS["en"]), options=FAST, site="mid.ru", langs=["en", "ru"])
    assert [d.lang for d in result.documents] == ["en", "ru"]
    assert len(result.notes) == 2
    assert "used the generic extractor" in result.notes[0]
    for doc in result.documents:
        long_ones = [p for p in TEXTS[doc.lang].paragraphs if len(p) > 80]
        assert set(long_ones) <= set(doc.paragraphs)
        assert FURNITURE[doc.lang].additional not in doc.paragraphs


def test_through_an_http_proxy_for_the_real_host(site: LocalSite, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", site.base_url)
    result = fetch_item("http://www.mid.ru" + OLD_PATHS["ru"], options=FAST)
    assert result.doc_id == "archive.mid.ru:2490975"
    assert_matches_texts(result, OLD_PUBLISHED)
    assert "http://www.mid.ru" + OLD_PATHS["fr"] in site.hits


def test_progress_reports_each_request(site: LocalSite) -> None:
    lines: list[str] = []
    fetch_item(site.url(NEW_PATHS["en"]), options=FAST, site="mid.ru", progress=lines.append)
    assert lines == [f"mid.ru:1527258: fetching {site.url(NEW_PATHS[lang])}" for lang in ("en", "de", "es", "fr", "ru")]
