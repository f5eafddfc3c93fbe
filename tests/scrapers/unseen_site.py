"""mid.ru-shaped pages written independently of the sample site, to test the extractor on markup it never saw.

The texts (``pages/unseen/texts.json``) and the site furniture
(``pages/unseen/furniture.json``) are rendered here into several site
variants, each a set of routes for :func:`scrapers.testing.localsite.serve`. Every
variant is served in two modes: ``local`` (reached as ``http://127.0.0.1:PORT``
with ``--site mid.ru``; redirects are relative) and ``proxy`` (reached as
``http://www.mid.ru/...`` through ``HTTP_PROXY``; redirects name the mid.ru hosts).
Links inside the pages always name the real site (``https://www.mid.ru/...``),
as real pages do.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Final, Literal

from scrapers.testing.localsite import Route

PAGES_DIR: Final = Path(__file__).parent / "pages" / "unseen"
LANGS: Final = ("de", "en", "es", "fr", "ru")
LOCALES: Final = {"de": "de-DE", "en": "en-GB", "es": "es-ES", "fr": "fr-FR", "ru": "ru-RU"}
NAMES: Final = {"de": "Deutsch", "en": "English", "es": "Español", "fr": "Français", "ru": "Русский"}
REAL: Final = "https://www.mid.ru"
TIME_OLD: Final = "19:14"
Mode = Literal["local", "proxy"]

_DATA: Final = json.loads((PAGES_DIR / "texts.json").read_text(encoding="utf-8"))
FURNITURE: Final[dict[str, dict[str, object]]] = json.loads((PAGES_DIR / "furniture.json").read_text(encoding="utf-8"))
OLD_ID: Final[str] = _DATA["old_id"]
NEW_ID: Final[str] = _DATA["new_id"]
DOC_NUMBER: Final[str] = _DATA["doc_number"]
# "S1. S2" -> ("S1.", "S2"): the first sentence end, where a <br> goes
_FIRST_SENTENCE: Final = re.compile(r"^(?P<first>.+?[.?!])\s(?P<rest>.+)$")


@dataclass(frozen=True)
class Text:
    lang: str
    title: str
    date_old: str
    date_new: str
    paragraphs: tuple[str, ...]
    kinds: tuple[str, ...]


def load_texts() -> dict[str, Text]:
    texts = {}
    for lang, data in _DATA["texts"].items():
        kinds, paragraphs = zip(*data["paragraphs"], strict=True)
        texts[lang] = Text(lang, data["title"], data["date_old"], data["date_new"], paragraphs, kinds)
    return texts


TEXTS: Final = load_texts()


def furniture_strings(lang: str) -> list[str]:
    """Every piece of site text on a ``lang`` page that must not reach the article."""
    f = FURNITURE[lang]
    strings = [str(f[key]) for key in ("site", "short_site", "portlet", "additional", "advanced", "cookie",
                                      "accept", "search", "contents", "back", "print", "share", "footer",
                                      "related", "photos")]  # fmt: skip
    strings += [str(item) for key in ("crumbs", "menu") for item in f[key]]  # type: ignore[attr-defined]
    return strings + [LOCALES[other] for other in LANGS] + ["Liferay", "cookie", "©"]


@dataclass(frozen=True)
class Variant:
    """One unseen site: its routes, the start path of each language and where each version ends up."""

    name: str
    layout: Literal["old", "new"]
    routes: dict[str, Route]
    starts: dict[str, str]
    finals: dict[str, str]
    published: datetime
    #: hosts the versions end on in proxy mode
    final_host: str = "www.mid.ru"
    #: the host of the start URL in proxy mode (the new layout lives on mid.ru)
    proxy_host: str = "www.mid.ru"
    #: whether no mid.ru selector can find the body, so the generic extractor must (and says so)
    unknown_body: bool = False
    #: requests beyond one per version and one robots.txt per host, the redirects the site forces:
    #: "start" for the start page, a language for reaching that version from another one
    extra_requests: dict[str, int] = field(default_factory=dict)

    #: extra requests when starting from a language: its rules point at a section the others lack
    start_extra: dict[str, int] = field(default_factory=dict)

    def allowed_extra(self, mode: Mode, start: str) -> int:
        del mode
        others = sum(count for lang, count in self.extra_requests.items() if lang in LANGS and lang != start)
        return self.extra_requests.get("start", 0) + others + self.start_extra.get(start, 0)


# --- old layout markup -------------------------------------------------------------------------


def _runs(text: str, width: int) -> str:
    """``span.dxl-run`` pieces cut every ``width`` characters, mid-word."""
    return "".join(f'<span class="dxl-run">{escape(text[i : i + width])}</span>' for i in range(0, len(text), width))


def _odd_spaces(text: str) -> str:
    """Some spaces as NBSP / thin / narrow NBSP, a soft hyphen and a zero-width space inside words."""
    words = text.split(" ")
    spaced = ""
    for i, word in enumerate(words):
        if i and i % 4 == 1:
            spaced += "\xa0"
        elif i and i % 7 == 3:
            spaced += "\u2009"
        elif i:
            spaced += " "
        spaced += word[:3] + "\xad" + word[3:] if len(word) > 8 and i % 3 == 0 else word
    return spaced.replace(",", ",\u200b", 1)


def _paragraph_markup(index: int, text: str, kind: str, tag: str) -> str:
    """One paragraph of an old-layout body, in a markup that changes with its position."""
    if kind == "heading":
        if index < 5:
            cut = len(text) // 2
            return (f'<{tag} class="dxl-par" style="text-align: center;"><span class="dxl-run"><strong>'
                    f'{escape(text[:cut])}</strong></span><span class="dxl-run"><strong>{escape(text[cut:])}'
                    f"</strong></span></{tag}>")  # fmt: skip
        return f'<{tag} align="center"><b>{escape(text)}</b></{tag}>'
    if index == 1:  # emphasis and a link inside the text
        first, _, rest = text.partition(" ")
        head, _, last = rest.rpartition(" ")
        return (f'<{tag} class="dxl-par"><em>{escape(first)}</em> {escape(head)} '
                f'<a href="{REAL}/en/maps/fr/-/asset_publisher/x">{escape(last)}</a></{tag}>')  # fmt: skip
    match = _FIRST_SENTENCE.match(text)
    if index == 2 and match:  # a line break inside the paragraph
        return f'<{tag} class="dxl-par">{_runs(match["first"], 23)}<br/>{_runs(match["rest"], 23)}</{tag}>'
    if index == 4:
        return f'<{tag} class="dxl-par"><span class="dxl-run">{escape(_odd_spaces(text))}</span></{tag}>'
    return f'<{tag} class="dxl-par">{_runs(text, 29)}</{tag}>'


def old_body(text: Text, *, tag: str = "p", additional_inside: bool = False) -> str:
    """The article as the old site's rich-text editor leaves it: runs, empty paragraphs, a list, a signature."""
    parts = []
    items: list[str] = []
    for index, (paragraph, kind) in enumerate(zip(text.paragraphs, text.kinds, strict=True)):
        if index in (6, 7):  # the two list items
            items.append(f"<li>{escape(paragraph)}</li>")
            if index == 7:
                parts.append(f'<ul style="list-style: disc;">{"".join(items)}</ul>')
            continue
        if index == len(text.paragraphs) - 1:
            parts.append(f'<{tag} style="text-align: right;"><em>{escape(paragraph)}</em></{tag}>')
            continue
        parts.append(_paragraph_markup(index, paragraph, kind, tag))
        parts.append(f'<{tag} class="dxl-par">&nbsp;</{tag}>' if index % 2 else f"<{tag}><br/></{tag}>")
    if additional_inside:
        f = FURNITURE[text.lang]
        parts.append(
            f'<{tag} class="dxl-par"><strong>{escape(str(f["additional"]))}</strong></{tag}>'
            f'<{tag} class="dxl-par"><a href="{REAL}/{text.lang}/foreign_policy/news/-/asset_publisher/'
            f'cKNonkJE02Bw/content/id/2490001">{escape(str(f["related"]))}</a></{tag}>'
            f'<{tag} class="dxl-par"><a href="{REAL}/{text.lang}/photo/-/asset_publisher/p/content/id/2490002">'
            f'{escape(str(f["photos"]))}</a></{tag}>'
        )
    return "".join(parts)


