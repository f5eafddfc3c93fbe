"""Exports computed from the frames: TMX, line-aligned text, JSONL, CSV.

:mod:`~align.formats.selection` chooses the units; one module per format writes them.
"""

from __future__ import annotations

from align.formats.selection import ExportUnit, Selection, apply_selection, load_export_units
from align.formats.tmx_write import TmxOptions, write_tmx

__all__ = ["ExportUnit", "Selection", "TmxOptions", "apply_selection", "load_export_units", "write_tmx"]
