"""Subcommands show: one document's aligned units side by side."""

from __future__ import annotations

from align.cli.main import main  # noqa: F401  (commands register on this group)
