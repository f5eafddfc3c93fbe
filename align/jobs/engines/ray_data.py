"""Aligning on a Ray cluster with Ray Data: ``map_batches`` over groups of items, one aligner per actor.

The driver (this process) sends each item's versions (a pickled
:class:`~align.jobs.item_aligner.ItemVersions`) into the dataset, so the
cluster's nodes need no access to the data folder; the actors (:class:`AlignActor`, a callable class) build their scorer and model
once and return each aligned item pickled; the driver takes them back in
order (``preserve_order``) and is the only writer. The cluster is the one at
``address``, else ``$RAY_ADDRESS``, else a local one started for the job;
a Ray already initialised in this process (a test session's) is used as is.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from align.errors import InputError
from align.jobs.engines.grouping import GroupResults, Item, groups

if TYPE_CHECKING:
    from align.jobs.item_aligner import AlignSettings, ItemVersions, _Aligned

# Groups handed to Ray Data at a time: bounds the rows held in the object store. Each window is one
# dataset; Ray keeps the actors' processes warm between them only within a window, so it is large.
WINDOW_GROUPS = 256


class AlignActor:
    """Ray Data's callable class: one :class:`~align.jobs.aligning.DocumentAligner` per actor."""

    def __init__(self, settings: AlignSettings):
        from align.jobs.item_aligner import DocumentAligner

        self.aligner = DocumentAligner(settings)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        items: list[ItemVersions] = [pickle.loads(rows) for rows in batch["rows"]]
        aligned, stats = self.aligner.align_group(items)
        blobs = [pickle.dumps(item) for item in aligned]
        stats_blob = [pickle.dumps(stats)] + [b""] * (len(items) - 1)  # a group's stats ride on its first item
        return {"doc_id": batch["doc_id"], "result": np.array(blobs, dtype=object), "stats": np.array(stats_blob, dtype=object)}


def aligned_on_ray(
    items: Iterable[Item], settings: AlignSettings, *, workers: int, address: str | None, group_items: int
) -> GroupResults:
    """Each group of items aligned by Ray actors, in order, with its stats."""
    ray = ray_module()
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False, runtime_env=_code_env(address))
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    window: list[list[ItemVersions]] = []
    for group in groups(items, group_items):
        window.append(group)
        if len(window) >= WINDOW_GROUPS:
            yield from _run_window(ray, window, settings, workers, group_items)
            window = []
    if window:
        yield from _run_window(ray, window, settings, workers, group_items)


def _run_window(ray: Any, window: list[list[ItemVersions]], settings: AlignSettings, workers: int, group_items: int) -> GroupResults:
    from align.jobs.item_aligner import JobStats

    records = [{"doc_id": item.doc_id, "rows": pickle.dumps(item)} for group in window for item in group]
    dataset = ray.data.from_items(records, override_num_blocks=min(len(records), workers * 4)).map_batches(
        AlignActor, fn_constructor_kwargs={"settings": settings}, batch_size=group_items,
        batch_format="numpy", compute=ray.data.ActorPoolStrategy(size=workers), num_cpus=1,
    )
    group: list[_Aligned] = []
    stats = JobStats()
    for row in dataset.iter_rows():
        if row["stats"]:  # the first item of the next group
            if group:
                yield group, stats
            group, stats = [], pickle.loads(row["stats"])
        group.append(pickle.loads(row["result"]))
    if group:
        yield group, stats


def _code_env(address: str | None) -> dict[str, Any] | None:
    """On a Ray started here, the workers import this very ``align`` (a source tree, not only an installed one)."""
    if address or os.environ.get("RAY_ADDRESS"):
        return None  # a cluster's nodes have their own installation
    root = str(Path(__file__).resolve().parents[3])
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
    return {"env_vars": {"PYTHONPATH": path}}


def ray_module() -> Any:
    try:
        import ray
        import ray.data
    except ImportError:
        raise InputError("`--engine ray` needs Ray. Hint: `pip install 'bitext[ray]'`") from None
    return ray


