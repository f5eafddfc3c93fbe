"""Where an export goes: a file written atomically, or stdout for ``-``."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from align.errors import ExportError

STDOUT = "-"


def _temp_beside(path: Path) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise ExportError(
            f"{path}: cannot write here ({err.strerror}); choose another `-o/--output`"
        ) from err
    os.close(fd)
    return Path(tmp)


@contextmanager
def open_binary_output(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """A binary stream to ``path`` (replaced only when the export succeeds) or to stdout."""
    if str(path) == STDOUT:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    target = Path(path)
    tmp = _temp_beside(target)
    try:
        with open(tmp, "wb") as stream:
            yield stream
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def open_text_output(path: str | os.PathLike[str], *, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Like :func:`open_binary_output`, as text with ``\\n`` line ends, never translated."""
    if str(path) == STDOUT:
        sys.stdout.flush()
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding=encoding, newline="", write_through=True)
        try:
            yield stream
        finally:
            stream.flush()
            stream.detach()  # leave sys.stdout open
        return
    target = Path(path)
    tmp = _temp_beside(target)
    try:
        with open(tmp, "w", encoding=encoding, newline="") as stream:
            yield stream
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
