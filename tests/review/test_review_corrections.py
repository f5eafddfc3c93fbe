"""Corrections without a browser: the edits, the log and undo stacks, the risk marks, and what they change
elsewhere (re-aligning keeps them, exports take --confirmed-only, TMX says x-status, `bitext show` marks them)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from lxml import etree

from align.cli import main
from align.jobs.aligning import align_stored
from align.review.edits import EditError, Target
from align.review.history import read_log
from align.review.risk import numbers, unit_risks
from align.review.rows import Row
from align.review.session import VersionConflict, correct, load_item
from align.store.delta import frame_path
from align.store.schemas import DOCUMENTS_SCHEMA
from align.store.tables import make_provenance, read_frame, write_frame
from tests.align.frames_factory import make_documents
from tests.review.served import DOC_ID, UNITS, write_item


def _do(data_dir: Path, action: str, target: Target) -> None:
    correct(data_dir, DOC_ID, action, target, load_item(data_dir, DOC_ID).version)


def test_each_correction_is_one_correct_run_and_a_log_row_with_before_and_after(item_dir: Path) -> None:
    _do(item_dir, "merge", Target(1))
    runs = read_frame_runs(item_dir)
    correct_runs = runs.filter(pl.col("step") == "correct")
    assert correct_runs.height == 1 and correct_runs["items"][0].to_list() == [DOC_ID]
    assert correct_runs["finished"][0] is not None
    units = read_frame(item_dir, "units").filter(pl.col("doc_id") == DOC_ID)
    assert set(units["run_id"]) == {correct_runs["run_id"][0]}
    alignments = read_frame(item_dir, "alignments").filter(pl.col("doc_id") == DOC_ID)
    assert set(alignments["run_id"]) == {correct_runs["run_id"][0]}  # the pairs are read off the corrected units
    merged = alignments.filter((pl.col("src_lang") == "ru") & (pl.col("tgt_lang") == "en"))
    assert merged["src_sents"][1].to_list() == [1, 2, 3] and merged["kind"][1] == "3-3"
    (entry,) = read_log(item_dir, DOC_ID)
    assert entry.action == "merge" and entry.unit == 1
    assert [r["sents_ru"] for r in entry.splice.before] == [[1, 2], [3]]
    assert [r["sents_ru"] for r in entry.splice.after] == [[1, 2, 3]]


def read_frame_runs(data_dir: Path) -> pl.DataFrame:
    from align.store.runs import read_runs

    return read_runs(data_dir)


def test_undo_restores_the_aligners_rows_and_redo_makes_the_change_again(item_dir: Path) -> None:
    original = read_frame(item_dir, "units").drop("run_id")
    _do(item_dir, "split", Target(2, "en", 3))
    _do(item_dir, "confirm", Target(0))
    _do(item_dir, "undo", Target(0))
    _do(item_dir, "undo", Target(0))
    restored = read_frame(item_dir, "units").drop("run_id")
    assert restored.drop("status").equals(original)
    with pytest.raises(EditError, match="nothing to undo"):
        _do(item_dir, "undo", Target(0))
    _do(item_dir, "redo", Target(0))
    assert read_frame(item_dir, "units").height == original.height + 1
    _do(item_dir, "merge", Target(4))  # a new correction empties the redo stack
    with pytest.raises(EditError, match="nothing to redo"):
        _do(item_dir, "redo", Target(0))


def test_a_correction_on_an_old_version_is_refused(item_dir: Path) -> None:
    stale = load_item(item_dir, DOC_ID).version
    _do(item_dir, "confirm", Target(0))
    with pytest.raises(VersionConflict, match="another tab"):
        correct(item_dir, DOC_ID, "merge", Target(3), stale)
    assert read_frame(item_dir, "units").height == 7


@pytest.mark.parametrize(("action", "target", "message"), [
    ("merge", Target(6), "last one"),
    ("split", Target(0), "nothing to split"),
    ("split", Target(1, "en", 1), "one en sentence"),
    ("move-previous", Target(0, "ru"), "first one"),
    ("move-next", Target(6, "ru"), "last one"),
    ("move-next", Target(5), "pick the sentence"),
    ("move-next", Target(6, "en"), "last one"),
    ("confirm", Target(9), "no unit 9"),
])
def test_impossible_corrections_say_why(item_dir: Path, action: str, target: Target, message: str) -> None:
    with pytest.raises(EditError, match=message):
        _do(item_dir, action, target)


def test_moving_the_only_sentence_of_a_unit_removes_the_unit(item_dir: Path) -> None:
    _do(item_dir, "move-previous", Target(6, "ru"))  # "Спасибо." joins the hostile unit
    units = read_frame(item_dir, "units").sort("unit")
    assert units.height == 6 and units["sents_ru"][5].to_list() == [6, 7]


def _row(**texts: str) -> Row:
    row: Row = {"unit": 0, "score": 0.9, "status": None}
    for lang, text in texts.items():
        row[f"text_{lang}"], row[f"sents_{lang}"] = text, [0] if text else []
    return row


def test_risk_marks_numbers_empty_sides_and_low_scores() -> None:
    assert numbers("on 3 May 2016, 1,500 people") == numbers("am 3. Mai 2016 1.500 Menschen")
    same = _row(ru="Встреча 6 октября 2016 года прошла в Москве.", en="The meeting on 6 October 2016 was in Moscow.")
    wrong = _row(ru="Встреча 6 октября 2016 года прошла в Москве.", en="The meeting on 7 October 2016 was in Moscow.")
    empty = _row(ru="Спасибо.", en="")
    low = {**same, "score": 0.1}
    confirmed = {**low, "status": "confirmed"}
    risks = unit_risks([same, wrong, empty, low, confirmed], ["ru", "en"], "ru")
    assert [r.marks for r in risks] == [(), ("numbers",), ("empty",), ("low score",), ()]
    assert risks[3].score > risks[1].score > risks[0].score


def _documents_from_units() -> pl.DataFrame:
    """Documents whose paragraphs are the fixture's units (one paragraph each), for a real re-alignment."""
    frame = make_documents(DOC_ID, ("ru", "en", "de"))
    paragraphs = {lang: [" ".join(unit.get(lang, [])) for unit in UNITS if unit.get(lang)] for lang in ("ru", "en", "de")}
    return frame.with_columns(
        pl.col("lang").replace_strict(paragraphs, return_dtype=pl.List(pl.Utf8())).alias("paragraphs"),
        pl.col("lang").replace_strict({k: ["text"] * len(v) for k, v in paragraphs.items()},
                                      return_dtype=pl.List(pl.Utf8())).alias("para_kinds"),
    ).cast(dict(DOCUMENTS_SCHEMA))  # type: ignore[arg-type]


