"""The HTML of the review pages. Every text from the store goes through :func:`html.escape`.

The item page is rendered whole on the server (one string, no client-side
templating), one ``<tr data-unit="N">`` per unit; a correction sends back only
the rows it changed, which the page splices in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Final
from urllib.parse import urlencode

from align.review.risk import Risk
from align.review.rows import CONFIRMED, CORRECTED, STATUS, Row
from align.review.session import Item

# (button label = accessible name, action sent to the server, shortcut shown on the page)
ROW_BUTTONS: Final = (
    ("Merge with next", "merge", "m"),
    ("Split here", "split", "s"),
    ("Move to previous", "move-previous", "["),
    ("Move to next", "move-next", "]"),
    ("Confirm", "confirm", "c or Enter"),
    ("Confirm up to here", "confirm-up-to", "Shift+C"),
)
ROW_BUTTONS_HTML: Final = "".join(
    f'<button type="button" data-action="{action}">{label}</button>' for label, action, _ in ROW_BUTTONS
)
SHORTCUTS: Final = (
    ("↓ or j / ↑ or k", "next / previous unit"),
    ("← / →", "previous / next sentence in the unit (picks the sentence Split and Move act on)"),
    *((key, label) for label, _, key in ROW_BUTTONS),
    ("Ctrl+Z or u", "Undo"),
    ("Ctrl+Y, Ctrl+Shift+Z or r", "Redo"),
)
STATUS_MARKS: Final = {CONFIRMED: "✓ confirmed", CORRECTED: "✎ corrected"}


def url(path: str, token: str, **params: str) -> str:
    return f"{path}?{urlencode({**params, 'token': token})}"


def _page(title: str, body: str, *, attrs: str = "") -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · bitext review</title>"
        '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/static/review.css"><script src="/static/review.js" defer></script>'
        f"</head><body{attrs}>{body}</body></html>"
    )


# --- the corpus page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemLine:
    doc_id: str
    title: str
    langs: tuple[str, ...]
    units: int
    to_review: int
    confirmed: int
    state: str


@dataclass(frozen=True)
class QueueLine:
    doc_id: str
    unit: int
    risk: Risk
    pivot_text: str


def corpus_page(data_dir: str, items: Sequence[ItemLine], queue: Sequence[QueueLine], token: str) -> str:
    lines = "".join(
        f'<tr><td><a href="{escape(url("/item", token, doc=i.doc_id))}">{escape(i.doc_id)}</a>'
        f"<div class=\"sub\">{escape(i.title)}</div></td><td>{escape(' '.join(i.langs))}</td>"
        f'<td class="num">{i.units}</td><td class="num">{_share(i.to_review, i.units)}</td>'
        f'<td class="num">{i.confirmed}</td><td>{escape(i.state)}</td></tr>'
        for i in items
    )
    queued = "".join(
        f'<tr><td class="num">{q.risk.score:.2f}</td>'
        f'<td><a href="{escape(url("/item", token, doc=q.doc_id))}#u{q.unit}">{escape(q.doc_id)} #{q.unit}</a></td>'
        f"<td>{escape(', '.join(q.risk.marks))}</td><td>{escape(_clip(q.pivot_text))}</td></tr>"
        for q in queue
    )
    body = (
        f"<header><h1>bitext review</h1><p>{escape(data_dir)}: {len(items)} item(s)</p></header><main>"
        '<h2>Items</h2><table class="list"><thead><tr><th>item</th><th>languages</th><th>units</th>'
        "<th>to review</th><th>confirmed</th><th>state</th></tr></thead>"
        f"<tbody>{lines}</tbody></table>"
        f'<h2>Review queue</h2><p class="sub">The {len(queue)} riskiest units not confirmed yet, across the corpus: '
        "low score, not one sentence per language, a length ratio far from the item's usual one, numbers that "
        "differ between languages, a side empty in one language.</p>"
        '<table class="list queue"><thead><tr><th>risk</th><th>unit</th><th>why</th><th>pivot text</th></tr></thead>'
        f"<tbody>{queued}</tbody></table></main>"
    )
    return _page("corpus", body)


def _share(part: int, whole: int) -> str:
    return f"{part} ({100 * part / whole:.0f}%)" if whole else "0"


def _clip(text: str, limit: int = 140) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- the item page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grid:
    """What the item page shows: the item and the risk of each of its rows."""

    item: Item
    risks: Sequence[Risk]

    def paragraph_starts(self) -> list[bool]:
        """Whether each unit opens a paragraph (in the first language, pivot first, that it has a sentence in)."""
        last: dict[str, int] = {}
        starts = []
        for row in self.item.rows:
            first = next((lang for lang in self.item.langs if row[f"sents_{lang}"]), None)
            if first is None:
                starts.append(False)
                continue
            para = self.item.sentences.paras[first][row[f"sents_{first}"][0]]
            starts.append(last.get(first) != para)
            for lang in self.item.langs:
                if row[f"sents_{lang}"]:
                    last[lang] = self.item.sentences.paras[lang][row[f"sents_{lang}"][-1]]
        return starts


def item_page(grid: Grid, token: str, version: str, *, can_undo: bool, can_redo: bool) -> str:
    flagged = sum(1 for r in grid.risks if r.flagged)
    confirmed = sum(1 for r in grid.item.rows if r[STATUS] == CONFIRMED)
    heads = "".join(
        f'<th lang="{escape(lang)}">{escape(lang)}{" (pivot)" if lang == grid.item.pivot else ""}</th>' for lang in grid.item.langs
    )
    keys = "".join(f"<li><kbd>{escape(k)}</kbd> {escape(what)}</li>" for k, what in SHORTCUTS)
    body = (
        f'<header><nav><a href="{escape(url("/", token))}">← corpus</a></nav>'
        f"<h1>{escape(grid.item.title)}</h1>"
        f'<p class="sub"><span>{escape(grid.item.doc_id)}</span> · <span id="count">{len(grid.item.rows)}</span> units · '
        f"{flagged} marked ! to review · {confirmed} confirmed</p>"
        f'<section class="keys" aria-label="Keyboard shortcuts"><h2>Keyboard shortcuts</h2><ul>{keys}</ul>'
        "<p>Click a sentence to pick it: Split here cuts before it (after it when it is the unit's first), "
        "Move to previous/next moves it and the sentences before/after it in its language.</p></section></header>"
        '<div class="toolbar" role="toolbar" aria-label="Corrections">'
        f'<button type="button" data-action="undo"{"" if can_undo else " disabled"}>Undo</button>'
        f'<button type="button" data-action="redo"{"" if can_redo else " disabled"}>Redo</button>'
        '<label><input type="checkbox" id="every-language" checked> Split in every language</label>'
        '<span id="message" role="status" aria-live="polite"></span></div>'
        f'<main><table class="grid cols-{min(8, len(grid.item.langs))}">'
        f"<thead><tr><th>#</th><th>score</th>{heads}<th>actions</th></tr></thead>"
        f'<tbody id="units">{rows_html(grid, 0, len(grid.item.rows))}</tbody></table></main>'
    )
    attrs = (f' data-token="{escape(token)}" data-doc="{escape(grid.item.doc_id)}" data-version="{escape(version)}"'
             ' class="item"')
    return _page(grid.item.title, body, attrs=attrs)


def rows_html(grid: Grid, start: int, stop: int) -> str:
    """The ``<tr>`` of units ``start`` .. ``stop`` (exclusive)."""
    starts = grid.paragraph_starts()
    return "".join(_row(grid, index, starts[index]) for index in range(start, min(stop, len(grid.item.rows))))


def _row(grid: Grid, index: int, para_start: bool) -> str:
    row, risk = grid.item.rows[index], grid.risks[index]
    classes = ["unit"]
    if risk.flagged:
        classes.append("risky")
    if para_start:
        classes.append("para-start")
    if row[STATUS]:
        classes.append(str(row[STATUS]))
    score = "—" if row["score"] is None else f"{row['score']:.2f}"
    marks = (f' <span class="risk" title="{escape(", ".join(risk.marks))}">! {escape(", ".join(risk.marks))}</span>'
             if risk.flagged else "")
    status = f' <span class="state">{STATUS_MARKS[row[STATUS]]}</span>' if row[STATUS] in STATUS_MARKS else ""
    para = '<span class="para" title="a paragraph starts here">¶</span> ' if para_start else ""
    cells = "".join(_cell(grid, row, lang) for lang in grid.item.langs)
    return (
        f'<tr data-unit="{index}" id="u{index}" class="{" ".join(classes)}">'
        f'<th scope="row" class="n">{para}<span class="idx">{index}</span></th>'
        f'<td class="score">{score}{marks}{status}</td>{cells}<td class="acts">{ROW_BUTTONS_HTML}</td></tr>'
    )


def _cell(grid: Grid, row: Row, lang: str) -> str:
    sents = row[f"sents_{lang}"]
    if not sents:
        return f'<td lang="{escape(lang)}" class="empty">—</td>'
    spans = " ".join(
        f'<span class="s" data-lang="{escape(lang)}" data-sent="{i}">{escape(grid.item.sentences.text(lang, i))}</span>'
        for i in sents
    )
    return f'<td lang="{escape(lang)}">{spans}</td>'


def error_page(message: str) -> str:
    return _page("error", f'<main><h1>bitext review</h1><p class="error">{escape(message)}</p></main>')
