"""Where a job's items are aligned: in this process, in worker processes, or on a Ray cluster.

Every engine takes the items (doc_id, document rows) as an iterator and yields
``(doc_id, aligned)`` in the same order, so the caller (the one writer) commits
exactly what ``--workers 1`` would. Items travel in groups of ``group_items``;
at most a few groups per worker are in flight, so memory stays bounded however
many items the job has.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Final

from align.errors import InputError
from align.jobs.engines.grouping import Item

if TYPE_CHECKING:
    from align.jobs.item_aligner import AlignSettings, JobStats, _Aligned

ENGINES: Final = ("local", "ray")


def default_workers() -> int:
    """The cores this process may use (the CPU affinity mask, not the machine's total)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def check_engine(engine: str, workers: int, group_items: int) -> None:
    """Raise InputError for an unknown engine, one not installed, or a worker or group count below 1."""
    if engine not in ENGINES:
        raise InputError(f"unknown engine `{engine}`. Hint: choose one of {', '.join(ENGINES)}")
    if workers < 1 or group_items < 1:
        raise InputError(f"`workers` and `group_items` must be at least 1, got {workers} and {group_items}")
    if engine == "ray":
        from align.jobs.engines.ray_data import ray_module

        ray_module()  # no Ray: the one-line hint, before a run is started


def aligned_items(
    items: Iterable[Item],
    settings: AlignSettings,
    *,
    engine: str = "local",
    workers: int = 1,
    address: str | None = None,
    group_items: int = 4,
    stats: JobStats | None = None,
) -> Iterator[tuple[str, _Aligned]]:
    """``(doc_id, aligned)`` for every item, in the order given; ``stats`` gathers what the workers counted."""
    from align.jobs.item_aligner import JobStats

    stats = stats if stats is not None else JobStats()
    if engine == "ray":
        from align.jobs.engines.ray_data import aligned_on_ray

        results = aligned_on_ray(items, settings, workers=workers, address=address, group_items=group_items)
    else:
        from align.jobs.engines.local import aligned_locally

        results = aligned_locally(items, settings, workers=workers, group_items=group_items)
    for group, group_stats in results:
        stats.add(group_stats)
        yield from ((aligned.summary.doc_id, aligned) for aligned in group)
