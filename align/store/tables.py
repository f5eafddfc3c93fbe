"""Reading and writing the frames under an output folder (default ``aligned/``).

Writes are atomic (a temporary file in the same folder, then ``os.replace``),
every file carries its provenance in the Parquet key-value metadata, and
storing an item replaces that item's earlier rows instead of adding to them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from align import __version__
from align.errors import FrameError
from align.files import atomic_replace
from align.store.schemas import FrameName, empty_frame, schema_problem

DEFAULT_DATA_DIR = Path("aligned")
PROVENANCE_KEY = "bitext"


def frame_path(data_dir: str | os.PathLike[str], name: FrameName) -> Path:
    return Path(data_dir) / f"{name}.parquet"


def make_provenance(**params: Any) -> dict[str, Any]:
    """Provenance record: tool, version, creation time and the given parameters."""
    return {
        "tool": "bitext",
        "version": __version__,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **params,
    }


def read_frame(
    data_dir: str | os.PathLike[str], name: FrameName, *, missing_ok: bool = False
) -> pl.DataFrame:
    """Read one frame and check its schema.

    Raises
    ------
    FrameError
        The file is missing (unless ``missing_ok``), unreadable, or a column is
        missing or of the wrong type; the message names the file and the column.
    """
    path = frame_path(data_dir, name)
    if not path.exists():
        if missing_ok:
            return empty_frame(name)
        raise FrameError(
            f"{path}: no {name} frame here. Hint: run `bitext fetch URL` / `bitext align` "
            f"first, or point `-d/--data` at the folder that holds it"
        )
    try:
        frame = pl.read_parquet(path)
    except Exception as err:  # polars raises several unrelated types for a bad file
        raise FrameError(f"{path}: not a readable Parquet file ({err.__class__.__name__})") from err
    problem = schema_problem(name, frame)
    if problem:
        raise FrameError(f"{path}: {problem}")
    return frame


def read_provenance(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The provenance record stored in a frame file (empty if it has none)."""
    raw = pl.read_parquet_metadata(Path(path)).get(PROVENANCE_KEY)
    return json.loads(raw) if raw else {}


def write_frame(
    frame: pl.DataFrame, path: str | os.PathLike[str], *, provenance: Mapping[str, Any]
) -> Path:
    """Write ``frame`` to ``path`` atomically, with ``provenance`` in the metadata."""
    path = Path(path)
    with atomic_replace(path) as tmp:
        frame.write_parquet(tmp, metadata={PROVENANCE_KEY: json.dumps(dict(provenance))})
    return path


def replace_items(
    data_dir: str | os.PathLike[str],
    name: FrameName,
    rows: pl.DataFrame,
    *,
    provenance: Mapping[str, Any],
    doc_ids: Iterable[str] | None = None,
) -> pl.DataFrame:
    """Store ``rows``, replacing every earlier row of the same ``doc_id`` values.

    ``doc_ids`` widens the set of items replaced (an item re-aligned to no rows
    still loses its old ones). Returns the whole stored frame.
    """
    problem = schema_problem(name, rows)
    if problem:
        raise FrameError(f"refusing to store {name}: {problem}")
    replaced = set(rows["doc_id"].unique().to_list()) | set(doc_ids or ())
    old = read_frame(data_dir, name, missing_ok=True)
    kept = old.filter(~pl.col("doc_id").is_in(list(replaced)))
    merged = pl.concat([kept, rows], how="diagonal_relaxed") if len(kept) else rows
    write_frame(merged, frame_path(data_dir, name), provenance=provenance)
    return merged
