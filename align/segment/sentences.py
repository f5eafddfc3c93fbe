"""Sentence segmentation for diplomatic prose in de, en, es, fr and ru.

A boundary candidate is a run of terminal punctuation (``.``, ``!``, ``?``,
``…``) with the closing quotes and brackets that follow it, then whitespace.
It becomes a boundary when the next word starts like a sentence (upper-case
letter or digit, possibly behind an opening quote, bracket or dash) and, for a
lone ``.``, when the word before it is not an abbreviation, an initial, a list
number or (German) an ordinal. Every language has its own abbreviation lists;
other languages use a generic set. Sentences never cross a paragraph: each
paragraph is split on its own.

Example::

    >>> split_sentences("Г-жа Ф.Могерини позвонила С.В.Лавров, т.е. мне. Мы говорили и т.д. Спасибо.", "ru")
    ['Г-жа Ф.Могерини позвонила С.В.Лавров, т.е. мне.', 'Мы говорили и т.д.', 'Спасибо.']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from align.languages import SUPPORTED_LANGS, month_names, primary_language

__all__ = ["SUPPORTED_LANGS", "Sentence", "segment_paragraphs", "split_sentences"]

# Terminal punctuation, the closers glued to it, then whitespace:
# 'bereit.“ Die' -> end='.“'; 'prêts. » La' -> end='. »'; 'so?! Das' -> end='?!'
BOUNDARY_CANDIDATE = re.compile(r"(?P<end>[.!?…]+(?:[\u00a0\u202f ]?»|[”“\"’')\]])*)(?=\s+\S)")

# The next sentence's first letter, behind openers and dashes:
# ' «¿Qué' -> 'Q'; ' – спросил' -> 'с'; ' (Applause' -> 'A'
NEXT_WORD_START = re.compile(r"\s*[«„“\"‘'(\[¿¡–—-]*\s*(?P<first>\S)")

# Characters that may precede an abbreviation or initial: start, space, openers, slash.
_WORD_START = r"(?<![^\s(\[«„“\"‘'/])"

# One or more initials before the period: 'С.В' (С.В.Лавров), 'J.-M' (J.-M. Ayrault), 'V' (V. Putin)
INITIALS = re.compile(_WORD_START + r"(?:[A-ZÀ-ÖØ-ÞА-ЯЁ]\.-?\s?)*[A-ZÀ-ÖØ-ÞА-ЯЁ]\Z")

# A list number alone at the start of a sentence: '1' (1. Erstens ...), 'b', 'IV'
LIST_MARKER = re.compile(r"\A\s*(?:\d{1,3}|[a-z]|[IVX]{1,4})\Z")

# German ordinal after an article or contracted preposition: 'am 19' (am 19. Oktober), 'der 70' (der 70. Tagung)
GERMAN_ORDINAL_AFTER_ARTICLE = re.compile(
    r"(?<!\w)(?i:am|vom|zum|im|beim|zur|der|die|das|den|dem|des"
    r"|(?:ein|ihr|sein|unser)(?:e[mnrs]?)?|dies(?:e[mnrs]?)|jede[mnrs]?)\s+\d{1,4}\Z"
)
# German ordinal before a month: '19' + 'Oktober' (19. Oktober 2016); CLDR's names, Austrian 'Jänner' too
_GERMAN_MONTH_NAMES = {**month_names("de"), **month_names("de_AT")}
GERMAN_MONTH = re.compile(r"\s*(?:" + "|".join(map(re.escape, _GERMAN_MONTH_NAMES)) + r")\b")
TRAILING_NUMBER = re.compile(r"(?<![\d.,])\d{1,4}\Z")  # 'am 19' -> '19'

# Abbreviations are written with their inner periods ('z.B'); a space may follow each inner period.
# Never followed by a sentence end, even before a capital ('Mr. Ayrault', 'т.е. Россия', 'z. B. Berlin').
NON_TERMINAL: dict[str, tuple[str, ...]] = {
    "generic": ("Mr", "Mrs", "Ms", "Dr", "Prof", "St", "e.g", "i.e", "vs", "cf"),
    "en": (
        "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Gen", "Col", "Lt", "Sen", "Rep", "Gov", "Amb",
        "e.g", "i.e", "vs", "cf", "approx", "Yu", "Ya", "Zh",  # Yu. Ushakov
    ),
    "de": (
        "Dr", "Prof", "Hr", "Hrn", "Fr", "St", "z.B", "d.h", "u.a", "v.a", "bzw", "vgl", "sog", "ca", "ggf",
        "Mio", "Mrd", "ehem", "gem", "inkl", "evtl", "i.d.R", "z.T", "u.U", "o.g", "a.D",
    ),
    "es": (
        "Sr", "Sra", "Sres", "Srta", "Dr", "Dra", "Excmo", "Excma", "Ilmo", "Lic", "Ud", "Uds", "Dña",
        "p.ej", "aprox", "vs", "cf",
    ),
    "fr": ("M", "MM", "Mme", "Mmes", "Mlle", "Me", "Dr", "Pr", "St", "Ste", "c.-à-d", "p.ex", "cf", "env", "Env", "av"),
    "ru": (
        "т.е", "т.к", "т.н", "т.ч", "напр", "ок", "см", "им", "ул", "проф", "акад", "ген", "тов", "млн", "млрд",
        "трлн", "тыс", "Дж",  # Дж. Керри (J. Kerry)
    ),
}
# Not a sentence end when a number follows: 'No. 2254', 'Art. 51', 'p. 3', 'S. 3', 'ст. 51', 'п. 2'.
BEFORE_NUMBER: dict[str, tuple[str, ...]] = {
    "generic": ("No", "Nr", "Art", "art", "p", "pp"),
    "en": (
        "No", "Nos", "Art", "art", "p", "pp", "para", "Ch", "Vol", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul",
        "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    ),
    "de": ("Nr", "Art", "Abs", "S", "Ziff", "Bd", "Kap"),
    "es": ("art", "Art", "núm", "Núm", "p", "pág", "págs", "cap"),
    "fr": ("art", "Art", "p", "n", "no", "chap"),
    "ru": ("ст", "п", "пп", "с", "стр", "гл", "ч", "рис"),
}
# Spans never split: 'млрд. долл. США' (a currency name, not a sentence end)
PROTECTED: dict[str, str | None] = {"ru": r"долл\.\s+США"}
# 'г.' is 'city' before a name ('в г. Москве'), but 'year' after a number ('в 2016 г. Мы ...').
RUSSIAN_CITY_ABBREVIATION = re.compile(r"(?<!\d\s)" + _WORD_START + r"г\Z")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence and the index of the paragraph it comes from."""

    para: int
    text: str


