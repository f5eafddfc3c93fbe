"""Shared by the benchmark scripts: find the development data, load it, time and score aligners.

The data lives outside the project (``../shared/data`` beside the repository,
see its README); nothing here copies it. Location, in order: ``--data-root``,
the ``BITEXT_SHARED_DATA`` environment variable, ``<repo>/../shared/data``.
When it is absent the scripts print ``skipped: ...`` and exit 0.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # run as `python benchmarks/x.py` from anywhere, without installing
    sys.path.insert(0, str(REPO_ROOT))

from align import Bead, Counts, Scores, detokenize, read_beads, score_alignments

DATA_ENV = "BITEXT_SHARED_DATA"
DEFAULT_DATA_ROOT = REPO_ROOT.parent / "shared" / "data"

Measure = Literal["strict", "lax"]
Aligner = Callable[["AlignmentTask"], list[Bead]]


@dataclass(frozen=True)
class AlignmentTask:
    """One document pair with its gold alignment, as the aligners under test see it."""

    dataset: str
    name: str
    src_lang: str
    tgt_lang: str
    src: tuple[str, ...]
    tgt: tuple[str, ...]
    gold: tuple[Bead, ...]
    main_measure: Measure = "strict"


@dataclass(frozen=True)
class MultiwayDocument:
    """A document in several languages with multi-way gold units (one per Bible verse)."""

    name: str
    texts: dict[str, tuple[str, ...]]
    units: tuple[dict[str, tuple[int, ...]], ...] = field(repr=False)

    def pair_gold(self, src_lang: str, tgt_lang: str) -> list[Bead]:
        """The pairwise gold any two languages get from the units."""
        return [Bead(unit[src_lang], unit[tgt_lang]) for unit in self.units]


@dataclass(frozen=True)
class RunResult:
    """What one aligner did on one task: its counts against gold and its wall-clock seconds."""

    counts: Counts
    seconds: float


def resolve_data_root(cli_value: str | None) -> Path:
    """``--data-root``, else ``$BITEXT_SHARED_DATA``, else ``<repo>/../shared/data``."""
    if cli_value:
        return Path(cli_value)
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV])
    return DEFAULT_DATA_ROOT


def require_data(root: Path, subfolder: str) -> Path:
    """``root/subfolder``; exits 0 with a ``skipped:`` line when it is not there."""
    folder = root / subfolder
    if not folder.is_dir():
        print(
            f"skipped: {folder} not found; give --data-root DIR or set {DATA_ENV} "
            "to the folder holding textberg/ and bible/"
        )
        raise SystemExit(0)
    return folder


def read_lines(path: Path) -> list[str]:
    """One sentence per line; the line count is what gold indices refer to."""
    return path.read_text(encoding="utf-8").splitlines()


def load_textberg(folder: Path, *, detokenise: bool = True) -> list[AlignmentTask]:
    """Every ``NAME.de`` / ``NAME.fr`` / ``NAME.defr`` triple (de source, fr target).

    Text+Berg is tokenised (``gekommen , was``); with ``detokenise`` every line
    is turned back into running text, line for line, so gold indices still hold.
    """
    tasks = []
    for gold_path in sorted(folder.glob("*.defr")):
        stem = gold_path.with_suffix("")
        de, fr = read_lines(stem.with_suffix(".de")), read_lines(stem.with_suffix(".fr"))
        if detokenise:
            de, fr = [detokenize(line, "de") for line in de], [detokenize(line, "fr") for line in fr]
        else:
            de, fr = [line.strip() for line in de], [line.strip() for line in fr]
        tasks.append(
            AlignmentTask("textberg", f"{stem.name} de-fr", "de", "fr", tuple(de), tuple(fr),
                          tuple(read_beads(gold_path)), "strict")
        )
    return tasks


def load_bible(folder: Path) -> list[AlignmentTask]:
    """Every gold pair file ``DOC.<l1><l2>`` next to ``DOC.<l1>`` and ``DOC.<l2>``; scored mainly lax."""
    tasks = []
    for gold_path in sorted(folder.iterdir()):
        doc, _, suffix = gold_path.name.partition(".")
        if len(suffix) != 4 or not suffix.isalpha():
            continue
        src_lang, tgt_lang = suffix[:2], suffix[2:]
        src_path, tgt_path = folder / f"{doc}.{src_lang}", folder / f"{doc}.{tgt_lang}"
        if not (src_path.is_file() and tgt_path.is_file()):
            continue
        tasks.append(
            AlignmentTask("bible", f"{doc} {src_lang}-{tgt_lang}", src_lang, tgt_lang,
                          tuple(read_lines(src_path)), tuple(read_lines(tgt_path)),
                          tuple(read_beads(gold_path)), "lax")
        )
    return tasks


def load_bible_all_pairs(folder: Path) -> list[AlignmentTask]:
    """Every language pair of every multi-way document (10 pairs for 5 languages), gold from its units."""
    tasks = []
    for document in load_multiway(folder):
        langs = sorted(document.texts)
        for position, src_lang in enumerate(langs):
            for tgt_lang in langs[position + 1 :]:
                tasks.append(
                    AlignmentTask("bible", f"{document.name} {src_lang}-{tgt_lang}", src_lang, tgt_lang,
                                  document.texts[src_lang], document.texts[tgt_lang],
                                  tuple(document.pair_gold(src_lang, tgt_lang)), "lax")
                )
    return tasks


def load_multiway(folder: Path) -> list[MultiwayDocument]:
    """Every ``DOC.multi.jsonl`` with its ``DOC.<lang>`` files."""
    documents = []
    for path in sorted(folder.glob("*.multi.jsonl")):
        doc = path.name.removesuffix(".multi.jsonl")
        records = [json.loads(line) for line in read_lines(path) if line.strip()]
        langs = sorted(key for key in records[0] if key != "verse") if records else []
        texts = {lang: tuple(read_lines(folder / f"{doc}.{lang}")) for lang in langs}
        units = tuple({lang: tuple(record[lang]) for lang in langs} for record in records)
        documents.append(MultiwayDocument(doc, texts, units))
    return documents


def run_aligner(aligner: Aligner, task: AlignmentTask) -> RunResult:
    """Align ``task`` with ``aligner`` and score it against the task's gold."""
    started = time.perf_counter()
    beads = aligner(task)
    seconds = time.perf_counter() - started
    return RunResult(score_alignments(beads, task.gold), seconds)


def f1_ratio(value: float, baseline: float) -> str:
    """``0.84 / 0.49`` -> ``'1.71x'``; ``'-'`` when the baseline is 0."""
    return f"{value / baseline:.2f}x" if baseline else "-"


def measures(scores: Scores, mode: Measure) -> tuple[float, float, float]:
    chosen = scores.strict if mode == "strict" else scores.lax
    return chosen.precision, chosen.recall, chosen.f1


def lengths(sentences: Sequence[str]) -> list[int]:
    """Character lengths, the unit of Gale & Church (1993)."""
    return [len(sentence) for sentence in sentences]
