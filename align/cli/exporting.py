"""Subcommands export and import: TMX, text, JSONL, CSV computed from the frames."""

from __future__ import annotations

from align.cli.main import main  # noqa: F401  (commands register on this group)
