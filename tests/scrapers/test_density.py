"""densest_body: the element holding the most running text, when no selector knows the body."""

from __future__ import annotations

from scrapers.extract.density import densest_body
from scrapers.extract.paragraphs import parse_html

TEXT = "We discussed preparations for the October 19 visit of President of Russia Vladimir Putin to France. "


def test_the_holder_of_the_paragraphs_wins_over_menus_and_sidebars() -> None:
    soup = parse_html(
        "<body><div class='menu'><p><a href='/a'>Foreign policy and the Ministry's work</a></p></div>"
        f"<div class='side'><p>{TEXT}</p></div>"
        f"<div class='article__body'><p>{TEXT}</p><div class='dxl-par'><span>{TEXT}</span></div>"
        f"<ul><li>{TEXT}</li></ul></div></body>"
    )
    found = densest_body(soup)
    assert found is not None and found.get("class") == ["article__body"]


def test_a_page_of_banners_and_footers_has_no_body() -> None:
    soup = parse_html(
        "<body><div class='cookie-policy'><p>This website uses cookies to make browsing easier.</p></div>"
        f"<footer><p>{TEXT}</p><p>{TEXT}</p><p>{TEXT}</p></footer>"
        "<div class='links'><p><a href='/1'>Press conference of the Minister in Geneva, photo gallery</a></p></div></body>"
    )
    assert densest_body(soup) is None
