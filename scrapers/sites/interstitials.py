"""Pages some sites serve instead of content when they throttle a client: known by site, never an article.

The HTTP client asks :func:`find_interstitial` of every page and treats a match
as a retryable failure. This module is regular expressions only (no parser),
so the client loads nothing heavy for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

__all__ = ["INTERSTITIALS", "Interstitial", "find_interstitial"]


@dataclass(frozen=True)
class Interstitial:
    """One site's stand-in page: the site, what the page says, and how to recognise it."""

    site: str
    says: str
    pattern: re.Pattern[str]


# Filler allowed between the words of an interstitial: spaces, tags, &nbsp;
_GAP: Final = r"(?:\s|&nbsp;|&#160;|<[^>]*>)*"

INTERSTITIALS: Final = (
    # mid.ru: "Data processing... Please, wait." / "Data processing… please wait" /
    # "<p>Data  processing ...</p><p>Please, wait.</p>" (seen by corpus builders)
    Interstitial(
        "mid.ru",
        "Data processing... Please, wait.",
        re.compile(rf"Data{_GAP}processing{_GAP}(?:\.{{2,}}|…|&hellip;)?{_GAP}Please{_GAP},?{_GAP}wait", re.IGNORECASE),
    ),
)


def find_interstitial(text: str) -> Interstitial | None:
    """The anti-bot interstitial that ``text`` is, or None for an ordinary page.

    >>> find_interstitial("<div>Data processing... Please, wait.</div>").site, find_interstitial("<p>Talks</p>")
    ('mid.ru', None)
    """
    return next((known for known in INTERSTITIALS if known.pattern.search(text)), None)
