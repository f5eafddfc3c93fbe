"""A bilingual lexicon learned from a first alignment (hunalign's second pass, model-free).

Words that keep turning up together in the confident beads of the first pass,
far more often than their frequencies predict, are probably translations
("Gipfel" / "sommet"). Each such pair becomes a new anchor shared by the
sentences that contain the two words, so the second pass sees links that no
spelling similarity could show.
"""

from __future__ import annotations

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
    than MIN_BEADS beads give an empty lexicon. Co-occurrences are counted as
    integer keys in numpy, so long documents need little memory.
    """
    pairs = list(pairs)
    if len(pairs) < MIN_BEADS:
        return {}
    src_vocab = sorted(set().union(*(src for src, _ in pairs)))
    tgt_vocab = sorted(set().union(*(tgt for _, tgt in pairs)))
    src_id = {word: k for k, word in enumerate(src_vocab)}
    tgt_id = {word: k for k, word in enumerate(tgt_vocab)}
    src_df = np.zeros(len(src_vocab), dtype=np.int64)
    tgt_df = np.zeros(len(tgt_vocab), dtype=np.int64)
    keys = []
    for src_words, tgt_words in pairs:
        s = np.fromiter((src_id[w] for w in src_words), dtype=np.int64, count=len(src_words))
        t = np.fromiter((tgt_id[w] for w in tgt_words), dtype=np.int64, count=len(tgt_words))
        src_df[s] += 1
        tgt_df[t] += 1
        keys.append((s[:, None] * len(tgt_vocab) + t[None, :]).ravel())
    if not keys:
        return {}
    unique, together = np.unique(np.concatenate(keys), return_counts=True)
    s_ids, t_ids = np.divmod(unique, max(len(tgt_vocab), 1))
    dice = 2.0 * together / (src_df[s_ids] + tgt_df[t_ids])
    lift = together * len(pairs) / (src_df[s_ids] * tgt_df[t_ids])
    keep = (together >= MIN_COOCCURRENCE) & (dice >= MIN_DICE) & (lift >= MIN_LIFT)
    lexicon = {}
    for s_k, t_k, value in zip(s_ids[keep], t_ids[keep], dice[keep], strict=True):
        if src_vocab[s_k] != tgt_vocab[t_k]:
            lexicon[(src_vocab[s_k], tgt_vocab[t_k])] = float(value)
    return lexicon


def lexicon_anchors(
    words: Sequence[frozenset[str]], lexicon: dict[tuple[str, str], float], *, side: int
) -> list[tuple[str, ...]]:
    """For each sentence, the anchors ``lex:src|tgt`` of the lexicon entries whose ``side`` word it holds."""
    by_word: dict[str, list[str]] = {}
    for pair in lexicon:
        by_word.setdefault(pair[side], []).append(f"lex:{pair[0]}|{pair[1]}")
    return [tuple(anchor for word in sent for anchor in by_word.get(word, ())) for sent in words]
