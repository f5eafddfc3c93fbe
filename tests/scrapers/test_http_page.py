"""Page decoding, the interstitial pattern, Retry-After parsing and option checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from scrapers.http.client import Page, is_interstitial
from scrapers.http.options import FetchOptions
from scrapers.http.retry import retry_after_seconds

NOW = datetime(2026, 11, 28, tzinfo=UTC)
RUSSIAN = "Министр провёл переговоры."


def page(body: bytes, content_type: str = "text/html") -> Page:
    return Page("http://x/", "http://x/", 200, content_type, body, NOW, False)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (RUSSIAN.encode("cp1251"), "text/html; charset=windows-1251"),
        (RUSSIAN.encode("utf-8"), "text/html; charset=UTF-8"),
        (b'<meta charset="windows-1251">' + RUSSIAN.encode("cp1251"), "text/html"),
        (
            b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">' + RUSSIAN.encode("koi8-r"),
            "text/html",
        ),
        (RUSSIAN.encode("utf-8"), "text/html"),
        (b'<meta charset="no-such-codec">' + RUSSIAN.encode("utf-8"), "text/html"),
    ],
    ids=["header", "header-utf8", "meta-charset", "meta-http-equiv", "fallback-utf8", "unknown-meta-codec"],
)
def test_text_uses_header_then_meta_then_utf8(body, content_type):
    assert page(body, content_type).text.endswith(RUSSIAN)


def test_header_charset_wins_over_meta():
    body = b'<meta charset="koi8-r">' + RUSSIAN.encode("cp1251")
    assert page(body, "text/html; charset=cp1251").text.endswith(RUSSIAN)


def test_a_wrong_header_charset_gives_way_to_the_meta_that_fits():
    body = b'<meta charset="windows-1251">' + RUSSIAN.encode("cp1251")
    assert page(body, "text/html; charset=utf-8").text.endswith(RUSSIAN)


def test_undecodable_bytes_are_replaced_not_fatal():
    assert page(b"ok \xff\xfe end").text == "ok \ufffd\ufffd end"


def test_sha256_is_of_the_raw_body():
    assert page(b"abc").sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


@pytest.mark.parametrize(
    "text",
    [
        "Data processing... Please, wait.",
        "Data processing… please wait",
        "DATA PROCESSING ... PLEASE, WAIT.",
        "<p>Data  processing...</p>\n<p>Please, wait.</p>",
        "Data&nbsp;processing&hellip; Please,&nbsp;wait.",
        "Data\nprocessing...\n  Please , wait",
    ],
)
def test_interstitial_variants_are_recognised(text):
    assert is_interstitial(f"<html><body>{text}</body></html>")


@pytest.mark.parametrize(
    "text",
    ["The data processing agreement was signed.", "Please, wait for the results.", "Data. Processing. Please"],
)
def test_articles_are_not_interstitials(text):
    assert not is_interstitial(text)


def test_retry_after_seconds_and_http_date():
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(" 0 ") == 0.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None
    in_a_minute = format_datetime(datetime.now(UTC) + timedelta(seconds=60), usegmt=True)
    assert 55 <= retry_after_seconds(in_a_minute) <= 60
    past = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
    assert retry_after_seconds(past) == 0.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"timeout": 0}, "`timeout` must be > 0, got 0"),
        ({"delay": -1.0}, "`delay` must be >= 0, got -1.0"),
        ({"max_retries": -1}, "`max_retries` must be >= 0, got -1"),
        ({"max_bytes": 0}, "`max_bytes` must be > 0, got 0"),
        ({"offline": True}, "`offline=True` needs a `cache_dir` to read from"),
    ],
)
def test_bad_options_are_rejected(kwargs, message):
    with pytest.raises(ValueError) as caught:
        FetchOptions(**kwargs)
    assert str(caught.value) == message
