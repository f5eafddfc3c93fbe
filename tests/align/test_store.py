"""The Delta store: replacing rows, runs, migration from the Parquet layout, umask, leftovers, commit races."""

from __future__ import annotations

import json
import os
import random
import string
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from deltalake import DeltaTable

from align.errors import FrameError
from align.store.delta import frame_path, predicate_in, sql_literal
from align.store.housekeeping import compact, export_parquet
from align.store.items import item_states, read_whole
from align.store.leftovers import remove_leftovers
from align.store.runs import read_runs, start_run
from align.store.schemas import DOCUMENTS_SCHEMA, units_schema
from align.store.tables import read_frame, replace_rows

ROOT = Path(__file__).resolve().parents[2]


def _documents(doc_id: str, langs: list[str], title: str = "T") -> pl.DataFrame:
    now = datetime(2016, 10, 6, 19, 14, tzinfo=UTC)
    return pl.DataFrame(
        [
            {
                "doc_id": doc_id, "lang": lang, "url": f"http://x/{lang}", "title": title, "published": now,
                "doc_number": None, "paragraphs": ["a", "b"], "para_kinds": ["text", "heading"],
                "original_lang": "ru", "detected_lang": lang, "lang_confidence": 0.9, "fetched_at": now,
                "html_sha256": "0" * 64,
            }
            for lang in langs
        ],
        schema=DOCUMENTS_SCHEMA,
    )


def _store(data: Path, frame: pl.DataFrame, run_id: str = "r") -> None:
    ids = frame["doc_id"].unique().to_list()
    replace_rows(data, "documents", frame, predicate=predicate_in("doc_id", ids), run_id=run_id)


def test_a_commit_replaces_only_the_rows_its_predicate_names(tmp_path: Path) -> None:
    _store(tmp_path, _documents("a:1", ["en", "ru"]))
    _store(tmp_path, _documents("b:2", ["en"]))
    _store(tmp_path, _documents("a:1", ["de"], "new"), run_id="r2")
    stored = read_frame(tmp_path, "documents")
    assert sorted(stored.select("doc_id", "lang", "run_id").rows()) == [("a:1", "de", "r2"), ("b:2", "en", "r")]
    assert DeltaTable(str(frame_path(tmp_path, "documents"))).version() == 2


def test_ids_with_quotes_are_escaped_in_predicates(tmp_path: Path) -> None:
    assert sql_literal("it's:1") == "'it''s:1'"
    _store(tmp_path, _documents("it's:1", ["en"]))
    _store(tmp_path, _documents("it", ["en"]))
    _store(tmp_path, _documents("it's:1", ["fr"]))
    assert sorted(read_frame(tmp_path, "documents").select("doc_id", "lang").rows()) == [("it", "en"), ("it's:1", "fr")]
    for awkward in ("a\\b", "x\\'y", "a%b_c", "ü:ß"):  # backslashes and LIKE wildcards are plain characters
        _store(tmp_path, _documents(awkward, ["en"]))
        _store(tmp_path, _documents(awkward, ["de"]))
    stored = read_frame(tmp_path, "documents").filter(~pl.col("doc_id").str.starts_with("it"))
    assert sorted(stored.select("doc_id", "lang").rows()) == [
        ("a%b_c", "de"), ("a\\b", "de"), ("x\\'y", "de"), ("ü:ß", "de"),
    ]


def test_a_frame_with_a_missing_column_is_refused_and_the_table_kept(tmp_path: Path) -> None:
    _store(tmp_path, _documents("a:1", ["en"]))
    with pytest.raises(FrameError, match="refusing to store documents: column `url` is missing"):
        _store(tmp_path, _documents("a:1", ["en"]).drop("url"))
    assert read_frame(tmp_path, "documents")["url"].to_list() == ["http://x/en"]


def test_a_damaged_table_is_one_line_naming_it(tmp_path: Path) -> None:
    _store(tmp_path, _documents("a:1", ["en"]))
    for part in frame_path(tmp_path, "documents").glob("*.parquet"):
        part.write_bytes(b"not parquet")
    with pytest.raises(FrameError, match=r"documents: the documents table is damaged .*delete"):
        read_frame(tmp_path, "documents")


# --- migration from DATA/<frame>.parquet ----------------------------------------------------------


def _old_layout(data: Path) -> None:
    """A folder as the Parquet era left it (provenance in the key-value metadata)."""
    data.mkdir(exist_ok=True)
    meta = {"tool": "bitext", "version": "0.0.9", "created": "2026-11-01T10:00:00Z", "aligner": "old-aligner",
            "scorer": "length", "scorer_params": {"k": 2}}
    _documents("a:1", ["en", "ru"]).write_parquet(data / "documents.parquet",
                                                  metadata={"bitext": json.dumps({"step": "fetch"})})
    units = pl.DataFrame({"doc_id": ["a:1"], "unit": [0], "score": [0.5], "text_en": ["a"], "sents_en": [[0]],
                          "text_ru": ["а"], "sents_ru": [[0]]}, schema=units_schema(["en", "ru"]))
    units.write_parquet(data / "units.parquet", metadata={"bitext": json.dumps(meta)})
    (data / ".units.parquet.x1y2.tmp").write_bytes(b"half a file")


