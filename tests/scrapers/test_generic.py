"""The generic hreflang/switcher adapter against the sample site's generic pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from scrapers.http.options import FetchOptions
from scrapers.item import fetch_item
from scrapers.testing.localsite import LocalSite, Route, load_manifest, serve
from scrapers.testing.sample_site import GENERIC_PATHS, LANGS, SAMPLE_DIR
from scrapers.testing.sample_site.build import FURNITURE, load_texts, render_generic

FAST = FetchOptions(delay=0, timeout=3, max_retries=1, backoff=0.01)
TEXTS = load_texts()


@pytest.fixture(scope="module")
def site() -> Iterator[LocalSite]:
    with serve(load_manifest(SAMPLE_DIR)) as running:
        yield running


@pytest.mark.parametrize("start", LANGS)
def test_all_versions_from_any_start(site: LocalSite, start: str) -> None:
    result = fetch_item(site.url(GENERIC_PATHS[start]), options=FAST)
    assert result.doc_id == "127.0.0.1:52341"
    assert [d.lang for d in result.documents] == list(LANGS)
    assert result.absences == () and result.notes == ()
    for doc in result.documents:
        text = TEXTS[doc.lang]
        assert (doc.title, doc.paragraphs, doc.para_kinds) == (text.title, text.paragraphs, text.kinds)
        assert doc.published == datetime(2016, 10, 6, 19, 14, tzinfo=UTC)
        assert (doc.doc_number, doc.original_lang, doc.detected_lang) == (None, None, doc.lang)
        assert doc.url == site.url(GENERIC_PATHS[doc.lang])
        furniture = FURNITURE[doc.lang]
        assert not {furniture.share, furniture.print, furniture.additional, *furniture.menu} & set(doc.paragraphs)


def test_hreflang_alone_is_enough() -> None:
    """Pages without the switcher list: the <link rel=alternate hreflang> tags lead to every version."""
    routes = {}
    for lang, path in GENERIC_PATHS.items():
        html = render_generic(TEXTS[lang], links=GENERIC_PATHS)
        start, end = html.index('<ul class="lang-menu">'), html.index("</ul>", html.index('<ul class="lang-menu">'))
        routes[path] = Route.html(html[:start] + html[end + 5 :])
    with serve(routes) as bare:
        result = fetch_item(bare.url(GENERIC_PATHS["ru"]), options=FAST)
    assert [d.lang for d in result.documents] == list(LANGS)


def test_unannounced_languages_are_absent_with_a_reason() -> None:
    links = {lang: GENERIC_PATHS[lang] for lang in ("en", "fr")}
    routes = {links[lang]: Route.html(render_generic(TEXTS[lang], links=links)) for lang in links}
    with serve(routes) as small:
        result = fetch_item(small.url(links["en"]), options=FAST)
    assert [d.lang for d in result.documents] == ["en", "fr"]
    assert {(a.lang, a.url, a.reason) for a in result.absences} == {
        (lang, None, f"no link to its {lang} version found") for lang in ("de", "es", "ru")
    }
