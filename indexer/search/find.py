"""Find: every passage that matches a query, grouped by file, its matching words highlighted.

A passage matches when it is in a file the filters keep, holds every phrase and every word of
the free text (as the keyword index stems them: 'terminate' finds 'terminated') and none of the
excluded words and phrases. Matches are ranked by the free text's BM25 relevance, files by their
best passage; a query of phrases and filters alone lists them in file order. Pages of 50.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass, field, replace

import numpy as np

from ..errors import QueryError, counted
from ..read.terms import term_spans, word_terms
from ..records import Hit, place_record
from .file_filters import kept_rows
from .phrases import FoldedText
from .query import check_question
from .query_language import HELP, Query, parse_query

PER_PAGE = 50
_BUILDING = threading.Lock()  # one fold of a version's passages at a time


@dataclass(frozen=True)
class Match:
    """A passage that matches, and the spans of its text to highlight (offsets in its text)."""

    hit: Hit
    highlights: tuple[tuple[int, int], ...]
    score: float  # the free text's BM25 relevance (0 without free text)

    def to_record(self) -> dict:
        """Return the JSON record: the passage's place and citation, and what to highlight."""
        return {
            **place_record(self.hit),
            "position": self.hit.position,
            "score": round(self.score, 6),
            "highlights": [list(span) for span in self.highlights],
        }


@dataclass(frozen=True)
class FileMatches:
    """One file's matches on a page, and how many it holds in all."""

    source: str
    count: int
    matches: list[Match]

    def to_record(self) -> dict:
        """Return the JSON record of the file's group."""
        return {
            "source": self.source,
            "count": self.count,
            "matches": [match.to_record() for match in self.matches],
        }


@dataclass(frozen=True)
class Found:
    """One page of what a query finds, with the counts of all of it."""

    query: str
    total: int  # matching passages
    files: int  # files holding them
    page: int
    pages: int
    ranked_by: str  # "relevance" or "file order"
    groups: list[FileMatches] = field(default_factory=list)
    note: str = ""  # why nothing matches, when nothing does

    def to_record(self) -> dict:
        """Return the JSON record the CLI's --json and the MCP tool give."""
        return {
            "query": self.query, "total": self.total, "files": self.files, "page": self.page,
            "pages": self.pages, "per_page": PER_PAGE, "ranked_by": self.ranked_by,
            "note": self.note, "groups": [group.to_record() for group in self.groups],
        }  # fmt: skip


