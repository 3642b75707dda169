"""How OCR's words are laid out as text: lines, and a blank line only at a real paragraph break.

Tesseract numbers each word's block, paragraph and line, but its paragraphs are guesses: the
short last line of a paragraph, or every line of a widely spaced page, may come as a paragraph
of its own ("…automatically from the control", a blank line, "room."). So a new paragraph is
kept only where the page shows one: its first line stands clearly further below the line
before it than the page's lines stand apart, or beside it (another column), or the line before
ends a sentence well short of its column's right edge (pages set with no space between
paragraphs).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from itertools import pairwise

from .sentences import _TERMINAL

# A line this much further below the previous one than the page's line pitch starts a
# paragraph. Measured on pages drawn at 150 to 300 dpi with 1.2 to 2.0 line spacing: a wrapped
# line stands within 5 % of the pitch; a paragraph set a third of a line apart, 15 % further.
PARAGRAPH_SPACING = 1.1
SHORT_LINE = 0.8  # a line ending before this share of its column's width is a paragraph's last
# Letters that reach below the baseline: a line's baseline is read from the words without them.
_DESCENDING = frozenset("gjpqyQ,;()[]{}|/@$µ")


@dataclass(frozen=True)
class _Line:
    place: tuple[int, int]  # (block, paragraph) as Tesseract numbered it
    baseline: float
    left: int
    right: int
    ends_sentence: bool


def line_words(words) -> list[list[int]]:
    """Group the words (in reading order) into lines: the indexes of each line's words."""
    lines: list[list[int]] = []
    previous = None
    for number, word in enumerate(words):
        place = (word.paragraph, word.line)
        if place != previous:
            lines.append([])
        lines[-1].append(number)
        previous = place
    return lines


def separators(words, lines: list[list[int]]) -> list[str]:
    """Return what stands before each line: nothing, a line break, or a blank line."""
    shapes = [_shape(words, line) for line in lines]
    pitch = _line_pitch(shapes)
    edges = _column_edges(shapes)
    found = [""] if shapes else []
    for above, below in pairwise(shapes):
        gap = below.baseline - above.baseline
        spaced = pitch is not None and gap > PARAGRAPH_SPACING * pitch
        if above.place == below.place:  # Tesseract's paragraphs may hold a spaced break too
            found.append("\n\n" if spaced else "\n")
            continue
        beside = below.left > above.right or below.right < above.left
        left, right = edges[above.place[0]]
        last = above.ends_sentence and above.right < left + SHORT_LINE * (right - left)
        wrapped = pitch and gap > 0 and not (spaced or beside or last)
        found.append("\n" if wrapped else "\n\n")
    return found


def _column_edges(shapes: list[_Line]) -> dict[int, tuple[int, float]]:
    """Return each block's left edge and the right edge its full lines reach (their median)."""
    blocks: dict[int, list[_Line]] = {}
    for shape in shapes:
        blocks.setdefault(shape.place[0], []).append(shape)
    return {
        block: (min(s.left for s in lines), statistics.median(s.right for s in lines))
        for block, lines in blocks.items()
    }


def _shape(words, line: list[int]) -> _Line:
    chosen = [words[i] for i in line]
    level = [w for w in chosen if not _DESCENDING & set(w.text)] or chosen
    return _Line(
        chosen[0].paragraph,
        statistics.median(w.top + w.height for w in level),
        min(w.left for w in chosen),
        max(w.left + w.width for w in chosen),
        chosen[-1].text.endswith(_TERMINAL),
    )


def _line_pitch(shapes: list[_Line]) -> float | None:
    """Return how far apart a paragraph's lines stand, or None when the page cannot tell.

    The closest lines of one paragraph (Tesseract's paragraphs may hold a real break too);
    when every line is a paragraph of its own, the closest lines, if some stand further.
    """
    pairs = list(pairwise(shapes))
    within = [b.baseline - a.baseline for a, b in pairs if a.place == b.place]
    gaps = [gap for gap in within if gap > 0] or [
        b.baseline - a.baseline for a, b in pairs if b.baseline > a.baseline
    ]
    if not gaps:
        return None
    floor = 0.6 * statistics.median(gaps)  # not a line set close over another (a superscript)
    pitch = min(gap for gap in gaps if gap >= floor)
    if not any(gap > 0 for gap in within) and max(gaps) <= PARAGRAPH_SPACING * pitch:
        return None  # lines all equally far apart: nothing shows which are wrapped
    return pitch
