"""Aligning on this machine: in this process (one worker), else in a pool of worker processes.

Workers are started with ``spawn`` (a fork of a process running Polars' or a
model's threads can deadlock); each one builds its
:class:`~align.jobs.aligning.DocumentAligner` (and so its scorer and model)
once, in the pool's initialiser. The parent submits groups of items and keeps
at most ``IN_FLIGHT_PER_WORKER`` groups per worker queued, taking results back
in submission order.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import chain
from typing import TYPE_CHECKING, Final

from align.errors import JobError
from align.jobs.engines.grouping import GroupResults, Item, groups

if TYPE_CHECKING:
    from align.jobs.item_aligner import AlignSettings, DocumentAligner, ItemVersions, JobStats, _Aligned

# Groups queued per worker: the parent commits batches in between taking results (a commit, and every 10th
# batch a compaction, takes seconds late in a long job), and the workers must not run dry meanwhile: 8 groups
# of 4 small items are some 5 s of work a worker. Items travel compact, so this is a few MB in flight.
IN_FLIGHT_PER_WORKER: Final = 8

_worker_aligner: DocumentAligner | None = None  # one per worker process, made by _start_worker


def aligned_locally(
    items: Iterable[Item], settings: AlignSettings, *, workers: int, group_items: int
) -> GroupResults:
    """Each group of items aligned, in order, with its stats."""
    from align.jobs.item_aligner import DocumentAligner

    batches = groups(items, group_items)
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    if workers == 1 or second is None:  # a pool costs a second or two of start-up: not for one group
        aligner = DocumentAligner(settings)
        for group in chain((first,), () if second is None else (second,), batches):
            yield aligner.align_group(group)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(settings,)) as pool:
        pending: deque[Future[tuple[list[_Aligned], JobStats]]] = deque(
            pool.submit(_align_group, group) for group in (first, second)
        )
        try:
            for group in batches:
                if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                    yield pending.popleft().result()
                pending.append(pool.submit(_align_group, group))
            while pending:
                yield pending.popleft().result()
        except BrokenProcessPool as err:  # a worker killed (out of memory, kill -9): what is committed stays
            raise JobError(
                "a worker process died (out of memory?); the items committed so far are kept. "
                "Hint: rerun with `--pending` (and fewer `--workers`)"
            ) from err
        finally:
            for future in pending:
                future.cancel()


def _start_worker(settings: AlignSettings) -> None:
    global _worker_aligner
    from align.jobs.item_aligner import DocumentAligner

    _worker_aligner = DocumentAligner(settings)


def _align_group(group: list[ItemVersions]) -> tuple[list[_Aligned], JobStats]:
    assert _worker_aligner is not None, "the pool's initialiser makes the aligner"
    return _worker_aligner.align_group(group)
