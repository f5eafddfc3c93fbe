"""Publication dates printed in German, English, Spanish, French and Russian.

Sites print the date as a reader sees it, so ``published`` keeps the printed
date and time (labelled UTC, as the frame requires) instead of converting a
guessed local zone: converting mid.ru's Moscow time would move late-night
items to the previous day, while the date-only versions of the same item stay
on the printed day, and the cross-version date check would then compare
unlike things.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Final

from scrapers.langtags import SUPPORTED_LANGS


def _cldr_month_names(*locales: str) -> dict[str, int]:
    """CLDR's full month names, lowercased, format and stand-alone forms (so Russian's genitive "октября")."""
    from babel import Locale

    return {
        name.lower(): number
        for locale in locales
        for context in ("format", "stand-alone")
        for number, name in Locale.parse(locale).months[context]["wide"].items()
    }


# The same CLDR names as align.languages.month_names, read here again because scrapers never imports align.
MONTHS: Final[dict[str, int]] = {
    # full names, with the Austrian "Jänner" and the Latin American "setiembre"
    **_cldr_month_names(*SUPPORTED_LANGS, "de_AT", "es_PE"),
    # typed without accents or umlauts
    "maerz": 3, "fevrier": 2, "aout": 8, "decembre": 12,
    # abbreviations the sites print ("Oct 6, 2016", "6. Okt. 2016", "6 janv. 2016")
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12, "okt": 10, "dez": 12, "janv": 1, "févr": 2, "avr": 4, "juil": 7,
}  # fmt: skip

# Optional time after the year, possibly glued to it: "201619:14" -> year 2016, 19:14;
# "2016 г., 19:14"; "2016 à 19h14"; "2016, 7:05".
_TIME_TAIL: Final = r"(?:\s*(?:г\.|года|,|à|um|a las|at)?\s*,?\s*(?P<hour>\d{1,2})[:h](?P<minute>\d{2}))?"

# "6 October 2016", "6. Oktober 2016", "6 de octubre de 2016", "1er octobre 2016",
# "6 октября 2016 г.", "6 October 201619:14"
DAY_MONTH_YEAR: Final = re.compile(
    r"(?<!\d)(?P<day>\d{1,2})(?:er|\.)?\s+(?:de\s+)?(?P<month>[^\W\d_]{3,})\.?\s+(?:de\s+)?"
    r"(?P<year>\d{4})" + _TIME_TAIL,
    re.IGNORECASE,
)
# "October 6, 2016", "Oct 6 2016 19:14"
MONTH_DAY_YEAR: Final = re.compile(
    r"(?P<month>[^\W\d_]{3,})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})" + _TIME_TAIL,
    re.IGNORECASE,
)
# "06.10.2016", "6.10.2016 19:14"
NUMERIC_DMY: Final = re.compile(
    r"(?<!\d)(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})" + _TIME_TAIL
)
# "2016-10-06", "2016-10-06T19:14:00+03:00"; not the doc number "1868-06-10-2016"
ISO_DATE: Final = re.compile(
    r"(?<![\d-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\d-])(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2}))?"
)


def parse_date(text: str) -> datetime | None:
    """The first date printed in ``text``, as a UTC-labelled datetime, else None.

    >>> parse_date("6 October 201619:14")
    datetime.datetime(2016, 10, 6, 19, 14, tzinfo=datetime.timezone.utc)
    >>> parse_date("6 октября 2016 г.").date()
    datetime.date(2016, 10, 6)
    >>> parse_date("06.10.2016").date()
    datetime.date(2016, 10, 6)
    """
    text = text.replace("\xa0", " ")
    found: list[tuple[int, datetime]] = []
    for pattern in (ISO_DATE, NUMERIC_DMY, DAY_MONTH_YEAR, MONTH_DAY_YEAR):
        for match in pattern.finditer(text):
            parsed = _from_match(match)
            if parsed is not None:
                found.append((match.start(), parsed))
                break
    if not found:
        return None
    return min(found, key=lambda pair: pair[0])[1]


def _from_match(match: re.Match[str]) -> datetime | None:
    month_text = match.group("month")
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.lower())
    if month is None:
        return None
    hour = int(match.group("hour") or 0)
    minute = int(match.group("minute") or 0)
    try:
        return datetime(
            int(match.group("year")), month, int(match.group("day")), hour, minute,
            tzinfo=UTC,
        )
    except ValueError:  # 31 February, 25:00: not a date after all
        return None
