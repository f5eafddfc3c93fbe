"""The batch writer: new items appended, stored ones replaced, items two writers append at once, bounded compaction."""

from __future__ import annotations

import json
import os
import random
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from deltalake import DeltaTable

from align import ALIGNMENTS_SCHEMA, SENTENCES_SCHEMA, units_schema
from align.store import open_tables
from align.store.batches import BatchWriter
from align.store.items import ITEM_TABLES, item_states, read_whole
from align.store.runs import start_run

ROOT = Path(__file__).resolve().parents[2]


def item_rows(doc: str, tag: str = "") -> dict[str, pl.DataFrame]:
    """One item of two languages, two sentences each, as the align job stores it (``tag`` marks its text)."""
    sentences = [(doc, lang, 0, s, f"{lang} {s} {tag}") for lang in ("en", "fr") for s in range(2)]
    alignments = [(doc, "en", "fr", [s], [s], f"en {s} {tag}", f"fr {s} {tag}", 0.9, "1-1") for s in range(2)]
    units = [{"doc_id": doc, "unit": s, "score": 0.9, "text_en": f"en {s} {tag}", "sents_en": [s],
              "text_fr": f"fr {s} {tag}", "sents_fr": [s]} for s in range(2)]
    return {
        "sentences": pl.DataFrame(sentences, schema=SENTENCES_SCHEMA, orient="row"),
        "alignments": pl.DataFrame(alignments, schema=ALIGNMENTS_SCHEMA, orient="row"),
        "units": pl.DataFrame(units, schema=units_schema(["en", "fr"])),
    }


def store(data: Path, docs: list[str], tag: str = "", **kw: Any) -> str:
    """Store ``docs`` as one align run in one batch; returns the run id."""
    run = start_run(data, "align")
    writer = BatchWriter(data, run, ITEM_TABLES, batch_items=10**6, **kw)
    for doc in docs:
        writer.add(doc, item_rows(doc, tag))
    writer.flush()
    run.finish()
    return run.run_id


def operations(data: Path, name: str) -> list[dict[str, Any]]:
    """The table's WRITE commits, oldest first: mode and predicate."""
    history = reversed(DeltaTable(str(data / name)).history())
    return [h["operationParameters"] for h in history if h.get("operation") == "WRITE"]


def assert_never_doubled(data: Path) -> None:
    """Readers see each item from one run only, with its rows once."""
    for name in ITEM_TABLES:
        frame = read_whole(data, name, missing_ok=True)
        per_item = frame.group_by("doc_id").agg(pl.col("run_id").n_unique().alias("runs"), pl.len().alias("rows"))
        assert per_item.filter(pl.col("runs") > 1).is_empty(), name
        assert set(per_item["rows"].to_list()) <= {2 if name != "sentences" else 4}, name


def test_new_items_are_appended_and_stored_ones_replaced_by_a_predicate_naming_the_batch(tmp_path: Path) -> None:
    store(tmp_path, ["n:1", "n:2"])
    store(tmp_path, ["n:3"])  # new again: appended, n:1 and n:2 untouched
    store(tmp_path, ["n:2", "n:4"], tag="again")  # n:2 is stored: one predicate commit naming the batch
    for name in ITEM_TABLES:
        ops = operations(tmp_path, name)
        assert [op["mode"] for op in ops[1:]] == ["Append", "Overwrite"], name  # ops[0] created the table
        assert "n:2" in ops[2]["predicate"] and "n:4" in ops[2]["predicate"] and "n:1" not in ops[2]["predicate"]
    states = item_states(tmp_path)
    assert states["state"].to_list() == ["aligned"] * 4 and states["runs"].list.len().to_list() == [1] * 4
    assert_never_doubled(tmp_path)
    texts = read_whole(tmp_path, "units").filter(pl.col("doc_id") == "n:2")["text_en"].to_list()
    assert sorted(texts) == ["en 0 again", "en 1 again"]


def test_a_writer_learns_the_items_others_stored_after_it_opened_the_tables(tmp_path: Path) -> None:
    store(tmp_path, ["o:1"])
    run = start_run(tmp_path, "align")
    writer = BatchWriter(tmp_path, run, ITEM_TABLES, batch_items=10**6)
    writer.add("o:0", item_rows("o:0"))
    writer.flush()  # the writer has its tables open and knows their ids
    store(tmp_path, ["o:2"])  # another writer stores o:2 meanwhile
    writer.add("o:2", item_rows("o:2", "mine"))
    writer.flush()
    run.finish()
    assert operations(tmp_path, "units")[-1]["mode"] == "Overwrite"  # replaced, not appended a second time
    assert item_states(tmp_path).filter(pl.col("doc_id") == "o:2")["runs"].to_list() == [[run.run_id]]
    assert_never_doubled(tmp_path)