def test_an_old_parquet_folder_is_converted_once_with_a_notice_losing_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _old_layout(tmp_path)
    units = read_frame(tmp_path, "units")
    notice = capsys.readouterr().err
    assert notice.count("\n") == 1 and "converted" in notice and ".old-layout" in notice
    assert units["text_ru"].to_list() == ["а"]
    assert (tmp_path / ".old-layout" / "units.parquet").is_file()
    assert not (tmp_path / "units.parquet").exists() and not (tmp_path / ".units.parquet.x1y2.tmp").exists()
    runs = read_runs(tmp_path)
    align_run = runs.filter(pl.col("run_id") == units["run_id"][0]).row(0, named=True)
    assert (align_run["step"], align_run["scorer"], align_run["tool_version"]) == ("align", "length", "0.0.9")
    assert json.loads(align_run["scorer_params"]) == {"k": 2}
    assert sorted(runs["step"].to_list()) == ["align", "fetch"]
    assert item_states(tmp_path).select("doc_id", "state").rows() == [("a:1", "aligned")]
    read_frame(tmp_path, "documents")
    assert capsys.readouterr().err == ""  # once


def test_an_old_file_with_a_missing_column_is_named(tmp_path: Path) -> None:
    _documents("a:1", ["en"]).drop("title").write_parquet(tmp_path / "documents.parquet")
    with pytest.raises(FrameError, match=r"documents\.parquet: column `title` is missing"):
        read_frame(tmp_path, "documents")
    assert (tmp_path / "documents.parquet").exists()


def test_an_unreadable_old_file_is_named_and_kept(tmp_path: Path) -> None:
    (tmp_path / "units.parquet").write_text("not parquet")
    with pytest.raises(FrameError, match=r"units\.parquet: not a readable Parquet file"):
        read_frame(tmp_path, "units")
    assert (tmp_path / "units.parquet").read_text() == "not parquet"


def test_units_schema_needs_sents_for_every_text_column(tmp_path: Path) -> None:
    pl.DataFrame(schema=units_schema(["ru", "en"])).drop("sents_en").write_parquet(tmp_path / "units.parquet")
    with pytest.raises(FrameError, match="sents_en"):
        read_frame(tmp_path, "units")


# --- files on disk ----------------------------------------------------------------------------------


