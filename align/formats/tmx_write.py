"""TMX 1.4b export: what OmegaT, Trados, memoQ and translate-toolkit accept.

The file is UTF-8 with an XML declaration and no DOCTYPE (tools that try to
fetch ``tmx14.dtd`` fail offline; validity against it is tested). The header
carries every attribute the DTD requires, ``segtype="sentence"``, the source
locale and the provenance of the runs whose rows are exported (``DATA/runs/``)
as ``<prop type="x-...">``: one run's id, aligner, scorer and parameters, or,
when the rows come from several runs, ``mixed`` and ``x-runs`` listing every
run. Each ``tu`` has a
unique ``tuid`` (``DOC:UNIT``, pieces ``DOC:UNIT.K``), then the props
``x-doc-id``, ``x-url`` (source version), ``x-score``, ``x-kind``,
``x-origlang`` (and ``x-part`` ``K/N`` for a sentence-level piece), ``x-run``
(the run that wrote the row) and that run's ``x-aligner``, ``x-scorer`` and
``x-version`` (the bitext version it ran), then one
``tuv`` per language, the source first; each ``tuv`` records its sentence
indices in ``x-sents``. A non-source language with empty text gets no ``tuv``.

Characters XML 1.0 forbids (C0 controls other than tab/newline/CR, lone
surrogates, U+FFFE/U+FFFF) are removed; everything else, CR included, is
kept exactly (lxml escapes ``& < >`` and writes CR as ``&#13;``).
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any, Final

import polars as pl
from lxml import etree

from align import __version__
from align.formats.locales import locale_for
from align.formats.selection import ExportUnit, Selection
from align.formats.splitting import SentenceLookup, sentence_lookup, split_unit
from align.store.items import whole_only
from align.store.runs import describe_run, read_runs
from align.store.schemas import FrameName
from align.store.tables import read_frame, scan_table, table_exists

logger = logging.getLogger(__name__)

XML_DECLARATION: Final = b'<?xml version="1.0" encoding="UTF-8"?>\n'
XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"
# What XML 1.0 cannot carry: "a\x00b\x1bc\ufffe" -> "abc"
XML_FORBIDDEN: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
TMX_DATE_FORMAT: Final = "%Y%m%dT%H%M%SZ"  # 20161006T191400Z


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return XML_FORBIDDEN.sub("", text)


@dataclass(frozen=True, slots=True)
class TmxOptions:
    """How to write a TMX file; ``langs[0]`` is the header srclang."""

    langs: tuple[str, ...]
    locales: Mapping[str, str] = field(default_factory=dict)
    provenance: Mapping[str, Any] = field(default_factory=dict)
    created: datetime | None = None
    sentences: SentenceLookup | None = None  # enables sentence-level pieces of multi-sentence units
    runs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # run_id -> record, for the tu props
    adminlang: str = "en-US"

    @property
    def srclang(self) -> str:
        return self.langs[0]

    @classmethod
    def from_frames(
        cls,
        data_dir: str | os.PathLike[str],
        selection: Selection,
        *,
        locales: Mapping[str, str] | None = None,
        sentence_pieces: bool = True,
    ) -> TmxOptions:
        """The options for exporting ``selection`` from the frames under ``data_dir``.

        Header provenance comes from the runs whose rows are exported (``DATA/runs/``)
        and the export settings; the sentences frame gives the sentence-level pieces
        of multi-sentence units (none when ``sentence_pieces`` is off or there is no
        sentences frame). ``locales`` overrides the locale written for a language
        (``{"en": "en-GB"}``).
        """
        source: FrameName = "units" if selection.uses_units else "alignments"
        runs = export_runs(data_dir, selection, source)
        provenance = runs_provenance(list(runs.values()))
        provenance["export"] = {
            "frame": source,
            "langs": list(selection.langs),
            "min_score": selection.min_score,
            "keep_empty": selection.keep_empty,
            "dedupe": selection.dedupe,
        }
        sentences = None
        if sentence_pieces and table_exists(data_dir, "sentences"):
            frame = read_frame(data_dir, "sentences").filter(pl.col("lang").is_in(list(selection.langs)))
            sentences = sentence_lookup(frame)
        return cls(
            langs=selection.langs, locales=dict(locales or {}), provenance=provenance, sentences=sentences,
            runs=runs,
        )


def export_runs(data_dir: str | os.PathLike[str], selection: Selection, source: FrameName) -> dict[str, dict[str, Any]]:
    """``run_id -> provenance record`` of the runs whose rows ``selection`` exports from ``source``."""
    scan = scan_table(data_dir, source)
    if scan is None:
        return {}
    if selection.doc_ids:
        scan = scan.filter(pl.col("doc_id").is_in(list(selection.doc_ids)))
    if source == "alignments":
        scan = scan.filter(pl.col("src_lang").is_in(list(selection.langs)) & pl.col("tgt_lang").is_in(list(selection.langs)))
    used = whole_only(data_dir, scan.select("doc_id", "run_id").unique().collect())
    ids = set(used["run_id"].drop_nulls().to_list())
    rows = read_runs(data_dir).filter(pl.col("run_id").is_in(list(ids)))
    return {row["run_id"]: describe_run(row) for row in rows.iter_rows(named=True)}


def runs_provenance(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Header provenance: the one run's record, or, for rows of several runs, what they share and every run."""
    if len(runs) == 1:
        return {k: v for k, v in runs[0].items() if k != "version"} | {"run-version": runs[0]["version"]}
    provenance: dict[str, Any] = {}
    if runs:
        for key in ("aligner", "scorer", "scorer_params"):
            values = {json.dumps(run.get(key), sort_keys=True) for run in runs}
            provenance[key] = runs[0].get(key) if len(values) == 1 else "mixed: see x-runs and each tu's x-run"
        provenance["runs"] = runs
    return provenance


