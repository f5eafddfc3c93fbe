"""The benchmark harness on tiny made-up data (the real data stays outside the project)."""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import align_quality
import common
import scaling
from gale_church import gale_church_beads, links_to_beads
from perturb import DIALOGUE_REPLIES, plant_dialogue, plant_merges, plant_splits

from align.pairwise.beads import Bead

# Sentences written for this test (not taken from any corpus).
DE = ["Heute trafen sich die Minister .", "Sie sprachen über Syrien , die Ukraine und den Handel .", "Danke ."]
FR = ["Aujourd' hui , les ministres se sont rencontrés .", "Ils ont parlé de la Syrie .",
      "Et de l' Ukraine et du commerce .", "Merci ."]


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    textberg, bible = tmp_path / "textberg", tmp_path / "bible"
    textberg.mkdir()
    bible.mkdir()
    (textberg / "tiny.de").write_text("".join(f"{line} \n" for line in DE), encoding="utf-8")
    (textberg / "tiny.fr").write_text("".join(f"{line} \n" for line in FR), encoding="utf-8")
    (textberg / "tiny.defr").write_text("[0]:[0]\n[1]:[1, 2]\n[2]:[3]\n", encoding="utf-8")
    (bible / "doc.en").write_text("In the beginning.\nThe end came. Then silence.\n", encoding="utf-8")
    (bible / "doc.ru").write_text("В начале.\nНастал конец.\nПотом тишина.\n", encoding="utf-8")
    (bible / "doc.enru").write_text("[0]:[0]\n[1]:[1, 2]\n", encoding="utf-8")
    units = [{"verse": "Doc.1.1", "en": [0], "ru": [0]}, {"verse": "Doc.1.2", "en": [1], "ru": [1, 2]}]
    (bible / "doc.multi.jsonl").write_text("".join(json.dumps(u) + "\n" for u in units), encoding="utf-8")
    return tmp_path


def test_textberg_is_detokenised_line_for_line(data_root: Path) -> None:
    (task,) = common.load_textberg(data_root / "textberg")
    assert task.name == "tiny de-fr" and (task.src_lang, task.tgt_lang) == ("de", "fr")
    assert task.src[1] == "Sie sprachen über Syrien, die Ukraine und den Handel."
    assert task.tgt[0] == "Aujourd'hui, les ministres se sont rencontrés."
    assert len(task.tgt) == len(FR) and task.gold[1] == Bead((1,), (1, 2))
    (raw,) = common.load_textberg(data_root / "textberg", detokenise=False)
    assert raw.src[1] == DE[1]


def test_bible_pairs_and_multiway_units(data_root: Path) -> None:
    (task,) = common.load_bible(data_root / "bible")
    assert (task.name, task.main_measure, len(task.tgt)) == ("doc en-ru", "lax", 3)
    (document,) = common.load_multiway(data_root / "bible")
    assert document.pair_gold("en", "ru") == list(task.gold)
    (derived,) = common.load_bible_all_pairs(data_root / "bible")
    assert (derived.name, derived.gold, derived.tgt) == (task.name, task.gold, task.tgt)


def test_missing_data_is_skipped_with_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        align_quality.main(["--data-root", str(tmp_path / "absent")])
    assert stop.value.code == 0
    assert capsys.readouterr().out.startswith(f"skipped: {tmp_path / 'absent'} not found; give --data-root DIR")


def test_data_root_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(common.DATA_ENV, str(tmp_path))
    assert common.resolve_data_root(None) == tmp_path
    assert common.resolve_data_root("elsewhere") == Path("elsewhere")