def _head(title_text: str, lang: str, *, charset_meta: str | None = "utf-8", alternates: str = "") -> str:
    scripts = "".join(
        f'<script type="text/javascript" src="/html/js/liferay/{name}.js?browserId=other&amp;t=1476{i}"></script>'
        for i, name in enumerate(("aui", "liferay", "portlet", "language", "widget"))
    )
    inline = (
        "<script>var Liferay={Language:{get:function(k){return k}},ThemeDisplay:{getLanguageId:"
        f"function(){{return '{LOCALES[lang].replace('-', '_')}'}}}}}};"
        "Liferay.Portlet.ready(function(){});</script>"
    )
    styles = "".join(f'<link rel="stylesheet" href="/html/css/{n}.css?t=1476">' for n in ("main", "portal", "theme"))
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset_meta}">' if charset_meta else ""
    return (
        f"<head>{meta}<title>{escape(title_text)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="keywords" content="Lavrov, France, Syria">'
        f"{styles}{alternates}{scripts}{inline}"
        "<style>.portlet-topper{display:block}.dxl-par{margin:0}</style></head>"
    )


def _chrome_top(lang: str) -> str:
    f = FURNITURE[lang]
    menu = "".join(f'<li><a href="{REAL}/{lang}/m{i}">{escape(str(item))}</a></li>' for i, item in enumerate(f["menu"]))  # type: ignore[arg-type]
    crumbs = " <span>/</span> ".join(f'<a href="{REAL}/{lang}/c{i}">{escape(str(c))}</a>' for i, c in enumerate(f["crumbs"]))  # type: ignore[arg-type]
    return (
        f'<div id="cookie-notice" class="cookie-policy"><p>{escape(str(f["cookie"]))}</p>'
        f'<a class="btn" href="#">{escape(str(f["accept"]))}</a></div>'
        f'<div id="wrapper"><div id="banner" role="banner"><div class="logo-block">'
        f'<a href="{REAL}/{lang}/"><img src="/logo.png" alt="{escape(str(f["short_site"]))}"></a>'
        f'<span class="site-title">{escape(str(f["site"]))}</span></div>'
        f'<div class="search-block"><input type="text" placeholder="{escape(str(f["search"]))}">'
        f'<span>{escape(str(f["search"]))}</span></div>'
        f'<div id="navigation"><ul class="main-nav">{menu}</ul></div></div>'
        f'<div class="crumbs">{crumbs}</div>'
    )


