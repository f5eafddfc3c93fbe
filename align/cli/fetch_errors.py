"""A fetch error as the CLI prints it: the library's reason, with advice that names this tool's flags.

``scrapers`` says what went wrong and what to do in its own terms (its errors
name no CLI flag); here a failure's ``kind`` picks the flag that helps.
"""

from __future__ import annotations

from typing import Final

from scrapers.errors import FetchError

# FetchError.kind -> the hint in CLI terms
CLI_HINTS: Final[dict[str, str]] = {
    "robots": "pass --ignore-robots if you have the right to fetch it anyway",
    "robots-unavailable": "try again later, or pass --ignore-robots",
    "interstitial": "the site is throttling us; try again later with a longer --delay",
    "timeout": "the server is slow or unreachable; try again later or raise --timeout",
    "deadline": "the server is overloaded or stalling; try again later or raise --deadline",
    "not-in-cache": "run the same command once without --offline to fill the cache",
    "dns": (
        "check the address and the connection; without a network, `bitext demo` runs on the bundled "
        "sample site and `--offline` reuses the cache"
    ),
}


def error_text(err: BaseException) -> str:
    """The message after ``bitext: error: ``."""
    if isinstance(err, FetchError):
        return err.describe(CLI_HINTS.get(err.kind))
    return str(err)
