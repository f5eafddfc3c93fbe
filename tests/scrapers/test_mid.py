"""The mid.ru adapter end to end, against the sample site on a real local server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from scrapers.http.options import FetchOptions
from scrapers.item import fetch_item
from scrapers.records import ItemResult
from scrapers.testing.localsite import LocalSite, Route, load_manifest, serve
from scrapers.testing.sample_site import LANGS, NEW_PATHS, OLD_PATHS, SAMPLE_DIR
from scrapers.testing.sample_site.build import (
    FURNITURE,
    SITE_NAME,
    SampleText,
    load_texts,
    render_new,
    render_old,
)

FAST = FetchOptions(delay=0, timeout=3, max_retries=1, backoff=0.01)
TEXTS = load_texts()
OLD_PUBLISHED = datetime(2016, 10, 6, 19, 14, tzinfo=UTC)
NEW_PUBLISHED = datetime(2016, 10, 6, tzinfo=UTC)


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


@pytest.mark.parametrize(("render", "paths"), [(render_old, OLD_PATHS), (render_new, NEW_PATHS)])
def test_unknown_body_markup_falls_back_to_the_generic_extractor(
    render: Callable[..., str], paths: dict[str, str]
) -> None:
    routes = {
        path: Route.html(render(TEXTS[lang], links=paths).replace("text article-content", "content-v2"))
        for lang, path in paths.items()
    }
    with serve(routes) as odd:
        result = fetch_item(odd.url(paths["en"]), options=FAST, site="mid.ru", langs=["en", "ru"])
    assert [d.lang for d in result.documents] == ["en", "ru"]
    assert result.notes == tuple(
        f"{odd.url(paths[lang])}: mid.ru selectors found no body; used the generic extractor" for lang in ("en", "ru")
    )
    for doc in result.documents:
        assert (doc.paragraphs, doc.para_kinds) == (TEXTS[doc.lang].paragraphs, TEXTS[doc.lang].kinds)


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


def other_old_markup(text: SampleText, links: dict[str, str]) -> str:
    """Old-layout page written differently from the sample site: indented, time beside the date,
    language bar with flags, headings as centred spans around <strong>, right-aligned signature."""
    bar = "\n".join(
        f'      <li class="lang"><a href="{path}"><img src="/flags/{lang}.png" alt="{lang}-XX"> '
        f'{lang}-{lang.upper()}</a> <span class="count">1</span></li>'
        for lang, path in links.items()
    )
    paragraphs = "\n".join(
        f'      <p class="dxl-par" style="text-align:center;"><span class="dxl-run"><strong>{p}</strong></span></p>'
        if kind == "heading"
        else f'      <p class="dxl-par">\n        <span class="dxl-run">{p}</span>\n      </p>'
        for p, kind in zip(text.paragraphs, text.kinds)
    )
    day = text.date_old[:-5]
    return f"""<!DOCTYPE html>
<html><head><title>{SITE_NAME}</title></head>
<body>
  <div id="heading"><h1 class="logo"><a href="/">МИД России</a></h1></div>
  <div class="page-content">
   <div class="portlet-column portlet-column-first">
    <div class="portlet-title-default">{FURNITURE[text.lang].portlet}</div>
    <div class="article-status-line"><span class="date"><span>{day}</span> <i>19:14</i></span></div>
    <h1 class="title">{text.title}</h1>
    <div class="languages"><ul>
{bar}
    </ul></div>
    <div class="text article-content">
{paragraphs}
      <p class="dxl-par" style="text-align: right;"><span class="dxl-run">{FURNITURE[text.lang].additional}</span></p>
    </div>
    <div class="article-note">Nr. <span class="nowrap">{text.doc_number}</span></div>
    <div class="bottom-links"><a href="#" onclick="print()">{FURNITURE[text.lang].print}</a></div>
   </div>
  </div>
</body></html>"""


def test_old_layout_written_differently() -> None:
    links = {lang: OLD_PATHS[lang] for lang in ("en", "ru")}
    routes = {path: Route.html(other_old_markup(TEXTS[lang], links)) for lang, path in links.items()}
    with serve(routes) as other:
        result = fetch_item(other.url(links["ru"]), options=FAST, site="mid.ru", langs=["ru", "en"])
    assert [d.lang for d in result.documents] == ["ru", "en"]
    for doc in result.documents:
        text = TEXTS[doc.lang]
        assert (doc.title, doc.published, doc.doc_number) == (text.title, OLD_PUBLISHED, text.doc_number)
        assert (doc.paragraphs, doc.para_kinds) == (text.paragraphs, text.kinds)


def other_new_markup(text: SampleText) -> str:
    """New-layout page written differently: contents as a list, bold-paragraph headings,
    right-aligned "back to contents" links, share buttons inside the article block."""
    f = FURNITURE[text.lang]
    headings = [p for p, kind in zip(text.paragraphs, text.kinds) if kind == "heading"]
    body = [f"<p><strong>{f.contents}</strong></p><ul>"]
    body += [f'<li><a href="https://mid.ru/ru/foreign_policy/news/1527258/#h{i}">{h}</a></li>' for i, h in enumerate(headings)]
    body.append("</ul>")
    for p, kind in zip(text.paragraphs, text.kinds):
        if kind == "heading":
            body.append(f'<p style="text-align: right;"><a href="#top">↑ {f.back}</a></p><p><b>{p}</b></p>')
        else:
            body.append(f"<p>{p}</p>")
    return f"""<html lang="{text.lang}"><body>
<header><div class="header__logo">{SITE_NAME}</div></header>
<div class="photo-content">
  <span class="photo-content__date">{text.date_new}</span>
  <h1 class="photo-content__title">{text.title}</h1>
</div>
<div class="article-line"><p class="article-line__note">№ {text.doc_number}</p></div>
<div class="text article-content">{"".join(body)}
  <div class="social-share"><span>{f.share}</span><a href="https://vk.com/share">VK</a></div>
</div>
<div class="additional"><h2>{f.additional}</h2></div>
</body></html>"""


def test_new_layout_written_differently() -> None:
    routes = {NEW_PATHS[lang]: Route.html(other_new_markup(TEXTS[lang])) for lang in LANGS}
    with serve(routes) as other:
        result = fetch_item(other.url(NEW_PATHS["de"]), options=FAST, site="mid.ru")
    assert_matches_texts(result, NEW_PUBLISHED)


def test_absolute_links_to_the_real_host_stay_on_the_mirror() -> None:
    """A local copy whose language bar links to https://www.mid.ru/...: the copy is used, not the internet."""
    absolute = {lang: "https://www.mid.ru" + path for lang, path in OLD_PATHS.items()}
    routes = {path: Route.html(render_old(TEXTS[lang], links=absolute)) for lang, path in OLD_PATHS.items()}
    with serve(routes) as mirror:
        result = fetch_item(mirror.url(OLD_PATHS["ru"]), options=FAST, site="mid.ru")
        assert {d.lang: d.url for d in result.documents} == {lang: mirror.url(p) for lang, p in OLD_PATHS.items()}


@pytest.mark.parametrize(
    "name",
    ["Außenministerium der Russischen Föderation", "Ministerium für Auswärtige Angelegenheiten der Russischen Föderation",
     "Министерство иностранных дел Российской Федерации", "Asset Publisher", "President of Russia"],
)  # fmt: skip
def test_site_names_and_portlet_titles_are_never_titles(name: str) -> None:
    from scrapers.extract.paragraphs import is_site_name

    assert is_site_name(name) and is_site_name(name.upper())
