"""The reader: a small cross-encoder that reads a question and a candidate sentence together.

Trained here by `python -m scripts.train_reader` on allowed SQuAD data only (see
reader_model/MODEL_CARD.md); shipped as int8 ONNX, run with tokenizers and onnxruntime alone.
Its logit says how likely the sentence answers the question; the scorer weighs it. A reader
trained with context (reader.json "context") reads each unit followed by its heading and the
sentence before it, so "it" and "the company" have something to resolve against.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

FOLDER = Path(__file__).with_name("reader_model")
MAX_TOKENS = 128  # question and sentence together
CONTEXT_CHARS = 300  # of the sentence before: its end is what "it" points back to
QUESTION_TOKENS = 64  # a longer question is cut here first, so every sentence keeps its room


class Reader:
    """Score (question, sentence) pairs with the shipped int8 cross-encoder."""

    def __init__(self, folder: str | os.PathLike = FOLDER):
        from tokenizers import Tokenizer

        from ..embed.onnx_session import session

        folder = Path(folder)
        self.file = folder / "reader.onnx"
        facts = json.loads((folder / "reader.json").read_text(encoding="utf-8"))
        self.reads_context = bool(facts.get("context"))
        self.question_tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.question_tokenizer.no_truncation()
        self.question_tokenizer.no_padding()
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS, strategy="only_second")
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self.session = session(self.file, min(2, os.cpu_count() or 1))

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

    def read(self, question: str, units: list, chosen) -> np.ndarray:
        """Return the logits of the chosen units (indexes into units), read as trained."""
        return self.logits(question, [reader_input(units, i, self.reads_context) for i in chosen])


def reader_input(units: list, i: int, with_context: bool) -> str:
    """Return what the reader reads of units[i]; with context, its heading and the one before."""
    unit = units[i]
    header = unit.hit.passage.header_text if unit.hit.kind == "table-row" else None
    text = f"{header}\n{unit.text}" if header else unit.text
    if not with_context:
        return text
    # The sentence before only within the same passage: that is what the index keeps together.
    before = units[i - 1].text if i and units[i - 1].hit.position == unit.hit.position else ""
    context = " | ".join(part for part in (unit.hit.heading or "", before[-CONTEXT_CHARS:]) if part)
    return f"{text} [SEP] {context}" if context else text


@lru_cache(maxsize=2)
def shipped_reader(folder: str = str(FOLDER)) -> Reader:
    """Return the reader loaded once per process."""
    return Reader(folder)
