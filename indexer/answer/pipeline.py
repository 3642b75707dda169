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

from ..read.terms import question_terms, tokenize
from ..records import MAX_QUOTE_CHARS, Answer, Hit, Quote
from ..search.phrases import holds
from ..search.query import check_question
from .fillers import asked_kind, best_filler
from .questions import (
    QuestionNeeds,
    analyse,
    has_date,
    has_money,
    has_name,
    has_number,
    is_question,
)
from .scoring import Scored, load_scorer, scorer_file

RELATED_SHOWN = 3
CANDIDATE_SENTENCES = 10  # best sentences of the whole index whose passages are also read
SECOND_QUOTE_SHARE = 0.5  # a further quote must be at least half as likely as the best one
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
    def languages(self) -> frozenset[str]: ...

    def language_of(self, source: str) -> str: ...
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
    quotable: np.ndarray  # units that may be quoted alone: not questions, not headings
    names_missing: np.ndarray  # per unit: share of the asked names absent from its passage
    unknown_names: tuple[str, ...]  # names in the question that no document mentions
    own_language: bool = True  # some documents are in the question's language


class Scorer(Protocol):
    """The scoring slot: rank the units and say how likely an answer is (a reranker plugs in)."""

    def score(self, index: Evidence, candidates: Candidates) -> Scored: ...


def answer_question(
    index: Evidence, question: str, scorer: Scorer | None = None, phrases: tuple[str, ...] = ()
) -> Answer:
    """Quote the best-supported sentences for question, or refuse when support is weak.

    phrases: what every quote must hold (a question's "quoted phrases").
    """
    scorer = scorer or load_scorer(scorer_file(index.settings.model))
    question = check_question(question, index.settings.max_query_chars)
    candidates = holding(gather(index, question), phrases)
    scored = scorer.score(index, candidates)
    threshold = index.settings.min_answer_score
    best = decide(scored, scored.threshold if threshold is None else threshold)
    if best is None:
        return Answer(
            question,
            refused=True,
            related=candidates.hits[:RELATED_SHOWN],
            score=scored.confidence,
            reason=refusal_reason(candidates, scored),
        )
    quotes = cut_quotes(candidates.units, scored, index.settings.max_quotes)
    quotes = [mark_answer(quote, candidates, index.language_of(quote.source)) for quote in quotes]
    return Answer(
        question, refused=False, quotes=quotes, related=candidates.hits, score=scored.confidence
    )


def gather(index: Evidence, question: str) -> Candidates:
    """Retrieve passages for a checked question and gather the units that might answer it."""
    query_vector = index.encode_query(question)
    hits = index.retrieve(question, query_vector, index.settings.top_k)
    needs = analyse(question)
    units = gather_units(index, hits, query_vector)
    # A name (or what "how many" counts) is looked for as written only in documents of the
    # question's own language: "Kiel" is "基尔" in Chinese text.
    languages = index.languages()
    own = not languages or needs.language in languages
    looked_for = needs if own else replace(needs, names=(), counted="")
    unknown = tuple(name for name in looked_for.names if not _known(index, name))
    # The kind of answer it asks for is checked on units in its own language only.
    of = {source: index.language_of(source) for source in {u.hit.source for u in units}}
    quotable = np.array(
        [not unknown and quotable_for(u, needs, question, of[u.hit.source]) for u in units], bool
    )
    tables = quotable & np.array([u.hit.kind == "table-row" for u in units], dtype=bool)
    if needs.table and tables.any():  # a question about "the table" is answered from one
        quotable = tables
    return Candidates(
        question, query_vector, needs, hits, units, quotable, names_missing(units, looked_for),
        unknown, own,
    )  # fmt: skip


def holding(candidates: Candidates, phrases: tuple[str, ...]) -> Candidates:
    """Let only the units that hold every phrase be quoted."""
    if not phrases:
        return candidates
    held = [all(holds(unit.text, phrase) for phrase in phrases) for unit in candidates.units]
    return replace(candidates, quotable=candidates.quotable & np.array(held, dtype=bool))


def decide(scored: Scored, threshold: float) -> int | None:
    """Return the best unit if an answer is likely enough, else None (refuse)."""
    if not len(scored.scores) or not np.isfinite(scored.scores.max()):
        return None
    return int(np.argmax(scored.scores)) if scored.confidence >= threshold else None