def _chrome_bottom(lang: str) -> str:
    f = FURNITURE[lang]
    return (
        f'<div id="footer"><p>{escape(str(f["footer"]))}</p><p>© 2016 {escape(str(f["site"]))}</p></div></div>'
        "<script>Liferay.Util.addInputFocus();</script></body></html>"
    )


def _old_paths(guest: str = "", fr_section: str = "telefonnye-razgovory-ministra/-/asset_publisher/KLX3tiYzsCLY") -> dict[str, str]:
    return {
        lang: f"/{lang}/{guest}"
        + (fr_section if lang == "fr" else "foreign_policy/news/-/asset_publisher/cKNonkJE02Bw")
        + f"/content/id/{OLD_ID}"
        for lang in LANGS
    }


@dataclass(frozen=True)
class OldStyle:
    """How one old-layout variant dresses the same article."""

    bar: Callable[[str, dict[str, str]], str]  # (lang, paths) -> language bar html
    body_selector: str = "text article-content"
    tag: str = "p"
    additional_inside: bool = False
    title_tag: str = "h1"
    site_name_h1: bool = True
    alternates: Callable[[str], str] = lambda _lang: ""
    charset_meta: str | None = "utf-8"


def render_old(text: Text, paths: dict[str, str], style: OldStyle) -> str:
    f = FURNITURE[text.lang]
    lang = text.lang
    head = _head(f"{text.title} - {f['site']}", lang, charset_meta=style.charset_meta, alternates=style.alternates(lang))
    site_h1 = f'<h1 class="page-title"><span>{escape(str(f["site"]))}</span></h1>' if style.site_name_h1 else ""
    trailing = (
        f'<div class="article-additional"><h3>{escape(str(f["additional"]))}</h3><ul>'
        f'<li><a href="{REAL}/{lang}/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/2490001">'
        f'{escape(str(f["related"]))}</a></li></ul></div>'
        if not style.additional_inside else ""
    )  # fmt: skip
    body = old_body(text, tag=style.tag, additional_inside=style.additional_inside)
    return (
        f'<!DOCTYPE html><html class="ltr" dir="ltr" lang="{LOCALES[lang]}">{head}'
        f'<body class="yui3-skin-sam controls-visible guest-site signed-out public-page site">{_chrome_top(lang)}'
        f'<div id="content"><div class="page-content"><div class="portlet-layout">'
        f'<div class="portlet-column portlet-column-first" id="column-1">{site_h1}'
        f'<div class="portlet-boundary portlet-boundary_101_" id="p_p_id_101_INSTANCE_cKNonkJE02Bw_">'
        f'<section class="portlet"><header class="portlet-topper"><h1 class="portlet-title">'
        f'<span class="portlet-title-text">{escape(str(f["portlet"]))}</span></h1></header>'
        f'<div class="portlet-content"><div class="asset-full-content">'
        f'<div class="article-status-line"><span class="date"><span>{escape(text.date_old)}<i>{TIME_OLD}</i>'
        f'</span></span><span class="views"><img src="/eye.png" alt="">1274</span></div>'
        f"<{style.title_tag} class=\"title\">{escape(text.title)}</{style.title_tag}>"
        f"{style.bar(lang, paths)}"
        f'<div class="article-note"><span class="nowrap">{DOC_NUMBER}</span></div>'
        f'<div class="{style.body_selector}">{body}</div>'
        f'<div class="taglib-social-bookmarks"><a href="#">{escape(str(f["print"]))}</a> '
        f'<a href="#">{escape(str(f["share"]))}</a></div>{trailing}'
        f'<div class="search-advanced"><a href="{REAL}/{lang}/search">{escape(str(f["advanced"]))}</a></div>'
        f"</div></div></section></div></div></div></div></div>{_chrome_bottom(lang)}"
    )


