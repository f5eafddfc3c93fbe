"""Sentence segmentation accuracy on the project's own sets (tests/align/data/segmentation).

Sets: ``dev`` (``<lang>.txt``, written together with the rules and tested
exactly by the test suite), ``held-out`` (``heldout/<lang>.txt``, written after
the rules) and, when present, ``sample`` (the bundled sample item,
``scrapers/testing/sample_site/texts/<lang>.json``, split by hand by its own author).

Compares ``align.split_sentences`` with the naive rule
``re.split(r'(?<=[.!?])\\s+')`` and, when it is installed, pysbd. Per language:
paragraphs split exactly, and precision/recall/F1 of sentences (a predicted
sentence counts when it is exactly a gold sentence of the same paragraph).

Usage::

    python benchmarks/segmentation.py
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # first: it puts the repository root on sys.path for `align`

from align import SUPPORTED_LANGS, split_sentences

SEGMENTATION_SET = common.REPO_ROOT / "tests" / "align" / "data" / "segmentation"
NAIVE_BOUNDARY = re.compile(r"(?<=[.!?])\s+")  # 'Mr. Ayrault came.' -> ['Mr.', 'Ayrault came.']

Splitter = Callable[[str, str], list[str]]


def naive_split(paragraph: str, lang: str) -> list[str]:
    return [part for part in NAIVE_BOUNDARY.split(paragraph) if part]


def pysbd_splitter() -> Splitter | None:
    try:
        import pysbd  # type: ignore[import-untyped]
    except ImportError:
        return None
    segmenters: dict[str, pysbd.Segmenter] = {}

    def split(paragraph: str, lang: str) -> list[str]:
        segmenter = segmenters.setdefault(lang, pysbd.Segmenter(language=lang, clean=False))
        return [part.strip() for part in segmenter.segment(paragraph) if part.strip()]

    return split


SAMPLE_ITEM = common.REPO_ROOT / "scrapers" / "testing" / "sample_site" / "texts"


def text_blocks(folder: Path) -> Callable[[str], list[list[str]]]:
    """Paragraphs of ``<folder>/<lang>.txt``: blank-line-separated blocks, one sentence per line."""

    def load(lang: str) -> list[list[str]]:
        text = (folder / f"{lang}.txt").read_text(encoding="utf-8")
        return [block.strip().split("\n") for block in text.split("\n\n") if block.strip()]

    return load


def sample_item(lang: str) -> list[list[str]]:
    record = json.loads((SAMPLE_ITEM / f"{lang}.json").read_text(encoding="utf-8"))
    return [paragraph["sentences"] for paragraph in record["paragraphs"]]


SETS: dict[str, Callable[[str], list[list[str]]]] = {
    "dev": text_blocks(SEGMENTATION_SET),
    "held-out": text_blocks(SEGMENTATION_SET / "heldout"),
}
if SAMPLE_ITEM.is_dir():
    SETS["sample"] = sample_item


def evaluate(splitter: Splitter, paragraphs: list[list[str]], lang: str) -> tuple[float, float, float, float]:
    """(share of paragraphs split exactly, sentence precision, recall, F1)."""
    exact = hits = predicted = gold_total = 0
    for gold in paragraphs:
        pred = splitter(" ".join(gold), lang)
        exact += pred == gold
        hits += sum((Counter(pred) & Counter(gold)).values())
        predicted, gold_total = predicted + len(pred), gold_total + len(gold)
    precision, recall = hits / predicted, hits / gold_total
    return exact / len(paragraphs), precision, recall, 2 * precision * recall / (precision + recall)


def main() -> int:
    splitters: dict[str, Splitter | None] = {
        "naive": naive_split,
        "pysbd": pysbd_splitter(),
        "bitext": split_sentences,
    }
    print(f"{'set':9} {'lang':5} {'splitter':8} {'paras exact':>11} {'sent P':>7} {'R':>6} {'F1':>6}")
    for set_name, load in SETS.items():
        for lang in SUPPORTED_LANGS:
            paragraphs = load(lang)
            for name, splitter in splitters.items():
                if splitter is None:
                    print(f"{set_name:9} {lang:5} {name:8} not installed")
                    continue
                exact, precision, recall, f1 = evaluate(splitter, paragraphs, lang)
                print(f"{set_name:9} {lang:5} {name:8} {exact:11.3f} {precision:7.3f} {recall:6.3f} {f1:6.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
