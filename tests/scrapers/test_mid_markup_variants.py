"""Small mid.ru pages, each varying one thing SITES.md leaves open, read by the adapter's extract()."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scrapers.extract.paragraphs import parse_html
from scrapers.records import Article
from scrapers.sites.mid import MidOldLayout

TITLE = "Foreign Minister Sergey Lavrov’s remarks at a joint press conference, Moscow, October 6, 2016"
BODY = (
    "<p>Today we held in-depth discussions with my French colleague.</p>"
    "<p>We discussed preparations for the October 19 visit of President of Russia Vladimir Putin to France.</p>"
)


def read(html: str) -> Article:
    article, _notes = MidOldLayout().extract(parse_html(html), "http://127.0.0.1/en/x/content/id/1")
    return article


def page(*, head: str = "", top: str = "", body: str = BODY) -> str:
    return (
        f"<html><head>{head}</head><body><div class='page-content'><div class='portlet-column-first'>"
        f"{top}<div class='text article-content'>{body}</div></div></div></body></html>"
    )


def test_a_heading_typed_differently_from_the_page_title_is_still_the_title() -> None:
    """<title> with straight quotes and the site name; the h1 with typographic ones: the h1 wins."""
    plain = TITLE.replace("’", "'")
    html = page(head=f"<title>{plain} | MFA Russia</title>", top=f"<h1>{TITLE}</h1><h2>Latest news</h2>")
    assert read(html).title == TITLE


def test_the_title_from_title_when_no_heading_names_the_item() -> None:
    html = page(head=f"<title>{TITLE} - Das Außenministerium</title>",
                top=f"<h2>Pressekonferenz des Ministers in Genf</h2><div class='title'>{TITLE}</div>")  # fmt: skip
    assert read(html).title == TITLE


@pytest.mark.parametrize(
    "note", ["1874-06-10-2016", "№ 1874-06-10-2016", "Документ № 1874-06-10-2016", "Nr.\xa01874-06-10-2016"]
)
def test_document_number_without_its_label(note: str) -> None:
    html = page(top=f"<h1>{TITLE}</h1><div class='article-note'><span class='nowrap'>{note}</span></div>")
    assert read(html).doc_number == "1874-06-10-2016"


@pytest.mark.parametrize(
    "status",
    [
        "<span><span>6 October 2016<i>19:14</i></span></span>",
        "<span><span>19:14</span> <span>6 October 2016</span></span>",
        "<span><span>6 October 2016 — 19:14</span></span>",
        "<span><span>19:14, 6 October 2016</span></span>",
    ],
)
def test_date_line_with_its_time_in_any_order(status: str) -> None:
    html = page(top=f"<div class='article-status-line'>{status}</div><h1>{TITLE}</h1>")
    assert read(html).published == datetime(2016, 10, 6, 19, 14, tzinfo=UTC)


def test_a_date_line_under_an_unknown_class_above_the_body() -> None:
    html = page(top=f"<h1>{TITLE}</h1><div class='meta'>06.10.2016</div>")
    assert read(html).published == datetime(2016, 10, 6, tzinfo=UTC)


def test_single_break_joins_a_double_break_splits_and_source_newlines_are_spaces() -> None:
    body = "<p>Ladies\nand gentlemen,<br>\nwelcome.</p><p>First question.<br/>\n<br/>\nSecond question.</p>"
    assert read(page(top=f"<h1>{TITLE}</h1>", body=body)).paragraphs == (
        "Ladies and gentlemen, welcome.", "First question.", "Second question.",
    )  # fmt: skip


def test_runs_split_at_a_space_inside_a_div_paragraph_keep_the_space() -> None:
    body = "<div class='dxl-par'><span class='dxl-run'>We discussed </span><span class='dxl-run'>the visit.</span></div>"
    assert read(page(top=f"<h1>{TITLE}</h1>", body=body + BODY)).paragraphs[0] == "We discussed the visit."


def test_a_trailing_heading_over_links_is_the_additional_materials_block_in_any_language() -> None:
    tail = ("<p><strong>Materiales complementarios</strong></p>"
            "<p><a href='/es/foreign_policy/news/-/asset_publisher/x/content/id/2'>Rueda de prensa en Ginebra</a></p>")  # fmt: skip
    assert read(page(top=f"<h1>{TITLE}</h1>", body=BODY + tail)).paragraphs == read(page(top=f"<h1>{TITLE}</h1>")).paragraphs


def test_a_paragraph_that_ends_with_a_link_is_kept() -> None:
    body = BODY + "<p>The full text is on <a href='/en/doc'>the Ministry's website</a>.</p>"
    assert read(page(top=f"<h1>{TITLE}</h1>", body=body)).paragraphs[-1] == "The full text is on the Ministry's website."


def test_a_language_bar_of_names_inside_the_body_is_dropped() -> None:
    bar = "<p><a href='/de/x'>Deutsch</a> | <span>English</span> | <a href='/fr/x'>Français</a> | <a href='/ru/x'>Русский</a></p>"
    assert read(page(top=f"<h1>{TITLE}</h1>", body=bar + BODY)).paragraphs == read(page(top=f"<h1>{TITLE}</h1>")).paragraphs


def test_trailing_related_items_with_their_dates_are_dropped_too() -> None:
    tail = (
        "<h3>Weiterführende Materialien</h3><ul>"
        "<li><a href='/de/x/content/id/2'>Pressekonferenz des Ministers in Genf</a> (06.10.2016)</li>"
        "<li><a href='/de/x/content/id/3'>Fotogalerie der Verhandlungen</a> (05.10.2016)</li></ul>"
    )
    assert read(page(top=f"<h1>{TITLE}</h1>", body=BODY + tail)).paragraphs == read(page(top=f"<h1>{TITLE}</h1>")).paragraphs


def test_the_header_repeated_inside_the_body_is_not_text() -> None:
    """The date and the number printed again at the top of the body, the number again at its foot."""
    body = "<p>6 October 2016</p><p>1874-06-10-2016</p>" + BODY + "<p>1874-06-10-2016</p>"
    top = f"<div class='article-status-line'><span><span>6 October 2016</span></span></div><h1>{TITLE}</h1>"
    top += "<div class='article-note'><span class='nowrap'>1874-06-10-2016</span></div>"
    article = read(page(top=top, body=body))
    assert article.paragraphs == read(page(top=f"<h1>{TITLE}</h1>")).paragraphs
    assert article.doc_number == "1874-06-10-2016"


def test_a_date_line_of_another_day_opening_the_body_stays() -> None:
    body = "<p>5 October 2016</p>" + BODY
    top = f"<div class='article-status-line'><span><span>6 October 2016</span></span></div><h1>{TITLE}</h1>"
    assert read(page(top=top, body=body)).paragraphs[0] == "5 October 2016"
