"""Multi-way units measured as pairwise alignments: pivot only vs with cross-language evidence.

For every document and every gold language pair, the pair read off the units
(``align.pair_beads``) is scored against gold with strict/lax P/R/F1
(``align.score_alignments``). Three ways are compared, all with the same scorer:

* ``direct``     the pair aligned on its own with ``align_pair`` (no units; reference);
* ``pivot``      units from pivot-L alignments only (``consensus=False``);
* ``consensus``  units after the vote of all pairwise alignments (``consensus=True``).

Data: the Bible documents of ``../shared/data/bible`` (verse-level gold: judge
by lax) and the bundled sample item (``scrapers/testing/sample_site/texts``: the
project's own translations, hand-made multi-way gold, paragraph-aware).

Usage::

    python benchmarks/multiway.py [--data-root DIR] [--scorer anchors] [--max-size 4] [--pivot LANG]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from align import (
    DEFAULT_MAX_SIZE,
    Bead,
    Counts,
    Scores,
    Unit,
    align_multiway,
    align_pair,
    choose_pivot,
    pair_beads,
    read_beads,
    score_alignments,
)

DEFAULT_DATA_ROOT = REPO.parent / "shared" / "data"
SAMPLE_TEXTS = REPO / "scrapers" / "testing" / "sample_site" / "texts"
BIBLE_LANGS = ("de", "en", "es", "fr", "ru")
MODES = ("direct", "pivot", "consensus")


@dataclass(frozen=True)
class Document:
    name: str
    texts: dict[str, list[str]]
    paras: dict[str, list[int]] | None
    pivot: str
    gold: dict[tuple[str, str], list[Bead]]  # gold beads per (src, tgt) pair
    gold_units: list[dict[str, tuple[int, ...]]]  # multi-way gold: sentence indices per language


def bible_documents(root: Path) -> Iterator[Document]:
    folder = root / "bible"
    for multi in sorted(folder.glob("*.multi.jsonl")):
        name = multi.name.removesuffix(".multi.jsonl")
        texts = {lang: (folder / f"{name}.{lang}").read_text(encoding="utf-8").splitlines() for lang in BIBLE_LANGS}
        gold = {}
        for path in sorted(folder.glob(f"{name}.????")):
            src, tgt = path.suffix[1:3], path.suffix[3:5]
            gold[(src, tgt)] = read_beads(path)
        verses = [json.loads(line) for line in multi.read_text(encoding="utf-8").splitlines() if line]
        units = [{lang: tuple(verse[lang]) for lang in BIBLE_LANGS} for verse in verses]
        yield Document(f"bible/{name}", texts, None, choose_pivot(list(texts)), gold, units)


def sample_document() -> Document | None:
    if not (SAMPLE_TEXTS / "gold_units.jsonl").exists():
        return None
    texts, paras = {}, {}
    for path in sorted(SAMPLE_TEXTS.glob("??.json")):
        item = json.loads(path.read_text(encoding="utf-8"))
        lang = item["lang"]
        texts[lang] = [s for para in item["paragraphs"] for s in para["sentences"]]
        paras[lang] = [k for k, para in enumerate(item["paragraphs"]) for _ in para["sentences"]]
    lines = (SAMPLE_TEXTS / "gold_units.jsonl").read_text(encoding="utf-8").splitlines()
    sides = [{lang: tuple(ids) for lang, ids in json.loads(line).items()} for line in lines if line]
    units = [Unit(unit, 1.0) for unit in sides]
    langs = sorted(texts)
    gold = {(a, b): pair_beads(units, a, b) for a in langs for b in langs if a < b}
    return Document("sample (mid.ru item)", texts, paras, "ru", gold, sides)


def predict(
    doc: Document, mode: str, scorer: str, max_size: int
) -> tuple[dict[tuple[str, str], list[Bead]], list[Unit]]:
    """The beads of every gold pair, as ``mode`` produces them, and the units (none for ``direct``)."""
    paras = doc.paras or {}
    if mode == "direct":
        beads = {
            (a, b): align_pair(
                doc.texts[a], doc.texts[b], src_lang=a, tgt_lang=b, scorer=scorer, max_size=max_size,
                src_paras=paras.get(a), tgt_paras=paras.get(b),
            )
            for a, b in doc.gold
        }
        return beads, []
    units = align_multiway(
        doc.texts, pivot=doc.pivot, paras=doc.paras, scorer=scorer, max_size=max_size, consensus=mode == "consensus"
    )
    return {(a, b): pair_beads(units, a, b) for a, b in doc.gold}, units


@dataclass
class UnitTally:
    """Units exactly equal to a gold unit, overall and per confidence bin (calibration)."""

    predicted: int = 0
    gold: int = 0
    exact: int = 0
    bins: dict[float, list[int]] = field(default_factory=dict)  # bin floor -> [exact, all]

    def add(self, units: Sequence[Unit], gold: Sequence[dict[str, tuple[int, ...]]]) -> None:
        key = lambda sides: tuple(sorted((lang, ids) for lang, ids in sides.items() if ids))
        gold_keys = {key(unit) for unit in gold}
        self.predicted += len(units)
        self.gold += len(gold)
        for unit in units:
            hit = key(dict(unit.sents)) in gold_keys
            self.exact += hit
            floor = next(b for b in CONFIDENCE_BINS if unit.score >= b)
            tally = self.bins.setdefault(floor, [0, 0])
            tally[0] += hit
            tally[1] += 1

    def report(self) -> str:
        precision = self.exact / self.predicted if self.predicted else 0.0
        recall = self.exact / self.gold if self.gold else 0.0
        bins = "  ".join(
            f">={floor:.1f}: {hits}/{n}={hits / n:.2f}" for floor, (hits, n) in sorted(self.bins.items()) if n
        )
        return f"exact units P {precision:.3f} R {recall:.3f} | right per confidence bin  {bins}"


CONFIDENCE_BINS = (0.9, 0.7, 0.5, 0.3, 0.0)


def format_scores(scores: Scores) -> str:
    s, lx = scores.strict, scores.lax
    return f"{s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}   {lx.precision:6.3f} {lx.recall:6.3f} {lx.f1:6.3f}"


def run(documents: Sequence[Document], scorer: str, max_size: int, out: Callable[[str], None]) -> None:
    header = f"{'document':22} {'pair':5} {'mode':9}  strict P      R     F1      lax P      R     F1"
    totals: dict[str, Counts] = {mode: Counts() for mode in MODES}
    unit_totals = {mode: UnitTally() for mode in MODES[1:]}
    for doc in documents:
        out(header)
        for mode in MODES:
            started = time.perf_counter()
            predicted, units = predict(doc, mode, scorer, max_size)
            seconds = time.perf_counter() - started
            if mode in unit_totals:
                unit_totals[mode].add(units, doc.gold_units)
            for pair, gold in doc.gold.items():
                counts = score_alignments(predicted[pair], gold)
                totals[mode] += counts
                out(f"{doc.name:22} {'-'.join(pair):5} {mode:9}  {format_scores(Scores.from_counts(counts))}")
            out(f"{doc.name:22} {'all':5} {mode:9}  {seconds:.2f} s")
        out("")
    out("all documents and pairs (micro-average):")
    for mode in MODES:
        out(f"{'':22} {'all':5} {mode:9}  {format_scores(Scores.from_counts(totals[mode]))}")
    out("units against the multi-way gold (verses for the Bible), all documents:")
    for mode, tally in unit_totals.items():
        out(f"  {mode:9} {tally.report()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data-root", type=Path, default=Path(os.environ.get("BITEXT_SHARED_DATA", DEFAULT_DATA_ROOT)),
        help="folder holding bible/ (default ../shared/data, or $BITEXT_SHARED_DATA)",
    )
    parser.add_argument("--scorer", default="anchors")
    parser.add_argument("--max-size", type=int, default=DEFAULT_MAX_SIZE)
    parser.add_argument("--pivot", help="pivot for every document (default: ru for the sample item, else en)")
    args = parser.parse_args()
    documents = []
    if (args.data_root / "bible").is_dir():
        documents += list(bible_documents(args.data_root))
    else:
        print(f"skipped Bible: {args.data_root / 'bible'} not found (give --data-root)", file=sys.stderr)
    sample = sample_document()
    if sample:
        documents.append(sample)
    if not documents:
        print("skipped: no data found", file=sys.stderr)
        return 0
    if args.pivot:
        documents = [replace(doc, pivot=args.pivot) for doc in documents]
    print(f"scorer {args.scorer}, max size {args.max_size}, pivot {args.pivot or 'per document'}")
    run(documents, args.scorer, args.max_size, print)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
