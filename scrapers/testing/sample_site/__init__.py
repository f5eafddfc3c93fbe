"""The bundled sample site: one item in five languages, in both mid.ru layouts and a generic hreflang site.

The pages are rendered by ``build.py`` from ``texts/`` and served from
``site.json`` by :func:`scrapers.testing.localsite.serve`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from scrapers.langtags import SUPPORTED_LANGS

SAMPLE_DIR: Final = Path(__file__).parent
LANGS: Final = SUPPORTED_LANGS  # the sample item is written in every language bitext supports: texts/<lang>.json

OLD_ID: Final = "2490975"
NEW_ID: Final = "1527258"
GENERIC_ID: Final = "52341"
# Old layout: the section may differ by language (fr), and a page may sit under web/guest (de).
OLD_PATHS: Final[dict[str, str]] = {
    "de": f"/de/web/guest/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/{OLD_ID}",
    "en": f"/en/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/{OLD_ID}",
    "es": f"/es/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/{OLD_ID}",
    "fr": f"/fr/telefonnye-razgovory-ministra/-/asset_publisher/KLX3tiYzsCLY/content/id/{OLD_ID}",
    "ru": f"/ru/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/{OLD_ID}",
}
NEW_PATHS: Final[dict[str, str]] = {lang: f"/ru/foreign_policy/news/{NEW_ID}/?lang={lang}" for lang in LANGS}
GENERIC_PATHS: Final[dict[str, str]] = {lang: f"/{lang}/press/statements/{GENERIC_ID}" for lang in LANGS}

OLD_START: Final = OLD_PATHS["en"]
NEW_START: Final = NEW_PATHS["en"]
GENERIC_START: Final = GENERIC_PATHS["en"]
