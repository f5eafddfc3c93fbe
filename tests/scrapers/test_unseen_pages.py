"""The mid.ru adapter on pages it was not written against (``unseen_site``), from every start language,
as ``--site mid.ru`` on 127.0.0.1 and as ``http://www.mid.ru/...`` through ``HTTP_PROXY``."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import polars as pl
import pytest
from click.testing import CliRunner
from unseen_site import (
    DOC_NUMBER,
    LANGS,
    TEXTS,
    VARIANTS,
    Mode,
    Variant,
    furniture_strings,
)

from align.cli import main
from scrapers.http.options import FetchOptions
from scrapers.item import fetch_item, host_delays
from scrapers.records import Document, ItemResult
from scrapers.sites import adapter_for
from scrapers.testing.localsite import LocalSite, serve

OPTIONS = FetchOptions(delay=0, timeout=5, max_retries=1, backoff=0.01)


@pytest.fixture(scope="module", params=list(VARIANTS))
def variant_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def fetch_variant(variant: Variant, mode: Mode, start: str, monkeypatch: pytest.MonkeyPatch) -> tuple[ItemResult, LocalSite]:
    with serve(variant.routes) as site:
        if mode == "local":
            result = fetch_item(site.url(variant.starts[start]), options=OPTIONS, site="mid.ru")
        else:
            monkeypatch.setenv("HTTP_PROXY", site.base_url)
            result = fetch_item(f"http://{variant.proxy_host}{variant.starts[start]}", options=OPTIONS)
    return result, site


def assert_exact_versions(result: ItemResult, variant: Variant) -> None:
    assert result.absences == ()
    assert [d.lang for d in result.documents] == list(LANGS)
    for doc in result.documents:
        text = TEXTS[doc.lang]
        assert doc.title == text.title, doc.lang
        assert doc.published == variant.published, doc.lang
        assert doc.doc_number == DOC_NUMBER, doc.lang
        assert list(doc.paragraphs) == list(text.paragraphs), doc.lang
        assert list(doc.para_kinds) == list(text.kinds), doc.lang
        assert doc.detected_lang == doc.lang
        assert_no_boilerplate(doc)


def assert_no_boilerplate(doc: Document) -> None:
    """No piece of site text inside the title or a paragraph (whole-block only for words the text also uses)."""
    text = TEXTS[doc.lang]
    expected = (text.title, *text.paragraphs)
    for furniture in furniture_strings(doc.lang):
        if any(furniture in block for block in expected):
            assert furniture not in (doc.title, *doc.paragraphs), (doc.lang, furniture)
        else:
            assert not any(furniture in block for block in (doc.title, *doc.paragraphs)), (doc.lang, furniture)


def versions_at(result: ItemResult) -> dict[str, tuple[str, str]]:
    return {d.lang: (urlsplit(d.url).hostname or "", urlsplit(d.url).path) for d in result.documents}


@pytest.mark.parametrize("mode", ["local", "proxy"])
@pytest.mark.parametrize("start", LANGS)
def test_every_version_exact_from_any_start(
    variant_name: str, mode: Mode, start: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    variant = VARIANTS[variant_name](mode)
    result, site = fetch_variant(variant, mode, start, monkeypatch)
    assert_exact_versions(result, variant)
    assert bool(result.notes) == variant.unknown_body, result.notes
    expected_id = "archive.mid.ru:2491108" if variant.layout == "old" else "mid.ru:1864412"
    assert result.doc_id == expected_id
    if variant.finals:
        host = "127.0.0.1" if mode == "local" else variant.final_host
        assert versions_at(result) == {lang: (host, path) for lang, path in variant.finals.items()}
    assert not any(hit.method != "GET" for hit in site.log)
    hosts = {urlsplit(hit.target).hostname for hit in site.log} if mode == "proxy" else {"127.0.0.1"}
    assert [hit.path for hit in site.log].count("/robots.txt") == len(hosts)
    assert result.requests_made == len(site.log)
    assert result.requests_made <= len(LANGS) + len(hosts) + variant.allowed_extra(mode, start), site.hits


@pytest.mark.parametrize(("name", "mode"), [("old_locale_bar", "proxy"), ("new_photo", "local")])
def test_bitext_fetch_stores_the_exact_versions(name: str, mode: Mode, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command the checker runs: ``--site mid.ru`` on 127.0.0.1, or a mid.ru URL through HTTP_PROXY."""
    variant = VARIANTS[name](mode)
    with serve(variant.routes) as site:
        if mode == "proxy":
            monkeypatch.setenv("HTTP_PROXY", site.base_url)
            args = [f"http://{variant.proxy_host}{variant.starts['ru']}"]
        else:
            args = [site.url(variant.starts["ru"]), "--site", "mid.ru"]
        result = CliRunner().invoke(main, ["fetch", *args, "-d", str(tmp_path), "--delay", "0", "--retries", "0"])
    assert result.exit_code == 0, result.stderr
    frame = pl.read_delta(str(tmp_path / "documents")).sort("lang")
    assert frame["lang"].to_list() == list(LANGS)
    assert frame["title"].to_list() == [TEXTS[lang].title for lang in LANGS]
    assert frame["paragraphs"].to_list() == [list(TEXTS[lang].paragraphs) for lang in LANGS]
    assert set(frame["doc_number"]) == {DOC_NUMBER}
    assert set(frame["published"]) == {variant.published}


def test_a_named_site_keeps_its_delay_on_a_local_mirror() -> None:
    """``--site mid.ru`` without ``--delay`` waits mid.ru's 10 s on whatever host serves it."""
    url = "http://127.0.0.1:8000/ru/foreign_policy/news/1864412/?lang=en"
    adapter = adapter_for(url, "mid.ru")
    assert host_delays(adapter, url, named=True)["127.0.0.1"] == 10.0
    assert "127.0.0.1" not in host_delays(adapter, url, named=False)
    assert host_delays(adapter, url, named=False)["www.mid.ru"] == 10.0
