"""``bitext review``: read and correct an item's multi-way units in the browser.

Layers, each importing only those before it::

    rows        an item's units as plain rows; texts and pairwise rows derived from them
    risk        why a unit deserves a look (low score, shape, length ratio, numbers, empty side)
    edits       merge, split, move, confirm: pure functions from rows to a splice
    history     the corrections log table (when, what, before, after) and the undo/redo stacks
    session     loading an item and committing one correction as a ``correct`` run (version-checked)
    carry       re-aligning keeps confirmed and corrected units (called by the align job)
    pages       the HTML of the corpus and item pages (every text escaped)
    overview    the corpus page's items and its review queue
    app         the Starlette app: token check, routes, static assets (static/: the script and stylesheet)

Starlette and uvicorn (the ``review`` extra) are imported by ``app`` and by the
``bitext review`` command (:mod:`align.cli.reviewing`) only.
"""
