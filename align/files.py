"""Replacing a file atomically: readers see the old file or the new one, never half of one.

>>> from pathlib import Path; import tempfile
>>> target = Path(tempfile.mkdtemp()) / "out.txt"
>>> with atomic_replace(target) as tmp:
...     _ = tmp.write_text("done")
>>> target.read_text()
'done'
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

TEMP_ATTEMPTS: Final = 100


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
    tmp = _new_temp_beside(target)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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
