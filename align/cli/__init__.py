"""The ``bitext`` command line: one module per family of subcommands."""

from __future__ import annotations

from align.cli import align_files, aligning, crawling, evaluating, exporting, fetching, reviewing, showing, storing  # noqa: F401  (registers the commands)
from align.cli.main import main

__all__ = ["main"]
