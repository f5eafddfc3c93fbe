"""``fetch_item``: from the URL of one language version to every validated version.

The start page is fetched and read first; its links and the site's URL rules
give candidate URLs for each other language, which are tried in order until
one passes validation (same item, date within a day, language confirmed by
lingua, body not a copy of a version already kept). Whatever fails becomes an
:class:`Absence` with its reason; only a failure to fetch the start page
itself stops the whole item.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit

from scrapers.errors import ExtractionError, FetchError, ScraperError
from scrapers.extract.paragraphs import parse_page
from scrapers.langtags import SUPPORTED_LANGS
from scrapers.language import LanguageGuess, detect_language
from scrapers.records import Absence, Article, Document, ItemResult
from scrapers.sites import adapter_for

if TYPE_CHECKING:
    from bs4 import BeautifulSoup

    from scrapers.http.client import HttpClient, Page
    from scrapers.http.options import FetchOptions
    from scrapers.sites.base import SiteAdapter

log = logging.getLogger(__name__)

MAX_DAYS_APART: Final = 1
COPY_MIN_CHARS: Final = 30  # paragraphs shorter than this ("Sergey Lavrov:") may repeat across languages
COPY_SHARE: Final = 0.5
MIN_SHARED_VERSIONS: Final = 3  # with fewer versions, a shared line may be a name both spell alike


@dataclass(frozen=True)
class _Version:
    """A fetched page read as one language version (not yet validated)."""

    page: Page
    soup: BeautifulSoup
    article: Article
    guess: LanguageGuess | None


@dataclass(frozen=True)
class Fetched:
    """A URL whose page was fetched and read as a version (validation comes later)."""

    version: _Version


@dataclass(frozen=True)
class Failed:
    """A URL that gave no version: why (fetch error, not HTML, no article)."""

    reason: str


Outcome = Fetched | Failed
"""What trying one URL gave; each URL is tried once per item."""


@dataclass(frozen=True)
class _Start:
    """The start page, read before anything else: the reference and the first source of links."""

    url: str  # the URL given (``page.url`` is where redirects ended)
    page: Page
    soup: BeautifulSoup
    outcome: Outcome
    notes: tuple[str, ...]  # the adapter's notes on reading it


def fetch_item(
    url: str,
    *,
    options: FetchOptions,
    site: str | None = None,
    langs: Sequence[str] | None = None,
    client: HttpClient | None = None,
    progress: Callable[[str], None] | None = None,
) -> ItemResult:
    """Fetch, extract and validate every language version of the item at ``url``.

    Parameters
    ----------
    url
        Any one language version of the item.
    options
        Politeness, retries and cache (see :class:`scrapers.http.options.FetchOptions`).
    site
        Adapter name (``"mid.ru"``, ``"generic"``); default: chosen by the URL's host.
    langs
        Languages to keep (default: de, en, es, fr, ru).
    client
        An open client to reuse (its options win); default: one made from ``options``.
    progress
        Called with a short line before each page is requested (the CLI shows it).

    Raises
    ------
    ScraperError
        The start page cannot be fetched, the site or a language is unknown.
    """
    adapter = adapter_for(url, site)
    wanted = _wanted_langs(langs)
    doc_id = adapter.doc_id(url)
    show = progress or (lambda _line: None)
    if client is not None:
        return _fetch_with(client, adapter, url, doc_id, wanted, show)
    from scrapers.http.client import HttpClient

    with HttpClient(options, host_delays=host_delays(adapter, url, named=site is not None)) as own_client:
        return _fetch_with(own_client, adapter, url, doc_id, wanted, show)


def _fetch_with(
    client: HttpClient,
    adapter: SiteAdapter,
    url: str,
    doc_id: str,
    wanted: tuple[str, ...],
    progress: Callable[[str], None],
) -> ItemResult:
    """The start page first (its failure to fetch stops the item), then every other version."""
    requests_before, hits_before = client.requests_made, client.cache_hits
    progress(f"{doc_id}: fetching {url}")
    page = client.get(url)
    soup = parse_page(page.body, page.content_type)
    outcome, notes = read_version(adapter, page, soup)
    item = _ItemFetch(adapter, client, doc_id, wanted, progress, _Start(url, page, soup, outcome, notes))
    documents, absences = item.run()
    return ItemResult(
        doc_id, documents, absences, tuple(item.notes),
        requests_made=client.requests_made - requests_before,
        cache_hits=client.cache_hits - hits_before,
    )  # fmt: skip


def host_delays(adapter: SiteAdapter, url: str, *, named: bool) -> dict[str, float]:
    """The site's polite delay for its real hosts, and for the URL's host when the site was named.

    ``--site mid.ru`` on a mirror or a local copy is still that site: its
    default delay applies there too (``--delay`` overrides it).
    """
    if not adapter.host_delay:
        return {}
    hosts = set(adapter.hosts)
    start_host = urlsplit(url).hostname
    if named and start_host:
        hosts.add(start_host.lower())
    return dict.fromkeys(sorted(hosts), adapter.host_delay)


def _wanted_langs(langs: Sequence[str] | None) -> tuple[str, ...]:
    if langs is None:
        return SUPPORTED_LANGS
    unknown = [lang for lang in langs if lang not in SUPPORTED_LANGS]
    if unknown or not langs:
        raise ScraperError(
            f"unsupported language `{','.join(unknown) or '(none)'}` in --langs: "
            f"choose among {', '.join(SUPPORTED_LANGS)}"
        )
    return tuple(dict.fromkeys(langs))


class _ItemFetch:
    """The state of one item's fetch once its start page is read: pages seen, versions kept, absences, notes."""

    def __init__(
        self,
        adapter: SiteAdapter,
        client: HttpClient,
        doc_id: str,
        wanted: tuple[str, ...],
        progress: Callable[[str], None],
        start: _Start,
    ) -> None:
        self.adapter = adapter
        self.progress = progress
        self.client = client
        self.doc_id = doc_id
        self.wanted = wanted
        self.start = start
        # what candidates are checked against (None when the start page gave no version)
        self.reference = start.outcome.version if isinstance(start.outcome, Fetched) else None
        self.kept: dict[str, tuple[Document, _Version]] = {}
        self.absences: list[Absence] = []
        self.notes: list[str] = list(start.notes)
        self.tried: dict[str, Outcome] = {start.url: start.outcome, start.page.url: start.outcome}
        self.sources: list[tuple[str, BeautifulSoup]] = [(start.page.url, start.soup)]  # where links come from

    def run(self) -> tuple[tuple[Document, ...], tuple[Absence, ...]]:
        """Settle every wanted language, the start page's first: the versions kept and the absences."""
        start = self.start
        start_lang = self.adapter.page_lang(start.page.url, start.soup) or (
            self.reference.guess.lang if self.reference and self.reference.guess else None
        )
        order = ([start_lang] if start_lang in self.wanted else []) + [
            lang for lang in self.wanted if lang != start_lang
        ]
        for lang in order:
            if lang == start_lang:
                self._settle(lang, [(start.page.url, start.outcome)])
            else:
                self._settle(lang, self._attempts(lang))
        documents = without_shared_edges(tuple(self.kept[lang][0] for lang in self.wanted if lang in self.kept))
        absences = tuple(sorted(self.absences, key=lambda a: self.wanted.index(a.lang)))
        return documents, absences

    def _attempts(self, lang: str) -> Iterator[tuple[str, Outcome]]:
        """Candidate URLs for ``lang`` from every page read so far, fetched one at a time."""
        seen: list[str] = []
        for source_url, soup in list(self.sources):
            for candidate in self.adapter.candidates(source_url, soup, lang):
                if candidate.url not in seen:
                    seen.append(candidate.url)
        for candidate_url in seen:
            yield candidate_url, self._fetch(candidate_url)

    def _fetch(self, url: str) -> Outcome:
        if url not in self.tried:
            self.progress(f"{self.doc_id}: fetching {url}")
            try:
                page = self.client.get(url)
            except FetchError as err:
                self.tried[url] = Failed(short_reason(err))
            else:
                outcome, notes = read_version(self.adapter, page, parse_page(page.body, page.content_type))
                self.notes.extend(notes)
                self.tried[url] = outcome
        return self.tried[url]

    def _settle(self, lang: str, attempts: Iterable[tuple[str, Outcome]]) -> None:
        """Keep the first attempt that validates; otherwise record why ``lang`` is absent."""
        rejections: list[tuple[str, str, bool]] = []  # url, reason, whether the page was read
        for url, outcome in attempts:
            match outcome:
                case Failed(reason):
                    rejections.append((url, reason, False))
                case Fetched(version):
                    problem = self._problem(lang, version)
                    if problem is None and version.guess is not None:
                        self._keep(lang, version, version.guess)
                        return
                    rejections.append((url, problem or "language check: no text to detect", True))
                    log.info("%s: %s version rejected at %s: %s", self.doc_id, lang, url, problem)
        if not rejections:
            self.absences.append(Absence(lang, None, f"no link to its {lang} version found"))
            return
        # a page that was read and rejected says more than a guessed URL that failed to load
        url, reason, _ = next((r for r in rejections if r[2]), rejections[0])
        self.absences.append(Absence(lang, url, reason))

    def _problem(self, lang: str, version: _Version) -> str | None:
        reference = self.reference.article if self.reference else None
        return version_problem(
            lang, version.article, version.guess,
            reference=reference,
            same_item=self._same_item(version),
            kept={other: v.article for other, (_, v) in self.kept.items()},
        )  # fmt: skip

    def _same_item(self, version: _Version) -> bool | None:
        mine, theirs = self.adapter.item_id(version.page.url), self.adapter.item_id(self.start.page.url)
        return None if mine is None or theirs is None else mine == theirs

    def _keep(self, lang: str, version: _Version, guess: LanguageGuess) -> None:
        article = version.article
        document = Document(
            doc_id=self.doc_id, lang=lang, url=version.page.url, title=article.title,
            published=article.published, doc_number=article.doc_number,
            paragraphs=article.paragraphs, para_kinds=article.para_kinds,
            original_lang=self.adapter.original_lang, detected_lang=guess.lang,
            lang_confidence=guess.confidence, fetched_at=version.page.fetched_at,
            html_sha256=version.page.sha256,
        )  # fmt: skip
        self.kept[lang] = (document, version)
        if version.page.url not in (url for url, _ in self.sources):
            self.sources.append((version.page.url, version.soup))


