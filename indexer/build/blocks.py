"""One file's share of the index: its passages, quotable units and their vectors."""

from __future__ import annotations

import numpy as np

from ..embed.embedders import Embedder
from ..read.documents import Document
from ..read.mail import split_message
from ..read.passages import split_document
from ..read.progress import report_progress
from ..settings import Settings
from ..store import disk

EMBED_CHUNK = 256  # texts per progress step: small enough to report, large enough to batch
GROUP_TEXTS = 4096  # texts embedded together between checkpoints, when sentences are not pooled


# A file's share of the index has the parts of a whole version; vectors are None until embedded.
Block = disk.Stored


def embedding_texts(blocks: list[Block]) -> list[str]:
    """Return what a build embeds for blocks: passages, then sentences that are not a passage."""
    texts: list[str] = []
    for block in blocks:
        texts.extend(p.embedding_text() for p in block.passages)
        for i, start, end in block.units:
            passage = block.passages[i]
            if (start, end) != (passage.start, passage.end):
                texts.append(passage.text[start - passage.start : end - passage.start])
    return texts


def split_block(doc: Document, settings: Settings) -> Block:
    """Split one document into a block of passages and quotable units, not yet embedded."""
    limits = settings.passage_max_chars, settings.passage_min_chars
    if doc.format == "eml":  # the e-mail reader splits its own header block
        passages = split_message(doc.path, doc.text, *limits, doc.language)
    else:
        passages = split_document(doc.path, doc.text, doc.pages, *limits, doc.language)
    units = [(i, s, e) for i, p in enumerate(passages) for s, e in p.quotable_spans(doc.language)]
    return Block(passages, None, np.array(units, dtype=np.int64).reshape(-1, 3), None)


def embed_blocks(blocks: list[Block], embedder: Embedder, progress, finished=None) -> int:
    """Embed the passages of new blocks and those sentences that are not a whole passage.

    An embedder that can (`encode_parts`) encodes each sentence once, alone, and pools the
    passage's vector from its sentences' passes: every character is encoded once. Others
    encode passages and sentences separately, a group of blocks at a time. finished(block,
    encoded) hears each block as soon as its vectors are whole, to keep them for a restart.
    Returns how many texts were encoded.
    """
    finished = finished or (lambda block, encoded: None)
    counts = [len(embedding_texts([block])) for block in blocks]
    total = sum(counts)
    if not total:  # nothing new to embed: do not even load the model
        for block in blocks:
            block.vectors = block.unit_vectors = np.zeros((0, 0), dtype=np.float32)
            finished(block, 0)
        return 0
    if hasattr(embedder, "encode_parts"):
        return _embed_once(blocks, embedder, progress, finished)
    done, group, waiting = 0, [], 0
    for number, (block, count) in enumerate(zip(blocks, counts, strict=True), 1):
        group.append((block, count))
        waiting += count
        if waiting >= GROUP_TEXTS or number == len(blocks):
            done += _embed_group([member for member, _ in group], embedder, progress, done, total)
            for member, texts in group:
                finished(member, texts)
            group, waiting = [], 0
    return done


def _embed_group(blocks: list[Block], embedder: Embedder, progress, done: int, total: int) -> int:
    """Embed a group of blocks' texts together (sorted by length); return how many there were."""
    texts = embedding_texts(blocks)
    if not texts:
        for block in blocks:
            block.vectors = block.unit_vectors = np.zeros((0, 0), dtype=np.float32)
        return 0
    vectors = _embed(
        texts, embedder, lambda n: report_progress(progress, "Embedding passages", done + n, total)
    )
    used = 0
    for block in blocks:
        block.vectors = vectors[used : used + len(block.passages)]
        used += len(block.passages)
        unit_vectors = []
        for i, start, end in block.units:
            passage = block.passages[i]
            if (start, end) == (passage.start, passage.end):
                unit_vectors.append(block.vectors[i])
            else:
                unit_vectors.append(vectors[used])
                used += 1
        block.unit_vectors = np.array(unit_vectors, dtype=np.float32).reshape(-1, vectors.shape[1])
    return len(texts)


