"""The scorer base: what every sentence-pair scorer provides to the aligner.

A :class:`Scorer` is one configured way of scoring beads (model-free anchors,
sentence embeddings ...). ``prepare`` does the per-document work once (features,
embeddings, prefix sums) and returns a :class:`PairScores`, which the dynamic
programme in :mod:`align.dp` asks for bead costs, many cells at a time.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar

import numpy as np


class PairScores(ABC):
    """Everything precomputed for one document pair; answers bead costs."""

    @abstractmethod
    def cost(self, a: int, b: int, i_end: np.ndarray, j_end: np.ndarray) -> np.ndarray:
        """Cost of the beads ``src[i_end-a:i_end] <-> tgt[j_end-b:j_end]`` for many cells at once.

        ``i_end`` and ``j_end`` are equal-length integer arrays with ``i_end >= a``
        and ``j_end >= b``. ``(1, 0)`` and ``(0, 1)`` are the costs of leaving one
        sentence unaligned. Lower is better; the result is a float64 array.
        """


class Scorer(ABC):
    """One configured scorer. Creating it is cheap: models load in ``prepare`` only."""

    name: ClassVar[str]

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

    def __repr__(self) -> str:
        args = ", ".join(f"{key}={value!r}" for key, value in self.params().items())
        return f"{type(self).__name__}({args})"
