"""Exceptions of the align package.

    BitextError                  root: every user-facing failure of bitext
    ├── FrameError               a Parquet frame is missing, unreadable or has the wrong schema
    ├── AlignmentFileError       a bead file (``[0]:[0, 1]``) is malformed
    ├── InputError               a text file or argument a user gave cannot be used
    └── ExportError              an export or import (TMX, text, JSONL, CSV) failed

The CLI turns these into one line on stderr and a non-zero exit status.
"""

from __future__ import annotations


class BitextError(Exception):
    """Root of all user-facing bitext errors."""


class FrameError(BitextError):
    """A frame file is missing, unreadable or does not match its schema."""


class AlignmentFileError(BitextError):
    """An alignment (bead) file could not be parsed."""


class InputError(BitextError):
    """A user-supplied file or argument cannot be used."""


class ExportError(BitextError):
    """An export or import failed."""


class JobError(BitextError):
    """A long job stopped part way (a worker died); what it committed is kept."""