def bar_locales(lang: str, paths: dict[str, str]) -> str:
    """The Liferay bar "de-DE1 en-GB1 ...": locale links with lang attributes and flags, a count each."""
    del lang
    entries = "".join(
        f'<li><a href="{REAL}{paths[other]}" lang="{LOCALES[other]}" class="taglib-icon">'
        f'<img class="icon" src="/html/themes/mid/images/language/{LOCALES[other].replace("-", "_")}.png" '
        f'alt="{LOCALES[other]}"> <span class="taglib-text">{LOCALES[other]}</span></a><sup>1</sup></li>'
        for other in LANGS
    )
    return f'<div class="locale-entries"><ul class="inline">{entries}</ul></div>'


def bar_flags(lang: str, paths: dict[str, str]) -> str:
    """Only flag images, their alt text naming the language; the current one is not a link."""
    cells = []
    for other in LANGS:
        flag = f'<img src="/flags/{other}.gif" alt="{NAMES[other]}" title="{NAMES[other]}">'
        cells.append(flag if other == lang else f'<a href="{REAL}{paths[other]}">{flag}</a>')
    return f'<div class="flags">{"".join(cells)}</div>'


def bar_language_id(lang: str, paths: dict[str, str]) -> str:
    """Liferay's own switch: links back to this page with ``languageId=xx_XX``, answered by a redirect."""
    links = "".join(
        f'<a href="{paths[lang]}?p_p_id=82&amp;p_p_lifecycle=1&amp;p_p_state=normal&amp;_82_struts_action='
        f'%2Flanguage%2Fview&amp;languageId={LOCALES[other].replace("-", "_")}" title="{NAMES[other]}">'
        f"{other.upper()}</a>"
        for other in LANGS
        if other != lang
    )
    return f'<div class="portlet-language"><span class="current">{lang.upper()}</span>{links}</div>'


def alternates_to_roots(lang: str) -> str:
    """hreflang tags that point to each language's home page, not to the item."""
    del lang
    return "".join(f'<link rel="alternate" hreflang="{LOCALES[o]}" href="{REAL}/{o}/">' for o in LANGS)


def _where(mode: Mode, path: str, host: str = "www.mid.ru") -> str:
    """A redirect target: relative on a local mirror, on a mid.ru host behind a proxy."""
    return path if mode == "local" else f"http://{host}{path}"


ROBOTS: Final = Route(body=b"User-agent: *\nCrawl-delay: 7\nDisallow: /c/portal/login\n", content_type="text/plain")
COOKIES: Final = {"Set-Cookie": "GUEST_LANGUAGE_ID=en_GB; Path=/; HttpOnly"}


def _html_route(html: str, *, encoding: str = "utf-8", header_charset: bool = True, gzipped: bool = False) -> Route:
    body = html.encode(encoding, errors="xmlcharrefreplace")  # "ñ" -> "&#241;" outside the charset
    headers = dict(COOKIES)
    if gzipped:
        body = gzip.compress(body)
        headers["Content-Encoding"] = "gzip"
    content_type = f"text/html; charset={encoding}" if header_charset else "text/html"
    return Route(body=body, content_type=content_type, headers=headers)


OLD_PUBLISHED: Final = datetime(2016, 10, 6, 19, 14, tzinfo=UTC)
NEW_PUBLISHED: Final = datetime(2016, 10, 6, tzinfo=UTC)


def old_locale_bar(mode: Mode) -> Variant:
    """Full Liferay chrome, the locale bar with lang attributes, hreflang to home pages, fr in another section."""
    paths = _old_paths()
    style = OldStyle(bar=bar_locales, alternates=alternates_to_roots)
    routes = {paths[lang]: _html_route(render_old(TEXTS[lang], paths, style)) for lang in LANGS}
    routes["/robots.txt"] = ROBOTS
    return Variant("old_locale_bar", "old", routes, dict(paths), dict(paths), OLD_PUBLISHED)


def old_flags_anons(mode: Mode) -> Variant:
    """Flags only (alt text), ``div.anons-text`` body of ``<div>`` paragraphs, "additional" block inside it,
    the Russian page in windows-1251 declared in a meta tag only, gzip, de under web/guest."""
    paths = _old_paths()
    paths["de"] = paths["de"].replace("/de/", "/de/web/guest/", 1)
    style = OldStyle(bar=bar_flags, body_selector="anons-text", tag="div", additional_inside=True)
    routes: dict[str, Route] = {}
    for lang in LANGS:
        if lang == "ru":
            html = render_old(TEXTS[lang], paths, OldStyle(**{**style.__dict__, "charset_meta": "windows-1251"}))
            routes[paths[lang]] = _html_route(html, encoding="windows-1251", header_charset=False, gzipped=True)
        else:
            routes[paths[lang]] = _html_route(render_old(TEXTS[lang], paths, style), gzipped=True)
    routes["/robots.txt"] = ROBOTS
    return Variant("old_flags_anons", "old", routes, dict(paths), dict(paths), OLD_PUBLISHED)


