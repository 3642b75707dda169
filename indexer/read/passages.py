"""Split a document along its own structure into passages that know their exact place."""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass, replace

from .line_kinds import Line, classify
from .sentences import _LINE_BREAK, _TERMINAL, sentence_spans

_LINE = re.compile(r"\S(?:.*\S)?")  # a line's content, surrounding blanks left out


@dataclass(frozen=True)
class Passage:
    """A piece of one source file: `text == source_text[start:end]`; lines are 1-based."""

    source: str
    start: int
    end: int
    line_start: int
    line_end: int
    heading: str | None
    kind: str  # "text" (paragraphs, headings included), "table-row" or "fields" (e-mail header)
    prefix: str  # title, heading and table header: embedded with the text, never quoted
    text: str
    body_start: int  # where the text after the passage's own heading lines begins
    page: int | None = None  # the PDF page (1-based) the passage stands on
    # A table row's header row: (start, end, line) in the same text, shown above the row.
    header: tuple[int, int, int] | None = None
    page_line: int | None = None  # the line its PDF page starts on: citations count from it

    def embedding_text(self) -> str:
        """Return what is embedded and keyword-indexed: the context prefix, then the text."""
        return f"{self.prefix}\n{self.text}" if self.prefix else self.text

    def quotable_spans(self, language: str = "en") -> list[tuple[int, int]]:
        """Return the source spans that may be quoted alone: its sentences, or the whole row."""
        if self.kind == "table-row":
            return [(self.start, self.end)]
        if self.kind == "fields":  # `Name: value` lines, each a statement of its own
            return [
                (self.start + m.start(), self.start + m.end()) for m in _LINE.finditer(self.text)
            ]
        heading_lines = [
            (self.start + m.start(), self.start + m.end())
            for m in _LINE.finditer(self.text[: self.body_start - self.start])
        ]
        body = sentence_spans(self.text, self.body_start - self.start, language=language)
        return heading_lines + [(self.start + s, self.start + e) for s, e in body]

    @property
    def header_text(self) -> str | None:
        """Return a table row's header row, as it stands in the text (the prefix ends with it)."""
        return self.prefix.rsplit("\n", 1)[-1] if self.header else None

    def to_record(self) -> dict:
        """Return a JSON-ready record of this passage (as JSON reads it back: lists, not tuples)."""
        return {**asdict(self), "header": list(self.header) if self.header else None}

    @classmethod
    def from_record(cls, record: dict) -> Passage:
        """Return the passage of a record written by to_record."""
        header = record.get("header")
        return cls(**{**record, "header": tuple(header) if header else None})


def split_document(
    source: str,
    text: str,
    pages: tuple[int, ...],
    max_chars: int,
    min_chars: int,
    language: str = "en",
) -> list[Passage]:
    """Split a document; a paged one (PDF) page by page, so no passage spans two pages."""
    if not pages:
        return split_passages(source, text, max_chars, min_chars, language)
    lines = LineIndex(text)
    ends = [*pages[1:], len(text)]
    return [
        replace(p, page=number, page_line=lines.line_of(start))
        for number, (start, end) in enumerate(zip(pages, ends, strict=True), 1)
        for p in split_within(source, text, start, end, lines, max_chars, min_chars, language)
    ]


def split_within(
    source: str,
    text: str,
    start: int,
    end: int,
    lines: LineIndex,
    max_chars: int,
    min_chars: int,
    language: str = "en",
    guesses: bool = True,
) -> list[Passage]:
    """Split text[start:end] as a document of its own; offsets and lines count in the whole text."""
    return [
        replace(
            p,
            start=p.start + start,
            end=p.end + start,
            body_start=p.body_start + start,
            header=p.header
            and (p.header[0] + start, p.header[1] + start, lines.line_of(p.header[0] + start)),
            line_start=lines.line_of(p.start + start),
            line_end=lines.line_of(p.end + start - 1),
        )
        for p in split_passages(source, text[start:end], max_chars, min_chars, language, guesses)
    ]


class LineIndex:
    """Map character offsets of a text to 1-based line numbers."""

    def __init__(self, text: str):
        self.line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]

    def line_of(self, offset: int) -> int:
        """Return the line holding the character at offset."""
        return bisect.bisect_right(self.line_starts, offset)


