"""Article extraction shared by the site adapters.

Adapters locate the title, date, document number and body with their own
selectors; the helpers here turn a body element into clean, ordered
paragraphs (subheadings marked), drop the site furniture that sits inside or
next to article bodies, and fall back to trafilatura's main-content detection
when an adapter's selectors find no body.
"""

from __future__ import annotations

import codecs
import logging
import re
import warnings
from collections.abc import Iterable, Iterator
from typing import Any, Final

from bs4 import BeautifulSoup, Tag, XMLParsedAsHTMLWarning
from bs4.element import NavigableString

from scrapers.errors import ExtractionError
from scrapers.extract.dates import parse_date
from scrapers.http.decoding import decode_body, fitting_charset
from scrapers.langtags import lang_code
from scrapers.records import ParaKind
from scrapers.sites.furniture import PORTLET_TITLES, SITE_NAMES

log = logging.getLogger(__name__)

# The Liferay language bar as page text: "de-DE1 en-GB1 es-ES1 ru-RU1 fr-FR1", or one entry "fr-FR 1"
LANGUAGE_BAR: Final = re.compile(r"^(?:\W*[a-z]{2}[-_][A-Z]{2}\s*\d*\W*)+$")
# Two line breaks with only spaces between: "A<br><br>B", "A<br/>&nbsp;<br/>B" (raw_text writes <br> as "\n")
DOUBLE_BREAK: Final = re.compile(r"\n[^\S\n]*\n\s*")
# Characters that only look like space or nothing: NBSP, thin spaces, zero-width, soft hyphen
_INVISIBLE: Final = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\xad]")
_SPACES: Final = re.compile(r"[\s\xa0\u2000-\u200a\u202f\u205f\u3000]+")
# Things around a short UI label that do not change what it says: "« Back to contents ↑"
_LABEL_PUNCTUATION: Final = re.compile(r"[^\w\s]+")

BACK_TO_CONTENTS: Final = frozenset(
    {"back to contents", "back to content", "к содержанию", "вернуться к содержанию",
     "zurück zum inhalt", "zurück zum inhaltsverzeichnis", "zum inhalt", "retour au sommaire",
     "retour à la table des matières", "retour au contenu", "volver al índice",
     "volver al contenido", "al índice", "al contenido", "regresar al índice"}
)  # fmt: skip
CONTENTS_HEADINGS: Final = frozenset(
    {"contents", "content", "содержание", "оглавление", "inhalt", "inhaltsverzeichnis",
     "sommaire", "table des matières", "índice", "contenido", "contenidos"}
)  # fmt: skip
# A paragraph with this text starts the trailing site blocks: it and everything after it go.
TRAILING_BLOCKS: Final = frozenset(
    {"additional materials", "дополнительные материалы", "zusätzliche materialien",
     "weitere materialien", "zusatzmaterialien", "materiales adicionales",
     "documents supplémentaires", "matériaux supplémentaires", "documents complémentaires",
     "advanced settings", "расширенные настройки", "расширенный поиск",
     "erweiterte einstellungen", "configuración avanzada", "ajustes avanzados",
     "paramètres avancés", "réglages avancés"}
)  # fmt: skip
WIDGET_LABELS: Final = frozenset(
    {"print", "share", "print version", "печать", "версия для печати", "поделиться",
     "распечатать", "drucken", "teilen", "druckversion", "imprimer", "partager",
     "version imprimable", "imprimir", "compartir", "versión para imprimir", "tweet", "email",
     "e-mail", "send", "отправить"}
)  # fmt: skip

DROPPED_TAGS: Final = frozenset(
    {"script", "style", "noscript", "nav", "form", "button", "iframe", "img", "svg", "select",
     "input", "template", "head", "aside", "footer", "header", "menu"}
)  # fmt: skip
# class/id fragments of furniture inside or beside bodies: share bars, print links, switchers
FURNITURE: Final = re.compile(
    r"share|print|social|breadcrumb|lang(?:uage)?[-_ ]?(?:bar|switch|select|list|menu)|"
    r"portlet-title|back-?to|toc|table-of-contents|contents-list|advanced|additional|hidden",
    re.IGNORECASE,
)
LEAF_BLOCKS: Final = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt"})
BLOCKS: Final = LEAF_BLOCKS | {
    "div", "section", "article", "ul", "ol", "dl", "table", "tbody", "thead", "tr", "td", "th",
    "main", "figure", "figcaption", "center",
}  # fmt: skip
# Between the entries of a language bar: "Deutsch | English", "DE · EN", "de-DE1 en-GB1"
BAR_SEPARATORS: Final = re.compile(r"[\s|/·•,;]+")
# Share of link text that makes a block an entry of a list of links
LINK_ENTRY_SHARE: Final = 0.7
# A heading over a trailing list of links is the site's block title if it is this short
MAX_BLOCK_TITLE_WORDS: Final = 4
HEADING_TAGS: Final = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# "1868-06-10-2016", "06.10.2016 19:14", "No. 12"
NUMBERS_ONLY: Final = re.compile(r"^(?:№|No\.?|Nr\.?)?[\d\s./:-]+$")
# Less running text than this from the generic extractor is page furniture, not an article.
MIN_FALLBACK_CHARS: Final = 80
# style="text-align: center" / align="center" / class="...center..."
_CENTRED: Final = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)


