"""Analysis API for translation study: from the stored frames to Polars frames.

Each function answers one question a translation scholar asks of aligned
items, so a notebook cell stays one call long and the logic is tested like any
other code:

* :func:`kind_counts` -- how often each alignment kind (1-1, 2-1, 1-0 ...) occurs per language pair;
* :func:`length_ratios` / :func:`length_ratio_summary` -- character length ratios per pair, with outliers;
* :func:`additions_and_omissions` -- units missing in one or more languages;
* :func:`low_confidence` -- units the aligner is unsure of, for review;
* :func:`concordance` -- a multilingual KWIC: a term in one language, the unit in all the others;
* :func:`recurring_terms` -- words worth looking up with the functions around it;
* :func:`renderings` / :func:`rendering_occurrences` -- how one term or name is rendered in each language;
* :func:`document_units` -- one item's units in order (what ``bitext show`` prints).

Only :func:`load_frames` reads files; every other function takes frames and
returns a new frame. Bad arguments raise :class:`align.errors.InputError`.

Modules: ``loading`` (the folder), ``pairs`` (alignments frame), ``units``
(units frame), ``terms`` (search), ``term_renderings`` (with the
method and its limits in its docstring).
"""

from __future__ import annotations

from align.study.loading import StudyFrames, load_frames
from align.study.pairs import DEFAULT_OUTLIER_K, kind_counts, length_ratio_summary, length_ratios
from align.study.term_renderings import rendering_occurrences, renderings
from align.study.terms import concordance, recurring_terms
from align.study.units import (
    DEFAULT_REVIEW_THRESHOLD,
    additions_and_omissions,
    document_units,
    item_langs,
    low_confidence,
)

__all__ = [
    "DEFAULT_OUTLIER_K",
    "DEFAULT_REVIEW_THRESHOLD",
    "StudyFrames",
    "additions_and_omissions",
    "concordance",
    "document_units",
    "item_langs",
    "kind_counts",
    "length_ratio_summary",
    "length_ratios",
    "load_frames",
    "low_confidence",
    "recurring_terms",
    "rendering_occurrences",
    "renderings",
]
