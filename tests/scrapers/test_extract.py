from __future__ import annotations

import pytest

from scrapers.errors import ExtractionError
from scrapers.extract.paragraphs import (
    body_paragraphs,
    fallback_paragraphs,
    normalize_text,
    parse_html,
)


def paragraphs_of(html: str) -> list[tuple[str, str]]:
    body = parse_html(f'<div class="body">{html}</div>').select_one("div.body")
    assert body is not None
    texts, kinds = body_paragraphs(body)
    return list(zip(texts, kinds))


def test_normalize_text_spaces() -> None:
    assert normalize_text("  Mr\xa0Lavrov\u202fsaid\u200b:\n\t yes ") == "Mr Lavrov said: yes"


def test_dxl_runs_join_without_spurious_spaces() -> None:
    html = (
        '<p class="dxl-par"><span class="dxl-run">Ladies and gen</span>'
        '<span class="dxl-run">tlemen,</span></p>'
    )
    assert paragraphs_of(html) == [("Ladies and gentlemen,", "text")]


def test_line_breaks_become_spaces() -> None:
    assert paragraphs_of("<p>First line<br>second line</p>") == [("First line second line", "text")]


@pytest.mark.parametrize(
    "html",
    [
        "<h2>Answers to media questions</h2>",
        "<h4>Answers to media questions</h4>",
        '<p style="text-align: center;">Answers to media questions</p>',
        '<p align="center">Answers to media questions</p>',
        "<p><strong>Answers to media </strong><b>questions</b></p>",
    ],
)
def test_subheadings_are_marked(html: str) -> None:
    assert paragraphs_of(html + "<p>Body.</p>") == [("Answers to media questions", "heading"), ("Body.", "text")]


def test_bold_label_inside_text_is_not_a_heading() -> None:
    assert paragraphs_of("<p><b>Question:</b> Is France ready?</p>") == [("Question: Is France ready?", "text")]


@pytest.mark.parametrize(
    "furniture",
    [
        "<p>de-DE1 en-GB1 es-ES1 ru-RU1 fr-FR1</p>",
        '<p><a href="#contents">Back to contents</a></p>',
        '<p><a href="#top">К содержанию</a></p>',
        '<div class="share-print"><a href="#">Print</a> <a href="#">Share</a></div>',
        "<p>Версия для печати</p>",
        "<nav><a href='/'>Home</a></nav>",
        "<script>var x = 1;</script>",
    ],
)
def test_furniture_is_dropped(furniture: str) -> None:
    assert paragraphs_of(f"<p>Before.</p>{furniture}<p>After.</p>") == [("Before.", "text"), ("After.", "text")]


def test_contents_list_is_dropped() -> None:
    html = (
        '<h2>Содержание</h2><p><a href="#1">Первый раздел</a></p><ul><li><a href="#2">Второй</a></li></ul>'
        '<h3 id="1">Первый раздел</h3><p>Текст.</p>'
    )
    assert paragraphs_of(html) == [("Первый раздел", "heading"), ("Текст.", "text")]


@pytest.mark.parametrize("marker", ["Additional materials", "Дополнительные материалы", "Advanced settings"])
def test_trailing_blocks_end_the_body(marker: str) -> None:
    html = f"<p>Body.</p><h2>{marker}</h2><p>A related item that is not the article.</p>"
    assert paragraphs_of(html) == [("Body.", "text")]


def test_loose_text_in_a_div_is_kept_in_order() -> None:
    assert paragraphs_of("Lead text.<p>Then a paragraph.</p>Tail.") == [
        ("Lead text.", "text"),
        ("Then a paragraph.", "text"),
        ("Tail.", "text"),
    ]


def test_fallback_finds_the_main_content() -> None:
    sentence = "Russia is advocating an early peaceful and fair settlement of the conflict. "
    html = (
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<div class='odd-wrapper'><h1>Title</h1><p>{sentence * 4}</p><p>{sentence * 3}</p></div>"
        "<footer>Share Print</footer></body></html>"
    )
    texts, kinds = fallback_paragraphs(html, "http://127.0.0.1/x", title="Title")
    assert texts == ((sentence * 4).strip(), (sentence * 3).strip())
    assert kinds == ("text", "text")


def test_fallback_raises_on_a_page_without_article() -> None:
    with pytest.raises(ExtractionError, match="no article body found"):
        fallback_paragraphs("<html><body><nav>Home</nav></body></html>", "http://127.0.0.1/x")


def test_single_language_bar_entries_are_dropped() -> None:
    assert paragraphs_of("<ul><li>de-DE 1</li><li>fr-FR1</li></ul><p>Body.</p>") == [("Body.", "text")]
