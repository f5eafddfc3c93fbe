from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from align.errors import FrameError
from align.store.schemas import DOCUMENTS_SCHEMA, units_schema
from align.store.tables import frame_path, make_provenance, read_frame, read_provenance, replace_items


def _documents(doc_id: str, langs: list[str], title: str = "T") -> pl.DataFrame:
    now = datetime(2016, 10, 6, 19, 14, tzinfo=UTC)
    return pl.DataFrame(
        [
            {
                "doc_id": doc_id,
                "lang": lang,
                "url": f"http://x/{lang}",
                "title": title,
                "published": now,
                "doc_number": None,
                "paragraphs": ["a", "b"],
                "para_kinds": ["text", "heading"],
                "original_lang": "ru",
                "detected_lang": lang,
                "lang_confidence": 0.9,
                "fetched_at": now,
                "html_sha256": "0" * 64,
            }
            for lang in langs
        ],
        schema=DOCUMENTS_SCHEMA,
    )


def test_replace_items_replaces_rows_of_the_same_item(tmp_path: Path) -> None:
    prov = make_provenance(step="test")
    replace_items(tmp_path, "documents", _documents("a:1", ["en", "ru"]), provenance=prov)
    replace_items(tmp_path, "documents", _documents("b:2", ["en"]), provenance=prov)
    stored = replace_items(tmp_path, "documents", _documents("a:1", ["de"], "new"), provenance=prov)
    assert sorted(stored.select("doc_id", "lang").rows()) == [("a:1", "de"), ("b:2", "en")]
    assert read_frame(tmp_path, "documents").filter(pl.col("doc_id") == "a:1")["title"].to_list() == ["new"]


def test_provenance_is_stored_in_parquet_metadata(tmp_path: Path) -> None:
    replace_items(tmp_path, "documents", _documents("a:1", ["en"]), provenance=make_provenance(scorer="length"))
    prov = read_provenance(frame_path(tmp_path, "documents"))
    assert prov["tool"] == "bitext" and prov["scorer"] == "length" and prov["created"].endswith("Z")


def test_schema_check_names_file_and_column(tmp_path: Path) -> None:
    _documents("a:1", ["en"]).drop("title").write_parquet(frame_path(tmp_path, "documents"))
    with pytest.raises(FrameError, match=r"documents\.parquet: column `title` is missing"):
        read_frame(tmp_path, "documents")


def test_unreadable_file_is_a_frame_error(tmp_path: Path) -> None:
    frame_path(tmp_path, "units").write_text("not parquet")
    with pytest.raises(FrameError, match="not a readable Parquet file"):
        read_frame(tmp_path, "units")


def test_units_schema_needs_sents_for_every_text_column(tmp_path: Path) -> None:
    frame = pl.DataFrame(schema=units_schema(["ru", "en"])).drop("sents_en")
    frame.write_parquet(frame_path(tmp_path, "units"))
    with pytest.raises(FrameError, match="sents_en"):
        read_frame(tmp_path, "units")


def test_failed_write_keeps_the_stored_frame(tmp_path: Path) -> None:
    prov = make_provenance()
    replace_items(tmp_path, "documents", _documents("a:1", ["en"]), provenance=prov)
    with pytest.raises(FrameError):
        replace_items(tmp_path, "documents", _documents("a:1", ["en"]).drop("url"), provenance=prov)
    assert read_frame(tmp_path, "documents")["url"].to_list() == ["http://x/en"]
