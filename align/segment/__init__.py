"""Segmentation: paragraphs into sentences (per-language rules) and the Moses text normalisation around it."""