def old_language_id(mode: Mode) -> Variant:
    """``languageId`` switch links answered by redirects, web/guest start URLs redirected to the canonical
    path, the title in an h2 (only in ``<title>`` with the site name), no hreflang."""
    paths = _old_paths()
    style = OldStyle(bar=bar_language_id, title_tag="h2")
    routes: dict[str, Route] = {"/robots.txt": ROBOTS}
    starts = {}
    for lang in LANGS:
        routes[paths[lang]] = _html_route(render_old(TEXTS[lang], paths, style))
        guest = paths[lang].replace(f"/{lang}/", f"/{lang}/web/guest/", 1)
        routes[guest] = Route.redirect(_where(mode, paths[lang]), status=301)
        starts[lang] = guest
        for other in LANGS:
            if other != lang:
                switch = (f"{paths[lang]}?p_p_id=82&p_p_lifecycle=1&p_p_state=normal&_82_struts_action="
                          f"%2Flanguage%2Fview&languageId={LOCALES[other].replace('-', '_')}")  # fmt: skip
                routes[switch] = Route(status=302, headers={"Location": _where(mode, paths[other]), **COOKIES})
    extra = {"start": 1, **{lang: 1 for lang in LANGS}}  # the web/guest start, each languageId switch
    return Variant("old_language_id", "old", routes, starts, dict(paths), OLD_PUBLISHED, extra_requests=extra)


def old_no_switcher(mode: Mode) -> Variant:
    """No switcher, no hreflang: only the URL rules. Behind the proxy the www host moves to archive.mid.ru;
    the fr rule URL redirects to fr's own section."""
    paths = _old_paths()
    style = OldStyle(bar=lambda _lang, _paths: "", site_name_h1=False)
    routes: dict[str, Route] = {"/robots.txt": ROBOTS}
    for lang in LANGS:
        routes[paths[lang]] = _html_route(render_old(TEXTS[lang], paths, style))
    ruled_fr = _old_paths()["en"].replace("/en/", "/fr/", 1)
    routes[ruled_fr] = Route.redirect(_where(mode, paths["fr"], "archive.mid.ru"), status=301)
    # from fr, each other version first tries fr's section, with and without web/guest: two 404s each
    from_fr = {"fr": 2 * (len(LANGS) - 1)}
    if mode == "proxy":  # www.mid.ru answers with a redirect to the archive for every old item
        return Variant("old_no_switcher", "old", _archive_split(routes, paths), dict(paths), dict(paths),
                       OLD_PUBLISHED, final_host="archive.mid.ru", extra_requests={"fr": 1, "start": 1},
                       start_extra=from_fr)  # fmt: skip
    return Variant("old_no_switcher", "old", routes, dict(paths), dict(paths), OLD_PUBLISHED,
                   extra_requests={"fr": 1}, start_extra=from_fr)  # fmt: skip


def _archive_split(routes: dict[str, Route], paths: dict[str, str]) -> dict[str, Route]:
    """Routes keyed by host and path (see :meth:`scrapers.testing.localsite.LocalSite.respond_to`)."""
    split = {f"archive.mid.ru{path}": route for path, route in routes.items()}
    for path in (*paths.values(), "/robots.txt"):
        target = Route.redirect(f"http://archive.mid.ru{path}", status=301) if path != "/robots.txt" else ROBOTS
        split[f"www.mid.ru{path}"] = target
    return split


# --- new layout markup -------------------------------------------------------------------------


def _new_chrome(lang: str, switcher: str, inner: str, charset_meta: str | None = "utf-8") -> str:
    f = FURNITURE[lang]
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    menu = "".join(f'<a class="menu__link" href="/{lang}/m{i}/">{escape(str(m))}</a>' for i, m in enumerate(f["menu"]))  # type: ignore[arg-type]
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head>{meta}<title>{escape(str(f["short_site"]))}</title>'
        '<script src="/local/templates/main/js/app.min.js" defer></script>'
        '<link rel="stylesheet" href="/local/templates/main/css/app.min.css"></head><body>'
        f'<div class="cookie-bar"><span>{escape(str(f["cookie"]))}</span><button>{escape(str(f["accept"]))}</button></div>'
        f'<header class="header"><a class="header__logo" href="/{lang}/">{escape(str(f["site"]))}</a>'
        f'<nav class="menu">{menu}</nav><div class="header__search">{escape(str(f["search"]))}</div>'
        f"{switcher}</header><main class=\"main\"><div class=\"container\">"
        f'<div class="breadcrumbs">{" / ".join(escape(str(c)) for c in f["crumbs"])}</div>'  # type: ignore[attr-defined]
        f"{inner}</div></main>"
        f'<footer class="footer"><div>{escape(str(f["footer"]))}</div><div>© {escape(str(f["site"]))}</div></footer>'
        "</body></html>"
    )


