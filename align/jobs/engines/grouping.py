"""What the engines share: an item, groups of items, a stream of aligned groups."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from align.jobs.item_aligner import JobStats, _Aligned

Item = tuple[str, pl.DataFrame]  # doc_id, its rows of the documents table
GroupResults = Iterator[tuple[Sequence["_Aligned"], "JobStats"]]  # each group's aligned items, in order, and its stats


def groups(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Consecutive groups of ``size`` items (the last one shorter)."""
    iterator = iter(items)
    while group := list(islice(iterator, size)):
        yield group
