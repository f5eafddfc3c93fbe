"""Records that leave the scrapers package: fetched language versions and absences.

All are frozen dataclasses; the caller (``align.jobs.documents``) turns them into
rows of the documents frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

ParaKind = Literal["text", "heading"]


@dataclass(frozen=True)
class Article:
    """What an extractor found on one page, before any validation."""

    title: str
    published: datetime | None
    doc_number: str | None
    paragraphs: tuple[str, ...]
    para_kinds: tuple[ParaKind, ...]
    used_fallback: bool = False  # True when the generic main-content extractor produced the body


@dataclass(frozen=True)
class Document:
    """One validated language version of an item: a row of the documents frame, field for field.

    align's DOCUMENTS_SCHEMA names the same columns in the same order (a test keeps them equal).
    """

    doc_id: str
    lang: str
    url: str
    title: str
    published: datetime | None
    doc_number: str | None
    paragraphs: tuple[str, ...]
    para_kinds: tuple[str, ...]
    original_lang: str | None
    detected_lang: str
    lang_confidence: float
    fetched_at: datetime
    html_sha256: str


@dataclass(frozen=True)
class Absence:
    """A language version that was looked for and not stored, and why."""

    lang: str
    url: str | None
    reason: str


@dataclass(frozen=True)
class ItemResult:
    """Everything one fetch of an item produced."""

    doc_id: str
    documents: tuple[Document, ...]
    absences: tuple[Absence, ...]
    notes: tuple[str, ...] = ()
    requests_made: int = 0  # real HTTP requests for this item (retries and robots.txt included)
    cache_hits: int = 0  # pages answered from the on-disk cache instead
