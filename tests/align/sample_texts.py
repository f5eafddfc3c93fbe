"""Small parallel texts for the aligner tests.

English: sentences of the reference page (/work/shared/seeds/000_17845c7145a80987.txt,
the Lavrov-Ayrault press conference of 6 October 2016). German, French and
Russian: translations written for these tests by the author of the tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from align.scorers.base import Scorer

EN = [
    "Today we held in-depth discussions with my French colleague, Minister of Foreign Affairs and International Development Jean-Marc Ayrault.",
    "We discussed preparations for the October 19 visit of President of Russia Vladimir Putin to France.",
    "We hope this visit will provide fresh impetus to relations between our countries.",
    "France is a long-time partner of Russia, and we deeply care about the quality of our relations with it.",
    "Our talks focused on the situation in and around Syria.",
    "We are very much concerned about the current developments there.",
    "Russia is advocating an early peaceful and fair settlement of the bloody conflict in Syria.",
    "It goes without saying that this is impossible to achieve without a sustainable cessation of hostilities.",
    "Our presidents discussed it in the autumn of 2015.",
    "Russia has done everything in its power to start implementing these arrangements.",
    "Unfortunately, we have not succeeded in this, so far.",
]

DE = [
    "Heute haben wir ausführliche Gespräche mit meinem französischen Kollegen, dem Minister für auswärtige Angelegenheiten und internationale Entwicklung Jean-Marc Ayrault, geführt.",
    "Wir haben die Vorbereitung des Besuchs von Präsident Wladimir Putin in Frankreich am 19. Oktober besprochen.",
    "Wir hoffen, dass dieser Besuch den Beziehungen zwischen unseren Ländern neue Impulse gibt.",
    "Frankreich ist ein langjähriger Partner Russlands, und die Qualität unserer Beziehungen liegt uns sehr am Herzen.",
    "Im Mittelpunkt unserer Gespräche stand die Lage in und um Syrien.",
    "Die aktuellen Entwicklungen dort beunruhigen uns sehr.",
    "Russland setzt sich für eine baldige friedliche und gerechte Beilegung des blutigen Konflikts in Syrien ein.",
    "Selbstverständlich ist das ohne eine dauerhafte Einstellung der Feindseligkeiten nicht zu erreichen.",
    "Unsere Präsidenten haben im Herbst 2015 darüber gesprochen.",
    "Russland hat alles in seiner Macht Stehende getan, um mit der Umsetzung dieser Vereinbarungen zu beginnen.",
    "Leider ist uns das bisher nicht gelungen.",
]

RU = [
    "Сегодня мы провели обстоятельные переговоры с моим французским коллегой, министром иностранных дел и международного развития Жан-Марком Эйро.",
    "Мы обсудили подготовку визита Президента России Владимира Путина во Францию 19 октября.",
    "Надеемся, что этот визит придаст новый импульс отношениям между нашими странами.",
    "Франция – давний партнёр России, и мы очень дорожим качеством наших отношений с ней.",
    "В центре переговоров была ситуация в Сирии и вокруг неё.",
    "Нас очень беспокоит нынешнее развитие событий там.",
    "Россия выступает за скорейшее мирное и справедливое урегулирование кровопролитного конфликта в Сирии.",
    "Само собой разумеется, что без устойчивого прекращения боевых действий этого не добиться.",
    "Наши президенты обсуждали это осенью 2015 года.",
    "Россия сделала всё от неё зависящее, чтобы начать выполнение этих договорённостей.",
    "К сожалению, пока нам это не удалось.",
]


def omissions_found(scorer: Scorer) -> int:
    """Delete each inner German and Russian sentence in turn; count the 1-0 beads that find the gap."""
    from align.pairwise.aligner import align_pair

    found = 0
    for lang, full in (("de", DE), ("ru", RU)):
        for k in range(1, len(EN) - 1):
            beads = align_pair(EN, full[:k] + full[k + 1 :], src_lang="en", tgt_lang=lang, scorer=scorer)
            found += any(b.src == (k,) and not b.tgt for b in beads)
    return found