def is_metadata_line(text: str) -> bool:
    """A date line or a bare number, which generic extraction picks up from page headers."""
    return bool(NUMBERS_ONLY.match(text)) or (len(text) < 40 and parse_date(text) is not None)


def parse_html(html: str) -> BeautifulSoup:
    """The page as HTML, even when it starts like XML (XHTML, a feed): bs4's warning about it is expected."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(html, "lxml")


def parse_page(body: bytes, content_type: str) -> BeautifulSoup:
    """A fetched page as HTML, parsed from its bytes when they are valid UTF-8.

    Handing lxml the bytes keeps no decoded copy of the page beside the tree (a
    15 MB page peaks about 30 MB lower); other charsets and pages with bad bytes
    are decoded as ``Page.text`` decodes them, so every page reads the same.
    """
    charset = fitting_charset(body, content_type)
    if charset is not None and codecs.lookup(charset).name == "utf-8":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            return BeautifulSoup(body, "lxml", from_encoding="utf-8")
    return parse_html(decode_body(body, content_type))


def normalize_text(text: str) -> str:
    """NBSP and friends -> space, invisible characters removed, whitespace collapsed."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


def label_of(text: str) -> str:
    """A short text reduced to what it says, for comparing with UI labels."""
    return normalize_text(_LABEL_PUNCTUATION.sub(" ", text)).casefold()


def inline_text(element: Tag) -> str:
    """The text of an element as a reader sees it: runs (``span.dxl-run``) joined as written."""
    return normalize_text(raw_text(element))


def raw_text(element: Tag) -> str:
    """The text of an element with its spaces as written (a run may end in the space before the next)."""
    pieces: list[str] = []
    for node in element.descendants:
        if isinstance(node, NavigableString):
            if not _inside_dropped(node, element):
                pieces.append(_source_spaces(str(node)))
        elif isinstance(node, Tag) and node.name == "br":
            pieces.append("\n")
    return "".join(pieces)


def _source_spaces(text: str) -> str:
    """Line breaks in the HTML source are spaces; only ``<br>`` breaks a line (as "\\n" in raw text)."""
    return text.replace("\r", " ").replace("\n", " ")


def _paragraph_texts(raw: str) -> list[str]:
    """Raw block text -> its paragraphs: a blank line (``<br><br>``) separates two, a single break is a space."""
    return [text for text in (normalize_text(part) for part in DOUBLE_BREAK.split(raw)) if text]


def _inside_dropped(node: NavigableString, root: Tag) -> bool:
    if type(node) is not NavigableString:  # comments, CDATA, doctype
        return True
    for parent in node.parents:
        if parent is root:
            return False
        if parent.name in DROPPED_TAGS:
            return True
    return False


def is_furniture(element: Tag) -> bool:
    """Share bars, print links, language switchers and other non-article blocks."""
    if element.name in DROPPED_TAGS:
        return True
    marks = " ".join(element.get("class") or []) + " " + str(element.get("id") or "")
    return bool(marks.strip()) and bool(FURNITURE.search(marks))


def is_heading(element: Tag, text: str) -> bool:
    """h1-h6, centred paragraphs and paragraphs whose whole text is bold."""
    if element.name in HEADING_TAGS:
        return True
    if _CENTRED.search(str(element.get("style") or "")) or str(element.get("align") or "").lower() == "center":
        return True
    if any("center" in cls.lower() for cls in element.get("class") or []):
        return True
    bold = "".join(b.get_text() for b in element.find_all(["strong", "b"]) if not b.find_parent(["strong", "b"]))
    return bool(bold.strip()) and _SPACES.sub("", bold) == _SPACES.sub("", text)


def _is_contents_link_block(element: Tag, text: str) -> bool:
    """A block made only of in-page links (``#1``, ``…/1527258/#2``): a contents list entry."""
    links = element.find_all("a", href=True)
    anchors = [a for a in links if "#" in str(a["href"])]
    return bool(anchors) and len(anchors) == len(links) and normalize_text(
        "".join(inline_text(a) for a in anchors)
    ).replace(" ", "") == text.replace(" ", "")


