"""The documents record is typed once in scrapers.records.Document: the frame's schema must say the same."""

from __future__ import annotations

import types
from dataclasses import fields
from datetime import UTC, datetime
from typing import Union, get_args, get_origin, get_type_hints

import polars as pl

from align.jobs.documents import documents_frame
from align.store.schemas import DOCUMENTS_SCHEMA, UTC_TIME
from scrapers.records import Document, ItemResult

SCALARS = {str: pl.Utf8(), float: pl.Float64(), datetime: UTC_TIME}


def _dtype(hint: object) -> pl.DataType:
    """The column type a field's annotation asks for: ``tuple[str, ...]`` -> list[str]; ``X | None`` -> X."""
    if get_origin(hint) in (Union, types.UnionType):
        (inner,) = [arg for arg in get_args(hint) if arg is not type(None)]
        return _dtype(inner)
    if get_origin(hint) is tuple:
        return pl.List(_dtype(get_args(hint)[0]))
    assert hint in SCALARS, f"no column type for {hint!r}: add it here and to DOCUMENTS_SCHEMA"
    return SCALARS[hint]


def test_every_document_field_is_a_documents_column_and_back() -> None:
    assert [field.name for field in fields(Document)] == DOCUMENTS_SCHEMA.names()


def test_the_field_types_are_the_column_types() -> None:
    hints = get_type_hints(Document)
    assert {name: _dtype(hint) for name, hint in hints.items()} == dict(DOCUMENTS_SCHEMA)


def test_a_row_is_the_document_field_for_field() -> None:
    doc = Document(
        doc_id="mid.ru:1", lang="en", url="https://mid.ru/en/1/", title="Title",
        published=datetime(2016, 10, 6, 19, 14, tzinfo=UTC), doc_number=None,
        paragraphs=("One.", "Two."), para_kinds=("heading", "text"), original_lang="ru",
        detected_lang="en", lang_confidence=0.98, fetched_at=datetime(2026, 1, 2, tzinfo=UTC), html_sha256="ab",
    )  # fmt: skip
    frame = documents_frame(ItemResult(doc_id="mid.ru:1", documents=(doc,), absences=()))
    assert frame.schema == DOCUMENTS_SCHEMA
    (row,) = frame.rows(named=True)
    assert row == {
        field.name: list(value) if isinstance(value := getattr(doc, field.name), tuple) else value
        for field in fields(doc)
    }
