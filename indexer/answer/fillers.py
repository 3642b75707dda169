"""The words of a quote that fill what the question asks for: an amount, a date, a name.

A question that asks for a kind of thing ("how much", "when", "who", "what percentage") is
answered by a quote holding one that the question does not already give. The filler found
here is marked in the quote (`answer_start` / `answer_end`). How close it stands to the words
of what is asked was measured as a feature of the answer model and told nothing more on the
SQuAD tuning part (README, Quality), so it only chooses which filler to mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..read.terms import tokenize
from .kinds_asked import asked_kinds
from .kinds_found import spans as local_spans
from .questions import QuestionNeeds, proper_names

_AMOUNT = (
    r"(?:[$€£¥]\s?\d[\d,.]*(?:\s?(?:million|billion|trillion|thousand|[mbk]n?)\b)?"
    r"|\d[\d,.]*\s?(?:million|billion|trillion|thousand)?\s?(?:dollars?|euros?|pounds?|yen"
    r"|usd|eur|gbp|francs?|rupees?|yuan)\b)"
)
_PERCENT = r"\d[\d,.]*\s?(?:%|percent\b|per cent\b)"
_YEAR = r"\b(?:1[0-9]\d\d|20\d\d)s?\b"
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_DAY = (
    rf"\b(?:\d{{1,2}}\s+(?:{_MONTHS})(?:\s+\d{{4}})?|(?:{_MONTHS})\s+\d{{1,2}}(?:,\s*\d{{4}})?)\b"
)
_NUMBER = (
    r"\b\d[\d,.]*(?:\s?(?:million|billion|thousand|hundred))?\b|\b(?:one|two|three|four|five"
    r"|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand"
    r"|million|billion|dozen)\b"
)
KINDS = {
    "money": re.compile(_AMOUNT, re.IGNORECASE),
    "percent": re.compile(_PERCENT, re.IGNORECASE),
    "date": re.compile(f"{_DAY}|{_YEAR}", re.IGNORECASE),
    "number": re.compile(_NUMBER, re.IGNORECASE),
}
_PERCENT_QUESTION = re.compile(r"\b(percentage|percent|share|proportion|rate)\b", re.IGNORECASE)
NEAR = 8  # words either side of a filler that count as its context
_CELL = re.compile(r"(?<=\|)[^|\n]*(?=\|)")  # a cell of a table row read as '| a | b |'


@dataclass(frozen=True)
class Filler:
    """A span of a quote's text that is of the kind asked, and how near the asked words it is."""

    start: int  # offsets within the quote's text
    end: int
    near: float  # 1 when the question's own content words stand next to it, 0 when far


def asked_kind(needs: QuestionNeeds, question: str) -> str | None:
    """Return the kind of thing a question asks for, most specific first, or None."""
    if needs.money:
        return "money"
    if needs.number and (
        _PERCENT_QUESTION.search(question) or "percent" in asked_kinds(question, needs.language)
    ):
        return "percent"
    if needs.date:
        return "date"
    if needs.number:
        return "number"
    if needs.name:
        return "name"
    return None


def best_filler(
    text: str, question: str, kind: str | None, language: str = "en", header: str | None = None
) -> Filler | None:
    """Return the filler of the asked kind nearest the question's words, not given by it.

    For a table row under its header, only the cells of the columns the question names count
    ("OpenAI" picks that column's amount). When several fillers stand and none is nearer the
    question's words than another, nothing is marked: it would be a guess.
    """
    if kind is None:
        return None
    spans = _spans(text, question, kind, language)
    columns = asked_cells(text, header, question) if header else []
    if columns:
        spans = [(s, e) for s, e in spans if any(a <= s and e <= b for a, b in columns)]
    if not spans:
        return None
    asked = _content_terms(question, language)
    words = [(m.start(), m.end(), term) for m, term in _words(text, language)]
    best = None
    for start, end in spans:
        near = _near_share(words, start, end, asked)
        if best is None or near > best.near:
            best = Filler(start, end, near)
    return None if best.near == 0 and len(spans) > 1 else best


def asked_cells(row: str, header: str, question: str) -> list[tuple[int, int]]:
    """Return the spans of a table row's cells whose column header the question names."""
    asked = {w.lower() for w in re.findall(r"\w{3,}", question)}
    cells = [(m.start(), m.end()) for m in _CELL.finditer(row)]
    heads = [m.group() for m in _CELL.finditer(header)]
    return [
        cell
        for cell, head in zip(cells, heads, strict=False)
        if {w.lower() for w in re.findall(r"\w{3,}", head)} & asked
    ]


def _spans(text: str, question: str, kind: str, language: str) -> list[tuple[int, int]]:
    """Return the spans of a kind in text that the question does not already give (as words)."""
    if kind == "name":
        asked = {n.lower() for n in proper_names(question)}
        names = set(proper_names(text))
        found = []
        for match in re.finditer(r"[\w'’.-]*\w", text):
            word = match.group()
            if word.lower() not in asked and word in names:
                found.append((match.start(), match.end()))
        return _joined(found, text)
    found = [(m.start(), m.end()) for m in KINDS[kind].finditer(text)]
    if language != "en":  # and as the text's own language writes it ("2,3 Millionen Euro")
        found = _outermost(found + local_spans(text, kind, language))
    return [
        (start, end)
        for start, end in found
        if not re.search(rf"(?<!\w){re.escape(text[start:end])}(?!\w)", question, re.IGNORECASE)
    ]


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the spans not inside a longer one, in order ("2,3" inside "2,3 Millionen Euro")."""
    spans = sorted(set(spans), key=lambda span: (span[0], -span[1]))
    kept: list[tuple[int, int]] = []
    for start, end in spans:
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end))
    return kept


def _joined(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Join names that follow each other ("Dario Amodei") into one span."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and text[joined[-1][1] : start].strip() == "":
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _content_terms(question: str, language: str) -> set[str]:
    """Return the question's stemmed words that say what is asked (not its names)."""
    names = {t for n in proper_names(question) for t in tokenize([n], language)[0]}
    return set(tokenize([question], language)[0]) - names


def _words(text: str, language: str):
    """Yield (match, stemmed term or '') for each word of text."""
    for match in re.finditer(r"\w+", text):
        terms = tokenize([match.group()], language)[0]
        yield match, terms[0] if terms else ""


def _near_share(words, start: int, end: int, asked: set[str]) -> float:
    """Return how near the asked terms stand to a span: 1 next to it, 0 beyond NEAR words."""
    if not asked:
        return 0.0
    inside = [i for i, (s, e, _) in enumerate(words) if s < end and e > start]
    if not inside:
        return 0.0
    nearest = dict.fromkeys(asked, NEAR)
    for i, (_, _, term) in enumerate(words):
        if term in nearest:
            distance = max(0, inside[0] - i, i - inside[-1])
            nearest[term] = min(nearest[term], distance)
    return sum(1 - d / NEAR for d in nearest.values()) / len(asked)
