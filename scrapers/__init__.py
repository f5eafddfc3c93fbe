"""Polite fetching, language-version discovery and article extraction.

This package never imports ``align``: it turns one URL into the language
versions of an item, as records that the caller stores.
"""

from __future__ import annotations

import logging

logging.getLogger(__name__).addHandler(logging.NullHandler())
