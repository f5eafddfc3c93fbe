"""The align job's engines: worker processes and Ray store exactly what one process stores.

The items are the test_jobs.py texts (the reference page's English and our own
translations), cut differently per item so that items differ in shape.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from click.testing import CliRunner

from align.cli import main
from align.errors import JobError
from align.jobs.aligning import align_stored
from align.jobs.engines import aligned_items
from align.jobs.engines.grouping import Item, groups
from align.jobs.engines.local import IN_FLIGHT_PER_WORKER
from align.jobs.item_aligner import AlignSettings
from align.pairwise.aligner import align_pair
from align.pairwise.beads import Bead
from align.store.delta import frame_path
from align.store.items import item_states
from align.store.runs import read_runs
from align.store.tables import read_frame, write_frame
from tests.align.test_jobs import DE, EN, FR, RU, documents_frame

ITEMS = 12
SORT_KEYS = {
    "sentences": ["doc_id", "lang", "sent"],
    "alignments": ["doc_id", "src_lang", "tgt_lang", "src_sents", "tgt_sents"],
    "units": ["doc_id", "unit"],
}


def corpus(folder: Path, items: int = ITEMS) -> Path:
    frames = []
    for n in range(items):
        k = n % 3
        versions = {"en": EN[k:], "de": DE[k:], "fr": FR, "ru": RU[: 4 - k % 2], "es": EN[:2] if n % 4 == 0 else []}
        frames.append(documents_frame(versions, doc_id=f"item:{n}"))
    write_frame(pl.concat(frames), frame_path(folder, "documents"), provenance={"step": "fetch"})
    return folder


def stored_rows(data: Path) -> dict[str, pl.DataFrame]:
    return {name: read_frame(data, name).drop("run_id").sort(keys) for name, keys in SORT_KEYS.items()}  # type: ignore[arg-type]


def assert_same_rows(left: Path, right: Path) -> None:
    mine, theirs = stored_rows(left), stored_rows(right)
    for name in SORT_KEYS:
        assert mine[name].height > 0, name
        assert mine[name].equals(theirs[name]), name  # exact floats too: no tolerance


def bitext(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = corpus(tmp_path_factory.mktemp("one"))
    code, output = bitext("-q", "align", "-d", str(data), "--workers", "1")
    assert code == 0, output
    return data


def test_two_worker_processes_store_row_for_row_what_one_process_stores(one_worker: Path, tmp_path: Path) -> None:
    data = corpus(tmp_path)
    code, output = bitext("align", "-d", str(data), "--workers", "2", "--batch-items", "5")
    assert code == 0, output
    assert_same_rows(one_worker, data)  # the workers' hash seeds differ from this process's: sums must not care
    assert output.count(" units") == ITEMS  # one summary line per item, in the order of the ids
    run = read_runs(data).filter(pl.col("step") == "align").row(0, named=True)
    assert sorted(run["items"]) == sorted(f"item:{n}" for n in range(ITEMS))


def test_ray_engine_stores_row_for_row_what_the_local_engine_stores(
    one_worker: Path, tmp_path: Path, local_ray: Any
) -> None:
    data = corpus(tmp_path)
    summary = align_stored(data, engine="ray", workers=2, group_items=4, batch_items=5)
    assert [doc.doc_id for doc in summary.documents] == sorted(f"item:{n}" for n in range(ITEMS))
    assert summary.stats.items == ITEMS
    assert_same_rows(one_worker, data)


def test_items_stream_through_the_pool_with_a_bounded_number_in_flight(tmp_path: Path) -> None:
    count = 2 * IN_FLIGHT_PER_WORKER + 8
    rows = read_frame(corpus(tmp_path, items=count), "documents")
    pulled: list[int] = []

    def items() -> Iterator[Item]:
        for n in range(count):
            pulled.append(n)
            yield f"item:{n}", rows.filter(pl.col("doc_id") == f"item:{n}")

    results = aligned_items(items(), AlignSettings(), workers=2, group_items=1)
    first = next(results)
    assert first[0] == "item:0"
    assert len(pulled) <= 2 * IN_FLIGHT_PER_WORKER + 1  # the groups in flight, not the whole corpus
    assert [doc_id for doc_id, _ in results] == [f"item:{n}" for n in range(1, count)]


def test_what_a_worker_is_sent_for_an_item_does_not_grow_with_the_table(tmp_path: Path) -> None:
    def first_item_bytes(items: int) -> int:
        data = corpus(tmp_path / str(items), items=items)
        distinct = read_frame(data, "documents").with_columns(  # every item its own texts, as in a real archive
            pl.struct("paragraphs", "doc_id").map_elements(
                lambda row: [f"{text} {row['doc_id']:>8}" for text in row["paragraphs"]], return_dtype=pl.List(pl.Utf8)
            ).alias("paragraphs"))
        write_frame(distinct.drop("run_id"), frame_path(data, "documents"), provenance={"step": "fetch"})
        rows = read_frame(data, "documents")
        parts = rows.partition_by("doc_id", as_dict=True, maintain_order=True)  # as align_stored cuts the table
        group = next(groups(((str(key[0]), part) for key, part in parts.items()), 4))
        assert [item.doc_id for item in group] == [str(key[0]) for key in list(parts)[:4]]
        assert {version.lang for version in group[0].versions} == set(rows.filter(pl.col("doc_id") == group[0].doc_id)["lang"])
        return len(pickle.dumps(group[0]))

    small, large = first_item_bytes(3), first_item_bytes(60)
    assert large == small  # a slice of the table pickles with the whole table's string buffers: 20 times larger


def test_engine_ray_without_ray_is_one_line_naming_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = corpus(tmp_path, items=2)
    monkeypatch.setitem(sys.modules, "ray", None)  # as if not installed: `import ray` raises ImportError
    code, output = bitext("align", "-d", str(data), "--engine", "ray")
    assert code == 1
    assert output == "bitext: error: `--engine ray` needs Ray. Hint: `pip install 'bitext[ray]'`\n"
    assert not frame_path(data, "runs").exists() or read_runs(data).filter(pl.col("step") == "align").is_empty()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workers", "0"], "--workers"),
        (["--address", "ray://head:10001"], "--engine ray"),
        (["--engine", "spark"], "--engine"),
    ],
)
def test_bad_engine_options_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    data = corpus(tmp_path, items=1)
    code, output = bitext("align", "-d", str(data), *args)
    assert code == 2
    assert message in output and output.count("\n") == 1


def dies_on_a_poisoned_sentence(src: Sequence[str], tgt: Sequence[str], **options: Any) -> list[Bead]:
    """align_pair, except that the worker process dies (as the OOM killer would kill it) on one sentence."""
    if any(POISON in text for text in (*src, *tgt)):
        os.kill(os.getpid(), signal.SIGKILL)
    return align_pair(src, tgt, **options)


POISON = "Poisoned sentence."


def test_a_worker_killed_mid_job_is_one_error_and_keeps_what_was_committed(tmp_path: Path) -> None:
    data = corpus(tmp_path, items=6)
    rows = read_frame(data, "documents")
    poisoned = rows.with_columns(
        pl.when((pl.col("doc_id") == "item:4") & (pl.col("lang") == "en"))
        .then(pl.col("paragraphs").list.concat(pl.lit([POISON])))
        .otherwise(pl.col("paragraphs")).alias("paragraphs"),
        pl.when((pl.col("doc_id") == "item:4") & (pl.col("lang") == "en"))
        .then(pl.col("para_kinds").list.concat(pl.lit(["text"])))
        .otherwise(pl.col("para_kinds")).alias("para_kinds"),
    )
    write_frame(poisoned, frame_path(data, "documents"), provenance={"step": "fetch"})
    with pytest.raises(JobError, match="a worker process died"):
        align_stored(data, workers=2, group_items=1, batch_items=2, pair_aligner=dies_on_a_poisoned_sentence)
    states = item_states(data)
    assert set(states["state"].to_list()) <= {"aligned", "fetched"}  # each item stored whole or not at all
    whole = set(states.filter(pl.col("state") == "aligned")["doc_id"].to_list())
    assert whole <= {f"item:{n}" for n in range(4)}  # only batches finished before the death
