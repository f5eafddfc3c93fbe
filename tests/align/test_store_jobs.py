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
    real = batches.replace_rows

    def crash_before_units(data_dir: Any, name: str, rows: pl.DataFrame, **kw: Any) -> None:
        if name == "units":
            raise KeyboardInterrupt  # as kill -9 would, after sentences and alignments committed
        real(data_dir, name, rows, **kw)

    monkeypatch.setattr(batches, "replace_rows", crash_before_units)
    with pytest.raises(KeyboardInterrupt):
        align_stored(data, scorer="length")  # A re-aligned and B aligned for the first time, both cut short
    monkeypatch.setattr(batches, "replace_rows", real)
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
        sentences = read_frame(tmp_path, "sentences").filter(pl.col("doc_id").is_in(list(whole)))
        for (doc,), rows in units.group_by("doc_id"):  # each whole item complete: its units cover its sentences
            assert rows["sents_en"].list.len().sum() == len(sentences.filter((pl.col("doc_id") == doc) & (pl.col("lang") == "en")))
    assert killed >= 1  # at least one run was cut short
    code, output = _bitext("-q", "align", "-d", str(tmp_path), "--pending")
    assert code == 0, output
    assert set(item_states(tmp_path)["state"].to_list()) == {"aligned"}
    assert read_whole_units(tmp_path)["doc_id"].n_unique() == 60


def read_whole_units(data: Path) -> pl.DataFrame:
    from align.store.items import read_whole

    return read_whole(data, "units", missing_ok=True)
