"""The crawl's pieces without a crawl: source readers, the frontier, the not-the-item rule."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from scrapers.crawl.frontier import VersionRow, open_frontier
from scrapers.crawl.sources import SourcePage, classify, date_index_pages, in_range, read_source
from scrapers.crawl.twins import Known, _match, number_date
from scrapers.errors import ScraperError
from scrapers.item import version_problem
from scrapers.language import LanguageGuess
from scrapers.records import Article
from scrapers.sites.generic import GenericAdapter
from scrapers.sites.mid import MidNewLayout

MID = MidNewLayout()


def test_urls_are_classified_by_what_they_are() -> None:
    march = (date(2024, 3, 1), date(2024, 3, 2))
    assert classify("https://www.mid.ru/ru/foreign_policy/news/", MID, dates=march) == SourcePage(
        "https://www.mid.ru/ru/foreign_policy/news/", "index"
    )
    assert classify("https://www.mid.ru/ru/foreign_policy/news/", MID, dates=None).kind == "listing"  # type: ignore[union-attr]
    assert classify("https://www.mid.ru/en/rss.php", MID, dates=None).kind == "feed"  # type: ignore[union-attr]
    assert classify("https://example.org/sitemap-news.xml", GenericAdapter(), dates=None).kind == "sitemap"  # type: ignore[union-attr]
    assert classify("https://www.mid.ru/ru/foreign_policy/news/1527258/", MID, dates=march) is None


def test_a_date_range_is_one_index_page_a_day() -> None:
    pages = date_index_pages("https://www.mid.ru/ru/foreign_policy/news", date(2024, 2, 28), date(2024, 3, 1))
    assert [page.url for page in pages] == [
        f"https://www.mid.ru/ru/foreign_policy/news/?activeFrom={d}&activeTo={d}" for d in ("28.02.2024", "29.02.2024", "01.03.2024")
    ]
    with pytest.raises(ScraperError, match="before --from"):
        date_index_pages("https://www.mid.ru/ru/foreign_policy/news/", date(2024, 3, 2), date(2024, 3, 1))


def test_a_listing_gives_items_with_dates_titles_and_its_next_page() -> None:
    html = (
        '<ul class="announce announce_articles"><li class="announce__item"><span class="announce__date">04.03.2024</span>'
        '<a class="announce__link" href="/ru/foreign_policy/news/1600001/">Заявление  МИД</a></li>'
        '<li class="announce__item"><a class="announce__link" href="https://www.mid.ru/ru/foreign_policy/news/1600002/">B</a></li>'
        '</ul><a class="pagination__next" href="/ru/foreign_policy/news/?PAGEN_1=2">2</a>'
    )
    page = "http://127.0.0.1:8000/ru/foreign_policy/news/?activeFrom=04.03.2024&activeTo=04.03.2024"
    reading = read_source(SourcePage(page, "index"), html, page, MID)
    assert [(i.url, i.title, i.published) for i in reading.items] == [
        ("http://127.0.0.1:8000/ru/foreign_policy/news/1600001/", "Заявление МИД", date(2024, 3, 4)),
        # a link to the real site, read on a local copy, stays on the copy
        ("http://127.0.0.1:8000/ru/foreign_policy/news/1600002/", "B", None),
    ]
    assert reading.more == (SourcePage("http://127.0.0.1:8000/ru/foreign_policy/news/?PAGEN_1=2", "index"),)


def test_feeds_and_sitemaps() -> None:
    rss = (
        "<rss><channel><item><title>T1</title><link>https://www.mid.ru/en/foreign_policy/news/1/</link>"
        "<pubDate>Mon, 04 Mar 2024 10:00:00 +0300</pubDate></item></channel></rss>"
    )
    items = read_source(SourcePage("https://www.mid.ru/en/rss.php", "feed"), rss, "https://www.mid.ru/en/rss.php", MID).items
    assert [(i.url, i.title, i.published) for i in items] == [("https://www.mid.ru/en/foreign_policy/news/1/", "T1", date(2024, 3, 4))]
    index = "<sitemapindex><sitemap><loc>https://ex.org/s1.xml</loc></sitemap></sitemapindex>"
    assert read_source(SourcePage("https://ex.org/sitemap.xml", "sitemap"), index, "https://ex.org/sitemap.xml", GenericAdapter()).more == (
        SourcePage("https://ex.org/s1.xml", "sitemap"),
    )
    urlset = "<urlset><url><loc>https://ex.org/en/a/5</loc><lastmod>2024-03-04T10:00:00Z</lastmod></url></urlset>"
    listed = read_source(SourcePage("https://ex.org/s1.xml", "sitemap"), urlset, "https://ex.org/s1.xml", GenericAdapter()).items
    assert [(i.url, i.published) for i in listed] == [("https://ex.org/en/a/5", date(2024, 3, 4))]
    assert in_range(listed[0], (date(2024, 3, 4), date(2024, 3, 4)))
    assert not in_range(listed[0], (date(2024, 3, 5), date(2024, 3, 9)))


def test_the_frontier_keeps_state_across_connections(tmp_path: Path) -> None:
    with open_frontier(tmp_path) as frontier:
        assert frontier.queue_item("mid.ru:1", "http://x/ru/news/1/")
        assert not frontier.queue_item("mid.ru:1", "http://x/en/news/1/")  # the same item under another URL
        frontier.mark_url("http://x/ru/news/1/?lang=de", "gone", status=404, error="HTTP 404", attempted=True)
        frontier.set_versions("mid.ru:1", [VersionRow("ru", "stored", "http://x/ru/news/1/", "abc", None)])
        frontier.set_item("mid.ru:1", "stored", fetched=True, realign=True)
    with open_frontier(tmp_path, create=False) as frontier:
        assert frontier.item("mid.ru:1").state == "stored"  # type: ignore[union-attr]
        assert frontier.url_row("http://x/ru/news/1/?lang=de")[:2] == ("gone", 404)  # type: ignore[index]
        assert frontier.unaligned() == ["mid.ru:1"]
        frontier.mark_aligned(["mid.ru:1"])
        counts = frontier.counts()
    assert counts["items"] == {"stored": 1} and counts["aligned"] == {"yes": 1} and counts["versions"] == {"stored": 1}
    with pytest.raises(FileNotFoundError), open_frontier(tmp_path / "none", create=False):
        pass


def _article(title: str, published: datetime | None, number: str | None) -> Article:
    return Article(title, published, number, ("Ein Absatz des Textes.",), ("text",))


def test_a_page_with_nothing_of_the_item_is_not_a_version() -> None:
    reference = _article("Заявление", datetime(2024, 3, 4, tzinfo=UTC), "1-04-03-2024")
    home = _article("Ministerium für Auswärtige Angelegenheiten", None, None)
    guess = LanguageGuess("de", 0.99)
    problem = version_problem("de", home, guess, reference=reference, same_item=None, kept={})
    assert problem is not None and problem.startswith("not the item")
    dated = _article("Erklärung", datetime(2024, 3, 4, tzinfo=UTC), None)
    assert version_problem("de", dated, guess, reference=reference, same_item=None, kept={}) is None
    assert version_problem("de", home, guess, reference=reference, same_item=True, kept={}) is None
    # a reference with neither date nor number gives nothing to check against
    bare = _article("T", None, None)
    assert version_problem("de", home, guess, reference=bare, same_item=None, kept={}) is None


def test_twins_are_matched_by_number_then_date_and_title() -> None:
    assert number_date("1383-22-09-2011") == date(2011, 9, 22)
    assert number_date("31-31-02-2011") is None
    day = datetime(2011, 9, 22, tzinfo=UTC)
    known = Known(date(2011, 9, 22), "Statement on Libya", "1383-22-09-2011")
    assert _match(_article("Statement on Libya", day, "1383-22-09-2011"), known) == "same document number 1383-22-09-2011"
    # the number is evidence, not proof: the same number on another day is another item
    later = datetime(2011, 9, 29, tzinfo=UTC)
    assert _match(_article("Statement on Libya", later, "1383-22-09-2011"), known) is None
    assert _match(_article("Talks with the Foreign Minister of Chile", day, "1400-22-09-2011"), known) is None
    no_number = Known(date(2011, 9, 22), "Statement on Libya")
    assert _match(_article("Statement on Libya.", day, None), no_number) == "same date and title"