def new_body_with_contents(text: Text) -> str:
    """Paragraphs with a contents list up front and a "back to contents" link after each section."""
    f = FURNITURE[text.lang]
    headings = [p for p, k in zip(text.paragraphs, text.kinds, strict=True) if k == "heading"]
    toc = "".join(f'<li><a href="#{n}">{escape(h)}</a></li>' for n, h in enumerate(headings, 1))
    parts = [f'<h2 id="top">{escape(str(f["contents"]))}</h2><ol class="contents">{toc}</ol>']
    section = 0
    for index, (paragraph, kind) in enumerate(zip(text.paragraphs, text.kinds, strict=True)):
        if kind == "heading":
            if section:
                parts.append(f'<p><a href="#top">{escape(str(f["back"]))}</a></p>')
            section += 1
            parts.append(f'<p style="text-align:center"><a name="{section}"></a><strong>{escape(paragraph)}</strong></p>')
        elif index in (6, 7):
            parts.append(f"<p>–&nbsp;{escape(paragraph)}</p>".replace("–&nbsp;", "", 1))
        else:
            parts.append(f"<p>{escape(paragraph)}</p>")
    parts.append(f'<p><a href="#top">{escape(str(f["back"]))}</a></p>')
    return "".join(parts)


def render_new_photo(text: Text, switch_links: dict[str, str]) -> str:
    f = FURNITURE[text.lang]
    switcher = '<div class="lang-select">' + "".join(
        f'<a href="{escape(href)}" class="lang-select__item">{other.upper()}</a>' for other, href in switch_links.items()
    ) + "</div>"
    inner = (
        f'<div class="photo-content"><div class="photo-content__info">'
        f'<span class="photo-content__date">{escape(text.date_new)}</span>'
        f'<span class="photo-content__type">{escape(str(f["crumbs"][2]))}</span></div>'  # type: ignore[index]
        f'<h1 class="photo-content__title">{escape(text.title)}</h1></div>'
        f'<div class="article-line"><p class="article-line__note">{DOC_NUMBER}</p>'
        f'<a class="article-line__print" href="#">{escape(str(f["print"]))}</a></div>'
        f'<div class="text article-content">{new_body_with_contents(text)}</div>'
        f'<div class="share-block">{escape(str(f["share"]))}</div>'
        f'<div class="related"><h3>{escape(str(f["additional"]))}</h3>'
        f'<a href="/{text.lang}/foreign_policy/news/1864000/">{escape(str(f["related"]))}</a></div>'
    )
    return _new_chrome(text.lang, switcher, inner)


NEW_SLUGS: Final = {
    "de": "aussenpolitik/nachrichten", "en": "foreign_policy/news", "es": "politica_exterior/noticias",
    "fr": "politique_etrangere/actualites", "ru": "foreign_policy/news",
}  # fmt: skip


def new_photo(mode: Mode) -> Variant:
    """The 2021+ layout, a different section slug per interface language, ``?lang=`` switch links,
    a contents list, the date in each language's own format."""
    routes: dict[str, Route] = {"/robots.txt": ROBOTS}
    for ui in LANGS:
        base = f"/{ui}/{NEW_SLUGS[ui]}/{NEW_ID}/"
        for lang in LANGS:
            switch = {other: f"?lang={other}" for other in LANGS}
            routes[f"{base}?lang={lang}"] = _html_route(render_new_photo(TEXTS[lang], switch))
        routes[base] = routes[f"{base}?lang={ui}"]
    starts = {lang: f"/{lang}/{NEW_SLUGS[lang]}/{NEW_ID}/?lang={lang}" for lang in LANGS}
    return Variant("new_photo", "new", routes, starts, {}, NEW_PUBLISHED, proxy_host="mid.ru")


def render_announcement(text: Text, *, charset_meta: str | None) -> str:
    paragraphs = "".join(
        f"<h4>{escape(p)}</h4>" if k == "heading" else f"<p>{escape(p)}</p>"
        for p, k in zip(text.paragraphs, text.kinds, strict=True)
    )
    inner = (
        '<ul class="announcements"><li class="announcement">'
        f'<div class="announcement__meta">{escape(text.date_new)}</div>'
        f'<h3 class="announcement__title">{escape(text.title)}</h3>'
        f'<div class="announcement__doc-num">{DOC_NUMBER}</div>'
        f'<div class="announcement__text">{paragraphs}</div></li></ul>'
    )
    return _new_chrome(text.lang, "", inner, charset_meta=charset_meta)


