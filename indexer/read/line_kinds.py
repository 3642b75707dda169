"""What each line of a text is: blank, heading (marked or looking like one), table, item, text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .sentences import _LINE_BREAK, _LIST_ITEM, _TERMINAL

_MD_HEADING = re.compile(r"\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_TABLE_SEPARATOR = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_HEADING_MAX_CHARS = 150
# A line ending in one of these words runs on into the next line: it is not a heading.
_RUN_ON_WORDS = {
    "a", "an", "the", "and", "or", "but", "nor", "of", "to", "in", "on", "at", "by", "for",
    "from", "with", "as", "that", "which", "who", "whose", "is", "are", "was", "were", "be",
    "its", "their", "his", "her", "our", "this", "these", "than", "into", "over", "under",
}  # fmt: skip


@dataclass
class Line:
    """One line of a text: where its content stands, its kind, and its heading text if any."""

    start: int
    end: int  # end of content, line break excluded
    kind: str  # "blank", "heading", "table", "separator", "item", "text"
    heading: str | None = None


def classify(text: str, guesses: bool = True) -> list[Line]:
    """Give each line of text a kind; heading-like lines get their heading text."""
    lines, start = [], 0
    for brk in list(_LINE_BREAK.finditer(text)) + [None]:
        end = brk.start() if brk else len(text)
        lines.append(Line(start, end, "text"))
        start = brk.end() if brk else len(text)
    wrap = _wrap_width(text, lines)
    for i, line in enumerate(lines):
        content = text[line.start : line.end]
        stripped = content.strip()
        if not stripped:
            line.kind = "blank"
        elif _TABLE_SEPARATOR.match(content) and "|" in content:
            line.kind = "separator"
        elif stripped.startswith("|"):
            line.kind = "table"
        elif match := _MD_HEADING.match(content):
            line.kind, line.heading = "heading", match.group(2) or stripped
        elif _LIST_ITEM.match(content):
            line.kind = "item"
        elif guesses and _looks_like_heading(text, lines, i, stripped, wrap):
            line.kind, line.heading = "heading", stripped
        # Trim surrounding whitespace so passages never start or end with blanks.
        if line.kind != "blank":
            line.start += len(content) - len(content.lstrip())
            line.end -= len(content) - len(content.rstrip())
    return lines


def _wrap_width(text: str, lines: list[Line]) -> int:
    """Return the column a hard-wrapped text is wrapped at, or 0 if its lines are paragraphs."""
    lengths = [len(text[ln.start : ln.end].strip()) for ln in lines]
    lengths = [n for n in lengths if n]
    if len(lengths) < 3 or max(lengths) > 120:
        return 0
    widest = max(lengths)
    return widest if sum(n >= 0.75 * widest for n in lengths) >= len(lengths) / 2 else 0


def _looks_like_heading(text: str, lines: list[Line], i: int, stripped: str, wrap: int) -> bool:
    """A short line with no closing punctuation that is neither wrapped nor wrapping."""
    if len(stripped) > _HEADING_MAX_CHARS or stripped.endswith((*_TERMINAL, ",", "-")):
        return False
    if stripped.rsplit(None, 1)[-1].lower() in _RUN_ON_WORDS:
        return False
    following_blank = i + 1 >= len(lines) or not text[lines[i + 1].start : lines[i + 1].end].strip()
    if wrap and len(stripped) >= 0.7 * wrap and not following_blank:
        return False  # a full-width line of hard-wrapped text
    if not (stripped[0].isupper() or stripped[0].isdigit() or stripped[0] in "\"'“‘"):
        return False
    if i > 0:
        previous = text[lines[i - 1].start : lines[i - 1].end].strip()
        if previous and lines[i - 1].kind in ("text", "item") and not previous.endswith(_TERMINAL):
            return False  # the previous line wraps into this one
    if i + 1 < len(lines):
        following = text[lines[i + 1].start : lines[i + 1].end].lstrip()
        if following[:1].islower():
            return False  # this line wraps into the next one
    return True
