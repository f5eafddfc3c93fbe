"""``bitext import tmx FILE``: any TMX 1.4 into the alignments frame.

Bilingual or multilingual files; ``xml:lang`` or the legacy ``lang``;
inline markup in ``seg`` becomes plain text (the native codes inside
``bpt``/``ept``/``ph``/``it``/``ut`` are dropped, the text of ``hi`` kept).
Each ``tu`` gives one row per pair of languages it holds; the source side is
the ``tu``'s or header's ``srclang`` when the pair contains it (``*all*``
names none), else the alphabetically first language. Sentence indices come
from bitext's own ``x-sents`` props, else count the segments of each
language in file order. Scores and kinds come from ``x-score``/``x-kind``;
sentence-level pieces that bitext derived (``x-part``) are skipped, their
whole unit is in the file.

Parsing is safe: no DTD is loaded, no entity resolved, no network used, and a
file that declares entities (internal subset) is refused before lxml parses it,
which also stops entity-expansion ("billion laughs") bombs whatever the lxml
and libxml2 versions. A malformed file raises ExportError naming the line.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import IO, Final, Protocol, cast
from xml.parsers import expat

import polars as pl
from lxml import etree

from align.errors import ExportError
from align.formats.tmx_write import XML_LANG
from align.languages import primary_language
from align.store.delta import sql_literal
from align.store.runs import start_run
from align.store.schemas import ALIGNMENTS_SCHEMA
from align.store.tables import replace_rows

logger = logging.getLogger(__name__)

INLINE_CODES: Final = frozenset({"bpt", "ept", "ph", "it", "ut"})  # their content is markup, not text
ALL_LANGUAGES: Final = "*all*"
PROLOG_CHUNK: Final = 1 << 16  # bytes read at a time while looking for DOCTYPE entity declarations


class UndefinedEntityError(Exception):
    """A ``seg`` refers to an entity no loaded declaration defines (internal to this module)."""

    def __init__(self, line: int, name: str) -> None:
        super().__init__(line, name)
        self.line, self.name = line, name


@dataclass(frozen=True, slots=True)
class Variant:
    """One ``tuv``: language (ISO 639-1), text and bitext's sentence indices when given."""

    lang: str
    text: str
    sents: tuple[int, ...] | None


@dataclass(frozen=True, slots=True)
class TranslationUnit:
    """One ``tu`` as read from a TMX file."""

    line: int
    variants: tuple[Variant, ...]
    srclang: str | None
    props: dict[str, str] = field(default_factory=dict)


def seg_text(seg: etree._Element) -> str:
    """Plain text of a ``seg``: text and ``hi`` content kept, inline codes dropped.

    Raises UndefinedEntityError for a reference to an entity that is not loaded (from an external DTD).
    """
    parts = [seg.text or ""]
    for child in seg:
        if child.tag is etree.Entity:
            raise UndefinedEntityError(cast("int | None", child.sourceline) or 0, child.text or "")
        if isinstance(child.tag, str) and child.tag not in INLINE_CODES:
            parts.append(seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _language(tag: str | None) -> str | None:
    """``"en-US"`` -> ``"en"``; None for no tag and for ``*all*``."""
    return primary_language(tag) if tag and tag.strip() != ALL_LANGUAGES else None


def _props(element: etree._Element) -> dict[str, str]:
    return {p.get("type", ""): (p.text or "") for p in element.findall("prop")}


def _sents(value: str | None) -> tuple[int, ...] | None:
    if value is None:
        return None
    try:
        return tuple(int(part) for part in value.split())
    except ValueError:
        return None


def _variant(tuv: etree._Element) -> Variant | None:
    lang, seg = _language(tuv.get(XML_LANG) or tuv.get("lang")), tuv.find("seg")
    if lang is None or seg is None:
        return None
    return Variant(lang, seg_text(seg), _sents(_props(tuv).get("x-sents")))


class _PrologRead(Exception):
    """Stops the prolog scan (at the root element, or at the first entity declaration)."""


def _declares_entities(stream: IO[bytes]) -> bool:
    """True when the DOCTYPE declares an entity (general or parameter); reads up to the root element only.

    The scan uses the standard library's expat, which reports a declaration
    before any reference to it can be expanded, so the answer does not depend on
    libxml2's own limits (libxml2 in lxml 6.2 stops a bomb with an amplification
    error before lxml shows the DOCTYPE). A prolog expat cannot read (an encoding it
    does not know, malformed XML) counts as no declaration here: the lxml parse
    then reports the error, or finds the declarations itself.
    """
    scan = expat.ParserCreate()
    declared = False

    def on_entity(*_: object) -> None:
        nonlocal declared
        declared = True
        raise _PrologRead

    def on_root(*_: object) -> None:
        raise _PrologRead

    scan.EntityDeclHandler = on_entity
    scan.StartElementHandler = on_root
    try:
        while chunk := stream.read(PROLOG_CHUNK):
            scan.Parse(chunk, False)
        scan.Parse(b"", True)
    except (_PrologRead, expat.ExpatError, ValueError, LookupError):  # ValueError: a multi-byte encoding
        pass
    return declared


def _entities_refused(path: Path) -> ExportError:
    return ExportError(
        f"{path}: the file declares XML entities in its DOCTYPE; refused (entity expansion is unsafe). "
        f"Hint: remove the <!ENTITY ...> declarations"
    )


def _refuse_entities(tree: etree._ElementTree, path: Path) -> None:
    """The same refusal from lxml's view of the DOCTYPE, for a prolog expat could not read."""
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):  # type: ignore[attr-defined]  # not in lxml-stubs
        raise _entities_refused(path)


