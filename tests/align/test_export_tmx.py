"""TMX export: header, tu layout, escaping, filters, sentence pieces, round trip through the importer."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from align.formats.selection import Selection, apply_selection, units_from_multiway, units_from_pairs
from align.formats.splitting import sentence_lookup
from align.formats.tmx_read import tmx_alignments
from align.formats.tmx_write import TmxOptions, write_tmx, xml_safe
from align.store.schemas import ALIGNMENTS_SCHEMA
from tests.align.frames_factory import make_frames

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
REQUIRED_HEADER = (
    "creationtool",
    "creationtoolversion",
    "segtype",
    "o-tmf",
    "adminlang",
    "srclang",
    "datatype",
)


def _tmx(frames=None, src="ru", tgt="en", selection=None, **options) -> bytes:
    frames = frames or make_frames()
    selection = selection or Selection(langs=(src, tgt))
    units = apply_selection(units_from_pairs(frames.alignments, src, tgt), selection)
    stream = io.BytesIO()
    write_tmx(units, stream, TmxOptions(langs=(src, tgt), **options))
    return stream.getvalue()


def _root(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def test_declaration_version_and_required_header_attributes() -> None:
    created = datetime(2016, 10, 6, 19, 14, 5, tzinfo=UTC)
    data = _tmx(created=created, provenance={"aligner": "anchors", "scorer_params": {"k": 3}})
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">')
    header = _root(data).find("header")
    assert all(header.get(name) for name in REQUIRED_HEADER)
    assert header.get("segtype") == "sentence" and header.get("datatype") == "plaintext"
    assert header.get("srclang") == "ru-RU" and header.get("creationtool") == "bitext"
    assert header.get("creationdate") == "20161006T191405Z"
    props = {p.get("type"): p.text for p in header.findall("prop")}
    assert props == {"x-aligner": "anchors", "x-scorer_params": '{"k": 3}'}


def test_each_tu_has_unique_tuid_props_before_tuvs_and_source_first() -> None:
    root = _root(_tmx(src="en", tgt="ru"))
    tus = root.findall("body/tu")
    assert len({tu.get("tuid") for tu in tus}) == len(tus) > 0
    for tu in tus:
        tags = [child.tag for child in tu]
        assert tags.index("tuv") == len([t for t in tags if t == "prop"])  # every prop precedes every tuv
        props = [p.get("type") for p in tu.findall("prop")]
        assert props[:4] == ["x-doc-id", "x-url", "x-score", "x-kind"] or props[:3] == [
            "x-doc-id",
            "x-score",
            "x-kind",
        ]
        tuvs = tu.findall("tuv")
        assert tuvs[0].get(XML_LANG) == "en-GB" and tuvs[1].get(XML_LANG) == "ru-RU"
        assert all(tuv.get("lang") is None for tuv in tuvs)


def test_url_and_origlang_come_from_the_documents_frame(tmp_path: Path) -> None:
    from align.formats.selection import load_export_units

    make_frames().write(tmp_path)
    units = load_export_units(tmp_path, Selection(langs=("ru", "en")))
    stream = io.BytesIO()
    write_tmx(units, stream, TmxOptions(langs=("ru", "en")))
    tu = _root(stream.getvalue()).find("body/tu")
    props = {p.get("type"): p.text for p in tu.findall("prop")}
    assert props["x-url"] == "https://www.mid.ru/ru/news/1527258" and props["x-origlang"] == "ru"


def test_text_is_escaped_and_forbidden_characters_removed() -> None:
    text = "A & B <c> \"d\" 'e' \x00\x07\x1b\ufffe tab\there \u200fRTL\u200f 😀 cr\rend"
    frames = make_frames([{"ru": ["Да."], "en": [text]}], [0.5], langs=("ru", "en"))
    data = _tmx(frames)
    assert b"A &amp; B &lt;c&gt;" in data and b"\x00" not in data and b"\x07" not in data
    seg = _root(data).findall("body/tu/tuv")[1].find("seg").text
    assert seg == "A & B <c> \"d\" 'e'  tab\there \u200fRTL\u200f 😀 cr\rend"
    assert xml_safe("a\x00b\x1bc\ufffe\U0001f600") == "ab" + "c" + "\U0001f600"


def test_empty_sides_dropped_by_default_and_kept_on_request() -> None:
    frames = make_frames()
    default = _root(_tmx(frames, sentences=None)).findall("body/tu")
    assert "Спасибо." not in [tu.find("tuv/seg").text for tu in default]
    kept = _root(_tmx(frames, selection=Selection(langs=("ru", "en"), keep_empty=True))).findall("body/tu")
    thanks = [tu for tu in kept if tu.find("tuv/seg").text == "Спасибо."]
    assert len(thanks) == 1 and len(thanks[0].findall("tuv")) == 1  # source present, empty target left out


def test_min_score_and_dedupe() -> None:
    spec = [{"ru": ["Да."], "en": ["Yes."]}, {"ru": ["Нет."], "en": ["No."]}, {"ru": ["Да."], "en": ["Yes."]}]
    frames = make_frames(spec, [0.9, 0.3, 0.8], langs=("ru", "en"))
    scored = _root(_tmx(frames, selection=Selection(langs=("ru", "en"), min_score=0.5)))
    assert [tu.find("tuv/seg").text for tu in scored.iter("tu")] == ["Да.", "Да."]
    deduped = _root(_tmx(frames, selection=Selection(langs=("ru", "en"), dedupe=True)))
    assert [tu.find("tuv/seg").text for tu in deduped.iter("tu")] == ["Да.", "Нет."]


def test_locale_override() -> None:
    root = _root(_tmx(src="en", tgt="ru", locales={"en": "en-US"}))
    assert root.find("header").get("srclang") == "en-US"
    assert root.find("body/tu/tuv").get(XML_LANG) == "en-US"


def test_multi_sentence_units_get_sentence_pieces_that_join_to_the_whole() -> None:
    frames = make_frames()
    root = _root(_tmx(frames, sentences=sentence_lookup(frames.sentences)))
    by_id = {tu.get("tuid"): tu for tu in root.iter("tu")}
    whole = [tuv.find("seg").text for tuv in by_id["mid.ru:1527258:1"].findall("tuv")]
    pieces = [[tuv.find("seg").text for tuv in by_id[f"mid.ru:1527258:1.{k}"].findall("tuv")] for k in (1, 2)]
    assert [p[0] for p in pieces] == [frames.sentences["text"][1], frames.sentences["text"][2]]
    assert " ".join(p[1] for p in pieces) == whole[1]  # what OmegaT writes when it joins the two
    part = {p.get("type"): p.text for p in by_id["mid.ru:1527258:1.2"].findall("prop")}
    assert part["x-part"] == "2/2" and part["x-kind"] == "2-1"
    assert "mid.ru:1527258:2.1" not in by_id  # 1-2 unit: its source is one sentence already


def test_no_pieces_without_sentence_lookup() -> None:
    assert not [tu for tu in _root(_tmx()).iter("tu") if "." in tu.get("tuid").rsplit(":", 1)[1]]


def test_multilingual_units_hold_every_language_source_first() -> None:
    frames = make_frames()
    units = apply_selection(
        units_from_multiway(frames.units, ("en", "ru", "de")), Selection(langs=("en", "ru", "de"))
    )
    stream = io.BytesIO()
    write_tmx(units, stream, TmxOptions(langs=("en", "ru", "de")))
    tus = _root(stream.getvalue()).findall("body/tu")
    assert len(tus) == 5
    assert all([t.get(XML_LANG) for t in tu.findall("tuv")] == ["en-GB", "ru-RU", "de-DE"] for tu in tus)
    assert tus[2].find("prop[@type='x-kind']").text == "2-1-2"


def test_streams_many_units(tmp_path: Path) -> None:
    spec = [{"ru": [f"Предложение {i}."], "en": [f"Sentence {i}."]} for i in range(5000)]
    frames = make_frames(spec, [0.5] * 5000, langs=("ru", "en"))
    units = units_from_pairs(frames.alignments, "ru", "en")
    with open(tmp_path / "big.tmx", "wb") as stream:
        assert write_tmx(units, stream, TmxOptions(langs=("ru", "en"))) == 5000
    assert len(tmx_alignments(tmp_path / "big.tmx")) == 5000


# ------------------------------------------------------------------ round trip
SPECIALS = st.sampled_from(
    ["&", "<", ">", '"', "'", "\u200f", "\u202e", "😀", "\x00", "\x1b", "\t", "\r", "\n", "\ufffe"]
)
TEXT = st.lists(
    st.one_of(st.text(st.characters(exclude_categories=("Cs",)), max_size=8), SPECIALS), max_size=6
).map("".join)
LANG_PAIRS = st.sampled_from([("ru", "en"), ("en", "ru"), ("de", "fr"), ("es", "de")])


@st.composite
def alignment_frames(draw: st.DrawFn, finite: bool = False) -> pl.DataFrame:
    src, tgt = draw(LANG_PAIRS)
    rows = []
    for i in range(draw(st.integers(1, 6))):
        n, m = draw(st.integers(1, 3)), draw(st.integers(1, 3))
        rows.append(
            {
                "doc_id": draw(st.sampled_from(["mid.ru:1", "archive.mid.ru:2490975"])),
                "src_lang": src,
                "tgt_lang": tgt,
                "src_sents": list(range(3 * i, 3 * i + n)),
                "tgt_sents": list(range(3 * i, 3 * i + m)),
                "src_text": draw(TEXT),
                "tgt_text": draw(TEXT),
                "score": draw(st.floats(allow_nan=False, allow_infinity=not finite) | st.none()),
                "kind": f"{n}-{m}",
            }
        )
    return pl.DataFrame(rows, schema=ALIGNMENTS_SCHEMA)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frame=alignment_frames())
def test_round_trip_frames_tmx_frames(frame: pl.DataFrame, tmp_path: Path) -> None:
    src, tgt = frame["src_lang"][0], frame["tgt_lang"][0]
    exported = list(apply_selection(units_from_pairs(frame, src, tgt), Selection(langs=(src, tgt))))
    path = tmp_path / "rt.tmx"
    with open(path, "wb") as stream:
        write_tmx(exported, stream, TmxOptions(langs=(src, tgt)))
    if not exported:
        return
    back = tmx_alignments(path)
    assert back.select("doc_id", "src_lang", "tgt_lang", "src_sents", "tgt_sents", "kind").rows() == [
        (u.doc_id, src, tgt, list(u.sents[0]), list(u.sents[1]), u.kind) for u in exported
    ]
    assert back["src_text"].to_list() == [xml_safe(u.texts[0]) for u in exported]
    assert back["tgt_text"].to_list() == [xml_safe(u.texts[1]) for u in exported]
    assert back["score"].to_list() == [u.score for u in exported]


def test_xml_safe_keeps_everything_xml_allows() -> None:
    allowed = "\t\n\r \ud7ff\ue000\ufffd\U00010000\U0010ffff"
    assert xml_safe(allowed) == allowed
    assert re.fullmatch("", xml_safe("\x01\x08\x0b\x0c\x1f\uffff"))


def test_pair_rows_turns_stored_direction_and_keeps_order() -> None:
    from align.store.schemas import pair_alignments as pair_rows

    frames = make_frames()
    mixed = pl.concat([frames.alignments.filter(pl.col("src_lang") == "ru").head(2), _swap(frames)])
    turned = pair_rows(mixed, "ru", "en")
    assert turned["src_lang"].unique().to_list() == ["ru"] and turned["kind"].to_list()[:4] == [
        "1-1",
        "2-1",
        "1-1",
        "2-1",
    ]
    back = pair_rows(frames.alignments, "en", "ru")
    assert back["kind"].to_list() == ["1-1", "1-2", "2-1", "1-1", "1-1", "0-1"]
    assert back["src_sents"].to_list()[1] == [1] and back["tgt_sents"].to_list()[1] == [1, 2]


def _swap(frames) -> pl.DataFrame:
    """The first two ru-en rows stored the other way round, as another tool might."""
    rows = frames.alignments.filter((pl.col("src_lang") == "ru") & (pl.col("tgt_lang") == "en")).head(2)
    return rows.select(
        "doc_id",
        pl.col("tgt_lang").alias("src_lang"),
        pl.col("src_lang").alias("tgt_lang"),
        pl.col("tgt_sents").alias("src_sents"),
        pl.col("src_sents").alias("tgt_sents"),
        pl.col("tgt_text").alias("src_text"),
        pl.col("src_text").alias("tgt_text"),
        "score",
        pl.col("kind").str.split("-").list.reverse().list.join("-"),
    )
