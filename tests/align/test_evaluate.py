from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from align.cli import main
from align.evaluate import Counts, score_alignments, score_many
from align.formats.bead_files import format_beads, parse_beads
from align.pairwise.beads import Bead


def beads(text: str) -> list[Bead]:
    """``"[0]:[0] [1, 2]:[1]"`` -> beads (spaces inside brackets are kept together)."""
    return parse_beads(text.replace(", ", ",").split())


@st.composite
def monotone_beads(draw: st.DrawFn) -> list[Bead]:
    """A monotone alignment covering both sides, with 0-3 sentences a side and one real link at least."""
    sizes = draw(
        st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)).filter(lambda s: s != (0, 0)), min_size=1)
    )
    sizes.append(draw(st.tuples(st.integers(1, 3), st.integers(1, 3))))
    result, i, j = [], 0, 0
    for n_src, n_tgt in draw(st.permutations(sizes)):
        result.append(Bead(tuple(range(i, i + n_src)), tuple(range(j, j + n_tgt))))
        i, j = i + n_src, j + n_tgt
    return result


@given(monotone_beads())
def test_gold_against_itself_scores_one(gold: list[Bead]) -> None:
    scores = score_many([(gold, gold)])
    for measures in (scores.strict, scores.lax):
        assert (measures.precision, measures.recall, measures.f1) == (1.0, 1.0, 1.0)


@given(monotone_beads(), monotone_beads())
def test_lax_is_never_below_strict(pred: list[Bead], gold: list[Bead]) -> None:
    scores = score_many([(pred, gold)])
    assert scores.lax.precision >= scores.strict.precision
    assert scores.lax.recall >= scores.strict.recall


@pytest.mark.parametrize(
    ("pred", "gold", "expected"),
    [
        # a 2-1 gold bead predicted as 1-1 + 1-0: the 1-1 is a lax hit, the 1-0 is no hit at all
        ("[0]:[0] [1]:[1] [2]:[]", "[0]:[0] [1,2]:[1]", Counts(1, 2, 3, 1, 2, 2)),
        # a 1-2 gold bead predicted as 1-1 + 0-1; the 0-1 never hits laxly, even though [1] is in gold
        ("[0]:[0] []:[1] [1]:[2]", "[0]:[0,1] [1]:[2]", Counts(1, 2, 3, 1, 2, 2)),
        # 1-0 beads count for precision only, and only when identical
        ("[0]:[0] [1]:[] [2]:[1]", "[0]:[0] [1]:[] [2]:[1]", Counts(3, 3, 3, 2, 2, 2)),
        ("[0,1]:[0] [2]:[1]", "[0]:[0] [1]:[] [2]:[1]", Counts(1, 2, 2, 1, 2, 2)),
        # crossing links: no overlap on both sides, so nothing hits
        ("[0]:[1] [1]:[0]", "[0]:[0] [1]:[1]", Counts(0, 0, 2, 0, 0, 2)),
        # beads empty on both sides are dropped from either file
        ("[]:[] [0]:[0]", "[0]:[0] []:[]", Counts(1, 1, 1, 1, 1, 1)),
        ("", "[0]:[0]", Counts(0, 0, 0, 0, 0, 1)),
    ],
)
def test_small_cases_computed_by_hand(pred: str, gold: str, expected: Counts) -> None:
    assert score_alignments(beads(pred), beads(gold)) == expected


def test_partial_overlap_measures() -> None:
    scores = score_many([(beads("[0]:[0] []:[1] [1]:[2]"), beads("[0]:[0,1] [1]:[2]"))])
    assert scores.strict.precision == pytest.approx(1 / 3)
    assert scores.strict.recall == pytest.approx(1 / 2)
    assert scores.strict.f1 == pytest.approx(0.4)
    assert scores.lax.precision == pytest.approx(2 / 3)
    assert scores.lax.recall == pytest.approx(1.0)
    assert scores.lax.f1 == pytest.approx(0.8)


def test_counts_are_summed_over_files_not_averaged() -> None:
    perfect = beads("[0]:[0] [1]:[1]")
    crossed_pred, crossed_gold = beads("[0]:[1] [1]:[2] [2]:[0]"), beads("[0]:[0] [1]:[1] [2]:[2]")
    scores = score_many([(perfect, perfect), (crossed_pred, crossed_gold)])
    assert scores.strict.precision == pytest.approx(2 / 5)  # a per-file average would give 0.5
    assert scores.strict.recall == pytest.approx(2 / 5)
    assert scores.counts == Counts(2, 2, 5, 2, 2, 5)


def test_nothing_predicted_scores_zero_without_dividing_by_zero() -> None:
    scores = score_many([([], beads("[0]:[0]"))])
    assert (scores.strict.precision, scores.strict.recall, scores.strict.f1) == (0.0, 0.0, 0.0)