def read_version(adapter: SiteAdapter, page: Page, soup: BeautifulSoup) -> tuple[Outcome, tuple[str, ...]]:
    """The page read as a version (article and language guess), or why it cannot be one; the adapter's notes."""
    media_type = page.content_type.split(";")[0].strip().lower()
    if media_type and "html" not in media_type:
        return Failed(f"not an HTML page ({media_type})"), ()
    try:
        article, notes = adapter.extract(soup, page.url)
    except ExtractionError as err:
        return Failed(short_reason(err)), ()
    guess = detect_language("\n".join((article.title, *article.paragraphs)))
    return Fetched(_Version(page, soup, article, guess)), tuple(notes)


def version_problem(
    lang: str,
    article: Article,
    guess: LanguageGuess | None,
    *,
    reference: Article | None,
    same_item: bool | None,
    kept: dict[str, Article],
) -> str | None:
    """Why a page cannot be the ``lang`` version of the item, or None if it can."""
    if guess is None:
        return "language check: no text to detect"
    if guess.lang != lang:
        return f"language check: detected {guess.lang}"
    if reference is not None:
        item_problem = _item_problem(article, reference, same_item)
        if item_problem:
            return item_problem
    for other, kept_article in kept.items():
        if is_copy(article, kept_article):
            return f"body is a copy of the {other} version"
    return None


