"""What find found, as the terminal shows it: counts, then each file's matches highlighted."""

from __future__ import annotations

import re

from ..errors import counted
from ..records import where_in_file

BEFORE, AFTER = 100, 220  # characters of a passage shown around its first highlight
_SPACES = re.compile(r"\s+")


def found_text(found, mark=None) -> str:
    """Return a page of find's results: the counts, each file with its matches, where next."""
    mark = mark or (lambda words: f"**{words}**")
    files = counted(found.files, "file")
    lines = [
        f"{counted(found.total, 'passage')} in {files} match (by {found.ranked_by}; "
        f"page {found.page} of {found.pages})."
    ]
    for group in found.groups:
        lines += ["", f"{group.source} — {counted(group.count, 'passage')}"]
        for match in group.matches:
            hit = match.hit
            heading = f' — "{hit.heading}"' if hit.heading else ""
            lines.append(f"  {where_in_file(hit) or hit.source}{heading}")
            lines.append(f"    {excerpt(hit.text, match.highlights, mark)}")
    if found.page < found.pages:
        lines += ["", f"More: --page {found.page + 1} (of {found.pages})."]
    return "\n".join(lines)


def excerpt(text: str, spans, mark) -> str:
    """Return the part of a passage around its first highlight, highlights marked, on one line."""
    first = spans[0][0] if spans else 0
    start = max(0, first - BEFORE)
    end = min(len(text), max(first + AFTER, spans[0][1] if spans else 0))
    pieces, at = [], start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        pieces += [_one_line(text[at:span_start]), mark(_one_line(text[span_start:span_end]))]
        at = span_end
    pieces.append(_one_line(text[at:end]))
    return ("…" if start else "") + "".join(pieces) + ("…" if end < len(text) else "")


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text)
