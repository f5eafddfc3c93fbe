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
from align.formats.output_paths import checked_output, output_mode

STDOUT = "-"


@contextmanager
def _replacing(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary file (:func:`align.files.atomic_replace`) renamed over the checked ``path``, with its mode.

    Only a regular file (or a new name) is replaced; a temporary file that cannot
    be made and a failed write are one-line ExportErrors, the old file kept.
    """
    target = checked_output(path)
    with ExitStack() as stack:
        stack.enter_context(_write_errors(target))  # entered first, so it also sees the final rename fail
        try:
            tmp = stack.enter_context(atomic_replace(target))
        except OSError as err:
            raise ExportError(
                f"{target}: cannot write here ({err.strerror}); choose another `-o/--output`"
            ) from err
        yield tmp
        os.chmod(tmp, output_mode(target))


@contextmanager
def _write_errors(target: Path) -> Iterator[None]:
    """A failed write (full disk, quota, I/O error) is one line naming the file; the old file stays."""
    try:
        yield
    except OSError as err:
        raise ExportError(
            f"{target}: cannot write the export ({err.strerror}); nothing was replaced. "
            "Hint: free some disk space or choose another `-o/--output`"
        ) from err


@contextmanager
def open_binary_output(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """A binary stream to ``path`` (replaced only when the export succeeds) or to stdout."""
    if str(path) == STDOUT:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with _replacing(path) as tmp, open(tmp, "wb") as stream:
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
    with _replacing(path) as tmp, open(tmp, "w", encoding=encoding, newline="") as stream:
        yield stream
