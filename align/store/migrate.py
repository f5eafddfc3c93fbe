"""Converting a data folder of the Parquet era (``DATA/<frame>.parquet``) to Delta tables, on first use.

Each old file becomes its table, every row getting the ``run_id`` of a run
made from the provenance the file kept in its Parquet metadata: the documents
file a ``fetch`` run; sentences, alignments and units one ``align`` run (the
units file's record: it was written last), except an alignments file written
by a TMX import, which becomes an ``import`` run. The runs list every item of
their files, so migrated items are whole. The old files are then moved to
``DATA/.old-layout/`` (nothing is deleted) and one line on stderr says so.
A lock file (``DATA/.converting``) makes processes started together on an old
folder convert it once; a conversion killed half-way is finished by the next.
Hidden ``*.tmp`` files that a killed write of that era left are removed.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Final

import polars as pl

from align.errors import FrameError
from align.store.leftovers import remove_leftovers
from align.store.schemas import FRAME_NAMES, RUN_ID, FrameName

OLD_LAYOUT_DIR: Final = ".old-layout"
LOCK_NAME: Final = ".converting"
LOCK_WAIT_SECONDS: Final = 600.0
_converting: set[Path] = set()
PROVENANCE_KEY: Final = "bitext"


def old_files(data_dir: Path) -> dict[FrameName, Path]:
    """The Parquet-era frame files in ``data_dir`` that have no table yet."""
    found: dict[FrameName, Path] = {}
    for name in FRAME_NAMES:
        path = data_dir / f"{name}.parquet"
        if path.is_file() and not (data_dir / name / "_delta_log").is_dir():
            found[name] = path
    return found


def ensure_layout(data_dir: str | os.PathLike[str]) -> None:
    """Convert ``data_dir`` if it is in the Parquet layout; remove that era's crash leftovers."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return
    remove_leftovers(data_dir, tables=False)
    if data_dir.resolve() in _converting or not old_files(data_dir):
        return  # (the conversion's own writes come through here too)
    lock = data_dir / LOCK_NAME
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:  # another process is converting the folder: wait for it
            try:
                if time.time() - lock.stat().st_mtime > LOCK_WAIT_SECONDS:
                    lock.unlink(missing_ok=True)  # left by a killed conversion
                    continue
            except FileNotFoundError:
                continue
            if time.monotonic() > deadline:
                raise FrameError(
                    f"{lock}: another process has been converting {data_dir} for {LOCK_WAIT_SECONDS:.0f} s. "
                    f"Hint: if none is running, delete {lock} and try again"
                ) from None
            time.sleep(0.2)
    try:
        found = old_files(data_dir)  # what the other process left, if it converted first
        if found:
            _converting.add(data_dir.resolve())
            migrate(data_dir, found)
    finally:
        _converting.discard(data_dir.resolve())
        os.close(fd)
        lock.unlink(missing_ok=True)


def _provenance(path: Path) -> dict[str, Any]:
    try:
        raw = pl.read_parquet_metadata(path).get(PROVENANCE_KEY)
    except Exception:  # noqa: BLE001  (provenance is best effort: the rows are what must not be lost)
        return {}
    try:
        record = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return record if isinstance(record, dict) else {}


def _read_old(path: Path, name: FrameName) -> pl.DataFrame:
    from align.store.delta import checked

    try:
        frame = pl.read_parquet(path)
    except Exception as err:  # polars raises several unrelated types for a bad file
        raise FrameError(
            f"{path}: not a readable Parquet file ({err.__class__.__name__}); it cannot be converted to "
            f"the {name} table. Hint: move it out of the folder or restore it from a backup"
        ) from err
    return checked(frame, name, path).drop(RUN_ID)


def migrate(data_dir: Path, found: dict[FrameName, Path]) -> None:
    from align.store.delta import overwrite_table
    from align.store.runs import Run, new_run_id, run_from_provenance

    frames = {name: _read_old(path, name) for name, path in found.items()}  # check all before writing any
    runs: dict[str, Run] = {}
    owners: dict[str, str] = {}
    align_record = next(
        (_provenance(found[n]) for n in ("units", "alignments", "sentences")
         if n in found and _provenance(found[n]).get("aligner") != "tmx-import"),
        {},
    )
    for name, frame in frames.items():
        record = _provenance(found[name])
        if name == "documents":
            key, step = "fetch", "fetch"
        elif name == "alignments" and record.get("aligner") == "tmx-import":
            key, step = "import", "import"
        else:
            key, step, record = "align", "align", align_record
        if key not in runs:
            run = run_from_provenance(data_dir, {**record, "migrated_from": "parquet files"}, step, "")
            run.run_id = new_run_id(run.step)
            run.finished = run.started
            runs[key] = run
        run = runs[key]
        run.items.extend(d for d in frame["doc_id"].unique(maintain_order=True).to_list() if d not in run.items)
        owners[name] = run.run_id
    for run in runs.values():  # first: a conversion killed half-way leaves no row without its run
        run.save()
    for name, frame in frames.items():
        overwrite_table(data_dir, name, frame.with_columns(pl.lit(owners[name], pl.Utf8()).alias(RUN_ID)))
    backup = data_dir / OLD_LAYOUT_DIR
    backup.mkdir(exist_ok=True)
    for path in found.values():
        os.replace(path, backup / path.name)
    names = ", ".join(f"{name}/" for name in frames)
    sys.stderr.write(
        f"bitext: converted {data_dir} to Delta tables ({names}); the old Parquet files are in {backup}\n"
    )
