"""Omissions and additions planted in one language of multi-way documents, scored as units and pairs.

For each multi-way document (every Bible document in ``../shared/data/bible``
and the bundled sample item) and each non-pivot language L, a copy is made in
which L loses the sentence of about ``--rate`` of the units where it has
exactly one (an omission: the gold unit keeps the other languages and an empty
L side), and another copy in which sentences from the other half of L's text
are inserted between units (an addition: a gold unit with only L). Both are
aligned with :func:`align.align_multiway` (pivot as in
``benchmarks/multiway.py``; the sample keeps its paragraphs, an inserted
sentence joining the paragraph of the sentence after it).

Printed per scorer and mode (``pivot`` = pivot alignments only, ``consensus``):
exact units P/R against the changed gold, strict/lax F1 of every language pair
read off the units, and how many planted L sentences ended up exactly as gold
has them (``gap R``: an omission's unit right, an addition alone in its unit).

Usage::

    python benchmarks/multiway_gaps.py [-s anchors -s embedding] [--rate 0.05] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# `common` must come first: it puts the repository root on sys.path for `align`.
from common import resolve_data_root
from multiway import Document, bible_documents, sample_document

from align import Counts, Scores, Unit, align_multiway, pair_beads, score_alignments

GoldUnit = dict[str, tuple[int, ...]]


@dataclass(frozen=True)
class PlantedDocument:
    name: str
    texts: dict[str, list[str]]
    paras: dict[str, list[int]] | None
    pivot: str
    units: list[GoldUnit]
    planted: list[GoldUnit]  # the gold units the planted sentences must end up in


def _key(unit: GoldUnit) -> tuple[tuple[str, tuple[int, ...]], ...]:
    return tuple(sorted((lang, ids) for lang, ids in unit.items() if ids))


def _rebuild(doc: Document, lang: str, order: list[tuple[int | None, str]], units: list[GoldUnit]) -> tuple[
    list[str], list[int] | None, list[GoldUnit]
]:
    """L's new sentence list from ``order`` (old index or None for a new sentence, text), units renumbered."""
    new_index = {old: new for new, (old, _) in enumerate(order) if old is not None}
    texts = [text for _, text in order]
    paras = None
    if doc.paras is not None:
        old_paras = doc.paras[lang]
        paras = []
        for position, (old, _) in enumerate(order):
            if old is not None:
                paras.append(old_paras[old])
            else:  # an inserted sentence joins the paragraph of the next kept one (or the last)
                following = next((o for o, _ in order[position:] if o is not None), len(old_paras) - 1)
                paras.append(old_paras[following])
    renumbered = []
    for unit in units:
        side = unit.get(lang, ())
        renumbered.append({**unit, lang: tuple(new_index[i] for i in side)})
    return texts, paras, renumbered


def plant_omissions(doc: Document, lang: str, rate: float, rng: random.Random) -> PlantedDocument:
    units = [dict(unit) for unit in doc.gold_units]
    single = [k for k, unit in enumerate(units) if len(unit.get(lang, ())) == 1 and all(unit.values())]
    chosen = set(rng.sample(single, max(1, round(rate * len(single)))))
    removed = {units[k][lang][0] for k in chosen}
    order: list[tuple[int | None, str]] = [(i, t) for i, t in enumerate(doc.texts[lang]) if i not in removed]
    for k in chosen:
        units[k] = {**units[k], lang: ()}
    texts, paras, renumbered = _rebuild(doc, lang, order, units)
    return _planted(doc, lang, texts, paras, renumbered, [renumbered[k] for k in sorted(chosen)], "omit")


