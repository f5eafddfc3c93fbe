"""Small, schema-exact frames for export tests.

The English sentences come from the reference mid.ru item
(/work/shared/seeds/000_17845c7145a80987.txt); the Russian and German ones are
our own translations, written for these tests (some deliberately merge or split
sentences so that the frames hold 1-1, 2-1, 1-2 and 1-0 units).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path

import polars as pl

from align.store.delta import frame_path
from align.store.schemas import ALIGNMENTS_SCHEMA, DOCUMENTS_SCHEMA, SENTENCES_SCHEMA, units_schema
from align.store.tables import make_provenance, write_frame

DOC_ID = "mid.ru:1527258"
UnitSpec = dict[str, list[str]]

SAMPLE_UNITS: list[UnitSpec] = [
    {"ru": ["Дамы и господа!"], "en": ["Ladies and gentlemen,"], "de": ["Meine Damen und Herren,"]},
    {  # ru 2 : en 1
        "ru": [
            "Сегодня мы провели обстоятельные переговоры с моим французским коллегой.",
            "Это министр иностранных дел и международного развития Франции Жан-Марк Эро.",
        ],
        "en": [
            ("Today we held in-depth discussions with my French colleague, Minister of Foreign Affairs "
            "and International Development Jean-Marc Ayrault.")
        ],
        "de": [
            "Heute haben wir ausführliche Gespräche mit meinem französischen Kollegen Jean-Marc Ayrault geführt."
        ],
    },
    {  # ru 1 : en 2
        "ru": [
            ("Мы обсудили подготовку визита Президента России Владимира Путина во Францию и надеемся, "
            "что он придаст новый импульс отношениям между нашими странами.")
        ],
        "en": [
            "We discussed preparations for the October 19 visit of President of Russia Vladimir Putin to France.",
            "We hope this visit will provide fresh impetus to relations between our countries.",
        ],
        "de": [
            "Wir haben den Besuch von Präsident Wladimir Putin in Frankreich vorbereitet.",
            "Wir hoffen, dass er unseren Beziehungen neue Impulse gibt.",
        ],
    },
    {
        "ru": ["Франция — давний партнёр России, и нам небезразлично качество наших отношений с ней."],
        "en": [
            "France is a long-time partner of Russia, and we deeply care about the quality of our relations with it."
        ],
        "de": [
            "Frankreich ist ein langjähriger Partner Russlands, und uns liegt viel an unseren Beziehungen."
        ],
    },
    {
        "ru": ["В центре переговоров была ситуация в Сирии и вокруг неё."],
        "en": ["Our talks focused on the situation in and around Syria."],
        "de": ["Im Mittelpunkt der Gespräche stand die Lage in und um Syrien."],
    },
    {"ru": ["Спасибо."], "en": [], "de": []},  # ru 1 : en 0
]
SAMPLE_SCORES = [0.93, 0.71, 0.64, 0.88, 0.9, 0.2]


@dataclass(frozen=True)
class Frames:
    documents: pl.DataFrame
    sentences: pl.DataFrame
    alignments: pl.DataFrame
    units: pl.DataFrame

    def write(self, data_dir: Path) -> Path:
        prov = make_provenance(aligner="test-factory", scorer="fixed", scorer_params={"k": 1})
        for name in ("documents", "sentences", "alignments", "units"):
            write_frame(getattr(self, name), frame_path(data_dir, name), provenance=prov)
        return data_dir


def make_documents(doc_id: str, langs: tuple[str, ...], original_lang: str | None = "ru") -> pl.DataFrame:
    when = datetime(2016, 10, 6, 19, 14, tzinfo=UTC)
    return pl.DataFrame(
        [
            {
                "doc_id": doc_id,
                "lang": lang,
                "url": f"https://www.mid.ru/{lang}/news/1527258",
                "title": "Press conference",
                "published": when,
                "doc_number": "1815-06-10-2016",
                "paragraphs": ["p"],
                "para_kinds": ["text"],
                "original_lang": original_lang,
                "detected_lang": lang,
                "lang_confidence": 0.99,
                "fetched_at": when,
                "html_sha256": "0" * 64,
            }
            for lang in langs
        ],
        schema=DOCUMENTS_SCHEMA,
    )


def _numbered(spec: list[UnitSpec], langs: tuple[str, ...]) -> list[dict[str, list[int]]]:
    """Sentence indices of each unit, per language, counted through the document."""
    counters = dict.fromkeys(langs, 0)
    numbered = []
    for unit in spec:
        groups = {}
        for lang in langs:
            groups[lang] = list(range(counters[lang], counters[lang] + len(unit.get(lang, []))))
            counters[lang] += len(unit.get(lang, []))
        numbered.append(groups)
    return numbered


def make_frames(
    spec: list[UnitSpec] | None = None,
    scores: list[float | None] | None = None,
    *,
    doc_id: str = DOC_ID,
    langs: tuple[str, ...] = ("ru", "en", "de"),
    pivot: str = "ru",
) -> Frames:
    """Frames of one document whose units are ``spec`` (lang -> sentences), in every schema."""
    spec = SAMPLE_UNITS if spec is None else spec
    scores = SAMPLE_SCORES if scores is None else scores
    indices = _numbered(spec, langs)
    sentences = [
        {"doc_id": doc_id, "lang": lang, "para": u, "sent": i, "text": text}
        for lang in langs
        for u, (unit, groups) in enumerate(zip(spec, indices, strict=True))
        for i, text in zip(groups[lang], unit.get(lang, []), strict=True)
    ]
    units = [
        {"doc_id": doc_id, "unit": u, "score": scores[u]}
        | {f"text_{lang}": " ".join(unit.get(lang, [])) for lang in langs}
        | {f"sents_{lang}": indices[u][lang] for lang in langs}
        for u, unit in enumerate(spec)
    ]
    alignments = []
    for a, b in combinations(langs, 2):
        src, tgt = (a, b) if a == pivot or (b != pivot and a < b) else (b, a)
        for u, unit in enumerate(spec):
            s, t = unit.get(src, []), unit.get(tgt, [])
            if s or t:
                alignments.append(
                    {
                        "doc_id": doc_id,
                        "src_lang": src,
                        "tgt_lang": tgt,
                        "src_sents": indices[u][src],
                        "tgt_sents": indices[u][tgt],
                        "src_text": " ".join(s),
                        "tgt_text": " ".join(t),
                        "score": scores[u],
                        "kind": f"{len(s)}-{len(t)}",
                    }
                )
    return Frames(
        documents=make_documents(doc_id, langs),
        sentences=pl.DataFrame(sentences, schema=SENTENCES_SCHEMA),
        alignments=pl.DataFrame(alignments, schema=ALIGNMENTS_SCHEMA),
        units=pl.DataFrame(units, schema=units_schema(list(langs))),
    )
