"""Subcommand eval: strict/lax P/R/F1 of alignment files against gold files."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from align.cli.main import main
from align.errors import InputError
from align.evaluate import Scores, score_many
from align.formats.bead_files import parse_beads, read_beads
from align.pairwise.beads import Bead

GOLD_FLAGS = ("--gold", "-g")


class GreedyGoldCommand(click.Command):
    """Lets ``--gold`` take several files, as Vecalign's ``-g GOLD_1 ... GOLD_n`` does.

    ``eval p1 p2 --gold g1 g2`` is rewritten to ``eval p1 p2 --gold g1 --gold g2``
    before click parses it.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, _repeat_gold_flag(args))


def _repeat_gold_flag(args: list[str]) -> list[str]:
    rewritten: list[str] = []
    state = "free"  # "value": the next arg is the flag's own value; "more": plain args are gold files too
    for arg in args:
        if arg in GOLD_FLAGS:
            state = "value"
        elif state == "value":
            state = "more"
        elif arg.startswith("-") and arg != "-":
            state = "free"
        elif state == "more":
            rewritten.append("--gold")
        rewritten.append(arg)
    return rewritten


@main.command("eval", cls=GreedyGoldCommand)
@click.argument("predictions", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@click.option(
    "-g",
    "--gold",
    "golds",
    multiple=True,
    required=True,
    type=click.Path(path_type=Path, allow_dash=True),
    help="Gold alignment files, one per prediction, in the same order.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores and counts as one JSON object.")
def eval_command(predictions: tuple[Path, ...], golds: tuple[Path, ...], as_json: bool) -> None:
    """Score alignment files against gold: strict and lax precision, recall, F1.

    PREDICTIONS and the --gold files hold one bead per line (`[0]:[0, 1]`, an
    optional `:score` is ignored); counts are summed over all files. One of
    the files may be `-`, read from stdin.

    \b
    Example:
        bitext eval dev.pred --gold dev.defr
        bitext eval a.pred b.pred --gold a.gold b.gold --json
        bitext align-files dev.de dev.fr | bitext eval - --gold dev.defr
    """
    if len(predictions) != len(golds):
        raise InputError(
            f"eval: got {len(predictions)} prediction file(s) but {len(golds)} gold file(s); "
            "give one --gold file per prediction, in the same order"
        )
    if [*predictions, *golds].count(Path("-")) > 1:
        raise InputError("eval: stdin (`-`) can be given once only; save the other alignment to a file")
    scores = score_many((_read(pred), _read(gold)) for pred, gold in zip(predictions, golds))
    click.echo(json.dumps(_as_json(scores, len(predictions))) if as_json else format_table(scores))


def _read(path: Path) -> list[Bead]:
    if path == Path("-"):
        return parse_beads(sys.stdin.read().splitlines(), source="<stdin>")
    return read_beads(path)


def format_table(scores: Scores) -> str:
    """A small fixed-width table, one row per matching mode."""
    lines = [f"{'':8}{'P':>8}{'R':>8}{'F1':>8}"]
    for mode, measures in (("strict", scores.strict), ("lax", scores.lax)):
        lines.append(f"{mode:8}{measures.precision:8.3f}{measures.recall:8.3f}{measures.f1:8.3f}")
    return "\n".join(lines)


def _as_json(scores: Scores, files: int) -> dict[str, Any]:
    counts = scores.counts
    return {
        **scores.as_dict(),
        "files": files,
        "predicted_beads": counts.predicted,
        "gold_beads": counts.gold,
    }