@pytest.mark.parametrize("umask", [0o002, 0o027])
def test_files_and_folders_follow_the_umask(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        _store(tmp_path / "data", _documents("a:1", ["en"]))
        start_run(tmp_path / "data", "fetch").finish(["a:1"])  # a run row and run_items
        compact(tmp_path / "data", keep_hours=0)  # compacted files, checkpoints
    finally:
        os.umask(old)
    paths = [p for p in (tmp_path / "data").rglob("*")]
    assert paths
    for path in paths:
        expected = (0o777 if path.is_dir() else 0o666) & ~umask
        assert path.stat().st_mode & 0o777 == expected, path


def test_a_run_removes_what_killed_writers_left(tmp_path: Path) -> None:
    _store(tmp_path, _documents("a:1", ["en"]))
    table = frame_path(tmp_path, "documents")
    orphan, fresh = table / "part-00000-dead-c000.snappy.parquet", table / "part-00001-busy-c000.snappy.parquet"
    commit_tmp = table / "_delta_log" / "_commit_0000.json.tmp"
    for path in (orphan, fresh, commit_tmp):
        path.write_bytes(b"x")
    long_ago = time.time() - 3600
    os.utime(orphan, (long_ago, long_ago))
    os.utime(commit_tmp, (long_ago, long_ago))
    (tmp_path / ".documents.parquet.abc.tmp").write_bytes(b"x")
    start_run(tmp_path, "fetch")
    assert not orphan.exists() and not commit_tmp.exists() and not (tmp_path / ".documents.parquet.abc.tmp").exists()
    assert fresh.exists()  # may belong to a writer about to commit
    assert read_frame(tmp_path, "documents")["doc_id"].to_list() == ["a:1"]
    assert remove_leftovers(tmp_path, grace_seconds=0) == [fresh]


def test_compact_leaves_few_files_and_the_same_rows(tmp_path: Path) -> None:
    for k in range(12):
        _store(tmp_path, _documents(f"d:{k}", ["en", "ru"]))
    before = read_frame(tmp_path, "documents").sort("doc_id", "lang")
    [summary] = compact(tmp_path, keep_hours=0)
    assert (summary.files_before, summary.files_after, summary.on_disk) == (12, 1, 1)
    assert read_frame(tmp_path, "documents").sort("doc_id", "lang").equals(before)


def test_export_parquet_writes_plain_files_of_whole_items(tmp_path: Path) -> None:
    _store(tmp_path, _documents("a:1", ["en"]))
    written = export_parquet(tmp_path, tmp_path / "out")
    assert sorted(p.name for p in written) == ["documents.parquet", "runs.parquet"]
    assert pl.read_parquet(tmp_path / "out" / "documents.parquet")["doc_id"].to_list() == ["a:1"]
    assert read_whole(tmp_path, "documents").height == 1


# --- commit races ----------------------------------------------------------------------------------

WRITER = """
import sys
import polars as pl
from align.store.delta import predicate_in
from align.store.tables import replace_rows
sys.path.insert(0, {root!r})
from tests.align.test_store import _documents
data, me = sys.argv[1], sys.argv[2]
for k in range(8):
    frame = _documents(me, ["en", "ru", "fr"], title=str(k))
    replace_rows(data, "documents", frame, predicate=predicate_in("doc_id", [me]), run_id=me)
"""


def test_two_processes_replacing_different_items_both_keep_their_rows(tmp_path: Path) -> None:
    # one file holds both items, so every commit of one writer conflicts with the other's
    both = pl.concat([_documents("A", ["en", "ru", "fr"]), _documents("B", ["en", "ru", "fr"])])
    replace_rows(tmp_path, "documents", both, predicate="doc_id IN ('A', 'B')", run_id="setup")
    script = WRITER.format(root=str(ROOT))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writers = [
        subprocess.Popen([sys.executable, "-c", script, str(tmp_path), me], env=env, stderr=subprocess.PIPE)
        for me in ("A", "B")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=240)
        assert writer.returncode == 0, err.decode()
    stored = read_frame(tmp_path, "documents")
    assert sorted(stored.group_by("doc_id").agg(pl.len(), pl.col("title").first()).rows()) == [
        ("A", 3, "7"), ("B", 3, "7"),
    ]


def test_two_processes_starting_on_an_old_folder_convert_it_once(tmp_path: Path) -> None:
    _old_layout(tmp_path)
    script = f"import sys; sys.path.insert(0, {str(ROOT)!r})\nfrom align.store.tables import read_frame\n" \
             "print(read_frame(sys.argv[1], 'units').height)"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for _ in range(2)]
    outs = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], [err.decode() for _, err in outs]
    assert [out.decode().strip() for out, _ in outs] == ["1", "1"]
    assert sum(err.decode().count("converted") for _, err in outs) == 1
    assert sorted(read_runs(tmp_path)["step"].to_list()) == ["align", "fetch"]
    assert not (tmp_path / ".converting").exists()


def test_a_data_folder_whose_name_has_a_space_reads_back(tmp_path: Path) -> None:
    data = tmp_path / "My Documents" / "aligned"
    _store(data, _documents("x:1", ["de", "en"]), run_id="r1")
    _store(data, _documents("x:1", ["de"], title="new"), run_id="r2")  # a replace reads the table too
    frame = read_frame(data, "documents")
    assert frame.select("doc_id", "lang", "title", "run_id").rows() == [("x:1", "de", "new", "r2")]


def test_a_small_target_compaction_leaves_files_at_the_target_alone(tmp_path: Path) -> None:
    noise = random.Random(1)  # titles that do not compress: the file is larger than the five small ones together
    big = pl.concat([
        _documents(f"big:{k}", ["en", "ru"], title="".join(noise.choices(string.ascii_letters, k=1000)))
        for k in range(100)
    ])
    _store(tmp_path, big)
    table = DeltaTable(str(frame_path(tmp_path, "documents")))
    [big_file] = table.file_uris()
    target = Path(big_file.removeprefix("file://")).stat().st_size - 1  # the big file is above the target: "done"
    for k in range(5):
        _store(tmp_path, _documents(f"small:{k}", ["en"]))
    before = read_frame(tmp_path, "documents").sort("doc_id", "lang")
    [summary] = compact(tmp_path, vacuum=False, tables=["documents"], target_bytes=target)
    after = DeltaTable(str(frame_path(tmp_path, "documents"))).file_uris()
    assert (summary.files_before, summary.files_after) == (6, 2)  # the five small files became one
    assert big_file in after  # not rewritten
    assert read_frame(tmp_path, "documents").sort("doc_id", "lang").equals(before)


def test_reading_an_old_folder_removes_the_tmp_files_its_killed_writes_left(tmp_path: Path) -> None:
    _store(tmp_path, _documents("a:1", ["en"]))
    leftover = tmp_path / ".units.parquet.k3j2.tmp"
    leftover.write_bytes(b"x" * 1000)
    assert read_frame(tmp_path, "documents").height == 1  # any read goes through ensure_layout
    assert not leftover.exists()
