"""mid.ru's archive knowledge: telling an old item's new-layout twin."""

from __future__ import annotations

from datetime import UTC, datetime

from scrapers.records import Article
from scrapers.sites.mid_archive import is_twin

OLD = Article(
    title="Press release on the Minister's talks with the Foreign Minister of Mongolia",
    published=datetime(2011, 9, 22, tzinfo=UTC), doc_number="1383-22-09-2011",
    paragraphs=("On 22 September the Minister held talks.",), para_kinds=("text",),
)  # fmt: skip


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
