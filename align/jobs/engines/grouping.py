"""What the engines share: an item, its compact form for a worker, groups of items, a stream of aligned groups."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, NamedTuple

import polars as pl

if TYPE_CHECKING:
    from align.jobs.item_aligner import JobStats, _Aligned

Item = tuple[str, pl.DataFrame]  # doc_id, its rows of the documents table
GroupResults = Iterator[tuple[Sequence["_Aligned"], "JobStats"]]  # each group's aligned items, in order, and its stats


class Version(NamedTuple):
    """What aligning reads of one language version's row of the documents table."""

    lang: str
    paragraphs: list[str]
    para_kinds: list[str]
    original_lang: str | None


VERSION_COLUMNS = Version._fields


class ItemVersions(NamedTuple):
    """An item as a worker gets it: plain Python values, a few KB pickled. A slice of the documents table
    (a ``partition_by`` part) pickles with the string buffers of the *whole* table it views (11 MB an item of
    a 2,000-item table: pickling, the pipe and unpickling grew with the corpus), so items travel as this."""

    doc_id: str
    versions: tuple[Version, ...]

    @classmethod
    def from_rows(cls, doc_id: str, rows: pl.DataFrame) -> ItemVersions:
        return cls(doc_id, tuple(Version(*row) for row in rows.select(VERSION_COLUMNS).iter_rows()))


def groups(items: Iterable[Item], size: int) -> Iterator[list[ItemVersions]]:
    """Consecutive groups of ``size`` items (the last one shorter), each item in its compact form."""
    iterator = (ItemVersions.from_rows(doc_id, rows) for doc_id, rows in items)
    while group := list(islice(iterator, size)):
        yield group
