"""Synthetic parallel documents of any length, with their gold beads, for memory and speed runs.

The source is random "words"; the target replaces each word by a fixed
pseudo-translation (a little longer, as French is to German), then merges,
splits, inserts and drops sentences at known places. Nothing here is real
text, so it can be as long as a benchmark needs.
"""

from __future__ import annotations

import random
import string
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # run as `python benchmarks/x.py` without installing
    sys.path.insert(0, str(REPO_ROOT))

from align import Bead

VOCABULARY_SIZE = 5000


@dataclass(frozen=True)
class SyntheticPair:
    src: list[str]
    tgt: list[str]
    gold: list[Bead]


def _word(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(low, high)))


def synthetic_pair(sentences: int, *, seed: int = 1) -> SyntheticPair:
    """About ``sentences`` source sentences and their edited pseudo-translation."""
    rng = random.Random(seed)
    vocabulary = [_word(rng, 2, 10) for _ in range(VOCABULARY_SIZE)]
    translation = {word: _word(rng, len(word), len(word) + 3) for word in vocabulary}
    src: list[str] = []
    tgt: list[str] = []
    gold: list[Bead] = []
    while len(src) < sentences:
        words = rng.choices(vocabulary, k=rng.randint(4, 30))
        if rng.random() < 0.2:
            words.insert(rng.randrange(len(words)), str(rng.randint(1, 3000)))
        sentence = " ".join(words).capitalize() + "."
        translated = " ".join(translation.get(w, w) for w in words).capitalize() + "."
        _add(rng, sentence, translated, src, tgt, gold)
    return SyntheticPair(src, tgt, gold)


def _add(rng: random.Random, sentence: str, translated: str, src: list[str], tgt: list[str], gold: list[Bead]) -> None:
    roll = rng.random()
    i, j = len(src), len(tgt)
    if roll < 0.02:  # dropped in translation
        src.append(sentence)
        gold.append(Bead((i,), ()))
    elif roll < 0.04:  # a caption only the target has
        src.append(sentence)
        tgt.extend([f"Fig. {rng.randint(1, 99)}", translated])
        gold.extend([Bead((), (j,)), Bead((i,), (j + 1,))])
    elif roll < 0.10:  # split in two
        words = translated.split()
        cut = max(1, len(words) // 2)
        src.append(sentence)
        tgt.extend([" ".join(words[:cut]) + ".", " ".join(words[cut:]).capitalize()])
        gold.append(Bead((i,), (j, j + 1)))
    elif roll < 0.16 and gold and len(gold[-1].src) == 1 and len(gold[-1].tgt) == 1:  # merged with the previous one
        tgt[-1] = tgt[-1] + " " + translated
        src.append(sentence)
        last = gold.pop()
        gold.append(Bead((last.src[0], i), last.tgt))
    else:
        src.append(sentence)
        tgt.append(translated)
        gold.append(Bead((i,), (j,)))
