"""A mid.ru-shaped news archive of many items, as routes for :func:`scrapers.testing.localsite.serve`.

The crawl tests and ``benchmarks/crawl.py`` serve it on 127.0.0.1. It has what
live mid.ru has today (../shared/SITES.md, "Seen since"): new-layout items
``/ru/foreign_policy/news/{id}/?lang={lang}`` over several days, a date index
per day (``?activeFrom=DD.MM.YYYY&activeTo=DD.MM.YYYY``, 20 items a page, the
second page behind a robots-forbidden ``?PAGEN_1=2``), an RSS feed per
language, a sitemap index, a robots.txt forbidding ``/*?PAGEN`` and
``asset_publisher`` paths, and a header language menu pointing at each
language's home page. Items have two to five versions; a missing version
answers 404, and some items' French "version" silently serves the Russian
text (as a site falling back does).

The texts are the sample site's (``sample_site/texts``, written by this
project): item ``k`` takes a few paragraphs of the sample item, starting at a
different paragraph for each item, and a numbered title, so every item is
distinct and its versions are real translations of each other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from html import escape
from typing import Final

from scrapers.testing.localsite import Route, RouteSpec, interstitial_route
from scrapers.testing.sample_site import SAMPLE_DIR

LANGS: Final = ("de", "en", "es", "fr", "ru")
FIRST_ID: Final = 1_600_000
FIRST_OLD_ID: Final = 2_400_000
OLD_SECTION: Final = "foreign_policy/news/-/asset_publisher/cKNonkJE02Bw"
PAGE_SIZE: Final = 20  # items on one date index page, as on mid.ru
PARAGRAPHS_PER_ITEM: Final = 4
SECTION: Final = "/ru/foreign_policy/news/"
ROBOTS_TXT: Final = "User-agent: *\nDisallow: /*?PAGEN\nDisallow: /*asset_publisher\n"
# The language sets items cycle through: half of mid.ru's items lack some language
LANG_SETS: Final = (
    ("de", "en", "es", "fr", "ru"),
    ("en", "es", "fr", "ru"),
    ("en", "ru"),
    ("de", "en", "es", "fr", "ru"),
    ("de", "en", "ru"),
    ("en", "fr", "ru"),
)
HOME_TITLES: Final = {
    "de": "Ministerium für Auswärtige Angelegenheiten der Russischen Föderation",
    "en": "The Ministry of Foreign Affairs of the Russian Federation",
    "es": "Ministerio de Asuntos Exteriores de la Federación de Rusia",
    "fr": "Ministère des Affaires étrangères de la Fédération de Russie",
    "ru": "Министерство иностранных дел Российской Федерации",
}
TITLE_LABEL: Final = {"de": "Mitteilung", "en": "Statement", "es": "Comunicado", "fr": "Communiqué", "ru": "Сообщение"}


@dataclass(frozen=True)
class ArchiveItem:
    """One item of the archive: what a crawl of it must store."""

    number: int
    item_id: str
    day: date
    time: str
    langs: tuple[str, ...]  # the versions it really has
    fallback_langs: tuple[str, ...]  # languages whose URL serves the Russian text instead
    titles: dict[str, str] = field(repr=False)
    paragraphs: dict[str, tuple[str, ...]] = field(repr=False)

    @property
    def doc_number(self) -> str:
        return f"{1000 + self.number}-{self.day:%d-%m-%Y}"

    @property
    def doc_id(self) -> str:
        return f"mid.ru:{self.item_id}"

    def path(self, lang: str | None = None) -> str:
        return f"{SECTION}{self.item_id}/" + (f"?lang={lang}" if lang else "")

    def old_path(self, lang: str) -> str:
        """Where the old portal had it (robots-forbidden today): another id, the same number."""
        return f"/{lang}/{OLD_SECTION}/content/id/{FIRST_OLD_ID + self.number}"


@dataclass(frozen=True)
class Archive:
    """The items and the routes serving them."""

    items: tuple[ArchiveItem, ...]
    routes: dict[str, RouteSpec]
    days: tuple[date, ...]

    def index_path(self, day: date, lang: str = "ru", page: int = 1, *, paging_forbidden: bool = False) -> str:
        return _index_path(day, lang, page, paging_forbidden)


@cache
def _sample_paragraphs() -> dict[str, tuple[str, ...]]:
    texts = {}
    for lang in LANGS:
        data = json.loads((SAMPLE_DIR / "texts" / f"{lang}.json").read_text(encoding="utf-8"))
        texts[lang] = tuple(" ".join(p["sentences"]) for p in data["paragraphs"] if p["kind"] == "text")
    return texts


def build_archive(
    items: int = 30,
    *,
    first_day: date = date(2024, 3, 4),
    per_day: int = 8,
    busy_day_extra: int = 0,
    faults: bool = True,
    page_size: int = PAGE_SIZE,
    paging_forbidden: bool = False,
) -> Archive:
    """An archive of ``items`` items, ``per_day`` a day from ``first_day``.

    ``busy_day_extra`` more items on the first day push it past one index
    page of ``page_size``; its second page is ``?activeFrom=...&PAGEN_1=2``,
    which robots.txt's ``/*?PAGEN`` allows, or with ``paging_forbidden``
    ``?PAGEN_1=2&activeFrom=...``, which it forbids (the rest sits behind the robots-forbidden second page). With
    ``faults``, some pages fail once (503 with Retry-After, the anti-bot
    interstitial, a truncated body) before they answer.
    """
    sample = _sample_paragraphs()
    made: list[ArchiveItem] = []
    for number in range(items + busy_day_extra):
        on_first = number < per_day + busy_day_extra
        day = first_day if on_first else first_day + timedelta(days=1 + (number - per_day - busy_day_extra) // per_day)
        langs = LANG_SETS[number % len(LANG_SETS)]
        fallback = ("fr",) if number % 12 == 2 else ()  # an ("en", "ru") item
        start = (number * 3) % (len(sample["en"]) - PARAGRAPHS_PER_ITEM)
        titles = {lang: f"{TITLE_LABEL[lang]} {number + 1}: {sample[lang][start][:70].rstrip()}" for lang in LANGS}
        paragraphs = {lang: sample[lang][start : start + PARAGRAPHS_PER_ITEM] for lang in LANGS}
        made.append(ArchiveItem(number, str(FIRST_ID + number), day, f"{9 + number % 9:02d}:{number % 60:02d}",
                                langs, fallback, titles, paragraphs))  # fmt: skip
    days = tuple(sorted({item.day for item in made}))
    routes = _routes(made, days, faults=faults, page_size=page_size, paging_forbidden=paging_forbidden)
    return Archive(tuple(made), routes, days)


def _routes(
    items: list[ArchiveItem], days: tuple[date, ...], *, faults: bool, page_size: int, paging_forbidden: bool
) -> dict[str, RouteSpec]:
    routes: dict[str, RouteSpec] = {"/robots.txt": Route(body=ROBOTS_TXT.encode(), content_type="text/plain")}
    for lang in LANGS:
        routes[f"/{lang}/"] = Route.html(_home_page(lang))
        routes[f"/{lang}/rss.php"] = Route(body=_rss(items, lang).encode(), content_type="application/rss+xml")
    routes["/sitemap.xml"] = Route(body=_sitemap_index().encode(), content_type="application/xml")
    routes["/sitemap-news.xml"] = Route(body=_sitemap(items).encode(), content_type="application/xml")
    routes[SECTION] = Route.html(_listing(items[:page_size], "ru", next_page=f"{SECTION}?PAGEN_1=2"))
    for day in days:
        on_day = [item for item in items if item.day == day]
        for lang in LANGS:
            listed = [item for item in on_day if lang in item.langs]
            pages = [listed[i : i + page_size] for i in range(0, len(listed), page_size)] or [[]]
            for number, listed_page in enumerate(pages, start=1):
                more = _index_path(day, lang, number + 1, paging_forbidden) if number < len(pages) else None
                path = _index_path(day, lang, number, paging_forbidden)
                routes[path] = Route.html(_listing(listed_page, lang, next_page=more))
    for item in items:
        for lang in LANGS:
            if lang in item.langs:
                page: RouteSpec = Route.html(_item_page(item, lang, lang))
            elif lang in item.fallback_langs:
                page = Route.html(_item_page(item, lang, "ru"))
            else:
                page = Route.html(_not_found(lang), status=404)
            routes[item.path(lang)] = _with_fault(page, item, lang) if faults else page
        start = Route.html(_item_page(item, "ru", "ru"))
        routes[item.path()] = _with_fault(start, item, None) if faults else start
        for lang in item.langs[:-1] if item.langs[-1] == "ru" else item.langs:  # the other interface languages
            routes[f"/{lang}/foreign_policy/news/{item.item_id}/"] = Route.html(_item_page(item, lang, lang))
    return routes


def _with_fault(page: RouteSpec, item: ArchiveItem, lang: str | None) -> RouteSpec:
    """Some pages fail once before they answer (``lang`` None: the item's start page, as listed)."""
    if not isinstance(page, Route) or page.status != 200:
        return page
    if item.number % 10 == 3 and lang == "en":
        return (Route(status=503, headers={"Retry-After": "0"}), page)
    if item.number % 10 == 6 and lang is None:
        return (interstitial_route(), page)
    if item.number % 10 == 8 and lang == "en":
        return (Route(body=page.body, content_type=page.content_type, truncate_at=200), page)
    return page


def _index_path(day: date, lang: str, page: int = 1, paging_first: bool = False) -> str:
    stamp = f"{day:%d.%m.%Y}"
    query = f"activeFrom={stamp}&activeTo={stamp}"
    if page == 1:
        return f"/{lang}/foreign_policy/news/?{query}"
    paging = f"PAGEN_1={page}"
    return f"/{lang}/foreign_policy/news/?" + (f"{paging}&{query}" if paging_first else f"{query}&{paging}")


def _menu() -> str:
    links = "".join(f'<li><a href="/{lang}/">{lang.upper()}</a></li>' for lang in LANGS)
    return f'<header class="header"><a class="logo" href="/">{HOME_TITLES["ru"]}</a><ul class="lang-menu">{links}</ul></header>'


def _page(lang: str, title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f"<body>{_menu()}<main class='page'>{body}</main><footer>© {HOME_TITLES[lang]}</footer></body></html>"
    )


def _item_page(item: ArchiveItem, asked: str, shown: str) -> str:
    """The page for ``?lang={asked}``, showing the text in ``shown`` (a silent fallback when they differ)."""
    switcher = "".join(
        f'<a href="https://www.mid.ru{item.path(lang)}">{lang.upper()}</a>' for lang in LANGS if lang in item.langs
    )
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in item.paragraphs[shown])
    body = (
        f'<div class="lang-switcher">{switcher}</div><div class="photo-content">'
        f'<div class="photo-content__date">{item.day:%d.%m.%Y} {item.time}</div>'
        f'<h1 class="photo-content__title">{escape(item.titles[shown])}</h1></div>'
        f'<div class="article-line"><p class="article-line__note article-line__note_small">{item.doc_number}</p></div>'
        f'<div class="text article-content">{paragraphs}</div>'
    )
    return _page(asked if asked == shown else shown, item.titles[shown], body)


