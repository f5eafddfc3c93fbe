"""What sites print around their articles that is never article text: their own names, their portals' titles.

Site knowledge, by site; the generic extraction (``scrapers.extract.paragraphs``)
drops any line or title candidate that is one of these labels. Labels are
compared after ``label_of`` (punctuation dropped, case folded).
"""

from __future__ import annotations

from typing import Final

__all__ = ["PORTLET_TITLES", "SITE_NAMES"]

# mid.ru's name as its pages print it in the header, the <title> and on the home page
# (the German home page, "Ministerium für Auswärtige Angelegenheiten ...", is what a
# language menu leads to when an item has no German version)
MID_SITE_NAMES: Final = frozenset(
    {
        "министерство иностранных дел российской федерации",
        "ministry of foreign affairs of the russian federation",
        "the ministry of foreign affairs of the russian federation",
        "außenministerium der russischen föderation",
        "ministerium für auswärtige angelegenheiten der russischen föderation",
        "ministerio de asuntos exteriores de la federación de rusia",
        "ministère des affaires étrangères de la fédération de russie",
        "мид россии", "russian mfa", "mfa of russia", "the ministry of foreign affairs of russia",
    }
)  # fmt: skip
# Liferay's portlet titles as the old mid.ru pages print them ("Asset Publisher", seen) and
# their usual translations (inferred)
MID_PORTLET_TITLES: Final = frozenset(
    {"asset publisher", "agrégateur de contenus", "agregador de contenidos", "publicador de contenidos",
     "publicador de activos", "публикатор", "публикатор ресурсов", "публикатор контента",
     "веб-контент", "отображение веб-контента", "inhaltsanzeige", "asset-publisher", "news", "новости",
     "veröffentlichung von inhalten", "publicador de contenido", "agrégateur de contenu"}
)  # fmt: skip
# kremlin.ru's name, as its <title> ends ("… • President of Russia")
KREMLIN_SITE_NAMES: Final = frozenset({"president of russia", "президент россии"})

# casefolded as label_of folds what it compares ("außen" -> "aussen")
SITE_NAMES: Final = frozenset(name.casefold() for name in MID_SITE_NAMES | KREMLIN_SITE_NAMES)
PORTLET_TITLES: Final = frozenset(title.casefold() for title in MID_PORTLET_TITLES)
