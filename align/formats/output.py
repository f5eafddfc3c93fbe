"""Where an export goes: a file written atomically, or stdout for ``-``."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

from align.errors import ExportError
from align.files import atomic_replace

STDOUT = "-"


@contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """:func:`align.files.atomic_replace`, with a temporary file that cannot be made as a one-line ExportError."""
    with ExitStack() as stack:
        try:
            tmp = stack.enter_context(atomic_replace(path))
        except OSError as err:
            raise ExportError(
                f"{path}: cannot write here ({err.strerror}); choose another `-o/--output`"
            ) from err
        yield tmp


@contextmanager
def open_binary_output(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """A binary stream to ``path`` (replaced only when the export succeeds) or to stdout."""
    if str(path) == STDOUT:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with _replacing(Path(path)) as tmp, open(tmp, "wb") as stream:
        yield stream


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
    with _replacing(Path(path)) as tmp, open(tmp, "w", encoding=encoding, newline="") as stream:
        yield stream
