"""What the engines share: an item, groups of items (in the compact form a worker gets), a stream of aligned groups."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING

import polars as pl

from align.jobs.item_aligner import ItemVersions

if TYPE_CHECKING:
    from align.jobs.item_aligner import JobStats, _Aligned

Item = tuple[str, pl.DataFrame]  # doc_id, its rows of the documents table
GroupResults = Iterator[tuple[Sequence["_Aligned"], "JobStats"]]  # each group's aligned items, in order, and its stats


def groups(items: Iterable[Item], size: int) -> Iterator[list[ItemVersions]]:
    """Consecutive groups of ``size`` items (the last one shorter), each item in its compact form."""
    iterator = (ItemVersions.from_rows(doc_id, rows) for doc_id, rows in items)
    while group := list(islice(iterator, size)):
        yield group