@dataclass(frozen=True)
class LanguageRules:
    """The compiled abbreviation patterns of one language."""

    lang: str
    non_terminal: re.Pattern[str]
    before_number: re.Pattern[str]
    protected: re.Pattern[str] | None


def split_sentences(paragraph: str, lang: str) -> list[str]:
    """Split one paragraph into sentences.

    Parameters
    ----------
    paragraph
        One paragraph of running text.
    lang
        ISO 639-1 code (``"de"``, ``"de-DE"`` ...); languages other than de, en,
        es, fr, ru get a generic rule set.

    Returns
    -------
    list[str]
        The sentences in order, stripped, none empty; they are the paragraph
        cut at whitespace, nothing added or dropped.

    Examples
    --------
    >>> split_sentences("Wir trafen uns am 19. Oktober, z. B. mit Herrn Ayrault. Danke.", "de")
    ['Wir trafen uns am 19. Oktober, z. B. mit Herrn Ayrault.', 'Danke.']
    """
    rules = rules_for(lang)
    protected = _protected_spans(paragraph, rules)
    sentences: list[str] = []
    start = 0
    for candidate in BOUNDARY_CANDIDATE.finditer(paragraph):
        end = candidate.end()
        if any(lo < end < hi for lo, hi in protected):
            continue
        if _is_boundary(paragraph, start, candidate, rules):
            sentences.append(paragraph[start:end].strip())
            start = end
    sentences.append(paragraph[start:].strip())
    return [sentence for sentence in sentences if sentence]


