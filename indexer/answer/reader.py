"""The reader: a small cross-encoder that reads a question and a candidate sentence together.

Trained here by `python -m scripts.train_reader` on allowed SQuAD data only (see
reader_model/MODEL_CARD.md); shipped as int8 ONNX, run with tokenizers and onnxruntime alone.
Its logit says how likely the sentence answers the question; the scorer weighs it.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import numpy as np

FOLDER = Path(__file__).with_name("reader_model")
MAX_TOKENS = 128  # question and sentence together
QUESTION_TOKENS = 64  # a longer question is cut here first, so every sentence keeps its room


class Reader:
    """Score (question, sentence) pairs with the shipped int8 cross-encoder."""

    def __init__(self, folder: str | os.PathLike = FOLDER):
        import onnxruntime
        from tokenizers import Tokenizer

        folder = Path(folder)
        self.file = folder / "reader.onnx"
        self.question_tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.question_tokenizer.no_truncation()
        self.question_tokenizer.no_padding()
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS, strategy="only_second")
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = min(2, os.cpu_count() or 1)
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(
            str(self.file), options, providers=["CPUExecutionProvider"]
        )

    def encode(self, question: str, sentences: list[str]) -> dict[str, np.ndarray]:
        """Return the model's inputs for one question beside each sentence."""
        words = self.question_tokenizer.encode(question, add_special_tokens=False)
        if len(words.ids) > QUESTION_TOKENS:  # the sentence is cut, never the question (training)
            question = question[: words.offsets[QUESTION_TOKENS - 1][1]]
        encoded = self.tokenizer.encode_batch([(question, s) for s in sentences])
        return {
            "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
        }

    def logits(self, question: str, sentences: list[str]) -> np.ndarray:
        """Return one logit per sentence: above 0, the sentence likely answers the question."""
        if not sentences:
            return np.zeros(0)
        (out,) = self.session.run(None, self.encode(question, sentences))
        return out.astype(np.float64)


@lru_cache(maxsize=2)
def shipped_reader(folder: str = str(FOLDER)) -> Reader:
    """Return the reader loaded once per process."""
    return Reader(folder)
