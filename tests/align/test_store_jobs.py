"""The store under the jobs: runs per item, whole items, crashes, imports, concurrent aligners, batches, CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from click.testing import CliRunner
from deltalake import DeltaTable

from align import study
from align.cli import main
from align.errors import ExportError
from align.formats.selection import Selection, load_export_units
from align.jobs.aligning import align_stored
from align.store import batches
from align.store.delta import frame_path
from align.store.items import item_states
from align.store.runs import read_runs
from align.store.tables import read_frame, write_frame
from tests.align.test_jobs import DE, EN, FR, RU, documents_frame

ROOT = Path(__file__).resolve().parents[2]
A, B = "a:1", "b:'2"  # a quote in an id must not break a predicate


@pytest.fixture
def data(tmp_path: Path) -> Path:
    frame = pl.concat([
        documents_frame({"en": EN, "de": DE, "fr": FR, "ru": RU}, doc_id=A),
        documents_frame({"en": EN, "fr": FR, "ru": RU}, doc_id=B),
    ])
    write_frame(frame, frame_path(tmp_path, "documents"), provenance={"step": "fetch"})
    return tmp_path


def _runs_of(data: Path, name: str) -> dict[str, set[str]]:
    frame = read_frame(data, name)  # type: ignore[arg-type]
    return {doc: set(runs) for doc, runs in frame.group_by("doc_id").agg(pl.col("run_id").unique()).iter_rows()}


def _bitext(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_realigning_one_item_with_another_scorer_leaves_each_item_naming_its_own_run(data: Path) -> None:
    align_stored(data, scorer="length")
    align_stored(data, doc_ids=[B], scorer="anchors")
    runs = read_runs(data).filter(pl.col("step") == "align")
    scorer_of = dict(runs.select("run_id", "scorer").iter_rows())
    for name in ("sentences", "alignments", "units"):
        by_doc = _runs_of(data, name)
        assert [scorer_of[r] for r in by_doc[A]] == ["length"], name
        assert [scorer_of[r] for r in by_doc[B]] == ["anchors"], name
    assert json.loads(runs.filter(pl.col("scorer") == "length")["scorer_params"][0])  # parameters recorded
    item_runs = study.load_frames(data).item_runs()
    assert dict(item_runs.select("doc_id", "scorer").iter_rows()) == {A: "length", B: "anchors"}
    out = data / "a.tmx"
    code, output = _bitext("-q", "export", "tmx", "-d", str(data), "--langs", "ru,en", "--doc", A, "-o", str(out))
    assert code == 0, output
    tmx = out.read_text(encoding="utf-8")
    assert '<prop type="x-scorer">length</prop>' in tmx and "anchors" not in tmx
    code, output = _bitext("-q", "export", "tmx", "-d", str(data), "--langs", "ru,en", "-o", str(out))
    tmx = out.read_text(encoding="utf-8")
    header = tmx[: tmx.index("</header>")]
    assert "mixed: see x-runs" in header and '"scorer": "length"' in header and '"scorer": "anchors"' in header


def test_reimporting_an_exported_pair_moves_no_other_pair(data: Path) -> None:
    align_stored(data)
    before = read_frame(data, "alignments")
    out = data / "x.tmx"
    assert _bitext("-q", "export", "tmx", "-d", str(data), "--langs", "ru,en", "-o", str(out))[0] == 0
    code, output = _bitext("import", "tmx", str(out), "-d", str(data))
    assert code == 0, output
    after = read_frame(data, "alignments")
    assert len(after) == len(before)
    def is_ru_en(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.filter(pl.col("src_lang").is_in(["ru", "en"]) & pl.col("tgt_lang").is_in(["ru", "en"]))
    others = list(before.columns)
    assert after.join(is_ru_en(after), on=others, how="anti").sort(others).equals(
        before.join(is_ru_en(before), on=others, how="anti").sort(others)
    )
    steps = dict(read_runs(data).select("run_id", "step").iter_rows())
    assert {steps[r] for r in is_ru_en(after)["run_id"]} == {"import"}
    assert item_states(data).select("doc_id", "state").rows() == [(A, "aligned"), (B, "aligned")]


def test_a_crash_between_commits_leaves_a_broken_item_readers_skip_and_align_repairs(
    data: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    align_stored(data, doc_ids=[A])
    real = batches.write_rows

    def crash_before_units(data_dir: Any, name: str, rows: pl.DataFrame, **kw: Any) -> None:
        if name == "units":
            raise KeyboardInterrupt  # as kill -9 would, after sentences and alignments committed
        real(data_dir, name, rows, **kw)

    monkeypatch.setattr(batches, "write_rows", crash_before_units)
    with pytest.raises(KeyboardInterrupt):
        align_stored(data, scorer="length")  # A re-aligned and B aligned for the first time, both cut short
    monkeypatch.setattr(batches, "write_rows", real)
    assert item_states(data).select("doc_id", "state").rows() == [(A, "broken"), (B, "broken")]
    with pytest.raises(ExportError, match="no ru-en alignments"):
        list(load_export_units(data, Selection(langs=("ru", "en"))))
    assert "skipping 2 half-written item(s)" in caplog.text and A in caplog.text
    code, output = _bitext("show", A, "-d", str(data))
    assert code == 1 and f"{A} was left half-written by an interrupted run; `bitext align" in output
    code, output = _bitext("status", "-d", str(data))
    assert f"broken (2): {A}, {B}" in output and "unfinished" in output
    align_stored(data, pending_only=True)
    assert item_states(data).select("doc_id", "state").rows() == [(A, "aligned"), (B, "aligned")]
    assert {u.doc_id for u in load_export_units(data, Selection(langs=("ru", "en")))} == {A, B}


def test_align_commits_in_batches_and_pending_skips_whole_items(data: Path) -> None:
    align_stored(data, batch_items=1)
    history = DeltaTable(str(frame_path(data, "units"))).history()
    assert sum(1 for h in history if h.get("operation") == "WRITE") == 2  # one commit per batch of one item
    [run] = read_runs(data).filter(pl.col("step") == "align").iter_rows(named=True)
    assert run["items"] == [A, B] and run["finished"] is not None
    assert align_stored(data, pending_only=True).documents == ()


def test_aligning_a_language_subset_says_what_it_drops(data: Path) -> None:
    align_stored(data, doc_ids=[A])
    [doc] = align_stored(data, doc_ids=[A], langs=["ru", "en"]).documents
    assert any("de, fr stored earlier dropped" in note for note in doc.notes)


def test_two_aligner_processes_on_one_folder_both_keep_their_rows(data: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen([sys.executable, "-m", "align", "-q", "align", "-d", str(data), "--doc", doc],
                         env=env, stderr=subprocess.PIPE)
        for doc in (A, B)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
    for name in ("sentences", "alignments", "units"):
        assert set(_runs_of(data, name)) == {A, B}, name
    assert item_states(data)["state"].to_list() == ["aligned", "aligned"]
    assert len({r for runs in _runs_of(data, "units").values() for r in runs}) == 2


def test_status_compact_and_export_parquet_commands(data: Path, tmp_path: Path) -> None:
    align_stored(data, batch_items=1)
    code, output = _bitext("status", "-d", str(data))
    assert code == 0 and f"aligned (2): {A}, {B}" in output and " align " in output
    code, output = _bitext("compact", "-d", str(data), "--keep-hours", "0")
    assert code == 0 and "units: 2 -> 1 file(s)" in output
    code, output = _bitext("export", "parquet", "-d", str(data), "-o", str(tmp_path / "plain"))
    assert code == 0, output
    units = pl.read_parquet(tmp_path / "plain" / "units.parquet")
    assert sorted(units["doc_id"].unique().to_list()) == [A, B]
    assert pl.read_parquet(tmp_path / "plain" / "runs.parquet").height == len(read_runs(data))
    code, output = _bitext("status", "-d", str(tmp_path / "nothing"))
    assert code == 1 and output.startswith("bitext: error: ") and output.count("\n") == 1


def test_kill_9_at_any_moment_leaves_only_whole_or_broken_items_and_align_repairs(tmp_path: Path) -> None:
    frame = pl.concat([
        documents_frame({"en": EN[:2], "fr": FR[:2], "ru": RU[:2]}, doc_id=f"k:{n}") for n in range(60)
    ])
    write_frame(frame, frame_path(tmp_path, "documents"), provenance={"step": "fetch"})
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "align", "-q", "align", "-d", str(tmp_path), "--batch-items", "3", "--workers", "1"]
    killed = 0
    for delay in (1.5, 2.0, 2.5, 3.0, 3.5):  # each run re-aligns every item; the kill lands at another moment
        proc = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.kill()  # SIGKILL: no cleanup runs
            proc.wait()
            killed += 1
        states = item_states(tmp_path)
        whole = set(states.filter(pl.col("state") == "aligned")["doc_id"].to_list())
        units = read_whole_units(tmp_path)
        assert set(units["doc_id"].unique().to_list()) == whole  # readers see exactly the whole items
        sentences = read_frame(tmp_path, "sentences", missing_ok=True).filter(pl.col("doc_id").is_in(list(whole)))
        for (doc,), rows in units.group_by("doc_id"):  # each whole item complete: its units cover its sentences
            assert rows["sents_en"].list.len().sum() == len(sentences.filter((pl.col("doc_id") == doc) & (pl.col("lang") == "en")))
    assert killed >= 1  # at least one run was cut short
    code, output = _bitext("-q", "align", "-d", str(tmp_path), "--pending")
    assert code == 0, output
    assert set(item_states(tmp_path)["state"].to_list()) == {"aligned"}
    assert read_whole_units(tmp_path)["doc_id"].n_unique() == 60
    from align.store.leftovers import data_files, referenced_files, remove_leftovers, store_tables

    remove_leftovers(tmp_path, grace_seconds=0)  # what a run started a minute later does
    for table in store_tables(tmp_path):  # every file left is one a commit names; no half-written commit
        named = referenced_files(table)
        assert all(p.relative_to(table).as_posix() in named for p in data_files(table)), table
        assert not list((table / "_delta_log").glob("_commit_*")), table
    assert read_whole_units(tmp_path)["doc_id"].n_unique() == 60  # and nothing stored was removed


def read_whole_units(data: Path) -> pl.DataFrame:
    from align.store.items import read_whole

    return read_whole(data, "units", missing_ok=True)


# --- fetch in batches, runs' items appended, exports naming their runs -----------------------------


def _fetched(doc_id: str, langs: tuple[str, ...] = ("en", "ru")) -> Any:
    from datetime import UTC, datetime

    from scrapers.records import Document, ItemResult

    now = datetime(2016, 10, 6, 19, 14, tzinfo=UTC)
    docs = tuple(
        Document(doc_id=doc_id, lang=lang, url=f"https://example.test/{lang}", title="T", published=None,
                 doc_number=None, paragraphs=("Text.",), para_kinds=("text",), original_lang="ru",
                 detected_lang=lang, lang_confidence=1.0, fetched_at=now, html_sha256="0" * 64)
        for lang in langs
    )
    return ItemResult(doc_id=doc_id, documents=docs, absences=())


def test_a_fetch_killed_mid_batch_loses_only_that_batch(tmp_path: Path) -> None:
    from align.jobs.documents import DocumentsWriter

    writer = DocumentsWriter(tmp_path, site=None, batch_items=2)
    for doc in ("f:1", "f:2", "f:3"):
        writer.add(_fetched(doc), source_url=f"https://example.test/{doc}")
    del writer  # killed: f:3 was queued, never committed, and close() never ran
    assert sorted(read_frame(tmp_path, "documents")["doc_id"].unique().to_list()) == ["f:1", "f:2"]
    [run] = read_runs(tmp_path).iter_rows(named=True)
    assert run["finished"] is None and run["items"] == ["f:1", "f:2"]  # known from run_items while unfinished
    assert item_states(tmp_path).select("doc_id", "state").rows() == [("f:1", "fetched"), ("f:2", "fetched")]
    with DocumentsWriter(tmp_path, site=None) as again:  # the same item twice in one batch: the later wins
        again.add(_fetched("f:3", ("en",)), source_url="u")
        assert again.add(_fetched("f:3", ("ru",)), source_url="u") == ["en"]  # en kept from the queued fetch
    assert sorted(read_frame(tmp_path, "documents").filter(pl.col("doc_id") == "f:3")["lang"]) == ["en", "ru"]


def test_a_batch_appends_its_items_and_the_run_row_is_written_twice(tmp_path: Path) -> None:
    from align.store.runs import start_run

    run = start_run(tmp_path, "align")
    writer = batches.BatchWriter(tmp_path, run, ("sentences",), batch_items=1, compact_every=None)
    for doc in ("x:1", "x:2", "x:3"):
        writer.add(doc, {"sentences": pl.DataFrame(
            {"doc_id": [doc], "lang": ["en"], "para": [0], "sent": [0], "text": ["A."]},
            schema={"doc_id": pl.Utf8, "lang": pl.Utf8, "para": pl.Int32, "sent": pl.Int32, "text": pl.Utf8},
        )})
    assert read_runs(tmp_path)["items"].to_list() == [["x:1", "x:2", "x:3"]]
    run.finish()
    runs_history = DeltaTable(str(tmp_path / "runs")).history()
    assert sum(1 for h in runs_history if h.get("operation") == "WRITE") == 2  # started, finished: not per batch
    assert DeltaTable(str(tmp_path / "run_items")).version() == 2  # one append per batch (versions 0, 1, 2)
    stored = pl.read_delta(str(tmp_path / "runs"))  # read as any Delta reader would: the finished row lists them
    assert stored["items"].to_list() == [["x:1", "x:2", "x:3"]]


def test_every_exported_tu_names_its_runs_aligner_scorer_and_version(data: Path) -> None:
    from lxml import etree

    from align import __version__

    align_stored(data, scorer="length")
    out = data / "all.tmx"
    code, output = _bitext("-q", "export", "tmx", "-d", str(data), "--langs", "ru,en", "-o", str(out))
    assert code == 0, output
    [run] = read_runs(data).filter(pl.col("step") == "align").iter_rows(named=True)
    tus = list(etree.parse(str(out)).iter("tu"))
    assert tus
    for tu in tus:
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        assert props["x-run"] == run["run_id"] and props["x-scorer"] == "length"
        assert props["x-aligner"] == run["aligner"] and props["x-version"] == __version__