def _item_problem(article: Article, reference: Article, same_item: bool | None) -> str | None:
    numbers_match = (
        article.doc_number == reference.doc_number if article.doc_number and reference.doc_number else None
    )
    if same_item is False and numbers_match is not True:
        return "different item: its URL carries another id"
    if same_item is None and numbers_match is False:
        return f"different item: document number {article.doc_number}, expected {reference.doc_number}"
    dates_match = None
    if article.published and reference.published:
        days = abs((article.published.date() - reference.published.date()).days)
        if days > MAX_DAYS_APART:
            return f"different item: dated {article.published:%Y-%m-%d}, expected {reference.published:%Y-%m-%d}"
        dates_match = True
    # a home or section page reached through the language menu has no id, number or date of the item
    if not (same_item or numbers_match or dates_match) and (reference.doc_number or reference.published):
        return "not the item: no item id, document number or date ties the page to it (a home or section page?)"
    return None


def without_shared_edges(documents: tuple[Document, ...]) -> tuple[Document, ...]:
    """Drop the paragraphs that every version begins or ends with, word for word.

    Translations never repeat each other verbatim in MIN_SHARED_VERSIONS
    languages, so such a line is site text no selector knew: a language bar,
    a row of social links, a footer in the site's own language.
    """
    if len(documents) < MIN_SHARED_VERSIONS:
        return documents
    shared = set.intersection(*(set(doc.paragraphs) for doc in documents))
    return tuple(_trimmed(doc, shared) for doc in documents) if shared else documents


def _trimmed(doc: Document, shared: set[str]) -> Document:
    start, end = 0, len(doc.paragraphs)
    while start < end and doc.paragraphs[start] in shared:
        start += 1
    while end > start and doc.paragraphs[end - 1] in shared:
        end -= 1
    if start == end or (start, end) == (0, len(doc.paragraphs)):
        return doc
    log.info("%s %s: dropped %d line(s) every version shares", doc.doc_id, doc.lang, len(doc.paragraphs) - end + start)
    return replace(doc, paragraphs=doc.paragraphs[start:end], para_kinds=doc.para_kinds[start:end])


def is_copy(article: Article, other: Article) -> bool:
    """Whether most long paragraphs of ``article`` appear verbatim in ``other``."""
    mine = [p for p in article.paragraphs if len(p) >= COPY_MIN_CHARS]
    theirs = {p for p in other.paragraphs if len(p) >= COPY_MIN_CHARS}
    if not mine:
        return article.paragraphs == other.paragraphs
    return sum(p in theirs for p in mine) / len(mine) >= COPY_SHARE


def short_reason(err: ScraperError) -> str:
    """Why a URL gave no version, in a few words: a fetch error's reason (and attempts), else the message without its URL."""
    if isinstance(err, FetchError):
        return err.reason + (f". {err.gave_up()}" if err.gave_up() else "")
    message = str(err)
    if err.url:
        message = message.removeprefix(f"{err.url}: ")
    return message.rstrip(".")
