from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scrapers.extract.dates import parse_date


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6 October 201619:14", utc(2016, 10, 6, 19, 14)),  # old mid.ru layout: year glued to time
        ("19 Januar 201719:38", utc(2017, 1, 19, 19, 38)),
        ("22 febrero 201714:51", utc(2017, 2, 22, 14, 51)),
        ("6 octobre 201609:05", utc(2016, 10, 6, 9, 5)),
        ("6 октября 201619:14", utc(2016, 10, 6, 19, 14)),
        ("6 октября 2016 г.", utc(2016, 10, 6)),  # Russian genitive month
        ("1 марта 2017 года", utc(2017, 3, 1)),
        ("06.10.2016", utc(2016, 10, 6)),
        ("6. Oktober 2016", utc(2016, 10, 6)),
        ("6 de octubre de 2016", utc(2016, 10, 6)),
        ("1er octobre 2016", utc(2016, 10, 1)),
        ("6 février 2016", utc(2016, 2, 6)),
        ("Moscow, October 6, 2016", utc(2016, 10, 6)),
        ("30 September 2026", utc(2026, 9, 30)),
        ("2016-10-06T19:14:00+03:00", utc(2016, 10, 6, 19, 14)),
        ("Published: 20.08.2026 10:30", utc(2026, 8, 20, 10, 30)),
        ("6. Jänner 2016", utc(2016, 1, 6)),  # CLDR's Austrian and Latin American names
        ("6 de setiembre de 2016", utc(2016, 9, 6)),
        ("6 aout 2016", utc(2016, 8, 6)),  # typed without accents
        ("6. Maerz 2016", utc(2016, 3, 6)),
        ("Oct 6, 2016", utc(2016, 10, 6)),  # abbreviations
        ("6 janv. 2016", utc(2016, 1, 6)),
    ],
)
def test_localized_dates(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "no date here", "31 February 2016", "6 Smarch 2016", "1868-06-10-2016"])
def test_not_a_date(text: str) -> None:
    assert parse_date(text) is None


def test_first_date_in_text_wins() -> None:
    assert parse_date("6 October 2016, updated 07.10.2016") == utc(2016, 10, 6)
