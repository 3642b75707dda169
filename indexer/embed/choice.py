"""Which embedder the settings ask for; 'auto': English model for English, else multilingual.

A build reads the documents first, then chooses (the English model embeds faster and its
reader was trained for English); loading an index follows the model it was built with.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import replace

from ..settings import AUTO_MODEL, DEFAULT_MODEL
from .embedders import (
    E5_MODEL,
    E5Embedder,
    Embedder,
    OnnxEmbedder,
    OnnxModel,
    SentenceTransformerEmbedder,
)

ENGLISH_SHARE = 0.95  # of the text: below it, documents in other languages would lose answers


def model_for(lengths: Counter) -> str:
    """Return the model for documents whose text has these lengths by language code."""
    total = sum(lengths.values())
    if not total or lengths["en"] / total >= ENGLISH_SHARE:
        return DEFAULT_MODEL
    return E5_MODEL


class ModelChoice:
    """An embedder that is one of the two bundled models, as chosen or followed."""

    def __init__(self, settings=None):
        self._models: dict[str, OnnxModel] = {}
        self._lock = threading.Lock()
        self.current = self._model(DEFAULT_MODEL)

    def _model(self, name: str) -> OnnxModel:
        with self._lock:
            if name not in self._models:  # each loaded once, then kept for a later switch
                self._models[name] = E5Embedder() if name == E5_MODEL else OnnxEmbedder(name)
            return self._models[name]

    def choose(self, lengths: Counter) -> None:
        """Switch to the model the documents' languages call for."""
        self.current = self._model(model_for(lengths))

    def follow(self, built_with: str) -> bool:
        """Switch to the bundled model an index was built with; False if it is neither."""
        for name in (DEFAULT_MODEL, E5_MODEL):
            if self._model(name).name == built_with:
                self.current = self._models[name]
                return True
        return False

    def __getattr__(self, attribute: str):
        # Everything else (name, encode, encode_parts, ...) is the chosen model's own: an
        # attribute it lacks is lacking here too, so callers see the same abilities.
        if attribute == "current":
            raise AttributeError(attribute)
        return getattr(self.current, attribute)


def embedder_for(settings) -> Embedder:
    """Return the embedder the settings ask for (model, batch size, backend)."""
    if settings.model == AUTO_MODEL:
        return ModelChoice(settings)
    if settings.model == E5_MODEL:
        return E5Embedder()
    if settings.backend == "onnx-int8":
        return OnnxEmbedder(settings.model)
    return SentenceTransformerEmbedder(settings.model, settings.batch_size, settings.backend)


def follow_index(settings, embedder, built_with: str):
    """With the setting 'auto', load the model an index was built with; return the settings
    it answers with (their model named, so the scorer fitted for it is used)."""
    if settings.model != AUTO_MODEL or not isinstance(embedder, ModelChoice):
        return settings
    if embedder.follow(built_with):
        return replace(settings, model=embedder.model_name)
    return settings