def split_passages(
    source: str,
    text: str,
    max_chars: int,
    min_chars: int,
    language: str = "en",
    guesses: bool = True,
) -> list[Passage]:
    """Split a decoded document into passages: paragraph chunks (with their heading) and rows.

    guesses=False takes only marked (Markdown) headings, never a short line for one.
    """
    lines = classify(text, guesses)
    lines_index = LineIndex(text)
    passages: list[Passage] = []
    title = heading = None
    pending: list[tuple[int, int]] = []  # paragraph spans waiting to be packed
    headings_end = 0  # end of the heading lines at the head of `pending`

    def make(start, end, kind, prefix_parts: list[str | None], header=None) -> Passage:
        parts = [p for i, p in enumerate(prefix_parts) if p and p not in prefix_parts[:i]]
        body_start = min(max(start, headings_end), end)
        while body_start < end and text[body_start].isspace():
            body_start += 1
        return Passage(
            source=source,
            start=start,
            end=end,
            line_start=lines_index.line_of(start),
            line_end=lines_index.line_of(end - 1),
            heading=heading,
            kind=kind,
            prefix="\n".join(parts),
            text=text[start:end],
            body_start=body_start,
            header=header,
        )

    def flush() -> None:
        nonlocal headings_end
        for start, end in _pack(text, pending, max_chars, min_chars, language):
            passages.append(make(start, end, "text", [title, heading]))
        pending.clear()
        headings_end = 0

    table_header: tuple[int, int] | None = None
    after_blank = has_body = False
    for i, line in enumerate(lines):
        if line.kind == "table" and pending and not has_body:
            # Headings right above a table title its rows (in their prefix), not a passage alone.
            pending.clear()
        # Headings in a row stay together with the text that follows them.
        if line.kind in ("table", "separator") or (line.kind == "heading" and has_body):
            flush()
            has_body = False
        if line.kind == "heading":
            heading = line.heading
            title = title or heading
            # The heading opens the passage below it, so a headline is searchable and quotable.
            pending.append((line.start, line.end))
            headings_end = line.end
        elif line.kind == "table":
            is_header = i + 1 < len(lines) and lines[i + 1].kind == "separator"
            if is_header:
                table_header = (line.start, line.end, lines_index.line_of(line.start))
            else:
                if i == 0 or lines[i - 1].kind not in ("table", "separator"):
                    table_header = None
                header_text = table_header and text[table_header[0] : table_header[1]]
                passages.append(
                    make(
                        line.start,
                        line.end,
                        "table-row",
                        [title, heading, header_text],
                        table_header,
                    )
                )
        elif line.kind in ("text", "item"):
            has_body = True
            if pending and not after_blank and _continues(text, pending[-1], line):
                pending[-1] = (pending[-1][0], line.end)
            else:
                pending.append((line.start, line.end))
        after_blank = line.kind in ("blank", "heading")
    flush()
    return passages


def _continues(text: str, previous: tuple[int, int], line: Line) -> bool:
    """Whether line continues the previous paragraph (a hard-wrapped line)."""
    if line.kind == "item":
        return False
    return not text[previous[0] : previous[1]].rstrip().endswith(_TERMINAL)


def _pack(text: str, paragraphs: list, max_chars: int, min_chars: int, language: str = "en"):
    """Yield passage spans: long paragraphs cut between sentences, short ones merged."""
    pieces = []
    for start, end in paragraphs:
        if end - start <= max_chars:
            pieces.append((start, end))
        else:
            pieces.extend(_cut_long(text, start, end, max_chars, language))
    merged: list[tuple[int, int]] = []
    for start, end in pieces:
        if merged:
            last_start, last_end = merged[-1]
            short = (last_end - last_start) < min_chars or (end - start) < min_chars
            if short and end - last_start <= max_chars:
                merged[-1] = (last_start, end)
                continue
        merged.append((start, end))
    return merged


def _cut_long(text: str, start: int, end: int, max_chars: int, language: str) -> list:
    """Cut a long paragraph into spans of whole sentences, each at most max_chars."""
    spans = []
    for s_start, s_end in sentence_spans(text, start, end, language):
        while s_end - s_start > max_chars:  # one enormous sentence: cut at a space
            cut = text.rfind(" ", s_start, s_start + max_chars)
            cut = cut if cut > s_start else s_start + max_chars
            spans.append((s_start, cut))
            s_start = cut
            while s_start < s_end and text[s_start].isspace():
                s_start += 1
        if spans and s_end - spans[-1][0] <= max_chars:
            spans[-1] = (spans[-1][0], s_end)
        elif s_start < s_end:
            spans.append((s_start, s_end))
    return spans
