"""bitext: align the language versions of a multilingual page, sentence by sentence.

The package holds segmentation, scoring, alignment, multi-way units, the
Parquet frames, the exports and the command line. Importing it does no work:
models load only when a scorer that needs one is chosen.
"""

from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["__version__"]
