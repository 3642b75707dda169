"""Turn the best passages into quoted sentences with citations, or an honest refusal."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .keywords import tokenize
from .passages import LineIndex
from .search import Hit, Index
from .sentences import sentence_spans

# Weights of the sentence score: meaning, shared rare words, and the passage's own rank.
W_DENSE, W_KEYWORDS, W_PASSAGE = 0.55, 0.35, 0.10
RELATED_SHOWN = 3


@dataclass(frozen=True)
class Quote:
    """A verbatim sentence (or table row): `text == source_text[start:end]`."""

    text: str
    source: str
    start: int
    end: int
    line_start: int
    line_end: int
    heading: str | None
    score: float
    passage: Hit


@dataclass(frozen=True)
class Answer:
    """Quotes that answer a question, or a refusal with the closest passages."""

    question: str
    refused: bool
    quotes: list[Quote] = field(default_factory=list)
    related: list[Hit] = field(default_factory=list)

    def citation(self, quote: Quote) -> str:
        """Return 'file, lines a-b, under "heading"' for a quote."""
        return format_citation(quote.source, quote.line_start, quote.line_end, quote.heading)


@dataclass(frozen=True)
class _Unit:
    hit: Hit
    rank: int
    start: int
    end: int
    text: str
    embed_text: str


def format_citation(source: str, line_start: int, line_end: int, heading: str | None) -> str:
    """Return a citation a reader can follow: file, line range and heading."""
    lines = f"line {line_start}" if line_start == line_end else f"lines {line_start}-{line_end}"
    under = f' — "{heading}"' if heading else ""
    return f"{source}, {lines}{under}"


def answer_question(index: Index, question: str) -> Answer:
    """Quote the best-supported sentences for question, or refuse when support is weak."""
    question = index.check_query(question)
    query_vector = index.encode_query(question)
    hits = index.search(question, k=index.settings.top_k, query_vector=query_vector)
    units = [unit for rank, hit in enumerate(hits) for unit in _units(index, hit, rank)]
    if not units:
        return Answer(question, refused=True)
    scores = _score(index, question, query_vector, units)
    order = np.argsort(-scores, kind="stable")
    if scores[order[0]] < index.settings.min_answer_score:
        return Answer(question, refused=True, related=hits[:RELATED_SHOWN])
    quotes, cited = [], set()
    for i in order:
        unit = units[i]
        close_enough = scores[i] >= scores[order[0]] - 0.05
        if len(quotes) >= index.settings.max_quotes or not close_enough:
            break
        if unit.hit.position in cited:
            continue
        cited.add(unit.hit.position)
        quotes.append(_quote(index, unit, float(scores[i])))
    return Answer(question, refused=False, quotes=quotes, related=hits)


def _units(index: Index, hit: Hit, rank: int) -> list[_Unit]:
    """Split a passage into the pieces that may be quoted: sentences, or a whole table row."""
    passage = index.passages[hit.position]
    if passage.kind in ("table-row", "heading"):
        spans = [(0, len(passage.text))]
    else:
        spans = sentence_spans(passage.text)
    units = []
    for start, end in spans:
        text = passage.text[start:end]
        embed_text = passage.embedding_text() if passage.kind == "table-row" else text
        units.append(_Unit(hit, rank, passage.start + start, passage.start + end, text, embed_text))
    return units


def _score(index: Index, question: str, query_vector: np.ndarray, units: list[_Unit]) -> np.ndarray:
    """Score each unit by meaning, by shared rare words and by its passage's rank."""
    vectors = index.embedder.encode([u.embed_text for u in units])
    dense = vectors @ query_vector
    query_terms = set(tokenize([question])[0])
    weights = {t: index.keywords.idf(t) for t in query_terms}
    total = sum(weights.values()) or 1.0
    unit_terms = tokenize([u.embed_text for u in units])
    overlap = np.array(
        [sum(weights[t] for t in set(ts) & query_terms) / total for ts in unit_terms]
    )
    passage = np.array([u.hit.dense_score for u in units])
    return W_DENSE * dense + W_KEYWORDS * overlap + W_PASSAGE * passage


def _quote(index: Index, unit: _Unit, score: float) -> Quote:
    source_text = unit.hit.text
    offset = unit.hit.start
    # Line numbers come from the passage's own lines, so no source file is reread.
    lines = LineIndex(source_text)
    return Quote(
        text=unit.text,
        source=unit.hit.source,
        start=unit.start,
        end=unit.end,
        line_start=unit.hit.line_start + lines.line_of(unit.start - offset) - 1,
        line_end=unit.hit.line_start + lines.line_of(unit.end - 1 - offset) - 1,
        heading=unit.hit.heading,
        score=score,
        passage=unit.hit,
    )
