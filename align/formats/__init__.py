"""Exports computed from the frames (TMX, line-aligned text, JSONL, CSV), TMX import and bead files.

:mod:`~align.formats.selection` chooses the units; one module per format writes
them. The public names are exported by :mod:`align`; this package imports
nothing itself, so reading a bead file does not load lxml or polars.
"""
