"""Small five-language frames whose translation facts are known, for the study tests and the notebook test.

Text: the English sentences come from the English version of the reference
page (/work/shared/seeds/000_17845c7145a80987.txt), a few of them shortened or
merged on purpose; the Russian, German, Spanish and French sentences are our
own translations of them, written for these tests. No other text is used.

What the frames contain, by construction (the tests rely on it):

* two items, original language Russian, languages de/en/es/fr/ru;
* merges: ``A:2`` (two Russian sentences, one English: kind ``2-1`` for ru-en),
  ``B:5`` (two Russian sentences, one Spanish);
* splits: ``A:3`` (one Russian sentence, two German), ``B:3`` (two French);
* omissions: ``A:4`` has no French, ``B:2`` has no German and no Spanish;
* addition: ``A:5`` exists only in English and Spanish (no Russian original);
* low scores: ``A:5`` 0.30, ``A:6`` 0.42, ``B:5`` 0.45 (everything else >= 0.8);
* a length outlier: in ``A:8`` the German is one word ("Danke.");
* a recurring term, "Совет Безопасности ООН" (``A:4``, ``A:7``, ``B:1``), rendered
  "UN Security Council" (en), "Consejo de Seguridad de la ONU" (es),
  "Conseil de sécurité de l'ONU" (fr, absent from ``A:4``), and in German
  "UN-Sicherheitsrat", "Weltsicherheitsrat", "UN-Sicherheitsrates";
* names: "Алеппо" (``A:6``, ``B:0``) -> Aleppo / Alepo / Alep;
  "Путин" (``A:2``) -> Putin / Poutine; "Лавров" (``B:4``) -> Lavrov / Lawrow.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from typing import Final

import polars as pl

from align.store.delta import frame_path
from align.store.schemas import ALIGNMENTS_SCHEMA, DOCUMENTS_SCHEMA, SENTENCES_SCHEMA, units_schema
from align.store.tables import make_provenance, write_frame

LANGS: Final = ("ru", "de", "en", "es", "fr")
ORIGINAL: Final = "ru"
DOC_A: Final = "test.mid.ru:1001"
DOC_B: Final = "test.mid.ru:1002"

# One unit: (score, {lang: [sentences]}); a language left out has nothing there.
Unit = tuple[float, dict[str, list[str]]]

UNITS_A: Final[list[Unit]] = [
    (
        0.95,
        {
            "ru": ["Дамы и господа!"],
            "de": ["Meine Damen und Herren,"],
            "en": ["Ladies and gentlemen,"],
            "es": ["Señoras y señores:"],
            "fr": ["Mesdames et messieurs,"],
        },
    ),
    (
        0.9,
        {
            "ru": [
                (
                    "Сегодня мы провели углублённые переговоры с моим французским коллегой, министром "
                    "иностранных дел и международного развития Жан-Марком Эйро."
                )
            ],
            "de": [
                (
                    "Heute haben wir mit meinem französischen Kollegen, dem Minister für auswärtige "
                    "Angelegenheiten und internationale Entwicklung Jean-Marc Ayrault, ausführliche Gespräche geführt."
                )
            ],
            "en": [
                (
                    "Today we held in-depth discussions with my French colleague, Minister of Foreign "
                    "Affairs and International Development Jean-Marc Ayrault."
                )
            ],
            "es": [
                (
                    "Hoy hemos mantenido conversaciones detalladas con mi colega francés, el ministro de "
                    "Asuntos Exteriores y Desarrollo Internacional, Jean-Marc Ayrault."
                )
            ],
            "fr": [
                (
                    "Aujourd'hui, nous avons eu des entretiens approfondis avec mon collègue français, le "
                    "ministre des Affaires étrangères et du Développement international Jean-Marc Ayrault."
                )
            ],
        },
    ),
    (
        0.85,
        {
            "ru": [
                "Мы обсудили подготовку визита Президента России Владимира Путина во Францию 19 октября.",
                "Надеемся, что этот визит придаст новый импульс отношениям между нашими странами.",
            ],
            "de": [
                "Wir haben die Vorbereitung des Besuchs von Präsident Wladimir Putin in Frankreich am 19. Oktober erörtert.",
                "Wir hoffen, dass dieser Besuch den Beziehungen zwischen unseren Ländern neue Impulse verleiht.",
            ],
            "en": [
                (
                    "We discussed preparations for the October 19 visit of President of Russia Vladimir Putin "
                    "to France, which we hope will provide fresh impetus to relations between our countries."
                )
            ],
            "es": [
                "Hemos discutido los preparativos de la visita del Presidente de Rusia, Vladímir Putin, a Francia el 19 de octubre.",
                "Esperamos que esta visita dé un nuevo impulso a las relaciones entre nuestros países.",
            ],
            "fr": [
                "Nous avons évoqué la préparation de la visite du Président russe Vladimir Poutine en France le 19 octobre.",
                "Nous espérons que cette visite donnera un nouvel élan aux relations entre nos pays.",
            ],
        },
    ),
    (
        0.88,
        {
            "ru": [
                "Основное внимание мы уделили ситуации в Сирии и вокруг неё, которая вызывает у нас большую озабоченность."
            ],
            "de": [
                "Im Mittelpunkt unserer Gespräche stand die Lage in und um Syrien.",
                "Sie bereitet uns große Sorge.",
            ],
            "en": ["Our talks focused on the situation in and around Syria, which is of great concern to us."],
            "es": [
                "Nuestras conversaciones se centraron en la situación en Siria y en torno a ella, que nos preocupa mucho."
            ],
            "fr": [
                "Nos entretiens ont porté sur la situation en Syrie et autour de ce pays, qui nous préoccupe beaucoup."
            ],
        },
    ),
    (
        0.8,
        {
            "ru": [
                (
                    "Главными задачами там, как определил Совет Безопасности ООН, мы считаем искоренение "
                    "террористической угрозы и улучшение гуманитарной ситуации."
                )
            ],
            "de": [
                (
                    "Unsere Hauptaufgaben sehen wir dort, wie der UN-Sicherheitsrat festgestellt hat, in der "
                    "Beseitigung der terroristischen Bedrohung und der Verbesserung der humanitären Lage."
                )
            ],
            "en": [
                (
                    "We see our main tasks there, as the UN Security Council has identified, as eradicating "
                    "the terrorist threat and improving the humanitarian situation."
                )
            ],
            "es": [
                (
                    "Consideramos que nuestras tareas principales allí, tal como las ha definido el Consejo de "
                    "Seguridad de la ONU, son erradicar la amenaza terrorista y mejorar la situación humanitaria."
                )
            ],
        },
    ),
    (
        0.3,
        {
            "en": [
                "It goes without saying that this is impossible to achieve without a sustainable cessation of hostilities."
            ],
            "es": ["Huelga decir que esto es imposible sin un cese duradero de las hostilidades."],
        },
    ),
    (
        0.42,
        {
            "ru": ["Выживание мирных жителей Алеппо зависит от этого главного гуманитарного канала."],
            "de": ["Das Überleben der Zivilbevölkerung in Aleppo hängt von diesem wichtigen humanitären Kanal ab."],
            "en": ["The survival of civilians in Aleppo depends on this major humanitarian channel."],
            "es": ["La supervivencia de los civiles de Alepo depende de este importante canal humanitario."],
            "fr": ["La survie des civils d'Alep dépend de ce grand canal humanitaire."],
        },
    ),
    (
        0.9,
        {
            "ru": ["Мы обсудили французскую инициативу, внесённую в Совет Безопасности ООН."],
            "de": ["Wir haben die französische Initiative erörtert, die dem Weltsicherheitsrat vorgelegt wurde."],
            "en": ["We discussed the French initiative submitted to the UN Security Council."],
            "es": ["Hemos discutido la iniciativa francesa presentada al Consejo de Seguridad de la ONU."],
            "fr": ["Nous avons examiné l'initiative française soumise au Conseil de sécurité de l'ONU."],
        },
    ),
    (
        0.82,
        {
            "ru": ["Благодарю министра иностранных дел Жан-Марка Эйро за сотрудничество."],
            "de": ["Danke."],
            "en": ["I am grateful to Foreign Minister Jean-Marc Ayrault for his cooperation."],
            "es": ["Agradezco al ministro de Asuntos Exteriores Jean-Marc Ayrault su cooperación."],
            "fr": ["Je remercie le ministre des Affaires étrangères Jean-Marc Ayrault pour sa coopération."],
        },
    ),
]

UNITS_B: Final[list[Unit]] = [
    (
        0.9,
        {
            "ru": ["Мы очень обеспокоены гуманитарной ситуацией в Алеппо, включая восточный Алеппо."],
            "de": ["Wir sind über die humanitäre Lage in Aleppo, einschließlich Ost-Aleppo, äußerst besorgt."],
            "en": [
                "We are now extremely concerned about the humanitarian situation in Aleppo, including eastern Aleppo."
            ],
            "es": ["Nos preocupa mucho la situación humanitaria en Alepo, incluido el este de Alepo."],
            "fr": ["Nous sommes très préoccupés par la situation humanitaire à Alep, y compris à Alep-Est."],
        },
    ),
    (
        0.92,
        {
            "ru": ["Это предусмотрено решениями Совета Безопасности ООН."],
            "de": ["Das ist in den Beschlüssen des UN-Sicherheitsrates festgelegt."],
            "en": ["This is stipulated in UN Security Council decisions."],
            "es": ["Así lo establecen las decisiones del Consejo de Seguridad de la ONU."],
            "fr": ["C'est ce que prévoient les décisions du Conseil de sécurité de l'ONU."],
        },
    ),
    (
        0.81,
        {
            "ru": ["Я уже говорил об этом, но люди, вероятно, склонны забывать."],
            "en": ["I have already said this, but people probably tend to forget about it."],
            "fr": ["Je l'ai déjà dit, mais on a sans doute tendance à l'oublier."],
        },
    ),
    (
        0.86,
        {
            "ru": [
                (
                    "Мы по-прежнему убеждены, что разблокирование дороги Кастелло является главной задачей для "
                    "обеспечения беспрепятственных гуманитарных поставок."
                )
            ],
            "de": [
                (
                    "Wir sind nach wie vor überzeugt, dass die Freigabe der Castello-Straße die Hauptaufgabe ist, "
                    "um ungehinderte humanitäre Lieferungen zu gewährleisten."
                )
            ],
            "en": [
                (
                    "We remain convinced that unblocking Castello Road is the main task in ensuring unimpeded "
                    "deliveries of humanitarian relief aid."
                )
            ],
            "es": [
                (
                    "Seguimos convencidos de que desbloquear la carretera del Castello es la tarea principal para "
                    "garantizar la entrega sin trabas de la ayuda humanitaria."
                )
            ],
            "fr": [
                "Nous restons convaincus que le déblocage de la route du Castello est la tâche principale.",
                "C'est la condition d'un acheminement sans entrave de l'aide humanitaire.",
            ],
        },
    ),
    (
        0.9,
        {
            "ru": ["Сергей Лавров: Мы изучаем проект."],
            "de": ["Sergej Lawrow: Wir prüfen den Entwurf."],
            "en": ["Sergey Lavrov: We are studying the draft."],
            "es": ["Serguéi Lavrov: Estamos estudiando el proyecto."],
            "fr": ["Sergueï Lavrov : Nous étudions le projet."],
        },
    ),
    (
        0.45,
        {
            "ru": ["Это довольно долгий разговор.", "Его должны вести эксперты."],
            "de": ["Das ist ein ziemlich langes Gespräch.", "Es sollte von Experten geführt werden."],
            "en": ["This is rather a long conversation.", "It should be conducted by experts."],
            "es": ["Es una conversación bastante larga que deben llevar los expertos."],
            "fr": ["C'est une conversation assez longue.", "Elle doit être menée par des experts."],
        },
    ),
]

ITEMS: Final[dict[str, list[Unit]]] = {DOC_A: UNITS_A, DOC_B: UNITS_B}


def _numbered(units: list[Unit]) -> dict[str, list[list[int]]]:
    """Per language, the sentence indices of each unit (consecutive, 0-based)."""
    numbers: dict[str, list[list[int]]] = {lang: [] for lang in LANGS}
    for lang in LANGS:
        next_index = 0
        for _score, texts in units:
            count = len(texts.get(lang, []))
            numbers[lang].append(list(range(next_index, next_index + count)))
            next_index += count
    return numbers


def units_frame() -> pl.DataFrame:
    rows = []
    for doc_id, units in ITEMS.items():
        numbers = _numbered(units)
        for index, (score, texts) in enumerate(units):
            row: dict[str, object] = {"doc_id": doc_id, "unit": index, "score": score}
            for lang in LANGS:
                row[f"text_{lang}"] = " ".join(texts.get(lang, []))
                row[f"sents_{lang}"] = numbers[lang][index]
            rows.append(row)
    return pl.DataFrame(rows, schema=units_schema(list(LANGS)))


def sentences_frame() -> pl.DataFrame:
    rows = []
    for doc_id, units in ITEMS.items():
        numbers = _numbered(units)
        for lang in LANGS:
            for index, (_score, texts) in enumerate(units):
                for sent, text in zip(numbers[lang][index], texts.get(lang, []), strict=True):
                    rows.append({"doc_id": doc_id, "lang": lang, "para": index, "sent": sent, "text": text})
    return pl.DataFrame(rows, schema=SENTENCES_SCHEMA)


def language_pairs() -> list[tuple[str, str]]:
    """Every unordered pair once: the original first when in the pair, else alphabetical."""
    pairs = []
    for a, b in combinations(sorted(LANGS), 2):
        pairs.append((b, a) if b == ORIGINAL else (a, b))
    return pairs


def alignments_frame() -> pl.DataFrame:
    """Pairwise alignments projected from the units (what a multi-way aligner would also store)."""
    rows = []
    for doc_id, units in ITEMS.items():
        numbers = _numbered(units)
        for src, tgt in language_pairs():
            for index, (score, texts) in enumerate(units):
                src_sents, tgt_sents = numbers[src][index], numbers[tgt][index]
                if not src_sents and not tgt_sents:
                    continue
                rows.append(
                    {
                        "doc_id": doc_id,
                        "src_lang": src,
                        "tgt_lang": tgt,
                        "src_sents": src_sents,
                        "tgt_sents": tgt_sents,
                        "src_text": " ".join(texts.get(src, [])),
                        "tgt_text": " ".join(texts.get(tgt, [])),
                        "score": score,
                        "kind": f"{len(src_sents)}-{len(tgt_sents)}",
                    }
                )
    return pl.DataFrame(rows, schema=ALIGNMENTS_SCHEMA)


def documents_frame() -> pl.DataFrame:
    when = datetime(2016, 10, 6, 19, 14, tzinfo=UTC)
    rows = []
    for doc_id, units in ITEMS.items():
        for lang in LANGS:
            paragraphs = [" ".join(texts[lang]) for _score, texts in units if lang in texts]
            rows.append(
                {
                    "doc_id": doc_id,
                    "lang": lang,
                    "url": f"http://127.0.0.1/{lang}/{doc_id}",
                    "title": paragraphs[0],
                    "published": when,
                    "doc_number": None,
                    "paragraphs": paragraphs,
                    "para_kinds": ["text"] * len(paragraphs),
                    "original_lang": ORIGINAL,
                    "detected_lang": lang,
                    "lang_confidence": 0.99,
                    "fetched_at": when,
                    "html_sha256": "0" * 64,
                }
            )
    return pl.DataFrame(rows, schema=DOCUMENTS_SCHEMA)


def write_study_frames(data_dir: Path) -> Path:
    """Store the four frames under ``data_dir`` as ``bitext`` would; returns ``data_dir``."""
    provenance = make_provenance(step="tests/align/study_frames.py")
    frames = {
        "documents": documents_frame(),
        "sentences": sentences_frame(),
        "alignments": alignments_frame(),
        "units": units_frame(),
    }
    for name, frame in frames.items():
        write_frame(frame, frame_path(data_dir, name), provenance=provenance)  # type: ignore[arg-type]
    return data_dir