def test_an_item_two_writers_append_at_once_is_broken_for_readers_until_it_is_stored_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store(tmp_path, ["r:1", "r:2"])
    # the race: the other writer's commit lands between this writer's look at the table and its append
    monkeypatch.setattr(open_tables.OpenTable, "holds_any", lambda self, doc_ids: False)
    store(tmp_path, ["r:2"], tag="twice")
    monkeypatch.undo()
    assert dict(item_states(tmp_path).select("doc_id", "state").iter_rows()) == {"r:1": "aligned", "r:2": "broken"}
    assert read_whole(tmp_path, "units")["doc_id"].unique().to_list() == ["r:1"]  # never shown doubled
    store(tmp_path, ["r:2"], tag="redone")  # what `bitext align` does with a broken item
    assert set(item_states(tmp_path)["state"].to_list()) == {"aligned"}
    assert_never_doubled(tmp_path)


WRITER = """
import sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from align.store.batches import BatchWriter
from align.store.items import ITEM_TABLES
from align.store.runs import start_run
from tests.align.test_store_writer import item_rows
data, me, other, meeting = Path(sys.argv[1]), sys.argv[2], sys.argv[3], Path(sys.argv[4])
step = iter(range(10**6))

def meet(ids):  # both writers reach each batch's commits together, so their commits interleave
    k = next(step)
    (meeting / f"{{me}}-{{k}}").touch()
    deadline = time.monotonic() + 10
    while not (meeting / f"{{other}}-{{k}}").exists() and time.monotonic() < deadline:
        time.sleep(0.002)

run = start_run(data, "align")
writer = BatchWriter(data, run, ITEM_TABLES, batch_items=2, before_commit=meet)
for n in range(16):
    writer.add(f"c:{{n}}", item_rows(f"c:{{n}}", me))
writer.flush()
run.finish()
"""


def test_two_processes_storing_the_same_new_items_at_once_leave_whole_or_broken_items_never_doubled(
    tmp_path: Path,
) -> None:
    script = WRITER.format(root=str(ROOT))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    data, meeting = tmp_path / "data", tmp_path / "meeting"
    data.mkdir()
    meeting.mkdir()
    procs = [subprocess.Popen([sys.executable, "-c", script, str(data), me, other, str(meeting)], env=env,
                              stderr=subprocess.PIPE) for me, other in (("p", "q"), ("q", "p"))]
    for proc in procs:
        _, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err.decode()
    states = item_states(data)
    assert len(states) == 16 and set(states["state"].to_list()) <= {"aligned", "broken"}
    assert_never_doubled(data)
    whole = states.filter(pl.col("state") == "aligned")["doc_id"].to_list()
    assert sorted(read_whole(data, "units")["doc_id"].unique().to_list()) == sorted(whole)
    broken = states.filter(pl.col("state") == "broken")["doc_id"].to_list()
    if broken:
        store(data, broken, tag="redone")
    assert set(item_states(data)["state"].to_list()) == {"aligned"}
    assert_never_doubled(data)


def test_a_periodic_compaction_rewrites_what_the_cycle_wrote_not_the_table(tmp_path: Path) -> None:
    run = start_run(tmp_path, "align")
    writer = BatchWriter(tmp_path, run, ("sentences",), batch_items=20, compact_every=4)
    words = random.Random(1)
    for n in range(20 * 4 * 12):  # 12 cycles of 4 batches; text that compresses no better merged than alone
        text = "".join(words.choices(string.ascii_lowercase, k=60))
        writer.add(f"s:{n:05d}", {"sentences": item_rows(f"s:{n:05d}", text)["sentences"]})
    run.finish()
    table = DeltaTable(str(tmp_path / "sentences"))
    history = list(reversed(table.history()))
    compactions = [h["operationMetrics"] for h in history if h.get("operation") == "OPTIMIZE"]
    assert len(compactions) == 12
    batch_bytes = [json.loads(line)["add"]["size"] for v in (1, 2, 3)
                   for line in (tmp_path / "sentences" / "_delta_log" / f"{v:020d}.json").read_text().splitlines()
                   if '"add"' in line]
    cycle = 4 * max(batch_bytes)
    removed = [json.loads(m["filesRemoved"])["totalSize"] for m in compactions]
    assert max(removed[-4:]) <= 3 * cycle, removed  # the last cycles rewrite about a cycle, not the table
    assert sum(pl.DataFrame(table.get_add_actions(flatten=True))["size_bytes"]) > 3 * cycle  # the table is larger
    assert len(table.file_uris()) <= 12  # and its files stay few
