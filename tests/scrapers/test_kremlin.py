"""The kremlin.ru adapter: ru on kremlin.ru, en on en.kremlin.ru, the site's markup, its own delay.

The two hosts are served by one local server standing in as the proxy
(HTTP_PROXY), which routes on the requested host. English text from the
project's reference seed; the Russian is our own translation.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scrapers.http.client import HttpClient
from scrapers.http.options import FetchOptions
from scrapers.item import fetch_item, host_delays
from scrapers.sites import adapter_for
from scrapers.sites.kremlin import KremlinAdapter
from scrapers.testing.localsite import Route

PATH = "/events/president/news/52345"
RU_URL, EN_URL = f"http://kremlin.ru{PATH}", f"http://en.kremlin.ru{PATH}"
EN = {
    "title": "Meeting with Foreign Minister of France Jean-Marc Ayrault",
    "paragraphs": [
        "Today we held in-depth discussions with my French colleague.",
        "We discussed preparations for the October 19 visit to France.",
        "France is a long-time partner of Russia, and we deeply care about the quality of our relations with it.",
    ],
    "sections": "Published in sections: News, Transcripts",
    "site": "President of Russia",
}
RU = {
    "title": "Встреча с Министром иностранных дел Франции Жаном-Марком Эро",
    "paragraphs": [
        "Сегодня мы провели обстоятельные переговоры с моим французским коллегой.",
        "Мы обсудили подготовку визита во Францию 19 октября.",
        "Франция – давний партнёр России, и нам очень важно качество наших отношений с ней.",
    ],
    "sections": "Опубликован в разделах: Новости, Стенограммы",
    "site": "Президент России",
}


def page(text: dict[str, object], lang: str, *, with_h1: bool = True) -> Route:
    paragraphs = list(text["paragraphs"])  # type: ignore[call-overload]
    first = paragraphs[0].replace("colleague", 'colleague<span class="read__tooltip">Jean-Marc Ayrault</span>')
    first = first.replace("коллегой", 'коллегой<span class="read__tooltip">Жан-Марк Эро</span>')
    body = "".join(f"<p>{p}</p>" for p in [first, *paragraphs[1:]])
    other = "http://en.kremlin.ru" if lang == "ru" else "http://kremlin.ru"
    h1 = f'<h1 class="entry-title p-name">{text["title"]}</h1>' if with_h1 else ""
    return Route.html(
        f'<!DOCTYPE html><html lang="{lang}"><head><title>{text["title"]} • {text["site"]}</title></head><body>'
        f'<header><a href="{other}{PATH}">{"English" if lang == "ru" else "Русский"}</a></header>'
        f'<article>{h1}<time class="read__published" datetime="2016-10-06">6 October 2016</time>'
        f'<div itemprop="articleBody">{body}<p>{text["sections"]}</p>'
        '<div class="read__bottom"><p>Share: Facebook, Twitter</p></div><p>Related: other news</p></div>'
        "</article></body></html>"
    )


@pytest.fixture
def kremlin(local_site, monkeypatch):
    site = local_site({f"kremlin.ru{PATH}": page(RU, "ru"), f"en.kremlin.ru{PATH}": page(EN, "en", with_h1=False)})
    monkeypatch.setenv("HTTP_PROXY", site.base_url)
    return site


def test_both_hosts_are_one_item_with_the_sites_markup(kremlin):
    result = fetch_item(EN_URL, options=FetchOptions(delay=0, timeout=3, max_retries=0), langs=["en", "ru"])
    assert result.doc_id == "kremlin.ru:52345"
    assert [(d.lang, d.url) for d in result.documents] == [("en", EN_URL), ("ru", RU_URL)]
    for doc, text in zip(result.documents, (EN, RU), strict=True):
        assert doc.title == text["title"]  # en from <title> without " • President of Russia"
        assert list(doc.paragraphs) == text["paragraphs"]  # no tooltip, no sections line, nothing after the bottom
        assert doc.published == datetime(2016, 10, 6, tzinfo=UTC)
        assert doc.original_lang == "ru"
    assert set(kremlin.hits) == {"http://en.kremlin.ru/robots.txt", EN_URL, "http://kremlin.ru/robots.txt", RU_URL}


def test_the_adapter_is_chosen_by_host_and_knows_each_hosts_language():
    for url, lang in ((RU_URL, "ru"), (EN_URL, "en"), ("http://www.kremlin.ru/events/president/news/1", "ru")):
        adapter = adapter_for(url)
        assert isinstance(adapter, KremlinAdapter) and adapter.url_lang(url) == lang


def test_fifteen_seconds_between_requests_on_its_hosts_unless_delay_is_given():
    delays = host_delays(KremlinAdapter(), EN_URL, named=False)
    assert delays == dict.fromkeys(("en.kremlin.ru", "kremlin.ru", "www.kremlin.ru"), 15.0)
    with HttpClient(FetchOptions(), host_delays=delays) as client:
        assert client.delay_for("en.kremlin.ru") == 15.0 and client.delay_for("example.org") == 1.0
