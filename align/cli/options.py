"""Option decorators and parsers shared by the subcommands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from align.store.tables import DEFAULT_DATA_DIR

F = TypeVar("F", bound=Callable[..., Any])


def data_option(func: F) -> F:
    """``-d/--data DIR``: the folder holding the frames (default ``aligned/``)."""
    return click.option(
        "-d",
        "--data",
        "data_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=DEFAULT_DATA_DIR,
        show_default=True,
        help="Folder that holds the frames (Delta tables).",
    )(func)


def output_option(func: F) -> F:
    """``-o/--output PATH`` (``-`` = stdout)."""
    return click.option(
        "-o", "--output", default="-", show_default=True, help="Output path; `-` writes to stdout."
    )(func)


def parse_langs(value: str | None) -> list[str] | None:
    """``"ru,en"`` -> ``["ru", "en"]``; None stays None."""
    if value is None:
        return None
    langs = [part.strip().lower() for part in value.split(",") if part.strip()]
    if not langs:
        raise click.BadParameter("give at least one language code, e.g. `--langs ru,en`")
    return langs


def langs_option(help_text: str = "Comma-separated ISO 639-1 codes, e.g. ru,en.") -> Callable[[F], F]:
    def decorate(func: F) -> F:
        return click.option(
            "--langs", callback=lambda _c, _p, v: parse_langs(v), default=None, help=help_text
        )(func)

    return decorate
