"""Replacing a file atomically: readers see the old file or the new one, never half of one.

>>> from pathlib import Path; import tempfile
>>> target = Path(tempfile.mkdtemp()) / "out.txt"
>>> with atomic_replace(target) as tmp:
...     _ = tmp.write_text("done")
>>> target.read_text()
'done'
"""

from __future__ import annotations

import glob
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

TEMP_ATTEMPTS: Final = 100
# A temporary file older than this beside the target is a killed writer's (a live one renames within seconds).
STALE_TEMP_SECONDS: Final = 600.0


@contextmanager
def atomic_replace(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A new empty temporary file beside ``path``, renamed over ``path`` when the block succeeds.

    The folder is created when missing. On any failure (an exception in the block,
    a failed rename, Ctrl-C) the temporary file is removed and ``path`` is left as it
    was. The file's mode follows the umask, like a file opened with ``open(path, "w")``
    (``tempfile.mkstemp`` would make it 0600).

    Raises OSError when no temporary file can be made there.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(target)
    tmp = _new_temp_beside(target)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _remove_stale_temps(target: Path) -> None:
    """Delete what a writer of ``target`` killed with -9 left: its old ``.NAME.XXXXXXXX.tmp`` files."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    for stale in target.parent.glob(f".{glob.escape(target.name)}.????????.tmp"):
        try:
            if stale.stat().st_mtime < cutoff:
                stale.unlink()
        except OSError:
            continue  # gone already, or not ours to delete: the write goes on


def _new_temp_beside(target: Path) -> Path:
    for _ in range(TEMP_ATTEMPTS):
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
        except FileExistsError:
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(f"{target.parent}: no free temporary name beside {target.name}")