def segment_paragraphs(paragraphs: Iterable[str], lang: str) -> list[Sentence]:
    """Sentences of every paragraph, in order, each tagged with its paragraph index.

    A sentence never crosses a paragraph; empty paragraphs give no sentence
    but keep their index.

    >>> segment_paragraphs(["Mr. Lavrov spoke. Thanks.", "", "Ende."], "en")
    [Sentence(para=0, text='Mr. Lavrov spoke.'), Sentence(para=0, text='Thanks.'), Sentence(para=2, text='Ende.')]
    """
    return [
        Sentence(para, text)
        for para, paragraph in enumerate(paragraphs)
        for text in split_sentences(paragraph, lang)
    ]


def _is_boundary(paragraph: str, start: int, candidate: re.Match[str], rules: LanguageRules) -> bool:
    next_word = NEXT_WORD_START.match(paragraph, candidate.end())
    if next_word is None:
        return False
    first = next_word.group("first")
    if not (first.isupper() or first.isdigit()):
        return False
    if candidate.start() > 0 and paragraph[candidate.start() - 1] in "[(":
        return False  # an omission mark: 'Wir haben […] beschlossen'
    if candidate.group("end") != ".":
        return True  # '!', '?', '?!', an ellipsis, or a period with a closing quote/bracket
    return not _period_belongs_to_word(paragraph, start, candidate.start(), first.isdigit(), rules)


def _period_belongs_to_word(
    paragraph: str, start: int, period: int, digit_follows: bool, rules: LanguageRules
) -> bool:
    """True when the period before ``period`` ends an abbreviation, initial, list number or ordinal."""
    window = max(start, period - 40)
    if rules.non_terminal.search(paragraph, window, period) or INITIALS.search(paragraph, window, period):
        return True
    if digit_follows and rules.before_number.search(paragraph, window, period):
        return True
    if LIST_MARKER.match(paragraph[start:period]):
        return True
    if rules.lang == "ru" and RUSSIAN_CITY_ABBREVIATION.search(paragraph, window, period):
        return True
    return rules.lang == "de" and _is_german_ordinal(paragraph, window, period)


def _is_german_ordinal(paragraph: str, window: int, period: int) -> bool:
    if not TRAILING_NUMBER.search(paragraph, window, period):
        return False
    return bool(
        GERMAN_MONTH.match(paragraph, period + 1)
        or GERMAN_ORDINAL_AFTER_ARTICLE.search(paragraph, window, period)
    )


def _protected_spans(paragraph: str, rules: LanguageRules) -> list[tuple[int, int]]:
    if rules.protected is None:
        return []
    return [match.span() for match in rules.protected.finditer(paragraph)]


@cache
def rules_for(lang: str) -> LanguageRules:
    """Rules for ``lang`` ('de', 'de-DE' ...); unknown languages get the generic set."""
    code = primary_language(lang)
    key = code if code in SUPPORTED_LANGS else "generic"
    protected = PROTECTED.get(key)
    return LanguageRules(
        lang=key,
        non_terminal=_abbreviation_pattern(_with_inner_prefixes(NON_TERMINAL[key])),
        before_number=_abbreviation_pattern(BEFORE_NUMBER[key]),
        protected=re.compile(protected) if protected else None,
    )


def _abbreviation_pattern(abbreviations: Sequence[str]) -> re.Pattern[str]:
    """``("z.B", "Dr")`` -> a pattern matching ``z.B``, ``z. B`` or ``Dr`` right before the period."""
    alternatives = sorted((re.escape(a).replace(r"\.", r"\.\s?") for a in abbreviations), key=len, reverse=True)
    return re.compile(_WORD_START + "(?:" + "|".join(alternatives) + r")\Z")


def _with_inner_prefixes(abbreviations: Sequence[str]) -> tuple[str, ...]:
    """``("z.B", "c.-à-d")`` -> also ``"z"``, ``"c"``: the period after ``z`` in ``z. B.`` is no end either."""
    prefixes = {a[:i] for a in abbreviations for i, char in enumerate(a) if char == "."}
    return tuple(abbreviations) + tuple(sorted(prefixes))
