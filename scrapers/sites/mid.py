"""mid.ru, the Russian Foreign Ministry: the old Liferay layout and the 2021+ layout.

Old layout (also archive.mid.ru): ``/{lang}/[web/guest/]{section}/-/asset_publisher/{instance}/content/id/{id}``;
every language version has the same id, the section may differ. New layout:
``/{ui}/{section}/{id}/?lang={lang}``; the path stays, ``?lang=`` picks the text.
The two id series overlap, hence the two doc_id prefixes. Selectors follow
../shared/SITES.md; the ones marked "inferred" there are backed by the
generic extractor.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from difflib import SequenceMatcher
from typing import ClassVar, Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

from scrapers.discover import Candidate, discover_links
from scrapers.errors import DiscoveryError, ExtractionError
from scrapers.extract.dates import parse_date
from scrapers.extract.density import densest_body
from scrapers.extract.paragraphs import (
    DROPPED_TAGS,
    TITLE_SEPARATOR,
    body_paragraphs,
    fallback_paragraphs,
    first_title,
    inline_text,
    is_metadata_line,
    is_site_name,
    label_of,
    meta_date_text,
    meta_title,
    normalize_text,
    page_name_parts,
)  # fmt: skip
from scrapers.langtags import lang_code, query_lang
from scrapers.records import Article, ParaKind
from scrapers.sites.base import SiteAdapter

MID_HOSTS: Final = ("www.mid.ru", "mid.ru", "archive.mid.ru")

# "/en/web/guest/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/2490975"
#   -> lang "en", guest "web/guest/", rest "foreign_policy/news/-/.../content/id/2490975", id "2490975"
OLD_PATH: Final = re.compile(
    r"^/(?:(?P<lang>[a-z]{2})/)?(?P<guest>web/guest/)?(?P<rest>(?:.*/)?content/id/(?P<id>\d+))(?:/.*)?$"
)
# The old site's main news section (seen: the reference item's en, de, es and ru URLs)
MAIN_NEWS_SECTION: Final = "foreign_policy/news/-/asset_publisher/cKNonkJE02Bw"
# "/ru/foreign_policy/news/1527258/" -> ui "ru", id "1527258"; "/en/detail-material-page/1527258/"
NEW_PATH: Final = re.compile(r"^/(?:(?P<ui>[a-z]{2})/)?(?:.*/)?(?P<id>\d+)/?$")
# "1-06-01-2017", "1866-06-10-2016" (number, day, month, year)
DOC_NUMBER: Final = re.compile(r"\b\d{1,5}-\d{1,2}-\d{1,2}-\d{4}\b")

# The item's own title element in the new layout's two templates (seen)
EXACT_TITLE_SELECTORS: Final = ("h1.photo-content__title", "h3.announcement__title")
TITLE_SELECTORS: Final = ("div.page-content div.portlet-column-first h1", "h1")
# Headings that may carry the title on the old layout, whose markup is inferred
TITLE_HEADINGS: Final = ("h1", "h2", "h3")
# A heading of fewer words is a section label ("News", "Nachrichten"), not an item title
MIN_TITLE_WORDS: Final = 3
# A <title> cut shorter than this cannot vouch for a heading it starts
MIN_HINT_CHARS: Final = 20
# Heading and <title> this similar name the same item
SAME_TITLE_RATIO: Final = 0.8
DATE_SELECTORS: Final = (
    "div.article-status-line span span", "div.article-status-line", ".photo-content__date",
    ".announcement__date", "[class*=date]",
)  # fmt: skip
EXACT_DOC_NUMBER_SELECTORS: Final = (
    "div.article-note span.nowrap", "p.article-line__note", "div.announcement__doc-num",
)  # fmt: skip
DOC_NUMBER_SELECTORS: Final = ("div.article-note", "[class*=doc-num]", "[class*=note]")
# A label before the number: "№ 1866-06-10-2016", "No. 1866-...", "Nr. ...", "N° ..."
DOC_NUMBER_LABEL: Final = re.compile(r"^(?:№|No\.?|Nr\.?|N°|Nº|Núm\.?|Номер)\s*", re.IGNORECASE)
BODY_SELECTORS: Final = (
    "div.text.article-content", "div.article-content", "div.announcement__text", "div.anons-text",
)  # fmt: skip
# A date line above the body is short; the title, which may hold a date too, is not
MAX_DATE_LINE_CHARS: Final = 60
DATE_LOOKBEHIND: Final = 40  # text nodes looked at above the body
# "19:14", "19h14" standing alone (not "2016-10-06T19:14", not "06.10.2016"): the time of a date line
CLOCK_TIME: Final = re.compile(r"(?<![\d:.T])(?P<hour>[01]?\d|2[0-3])[:h](?P<minute>[0-5]\d)(?![\d:.])")
# Containers whose h1 is the portlet's or the site's, never the item's
_NOT_TITLE: Final = re.compile(r"portlet-(?:title|topper)|logo|site-name|header", re.IGNORECASE)


class MidAdapter(SiteAdapter):
    """What both layouts share: extraction, the original language, politeness."""

    name: ClassVar[str] = "mid.ru"
    original_lang: ClassVar[str | None] = "ru"
    host_delay: ClassVar[float | None] = 10.0
    hosts: ClassVar[tuple[str, ...]] = MID_HOSTS

    def extract(self, soup: BeautifulSoup, url: str) -> tuple[Article, list[str]]:
        body, paragraphs, kinds = _body(soup)
        notes: list[str] = []
        if body is None:  # no known selector matched: the densest block, else trafilatura
            notes.append(f"{url}: mid.ru selectors found no body; used the generic extractor")
            body = densest_body(soup)
            paragraphs, kinds = body_paragraphs(body) if body is not None else ((), ())
        title = _title(soup, body)
        if not title:
            raise ExtractionError(f"{url}: no article title found on the page", url=url)
        published, doc_number = _published(soup, body), _doc_number(soup)
        header = _header_lines(title, published, doc_number, guessed=bool(notes))
        while paragraphs and header(paragraphs[0]):
            paragraphs, kinds = paragraphs[1:], kinds[1:]
        if paragraphs and paragraphs[-1] == doc_number:  # the number printed again under the text
            paragraphs, kinds = paragraphs[:-1], kinds[:-1]
        if not paragraphs:
            paragraphs, kinds = fallback_paragraphs(str(soup), url, title=title)
            notes = [f"{url}: mid.ru selectors found no body; used the generic extractor"]
        article = Article(
            title=title, published=published, doc_number=doc_number,
            paragraphs=paragraphs, para_kinds=kinds, used_fallback=bool(notes),
        )  # fmt: skip
        return article, notes


def _header_lines(
    title: str, published: datetime | None, doc_number: str | None, *, guessed: bool
) -> Callable[[str], bool]:
    """Whether a line opening the body repeats the item's header: its title, its date, its number
    (any date line or bare number, when the body was guessed and may hold the page's header)."""

    def is_header(line: str) -> bool:
        if line in (title, doc_number):
            return True
        if not is_metadata_line(line):
            return False
        printed = parse_date(line)
        return guessed or (printed is not None and published is not None and printed.date() == published.date())

    return is_header


class MidOldLayout(MidAdapter):
    """The Liferay site of 2015-2021, also served as archive.mid.ru."""

    def doc_id(self, url: str) -> str:
        return f"archive.mid.ru:{_require_id(self, url)}"

    def item_id(self, url: str) -> str | None:
        match = OLD_PATH.match(urlsplit(url).path)
        return match.group("id") if match else None

    def url_lang(self, url: str) -> str | None:
        match = OLD_PATH.match(urlsplit(url).path)
        return query_lang(url) or (lang_code(match.group("lang")) if match and match.group("lang") else None)

    def candidates(self, url: str, soup: BeautifulSoup, lang: str) -> list[Candidate]:
        """Announced links with the same id, then the ``/{lang}/`` rules, then other announced links."""
        item = self.item_id(url)
        announced = _announced(url, soup, lang)
        same_id = [c for c in announced if self.item_id(c.url) == item]
        ruled = [Candidate(lang, rule_url, "rule") for rule_url in self._rule_urls(url, lang)]
        return _unique(same_id + ruled + announced)

    def _rule_urls(self, url: str, lang: str) -> list[str]:
        """Same id under ``/{lang}/``: this page's section, then the main news section, then the twin host."""
        parts = urlsplit(url)
        match = OLD_PATH.match(parts.path)
        if match is None:
            return []
        guest_forms = [match.group("guest") or "", "" if match.group("guest") else "web/guest/"]
        rests = [match.group("rest")]
        main_section = f"{MAIN_NEWS_SECTION}/content/id/{match.group('id')}"
        if main_section not in rests:  # a version in another section (fr, seen) hides the others' section
            rests.append(main_section)
        hosts = [parts.netloc]
        if parts.hostname in MID_HOSTS:  # only real mid.ru hosts have the archive twin
            hosts.append("archive.mid.ru" if parts.hostname != "archive.mid.ru" else "www.mid.ru")
        return [
            urlunsplit((parts.scheme, host, f"/{lang}/{guest}{rest}", "", ""))
            for host in hosts
            for rest in rests
            for guest in guest_forms
        ]


class MidNewLayout(MidAdapter):
    """The site since 2021: ``/{ui}/{section}/{id}/?lang={lang}``."""

    def doc_id(self, url: str) -> str:
        return f"mid.ru:{_require_id(self, url)}"

    def item_id(self, url: str) -> str | None:
        match = NEW_PATH.match(urlsplit(url).path)
        return match.group("id") if match else None

    def url_lang(self, url: str) -> str | None:
        match = NEW_PATH.match(urlsplit(url).path)
        return query_lang(url) or (lang_code(match.group("ui")) if match and match.group("ui") else None)

    def candidates(self, url: str, soup: BeautifulSoup, lang: str) -> list[Candidate]:
        """The same path with ``?lang=`` set, then whatever the page announces."""
        announced = _announced(url, soup, lang)
        ruled = Candidate(lang, with_lang_query(url, lang), "rule")
        parts = urlsplit(url)
        match = NEW_PATH.match(parts.path)
        ui = match.group("ui") if match else None
        if ui == lang:  # the interface language's own text needs no ?lang=
            return _unique([ruled, Candidate(lang, urlunsplit(parts._replace(query="", fragment="")), "rule"), *announced])
        last_resort = []
        if ui:  # after the page's own links: the same path with ``lang`` as the interface language
            own_ui = f"/{lang}{parts.path[len(ui) + 1 :]}"
            last_resort.append(Candidate(lang, urlunsplit(parts._replace(path=own_ui, query="", fragment="")), "rule"))
        return _unique([ruled, *announced, *last_resort])


def _announced(page_url: str, soup: BeautifulSoup, lang: str) -> list[Candidate]:
    """The page's links to ``lang``, kept on the host and scheme the page came from."""
    return [Candidate(c.lang, same_origin(c.url, page_url), c.source) for c in discover_links(soup, page_url) if c.lang == lang]


def same_origin(link: str, page_url: str) -> str:
    """Point a link to any mid.ru host at the page's own origin.

    A page served by a local mirror (``--site mid.ru`` on 127.0.0.1) or reached
    over ``http://`` through a proxy links to ``https://www.mid.ru/...``; following
    that would leave the mirror or need a tunnel the proxy may not offer.
    """
    link_parts, page_parts = urlsplit(link), urlsplit(page_url)
    if link_parts.hostname not in MID_HOSTS:
        return link
    netloc = link_parts.netloc if page_parts.hostname in MID_HOSTS else page_parts.netloc
    return urlunsplit(link_parts._replace(scheme=page_parts.scheme, netloc=netloc))


def layout_for(url: str) -> MidAdapter:
    """The layout a mid.ru URL belongs to: ``/content/id/N`` is the old one."""
    return MidOldLayout() if OLD_PATH.match(urlsplit(url).path) else MidNewLayout()


def _require_id(adapter: MidAdapter, url: str) -> str:
    item = adapter.item_id(url)
    if item is None:
        raise DiscoveryError(
            f"{url}: no item id in this mid.ru URL; give the URL of one item "
            f"(…/content/id/NUMBER or …/NUMBER/?lang=xx)",
            url=url,
        )
    return item


def with_lang_query(url: str, lang: str) -> str:
    """``/ru/news/1527258/?lang=en`` -> ``/ru/news/1527258/?lang=de`` (other parameters kept)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    query.append(("lang", lang))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    kept = []
    for candidate in candidates:
        if candidate.url not in seen:
            seen.add(candidate.url)
            kept.append(candidate)
    return kept


def _title(soup: BeautifulSoup, body: Tag | None) -> str | None:
    """The seen title elements; else the heading that ``<title>`` repeats, nearest above the body first;
    else the nearest heading above the body; else ``<title>``."""
    for selector in EXACT_TITLE_SELECTORS:
        title = first_title(soup.select(selector))
        if title:
            return title
    not_titles = page_name_parts(soup)
    headings = list(dict.fromkeys(_headings_before(body, not_titles) if body is not None else ()))
    for selector in TITLE_SELECTORS:
        found = [el for el in soup.select(selector) if not _in_site_furniture(el)]
        headings += [text for text in map(inline_text, found) if text and text not in not_titles and not is_site_name(text)]
    hint = _title_hint(soup, not_titles)
    if hint:
        return next((heading for heading in headings if _same_title(heading, hint)), hint)
    return headings[0] if headings else meta_title(soup)


def _title_hint(soup: BeautifulSoup, not_titles: set[str]) -> str | None:
    """The item title as the page's metadata gives it: ``og:title``, or the long part of a
    ``<title>`` that also names the site ("Title - Site name"); None when neither says."""
    og = soup.find("meta", attrs={"property": "og:title"})
    texts = [_longest_part(str(og["content"]))] if isinstance(og, Tag) and og.get("content") else []
    if not_titles and soup.title and soup.title.string:  # a <title> of one part may be the site name alone
        texts.append(_longest_part(soup.title.string))
    for text in texts:
        if len(text.split()) >= MIN_TITLE_WORDS and text not in not_titles and not is_site_name(text):
            return text
    return None


def _longest_part(title: str) -> str:
    """"Item title | Site name" -> "Item title"."""
    return max(TITLE_SEPARATOR.split(normalize_text(title)), key=len)


def _same_title(heading: str, hint: str) -> bool:
    """Whether ``<title>`` names this heading, perhaps cut short ("Remarks by the Minister at…"),
    lengthened or typed differently (quotes, dashes, spaces)."""
    a, b = label_of(heading), label_of(hint)
    if a == b or (min(len(a), len(b)) >= MIN_HINT_CHARS and (a.startswith(b) or b.startswith(a))):
        return True
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= SAME_TITLE_RATIO


def _headings_before(body: Tag, not_titles: set[str]) -> Iterator[str]:
    """Headings of at least MIN_TITLE_WORDS words above the body, nearest first, outside site furniture.

    The old layout's markup is inferred: its title may sit in an h1 or an h2, after
    the site's name, the portlet title and a section label, but always above the text.
    """
    for heading in body.find_all_previous(TITLE_HEADINGS):
        text = inline_text(heading)
        if (
            len(text.split()) >= MIN_TITLE_WORDS
            and text not in not_titles
            and not is_site_name(text)
            and not _in_site_furniture(heading)
        ):
            yield text


def _in_site_furniture(element: Tag) -> bool:
    for node in (element, *element.parents):
        marks = " ".join(node.get("class") or []) + " " + str(node.get("id") or "")
        if node.name in ("header", "nav") or _NOT_TITLE.search(marks):
            return True
    return False


def _published(soup: BeautifulSoup, body: Tag | None) -> datetime | None:
    """The seen date elements, else a short date line just above the body, else the page's metadata."""
    for selector in DATE_SELECTORS:
        for element in soup.select(selector):
            parsed = parse_date(inline_text(element))
            if parsed is not None:
                return _with_time_nearby(element, parsed)
    if body is not None:
        parsed = _date_before(body)
        if parsed is not None:
            return parsed
    meta = meta_date_text(soup)
    return parse_date(meta) if meta else None


def _date_before(body: Tag) -> datetime | None:
    """The nearest short text above the body that is a date (a date line under an unknown class)."""
    for node in body.find_all_previous(string=True, limit=DATE_LOOKBEHIND):
        parent = node.parent
        if not isinstance(parent, Tag) or parent.name in DROPPED_TAGS:
            continue
        text = inline_text(parent)
        if 0 < len(text) <= MAX_DATE_LINE_CHARS:
            parsed = parse_date(text)
            if parsed is not None:
                return _with_time_nearby(parent, parsed)
    return None


def _with_time_nearby(element: Tag, parsed: datetime) -> datetime:
    """A date without its time may have the time beside it: ``<span>6 October 2016</span><i>19:14</i>``,
    ``19:14, 6 October 2016``, ``6 October 2016 — 19:14``."""
    if (parsed.hour, parsed.minute) != (0, 0):
        return parsed
    for node in (element, element.parent):
        if not isinstance(node, Tag):
            continue
        text = inline_text(node)
        if len(text) > MAX_DATE_LINE_CHARS:
            break
        wider = parse_date(text)
        if wider is not None and wider.date() == parsed.date() and (wider.hour, wider.minute) != (0, 0):
            return wider
        clock = CLOCK_TIME.search(text)
        if clock and wider is not None and wider.date() == parsed.date():
            return parsed.replace(hour=int(clock["hour"]), minute=int(clock["minute"]))
    return parsed


def _doc_number(soup: BeautifulSoup) -> str | None:
    """The number as printed in the seen containers, else a number-shaped token in likely ones."""
    for selector in EXACT_DOC_NUMBER_SELECTORS:
        for element in soup.select(selector):
            text = DOC_NUMBER_LABEL.sub("", normalize_text(element.get_text(" ")))
            shaped = DOC_NUMBER.search(text)  # "Document: 1874-06-10-2016" -> the number alone
            if shaped or any(ch.isdigit() for ch in text):
                return shaped.group(0) if shaped else text
    for selector in DOC_NUMBER_SELECTORS:
        for element in soup.select(selector):
            match = DOC_NUMBER.search(normalize_text(element.get_text(" ")))
            if match:
                return match.group(0)
    return None


def _body(soup: BeautifulSoup) -> tuple[Tag | None, tuple[str, ...], tuple[ParaKind, ...]]:
    """The first body element with text, and its paragraphs and kinds."""
    for selector in BODY_SELECTORS:
        for element in soup.select(selector):
            paragraphs, kinds = body_paragraphs(element)
            if paragraphs:
                return element, paragraphs, kinds
    return None, (), ()
