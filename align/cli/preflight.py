"""Checks run before a command starts its work: is the data folder usable?

``fetch``, ``run`` and ``demo`` call :func:`check_data_dir` before the first
request, so a folder they cannot write costs no network time; ``align`` and
``import`` call it before they compute anything.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from align.errors import InputError

OPTION = "-d/--data"


def check_data_dir(data_dir: str | os.PathLike[str], *, write: bool = True) -> Path:
    """``data_dir`` if it is (or can become) a folder we may write in; InputError, one line, otherwise."""
    folder = Path(data_dir)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: is a file, not a folder; point `{OPTION}` at a folder")
    ancestor = folder.absolute()
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise InputError(f"{folder}: {ancestor} is a file, not a folder; point `{OPTION}` at a folder")
    if write:
        _probe(folder if folder.exists() else ancestor, folder)
    return folder


def _probe(where: Path, folder: Path) -> None:
    """Create and remove a file in ``where``: the only test a read-only mount or an ACL cannot fool."""
    try:
        fd, name = tempfile.mkstemp(prefix=".bitext-probe.", dir=where)
    except OSError as err:
        place = "" if where == folder else f" (its nearest existing folder {where})"
        raise InputError(
            f"{folder}: cannot write here{place}: {(err.strerror or str(err)).lower()}. "
            f"Hint: point `{OPTION}` at a writable folder, or fix its permissions"
        ) from None
    os.close(fd)
    os.unlink(name)


def check_langs(codes: str | Sequence[str] | None, option: str) -> None:
    """Each code must be a language the tool segments and aligns; the message lists them."""
    from align.segment.sentences import SUPPORTED_LANGS

    if codes is None:
        return
    unknown = [code for code in ([codes] if isinstance(codes, str) else codes) if code not in SUPPORTED_LANGS]
    if unknown:
        raise InputError(
            f"`{option} {','.join(unknown)}`: not a language bitext supports; "
            f"choose among {', '.join(SUPPORTED_LANGS)} (ISO 639-1 codes)"
        )