def _prop(parent: etree._Element, kind: str, value: object) -> None:
    prop = etree.SubElement(parent, "prop", type=kind)
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False)
    prop.text = xml_safe(text)


def header_element(options: TmxOptions) -> etree._Element:
    created = (options.created or datetime.now(UTC)).astimezone(UTC)
    header = etree.Element(
        "header",
        creationtool="bitext",
        creationtoolversion=__version__,
        segtype="sentence",
        adminlang=options.adminlang,
        srclang=locale_for(options.srclang, options.locales),
        datatype="plaintext",
        creationdate=created.strftime(TMX_DATE_FORMAT),
    )
    header.set("o-tmf", "bitext-parquet")
    for key, value in options.provenance.items():
        _prop(header, f"x-{key}", value)
    return header


def tu_element(unit: ExportUnit, tuid: str, options: TmxOptions) -> etree._Element:
    tu = etree.Element("tu", tuid=xml_safe(tuid))
    _prop(tu, "x-doc-id", unit.doc_id)
    url = unit.url(options.srclang)
    if url:
        _prop(tu, "x-url", url)
    if unit.score is not None:
        _prop(tu, "x-score", repr(unit.score))
    _prop(tu, "x-kind", unit.kind)
    if unit.origlang:
        _prop(tu, "x-origlang", unit.origlang)
    if unit.part:
        _prop(tu, "x-part", f"{unit.part[0]}/{unit.part[1]}")
    if unit.run_id:
        _prop(tu, "x-run", unit.run_id)
        run = options.runs.get(unit.run_id, {})
        for key in ("aligner", "scorer", "version"):
            if run.get(key):
                _prop(tu, f"x-{key}", str(run[key]))
    for lang in (options.srclang, *(other for other in unit.langs if other != options.srclang)):
        text = unit.text(lang)
        if lang != options.srclang and not text.strip():
            continue
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: locale_for(lang, options.locales)})
        _prop(tuv, "x-sents", " ".join(map(str, unit.sents[unit.langs.index(lang)])))
        etree.SubElement(tuv, "seg").text = xml_safe(text)
    return tu


def _with_pieces(units: Iterable[ExportUnit], options: TmxOptions) -> Iterator[tuple[str, ExportUnit]]:
    """Each unit under its tuid, followed by its sentence-level pieces when it has some."""
    used: set[str] = set()
    for unit in units:
        base = f"{unit.doc_id}:{unit.unit}"
        while base in used:  # only reachable when two frames share doc ids and units
            base += "+"
        used.add(base)
        yield base, unit
        if options.sentences is not None:
            for number, piece in enumerate(split_unit(unit, options.srclang, options.sentences), 1):
                yield f"{base}.{number}", piece


def write_tmx(units: Iterable[ExportUnit], stream: IO[bytes], options: TmxOptions) -> int:
    """Stream ``units`` to ``stream`` as TMX 1.4b; returns the number of ``tu`` written.

    Every unit must contain ``options.srclang``; the caller chose and filtered them
    (:mod:`align.formats.selection`).
    """
    stream.write(XML_DECLARATION)
    count = 0
    with etree.xmlfile(stream, encoding="UTF-8") as xf, xf.element("tmx", version="1.4"):
        xf.write("\n", header_element(options), "\n", pretty_print=True)
        with xf.element("body"):
            xf.write("\n")
            for tuid, unit in _with_pieces(units, options):
                xf.write(tu_element(unit, tuid, options), pretty_print=True)
                count += 1
    stream.write(b"\n")
    logger.info("wrote %d translation units", count)
    return count
