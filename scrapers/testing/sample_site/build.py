"""Render the sample site's pages from ``texts/`` and write ``site.json``.

Run ``python -m scrapers.testing.sample_site.build`` after changing a text; the output
is committed. The render functions are also used by the tests to make
variants (no language switcher, a page without a body). The markup follows
../shared/SITES.md, with the furniture the real pages carry around the
article: portlet title, language bar, menus, share/print widgets, "Additional
materials"/"Advanced settings", and a contents list with "Back to contents"
links in the new layout.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Final

from scrapers.testing.sample_site import GENERIC_PATHS, LANGS, NEW_PATHS, OLD_PATHS, SAMPLE_DIR

TEXTS_DIR: Final = SAMPLE_DIR / "texts"
RUN_CHARS: Final = 37  # dxl-run pieces are cut every RUN_CHARS characters, mid-word on purpose
# "6 October 201619:14" -> ("6 October 2016", "19:14")
DATE_AND_TIME: Final = re.compile(r"^(?P<date>.*?\d{4})(?P<time>\d{1,2}:\d{2})$")
SITE_NAME: Final = "Министерство иностранных дел Российской Федерации"
LOCALES: Final = {"de": "de-DE", "en": "en-GB", "es": "es-ES", "fr": "fr-FR", "ru": "ru-RU"}


@dataclass(frozen=True)
class Furniture:
    """Localized site furniture that must never reach the extracted article."""

    portlet: str
    additional: str
    advanced: str
    print: str
    share: str
    contents: str
    back: str
    menu: tuple[str, ...]


FURNITURE: Final[dict[str, Furniture]] = {
    "de": Furniture("Asset Publisher", "Zusätzliche Materialien", "Erweiterte Einstellungen", "Drucken",
                    "Teilen", "Inhalt", "Zurück zum Inhalt", ("Startseite", "Nachrichten", "Kontakte")),
    "en": Furniture("Asset Publisher", "Additional materials", "Advanced settings", "Print", "Share",
                    "Contents", "Back to contents", ("Home", "News", "Contacts")),
    "es": Furniture("Publicador de contenidos", "Materiales adicionales", "Configuración avanzada",
                    "Imprimir", "Compartir", "Índice", "Volver al índice", ("Inicio", "Noticias", "Contactos")),
    "fr": Furniture("Agrégateur de contenus", "Documents supplémentaires", "Paramètres avancés", "Imprimer",
                    "Partager", "Sommaire", "Retour au sommaire", ("Accueil", "Actualités", "Contacts")),
    "ru": Furniture("Публикатор", "Дополнительные материалы", "Расширенные настройки", "Печать",
                    "Поделиться", "Содержание", "К содержанию", ("Главная", "Новости", "Контакты")),
}  # fmt: skip


@dataclass(frozen=True)
class SampleText:
    lang: str
    title: str
    date_old: str
    date_new: str
    doc_number: str
    paragraphs: tuple[str, ...]
    kinds: tuple[str, ...]


def load_texts(folder: Path = TEXTS_DIR) -> dict[str, SampleText]:
    """The five texts; a paragraph is its sentences joined by one space."""
    texts = {}
    for lang in LANGS:
        data = json.loads((folder / f"{lang}.json").read_text(encoding="utf-8"))
        paragraphs = data["paragraphs"]
        texts[lang] = SampleText(
            lang, data["title"], data["date_old"], data["date_new"], data["doc_number"],
            tuple(" ".join(p["sentences"]) for p in paragraphs), tuple(p["kind"] for p in paragraphs),
        )  # fmt: skip
    return texts


def _runs(text: str) -> str:
    """``<span class="dxl-run">`` pieces cut mid-word; the first space is an NBSP."""
    text = text.replace(" ", "\xa0", 1)
    pieces = [text[i : i + RUN_CHARS] for i in range(0, len(text), RUN_CHARS)]
    return "".join(f'<span class="dxl-run">{escape(piece)}</span>' for piece in pieces)


def _menu(lang: str) -> str:
    items = "".join(f'<li><a href="/{lang}/{i}">{escape(item)}</a></li>' for i, item in enumerate(FURNITURE[lang].menu))
    return f'<nav class="main-menu"><ul>{items}</ul></nav>'


def _trailing_blocks(lang: str) -> str:
    f = FURNITURE[lang]
    return (
        f'<div class="share-print"><a href="javascript:window.print()">{escape(f.print)}</a> '
        f'<a class="share-button" href="#">{escape(f.share)}</a></div>'
        f'<div class="additional-materials"><h2>{escape(f.additional)}</h2>'
        f'<ul><li><a href="/{lang}/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/2490001">'
        f"{escape(f.menu[1])} 2490001</a></li></ul></div>"
        f'<div class="advanced-settings"><h3>{escape(f.advanced)}</h3><p>{escape(f.print)}</p></div>'
    )


def render_old(text: SampleText, *, links: Mapping[str, str] | None = None, body: bool = True) -> str:
    """The Liferay layout; ``links`` (lang -> path) fill the language bar."""
    match = DATE_AND_TIME.match(text.date_old)
    day, time = (match.group("date"), match.group("time")) if match else (text.date_old, "")
    bar = "".join(
        f'<li><a lang="{LOCALES[lang]}" href="{escape(path)}">{LOCALES[lang]}</a><sup>1</sup></li>'
        for lang, path in (links or {}).items()
    )
    paragraphs = []
    for paragraph, kind in zip(text.paragraphs, text.kinds):
        if kind == "heading":
            paragraphs.append(f'<p class="dxl-par" style="text-align: center;"><b>{_runs(paragraph)}</b></p>')
        else:
            paragraphs.append(f'<p class="dxl-par">{_runs(paragraph)}</p>')
        paragraphs.append('<p class="dxl-par">&nbsp;</p>')
    article = f'<div class="text article-content">{"".join(paragraphs)}</div>' if body else ""
    return (
        f'<!DOCTYPE html><html lang="{LOCALES[text.lang]}"><head><meta charset="utf-8">'
        f"<title>{escape(text.title)} - {SITE_NAME}</title></head><body>"
        f'<header id="banner"><div class="logo">{SITE_NAME}</div>{_menu(text.lang)}</header>'
        f'<div class="page-content"><div class="portlet-column portlet-column-first">'
        f'<h1 class="site-heading">{SITE_NAME}</h1><section class="portlet">'
        f'<header class="portlet-topper"><h1 class="portlet-title"><span class="portlet-title-text">'
        f"{escape(FURNITURE[text.lang].portlet)}</span></h1></header><div class=\"portlet-body\">"
        f'<div class="article-status-line"><span><span>{escape(day)}<i>{time}</i></span></span></div>'
        f"<h1>{escape(text.title)}</h1>"
        f'<div class="language-bar"><ul>{bar}</ul></div>'
        f'<div class="article-note">№ <span class="nowrap">{escape(text.doc_number)}</span></div>'
        f"{article}{_trailing_blocks(text.lang)}</div></section></div></div>"
        f'<footer><p>© {SITE_NAME}</p></footer></body></html>'
    )


def render_new(text: SampleText, *, links: Mapping[str, str] | None = None, body: bool = True) -> str:
    """The 2021+ layout: ``?lang=`` switcher, contents list and "Back to contents" links."""
    f = FURNITURE[text.lang]
    switcher = "".join(f'<a href="{escape(path)}">{lang.upper()}</a>' for lang, path in (links or {}).items())
    headings = [p for p, kind in zip(text.paragraphs, text.kinds) if kind == "heading"]
    contents = "".join(f'<p><a href="#s{i}">{escape(h)}</a></p>' for i, h in enumerate(headings, 1))
    parts = [f'<h2 id="contents">{escape(f.contents)}</h2>{contents}'] if headings else []
    section = 0
    for paragraph, kind in zip(text.paragraphs, text.kinds):
        if kind == "heading":
            if section:
                parts.append(f'<p><a href="#contents">{escape(f.back)}</a></p>')
            section += 1
            parts.append(f'<h3 id="s{section}">{escape(paragraph)}</h3>')
        else:
            parts.append(f"<p>{escape(paragraph)}</p>")
    if section:
        parts.append(f'<p><a href="#contents">{escape(f.back)}</a></p>')
    article = f'<div class="text article-content">{"".join(parts)}</div>' if body else ""
    return (
        f'<!DOCTYPE html><html lang="{text.lang}"><head><meta charset="utf-8">'
        f"<title>{escape(text.title)}</title></head><body>"
        f'<header class="header"><a class="logo" href="/">{SITE_NAME}</a>{_menu(text.lang)}'
        f'<div class="lang-switcher">{switcher}</div></header><main class="page">'
        f'<div class="photo-content"><div class="photo-content__date">{escape(text.date_new)}</div>'
        f'<h1 class="photo-content__title">{escape(text.title)}</h1></div>'
        f'<div class="article-line"><p class="article-line__note">{escape(text.doc_number)}</p></div>'
        f"{article}{_trailing_blocks(text.lang)}</main>"
        f'<footer class="footer">© {SITE_NAME}</footer></body></html>'
    )


def render_generic(text: SampleText, *, links: Mapping[str, str] | None = None, body: bool = True) -> str:
    """A generic site: hreflang tags in the head and a switcher of language names."""
    names = {"de": "Deutsch", "en": "English", "es": "Español", "fr": "Français", "ru": "Русский"}
    alternates = "".join(
        f'<link rel="alternate" hreflang="{lang}" href="{escape(path)}">' for lang, path in (links or {}).items()
    )
    switcher = "".join(f'<li><a href="{escape(path)}">{names[lang]}</a></li>' for lang, path in (links or {}).items())
    parts = [
        f"<h2>{escape(p)}</h2>" if kind == "heading" else f"<p>{escape(p)}</p>"
        for p, kind in zip(text.paragraphs, text.kinds)
    ]
    content = f'<div class="entry-content">{"".join(parts)}</div>' if body else ""
    return (
        f'<!DOCTYPE html><html lang="{text.lang}"><head><meta charset="utf-8">'
        f"<title>{escape(text.title)} | Press service</title>{alternates}</head><body>"
        f'<header><div class="site-name">Press service</div>{_menu(text.lang)}'
        f'<ul class="lang-menu">{switcher}</ul></header><main><article>'
        f'<h1 class="entry-title">{escape(text.title)}</h1>'
        f'<time datetime="2016-10-06T19:14:00+03:00">{escape(text.date_new)}</time>'
        f"{content}{_trailing_blocks(text.lang)}</article></main><footer>Press service</footer></body></html>"
    )


def build(out: Path = SAMPLE_DIR) -> list[dict[str, str]]:
    """Write every page and ``site.json``; return the manifest routes."""
    texts = load_texts()
    routes = []
    for folder, paths, render in (
        ("old", OLD_PATHS, render_old),
        ("new", NEW_PATHS, render_new),
        ("generic", GENERIC_PATHS, render_generic),
    ):
        (out / folder).mkdir(exist_ok=True)
        for lang in LANGS:
            (out / folder / f"{lang}.html").write_text(render(texts[lang], links=paths), encoding="utf-8")
            routes.append({"path": paths[lang], "file": f"{folder}/{lang}.html"})
    # the new layout's path without ?lang= shows the interface language's text
    routes.append({"path": NEW_PATHS["ru"].split("?")[0], "file": "new/ru.html"})
    (out / "site.json").write_text(json.dumps({"routes": routes}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return routes


if __name__ == "__main__":
    build()
