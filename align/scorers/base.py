"""The scorer base: what every sentence-pair scorer provides to the aligner.

A :class:`Scorer` is one configured way of scoring beads (model-free anchors,
sentence embeddings ...). ``prepare`` does the per-document work once (features,
embeddings, prefix sums) and returns a :class:`PairScores`, which the dynamic
programme in :mod:`align.pairwise.search` asks for bead costs, many cells at a time.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from typing import TYPE_CHECKING, ClassVar, TypeVar

import numpy as np

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    from align.pairwise.beads import PathBead

W = TypeVar("W")


class PairScores(ABC):
    """Everything precomputed for one document pair; answers bead costs."""

    @abstractmethod
    def cost(self, a: int, b: int, i_end: np.ndarray, j_end: np.ndarray) -> np.ndarray:
        """Cost of the beads ``src[i_end-a:i_end] <-> tgt[j_end-b:j_end]`` for many cells at once.

        ``i_end`` and ``j_end`` are equal-length integer arrays with ``i_end >= a``
        and ``j_end >= b``. ``(1, 0)`` and ``(0, 1)`` are the costs of leaving one
        sentence unaligned. Lower is better; the result is a float64 array.
        """

    def confidence(self, a: int, b: int, cost: np.ndarray) -> np.ndarray:
        """Probability that beads of shape ``(a, b)`` with these costs are exactly right.

        The default is a logistic curve centred on cost 0; scorers override it
        with a curve fitted to gold alignments (see their module docstring).
        """
        probability: np.ndarray = 1.0 / (1.0 + np.exp(np.clip(cost, -50.0, 50.0)))
        return probability

    def refine(self, path: Sequence[PathBead]) -> PairScores | None:
        """Scores improved by what a first alignment taught (e.g. a lexicon), or None.

        The aligner calls this once with its first path and, when it gets new
        scores, searches again around that path.
        """
        return None


class Scorer(ABC):
    """One configured scorer. Creating it is cheap: models load in ``prepare`` only."""

    name: ClassVar[str]
    # whether `bitext align-files` links passages the translation moved by default (``align_pair``'s
    # ``crossings``): worth it only where bead costs tell content apart (benchmarks/README.md, crossings)
    links_crossings: ClassVar[bool] = False

    def params(self) -> dict[str, object]:
        """Parameters that identify this configuration (recorded as provenance)."""
        return {}

    @abstractmethod
    def prepare(
        self, src: Sequence[str], tgt: Sequence[str], *, src_lang: str, tgt_lang: str
    ) -> PairScores:
        """Precompute what bead costs need for this pair of sentence lists."""

    def coarse(self) -> Scorer:
        """The scorer for the cheap first pass over merged blocks of very long documents.

        A scorer whose ``prepare`` is expensive (a model) may return a model-free one.
        """
        return self

    def prefetch(self, sides: Sequence[tuple[Sequence[str], str]]) -> None:
        """Get ready for aligning these (sentences, language) sides soon, e.g. embed them all in one go.

        A job calls this for a group of items before aligning them; the model-free scorers need nothing.
        """

    def release(self) -> dict[str, int]:
        """Forget what was kept for the items aligned since the last call; return counts of the work done."""
        return {}

    def __repr__(self) -> str:
        args = ", ".join(f"{key}={value!r}" for key, value in self.params().items())
        return f"{type(self).__name__}({args})"


def checked_weights(weights: W | None, default: W) -> W:
    """``weights``, or ``default`` when None; TypeError when they are not of the default's type.

    Scorers are also built by name (:func:`align.scorers.get_scorer`), where
    nothing checks types statically: another scorer's weights must not pass.
    """
    if weights is None:
        return default
    if not isinstance(weights, type(default)):
        raise TypeError(f"weights must be {type(default).__name__}, got {type(weights).__name__}")
    return weights


def flat_params(weights: DataclassInstance, prefix: str = "") -> dict[str, object]:
    """A weights dataclass as one flat dict for provenance; nested weights get ``<field>_`` keys.

    >>> from align.scorers.embedding import EmbeddingWeights
    >>> params = flat_params(EmbeddingWeights())
    >>> params["similarity"], params["anchors_skip"]
    (4.5, 5.0)
    """
    flat: dict[str, object] = {}
    for field in fields(weights):
        value = getattr(weights, field.name)
        if is_dataclass(value) and not isinstance(value, type):
            flat.update(flat_params(value, f"{prefix}{field.name}_"))
        else:
            flat[f"{prefix}{field.name}"] = value
    return flat