def find(index, query: str, page: int = 1) -> Found:
    """Return page `page` (from 1) of every passage of the index matching the query."""
    if not str(query or "").strip():
        raise QueryError(f"The query is empty; give words or a filter: {HELP}.")
    # Control characters become spaces (a NUL would otherwise meet the passages' separators).
    query = check_question(query, index.settings.max_query_chars)
    parsed = parse_query(query)
    selected = select(index, parsed)
    rows, scores = selected.rows, selected.scores
    file_of = _file_of_rows(index.manifest)
    order = _ranked(rows, scores, file_of) if selected.terms else rows
    pages = max(1, -(-len(order) // PER_PAGE))
    if int(page) < 1 or (len(order) and int(page) > pages):
        raise QueryError(f"Page {page} does not exist; the matches fill pages 1 to {pages}.")
    shown = order[(int(page) - 1) * PER_PAGE : int(page) * PER_PAGE]
    counts = np.bincount(file_of[rows], minlength=len(index.manifest.files))
    groups: list[FileMatches] = []
    for hit, score in zip(index.hits_at(shown), scores[shown] if len(shown) else [], strict=True):
        spans = selected.highlights(index, hit)
        if not groups or groups[-1].source != hit.source:
            count = int(counts[file_of[hit.position]])
            groups.append(FileMatches(hit.source, count, []))
        groups[-1].matches.append(Match(hit, spans, round(float(score), 4)))
    note = "" if len(rows) else nothing_found(index.manifest, parsed)
    by = "relevance" if selected.terms else "file order"
    files = int(np.count_nonzero(counts))
    return Found(query, len(rows), files, int(page), pages, by, groups, note)


@dataclass
class Selection:
    """The rows a query selects, their relevance, and what each must show highlighted."""

    query: Query
    rows: np.ndarray
    scores: np.ndarray  # over every row of the index
    terms: list[str]  # the free text's keyword terms
    phrase_spans: dict[int, list[tuple[int, int]]]  # row -> its phrases' (start, end), folded

    def highlights(self, index, hit: Hit) -> tuple[tuple[int, int], ...]:
        """Return the spans of a matching passage's text to highlight, merged, in order."""
        found = self.phrase_spans.get(hit.position, ())
        folded = folded_text(index) if found else None  # folded already when phrases matched
        spans = [_with_marks(hit.text, *folded.offsets(hit.position, s, e)) for s, e in found]
        if self.terms:
            spans += term_spans(hit.text, set(self.terms), index.language_of(hit.source))
        return _merged(spans)


def select(index, query: Query) -> Selection:
    """Return the rows of every passage matching a parsed query (free text ANDed, phrases too)."""
    words = word_terms(query.text, index.languages())
    if not (words or query.narrows):
        raise QueryError(f"Nothing to find in {query.question!r}; give words or use {HELP}.")
    mask = kept_rows(index.manifest, query)
    mask = np.ones(len(index), dtype=bool) if mask is None else mask
    terms = list(dict.fromkeys(t for group in words for t in group))
    scores = np.zeros(len(index), dtype=np.float32)
    if terms:
        for group in words:  # every word, in one of the forms the index's languages stem it
            mask &= index.keyword_scores(group) > 0
        scores = np.round(index.keyword_scores(terms), 4)  # both stores alike to 4 places
    spans: dict[int, list] = {}
    if query.phrases or query.excluded:
        folded = folded_text(index)
        for phrase in query.phrases:  # each looked for only where the rest may still match
            rows, starts, ends = folded.find(phrase, np.flatnonzero(mask))
            holding = np.zeros(len(index), dtype=bool)
            holding[rows] = True
            mask &= holding
            for row, start, end in zip(rows.tolist(), starts.tolist(), ends.tolist(), strict=True):
                spans.setdefault(row, []).append((start, end))
        for excluded in query.excluded:
            mask[folded.find(excluded, np.flatnonzero(mask))[0]] = False
    return Selection(query, np.flatnonzero(mask), scores, terms, spans)


def folded_text(index) -> FoldedText:
    """Return the index's passages folded for phrases, folding them on first need."""
    folded = getattr(index, "_folded", None)
    if folded is None:
        with _BUILDING:
            folded = getattr(index, "_folded", None)
            if folded is None:
                folded = FoldedText(index.passage_texts())
                index._folded = folded
    return folded


def _file_of_rows(manifest) -> np.ndarray:
    counts = [entry.passages for entry in manifest.files.values()]
    return np.repeat(np.arange(len(counts)), counts)


def _ranked(rows: np.ndarray, scores: np.ndarray, file_of: np.ndarray) -> np.ndarray:
    """Order rows by relevance within their file, files by their best row (ties: file order)."""
    if not len(rows):
        return rows
    files, row_scores = file_of[rows], scores[rows]
    best = np.full(file_of.max() + 1, -np.inf, dtype=np.float64)
    np.maximum.at(best, files, row_scores)
    first = np.full(len(best), len(file_of), dtype=np.int64)
    np.minimum.at(first, files, rows)
    file_rank = np.empty(len(best), dtype=np.int64)
    file_rank[np.lexsort((first, -best))] = np.arange(len(best))
    return rows[np.lexsort((rows, -row_scores, file_rank[files]))]


def _with_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """Extend a span over the marks its last letter carries (a vowel sign matching ignores)."""
    while end < len(text) and unicodedata.category(text[end]) == "Mn":
        end += 1
    return start, end


def _merged(spans) -> tuple[tuple[int, int], ...]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((start, end) for start, end in merged)


def search(index, query: str, k: int, scope: str | None = None) -> list[Hit]:
    """Return the k best passages for a query in the query language (search's ranking)."""
    parsed = parse_query(check_question(query, index.settings.max_query_chars))
    evidence = index.within(scope) if scope else index
    if parsed.narrows:
        rows = quotable_rows(index, parsed, scope)
        if not len(rows):
            return []
        evidence = index.within_rows(rows)
    question = check_question(parsed.question, index.settings.max_query_chars)
    return evidence.retrieve(question, evidence.encode_query(question), k)


def quotable_rows(index, query: Query, scope: str | None = None) -> np.ndarray:
    """Return the rows a question may quote: in the files its filters (and scope) keep, holding
    its phrases and none of its exclusions; its free text is asked, not required."""
    rows = select(index, replace(query, text="")).rows
    if scope:
        from .local_index import scope_rows  # the folder's rows, or one sentence if none

        rows = rows[np.isin(rows, scope_rows(index.manifest, scope))]
    return rows


def nothing_quotable(index, query: Query) -> str:
    """Say in one sentence why no passage may answer a question with this syntax."""
    if query.filters_files and not kept_rows(index.manifest, query).any():
        return f"No indexed file passes {query.filters_said}."
    held = " and ".join(f"“{phrase}”" for phrase in query.phrases)
    if held:
        return f"No passage{' the filters keep' if query.filters_files else ''} holds {held}."
    return "Every passage the filters keep holds a word or phrase the question excludes."


def nothing_found(manifest, query: Query) -> str:
    """Say in one sentence why nothing matched: no file passes the filters, or no passage."""
    if query.filters_files and not kept_rows(manifest, query).any():
        return f"No indexed file passes {query.filters_said}."
    return f"No passage matches; {counted(manifest.passages, 'passage')} were searched."
