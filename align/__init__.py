"""bitext: align the language versions of a multilingual page, sentence by sentence.

The names below are the public API, for notebooks, benchmarks and other
programs; everything else under ``align.`` may change between versions.
Importing ``align`` does no work and loads none of polars, numpy, lxml or
sacremoses: each name is imported from its module on first use.

Align two texts
    :func:`split_sentences`, :func:`segment_paragraphs` (-> :class:`Sentence`),
    :func:`detokenize` (Moses-tokenised research data), :data:`SUPPORTED_LANGS`;
    :func:`align_pair` (-> list of :class:`Bead`, ``DEFAULT_MAX_SIZE``) with a
    scorer from :func:`get_scorer` / :func:`available_scorers` (a :class:`Scorer`).
Align all versions of a document
    :func:`align_multiway` (-> list of :class:`Unit`), :func:`pair_beads` to read
    one language pair off the units, :func:`choose_pivot`, :class:`PairAligner`.
The stored frames (default folder :data:`DEFAULT_DATA_DIR`)
    :func:`store_item` (a fetched :class:`scrapers.ItemResult` -> documents),
    :func:`align_stored` (documents -> sentences, alignments, units; returns an
    :class:`AlignSummary` of :class:`DocumentSummary`), :func:`read_frame`,
    :data:`FRAME_NAMES` and their schemas (``DOCUMENTS_SCHEMA`` ...,
    :func:`units_schema`); :mod:`align.study` answers analysis questions.
Exports, computed from the frames
    :func:`load_export_units` (a :class:`Selection` -> :class:`ExportUnit`
    records), then :func:`write_tmx` (:class:`TmxOptions`, ``TmxOptions.from_frames``),
    :func:`write_text` (-> :class:`TextExport`), :func:`write_jsonl`, :func:`write_csv`;
    :func:`import_tmx` (-> :class:`ImportSummary`) and :func:`tmx_alignments` read TMX.
Bead files and evaluation
    :func:`read_beads`, :func:`parse_beads`, :func:`format_beads` (``[0]:[0, 1]``
    lines); :func:`score_many`, :func:`score_alignments` (-> :class:`Counts`),
    :class:`Scores`, :class:`Measures` (strict/lax P/R/F1).
Errors
    :class:`BitextError` and its subclasses :class:`FrameError`,
    :class:`AlignmentFileError`, :class:`InputError`, :class:`ExportError`.

Example::

    >>> import align
    >>> en = align.split_sentences("Hello. How are you?", "en")
    >>> de = align.split_sentences("Hallo. Wie geht es dir?", "de")
    >>> [bead.kind for bead in align.align_pair(en, de, src_lang="en", tgt_lang="de")]
    ['1-1', '1-1']
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Final

from align._version import __version__

if TYPE_CHECKING:
    from align import study
    from align.errors import AlignmentFileError, BitextError, ExportError, FrameError, InputError
    from align.evaluate import Counts, Measures, Scores, score_alignments, score_many
    from align.formats.bead_files import format_beads, parse_beads, read_beads
    from align.formats.csv import write_csv
    from align.formats.jsonl import write_jsonl
    from align.formats.selection import ExportUnit, Selection, load_export_units
    from align.formats.text import TextExport, write_text
    from align.formats.tmx_read import ImportSummary, import_tmx, tmx_alignments
    from align.formats.tmx_write import TmxOptions, write_tmx
    from align.jobs.aligning import AlignSummary, DocumentSummary, align_stored
    from align.jobs.documents import store_item
    from align.languages import SUPPORTED_LANGS
    from align.multiway.units import PairAligner, Unit, align_multiway, choose_pivot, pair_beads
    from align.pairwise.aligner import DEFAULT_MAX_SIZE, align_pair
    from align.pairwise.beads import Bead
    from align.scorers import available_scorers, get_scorer
    from align.scorers.anchors import AnchorWeights
    from align.scorers.base import Scorer
    from align.scorers.embedding import EmbeddingWeights
    from align.segment.sentences import Sentence, segment_paragraphs, split_sentences
    from align.segment.textnorm import detokenize
    from align.store.schemas import (
        ALIGNMENTS_SCHEMA,
        DOCUMENTS_SCHEMA,
        FRAME_NAMES,
        SENTENCES_SCHEMA,
        UNITS_BASE_SCHEMA,
        units_schema,
    )
    from align.store.tables import DEFAULT_DATA_DIR, read_frame

# public name -> the module that defines it (a name equal to the module's last part is the module)
_EXPORTS: Final[dict[str, str]] = {
    # two texts
    "split_sentences": "align.segment.sentences",
    "segment_paragraphs": "align.segment.sentences",
    "Sentence": "align.segment.sentences",
    "SUPPORTED_LANGS": "align.languages",
    "detokenize": "align.segment.textnorm",
    "align_pair": "align.pairwise.aligner",
    "DEFAULT_MAX_SIZE": "align.pairwise.aligner",
    "Bead": "align.pairwise.beads",
    "get_scorer": "align.scorers",
    "available_scorers": "align.scorers",
    "Scorer": "align.scorers.base",
    "AnchorWeights": "align.scorers.anchors",
    "EmbeddingWeights": "align.scorers.embedding",
    # all versions of a document
    "align_multiway": "align.multiway.units",
    "pair_beads": "align.multiway.units",
    "choose_pivot": "align.multiway.units",
    "Unit": "align.multiway.units",
    "PairAligner": "align.multiway.units",
    # the stored frames
    "store_item": "align.jobs.documents",
    "align_stored": "align.jobs.aligning",
    "AlignSummary": "align.jobs.aligning",
    "DocumentSummary": "align.jobs.aligning",
    "read_frame": "align.store.tables",
    "DEFAULT_DATA_DIR": "align.store.tables",
    "FRAME_NAMES": "align.store.schemas",
    "DOCUMENTS_SCHEMA": "align.store.schemas",
    "SENTENCES_SCHEMA": "align.store.schemas",
    "ALIGNMENTS_SCHEMA": "align.store.schemas",
    "UNITS_BASE_SCHEMA": "align.store.schemas",
    "units_schema": "align.store.schemas",
    "study": "align.study",
    # exports and TMX import
    "load_export_units": "align.formats.selection",
    "Selection": "align.formats.selection",
    "ExportUnit": "align.formats.selection",
    "write_tmx": "align.formats.tmx_write",
    "TmxOptions": "align.formats.tmx_write",
    "write_text": "align.formats.text",
    "TextExport": "align.formats.text",
    "write_jsonl": "align.formats.jsonl",
    "write_csv": "align.formats.csv",
    "import_tmx": "align.formats.tmx_read",
    "tmx_alignments": "align.formats.tmx_read",
    "ImportSummary": "align.formats.tmx_read",
    # bead files and evaluation
    "read_beads": "align.formats.bead_files",
    "parse_beads": "align.formats.bead_files",
    "format_beads": "align.formats.bead_files",
    "score_many": "align.evaluate",
    "score_alignments": "align.evaluate",
    "Scores": "align.evaluate",
    "Measures": "align.evaluate",
    "Counts": "align.evaluate",
    # errors
    "BitextError": "align.errors",
    "FrameError": "align.errors",
    "AlignmentFileError": "align.errors",
    "InputError": "align.errors",
    "ExportError": "align.errors",
}

__all__ = [
    "ALIGNMENTS_SCHEMA",
    "DEFAULT_DATA_DIR",
    "DEFAULT_MAX_SIZE",
    "DOCUMENTS_SCHEMA",
    "FRAME_NAMES",
    "SENTENCES_SCHEMA",
    "SUPPORTED_LANGS",
    "UNITS_BASE_SCHEMA",
    "AlignSummary",
    "AlignmentFileError",
    "AnchorWeights",
    "Bead",
    "BitextError",
    "Counts",
    "DocumentSummary",
    "EmbeddingWeights",
    "ExportError",
    "ExportUnit",
    "FrameError",
    "ImportSummary",
    "InputError",
    "Measures",
    "PairAligner",
    "Scorer",
    "Scores",
    "Selection",
    "Sentence",
    "TextExport",
    "TmxOptions",
    "Unit",
    "__version__",
    "align_multiway",
    "align_pair",
    "align_stored",
    "available_scorers",
    "choose_pivot",
    "detokenize",
    "format_beads",
    "get_scorer",
    "import_tmx",
    "load_export_units",
    "pair_beads",
    "parse_beads",
    "read_beads",
    "read_frame",
    "score_alignments",
    "score_many",
    "segment_paragraphs",
    "split_sentences",
    "store_item",
    "study",
    "tmx_alignments",
    "units_schema",
    "write_csv",
    "write_jsonl",
    "write_text",
    "write_tmx",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> object:
    """Import a public name from its module on first use, then keep it here (as scrapers._exports does: align may not import it)."""
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(module_name)
    value = module if module_name == f"{__name__}.{name}" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)
