"""Subcommands fetch, run, demo: from URLs to the documents frame."""

from __future__ import annotations

from align.cli.main import main  # noqa: F401  (commands register on this group)
