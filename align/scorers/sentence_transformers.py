"""The ``st`` scorer: a sentence-transformers model the user already has on disk (e.g. LaBSE).

Nothing is ever downloaded: the model is a local folder given as ``model=PATH``
(or ``$BITEXT_ST_MODEL``), loaded with ``local_files_only=True`` and the Hugging
Face hub switched offline. Scoring is the ``embedding`` scorer's
(:mod:`align.scorers.embedding`), whose margins put any model on one scale.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar, Final

import numpy as np

from align.errors import InputError
from align.scorers.embedding import Embedder, EmbeddingScorer, EmbeddingWeights

logger = logging.getLogger(__name__)

MODEL_ENV: Final = "BITEXT_ST_MODEL"
# a sentence-transformers folder has modules.json; a bare transformers folder has config.json
MODEL_MARKERS: Final = ("modules.json", "config.json")


def resolve_model_path(model: str | os.PathLike[str] | None) -> Path:
    """The model folder from ``model`` or ``$BITEXT_ST_MODEL``; InputError when absent or not a model."""
    given = model if model is not None else os.environ.get(MODEL_ENV)
    if not given:
        raise InputError(
            f"the `st` scorer needs a local sentence-transformers model. "
            f"Hint: pass `model=PATH` or set {MODEL_ENV}=PATH (a folder, e.g. a saved LaBSE)"
        )
    path = Path(given).expanduser()
    if not path.is_dir():
        raise InputError(f"sentence-transformers model folder not found: {path}. Hint: give the folder of a saved model")
    if not any((path / marker).is_file() for marker in MODEL_MARKERS):
        raise InputError(
            f"{path} is not a sentence-transformers model folder (no {' or '.join(MODEL_MARKERS)}). "
            "Hint: save one with `SentenceTransformer(...).save(PATH)`"
        )
    return path


def load_sentence_transformer(path: Path, *, device: str = "cpu") -> Any:
    """Load the model at ``path`` offline; InputError when sentence-transformers is missing."""
    os.environ["HF_HUB_OFFLINE"] = "1"  # read by huggingface_hub when it is first imported
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found,unused-ignore]
    except ImportError as err:
        raise InputError(
            "the `st` scorer needs the sentence-transformers package. Hint: `pip install 'bitext[st]'`"
        ) from err
    logger.info("loading sentence-transformers model from %s", path)
    return SentenceTransformer(str(path), device=device, local_files_only=True)


class SentenceTransformerEmbedder:
    """Embeds with a local sentence-transformers model, loaded on first use."""

    def __init__(self, path: Path, batch_size: int = 32):
        self.path = path
        self.batch_size = batch_size
        self.model_id = f"st:{path.resolve()}"
        self._model: Any = None

    @property
    def model_version(self) -> str:
        """A hash of the model folder's configuration files: a model saved again over the folder gets new keys."""
        digest = hashlib.sha256()
        for marker in MODEL_MARKERS:
            if (self.path / marker).is_file():
                digest.update((self.path / marker).read_bytes())
        return digest.hexdigest()[:12]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if self._model is None:
            self._model = load_sentence_transformer(self.path)
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


class SentenceTransformerScorer(EmbeddingScorer):
    """The embedding scorer with a local sentence-transformers model (``model=PATH`` or ``$BITEXT_ST_MODEL``)."""

    name: ClassVar[str] = "st"

    def __init__(
        self,
        weights: EmbeddingWeights | None = None,
        *,
        model: str | None = None,
        cache: str | None = None,
        batch_size: int = 32,
    ):
        self.model_path = resolve_model_path(model)
        super().__init__(weights, cache=cache, batch_size=batch_size)

    def _embedder(self, batch_size: int) -> Embedder:
        return SentenceTransformerEmbedder(self.model_path, batch_size)

    @property
    def model_id(self) -> str:
        return f"st:{self.model_path.resolve()}"