class _LogEntry(Protocol):
    level: int
    line: int
    message: str


def _first_parse_error(err: etree.XMLSyntaxError) -> tuple[int | str, str]:
    """Line and message of the first real error (iterparse may only say "no element found")."""
    log = cast("Iterable[_LogEntry]", err.error_log)  # lxml-stubs do not say that the log is iterable
    errors = [e for e in log if e.level >= etree.ErrorLevels.ERROR]
    if errors:
        return errors[0].line or "?", errors[0].message.strip()
    return err.lineno or 1, str(err.msg)


def _parse_tus(stream: IO[bytes], path: Path) -> Iterator[tuple[str | None, TranslationUnit]]:
    header_src: str | None = None
    checked = False
    events = etree.iterparse(
        stream,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    for event, element in events:
        if not checked:
            checked = True
            _refuse_entities(element.getroottree(), path)
            if element.tag != "tmx":
                hint = " (an HTML page, not a translation memory: save the TMX file itself)" if element.tag == "html" else ""
                raise ExportError(f"{path}:{element.sourceline}: root element is <{element.tag}>, not <tmx>{hint}")
        if event == "end" and element.tag == "header":
            header_src = element.get("srclang")
        elif event == "end" and element.tag == "tu":
            variants = tuple(v for v in map(_variant, element.findall("tuv")) if v is not None)
            yield (
                header_src,
                TranslationUnit(element.sourceline or 0, variants, element.get("srclang"), _props(element)),
            )
            element.clear(keep_tail=False)
            while element.getprevious() is not None:  # drop finished tus: memory stays flat
                del element.getparent()[0]


def iter_tus(path: str | os.PathLike[str]) -> Iterator[tuple[str | None, TranslationUnit]]:
    """Yield (header srclang, tu) for every ``tu``, streaming, with safe parsing."""
    path = Path(path)
    etree.clear_error_log()  # the log is per thread; _first_parse_error must see only this file's errors
    try:
        with open(path, "rb") as stream:
            if _declares_entities(stream):
                raise _entities_refused(path)
            stream.seek(0)
            yield from _parse_tus(stream, path)
    except UndefinedEntityError as err:
        raise ExportError(
            f"{path}:{err.line}: entity {err.name} is not defined in the file and bitext loads no "
            f"external DTD; replace it with the character it stands for"
        ) from err
    except etree.XMLSyntaxError as err:
        line, message = _first_parse_error(err)
        raise ExportError(
            f"{path}:{line}: malformed TMX: {message}; fix the file or export it again"
        ) from err
    except OSError as err:
        raise ExportError(f"{path}: cannot read ({err.strerror or err}); check the path") from err


def _score(value: str | None) -> float | None:
    """The ``x-score`` prop as a float; None when absent or not a number."""
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _ordered_pair(a: str, b: str, srclang: str | None) -> tuple[str, str]:
    if srclang in (a, b):
        return (a, b) if a == srclang else (b, a)
    return (a, b) if a < b else (b, a)


def tmx_alignments(path: str | os.PathLike[str], *, doc_id: str | None = None) -> pl.DataFrame:
    """Read a TMX file into an alignments frame (see the module docstring)."""
    return _read_tmx(Path(path), doc_id)[0]


def _read_tmx(path: Path, doc_id: str | None) -> tuple[pl.DataFrame, dict[str, str]]:
    """The alignments frame and each document's original language (its ``x-origlang`` props)."""
    counters: dict[tuple[str, str], int] = {}
    rows: list[dict[str, object]] = []
    origlang: dict[str, str] = {}
    for header_src, tu in iter_tus(path):
        if "x-part" in tu.props:
            continue
        unit_doc = doc_id or tu.props.get("x-doc-id") or f"tmx:{path.name}"
        if (lang := _language(tu.props.get("x-origlang"))) is not None:
            origlang.setdefault(unit_doc, lang)
        variants: dict[str, Variant] = {}
        for variant in tu.variants:
            variants.setdefault(variant.lang, variant)  # a second variant in one language is ignored
        indices = {}
        for lang, variant in variants.items():
            start = counters.get((unit_doc, lang), 0)
            indices[lang] = list(variant.sents) if variant.sents is not None else [start]
            counters[(unit_doc, lang)] = max([start - 1, *indices[lang]]) + 1
        srclang = _language(tu.srclang) or _language(header_src)
        for a, b in combinations(sorted(variants), 2):
            src, tgt = _ordered_pair(a, b, srclang)
            rows.append(
                {
                    "doc_id": unit_doc,
                    "src_lang": src,
                    "tgt_lang": tgt,
                    "src_sents": indices[src],
                    "tgt_sents": indices[tgt],
                    "src_text": variants[src].text,
                    "tgt_text": variants[tgt].text,
                    "score": _score(tu.props.get("x-score")),
                    "kind": tu.props.get("x-kind")
                    if len(variants) == 2 and "x-kind" in tu.props
                    else f"{len(indices[src])}-{len(indices[tgt])}",
                }
            )
    if not rows:
        raise ExportError(f"{path}: no <tu> holds two languages; nothing to import")
    return pl.DataFrame(rows, schema=ALIGNMENTS_SCHEMA), origlang


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What ``import_tmx`` stored."""

    doc_ids: tuple[str, ...]
    pairs: tuple[str, ...]
    rows: int


def import_tmx(
    path: str | os.PathLike[str], data_dir: str | os.PathLike[str], *, doc_id: str | None = None
) -> ImportSummary:
    """Read ``path`` and store its rows in the alignments frame as one ``import`` run.

    The commit replaces exactly the (document, language pair) combinations the
    file holds, in either stored direction; every other pair is kept.
    """
    frame, origlang = _read_tmx(Path(path), doc_id)
    # the original language travels in the run's params: an import has no documents rows to hold it
    run = start_run(data_dir, "import", aligner="tmx-import", source=str(path), origlang=origlang)
    replace_rows(data_dir, "alignments", frame, predicate=pairs_predicate(frame), run_id=run.run_id)
    run.finish(frame["doc_id"].unique(maintain_order=True).to_list())
    pairs = sorted({f"{s}-{t}" for s, t in frame.select("src_lang", "tgt_lang").iter_rows()})
    logger.info("imported %d rows from %s", len(frame), path)
    return ImportSummary(tuple(sorted(frame["doc_id"].unique().to_list())), tuple(pairs), len(frame))


def pairs_predicate(frame: pl.DataFrame) -> str:
    """The rows of the (doc_id, unordered language pair) combinations in ``frame``, as a Delta predicate."""
    clauses = []
    for doc, src, tgt in frame.select("doc_id", "src_lang", "tgt_lang").unique(maintain_order=True).iter_rows():
        a, b = sql_literal(src), sql_literal(tgt)
        clauses.append(
            f"(doc_id = {sql_literal(doc)} AND ((src_lang = {a} AND tgt_lang = {b}) "
            f"OR (src_lang = {b} AND tgt_lang = {a})))"
        )
    return " OR ".join(clauses)
