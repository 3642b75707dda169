"""Reciprocal rank fusion and the scope of a question: shared by the local and Milvus indexes."""

from __future__ import annotations

import numpy as np

from ..errors import DocumentNotIndexedError
from ..records import Hit

RRF_K = 60  # the constant of reciprocal rank fusion (Cormack et al., 2009)
CANDIDATES = 100  # how deep each ranking is read before fusing
# The dense ranking's weight when the model does not read the question's language (the default
# model reads English): its ranking is then near chance, and keywords lead (XQuAD tuning).
UNREAD_DENSE_WEIGHT = 0.25


def dense_weight(index, query: str) -> float:
    """Return the dense ranking's weight in the fusion for a question, the keywords' being 1.

    Less when the embedding model does not read the question's language; more when it does
    but no document is in that language: a German question's words seldom stand in English
    text, so its keyword ranking is near chance there while the multilingual vectors are not.
    """
    from ..embed.embedders import reads_language
    from ..read.languages import NOT_ENGLISH, detect, lead_over_english

    language = detect(query)
    if not reads_language(index.embedder, language):
        return UNREAD_DENSE_WEIGHT
    languages = index.languages()
    if not languages or language in languages:
        return 1.0
    # A short English question can be named another language: over English text it must lead.
    if "en" in languages and lead_over_english(query) <= NOT_ENGLISH:
        return 1.0
    return 1.0 / UNREAD_DENSE_WEIGHT


def fuse(
    dense: dict[int, float], keyword_order, depth: int, k: int, kept: int = 0, weight: float = 1.0
) -> list[tuple[int, float]]:
    """Return the k best (row, fused score) by reciprocal rank fusion of the two rankings.

    The `kept` best keyword matches stay among the k whatever their dense rank: an exact match
    on rare words (a table row's label, a name) is not drowned by a weak dense rank.
    """
    fused: dict[int, float] = {}
    dense_order = sorted(dense, key=lambda i: -dense[i])[:depth]
    for ranking, share in ((dense_order, weight), (keyword_order, 1.0)):
        for rank, i in enumerate(ranking):
            fused[int(i)] = fused.get(int(i), 0.0) + share / (RRF_K + rank + 1)
    best = sorted(fused.items(), key=lambda item: -item[1])[:k]
    return keep_rows(best, [int(i) for i in list(keyword_order)[:kept]], fused, k)


def keep_rows(best: list[tuple[int, float]], kept: list[int], scores, k: int) -> list:
    """Put the kept rows missing from the k best in place of the last ones, in their order."""
    found = {row for row, _ in best}
    missing = [row for row in kept if row not in found][:k]
    if not missing:
        return best
    return best[: k - len(missing)] + [(row, scores[row]) for row in missing]


def in_scope(name: str, scope: str) -> bool:
    """Whether a file is the scope or inside the folder it names."""
    return name == scope or name.startswith(scope.rstrip("/") + "/")


def out_of_scope(scope: str) -> DocumentNotIndexedError:
    """Return the error for a scope that names no indexed file."""
    return DocumentNotIndexedError(
        f"No indexed file is {scope} or inside it; choose a file or folder of the index."
    )


def not_indexed(source: str) -> DocumentNotIndexedError:
    """Return the error for a file asked for by name that is not in the index."""
    return DocumentNotIndexedError(
        f"{source} is not in the index; the indexed files are listed in its manifest."
    )


def found_hit(index, passage, position: int, score, dense_score, keyword_score, vectors=None):
    """Return a passage found for a question as a Hit, with its copies and freshness.

    Without a dense score, vectors (the passage's own, then its sentences') give it: the
    better cosine of the passage and its best sentence, as retrieval scores passages.
    """
    if dense_score is None:
        own, units, query_vector = vectors
        dense_score = float(np.max(units @ query_vector, initial=np.dot(own, query_vector)))
    return Hit(
        passage,
        position,
        score=float(score),
        dense_score=float(dense_score),
        keyword_score=float(keyword_score),
        copies=index.copies.get(passage.source, ()),
        stale=index.freshness.is_stale(passage.source),
        scan=index.scans.of(passage.source, passage.page),
        parts=index.parts.get(passage.source),
    )
