"""The standard set of exports that ``bitext demo`` writes: one call, every format."""

from __future__ import annotations

import os
from pathlib import Path

from align.formats.jsonl import write_jsonl
from align.formats.output import open_binary_output, open_text_output
from align.formats.selection import Selection, load_export_units
from align.formats.text import write_text
from align.formats.tmx_write import TmxOptions, write_tmx


def write_standard_exports(
    data_dir: str | os.PathLike[str], out_dir: str | os.PathLike[str], *, langs: tuple[str, str] = ("ru", "en")
) -> list[Path]:
    """TMX, line-aligned text (+ TSV) and JSONL of one language pair, computed from the frames.

    Returns the files written, e.g. ``sample.ru-en.tmx``, ``sample.ru-en.ru``, ``sample.ru-en.en``,
    ``sample.ru-en.tsv`` and ``sample.ru-en.jsonl`` under ``out_dir``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"sample.{langs[0]}-{langs[1]}"
    selection = Selection(langs=langs)
    tmx_path = stem.with_name(stem.name + ".tmx")
    with open_binary_output(str(tmx_path)) as stream:
        write_tmx(load_export_units(data_dir, selection), stream, TmxOptions.from_frames(data_dir, selection))
    text = write_text(load_export_units(data_dir, selection), stem, langs)
    jsonl_path = stem.with_name(stem.name + ".jsonl")
    with open_text_output(str(jsonl_path)) as stream:
        write_jsonl(load_export_units(data_dir, selection), stream)
    return [tmx_path, *map(Path, text.paths), jsonl_path]
