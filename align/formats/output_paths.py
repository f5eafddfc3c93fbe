"""What an ``-o/--output PATH`` may be, checked before anything is written.

An export replaces only a regular file (or writes a new one). A symlink is
followed: the file it points to is replaced and the link is kept. A folder, a
named pipe, a device or a socket is refused with one line, as is a path whose
parent is a file; nothing is created or changed then.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> checked_output(folder / "new.tmx") == folder / "new.tmx"
True
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from align.errors import ExportError

_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def checked_output(path: str | os.PathLike[str], *, option: str = "-o/--output") -> Path:
    """The regular file an export to ``path`` writes (a symlink's target); ExportError otherwise."""
    given = Path(path)
    target = Path(os.path.realpath(given)) if given.is_symlink() else given
    shown = f"{given} (a link to {target})" if target != given else str(given)
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except NotADirectoryError:
        raise ExportError(f"{shown}: a folder on this path is a file; choose another `{option}`") from None
    except OSError as err:
        raise ExportError(f"{shown}: cannot use it ({err.strerror}); choose another `{option}`") from err
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise ExportError(
            f"{shown}: is a folder; give a file name inside it, e.g. `{option.split('/')[0]} {given / 'export'}`"
        )
    if info is not None and not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
        raise ExportError(
            f"{shown}: is {kind}; bitext replaces regular files only. Hint: write to stdout with `-o -` and redirect it"
        )
    _check_parents(target, shown, option)
    return target


def _check_parents(target: Path, shown: str, option: str) -> None:
    """The nearest existing ancestor must be a folder we may write in (parents are created)."""
    ancestor = target.absolute().parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise ExportError(f"{shown}: {ancestor} is a file, not a folder; choose another `{option}`")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise ExportError(
            f"{shown}: the folder {ancestor} is not writable; choose another `{option}` or fix its permissions"
        )


def output_mode(target: Path) -> int:
    """Permissions for the new file: the replaced file's, else what the umask allows (not mkstemp's 0600)."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