def test_align_quality_prints_baseline_rows_and_totals(data_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert align_quality.main(["--data-root", str(data_root), "--scorer", "length"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()]
    baseline = [row for row in rows if "gale-church" in row]
    assert [row[:2] for row in baseline] == [["textberg", "tiny"], ["bible", "doc"], ["textberg", "all"], ["bible", "all"]]
    assert all(row[-2:] == ["1.00x", "1.00x"] for row in baseline)


def test_gale_church_covers_every_sentence_once() -> None:
    beads = gale_church_beads(["a" * 40, "b" * 10, "c" * 30], ["x" * 41, "y" * 38])
    assert sorted(i for bead in beads for i in bead.src) == [0, 1, 2]
    assert sorted(j for bead in beads for j in bead.tgt) == [0, 1]
    assert gale_church_beads([], ["x"]) == [Bead((), (0,))]


@st.composite
def monotone_beads(draw: st.DrawFn) -> list[Bead]:
    sizes = draw(st.lists(st.sampled_from([(1, 0), (0, 1), (1, 1), (1, 2), (2, 1), (2, 2), (1, 3)]), max_size=20))
    beads, i, j = [], 0, 0
    for n_src, n_tgt in sizes:
        beads.append(Bead(tuple(range(i, i + n_src)), tuple(range(j, j + n_tgt))))
        i, j = i + n_src, j + n_tgt
    return beads


@given(monotone_beads())
def test_links_to_beads_rebuilds_the_beads(beads: list[Bead]) -> None:
    links = [(i, j) for bead in beads for i in bead.src for j in bead.tgt]
    n_src = sum(len(bead.src) for bead in beads)
    n_tgt = sum(len(bead.tgt) for bead in beads)
    rebuilt = links_to_beads(links, n_src, n_tgt)
    assert sorted(rebuilt, key=repr) == sorted(beads, key=repr)


def test_repeated_document_shifts_the_gold_along(data_root: Path) -> None:
    (task,) = common.load_textberg(data_root / "textberg")
    long_task = scaling.repeated(task, 7)
    assert (len(long_task.src), len(long_task.tgt), long_task.name) == (9, 12, "tiny de-fr x3")
    assert long_task.gold[3:6] == (Bead((3,), (4,)), Bead((4,), (5, 6)), Bead((5,), (7,)))
    assert long_task.src[3:6] == task.src


# Sentences written for these tests: one German and one French line per bead, commas where a split can go.
SPLIT_DE = [f"Satz {k}: wir gingen am Morgen los, und am Abend waren wir oben auf dem Grat." for k in range(12)]
SPLIT_FR = [f"Phrase {k} : nous sommes partis le matin, et le soir nous étions sur l'arête." for k in range(12)]


def _task() -> common.AlignmentTask:
    gold = tuple(Bead((k,), (k,)) for k in range(12))
    return common.AlignmentTask("textberg", "made-up de-fr", "de", "fr", tuple(SPLIT_DE), tuple(SPLIT_FR), gold)


def _gold_text(task: common.AlignmentTask) -> list[tuple[str, str]]:
    return [(" ".join(task.src[i] for i in b.src), " ".join(task.tgt[j] for j in b.tgt)) for b in task.gold]


def test_split_cuts_target_lines_at_a_comma_and_makes_their_beads_one_to_two() -> None:
    task = plant_splits(_task(), 0.25, random.Random(3))
    split = [b for b in task.gold if len(b.tgt) == 2]
    assert len(split) == 3 and len(task.tgt) == 15
    assert all(task.tgt[b.tgt[0]].endswith(",") for b in split)
    assert _gold_text(task) == _gold_text(_task())  # every bead still joins to the same text on both sides
    assert [j for b in task.gold for j in b.tgt] == list(range(15))


def test_merge_joins_two_neighbouring_target_lines_and_their_beads() -> None:
    task = plant_merges(_task(), 0.5, random.Random(3))
    merged = [b for b in task.gold if len(b.src) == 2]
    assert len(merged) >= 2 and len(task.tgt) == 12 - len(merged) and len(task.gold) == 12 - len(merged)
    assert all(b.src[1] == b.src[0] + 1 and len(b.tgt) == 1 for b in merged)
    assert _gold_text(task) != _gold_text(_task())
    assert " ".join(t for _, t in _gold_text(task)) == " ".join(SPLIT_FR)
    assert [j for b in task.gold for j in b.tgt] == list(range(len(task.tgt)))


def test_dialogue_inserts_short_replies_on_both_sides_and_joins_every_other_exchange_on_the_target() -> None:
    task = plant_dialogue(_task(), 0.5, random.Random(3))
    replies = [(s, t) for s, t in _gold_text(task) if s.startswith("„")]
    assert len(replies) >= 3 and set(_gold_text(_task())) <= set(_gold_text(task))  # the old beads keep their text
    joined = [b for b in task.gold if len(b.src) > 1]
    assert joined and all(len(b.tgt) == 1 and task.tgt[b.tgt[0]].count("—") == len(b.src) for b in joined)
    assert all(task.src[i] in DIALOGUE_REPLIES["de"] for b in joined for i in b.src)
    assert [i for b in task.gold for i in b.src] == list(range(len(task.src)))
    assert [j for b in task.gold for j in b.tgt] == list(range(len(task.tgt)))


class _NumberEmbedder:
    """Vectors from the numbers a text holds (one dimension each): made-up sentences align by their numbers."""

    model_id = "numbers"

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.full((len(texts), 40), 0.05, dtype=np.float32)
        for row, text in enumerate(texts):
            for number in re.findall(r"\d+", text):
                vectors[row, int(number) % 40] += 1.0
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.mark.parametrize("joined", [True, False])
def test_bertalign_method_finds_one_to_one_beads_and_a_planted_merge(joined: bool) -> None:
    from bertalign_method import Recipe, align

    from align.scorers.embedding import SentenceVectors

    vectors = SentenceVectors(_NumberEmbedder())
    task = _task()
    recipe = Recipe(joined=joined)
    assert align(task.src, task.tgt, "de", "fr", vectors, recipe) == list(task.gold)
    merged = plant_merges(task, 0.2, random.Random(3))
    assert align(merged.src, merged.tgt, "de", "fr", vectors, recipe) == list(merged.gold)
    assert vectors.requested.get("spans", 0) > 0 if joined else "spans" not in vectors.requested