def test_re_aligning_keeps_confirmed_and_corrected_units_and_says_so(tmp_path: Path) -> None:
    data_dir = tmp_path / "aligned"
    write_frame(_documents_from_units(), frame_path(data_dir, "documents"), provenance=make_provenance(step="fetch"))
    align_stored(data_dir)
    item = load_item(data_dir, DOC_ID)
    first = item.rows[0]
    correct(data_dir, DOC_ID, "merge", Target(0), item.version)  # a unit the aligner would not make
    _do(data_dir, "confirm", Target(0))
    _do(data_dir, "confirm", Target(3))
    reviewed = [r for r in load_item(data_dir, DOC_ID).rows if r["status"]]
    summary = align_stored(data_dir)
    (doc,) = summary.documents
    assert any("kept 2 reviewed unit(s)" in note for note in doc.notes)
    after = load_item(data_dir, DOC_ID).rows
    kept = [r for r in after if r["status"]]
    assert [{k: v for k, v in r.items() if k != "unit"} for r in kept] == [
        {k: v for k, v in r.items() if k != "unit"} for r in reviewed]
    assert after[0]["sents_ru"][: len(first["sents_ru"])] == first["sents_ru"]
    every = {lang: sorted(i for r in after for i in r[f"sents_{lang}"]) for lang in ("ru", "en", "de")}
    assert all(every[lang] == list(range(len(every[lang]))) for lang in every)  # no sentence lost or doubled


def test_exports_take_confirmed_only_tmx_says_x_status_and_show_marks_them(item_dir: Path, tmp_path: Path) -> None:
    _do(item_dir, "merge", Target(1))
    _do(item_dir, "confirm", Target(0))
    _do(item_dir, "confirm", Target(3))
    runner = CliRunner()
    out = tmp_path / "ru-en.tmx"
    result = runner.invoke(main, ["export", "tmx", "-d", str(item_dir), "--langs", "ru,en", "--confirmed-only",
                                  "--no-sentence-pieces", "-o", str(out)])
    assert result.exit_code == 0, result.output
    tree = etree.parse(str(out))
    assert tree.xpath("//tu/@tuid") == [f"{DOC_ID}:0", f"{DOC_ID}:3"]
    assert tree.xpath("//tu/prop[@type='x-status']/text()") == ["confirmed", "confirmed"]
    result = runner.invoke(main, ["export", "tmx", "-d", str(item_dir), "--langs", "en,ru", "-o", str(out)])
    statuses = etree.parse(str(out)).xpath("//tu[not(prop[@type='x-part'])]/prop[@type='x-status']/text()")
    assert statuses == ["confirmed", "corrected", "confirmed"]  # turned pairs keep it too
    jsonl = tmp_path / "all.jsonl"
    result = runner.invoke(main, ["export", "jsonl", "-d", str(item_dir), "--langs", "ru,en,de", "--confirmed-only",
                                  "-o", str(jsonl)])
    assert result.exit_code == 0 and len(jsonl.read_text(encoding="utf-8").splitlines()) == 2
    shown = runner.invoke(main, ["show", DOC_ID, "-d", str(item_dir)], env={"COLUMNS": "200"})
    assert "│ 0 ✓ │" in shown.output and "│ 1 ✎ │" in shown.output
    assert "2 ✓ confirmed, 1 ✎ corrected in review" in shown.output


def test_an_item_without_review_exports_as_before(tmp_path: Path) -> None:
    data_dir = write_item(tmp_path / "plain")
    result = CliRunner().invoke(main, ["export", "tmx", "-d", str(data_dir), "--langs", "ru,en", "--confirmed-only",
                                       "-o", str(tmp_path / "none.tmx")])
    assert result.exit_code == 0 and "wrote 0 translation units" in result.output
    assert "warning: no unit of this selection is confirmed yet" in result.output
    assert b"x-status" not in (tmp_path / "none.tmx").read_bytes()
