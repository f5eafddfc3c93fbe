"""Subcommand align-files: two one-sentence-per-line files -> bead lines (research interchange)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

import click

from align.cli.main import main
from align.cli.options import output_option
from align.cli.preflight import check_langs
from align.errors import InputError
from align.formats.bead_files import format_beads
from align.pairwise.aligner import DEFAULT_MAX_SIZE
from align.progress import Progress, embedding_summary
from align.scorers import CACHED_SCORERS, Scorer, available_scorers, get_scorer
from align.segment.sentences import SUPPORTED_LANGS

# ISO 639-1 code in a file name: "dev.de" -> "de", "de.txt" -> "de"
LANG_CODE_RE: Final = re.compile(r"^[a-z]{2}$")


def language_from_path(path: Path) -> str:
    """The language code in a file name: its extension, else its stem; ``und`` when neither is one.

    Only the languages bitext supports count: ``ok.txt`` is ``und``, not Occitan-like ``ok``.
    """
    for part in (path.suffix.lstrip("."), path.stem):
        if LANG_CODE_RE.match(part.lower()) and part.lower() in SUPPORTED_LANGS:
            return part.lower()
    return "und"


def _file_language(path: Path, option: str) -> str:
    """The language named by ``path``; a warning when the name tells none (the text is aligned as ``und``)."""
    lang = language_from_path(path)
    if lang == "und":
        click.echo(
            f"bitext: warning: {path}: the file name names no language ({', '.join(SUPPORTED_LANGS)}); "
            f"aligning it language-neutrally. Hint: give `{option}` or name the file like dev.de",
            err=True,
        )
    return lang


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


def _embed_with_progress(scorer: Scorer, *sides: tuple[list[str], str]) -> None:
    """Embed both files up front (from the cache where it can), with progress and the throughput on stderr."""
    from align.scorers.embedding import EmbeddingScorer, running_text

    assert isinstance(scorer, EmbeddingScorer)
    settings = click.get_current_context().find_root().obj
    quiet = bool(settings and settings.get("quiet"))
    distinct = len({text for sentences, lang in sides for text in running_text(sentences, lang)})
    progress = Progress(distinct, "sentences", "embedding", enabled=not quiet)
    scorer.vectors.on_embedded = progress.advance
    scorer.prefetch(list(sides))
    progress.close()
    if not quiet:
        click.echo(embedding_summary(scorer.vectors.counts), err=True)


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
@click.option(
    "--crossings", type=click.Choice(["auto", "on", "off"]), default="auto", show_default=True,
    help="Link passages the translation moved (swapped paragraphs) with beads whose target indices cross; "
    "auto: with the scorers whose costs tell content apart (embedding, st).",
)  # fmt: skip
@output_option
def align_files(
    src: Path, tgt: Path, scorer: str, max_size: int, src_lang: str | None, tgt_lang: str | None,
    detokenize: bool, no_score: bool, crossings: str, output: str,
) -> None:  # fmt: skip
    """Align SRC and TGT, files of one sentence per line; print one bead per line.

    Bead lines are `[src indices]:[tgt indices]:confidence`, 0-based indices of
    the non-blank lines (Vecalign/Bleualign format), in source order. A blank
    line marks a paragraph break, used as evidence; it is not a sentence and
    gets no index. With crossings linked (`--crossings`), a moved passage's
    beads keep their place in source order, so target indices may go back.

    \b
    Example:
        bitext align-files dev.de dev.fr --detokenize > dev.defr
        [0]:[0]:0.9421
        [1, 2]:[1]:0.7702
    """
    from align.pairwise.aligner import align_pair

    check_langs(src_lang, "--src-lang")
    check_langs(tgt_lang, "--tgt-lang")
    src_lang = src_lang or _file_language(src, "--src-lang")
    tgt_lang = tgt_lang or _file_language(tgt, "--tgt-lang")
    src_sents, src_paras = read_sentence_file(src, detokenize_lang=src_lang if detokenize else None)
    tgt_sents, tgt_paras = read_sentence_file(tgt, detokenize_lang=tgt_lang if detokenize else None)
    if not src_sents and not tgt_sents:
        raise InputError(f"{src} and {tgt} are both empty. Hint: give files of one sentence per line")
    for empty, sentences, other in ((src, src_sents, tgt), (tgt, tgt_sents, src)):
        if not sentences:
            click.echo(
                f"bitext: warning: {empty}: no sentences (empty or blank); every line of {other} "
                "is left unaligned. Hint: check that you gave the right file",
                err=True,
            )
    chosen = get_scorer(scorer)
    if scorer in CACHED_SCORERS:
        _embed_with_progress(chosen, (src_sents, src_lang), (tgt_sents, tgt_lang))
    beads = align_pair(
        src_sents, tgt_sents, src_lang=src_lang, tgt_lang=tgt_lang, scorer=chosen, max_size=max_size,
        src_paras=src_paras, tgt_paras=tgt_paras,
        crossings=chosen.links_crossings if crossings == "auto" else crossings == "on",
    )  # fmt: skip
    text = format_beads(beads, with_score=not no_score)
    from align.formats.output import open_text_output

    with open_text_output(output) as stream:  # the same path checks and atomic replace as the exports
        stream.write(text)