def iter_blocks(body: Tag) -> Iterator[tuple[Tag, str]]:
    """Leaf text blocks of ``body`` in document order, furniture skipped; ``<br><br>`` splits a block."""
    loose: list[str] = []
    for child in body.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:
                loose.append(_source_spaces(str(child)))
            continue
        if not isinstance(child, Tag) or is_furniture(child):
            continue
        if child.name in BLOCKS:
            for text in _paragraph_texts("".join(loose)):
                yield body, text
            loose = []
            has_inner_blocks = child.find(list(BLOCKS)) is not None
            if child.name in LEAF_BLOCKS and not has_inner_blocks:
                for text in _paragraph_texts(raw_text(child)):
                    yield child, text
            else:
                yield from iter_blocks(child)
        elif child.name == "br":
            loose.append("\n")
        else:
            loose.append(raw_text(child))
    for text in _paragraph_texts("".join(loose)):
        yield body, text


def body_paragraphs(body: Tag) -> tuple[tuple[str, ...], tuple[ParaKind, ...]]:
    """Clean paragraphs and their kinds ("text"/"heading") from a body element."""
    pairs: list[tuple[str, ParaKind]] = []
    linked: list[bool] = []
    for element, text in iter_blocks(body):
        whole = text if element is body else inline_text(element)  # a <br><br> block yields several texts
        if _is_contents_link_block(element, whole) or (element is not body and _is_language_bar(element, whole)):
            continue
        kind: ParaKind = "heading" if element is not body and is_heading(element, text) else "text"
        pairs.append((text, kind))
        linked.append(element is not body and _is_link_block(element, whole))
    return split_pairs(drop_boilerplate(pairs[: _end_before_link_list(pairs, linked)]))


def _is_language_bar(element: Tag, text: str) -> bool:
    """A block of links whose every word names a language: "Deutsch | English | Español", "de-DE1 en-GB1"."""

    tokens = [token for token in BAR_SEPARATORS.split(text) if token]
    has_link = any(not str(a["href"]).startswith("#") for a in element.find_all("a", href=True))
    return has_link and bool(tokens) and all(lang_code(token) or token.isdigit() for token in tokens)


def _is_link_block(element: Tag, text: str) -> bool:
    """A block that is mostly links to other pages: an entry of a "related materials" list
    ("<a>Press conference in Geneva</a> (06.10.2016)")."""
    links = [a for a in element.find_all("a", href=True) if not str(a["href"]).startswith("#")]
    if not links:
        return False
    rest = text
    for link in links:
        rest = rest.replace(inline_text(link), " ", 1)
    rest = normalize_text(_LABEL_PUNCTUATION.sub(" ", rest))
    linked = len(text) - len(rest)
    return not rest or is_metadata_line(rest) or linked >= LINK_ENTRY_SHARE * len(text)


def _end_before_link_list(pairs: list[tuple[str, ParaKind]], linked: list[bool]) -> int:
    """Where the article ends when it closes with a heading over a list of links.

    That tail is the site's "Additional materials" block in whatever language
    the page is in ("Weiterführende Materialien", "Materiales complementarios").
    """
    end = len(pairs)
    while end and linked[end - 1]:
        end -= 1
    if end == len(pairs) or not end:
        return len(pairs)
    text, kind = pairs[end - 1]
    return end - 1 if kind == "heading" and len(text.split()) <= MAX_BLOCK_TITLE_WORDS else len(pairs)


def split_pairs(pairs: Iterable[tuple[str, ParaKind]]) -> tuple[tuple[str, ...], tuple[ParaKind, ...]]:
    pairs = list(pairs)
    return tuple(t for t, _ in pairs), tuple(k for _, k in pairs)


def drop_boilerplate(pairs: Iterable[tuple[str, ParaKind]]) -> list[tuple[str, ParaKind]]:
    """Remove language bars, widget labels, contents headings and "back to contents" links;
    stop at the trailing "Additional materials"/"Advanced settings" blocks."""
    kept: list[tuple[str, ParaKind]] = []
    for text, kind in pairs:
        label = label_of(text)
        if label in TRAILING_BLOCKS:
            break
        if (
            LANGUAGE_BAR.match(text)
            or label in BACK_TO_CONTENTS
            or label in WIDGET_LABELS
            or label in CONTENTS_HEADINGS
            or label in PORTLET_TITLES
            or label in SITE_NAMES
        ):
            continue
        kept.append((text, kind))
    return kept