def _embed_once(blocks: list[Block], embedder, progress, finished) -> int:
    """Encode each sentence alone, once; pool each passage's vector from its sentences' passes.

    A passage that is one unit (a table row, a one-sentence paragraph) is encoded whole, with
    its context prefix. A text that recurs in a file is encoded once. Returns how many texts
    were encoded.
    """
    total = sum(len(block.passages) for block in blocks)
    done = encoded = 0
    for block in blocks:
        vectors, unit_vectors = [], [None] * len(block.units)
        seen: dict = {}  # a file's headings recur as its passages' prefixes: encoded once
        by_passage: dict[int, list[int]] = {}
        for row, (i, _, _) in enumerate(block.units):
            by_passage.setdefault(int(i), []).append(row)
        for i, passage in enumerate(block.passages):
            rows = [r for r in by_passage.get(i, []) if _partial(block.units[r], passage)]
            sentences = [passage.text[s - passage.start : e - passage.start]
                         for _, s, e in (block.units[r] for r in rows)]  # fmt: skip
            prefix = [passage.prefix] if passage.prefix and sentences else []
            parts = prefix + sentences if sentences else [passage.embedding_text()]
            vector, part_vectors = embedder.encode_parts(parts, seen)
            vectors.append(vector)
            for row in by_passage.get(i, []):  # a unit that is the whole passage is the passage
                unit_vectors[row] = vector
            sentence_vectors = part_vectors[len(prefix) :] if sentences else []
            for row, part_vector in zip(rows, sentence_vectors, strict=True):
                unit_vectors[row] = part_vector
            done += 1
            if done % EMBED_CHUNK == 0 or done == total:
                report_progress(progress, "Embedding passages", done, total)
        width = len(vectors[0]) if vectors else 0
        block.vectors = np.array(vectors, dtype=np.float32).reshape(-1, width)
        block.unit_vectors = np.array(unit_vectors, dtype=np.float32).reshape(-1, width)
        encoded += len(seen)
        finished(block, len(seen))
    return encoded


def _partial(unit, passage) -> bool:
    """Whether a unit is a part of its passage (not the whole of it)."""
    return (int(unit[1]), int(unit[2])) != (passage.start, passage.end)


def _embed(texts: list[str], embedder: Embedder, report) -> np.ndarray:
    """Embed texts in chunks of similar length (less padding), longest first; keep their order."""
    order = np.argsort([-len(text) for text in texts], kind="stable")
    vectors = None
    for start in range(0, len(texts), EMBED_CHUNK):
        rows = order[start : start + EMBED_CHUNK]
        chunk = embedder.encode([texts[i] for i in rows])
        if vectors is None:
            vectors = np.empty((len(texts), chunk.shape[1]), dtype=np.float32)
        vectors[rows] = chunk
        report(min(start + EMBED_CHUNK, len(texts)))
    return vectors


def merge(blocks: list[Block]) -> disk.Stored:
    """Concatenate per-file blocks into one set of arrays, renumbering unit passages."""
    passages, units, offset = [], [], 0
    for block in blocks:
        passages.extend(block.passages)
        shifted = np.array(block.units, dtype=np.int64).reshape(-1, 3)
        shifted[:, 0] += offset
        units.append(shifted)
        offset += len(block.passages)
    # Blocks without passages carry no vectors (their width is unknown when nothing was embedded).
    filled = [b for b in blocks if len(b.passages)]
    return disk.Stored(
        passages,
        np.concatenate([np.asarray(b.vectors, np.float32) for b in filled]),
        np.concatenate(units),
        np.concatenate([np.asarray(b.unit_vectors, np.float32) for b in filled]),
    )
