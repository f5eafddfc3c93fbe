"""The corrections, as pure functions from an item's rows to a :class:`Splice`.

A splice replaces ``before`` (rows ``start`` .. ``start + len(before)``) with
``after``; applying it and its inverse is how corrections are saved, logged,
undone and redone (:mod:`align.review.history`). Changing a unit's sentences
marks it ``corrected``; confirming marks it ``confirmed``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from align.errors import InputError
from align.review.rows import CONFIRMED, CORRECTED, STATUS, Row, Sentences, rebuilt, renumbered

Action = Literal["merge", "split", "move-previous", "move-next", "confirm", "confirm-up-to"]
ACTIONS: Final[tuple[Action, ...]] = ("merge", "split", "move-previous", "move-next", "confirm", "confirm-up-to")


class EditError(InputError):
    """A correction that cannot be made here (the message says why and what to do)."""


@dataclass(frozen=True)
class Splice:
    """Rows ``start`` .. ``start + len(before)`` become ``after``."""

    start: int
    before: tuple[Row, ...]
    after: tuple[Row, ...]

    def apply(self, rows: Sequence[Row]) -> list[Row]:
        return renumbered([*rows[: self.start], *self.after, *rows[self.start + len(self.before):]])

    def inverse(self) -> Splice:
        return Splice(self.start, self.after, self.before)


@dataclass(frozen=True)
class Target:
    """Where a correction applies: a unit, and optionally one sentence of one language in it."""

    unit: int
    lang: str | None = None
    sent: int | None = None
    every_language: bool = True


def edit(action: Action, rows: Sequence[Row], target: Target, langs: Sequence[str], sentences: Sentences) -> Splice:
    """The splice ``action`` makes at ``target``; raises :class:`EditError` when it cannot be made."""
    if not 0 <= target.unit < len(rows):
        raise EditError(f"there is no unit {target.unit} (this item has {len(rows)}); reload the page")
    if action == "merge":
        return _merge(rows, target.unit, langs, sentences)
    if action == "split":
        return _split(rows, target, langs, sentences)
    if action in ("move-previous", "move-next"):
        return _move(rows, target, langs, sentences, forward=action == "move-next")
    if action == "confirm":
        return Splice(target.unit, (rows[target.unit],), ({**rows[target.unit], STATUS: CONFIRMED},))
    if action == "confirm-up-to":
        head = tuple(rows[: target.unit + 1])
        return Splice(0, head, tuple({**row, STATUS: CONFIRMED} for row in head))
    raise EditError(f"unknown correction `{action}`; use one of {', '.join(ACTIONS)}")


def _merge(rows: Sequence[Row], unit: int, langs: Sequence[str], sentences: Sentences) -> Splice:
    if unit + 1 >= len(rows):
        raise EditError(f"unit {unit} is the last one: there is no next unit to merge it with")
    first, second = rows[unit], rows[unit + 1]
    scores = [s for s in (first["score"], second["score"]) if s is not None]
    merged = rebuilt(
        first, langs, sentences, score=min(scores) if scores else None, **{STATUS: CORRECTED},
        **{f"sents_{lang}": [*first[f"sents_{lang}"], *second[f"sents_{lang}"]] for lang in langs},
    )
    return Splice(unit, (first, second), (merged,))


def _split(rows: Sequence[Row], target: Target, langs: Sequence[str], sentences: Sentences) -> Splice:
    row = rows[target.unit]
    anchor, cut = _anchor_cut(row, target, langs)
    fraction = _chars(sentences, anchor, row[f"sents_{anchor}"][:cut]) / max(
        1, _chars(sentences, anchor, row[f"sents_{anchor}"]))
    first: dict[str, list[int]] = {}
    second: dict[str, list[int]] = {}
    for lang in langs:
        sents = list(row[f"sents_{lang}"])
        if lang == anchor:
            k = cut
        elif not target.every_language:
            k = len(sents)
        else:
            k = _proportional_cut(sentences, lang, sents, fraction)
        first[f"sents_{lang}"], second[f"sents_{lang}"] = sents[:k], sents[k:]
    common = {"score": row["score"], STATUS: CORRECTED}
    return Splice(target.unit, (row,), (
        rebuilt(row, langs, sentences, **common, **first),
        rebuilt(row, langs, sentences, **common, **second),
    ))


def _anchor_cut(row: Row, target: Target, langs: Sequence[str]) -> tuple[str, int]:
    """The language the split is placed in and how many of its sentences stay in the first part."""
    if target.lang is not None and target.sent is not None:
        sents = list(row[f"sents_{target.lang}"]) if target.lang in langs else []
        if target.sent not in sents:
            raise EditError(f"sentence {target.sent} ({target.lang}) is not in unit {target.unit}; reload the page")
        if len(sents) < 2:
            raise EditError(
                f"unit {target.unit} has one {target.lang} sentence: nothing to split there; "
                f"pick a sentence in a language with two or more")
        position = sents.index(target.sent)
        return target.lang, position if position > 0 else 1
    counts = {lang: len(row[f"sents_{lang}"]) for lang in langs}
    anchor = max(langs, key=lambda lang: counts[lang])
    if counts[anchor] < 2:
        raise EditError(f"unit {target.unit} has at most one sentence per language: there is nothing to split")
    return anchor, counts[anchor] // 2


def _chars(sentences: Sentences, lang: str, sents: Sequence[int]) -> int:
    return sum(len(sentences.text(lang, i)) for i in sents)


def _proportional_cut(sentences: Sentences, lang: str, sents: list[int], fraction: float) -> int:
    """The sentence boundary in ``lang`` closest to ``fraction`` of the unit's characters."""
    if not sents:
        return 0
    if len(sents) == 1:
        return 1 if fraction >= 0.5 else 0
    total = max(1, _chars(sentences, lang, sents))
    return min(range(1, len(sents)), key=lambda k: abs(_chars(sentences, lang, sents[:k]) / total - fraction))


def _move(rows: Sequence[Row], target: Target, langs: Sequence[str], sentences: Sentences, *, forward: bool) -> Splice:
    unit, lang = target.unit, target.lang
    neighbour = unit + 1 if forward else unit - 1
    if not 0 <= neighbour < len(rows):
        where = "last" if forward else "first"
        raise EditError(f"unit {unit} is the {where} one: there is no {'next' if forward else 'previous'} unit")
    if lang is None or lang not in langs:
        raise EditError("pick the sentence to move (click it) first")
    sents = list(rows[unit][f"sents_{lang}"])
    if not sents:
        raise EditError(f"unit {unit} has no {lang} sentence to move")
    if target.sent is not None and target.sent not in sents:
        raise EditError(f"sentence {target.sent} ({lang}) is not in unit {unit}; reload the page")
    if forward:
        moved = sents[sents.index(target.sent):] if target.sent is not None else sents[-1:]
    else:
        moved = sents[: sents.index(target.sent) + 1] if target.sent is not None else sents[:1]
    kept = [s for s in sents if s not in moved]
    other = rows[neighbour]
    changed_self = rebuilt(rows[unit], langs, sentences, **{f"sents_{lang}": kept, STATUS: CORRECTED})
    changed_other = rebuilt(
        other, langs, sentences, **{f"sents_{lang}": [*other[f"sents_{lang}"], *moved], STATUS: CORRECTED})
    pair = [changed_other, changed_self] if not forward else [changed_self, changed_other]
    after = tuple(row for row in pair if any(row[f"sents_{x}"] for x in langs))  # a unit left empty goes
    start = min(unit, neighbour)
    return Splice(start, (rows[start], rows[start + 1]), after)
