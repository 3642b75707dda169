"""The answer pipeline: check → retrieve → gather units → score → decide → cut quotes.

Each stage is a function of values; `answer_question` runs them in that order. The index is
read only through the narrow interface of `Evidence`, which any store can offer.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from .keywords import tokenize
from .questions import QuestionNeeds, analyse, check_question, is_question
from .records import MAX_QUOTE_CHARS, Answer, Hit, Quote
from .scoring import default_scorer

RELATED_SHOWN = 3
CANDIDATE_SENTENCES = 10  # best sentences of the whole index whose passages are also read
SECOND_QUOTE_MARGIN = 0.05  # a further quote must score this close to the best one
_ANAPHOR = re.compile(r"(it|it's|it’s|this|that|these|those|they|such|he|she)\b", re.IGNORECASE)


class Evidence(Protocol):
    """What the stages read from an index: retrieval, a passage's units, term statistics."""

    settings: object

    def encode_query(self, query: str) -> np.ndarray: ...
    def retrieve(self, query: str, query_vector: np.ndarray, k: int) -> list[Hit]: ...
    def hit(self, position: int, query_vector: np.ndarray) -> Hit: ...
    def nearest_unit_passages(self, query_vector: np.ndarray, n: int) -> list[int]: ...
    def units_of(self, position: int) -> list[tuple[int, int, int]]: ...
    def unit_vectors(self, rows: list[int]) -> np.ndarray: ...
    def knows(self, term: str) -> bool: ...
    def idf(self, term: str) -> float: ...


@dataclass(frozen=True)
class Unit:
    """A piece of a hit that may be quoted alone: a sentence, or a whole table row."""

    hit: Hit
    rank: int  # the rank of its passage among the candidates
    row: int  # the unit's row in the index
    start: int
    end: int

    @property
    def text(self) -> str:
        """Return the unit's characters, cut from its passage."""
        return self.hit.text[self.start - self.hit.start : self.end - self.hit.start]


@dataclass(frozen=True)
class Candidates:
    """A checked question, the passages found for it and the units that might answer it."""

    question: str
    query_vector: np.ndarray
    needs: QuestionNeeds
    hits: list[Hit]
    units: list[Unit]
    allowed: np.ndarray  # units that could answer: not questions, of the asked kind


class Scorer(Protocol):
    """The scoring slot: a probability that each candidate answers (a reranker plugs in here)."""

    threshold: float  # the probability below which the best candidate is refused

    def probability(self, index: Evidence, candidates: Candidates) -> np.ndarray: ...


def answer_question(index: Evidence, question: str, scorer: Scorer | None = None) -> Answer:
    """Quote the best-supported sentences for question, or refuse when support is weak."""
    scorer = scorer or default_scorer()
    question = check_question(question, index.settings.max_query_chars)
    candidates = gather(index, question)
    scores = score(index, candidates, scorer)
    threshold = index.settings.min_answer_score
    best = decide(scores, scorer.threshold if threshold is None else threshold)
    top = float(np.max(scores)) if len(scores) and np.isfinite(np.max(scores)) else None
    if best is None:
        return Answer(question, refused=True, related=candidates.hits[:RELATED_SHOWN], score=top)
    quotes = cut_quotes(candidates.units, scores, index.settings.max_quotes)
    return Answer(question, refused=False, quotes=quotes, related=candidates.hits, score=top)


def gather(index: Evidence, question: str) -> Candidates:
    """Retrieve passages for a checked question and gather the units that might answer it."""
    query_vector = index.encode_query(question)
    hits = index.retrieve(question, query_vector, index.settings.top_k)
    needs = analyse(question)
    # A question naming something the documents never mention has no candidates.
    unknown = mentions_unknown_name(index, needs)
    units = [] if unknown else gather_units(index, hits, query_vector)
    allowed = admissible(units, needs, question)
    return Candidates(question, query_vector, needs, hits, units, allowed)


def score(index: Evidence, candidates: Candidates, scorer: Scorer) -> np.ndarray:
    """Return each unit's probability of answering; -inf where it cannot answer at all."""
    if not candidates.units:
        return np.zeros(0)
    return np.where(candidates.allowed, scorer.probability(index, candidates), -np.inf)


def decide(scores: np.ndarray, threshold: float) -> int | None:
    """Return the best unit if it is likely enough to answer, else None (refuse)."""
    if not len(scores):
        return None
    best = int(np.argmax(scores))
    return best if np.isfinite(scores[best]) and scores[best] >= threshold else None


def cut_quotes(units: list[Unit], scores: np.ndarray, max_quotes: int) -> list[Quote]:
    """Quote the best units, one per passage, while they score close to the best one."""
    order = np.argsort(-scores, kind="stable")
    quotes, cited = [], set()
    for i in order:
        close_enough = scores[i] >= scores[order[0]] - SECOND_QUOTE_MARGIN
        if len(quotes) >= max_quotes or not close_enough:
            break
        if units[i].hit.position not in cited:
            cited.add(units[i].hit.position)
            unit = _extend(units, i)
            quotes.append(Quote(unit.hit, unit.start, unit.end, float(scores[i])))
    return quotes


def gather_units(index: Evidence, hits: list[Hit], query_vector: np.ndarray) -> list[Unit]:
    """Units of the best passages, plus those of the passages holding the best sentences."""
    positions = [hit.position for hit in hits]
    for passage in index.nearest_unit_passages(query_vector, CANDIDATE_SENTENCES):
        if passage not in positions:
            positions.append(passage)
    by_position = {hit.position: hit for hit in hits}
    units = []
    for rank, position in enumerate(positions):
        hit = by_position.get(position) or index.hit(position, query_vector)
        units.extend(Unit(hit, rank, row, s, e) for row, s, e in index.units_of(position))
    return units


def admissible(units: list[Unit], needs: QuestionNeeds, question: str) -> np.ndarray:
    """Mark the units that could answer: not questions, of the asked kind, naming what is asked."""
    # Names asked about, and the thing counted, must stand in the passage or its headings.
    required = [tokenize([n])[0] for n in needs.names] + tokenize([needs.counted])
    tables = needs.table and any(u.hit.kind == "table-row" for u in units)
    contexts: dict[int, set[str]] = {}  # each passage's words, read once for all its units
    allowed = []
    for unit in units:
        position = unit.hit.position
        if required and position not in contexts:
            contexts[position] = set(tokenize([unit.hit.passage.embedding_text()])[0])
        ok = (
            not is_question(unit.text)
            and needs.satisfied_by(unit.text, question)
            and all(_mentioned(term, contexts[position]) for terms in required for term in terms)
            and (not tables or unit.hit.kind == "table-row")
        )
        allowed.append(ok)
    return np.array(allowed, dtype=bool)


def mentions_unknown_name(index: Evidence, needs: QuestionNeeds) -> bool:
    """Whether the question names something the documents never mention at all."""
    for name in needs.names:
        terms = tokenize([name])[0]
        if terms and not any(index.knows(term) for term in terms):
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


def _extend(units: list[Unit], i: int) -> Unit:
    """Join the next sentence when it opens with a pronoun that points back to this one."""
    unit = units[i]
    if i + 1 < len(units):
        follower = units[i + 1]
        joined = follower.end - unit.start
        if follower.hit is unit.hit and _ANAPHOR.match(follower.text) and joined <= MAX_QUOTE_CHARS:
            return replace(unit, end=follower.end)
    return unit
