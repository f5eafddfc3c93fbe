"""Hypothesis: arbitrary input to the HTML extractor, the TMX reader and the bead-file reader gives a
result or one of the tool's own errors, never another exception, and never takes long (a deadline per example)."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from align.errors import BitextError
from align.evaluate import score_alignments
from align.formats.bead_files import parse_beads
from align.formats.tmx_read import tmx_alignments
from scrapers.discover import discover_links
from scrapers.errors import ScraperError
from scrapers.extract.paragraphs import parse_html
from scrapers.sites import adapter_for

FUZZ = settings(
    max_examples=60, deadline=timedelta(seconds=3), suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

# --- HTML ------------------------------------------------------------------------------------------

TAGS = ["p", "div", "h1", "h2", "span", "a", "li", "ul", "table", "td", "br", "script", "style", "article", "b"]
TEXT = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40)
ATTRS = st.sampled_from(
    ['', ' class="text"', ' hreflang="de" href="/de/x"', ' href="http://[bad/"', ' lang="ru"', ' href="javascript:x"',
     ' class="article-body"', ' href="?lang=fr"', ' id="content"', ' rel="alternate" hreflang="en" href="//x/y"']
)  # fmt: skip


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, attrs, inner, close: f"<{tag}{attrs}>{''.join(inner)}" + (f"</{tag}>" if close else ""),
        st.sampled_from(TAGS), ATTRS, st.lists(children, max_size=4), st.booleans(),
    )  # fmt: skip


HTML = st.recursive(TEXT, _element, max_leaves=30).map(lambda body: f"<html><head><title>t</title></head><body>{body}")
PAGES = st.one_of(HTML, TEXT, st.binary(max_size=300).map(lambda b: b.decode("utf-8", "replace")))
URLS = ["https://www.mid.ru/ru/foreign_policy/news/1527258/?lang=en",
        "https://archive.mid.ru/en/a/-/asset_publisher/X/content/id/2490975", "https://example.org/en/news/1"]  # fmt: skip


@FUZZ
@given(PAGES, st.sampled_from(URLS), st.sampled_from([None, "mid.ru", "generic"]))
@example("<?xml", URLS[2], None)  # XML-looking text made bs4 warn (an error under -W error)
@example('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>Hi.</p></body></html>', URLS[0], None)
def test_html_extraction_gives_an_article_or_a_scraper_error(html: str, url: str, site: str | None) -> None:
    soup = parse_html(html)
    discover_links(soup, url)
    try:
        article, _notes = adapter_for(url, site).extract(soup, url)
    except ScraperError:
        return
    assert len(article.paragraphs) == len(article.para_kinds)
    assert all(isinstance(p, str) for p in article.paragraphs)


# --- TMX -------------------------------------------------------------------------------------------

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="ru"/><body>'
TUV = st.builds(
    lambda lang, text, props: f'<tuv{lang}>{props}<seg>{text}</seg></tuv>',
    st.sampled_from(['', ' xml:lang="ru"', ' xml:lang="en"', ' lang="DE-de"', ' xml:lang="*all*"', ' xml:lang=""']),
    st.sampled_from(["Привет.", "Hello &amp; bye", "<bpt i='1'>&lt;b&gt;</bpt>x<ept i='1'/>", "", "&nbsp;", "a<hi>b</hi>"]),
    st.sampled_from(["", '<prop type="x-sents">0,1</prop>', '<prop type="x-sents">x</prop>', '<prop type="x-score">nan</prop>']),
)  # fmt: skip
TU = st.builds(
    lambda tuvs, props: f"<tu>{props}{''.join(tuvs)}</tu>",
    st.lists(TUV, max_size=4),
    st.sampled_from(["", '<prop type="x-doc-id">d:1</prop>', '<prop type="x-part">1/2</prop>', '<prop type="x-kind">9</prop>']),
)  # fmt: skip
TMX = st.builds(lambda tus, tail: HEAD + "".join(tus) + tail, st.lists(TU, max_size=5),
                st.sampled_from(["</body></tmx>", "</body>", "", "</tmx>", "<!-- x -->"]))  # fmt: skip


def _mutated(text: str, data: st.DataObject) -> bytes:
    raw = text.encode("utf-8")
    if data.draw(st.booleans()) and raw:
        at = data.draw(st.integers(0, len(raw) - 1))
        raw = raw[:at] + data.draw(st.binary(max_size=8)) + raw[at + data.draw(st.integers(0, 4)) :]
    return raw


@FUZZ
@given(TMX, st.data())
def test_tmx_reading_gives_a_frame_or_an_export_error(text: str, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.tmx"
        path.write_bytes(_mutated(text, data))
        try:
            frame = tmx_alignments(path)
        except BitextError:
            return
    assert len(frame) > 0


# --- bead files ------------------------------------------------------------------------------------

BEAD_CHARS = st.text(alphabet="[]0123456789,: .-e\t", max_size=30)
BEADS = st.lists(st.one_of(BEAD_CHARS, st.from_regex(r"\[\d{0,3}(, \d{1,3}){0,2}\]:\[\d{0,3}\](:0\.\d+)?", fullmatch=True)),
                 max_size=12)  # fmt: skip


@FUZZ
@given(BEADS, BEADS)
def test_bead_reading_gives_beads_or_an_alignment_file_error(pred_lines: list[str], gold_lines: list[str]) -> None:
    try:
        pred, gold = parse_beads(pred_lines), parse_beads(gold_lines)
    except BitextError:
        return
    counts = score_alignments(pred, gold)
    assert counts.predicted >= 0 and counts.gold >= 0
