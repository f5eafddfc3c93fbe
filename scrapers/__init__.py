"""Polite fetching, language-version discovery and article extraction.

This package never imports ``align``: it turns one URL into the language
versions of an item, as records that the caller stores. ``fetch_item`` is
the entry point; it is imported on first use, so importing the package
loads neither lxml nor lingua.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapers.item import fetch_item

__all__ = ["fetch_item"]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> Any:
    if name == "fetch_item":
        from scrapers.item import fetch_item

        return fetch_item
    raise AttributeError(f"module 'scrapers' has no attribute {name!r}")
