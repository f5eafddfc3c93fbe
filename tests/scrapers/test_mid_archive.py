"""mid.ru's archive knowledge: the date index URL, listing entries, and telling an old item's new-layout twin."""

from __future__ import annotations

from datetime import UTC, date, datetime

from scrapers.records import Article
from scrapers.sites.mid_archive import ListingEntry, date_index_url, is_twin, parse_listing, rss_url, twin_candidates

INDEX = date_index_url("http://127.0.0.1:8000", "en", date(2011, 9, 22))
LISTING = """
<ul class="announce announce_articles">
  <li class="announce__item">
    <span class="announce__date">22.09.2011</span><span class="announce__time">14:05</span>
    <a class="announce__link" href="/en/foreign_policy/news/1607500/">Press release on the Minister's
       talks with the Foreign Minister of Mongolia</a>
    <div class="announce__meta-tags">Mongolia, Bilateral relations</div>
  </li>
  <li class="announce__item">
    <span class="announce__date">22.09.2011</span>
    <a class="announce__link" href="https://mid.ru/en/foreign_policy/news/1607501/">Comment on the situation in Yemen</a>
  </li>
  <li class="announce__item"><a class="announce__link" href="/en/foreign_policy/news/1607500/">duplicate</a></li>
  <li class="announce__item"><a class="announce__link" href="javascript:void(0)">not an item</a></li>
</ul>
"""
OLD = Article(
    title="Press release on the Minister's talks with the Foreign Minister of Mongolia",
    published=datetime(2011, 9, 22, tzinfo=UTC), doc_number="1383-22-09-2011",
    paragraphs=("On 22 September the Minister held talks.",), para_kinds=("text",),
)  # fmt: skip


def test_date_index_and_rss_urls():
    assert INDEX == "http://127.0.0.1:8000/en/foreign_policy/news/?activeFrom=22.09.2011&activeTo=22.09.2011"
    assert rss_url("https://mid.ru", "de") == "https://mid.ru/de/rss.php"


def test_listing_entries_are_absolute_dated_tagged_and_unique():
    first, second = parse_listing(LISTING, INDEX)
    assert first == ListingEntry(
        "http://127.0.0.1:8000/en/foreign_policy/news/1607500/",
        "Press release on the Minister's talks with the Foreign Minister of Mongolia",
        datetime(2011, 9, 22, 14, 5, tzinfo=UTC),
        ("Mongolia", "Bilateral relations"),
    )
    assert (second.url, second.published, second.tags) == (
        "https://mid.ru/en/foreign_policy/news/1607501/", datetime(2011, 9, 22, tzinfo=UTC), (),
    )  # fmt: skip


def test_the_twin_candidate_is_the_entry_with_the_old_title():
    entries = parse_listing(LISTING, INDEX)
    [twin] = twin_candidates(OLD.title, OLD.published, entries)
    assert twin.url.endswith("/1607500/")
    assert twin_candidates(OLD.title, datetime(2011, 10, 5, tzinfo=UTC), entries) == []  # another day


def test_is_twin_weighs_number_date_and_title():
    same = Article(OLD.title.replace("'", "’"), datetime(2011, 9, 22, 14, 5, tzinfo=UTC), "1383-22-09-2011", (), ())
    assert is_twin(OLD, same)
    assert not is_twin(OLD, Article(OLD.title, OLD.published, "1384-22-09-2011", (), ()))  # another number
    assert not is_twin(OLD, Article(OLD.title, datetime(2012, 9, 22, tzinfo=UTC), "1383-22-09-2011", (), ()))
    retitled = Article("Talks in Moscow", OLD.published, "1383-22-09-2011", (), ())
    assert is_twin(OLD, retitled)  # the number and the day agree
    assert is_twin(OLD, Article(OLD.title, OLD.published, None, (), ()))  # no number: the day and the title
    assert not is_twin(OLD, Article("Comment on the situation in Yemen", OLD.published, None, (), ()))
    assert not is_twin(Article(OLD.title, None, None, (), ()), Article(OLD.title, None, None, (), ()))
