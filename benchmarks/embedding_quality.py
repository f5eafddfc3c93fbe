"""Alignment quality and speed of the embedding scorer, against NLTK's Gale-Church in the same process.

Reads the development data in ``../shared/data`` (Text+Berg de-fr dev, the Bible
documents in de/en/es/fr/ru); the path is configurable and nothing is copied
into the project. For each document pair it prints strict and lax P/R/F1 and
seconds per aligner, and the F1 ratio to Gale-Church. The embedding scorer's
seconds include embedding, unless ``--cache`` holds the vectors already.

Usage, from the repository root::

    python benchmarks/embedding_quality.py                      # embedding vs Gale-Church
    python benchmarks/embedding_quality.py --scorers embedding,anchors --cache /tmp/e5cache
    python benchmarks/embedding_quality.py --only textberg --set similarity=5 --set base=0.5
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from align.beads import Bead, read_beads  # noqa: E402
from align.evaluate import Scores, score_many  # noqa: E402
from align.pairwise import align_pair  # noqa: E402
from align.scorers import get_scorer  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
BIBLE_PAIRS = ("en-de", "en-es", "en-fr", "en-ru", "de-ru", "fr-es")
LANGS = ("de", "en", "es", "fr", "ru")
SAMPLE_TEXTS = Path(__file__).resolve().parent.parent / "scrapers" / "sample_site" / "texts"


@dataclass(frozen=True)
class DocPair:
    """One document in two languages with its gold alignment."""

    name: str
    src: list[str]
    tgt: list[str]
    src_lang: str
    tgt_lang: str
    gold: list[Bead]
    src_paras: list[int] | None = None
    tgt_paras: list[int] | None = None


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def detokenize(lines: list[str], lang: str) -> list[str]:
    """Text+Berg arrives tokenised (``Fluss gekommen , was``); the model wants running text."""
    from sacremoses import MosesDetokenizer

    detok = MosesDetokenizer(lang)
    return [detok.detokenize(line.split()) for line in lines]


def textberg_pairs(data: Path) -> list[DocPair]:
    folder = data / "textberg"
    de = detokenize(read_lines(folder / "dev.de"), "de")
    fr = detokenize(read_lines(folder / "dev.fr"), "fr")
    return [DocPair("textberg-dev de-fr", de, fr, "de", "fr", read_beads(folder / "dev.defr"))]


def bible_pairs(data: Path) -> list[DocPair]:
    folder = data / "bible"
    pairs = []
    for doc in ("ruth", "philippians"):
        for pair in BIBLE_PAIRS:
            src, tgt = pair.split("-")
            pairs.append(
                DocPair(
                    f"{doc} {pair}",
                    read_lines(folder / f"{doc}.{src}"),
                    read_lines(folder / f"{doc}.{tgt}"),
                    src,
                    tgt,
                    read_beads(folder / f"{doc}.{src}{tgt}"),
                )
            )
    return pairs


def sample_pairs(texts: Path = SAMPLE_TEXTS) -> list[DocPair]:
    """The bundled five-language sample item; pairwise gold derived from its multi-way units.

    Its translations were written by the project (see the README beside it), so it
    lives in the tree. Unit-derived gold is coarser than pairwise gold: judge it by lax.
    """
    docs = {lang: json.loads((texts / f"{lang}.json").read_text(encoding="utf-8")) for lang in LANGS}
    units = [json.loads(line) for line in (texts / "gold_units.jsonl").read_text(encoding="utf-8").splitlines() if line]
    pairs = []
    for pair in BIBLE_PAIRS:
        src, tgt = pair.split("-")
        gold = [Bead(tuple(u[src]), tuple(u[tgt])) for u in units if u[src] or u[tgt]]
        src_sents, src_paras = _sentences_and_paragraphs(docs[src])
        tgt_sents, tgt_paras = _sentences_and_paragraphs(docs[tgt])
        pairs.append(DocPair(f"sample {pair}", src_sents, tgt_sents, src, tgt, gold, src_paras, tgt_paras))
    return pairs


def _sentences_and_paragraphs(doc: dict[str, Any]) -> tuple[list[str], list[int]]:
    sentences, paragraphs = [], []
    for index, paragraph in enumerate(doc["paragraphs"]):
        sentences.extend(paragraph["sentences"])
        paragraphs.extend([index] * len(paragraph["sentences"]))
    return sentences, paragraphs


def gale_church(pair: DocPair) -> list[Bead]:
    """NLTK's Gale-Church over the whole document, its links turned into beads."""
    from nltk.translate import gale_church as gc

    links = gc.align_blocks([len(s) for s in pair.src], [len(t) for t in pair.tgt])
    return links_to_beads(links, len(pair.src), len(pair.tgt))


