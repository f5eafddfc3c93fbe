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
    src_df: Counter[str] = Counter()
    tgt_df: Counter[str] = Counter()
    together: Counter[tuple[str, str]] = Counter()
    for src_words, tgt_words in pairs:
        src_df.update(src_words)
        tgt_df.update(tgt_words)
        together.update((s, t) for s in src_words for t in tgt_words if s != t)
    lexicon = {}
    for (s, t), count in together.items():
        dice = 2.0 * count / (src_df[s] + tgt_df[t])
        lift = count * len(pairs) / (src_df[s] * tgt_df[t])
        if count >= MIN_COOCCURRENCE and dice >= MIN_DICE and lift >= MIN_LIFT:
            lexicon[(s, t)] = dice
    return lexicon


def lexicon_anchors(
    words: Sequence[frozenset[str]], lexicon: dict[tuple[str, str], float], *, side: int
) -> list[tuple[str, ...]]:
    """For each sentence, the anchors ``lex:src|tgt`` of the lexicon entries whose ``side`` word it holds."""
    by_word: dict[str, list[str]] = {}
    for pair in lexicon:
        by_word.setdefault(pair[side], []).append(f"lex:{pair[0]}|{pair[1]}")
    return [tuple(anchor for word in sent for anchor in by_word.get(word, ())) for sent in words]
