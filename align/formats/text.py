"""Line-aligned text for MT evaluation: ``PREFIX.ru``, ``PREFIX.en`` and ``PREFIX.tsv``.

Line *i* of every language file holds unit *i* (its sentences joined by one
space, as the frames store them: natural, detokenised text); any line break
inside a text becomes a space, so ``sacrebleu PREFIX.en -i system.en`` and
``paste`` line up. The sidecar ``PREFIX.tsv`` has a header and one row per
line: ``doc_id``, ``unit`` (the unit number of the units frame; for a language
pair, the alignment's position within its document), ``score``, ``origlang``
(the language the item was written in, from the documents frame; ``ru`` for
mid.ru) and ``kind``, so a user keeps only the lines translated in one direction.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from align.formats.output import open_text_output
from align.formats.selection import ExportUnit

# Everything str.splitlines() breaks on: "a\r\nb\u2028c" -> "a b c"
LINE_BREAKS: Final = re.compile(r"(?:\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029])+")
SIDECAR_COLUMNS: Final = ("doc_id", "unit", "score", "origlang", "kind")


def one_line(text: str) -> str:
    """``text`` with every line break replaced by one space."""
    return LINE_BREAKS.sub(" ", text)


def format_score(score: float | None) -> str:
    """Exact (round-trip) decimal form; empty when unknown."""
    return "" if score is None else repr(score)


@dataclass(frozen=True, slots=True)
class TextExport:
    """What :func:`write_text` wrote."""

    paths: tuple[Path, ...]
    lines: int


def text_paths(prefix: str | Path, langs: Iterable[str]) -> tuple[Path, ...]:
    """``out/lavrov`` -> ``out/lavrov.ru``, ``out/lavrov.en``, ``out/lavrov.tsv``."""
    prefix = Path(prefix)
    return (
        *(prefix.with_name(f"{prefix.name}.{lang}") for lang in langs),
        prefix.with_name(f"{prefix.name}.tsv"),
    )


def write_text(units: Iterable[ExportUnit], prefix: str | Path, langs: tuple[str, ...]) -> TextExport:
    """Write one file per language plus the sidecar TSV; files appear only if all succeed."""
    paths = text_paths(prefix, langs)
    count = 0
    with ExitStack() as stack:
        streams = [stack.enter_context(open_text_output(path)) for path in paths]
        sidecar = csv.writer(streams[-1], delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        sidecar.writerow(SIDECAR_COLUMNS)
        for unit in units:
            for lang, stream in zip(langs, streams, strict=False):  # streams ends with the sidecar
                stream.write(one_line(unit.text(lang)) + "\n")
            sidecar.writerow(
                [unit.doc_id, unit.unit, format_score(unit.score), unit.origlang or "", unit.kind]
            )
            count += 1
    return TextExport(paths, count)
