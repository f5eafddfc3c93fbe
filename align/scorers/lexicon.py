"""A bilingual lexicon learned from a first alignment (hunalign's second pass, model-free).

Words that keep turning up together in the confident beads of the first pass,
far more often than their frequencies predict, are probably translations
("Gipfel" / "sommet"). Each such pair becomes a new anchor shared by the
sentences that contain the two words, so the second pass sees links that no
spelling similarity could show.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Final

import numpy as np

MIN_BEADS: Final = 30  # fewer confident beads teach nothing reliable
MIN_COOCCURRENCE: Final = 2
MIN_DICE: Final = 0.5
MIN_LIFT: Final = 4.0  # together at least 4 times as often as chance: rules out "the" / "die"


def learn_lexicon(
    pairs: Iterable[tuple[frozenset[str], frozenset[str]]],
) -> dict[tuple[str, str], float]:
    """Word pairs with their Dice association over aligned sentence-group pairs.

    ``pairs`` holds the word sets of the source and target side of each
    confident bead. Pairs seen fewer than MIN_COOCCURRENCE times, with a Dice
    below MIN_DICE or a lift (observed / expected by chance) below MIN_LIFT are
    dropped; words equal on both sides are left to the cognate anchors. Fewer
    than MIN_BEADS beads give an empty lexicon.
    """
    pairs = list(pairs)
    if len(pairs) < MIN_BEADS:
        return {}
    src_df = _document_frequencies(src for src, _ in pairs)
    tgt_df = _document_frequencies(tgt for _, tgt in pairs)
    src_id, tgt_id = _useful_words(src_df, len(pairs)), _useful_words(tgt_df, len(pairs))
    if not src_id or not tgt_id:
        return {}
    together = _cooccurrences(pairs, src_id, tgt_id)
    src_vocab, tgt_vocab = list(src_id), list(tgt_id)
    lexicon = {}
    for (s_k, t_k), count in together.items():
        source, target = src_vocab[s_k], tgt_vocab[t_k]
        dice = 2.0 * count / (src_df[source] + tgt_df[target])
        lift = count * len(pairs) / (src_df[source] * tgt_df[target])
        if count >= MIN_COOCCURRENCE and dice >= MIN_DICE and lift >= MIN_LIFT and source != target:
            lexicon[(source, target)] = dice
    return lexicon


def _document_frequencies(sides: Iterable[frozenset[str]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for words in sides:
        counts.update(words)
    return counts


def _useful_words(df: Counter[str], beads: int) -> dict[str, int]:
    """Words that could pass the filters: seen MIN_COOCCURRENCE times, in at most 1/MIN_LIFT of the beads.

    (A pair's lift is at most beads / max(df), so a word in more beads can never reach MIN_LIFT.)
    """
    useful = (w for w, count in df.items() if MIN_COOCCURRENCE <= count <= beads / MIN_LIFT)
    return {word: k for k, word in enumerate(useful)}


def _cooccurrences(
    pairs: list[tuple[frozenset[str], frozenset[str]]], src_id: dict[str, int], tgt_id: dict[str, int]
) -> dict[tuple[int, int], int]:
    """How many beads hold each (source word, target word) pair, counted as integer keys in numpy."""
    width = len(tgt_id)
    dtype = np.int32 if len(src_id) * width < 2**31 else np.int64
    keys = []
    for src_words, tgt_words in pairs:
        s: np.ndarray = np.array([src_id[w] for w in src_words if w in src_id], dtype=dtype)
        t: np.ndarray = np.array([tgt_id[w] for w in tgt_words if w in tgt_id], dtype=dtype)
        if len(s) and len(t):
            keys.append((s[:, None] * width + t[None, :]).ravel())
    if not keys:
        return {}
    unique, counts = np.unique(np.concatenate(keys), return_counts=True)
    frequent = counts >= MIN_COOCCURRENCE
    s_ids, t_ids = np.divmod(unique[frequent], width)
    return {(int(s), int(t)): int(c) for s, t, c in zip(s_ids, t_ids, counts[frequent], strict=True)}


def lexicon_anchors(
    words: Sequence[frozenset[str]], lexicon: dict[tuple[str, str], float], *, side: int
) -> list[tuple[str, ...]]:
    """For each sentence, the anchors ``lex:src|tgt`` of the lexicon entries whose ``side`` word it holds."""
    by_word: dict[str, list[str]] = {}
    for pair in lexicon:
        by_word.setdefault(pair[side], []).append(f"lex:{pair[0]}|{pair[1]}")
    return [tuple(anchor for word in sent for anchor in by_word.get(word, ())) for sent in words]