def cut_quotes(units: list[Unit], scored: Scored, max_quotes: int) -> list[Quote]:
    """Quote the best units, one per passage, while they are nearly as likely as the best one."""
    order = np.argsort(-scored.scores, kind="stable")
    best_share = scored.shares[order[0]]
    quotes, cited = [], set()
    for i in order:
        if len(quotes) >= max_quotes or scored.shares[i] < best_share * SECOND_QUOTE_SHARE:
            break
        if units[i].hit.position not in cited:
            cited.add(units[i].hit.position)
            unit = _extend(units, i)
            probability = scored.confidence * scored.shares[i]
            quotes.append(Quote(unit.hit, unit.start, unit.end, float(probability)))
    return quotes


def mark_answer(quote: Quote, candidates: Candidates, language: str) -> Quote:
    """Mark the words of a quote that fill what the question asks for, if it asks a kind."""
    kind = asked_kind(candidates.needs, candidates.question)
    header = quote.table_header["text"] if quote.table_header else None
    filler = best_filler(quote.text, candidates.question, kind, language, header)
    if filler is None:
        return quote
    return replace(quote, answer=(quote.start + filler.start, quote.start + filler.end))


def refusal_reason(candidates: Candidates, scored: Scored) -> str:
    """Say in one sentence why the documents were judged not to answer."""
    if candidates.unknown_names:
        return f"The documents never mention {_listed(candidates.unknown_names)}."
    needs = candidates.needs
    about = _listed(needs.names) if needs.names else "the subject"
    kind = (
        "a number" if needs.number else "a date" if needs.date else "a name" if needs.name else ""
    )
    if not candidates.quotable.any():
        if kind and candidates.units:
            return f"The passages about {about} hold no {kind.split()[-1]} that answers it."
        return "No passage of the documents is close to the question."
    return f"No passage answers it closely enough (confidence {scored.confidence:.0%})."


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


def quotable_for(unit: Unit, needs: QuestionNeeds, question: str, language: str = "") -> bool:
    """Whether a unit may be quoted as the answer: a statement of the kind asked for.

    Never a question, never a heading alone, never words the question already says (a title
    line "Cairo" for "How many people live in Cairo?"); a "how many" answer holds a number
    ("how much money" an amount of money), a "when" answer a date, a "who/which" answer a name
    the question does not already give (on the tuning part of SQuAD, gold sentences break these
    rules for 0.3 %, 2.1 % and 1.1 % of the questions that ask them; none of its 3 money
    questions). The kinds are read in the question's words and checked as its language
    writes them (questions.py, kinds_asked.py, kinds_found.py); a unit in another language
    is not held to them (an English "when" is not checked on a German "um 14 Uhr"), nor, in
    another language than English, to a date or a name.
    """
    text = unit.text
    statement = (
        not is_question(text)
        and unit.end > unit.hit.passage.body_start
        and adds_to(text, question, language)
    )
    # Other languages are held to numbers and amounts only: their dates and names come in too
    # many forms for a word list ("al final de la Primera Guerra Mundial", "13 000 BP", "los
    # gobiernos"); held to them too, Spanish and Romanian XQuAD lost 2 points (bench.quality).
    worded = needs.language == "en"
    of_kind = (
        not (needs.number and not has_number(text, needs.language))
        and not (needs.money and not has_money(text, needs.language))
        and not (worded and needs.date and not has_date(text, needs.calendar, needs.language))
        and not (worded and needs.name and not has_name(text, question, needs.language))
    )
    return statement and (of_kind or language not in ("", needs.language))


def adds_to(text: str, question: str, language: str = "") -> bool:
    """Whether a text says anything beyond the question's own words (stemmed as the text is)."""
    text_terms, question_terms = tokenize([text, question], language or "en")
    return not set(text_terms) <= set(question_terms)


def names_missing(units: list[Unit], needs: QuestionNeeds) -> np.ndarray:
    """Per unit: the share of the asked names (and counted thing) absent from its passage."""
    required = [t for n in needs.names for t in tokenize([n])[0]] + tokenize([needs.counted])[0]
    if not required:
        return np.zeros(len(units))
    contexts: dict[int, set[str]] = {}  # each passage's words, read once for all its units
    missing = []
    for unit in units:
        position = unit.hit.position
        if position not in contexts:
            contexts[position] = set(tokenize([unit.hit.passage.embedding_text()])[0])
        missing.append(sum(not _mentioned(t, contexts[position]) for t in required) / len(required))
    return np.array(missing)


def _known(index: Evidence, name: str) -> bool:
    """Whether any term of a name occurs in the documents at all."""
    terms = question_terms(name, index.languages())  # as each document language stems it
    return not terms or any(index.knows(term) for term in terms)


def _listed(names) -> str:
    names = list(dict.fromkeys(names))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


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