# --- the eval command -------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    contents = {
        "a.pred": "[0]:[0]:0.9\n[1]:[1]:0.8\n",
        "a.gold": "[0]:[0]\n[1]:[1]\n",
        "b.pred": "[0]:[1]\n[1]:[2]\n[2]:[0]\n",
        "b.gold": "[0]:[0]\n[1]:[1]\n[2]:[2]\n",
        "bad.gold": "[0]:[0]\n[1] [1]\n",
    }
    for name, text in contents.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return {name: tmp_path / name for name in contents}


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["eval", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


def test_eval_prints_a_table(files: dict[str, Path]) -> None:
    code, out, _ = run(files["a.pred"], files["b.pred"], "--gold", files["a.gold"], files["b.gold"])
    assert code == 0
    assert out.splitlines() == [
        "               P       R      F1",
        "strict     0.400   0.400   0.400",
        "lax        0.400   0.400   0.400",
    ]


@pytest.mark.parametrize(
    "layout",
    [
        ["A", "B", "--gold", "a", "b", "--json"],
        ["A", "B", "-g", "a", "-g", "b", "--json"],
        ["--json", "A", "B", "--gold", "a", "b"],
    ],
)
def test_eval_json_and_both_ways_of_giving_gold_files(files: dict[str, Path], layout: list[str]) -> None:
    names = {"A": "a.pred", "B": "b.pred", "a": "a.gold", "b": "b.gold"}
    code, out, _ = run(*(files[names[arg]] if arg in names else arg for arg in layout))
    assert code == 0
    report = json.loads(out)
    assert report["strict"] == {"precision": 0.4, "recall": 0.4, "f1": pytest.approx(0.4)}
    assert (report["files"], report["predicted_beads"], report["gold_beads"]) == (2, 5, 5)


def test_eval_one_file_pair(files: dict[str, Path]) -> None:
    code, out, _ = run(files["a.pred"], "--gold", files["b.gold"], "--json")
    assert code == 0
    assert json.loads(out)["strict"]["precision"] == 1.0
    assert json.loads(out)["strict"]["recall"] == pytest.approx(2 / 3)


def test_eval_unequal_file_counts_is_one_line_error(files: dict[str, Path]) -> None:
    code, out, err = run(files["a.pred"], files["b.pred"], "--gold", files["a.gold"])
    assert (code, out) == (1, "")
    assert err == (
        "bitext: error: eval: got 2 prediction file(s) but 1 gold file(s); "
        "give one --gold file per prediction, in the same order\n"
    )


def test_eval_malformed_gold_is_one_line_error(files: dict[str, Path]) -> None:
    code, _, err = run(files["a.pred"], "--gold", files["bad.gold"])
    assert code == 1
    assert err == (
        f"bitext: error: {files['bad.gold']}:2: expected `[i, ...]:[j, ...]` optionally `:score`, got '[1] [1]'\n"
    )


def test_eval_missing_file_is_one_line_error(files: dict[str, Path], tmp_path: Path) -> None:
    missing = tmp_path / "nope.pred"
    code, _, err = run(missing, "--gold", files["a.gold"])
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith(f"bitext: error: {missing}: cannot read alignment file")


def test_eval_reads_what_format_beads_writes(files: dict[str, Path], tmp_path: Path) -> None:
    gold = beads("[0]:[0,1] [1,2]:[2] [3]:[] []:[3]")
    pred_path = tmp_path / "round.pred"
    pred_path.write_text(format_beads([Bead(b.src, b.tgt, 0.5) for b in gold]), encoding="utf-8")
    gold_path = tmp_path / "round.gold"
    gold_path.write_text(format_beads(gold), encoding="utf-8")
    code, out, _ = run(pred_path, "--gold", gold_path, "--json")
    assert code == 0
    assert json.loads(out)["lax"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_module_example_holds() -> None:
    import doctest

    import align.evaluate

    assert doctest.testmod(align.evaluate).failed == 0


def test_eval_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["eval", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout and "bitext eval dev.pred --gold dev.defr" in result.stdout


def test_eval_reads_one_alignment_from_stdin(files: dict[str, Path]) -> None:
    result = CliRunner().invoke(main, ["eval", "-", "--gold", str(files["b.gold"]), "--json"], input="[0]:[0]\n[1]:[1, 2]\n")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["strict"]["precision"] == 0.5


def test_eval_stdin_twice_is_one_line_error(files: dict[str, Path]) -> None:
    code, _, err = run("-", "--gold", "-")
    assert code == 1
    assert err == "bitext: error: eval: stdin (`-`) can be given once only; save the other alignment to a file\n"


def test_eval_malformed_stdin_names_it(files: dict[str, Path]) -> None:
    result = CliRunner().invoke(main, ["eval", "-", "--gold", str(files["a.gold"])], input="[0]:[0]\n[1]\n")
    assert result.exit_code == 1
    assert result.stderr.startswith("bitext: error: <stdin>:2: expected")
