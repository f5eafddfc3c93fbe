"""Sentence segmentation accuracy on the project's own set (tests/align/data/segmentation).

Compares ``align.segment.split_sentences`` with the naive rule
``re.split(r'(?<=[.!?])\\s+')`` and, when it is installed, pysbd. Per language:
paragraphs split exactly, and precision/recall/F1 of sentences (a predicted
sentence counts when it is exactly a gold sentence of the same paragraph).

Usage::

    python benchmarks/segmentation.py
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402,F401  (puts the repository on sys.path)

from align.segment import SUPPORTED_LANGS, split_sentences  # noqa: E402

SEGMENTATION_SET = common.REPO_ROOT / "tests" / "align" / "data" / "segmentation"
NAIVE_BOUNDARY = re.compile(r"(?<=[.!?])\s+")  # 'Mr. Ayrault came.' -> ['Mr.', 'Ayrault came.']

Splitter = Callable[[str, str], list[str]]


def naive_split(paragraph: str, lang: str) -> list[str]:
    return [part for part in NAIVE_BOUNDARY.split(paragraph) if part]


def pysbd_splitter() -> Splitter | None:
    try:
        import pysbd
    except ImportError:
        return None
    segmenters: dict[str, pysbd.Segmenter] = {}

    def split(paragraph: str, lang: str) -> list[str]:
        segmenter = segmenters.setdefault(lang, pysbd.Segmenter(language=lang, clean=False))
        return [part.strip() for part in segmenter.segment(paragraph) if part.strip()]

    return split


def gold_paragraphs(lang: str) -> list[list[str]]:
    text = (SEGMENTATION_SET / f"{lang}.txt").read_text(encoding="utf-8")
    return [block.strip().split("\n") for block in text.split("\n\n") if block.strip()]


def evaluate(splitter: Splitter, lang: str) -> tuple[float, float, float, float]:
    """(share of paragraphs split exactly, sentence precision, recall, F1)."""
    exact = hits = predicted = gold_total = 0
    paragraphs = gold_paragraphs(lang)
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
    print(f"{'lang':5} {'splitter':8} {'paras exact':>11} {'sent P':>7} {'R':>6} {'F1':>6}")
    for lang in SUPPORTED_LANGS:
        for name, splitter in splitters.items():
            if splitter is None:
                print(f"{lang:5} {name:8} not installed")
                continue
            exact, precision, recall, f1 = evaluate(splitter, lang)
            print(f"{lang:5} {name:8} {exact:11.3f} {precision:7.3f} {recall:6.3f} {f1:6.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
