"""The runs table ``DATA/runs/``: one row per run of a step that wrote rows.

A run is one invocation of fetch, align, import or correct. Its row names the
step, the tool version, the aligner, the scorer and its parameters (JSON),
the model and its version when a scorer uses one, the other parameters
(JSON), when it started and finished (null until done) and ``items``: the
doc ids it has *completely* written. A job adds an item to ``items`` only after
every table it writes for that item has committed, which is what
:mod:`align.store.items` checks an item is whole against.

While a run works, each batch's items are *appended* to ``DATA/run_items/``
(one ``(run_id, doc_id)`` row per item): rewriting the run's row with its
growing list after every batch would make batch k cost O(k). The finished
run's row lists all its items once; :func:`read_runs` gives every run's
``items`` from both, so an interrupted run's items are known too.

Every stored row's ``run_id`` points here; provenance shown to users (TMX
header and props, ``bitext status``, ``align.study``) is read from this table.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Literal

import polars as pl

from align import __version__
from align.store.delta import append_rows, frame_path, predicate_in, scan_raw, write_rows
from align.store.leftovers import remove_leftovers
from align.store.open_tables import OpenTable
from align.store.schemas import UTC_TIME

Step = Literal["fetch", "align", "import", "correct"]
STEPS: Final[tuple[Step, ...]] = ("fetch", "align", "import", "correct")
RUNS: Final = "runs"
RUN_ITEMS: Final = "run_items"
RUN_ITEMS_SCHEMA: Final = pl.Schema({"run_id": pl.Utf8(), "doc_id": pl.Utf8()})

RUNS_SCHEMA: Final = pl.Schema(
    {
        "run_id": pl.Utf8(),
        "step": pl.Utf8(),
        "tool_version": pl.Utf8(),
        "aligner": pl.Utf8(),
        "scorer": pl.Utf8(),
        "scorer_params": pl.Utf8(),
        "model": pl.Utf8(),
        "model_version": pl.Utf8(),
        "params": pl.Utf8(),
        "started": UTC_TIME,
        "finished": UTC_TIME,
        "items": pl.List(pl.Utf8()),
    }
)


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


@dataclass
class Run:
    """One run: create with :func:`start_run`, then ``add_items`` after each batch and ``finish``."""

    data_dir: Path
    run_id: str
    step: str
    aligner: str | None = None
    scorer: str | None = None
    scorer_params: Mapping[str, Any] = field(default_factory=dict)
    model: str | None = None
    model_version: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    tool_version: str = __version__
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished: datetime | None = None
    items: list[str] = field(default_factory=list)  # every item recorded, in ``run_items`` or in the row
    listed: list[str] = field(default_factory=list)  # the items the stored row lists (kept until ``finish``)
    _run_items: OpenTable | None = field(default=None, init=False, repr=False, compare=False)

    def row(self) -> pl.DataFrame:
        """The run's row; it lists every item only once the run is finished (``run_items`` until then)."""
        items = self.items if self.finished is not None else self.listed
        return pl.DataFrame(
            [{
                "run_id": self.run_id, "step": self.step, "tool_version": self.tool_version,
                "aligner": self.aligner, "scorer": self.scorer, "scorer_params": _json(dict(self.scorer_params)),
                "model": self.model, "model_version": self.model_version, "params": _json(dict(self.params)),
                "started": self.started, "finished": self.finished, "items": list(items),
            }],
            schema=RUNS_SCHEMA,
        )

    def save(self) -> None:
        write_rows(self.data_dir, RUNS, self.row(), predicate=predicate_in("run_id", [self.run_id]), run_id=None)

    def add_items(self, doc_ids: Iterable[str]) -> None:
        """Record ``doc_ids`` as completely written by this run: one append to ``run_items``, whatever the run's size."""
        known = set(self.items)
        new = [d for d in dict.fromkeys(doc_ids) if d not in known]
        if new:
            rows = pl.DataFrame({"run_id": [self.run_id] * len(new), "doc_id": new}, schema=RUN_ITEMS_SCHEMA)
            if self._run_items is None:
                self._run_items = OpenTable(frame_path(self.data_dir, RUN_ITEMS))
            # a blind append needs no fresh snapshot: delta-rs commits it after whatever others committed since
            table = self._run_items.table or self._run_items.refresh()
            append_rows(self.data_dir, RUN_ITEMS, rows, table=table)
            self.items.extend(new)

    def finish(self, items: Iterable[str] = ()) -> None:
        """Mark the run done (with ``items`` completely written too); its row then lists all its items."""
        self.add_items(items)
        self.finished = datetime.now(UTC)
        self.save()
        self.listed = list(self.items)


def new_run_id(step: str) -> str:
    """``align-20261203T120501-3f9a1c2b``: sortable by start time, unique across processes."""
    return f"{step}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"