def new_announcements(mode: Mode) -> Variant:
    """The second template on the generic ``detail-material-page`` route, no switcher at all, the date in an
    element whose class does not say "date", the Russian text in windows-1251 declared in the header only, gzip."""
    routes: dict[str, Route] = {"/robots.txt": ROBOTS}
    for ui in LANGS:
        base = f"/{ui}/detail-material-page/{NEW_ID}/"
        for lang in LANGS:
            if lang == "ru":
                html = render_announcement(TEXTS[lang], charset_meta=None)
                route = _html_route(html, encoding="windows-1251", gzipped=True)
            else:
                route = _html_route(render_announcement(TEXTS[lang], charset_meta="utf-8"), gzipped=True)
            routes[f"{base}?lang={lang}"] = route
        routes[base] = routes[f"{base}?lang={ui}"]
    starts = {lang: f"/{lang}/detail-material-page/{NEW_ID}/" for lang in LANGS}
    return Variant("new_announcements", "new", routes, starts, {}, NEW_PUBLISHED, proxy_host="mid.ru")


def bar_names_in_body(lang: str, paths: dict[str, str]) -> str:
    """Language names separated by bars, the current one not a link, as the body's first block."""
    entries = [
        f"<span>{NAMES[other]}</span>" if other == lang else f'<a href="{REAL}{paths[other]}">{NAMES[other]}</a>'
        for other in LANGS
    ]
    return f'<p class="versions">{" | ".join(entries)}</p>'


def table_body(text: Text, paths: dict[str, str]) -> str:
    """The body inside a layout table, the language bar as its first row, a question and its answer in one
    paragraph separated by ``<br><br>``, one subheading as ``h4``."""
    cells = [bar_names_in_body(text.lang, paths)]
    paragraphs = list(zip(text.paragraphs, text.kinds, strict=True))
    index = 0
    while index < len(paragraphs):
        paragraph, kind = paragraphs[index]
        if index == 9:  # question and answer in one <p>, as some editors leave them
            answer = paragraphs[index + 1][0]
            cells.append(f"<p>{escape(paragraph)}<br>\n<br>\n{escape(answer)}</p>")
            index += 2
            continue
        if kind == "heading":
            cells.append(f"<h4>{escape(paragraph)}</h4>" if index > 5 else f'<p align="center"><strong>{escape(paragraph)}</strong></p>')
        else:
            line = _FIRST_SENTENCE.match(paragraph) if index == 4 else None
            body = f"{escape(line['first'])}<br>\n{escape(line['rest'])}" if line else escape(paragraph)
            cells.append(f"<p>{body}</p>")
        index += 1
    return f'<table class="MsoNormalTable" width="100%"><tbody><tr><td>{"".join(cells)}</td></tr></tbody></table>'


def render_old_table(text: Text, paths: dict[str, str]) -> str:
    """Old layout whose status line gives the time first, the body in a layout table."""
    html = render_old(text, paths, OldStyle(bar=lambda _lang, _paths: ""))
    start, end = html.index('<div class="text article-content">'), html.index('<div class="taglib-social-bookmarks">')
    html = html[:start] + f'<div class="text article-content">{table_body(text, paths)}</div>' + html[end:]
    status = f"<span><span>{escape(text.date_old)}<i>{TIME_OLD}</i></span></span>"
    return html.replace(status, f"<span><span>{TIME_OLD}</span> <span>{escape(text.date_old)}</span></span>", 1)


def old_bar_in_body(mode: Mode) -> Variant:
    """The language bar (language names) inside the body, a layout table, ``<br><br>`` between two
    paragraphs, the time before the date."""
    paths = _old_paths()
    routes: dict[str, Route] = {path: _html_route(render_old_table(TEXTS[lang], paths)) for lang, path in paths.items()}
    routes["/robots.txt"] = ROBOTS
    return Variant("old_bar_in_body", "old", routes, dict(paths), dict(paths), OLD_PUBLISHED)


def render_old_div_title(text: Text, paths: dict[str, str]) -> str:
    """The title in a ``div``, headed links in a sidebar above the body, og:title with the short site name."""
    f = FURNITURE[text.lang]
    html = render_old(text, paths, OldStyle(bar=bar_locales, site_name_h1=False))
    html = html.replace(f'<h1 class="title">{escape(text.title)}</h1>', f'<div class="heading-title">{escape(text.title)}</div>', 1)
    sidebar = (f'<div class="portlet-column portlet-column-last"><div class="news-feed"><h2>{escape(str(f["related"]))}</h2>'
               f'<ul><li><a href="{REAL}/{text.lang}/photo">{escape(str(f["photos"]))}</a></li></ul></div></div>')  # fmt: skip
    html = html.replace('<div class="portlet-column portlet-column-first"', sidebar + '<div class="portlet-column portlet-column-first"', 1)
    og = f'<meta property="og:title" content="{escape(text.title)} | {escape(str(f["short_site"]))}">'
    return html.replace("<head>", f"<head>{og}", 1)


