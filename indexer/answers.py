"""Turn the best passages into quoted sentences with citations, or an honest refusal."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace

import numpy as np

from .keywords import tokenize
from .passages import LineIndex
from .questions import analyse
from .scoring import default_scorer, is_question, unit_features
from .search import Hit, Index

RELATED_SHOWN = 3
CANDIDATE_SENTENCES = 10  # best sentences of the whole index whose passages are also read
SECOND_QUOTE_MARGIN = 0.05  # a further quote must score this close to the best one
MAX_QUOTE_CHARS = 400
_ANAPHOR = re.compile(r"(it|it's|it’s|this|that|these|those|they|such|he|she)\b", re.IGNORECASE)


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
    page: int | None = None  # the PDF page, else None
    section: str | None = None  # the heading the quote sits under, else None
    copies: tuple[str, ...] = ()  # other files with identical content


@dataclass(frozen=True)
class Answer:
    """Quotes that answer a question, or a refusal with the closest passages."""

    question: str
    refused: bool
    quotes: list[Quote] = field(default_factory=list)
    related: list[Hit] = field(default_factory=list)
    score: float = 0.0  # the best candidate's probability of answering, refused or not

    def citation(self, quote: Quote) -> str:
        """Return 'file, lines a-b, under "heading"' for a quote."""
        return format_citation(quote)


@dataclass(frozen=True)
class _Unit:
    hit: Hit
    rank: int
    row: int  # the unit's row in the index
    start: int
    end: int
    text: str


def format_citation(place) -> str:
    """Return a citation a reader can follow for a Hit or Quote: file, page, lines, heading."""
    first, last = place.line_start, place.line_end
    lines = f"line {first}" if first == last else f"lines {first}-{last}"
    page = f"p. {place.page}, " if place.page else ""
    under = f' — "{place.section}"' if place.section else ""
    copies = f" (also {', '.join(place.copies)})" if place.copies else ""
    return f"{place.source}{copies}, {page}{lines}{under}"


def answer_question(index: Index, question: str) -> Answer:
    """Quote the best-supported sentences for question, or refuse when support is weak."""
    candidates = gather_candidates(index, question)
    hits, units, scores = candidates.hits, candidates.units, candidates.scores
    order = np.argsort(-scores, kind="stable")
    if not units or scores[order[0]] < index.settings.min_answer_score:
        best = float(scores[order[0]]) if units and np.isfinite(scores[order[0]]) else 0.0
        return Answer(question.strip(), refused=True, related=hits[:RELATED_SHOWN], score=best)
    quotes, cited = [], set()
    for i in order:
        close_enough = scores[i] >= scores[order[0]] - SECOND_QUOTE_MARGIN
        if len(quotes) >= index.settings.max_quotes or not close_enough:
            break
        if units[i].hit.position not in cited:
            cited.add(units[i].hit.position)
            quotes.append(_quote(_extend(units, i), float(scores[i])))
    return Answer(
        question.strip(), refused=False, quotes=quotes, related=hits, score=float(scores[order[0]])
    )


@dataclass
class Candidates:
    """The passages found for a question, their quotable units, features and scores."""

    hits: list[Hit]
    units: list[_Unit]
    features: np.ndarray
    allowed: np.ndarray  # units that could answer: not questions, of the asked kind
    scores: np.ndarray  # probability of answering; -inf where not allowed


def gather_candidates(index: Index, question: str) -> Candidates:
    """Find the candidate units for a question and score them with the shipped scorer."""
    question = index.check_query(question)
    query_vector = index.encode_query(question)
    hits = index.search(question, k=index.settings.top_k, query_vector=query_vector)
    needs = analyse(question)
    # A question naming something the documents never mention has no candidates.
    unknown = _mentions_unknown_name(index, needs)
    units = [] if unknown else _candidates(index, hits, query_vector)
    features = unit_features(index, question, query_vector, units)
    allowed = _answers_the_need(index, units, needs, question)
    scores = default_scorer().probability(features) if units else np.zeros(0)
    scores = np.where(allowed, scores, -np.inf)
    return Candidates(hits, units, features, allowed, scores)


def _candidates(index: Index, hits: list[Hit], query_vector: np.ndarray) -> list[_Unit]:
    """Units of the best passages, plus those of the passages holding the best sentences."""
    positions = [hit.position for hit in hits]
    for passage in index.best_unit_passages(query_vector, CANDIDATE_SENTENCES):
        if passage not in positions:
            positions.append(passage)
    by_position = {hit.position: hit for hit in hits}
    units = []
    for rank, position in enumerate(positions):
        hit = by_position.get(position) or index.hit_at(position, query_vector)
        units.extend(_units(index, hit, rank))
    return units


def _units(index: Index, hit: Hit, rank: int) -> list[_Unit]:
    """List the pieces of a passage that may be quoted: its sentences, or a whole table row."""
    units = []
    for row in range(index.units_from[hit.position], index.units_from[hit.position + 1]):
        _, start, end = (int(v) for v in index.units[row])
        text = hit.text[start - hit.start : end - hit.start]
        units.append(_Unit(hit, rank, row, start, end, text))
    return units


def _answers_the_need(index: Index, units: list[_Unit], needs, question: str) -> np.ndarray:
    """Mark the units that could answer: not questions, of the asked kind, naming what is asked."""
    # Names asked about, and the thing counted, must stand in the passage or its headings.
    required = [tokenize([n])[0] for n in needs.names] + tokenize([needs.counted])
    tables = needs.table and any(index.passages[u.hit.position].kind == "table-row" for u in units)
    contexts: dict[int, set[str]] = {}  # each passage's words, read once for all its units
    allowed = []
    for unit in units:
        passage = index.passages[unit.hit.position]
        if required and unit.hit.position not in contexts:
            contexts[unit.hit.position] = set(tokenize([passage.embedding_text()])[0])
        ok = (
            not is_question(unit.text)
            and needs.satisfied_by(unit.text, question)
            and all(
                _mentioned(term, contexts[unit.hit.position])
                for terms in required
                for term in terms
            )
            and (not tables or passage.kind == "table-row")
        )
        allowed.append(ok)
    return np.array(allowed, dtype=bool)


def _mentions_unknown_name(index: Index, needs) -> bool:
    """Whether the question names something the documents never mention at all."""
    vocabulary = index.keywords.retriever.vocab_dict
    for name in needs.names:
        terms = tokenize([name])[0]
        if terms and not any(term in vocabulary for term in terms):
            return True
    return False


def _mentioned(term: str, context: set[str]) -> bool:
    """Whether a stemmed term, or a close form of it ("chines" for "china"), is in context."""
    if term in context:
        return True
    if len(term) < 5:
        return False
    return any(
        len(other) >= 5
        and len(os.path.commonprefix([term, other])) >= max(4, min(len(term), len(other)) - 2)
        for other in context
    )


def _extend(units: list[_Unit], i: int) -> _Unit:
    """Join the next sentence when it opens with a pronoun that points back to this one."""
    unit = units[i]
    if i + 1 < len(units):
        follower = units[i + 1]
        joined = follower.end - unit.start
        if follower.hit is unit.hit and _ANAPHOR.match(follower.text) and joined <= MAX_QUOTE_CHARS:
            text = unit.hit.text[unit.start - unit.hit.start : follower.end - unit.hit.start]
            return replace(unit, end=follower.end, text=text)
    return unit


def _quote(unit: _Unit, score: float) -> Quote:
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
        page=unit.hit.page,
        section=unit.hit.section,
        copies=unit.hit.copies,
    )