def start_run(
    data_dir: str | os.PathLike[str],
    step: Step,
    *,
    aligner: str | None = None,
    scorer: str | None = None,
    scorer_params: Mapping[str, Any] | None = None,
    model: str | None = None,
    model_version: str | None = None,
    **params: Any,
) -> Run:
    """Create the run's row (finished null) and return it; first clear what killed runs left behind."""
    remove_leftovers(data_dir)
    scorer_params = dict(scorer_params or {})
    if model is None and isinstance(scorer_params.get("model"), str):
        model = str(scorer_params["model"])
    run = Run(
        Path(data_dir), new_run_id(step), step, aligner=aligner, scorer=scorer, scorer_params=scorer_params,
        model=model, model_version=model_version, params=params,
    )
    run.save()
    return run


def run_from_provenance(data_dir: Path, provenance: Mapping[str, Any], default_step: str, run_id: str) -> Run:
    """A run built from an old-style provenance record (migration, helpers)."""
    known = {"tool", "version", "created", "step", "aligner", "scorer", "scorer_params", "model", "model_version"}
    step = str(provenance.get("step") or ("import" if provenance.get("aligner") == "tmx-import" else default_step))
    started = _parse_time(provenance.get("created"))
    scorer_params = provenance.get("scorer_params")
    return Run(
        data_dir, run_id, step,
        aligner=_opt_str(provenance.get("aligner")), scorer=_opt_str(provenance.get("scorer")),
        scorer_params=dict(scorer_params) if isinstance(scorer_params, Mapping) else {},
        model=_opt_str(provenance.get("model")), model_version=_opt_str(provenance.get("model_version")),
        params={k: v for k, v in provenance.items() if k not in known},
        tool_version=str(provenance.get("version") or __version__),
        started=started or datetime.now(UTC),
    )


def run_for_provenance(data_dir: str | os.PathLike[str], provenance: Mapping[str, Any], frame: str) -> Run:
    """The run an old-style provenance record stands for: equal records are one run (its items kept)."""
    data_dir = Path(data_dir)
    digest = hashlib.sha256(_json(dict(provenance)).encode()).hexdigest()[:12]
    default_step = "fetch" if frame == "documents" else "align"
    run = run_from_provenance(data_dir, provenance, default_step, "")
    run.run_id = f"{run.step}-{digest}"
    stored = read_runs(data_dir, with_listed=True).filter(pl.col("run_id") == run.run_id)
    if len(stored):
        row = stored.row(0, named=True)
        run.items = list(row["items"] or [])
        run.listed = list(row["listed"] or [])
        run.started = row["started"]
    return run


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def read_runs(data_dir: str | os.PathLike[str], *, with_listed: bool = False) -> pl.DataFrame:
    """Every run row (empty when no run has been stored), oldest first.

    ``items`` holds what the row lists (in its order) and then what else
    ``run_items`` holds for the run (sorted); ``with_listed`` adds ``listed``,
    the row's list alone.
    """
    scan = scan_raw(data_dir, RUNS)
    columns = [*RUNS_SCHEMA.names(), *(["listed"] if with_listed else [])]
    if scan is None:
        return pl.DataFrame(schema=RUNS_SCHEMA).with_columns(pl.col("items").alias("listed")).select(columns)
    frame = scan.collect()
    missing = [c for c in RUNS_SCHEMA.names() if c not in frame.columns]
    if missing:
        from align.errors import FrameError

        raise FrameError(f"{Path(data_dir) / RUNS}: column `{missing[0]}` is missing")
    frame = frame.with_columns(pl.col("items").fill_null([]).alias("listed"))
    appended = scan_raw(data_dir, RUN_ITEMS)
    if appended is not None:
        # a scan's row order is not the commit order: the appended items come sorted
        per_run = appended.group_by("run_id").agg(pl.col("doc_id").sort().alias("_appended")).collect()
        frame = frame.join(per_run, on="run_id", how="left").with_columns(
            pl.concat_list("listed", pl.col("_appended").fill_null([]))
            .list.unique(maintain_order=True).alias("items")
        )
    return frame.select(columns).sort("started", "run_id")


def describe_run(row: Mapping[str, Any]) -> dict[str, Any]:
    """The provenance record of one runs row, as exports show it."""
    record: dict[str, Any] = {"run_id": row["run_id"], "step": row["step"], "version": row["tool_version"]}
    for key in ("aligner", "scorer"):
        if row.get(key):
            record[key] = row[key]
    if row.get("scorer"):
        record["scorer_params"] = json.loads(row.get("scorer_params") or "{}")
    if row.get("model"):
        record["model"] = row["model"]
        record["model_version"] = row.get("model_version")
    return record