def plant_additions(doc: Document, lang: str, rate: float, rng: random.Random) -> PlantedDocument:
    units = [dict(unit) for unit in doc.gold_units]
    starts = [k for k, unit in enumerate(units) if k > 0 and unit.get(lang)]
    chosen = set(rng.sample(starts, max(1, round(rate * len(starts)))))
    source = doc.texts[lang]
    half = len(source) // 2
    before = {units[k][lang][0] for k in chosen}
    order: list[tuple[int | None, str]] = []
    for i, text in enumerate(source):
        if i in before:
            order.append((None, source[(i + half) % len(source)]))
        order.append((i, text))
    texts, paras, renumbered = _rebuild(doc, lang, order, units)
    with_additions: list[GoldUnit] = []
    planted = []
    for k, unit in enumerate(renumbered):
        if k in chosen:
            added = {lang: (unit[lang][0] - 1,)}
            with_additions.append(added)
            planted.append(added)
        with_additions.append(unit)
    return _planted(doc, lang, texts, paras, with_additions, planted, "add")


def _planted(
    doc: Document,
    lang: str,
    texts: list[str],
    paras: list[int] | None,
    units: list[GoldUnit],
    planted: list[GoldUnit],
    what: str,
) -> PlantedDocument:
    all_texts = {**doc.texts, lang: texts}
    all_paras = None if doc.paras is None or paras is None else {**doc.paras, lang: paras}
    return PlantedDocument(f"{doc.name} {what} {lang}", all_texts, all_paras, doc.pivot, units, planted)


def score(doc: PlantedDocument, units: Sequence[Unit]) -> tuple[Counts, int, int, int]:
    """Pair counts over every language pair, exact units, units predicted, planted units found."""
    langs = sorted(doc.texts)
    gold_units = [Unit(unit, 1.0) for unit in doc.units]
    counts = Counts()
    for position, a in enumerate(langs):
        for b in langs[position + 1 :]:
            counts += score_alignments(pair_beads(units, a, b), pair_beads(gold_units, a, b))
    predicted = {_key(dict(unit.sents)) for unit in units}
    exact = sum(_key(unit) in predicted for unit in doc.units)
    found = sum(_key(unit) in predicted for unit in doc.planted)
    return counts, exact, len(units), found


def run(documents: Sequence[PlantedDocument], scorers: Sequence[str]) -> None:
    print(f"{'scorer':10} {'mode':9} {'change':6}  strict F1  lax F1   units P    R   gap R      sec")
    for scorer in scorers:
        for consensus in (False, True):
            for what in ("omit", "add"):
                counts, exact, predicted, gold, found, planted, seconds = Counts(), 0, 0, 0, 0, 0, 0.0
                for doc in (d for d in documents if f" {what} " in d.name):
                    started = time.perf_counter()
                    units = align_multiway(doc.texts, pivot=doc.pivot, paras=doc.paras, scorer=scorer,
                                           consensus=consensus)
                    seconds += time.perf_counter() - started
                    c, e, p, f = score(doc, units)
                    counts += c
                    exact, predicted, gold = exact + e, predicted + p, gold + len(doc.units)
                    found, planted = found + f, planted + len(doc.planted)
                s = Scores.from_counts(counts)
                mode = "consensus" if consensus else "pivot"
                print(
                    f"{scorer:10} {mode:9} {what:6}  {s.strict.f1:9.3f} {s.lax.f1:7.3f}  {exact / predicted:6.3f} "
                    f"{exact / gold:6.3f} {found:3d}/{planted:<3d} {seconds:7.2f}"
                )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scorer", "-s", action="append", help="Scorer name (repeatable); default anchors, embedding.")
    parser.add_argument("--rate", type=float, default=0.05, help="Share of a language's units changed (default 0.05).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-root", help="Folder holding bible/ (default ../shared/data).")
    args = parser.parse_args()
    root = resolve_data_root(args.data_root)
    documents = list(bible_documents(root)) if (root / "bible").is_dir() else []
    if not documents:
        print(f"skipped Bible: {root / 'bible'} not found (give --data-root)", file=sys.stderr)
    sample = sample_document()
    if sample:
        documents.append(sample)
    if not documents:
        print("skipped: no data found")
        return 0
    rng = random.Random(args.seed)
    planted = [
        plant(doc, lang, args.rate, rng)
        for doc in documents
        for lang in sorted(doc.texts)
        if lang != doc.pivot
        for plant in (plant_omissions, plant_additions)
    ]
    run(planted, args.scorer or ["anchors", "embedding"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
