"""Subcommands align, align-files, eval: sentences, alignments and units."""

from __future__ import annotations

from align.cli.main import main  # noqa: F401  (commands register on this group)
