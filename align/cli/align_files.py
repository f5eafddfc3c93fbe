"""Subcommand align-files: two one-sentence-per-line files -> bead lines (research interchange)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

import click

from align.cli.main import main
from align.cli.options import output_option
from align.errors import InputError
from align.formats.bead_files import format_beads
from align.pairwise.aligner import DEFAULT_MAX_SIZE
from align.scorers import available_scorers

# ISO 639-1 code in a file name: "dev.de" -> "de", "de.txt" -> "de"
LANG_CODE_RE: Final = re.compile(r"^[a-z]{2}$")


def language_from_path(path: Path) -> str:
    """The language code in a file name: its extension, else its stem; ``und`` when neither is one."""
    for part in (path.suffix.lstrip("."), path.stem):
        if LANG_CODE_RE.match(part.lower()):
            return part.lower()
    return "und"


def read_sentence_file(path: Path, *, detokenize_lang: str | None = None) -> tuple[list[str], list[int]]:
    """Sentences (non-blank lines) and their paragraph numbers (blank lines separate paragraphs)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file. Hint: give two files of one sentence per line") from None
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 text (byte {err.start}). Hint: convert it with iconv") from err
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from err
    sentences: list[str] = []
    paras: list[int] = []
    para = 0
    for line in text.splitlines():
        if not line.strip():
            para += 1 if sentences and paras[-1] == para else 0
            continue
        sentences.append(line.strip())
        paras.append(para)
    if detokenize_lang is not None:
        from align.segment.textnorm import detokenize_lines

        sentences = detokenize_lines(sentences, detokenize_lang)
    return sentences, paras


@main.command("align-files")
@click.argument("src", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("tgt", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-s", "--scorer", default="anchors", show_default=True, type=click.Choice(available_scorers()),
    help="How beads are scored.",
)  # fmt: skip
@click.option("-m", "--max-size", default=DEFAULT_MAX_SIZE, show_default=True, type=click.IntRange(1, 8),
              help="Most sentences on one side of a bead (shapes with a+b <= max-size+1, plus 1-0/0-1).")
@click.option("--src-lang", default=None, help="Source language (default: from the file name, e.g. dev.de).")
@click.option("--tgt-lang", default=None, help="Target language (default: from the file name).")
@click.option("--detokenize", is_flag=True, help="Undo Moses-style tokenisation (`Fluss , was`) before scoring.")
@click.option("--no-score", is_flag=True, help="Write beads without the confidence field.")
@output_option
def align_files(
    src: Path, tgt: Path, scorer: str, max_size: int, src_lang: str | None, tgt_lang: str | None,
    detokenize: bool, no_score: bool, output: str,
) -> None:  # fmt: skip
    """Align SRC and TGT, files of one sentence per line; print one bead per line.

    Bead lines are `[src indices]:[tgt indices]:confidence`, 0-based indices of
    the non-blank lines (Vecalign/Bleualign format). A blank line marks a
    paragraph break, used as evidence; it is not a sentence and gets no index.

    \b
    Example:
        bitext align-files dev.de dev.fr --detokenize > dev.defr
        [0]:[0]:0.9421
        [1, 2]:[1]:0.7702
    """
    from align.pairwise.aligner import align_pair

    src_lang = src_lang or language_from_path(src)
    tgt_lang = tgt_lang or language_from_path(tgt)
    src_sents, src_paras = read_sentence_file(src, detokenize_lang=src_lang if detokenize else None)
    tgt_sents, tgt_paras = read_sentence_file(tgt, detokenize_lang=tgt_lang if detokenize else None)
    if not src_sents and not tgt_sents:
        raise InputError(f"{src} and {tgt} are both empty. Hint: give files of one sentence per line")
    beads = align_pair(
        src_sents, tgt_sents, src_lang=src_lang, tgt_lang=tgt_lang, scorer=scorer, max_size=max_size,
        src_paras=src_paras, tgt_paras=tgt_paras,
    )  # fmt: skip
    text = format_beads(beads, with_score=not no_score)
    if output == "-":
        click.echo(text, nl=False)
    else:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as err:
            raise InputError(f"{output}: cannot write the alignment ({err.strerror}). Hint: check the folder") from err