def old_page(item: ArchiveItem, lang: str) -> str:
    """The item as the old portal showed it (for a cache filled before robots.txt forbade it)."""
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in item.paragraphs[lang])
    body = (
        f'<div class="portlet-title">{escape(HOME_TITLES[lang])}</div><h1>{escape(item.titles[lang])}</h1>'
        f'<div class="article-status-line"><span><span>{item.day:%d.%m.%Y}</span></span></div>'
        f'<div class="article-note"><span class="nowrap">{item.doc_number}</span></div>'
        f'<div class="text article-content">{paragraphs}</div>'
    )
    return _page(lang, item.titles[lang], body)


def _home_page(lang: str) -> str:
    teasers = "".join(f"<p>{escape(p)}</p>" for p in _sample_paragraphs()[lang][:3])
    body = f'<h1>{HOME_TITLES[lang]}</h1><div class="text article-content">{teasers}</div>'
    return _page(lang, HOME_TITLES[lang], body)


def _not_found(lang: str) -> str:
    return _page(lang, "404", "<h1>404</h1><p>Page not found.</p>")


def _listing(items: list[ArchiveItem], lang: str, *, next_page: str | None) -> str:
    entries = "".join(
        f'<li class="announce__item"><span class="announce__date">{item.day:%d.%m.%Y}</span>'
        f'<span class="announce__time">{item.time}</span>'
        f'<a class="announce__link" href="/{lang}/foreign_policy/news/{item.item_id}/">{escape(item.titles[lang])}</a>'
        f'<div class="announce__meta-tags">news, statements</div></li>'
        for item in items
    )
    pager = f'<a class="pagination__next" href="{escape(next_page)}">2</a>' if next_page else ""
    return _page(lang, "News", f'<ul class="announce announce_articles">{entries}</ul>{pager}')


def _rss(items: list[ArchiveItem], lang: str) -> str:
    entries = "".join(
        f"<item><title>{escape(item.titles[lang])}</title>"
        f"<link>https://www.mid.ru/{lang}/foreign_policy/news/{item.item_id}/</link>"
        f"<pubDate>{item.day:%a, %d %b %Y} {item.time}:00 +0300</pubDate></item>"
        for item in items
        if lang in item.langs
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>MID</title>{entries}</channel></rss>'


def _sitemap_index() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>https://www.mid.ru/sitemap-news.xml</loc></sitemap></sitemapindex>"
    )


def _sitemap(items: list[ArchiveItem]) -> str:
    entries = "".join(
        f"<url><loc>https://www.mid.ru{item.path()}</loc><lastmod>{item.day:%Y-%m-%d}</lastmod></url>" for item in items
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