def is_site_name(text: str) -> bool:
    label = label_of(text)
    return label in SITE_NAMES or label in PORTLET_TITLES


def first_title(candidates: Iterable[Tag]) -> str | None:
    """The first non-empty candidate text that is neither the site name nor a portlet title."""
    for element in candidates:
        text = inline_text(element)
        if text and not is_site_name(text):
            return text
    return None


# " - ", " | ", " – ", " — " between the item title and the site name in <title>
TITLE_SEPARATOR: Final = re.compile(r"\s+[|–—-]\s+")


def page_name_parts(soup: BeautifulSoup) -> set[str]:
    """Texts that name the site or the page rather than the item, in any language.

    ``og:site_name``, and the parts of ``<title>`` other than its longest one
    ("Item title - Site name" -> {"Site name"}): the item title is the long part.
    """
    names: set[str] = set()
    site_name = soup.find("meta", attrs={"property": "og:site_name"})
    if isinstance(site_name, Tag) and site_name.get("content"):
        names.add(normalize_text(str(site_name["content"])))
    if soup.title and soup.title.string:
        parts = [part for part in TITLE_SEPARATOR.split(normalize_text(soup.title.string)) if part]
        if len(parts) > 1:
            longest = max(parts, key=len)
            names.update(part for part in parts if part != longest)
    return names


def meta_title(soup: BeautifulSoup) -> str | None:
    """``og:title``, else ``<title>`` without a trailing " - Site name"."""
    og = soup.find("meta", attrs={"property": "og:title"})
    if isinstance(og, Tag) and og.get("content"):
        text = normalize_text(str(og["content"]))
        if text and not is_site_name(text):
            return text
    if soup.title and soup.title.string:
        for part in re.split(r"\s+[|–—-]\s+", normalize_text(soup.title.string)):
            if part and not is_site_name(part):
                return part
    return None


def meta_date_text(soup: BeautifulSoup) -> str | None:
    """A machine-readable publication date: ``article:published_time`` or ``time[datetime]``."""
    for key, value in (("property", "article:published_time"), ("itemprop", "datePublished"), ("name", "date")):
        meta = soup.find("meta", attrs={key: value})
        if isinstance(meta, Tag) and meta.get("content"):
            return str(meta["content"])
    time_tag = soup.find("time", attrs={"datetime": True})
    if isinstance(time_tag, Tag):
        return str(time_tag["datetime"])
    return None


def fallback_paragraphs(
    html: str, url: str, *, title: str | None = None
) -> tuple[tuple[str, ...], tuple[ParaKind, ...]]:
    """Main content by trafilatura, for pages whose adapter selectors found no body.

    Raises ExtractionError when trafilatura finds no article either.
    """
    import trafilatura  # heavy; only needed on this path
    from lxml import etree

    xml = trafilatura.extract(
        html, url=url, output_format="xml", include_comments=False, include_tables=False,
        include_formatting=True, include_links=True, favor_recall=True, with_metadata=False,
        deduplicate=False,
    )  # fmt: skip
    if not xml:
        raise ExtractionError(f"{url}: no article body found on the page", url=url)
    try:
        root = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError as err:
        raise ExtractionError(f"{url}: the generic extractor returned unreadable output ({err})", url=url) from err
    pairs: list[tuple[str, ParaKind]] = []
    for element in root.iter("head", "p", "item", "quote"):
        text = normalize_text("".join(map(str, element.itertext())))  # lxml-stubs: str | bytes
        if text and text != title and not _only_in_page_links(element, text):
            pairs.append((text, "heading" if element.tag == "head" or _all_bold(element, text) else "text"))
    pairs = [(text, kind) for text, kind in drop_boilerplate(pairs) if not is_metadata_line(text)]
    if sum(len(text) for text, kind in pairs if kind == "text") < MIN_FALLBACK_CHARS:
        raise ExtractionError(f"{url}: no article body found on the page", url=url)
    log.info("%s: body taken by the generic extractor (trafilatura)", url)
    return split_pairs(pairs)


def _only_in_page_links(element: Any, text: str) -> bool:
    """A trafilatura block made of links to anchors: a contents entry or "back to contents"."""
    refs = [ref for ref in element.iter("ref") if "#" in (ref.get("target") or "")]
    linked = "".join("".join(ref.itertext()) for ref in refs)
    return bool(refs) and _SPACES.sub("", linked) == _SPACES.sub("", text)


def _all_bold(element: Any, text: str) -> bool:
    bold = "".join("".join(hi.itertext()) for hi in element.iter("hi") if hi.get("rend") == "#b")
    return bool(bold) and _SPACES.sub("", bold) == _SPACES.sub("", text)
