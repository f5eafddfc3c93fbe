"""JSONL export: the shape of each line, datasets.load_dataset reading it, and the round trip."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from align.cli import main
from align.formats.jsonl import read_jsonl_alignments, write_jsonl
from align.formats.selection import Selection, apply_selection, units_from_pairs
from tests.align.frames_factory import make_frames
from tests.align.test_export_tmx import alignment_frames

LOAD_WITH_DATASETS = """
import json, sys
import datasets
ds = datasets.load_dataset("json", data_files=sys.argv[1], split="train", cache_dir=sys.argv[2])
print(json.dumps({"rows": ds.num_rows, "columns": ds.column_names, "first": ds[0], "second": ds[1]}))
"""


def test_each_line_is_translation_doc_id_score_origlang(tmp_path: Path) -> None:
    make_frames().write(tmp_path)
    result = CliRunner().invoke(
        main, ["-q", "export", "jsonl", "-d", str(tmp_path), "--langs", "ru,en", "-o", "-"]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 5
    assert lines[0] == {
        "translation": {"ru": "Дамы и господа!", "en": "Ladies and gentlemen,"},
        "doc_id": "mid.ru:1527258",
        "unit": 0,
        "score": 0.93,
        "kind": "1-1",
        "origlang": "ru",
    }


def test_datasets_loads_the_export_offline(tmp_path: Path) -> None:
    make_frames().write(tmp_path / "data")
    out = tmp_path / "lavrov.ru-en.jsonl"
    result = CliRunner().invoke(
        main, ["-q", "export", "jsonl", "-d", str(tmp_path / "data"), "--langs", "ru,en", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    env = os.environ | {"HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    proc = subprocess.run(
        [sys.executable, "-c", LOAD_WITH_DATASETS, str(out), str(tmp_path / "cache")],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    loaded = json.loads(proc.stdout.strip().splitlines()[-1])
    assert loaded["rows"] == 5
    assert set(loaded["columns"]) >= {"translation", "doc_id", "score", "origlang"}
    assert loaded["second"]["translation"]["en"].startswith("Today we held in-depth discussions")
    assert loaded["second"]["origlang"] == "ru" and loaded["second"]["score"] == 0.71


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frame=alignment_frames(finite=True))
def test_round_trip_frames_jsonl_frames(frame: pl.DataFrame, tmp_path: Path) -> None:
    src, tgt = frame["src_lang"][0], frame["tgt_lang"][0]
    exported = list(apply_selection(units_from_pairs(frame, src, tgt), Selection(langs=(src, tgt))))
    path = tmp_path / "rt.jsonl"
    with open(path, "w", encoding="utf-8", newline="") as stream:
        write_jsonl(exported, stream)
    back = read_jsonl_alignments(path)
    assert back.select("doc_id", "src_lang", "tgt_lang", "src_text", "tgt_text", "kind").rows() == [
        (u.doc_id, src, tgt, u.texts[0], u.texts[1], u.kind) for u in exported
    ]
    assert back["score"].to_list() == [u.score for u in exported]


def test_malformed_jsonl_names_the_line(tmp_path: Path) -> None:
    import pytest

    from align.errors import ExportError

    path = tmp_path / "bad.jsonl"
    path.write_text('{"translation": {"ru": "a", "en": "b"}}\n{oops\n', encoding="utf-8")
    with pytest.raises(ExportError, match=r"bad\.jsonl:2: not JSON"):
        read_jsonl_alignments(path)


def test_non_finite_score_is_null() -> None:
    frames = make_frames([{"ru": ["Да."], "en": ["Yes."]}], [float("nan")], langs=("ru", "en"))
    stream = io.StringIO()
    write_jsonl(units_from_pairs(frames.alignments, "ru", "en"), stream)
    assert json.loads(stream.getvalue())["score"] is None


def test_write_jsonl_counts_lines() -> None:
    frames = make_frames()
    stream = io.StringIO()
    assert write_jsonl(units_from_pairs(frames.alignments, "en", "de"), stream) == 5
    first = json.loads(stream.getvalue().splitlines()[0])
    assert list(first["translation"]) == ["en", "de"]  # stored de-en, asked en-de
