"""Model-free sentence features: lengths, cross-script anchors, junk-line detection.

Anchors are strings that survive translation between de, en, es, fr and ru:
numbers, month names, names and cognates (through a Cyrillic-to-Latin
transliteration and de-accenting), and a few punctuation marks. Two sentences that share rare
anchors are probably translations of each other.
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from align.languages import SUPPORTED_LANGS, month_names, transliterate

# "8 848,6 m" -> "8 848,6"; "1881-1902" -> "1881", "1902"; "19." -> "19"
NUMBER_RE: Final = re.compile(r"\d+(?:[ .,'\u00a0\u202f]\d{3})*(?:[.,]\d+)?")
# "Kangchendzönga-Massivs" -> "Kangchendzönga", "Massivs"; "aujourd'hui" -> "aujourd", "hui"
WORD_RE: Final = re.compile(r"[^\W\d_]+", re.UNICODE)
# marks that translations keep: "Comment expliquer ... ?" -> "?"
PUNCT_ANCHOR_RE: Final = re.compile(r"[?!:;()\[\]«»\"“”„%€$§]")
# words for the learned lexicon: "Gipfel-Grat , l' arête" -> "gipfel", "grat", "arete"
LEXICON_WORD_RE: Final = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
# a short line of whole words ending a sentence, as in dialogue: "Ja." / "— Oui." / "„Bist du sicher?“",
# French with its (narrow no-break) space before the mark: "— Froid ?" / "« Oui ! »"; Spanish opens with ¿¡ ("— ¿Frío?")
DIALOGUE_LINE_RE: Final = re.compile(r"^[-–—«»„“\"'¿¡\s]*[^\W\d_]{2,}(?:[ ,'’-]+[^\W\d_]+)*\s*[.?!…]+[»“”\"'\s]*$")
# what any line of text holds and OCR debris lacks: a word of two letters or a digit
FRAGMENT_TEXT_RE: Final = re.compile(r"[^\W\d_]{2}|\d")
# a word that starts in lowercase: "Mit 3 Bildern und" -> "und"; "Photo Schweiz" -> none
LOWER_WORD_RE: Final = re.compile(r"(?<![^\W\d_])[a-zß-ÿа-яё][^\W\d_]*")

_SPELLING_FOLDS: Final[tuple[tuple[str, str], ...]] = (
    # spellings that differ between languages for the same sound: "Kanchenjunga" / "Kangchendzönga"
    ("ph", "f"), ("th", "t"), ("kh", "k"), ("ck", "k"), ("c", "k"), ("q", "k"), ("z", "s"),
    ("y", "i"), ("w", "v"), ("j", "i"), ("x", "ks"),
)  # fmt: skip

# month names in de/en/es/fr/ru (CLDR's, as transliterate spells them: "октября" -> "oktiabria")
# -> month number: dates are frequent anchors in press texts ("19 октября" / "October 19" / "19. Oktober").
# English "may" is left out: it is mostly a verb.
MONTHS: Final[dict[str, int]] = {
    transliterate(name): number
    for lang in SUPPORTED_LANGS
    for name, number in month_names(lang).items()
    if transliterate(name) != "may"
}
COGNATE_PREFIX: Final = 5  # "expedition"/"expédition"/"экспедиция" -> "ekspe"
MIN_COGNATE_WORD: Final = 4


def fold_spelling(word: str) -> str:
    """Merge spellings that vary across languages: ``"expedition"`` -> ``"ekspedition"``."""
    for old, new in _SPELLING_FOLDS:
        word = word.replace(old, new)
    return word


def char_length(sentence: str) -> int:
    """Length without whitespace, so tokenised (``"Fluss , was"``) and raw text agree."""
    return len("".join(sentence.split()))


def numbers(sentence: str) -> list[str]:
    """Numbers with thousands separators removed: ``"8 848,6 m"`` -> ``["8848,6"]``."""
    found = []
    for match in NUMBER_RE.finditer(sentence):
        digits = re.sub(r"[ .,'\u00a0\u202f](?=\d{3}\b)", "", match.group())
        found.append(digits.replace(".", ","))
    return found


def anchor_features(sentence: str) -> list[str]:
    """Anchors of one sentence, each prefixed by its kind: ``num:1955``, ``cog:ekspe``, ``pun:?``.

    The strings are interned: long documents repeat them thousands of times.
    """
    features = [f"num:{number}" for number in numbers(sentence)]
    for word in WORD_RE.findall(transliterate(sentence)):
        if word in MONTHS:
            features.append(f"mon:{MONTHS[word]}")
        elif len(word) >= MIN_COGNATE_WORD:
            features.append(f"cog:{fold_spelling(word)[:COGNATE_PREFIX]}")
    features.extend(f"pun:{mark}" for mark in PUNCT_ANCHOR_RE.findall(sentence.replace("«", '"')))
    return [sys.intern(feature) for feature in features]


def junk_score(sentence: str) -> float:
    """How much a line looks like a caption, credit or OCR fragment rather than a sentence (0..1).

    ``"1Ê+ :"`` -> 1.0, ``"Mit 3 Bildern und Karten"`` -> 0.75, a normal sentence -> 0.0, a short
    dialogue reply (``"Ja."``, ``"— Oui."``) 0.5: forgiving it as much as a fragment made it cheap to
    leave out or glue on (leave-one-out over all the gold: embedding +0.0003, no fold worse;
    model-free +0.0002, benchmarks/README.md).
    """
    letters = sum(ch.isalpha() for ch in sentence)
    lower_words = len(LOWER_WORD_RE.findall(sentence))
    if letters < 4 or lower_words == 0:
        # "Ja." / "— Oui." / "„Danke!“": a whole short sentence (dialogue) is not a fragment
        return 0.5 if DIALOGUE_LINE_RE.search(sentence) else 1.0
    score = 0.0
    if lower_words <= 2:
        score += 0.5
    if not sentence.rstrip().endswith((".", "?", "!", ":", ";", "»", '"', "…")):
        score += 0.25
    if sentence.isupper():
        score += 0.25
    return min(score, 1.0)


def is_fragment(sentence: str) -> bool:
    """No word of two letters and no digit: OCR debris (``"....."``, ``"- _-"``, ``"h * \""``), never text."""
    return not FRAGMENT_TEXT_RE.search(sentence)


@dataclass(frozen=True, slots=True)
class SentenceFeatures:
    """Per-sentence features of one side of a pair."""

    lengths: tuple[int, ...]
    anchors: tuple[tuple[str, ...], ...]
    junk: tuple[float, ...]
    words: tuple[frozenset[str], ...]
    fragments: tuple[bool, ...]


def sentence_words(sentence: str) -> frozenset[str]:
    return frozenset(sys.intern(word) for word in LEXICON_WORD_RE.findall(transliterate(sentence)))


def extract(sentences: Sequence[str]) -> SentenceFeatures:
    return SentenceFeatures(
        lengths=tuple(char_length(s) for s in sentences),
        anchors=tuple(tuple(anchor_features(s)) for s in sentences),
        junk=tuple(junk_score(s) for s in sentences),
        words=tuple(sentence_words(s) for s in sentences),
        fragments=tuple(is_fragment(s) for s in sentences),
    )


def idf_weights(
    src: SentenceFeatures, tgt: SentenceFeatures, *, one_sided: float = 1.0
) -> dict[str, float]:
    """Weight of each anchor: rare = informative (idf over the sentences of both sides).

    A number found on one side only can never match; it weighs ``one_sided``
    times its idf, so that a sentence full of unmatched numbers looks less like
    a translation of anything. Other one-sided anchors (words that are no
    cognates) weigh nothing.
    """
    df_src = Counter(f for feats in src.anchors for f in set(feats))
    df_tgt = Counter(f for feats in tgt.anchors for f in set(feats))
    n_docs = len(src.anchors) + len(tgt.anchors) + 1
    weights = {}
    for feature in df_src.keys() | df_tgt.keys():
        idf = math.log(n_docs / (df_src[feature] + df_tgt[feature]))
        if feature in df_src and feature in df_tgt:
            weights[feature] = idf
        elif feature.startswith("num:"):
            weights[feature] = one_sided * idf
    return weights
