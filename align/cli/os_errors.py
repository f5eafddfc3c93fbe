"""One line for an operating-system failure the user can fix (permissions, full disk, a file in the way).

>>> describe_os_error(PermissionError(13, "Permission denied", "aligned/units.parquet"))
'aligned/units.parquet: permission denied. Hint: fix the permissions, or point `-d/--data`/`-o/--output` elsewhere'
"""

from __future__ import annotations

import errno
from typing import Final

HINTS: Final[dict[int, str]] = {
    errno.EACCES: "fix the permissions, or point `-d/--data`/`-o/--output` elsewhere",
    errno.EPERM: "fix the permissions, or point `-d/--data`/`-o/--output` elsewhere",
    errno.EROFS: "the file system is read-only; point `-d/--data`/`-o/--output` at a writable folder",
    errno.ENOSPC: "the disk is full; free some space or write elsewhere",
    errno.EDQUOT: "the disk quota is exceeded; free some space or write elsewhere",
    errno.ENOTDIR: "a part of the path is a file, not a folder; choose another path",
    errno.EISDIR: "the path is a folder; give a file name",
    errno.ENOENT: "check the path",
    errno.EEXIST: "remove it or choose another path",
    errno.ENAMETOOLONG: "choose a shorter path",
    errno.EMFILE: "too many open files; raise `ulimit -n`",
}


def describe_os_error(err: OSError) -> str:
    """``PATH: what failed. Hint: the fix`` (no traceback: this is the environment, not a bug)."""
    what = (err.strerror or type(err).__name__).lower()
    where = err.filename if err.filename is not None else "writing the output"
    hint = HINTS.get(err.errno or 0, "check the path and the disk")
    return f"{where}: {what}. Hint: {hint}"