def old_div_title(mode: Mode) -> Variant:
    """The title is no heading; the nearest heading above the body belongs to a sidebar."""
    paths = _old_paths()
    routes = {path: _html_route(render_old_div_title(TEXTS[lang], paths)) for lang, path in paths.items()}
    routes["/robots.txt"] = ROBOTS
    return Variant("old_div_title", "old", routes, dict(paths), dict(paths), OLD_PUBLISHED)


def new_ui_paths(mode: Mode) -> Variant:
    """Every version only under its own interface path (``/de/.../ID/``), ``?lang=`` unknown, no switcher."""
    routes: dict[str, Route] = {"/robots.txt": ROBOTS}
    for lang in LANGS:
        routes[f"/{lang}/foreign_policy/news/{NEW_ID}/"] = _html_route(render_new_photo(TEXTS[lang], {}))
    starts = {lang: f"/{lang}/foreign_policy/news/{NEW_ID}/" for lang in LANGS}
    # each other version: the ?lang= guess answers 404 first
    extra = dict.fromkeys(LANGS, 1)
    return Variant("new_ui_paths", "new", routes, starts, dict(starts), NEW_PUBLISHED, proxy_host="mid.ru",
                   final_host="mid.ru", extra_requests=extra)  # fmt: skip


UNKNOWN_BODY: Final = "article__body-text"  # a body class no selector knows


def old_unknown_body(mode: Mode) -> Variant:
    """The body in ``<div>`` runs under a class no selector knows; the locale bar in the page."""
    paths = _old_paths()
    style = OldStyle(bar=bar_locales, body_selector=UNKNOWN_BODY, tag="div")
    routes = {path: _html_route(render_old(TEXTS[lang], paths, style)) for lang, path in paths.items()}
    routes["/robots.txt"] = ROBOTS
    return Variant("old_unknown_body", "old", routes, dict(paths), dict(paths), OLD_PUBLISHED, unknown_body=True)


def new_unknown_body(mode: Mode) -> Variant:
    """The 2021+ layout with the body under a class no selector knows."""
    variant = new_photo(mode)
    routes = {path: replace(route, body=route.body.replace(b"text article-content", UNKNOWN_BODY.encode()))
              for path, route in variant.routes.items()}  # fmt: skip
    return Variant("new_unknown_body", "new", routes, variant.starts, {}, NEW_PUBLISHED, proxy_host="mid.ru",
                   unknown_body=True)  # fmt: skip


def new_slash_redirect(mode: Mode) -> Variant:
    """Start URLs without the trailing slash, answered by a 301 to the slashed path (query kept)."""
    variant = new_photo(mode)
    routes = dict(variant.routes)
    starts = {}
    for lang, start in variant.starts.items():
        path, _, query = start.partition("?")
        bare = f"{path.rstrip('/')}?{query}"
        routes[bare] = Route.redirect(_where(mode, start, "mid.ru"), status=301)
        starts[lang] = bare
    return Variant("new_slash_redirect", "new", routes, starts, {}, NEW_PUBLISHED, proxy_host="mid.ru",
                   extra_requests={"start": 1})  # fmt: skip


SHARED_LINES: Final = ("Департамент информации и печати МИД России", "Telegram · VK · RuTube")


def old_shared_lines(mode: Mode) -> Variant:
    """Every version's body opens and closes with the same Russian lines (a press-office label, social
    links as plain text) that no selector or word list knows."""
    paths = _old_paths()
    first, last = SHARED_LINES
    routes: dict[str, Route] = {"/robots.txt": ROBOTS}
    for lang, path in paths.items():
        html = render_old(TEXTS[lang], paths, OldStyle(bar=bar_locales))
        html = html.replace('<div class="text article-content">', f'<div class="text article-content"><p>{first}</p>', 1)
        social = '<div class="taglib-social-bookmarks">'
        html = html.replace(f"</div>{social}", f'<p class="dxl-par">{last}</p></div>{social}', 1)
        routes[path] = _html_route(html)
    return Variant("old_shared_lines", "old", routes, dict(paths), dict(paths), OLD_PUBLISHED)


VARIANTS: Final[dict[str, Callable[[Mode], Variant]]] = {
    "old_shared_lines": old_shared_lines,
    "new_slash_redirect": new_slash_redirect,
    "old_unknown_body": old_unknown_body,
    "new_unknown_body": new_unknown_body,
    "old_div_title": old_div_title,
    "new_ui_paths": new_ui_paths,
    "old_bar_in_body": old_bar_in_body,
    "old_locale_bar": old_locale_bar,
    "old_flags_anons": old_flags_anons,
    "old_language_id": old_language_id,
    "old_no_switcher": old_no_switcher,
    "new_photo": new_photo,
    "new_announcements": new_announcements,
}
