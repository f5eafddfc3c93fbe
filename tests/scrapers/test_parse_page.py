"""Pages parsed from their bytes read the same as pages parsed from their decoded text."""

from __future__ import annotations

from scrapers.extract.paragraphs import inline_text, parse_html, parse_page
from scrapers.http.decoding import decode_body

PAGE = (
    '<html lang="ru"><head><meta charset="{charset}"><title>Заголовок</title></head>'
    "<body><h1>Заявление</h1><p>Москва &amp; Париж — «переговоры» 10 октября.</p><p>Second €</p></body></html>"
)


def texts(soup: object) -> list[str]:
    return [inline_text(tag) for tag in soup.find_all(["title", "h1", "p"])]  # type: ignore[attr-defined]


def test_utf8_bytes_parse_to_the_same_tree_as_the_decoded_text() -> None:
    body = PAGE.format(charset="utf-8").encode("utf-8")
    from_bytes = parse_page(body, "text/html; charset=UTF-8")
    from_text = parse_html(decode_body(body, "text/html; charset=UTF-8"))
    assert texts(from_bytes) == texts(from_text)
    assert texts(from_bytes)[2] == "Москва & Париж — «переговоры» 10 октября."
    assert from_bytes.html is not None and from_bytes.html.get("lang") == "ru"


def test_a_windows_1251_page_that_says_so_in_its_meta_reads_as_cyrillic() -> None:
    body = PAGE.format(charset="windows-1251").replace("€", "").encode("windows-1251")
    soup = parse_page(body, "text/html; charset=utf-8")  # a misconfigured header: the meta wins
    assert texts(soup)[1] == "Заявление"


def test_bad_bytes_are_replaced_as_page_text_replaces_them() -> None:
    body = PAGE.format(charset="utf-8").encode("utf-8").replace(b"Second", b"Sec\xffond")
    soup = parse_page(body, "text/html")
    assert texts(soup)[3] == texts(parse_html(decode_body(body, "text/html")))[3] == "Sec\ufffdond €"
