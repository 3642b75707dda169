"""Sentence spans with exact offsets, so a quote can always be cut back out of its source."""

from __future__ import annotations

import re

_TERMINAL = tuple(".!?:;\"'”’)]")
_LIST_ITEM = re.compile(r"\s*(?:[-*+•]|\d{1,3}[.)])\s")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BLANK_LINE = re.compile(r"[ \t]*(?:\r\n|\r|\n)")


def sentence_spans(
    text: str, start: int = 0, end: int | None = None, language: str = "en"
) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences in text[start:end], whitespace trimmed.

    language (ISO 639-1) chooses sentencex's rules; a language written without full stops
    (Thai) is split at its spaces, where its clauses end.
    """
    from sentencex import segment

    from .languages import UNSPACED

    end = len(text) if end is None else end
    split = _at_spaces if language in UNSPACED else (lambda piece: segment(language, piece))
    spans = []
    for seg_start, seg_end in _segments(text, start, end):
        cursor = seg_start
        for piece in split(text[seg_start:seg_end]):
            span = _trim(text, cursor, cursor + len(piece))
            cursor += len(piece)
            if span:
                spans.append(span)
    return spans


# Thai spaces end phrases as often as sentences. Measured on XQuAD's tuning paragraphs (the
# same text in Thai and English, 51,929 and 55,104 characters): at 10 characters a unit was a
# phrase (1,437 of them, 35 characters each); at 140, as many units as English sentences (344
# against 336), but the quotes chosen ran 161 characters against English's 211, a clause short
# of the sentence (quote@1 0.577 against 0.719); at 200 they run 216 (0.669; 250: 264, 0.716).
# The quotes a reader gets are as long as English ones at 200.
CLAUSE_RUN_CHARS = 200


def _at_spaces(text: str) -> list[str]:
    """Split at the spaces that end a clause, keeping every character (pieces join back).

    Thai also puts a space before a number or an abbreviation ("ในปี พ.ศ. 1839"): a space
    ends a unit only before a run of at least five letters with no full stop, and only after
    CLAUSE_RUN_CHARS, so a unit holds a sentence's worth of clauses, not one phrase.
    """
    pieces: list[str] = []
    for chunk in re.findall(r"\S+\s*|\s+", text):
        word = chunk.strip()
        starts_clause = len(word) >= 5 and word[0].isalpha() and "." not in word
        if pieces and not (starts_clause and len(pieces[-1].strip()) >= CLAUSE_RUN_CHARS):
            pieces[-1] += chunk
        else:
            pieces.append(chunk)
    return pieces


def _segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut at line breaks that end a unit; keep wrapped lines of one sentence together."""
    segments, seg_start = [], start
    for brk in _LINE_BREAK.finditer(text, start, end):
        before = text[seg_start : brk.start()].rstrip()
        after = text[brk.end() : end]
        # Headings are cut off by the passage splitter; here a line without closing
        # punctuation runs on into the next, unless a list item starts there or a blank line
        # ends the paragraph (Thai never closes one with punctuation).
        wrapped = (
            before
            and not before.endswith(_TERMINAL)
            and not _LIST_ITEM.match(after)
            and not _BLANK_LINE.match(after)
        )
        if not wrapped:
            segments.append((seg_start, brk.start()))
            seg_start = brk.end()
    segments.append((seg_start, end))
    return segments


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
