"""The corpus page's content: every item with its state and share to review, and the review queue."""

from __future__ import annotations

import os
from typing import Final

import polars as pl

from align.multiway.units import choose_pivot
from align.review.pages import ItemLine, QueueLine
from align.review.risk import unit_risks
from align.review.rows import CONFIRMED, STATUS, rows_from_frame
from align.store.items import item_states, read_whole
from align.store.schemas import unit_langs
from align.store.tables import scan_table

QUEUE_LENGTH: Final = 200


def corpus(data_dir: str | os.PathLike[str], *, queue_length: int = QUEUE_LENGTH) -> tuple[list[ItemLine], list[QueueLine]]:
    """Items (sorted by id) and the riskiest unconfirmed units across them (riskiest first)."""
    units = read_whole(data_dir, "units", missing_ok=True)
    states = dict(item_states(data_dir).select("doc_id", "state").iter_rows())
    titles, originals = _documents(data_dir)
    items: list[ItemLine] = []
    queue: list[QueueLine] = []
    for (doc_id,), frame in units.group_by("doc_id"):
        doc = str(doc_id)
        langs = [lang for lang in unit_langs(frame) if frame[f"sents_{lang}"].list.len().sum()]
        if not langs:
            continue
        pivot = choose_pivot(langs, originals.get(doc))
        ordered = [pivot, *[lang for lang in langs if lang != pivot]]
        rows = rows_from_frame(frame, ordered)
        risks = unit_risks(rows, ordered, pivot)
        confirmed = sum(1 for row in rows if row[STATUS] == CONFIRMED)
        items.append(ItemLine(doc, titles.get(doc, ""), tuple(ordered), len(rows),
                              sum(1 for r in risks if r.flagged), confirmed, states.get(doc, "aligned")))
        queue += [QueueLine(doc, row["unit"], risk, row[f"text_{pivot}"])
                  for row, risk in zip(rows, risks, strict=True) if risk.flagged]
    for doc, state in states.items():
        if state in ("fetched", "broken") and doc not in {i.doc_id for i in items}:
            items.append(ItemLine(doc, titles.get(doc, ""), (), 0, 0, 0, state))
    queue.sort(key=lambda q: (-q.risk.score, q.doc_id, q.unit))
    return sorted(items, key=lambda i: i.doc_id), queue[:queue_length]


def _documents(data_dir: str | os.PathLike[str]) -> tuple[dict[str, str], dict[str, str]]:
    scan = scan_table(data_dir, "documents")
    if scan is None:
        return {}, {}
    docs = scan.select("doc_id", "lang", "title", "original_lang").collect()
    originals = {d: o for d, o in docs.drop_nulls("original_lang").select("doc_id", "original_lang").iter_rows()}
    titles: dict[str, str] = {}
    for doc, lang, title, original in docs.sort("doc_id", "lang").iter_rows():
        if title and (doc not in titles or lang == original or (lang == "en" and original is None)):
            titles[doc] = title
    return titles, originals


def known_items(data_dir: str | os.PathLike[str]) -> list[str]:
    """The ids of the items that have units (for error messages)."""
    scan = scan_table(data_dir, "units")
    if scan is None:
        return []
    return sorted(scan.select(pl.col("doc_id").unique()).collect()["doc_id"].to_list())
