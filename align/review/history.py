"""The corrections log ``DATA/corrections/``: one row per correction, and the undo/redo stacks read from it.

Each row says when (``at``), what (``action`` at ``unit``, ``lang``/``sent``
when one sentence was picked), and the rows before and after (``before``/
``after``, JSON lists of unit rows starting at unit ``start``): the aligner's
output is never lost, even once ``bitext compact`` has dropped the tables'
history. ``base`` is the item's version the correction was made on and
``run_id`` the ``correct`` run that wrote it (the item's version after). An
``undo``/``redo`` row names the correction it undoes or redoes in ``undoes``.

A row counts only once its run is finished and lists the item (the run's
last commit), so a correction cut short by a crash is not in the log.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

import polars as pl

from align.review.edits import Splice
from align.review.rows import Row
from align.store.delta import predicate_in, scan_raw, write_rows
from align.store.runs import read_runs
from align.store.schemas import UTC_TIME

CORRECTIONS: Final = "corrections"
UNDO: Final = "undo"
REDO: Final = "redo"

CORRECTIONS_SCHEMA: Final = pl.Schema({
    "run_id": pl.Utf8(),
    "doc_id": pl.Utf8(),
    "at": UTC_TIME,
    "action": pl.Utf8(),
    "unit": pl.Int32(),
    "lang": pl.Utf8(),
    "sent": pl.Int32(),
    "start": pl.Int32(),
    "before": pl.Utf8(),
    "after": pl.Utf8(),
    "base": pl.Utf8(),
    "undoes": pl.Utf8(),
})


@dataclass(frozen=True)
class Entry:
    """One logged correction."""

    run_id: str
    doc_id: str
    at: datetime
    action: str
    unit: int
    lang: str | None
    sent: int | None
    splice: Splice
    base: str
    undoes: str | None = None

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame([{
            "run_id": self.run_id, "doc_id": self.doc_id, "at": self.at, "action": self.action, "unit": self.unit,
            "lang": self.lang, "sent": self.sent, "start": self.splice.start,
            "before": json.dumps(list(self.splice.before), ensure_ascii=False),
            "after": json.dumps(list(self.splice.after), ensure_ascii=False),
            "base": self.base, "undoes": self.undoes,
        }], schema=CORRECTIONS_SCHEMA)


def _rows(text: str | None) -> tuple[Row, ...]:
    return tuple(json.loads(text or "[]"))


def append_entry(data_dir: str | os.PathLike[str], entry: Entry) -> None:
    """One commit adding ``entry`` to the log."""
    write_rows(data_dir, CORRECTIONS, entry.frame(), predicate=predicate_in("run_id", [entry.run_id]), run_id=None)


def read_log(data_dir: str | os.PathLike[str], doc_id: str) -> list[Entry]:
    """The item's corrections whose run finished, oldest first."""
    scan = scan_raw(data_dir, CORRECTIONS)
    if scan is None:
        return []
    frame = scan.filter(pl.col("doc_id") == doc_id).collect()
    if not frame.height:
        return []
    runs = read_runs(data_dir).filter(pl.col("finished").is_not_null() & pl.col("items").list.contains(doc_id))
    frame = frame.filter(pl.col("run_id").is_in(runs["run_id"].implode())).sort("at", "run_id")
    return [
        Entry(
            rec["run_id"], rec["doc_id"], rec["at"], rec["action"], rec["unit"], rec["lang"], rec["sent"],
            Splice(rec["start"], _rows(rec["before"]), _rows(rec["after"])), rec["base"], rec["undoes"],
        )
        for rec in frame.iter_rows(named=True)
    ]


@dataclass(frozen=True)
class Stacks:
    """What Undo and Redo would take back or make again (last = next)."""

    done: tuple[Entry, ...]
    undone: tuple[Entry, ...]


def stacks(entries: Sequence[Entry], version: str) -> Stacks:
    """The undo and redo stacks of an item at ``version``: a write that is not in the log (re-aligning the item)
    between two corrections, or after the last one, empties both (its rows are not what they would restore)."""
    done: list[Entry] = []
    undone: list[Entry] = []
    previous: str | None = None
    for entry in entries:
        if previous is not None and entry.base != previous:
            done, undone = [], []
        if entry.action == UNDO:
            if done:
                undone.append(done.pop())
        elif entry.action == REDO:
            if undone:
                done.append(undone.pop())
        else:
            done.append(entry)
            undone = []
        previous = entry.run_id
    if previous != version:
        return Stacks((), ())
    return Stacks(tuple(done), tuple(undone))