def links_to_beads(links: Sequence[tuple[int, int]], n: int, m: int) -> list[Bead]:
    """Group monotone links into beads; unlinked sentences become 1-0 / 0-1 beads."""
    src_of: dict[int, set[int]] = {}
    for i, j in links:
        src_of.setdefault(i, set()).add(j)
    beads: list[Bead] = []
    i = j = 0
    while i < n or j < m:
        if i < n and not src_of.get(i):
            if j < m and not any(j in t for t in src_of.values()):
                beads.append(Bead((), (j,)))
                j += 1
                continue
            beads.append(Bead((i,), ()))
            i += 1
            continue
        if i >= n:
            beads.append(Bead((), (j,)))
            j += 1
            continue
        srcs, tgts = {i}, set(src_of[i])
        while True:
            more = {k for k in range(i, n) if src_of.get(k, set()) & tgts} - srcs
            if not more:
                break
            srcs |= more
            tgts |= set().union(*(src_of[k] for k in more))
        while j < min(tgts):
            beads.append(Bead((), (j,)))
            j += 1
        beads.append(Bead(tuple(sorted(srcs)), tuple(sorted(tgts))))
        i, j = max(srcs) + 1, max(tgts) + 1
    return beads


def run(aligner: Callable[[DocPair], list[Bead]], pair: DocPair) -> tuple[Scores, float]:
    start = time.perf_counter()
    beads = aligner(pair)
    seconds = time.perf_counter() - start
    return score_many([(beads, pair.gold)]), seconds


def scorer_aligner(name: str, params: dict[str, object], max_size: int) -> Callable[[DocPair], list[Bead]]:
    def align(pair: DocPair) -> list[Bead]:
        scorer = get_scorer(name, **params)  # a fresh scorer: its embedding time is counted
        return align_pair(
            pair.src,
            pair.tgt,
            src_lang=pair.src_lang,
            tgt_lang=pair.tgt_lang,
            scorer=scorer,
            max_size=max_size,
            src_paras=pair.src_paras,
            tgt_paras=pair.tgt_paras,
        )

    return align


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with textberg/ and bible/")
    parser.add_argument("--scorers", default="embedding", help="comma-separated registered scorer names")
    parser.add_argument("--cache", default=None, help="embedding cache directory (timings then exclude embedding)")
    parser.add_argument("--only", choices=("textberg", "bible", "sample"), default=None)
    parser.add_argument("--max-size", type=int, default=4, help="largest bead side (align_pair max_size)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="scorer parameter")
    parser.add_argument("--no-baseline", action="store_true", help="skip NLTK Gale-Church")
    return parser.parse_args(argv)


def scorer_params(args: argparse.Namespace, name: str) -> dict[str, object]:
    params: dict[str, object] = {}
    for item in args.set:
        key, _, value = item.partition("=")
        params[key] = float(value) if "." in value or "e" in value else int(value)
    if name not in ("anchors", "length") and args.cache:
        params["cache"] = args.cache
    return params if name not in ("anchors", "length") else {}


def row(label: str, scores: Scores, seconds: float, baseline_f1: float | None) -> str:
    s, x = scores.strict, scores.lax
    ratio = f"{s.f1 / baseline_f1:5.2f}x" if baseline_f1 else "   -  "
    return (
        f"  {label:<12} strict P/R/F1 {s.precision:.3f} {s.recall:.3f} {s.f1:.3f}  "
        f"lax P/R/F1 {x.precision:.3f} {x.recall:.3f} {x.f1:.3f}  {seconds:7.2f} s  strict F1 {ratio}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not (args.data / "textberg").is_dir() or not (args.data / "bible").is_dir():
        print(f"benchmark data not found in {args.data} (expected textberg/ and bible/). Hint: pass --data DIR")
        return 2
    pairs = textberg_pairs(args.data) if args.only in (None, "textberg") else []
    pairs += bible_pairs(args.data) if args.only in (None, "bible") else []
    pairs += sample_pairs() if args.only in (None, "sample") else []
    names = [name.strip() for name in args.scorers.split(",") if name.strip()]
    aligners = {name: scorer_aligner(name, scorer_params(args, name), args.max_size) for name in names}
    if not args.no_baseline:
        aligners = {"gale-church": gale_church, **aligners}
    results: dict[str, list[tuple[Scores, float]]] = {name: [] for name in aligners}
    for pair in pairs:
        print(f"{pair.name}  ({len(pair.src)} x {len(pair.tgt)} sentences, {len(pair.gold)} gold beads)")
        baseline = None
        for label, aligner in aligners.items():
            scores, seconds = run(aligner, pair)
            results[label].append((scores, seconds))
            baseline = scores.strict.f1 if label == "gale-church" else baseline
            print(row(label, scores, seconds, baseline if label != "gale-church" else None), flush=True)
    for corpus in ("ruth", "philippians", "sample"):
        chosen = [k for k, pair in enumerate(pairs) if pair.name.startswith(corpus)]
        if chosen:
            lowest = {label: min(r[k][0].lax.f1 for k in chosen) for label, r in results.items()}
            print(f"lowest {corpus} lax F1:", "  ".join(f"{label} {value:.3f}" for label, value in lowest.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
