"""Loading an item for review and committing one correction as a ``correct`` run of the store.

A correction is saved at once: one run (step ``correct``) whose commits
replace exactly the item's ``units`` and ``alignments`` rows (the pairwise
rows read off the corrected units), add its row to the corrections log and
finally list the item in the run (what makes the item whole again). The
item's *version* is the run id of its units rows: a page sends the version it
shows, and a correction made on an older one is refused with
:class:`VersionConflict` (two tabs never overwrite each other's edits).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from align.errors import FrameError, InputError
from align.multiway.units import choose_pivot
from align.review.edits import Action, EditError, Splice, Target, edit
from align.review.history import REDO, UNDO, Entry, Stacks, append_entry, read_log, stacks
from align.review.rows import Row, Sentences, alignments_frame, rows_from_frame, units_frame
from align.store.delta import frame_path, predicate_in
from align.store.items import broken_items
from align.store.runs import start_run
from align.store.schemas import RUN_ID
from align.store.tables import replace_rows, scan_table

# one correction at a time per process: the version check and the commits that follow are one step
_LOCK = threading.Lock()


class VersionConflict(InputError):
    """The item changed (another tab, another window) since the page asking for a correction was loaded."""


@dataclass(frozen=True)
class Item:
    """One item as the review pages show it: languages (pivot first), rows, sentences and version."""

    doc_id: str
    title: str
    langs: tuple[str, ...]
    pivot: str
    rows: tuple[Row, ...]
    sentences: Sentences
    version: str
    alignments: pl.DataFrame


@dataclass(frozen=True)
class Outcome:
    """What a correction did: the item after it, the rows replaced and what Undo/Redo can do now."""

    item: Item
    splice: Splice
    entry: Entry
    history: Stacks


def _item_rows(data_dir: str | os.PathLike[str], name: str, doc_id: str) -> pl.DataFrame:
    scan = scan_table(data_dir, name)
    if scan is None:
        raise FrameError(f"{frame_path(data_dir, name)}: no {name} frame here. Hint: run `bitext align` first")
    return scan.filter(pl.col("doc_id") == doc_id).collect()


def load_item(data_dir: str | os.PathLike[str], doc_id: str) -> Item:
    """The item ``doc_id`` as stored; raises InputError when it has no units or was left half-written."""
    if doc_id in broken_items(data_dir):
        raise InputError(f"{doc_id} was left half-written by an interrupted run; "
                         f"`bitext align -d {data_dir} --doc {doc_id}` redoes it")
    units = _item_rows(data_dir, "units", doc_id)
    if not units.height:
        raise InputError(f"{frame_path(data_dir, 'units')}: no units for {doc_id}. Hint: `bitext align --doc {doc_id}`")
    sentences = _item_rows(data_dir, "sentences", doc_id)
    langs = sorted(set(sentences["lang"].to_list()) & {c.removeprefix("text_") for c in units.columns
                                                        if c.startswith("text_")})
    title, original = _document(data_dir, doc_id)
    present = [lang for lang in langs if units[f"sents_{lang}"].list.len().sum()] or langs
    pivot = choose_pivot(present, original)
    ordered = (pivot, *[lang for lang in langs if lang != pivot])
    versions = sorted({v for v in units[RUN_ID].to_list() if v})
    return Item(
        doc_id, title, ordered, pivot, tuple(rows_from_frame(units, ordered)), Sentences.from_frame(sentences),
        "+".join(versions), _item_rows(data_dir, "alignments", doc_id),
    )


def _document(data_dir: str | os.PathLike[str], doc_id: str) -> tuple[str, str | None]:
    scan = scan_table(data_dir, "documents")
    if scan is None:
        return doc_id, None
    docs = scan.filter(pl.col("doc_id") == doc_id).select("lang", "title", "original_lang").collect()
    original = next((lang for lang in docs["original_lang"].to_list() if lang), None)
    titles = dict(zip(docs["lang"].to_list(), docs["title"].to_list(), strict=True))
    return (titles.get(original or "") or titles.get("en") or next(iter(titles.values()), None) or doc_id), original


# the item as the last correction left it, per (folder, doc id): the next correction on the same version
# skips reading the item again (its version is read from the store each time, so a change elsewhere is seen)
_LAST: dict[tuple[str, str], Item] = {}


def _stored_version(data_dir: str | os.PathLike[str], doc_id: str) -> str:
    scan = scan_table(data_dir, "units")
    if scan is None:
        return ""
    ids = scan.filter(pl.col("doc_id") == doc_id).select(pl.col(RUN_ID).unique()).collect()[RUN_ID].to_list()
    return "+".join(sorted(v for v in ids if v))


def current_item(data_dir: str | os.PathLike[str], doc_id: str) -> Item:
    """The item as stored now (:func:`load_item`, or the copy the last correction left when it is still current)."""
    key = (str(Path(data_dir).resolve()), doc_id)
    cached = _LAST.get(key)
    if cached is not None and cached.version == _stored_version(data_dir, doc_id):
        return cached
    item = _LAST[key] = load_item(data_dir, doc_id)
    return item


def history(data_dir: str | os.PathLike[str], item: Item) -> Stacks:
    return stacks(read_log(data_dir, item.doc_id), item.version)


def correct(
    data_dir: str | os.PathLike[str], doc_id: str, action: Action | str, target: Target, version: str
) -> Outcome:
    """Make one correction (or ``undo``/``redo``) on the item at ``version`` and store it; see the module doc."""
    with _LOCK:
        item = current_item(data_dir, doc_id)
        if item.version != version:
            raise VersionConflict(
                f"{doc_id} was changed in another tab or window since this page was loaded; "
                f"nothing was saved from this one: reload to see the current units and try again")
        entries = read_log(data_dir, doc_id)
        before = stacks(entries, item.version)
        undoes = None
        if action in (UNDO, REDO):
            source = before.done if action == UNDO else before.undone
            if not source:
                raise EditError(f"nothing to {action} in {doc_id}")
            undoes = source[-1].run_id
            splice = source[-1].splice.inverse() if action == UNDO else source[-1].splice
            _check_applies(splice, item.rows, action)
        else:
            splice = edit(action, item.rows, target, item.langs, item.sentences)  # type: ignore[arg-type]
        rows = splice.apply(item.rows)
        run = start_run(data_dir, "correct", doc_id=doc_id, action=action, unit=target.unit)
        predicate = predicate_in("doc_id", [doc_id])
        units = units_frame(doc_id, rows, item.langs)
        replace_rows(data_dir, "units", units, predicate=predicate, run_id=run.run_id)
        alignments = alignments_frame(doc_id, units, item.langs, item.pivot, item.alignments)
        replace_rows(data_dir, "alignments", alignments, predicate=predicate, run_id=run.run_id)
        entry = Entry(run.run_id, doc_id, datetime.now(UTC), action, target.unit, target.lang, target.sent,
                      splice, item.version, undoes)
        append_entry(data_dir, entry)
        run.finish([doc_id])
        after = Item(item.doc_id, item.title, item.langs, item.pivot, tuple(rows), item.sentences, run.run_id,
                     alignments.with_columns(pl.lit(run.run_id).alias(RUN_ID)))
        _LAST[(str(Path(data_dir).resolve()), doc_id)] = after
        placed = Splice(splice.start, splice.before, tuple(rows[splice.start: splice.start + len(splice.after)]))
        return Outcome(after, placed, entry, stacks([*entries, entry], run.run_id))


def _check_applies(splice: Splice, rows: tuple[Row, ...], action: str) -> None:
    """An undo/redo restores rows only where the rows it replaces are still the ones it recorded."""
    def content(row: Row) -> Row:
        return {k: v for k, v in row.items() if k != "unit"}

    current = rows[splice.start: splice.start + len(splice.before)]
    if [content(r) for r in current] != [content(r) for r in splice.before]:
        raise EditError(f"cannot {action}: those units were changed since; correct them by hand")
