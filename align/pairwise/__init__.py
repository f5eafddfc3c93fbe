"""Aligning two languages: the bead type, the banded dynamic-programming search and ``align_pair`` over it."""
