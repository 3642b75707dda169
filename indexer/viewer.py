"""The document viewer: a file's indexed text with line numbers and page markers, a span marked.

Citations link here as "#cite=<start>:<end>:<file>"; the page turns a click on such a link into
a request to this module. Document text is always escaped: it never runs as HTML.
"""

from __future__ import annotations

from urllib.parse import unquote

from .passages import LineIndex
from .render import escape_html

CONTEXT_LINES = 300  # lines shown around a cited span in a long document
WHOLE_LINES = 3000  # documents up to this many lines are shown whole


def parse_link(request: str) -> tuple[str, int, int] | None:
    """Return (file, start, end) of a citation link or its payload, or None if it is not one."""
    payload = unquote(request.removeprefix("#cite=").strip())
    start, _, rest = payload.partition(":")
    end, _, source = rest.partition(":")
    if not (start.isdigit() and end.isdigit() and source):
        return None
    return source, int(start), int(end)


def document_html(
    source: str, text: str, span: tuple[int, int] | None = None, page_starts=None, link: str = ""
) -> str:
    """Return the viewer's HTML: numbered lines (counted within each page of a PDF), span marked.

    A long document is shown around the span (or from its start), with a note saying so.
    """
    lines = LineIndex(text)
    starts = lines.line_starts
    count = len(starts)
    first_line = lines.line_of(span[0]) if span else 1
    last_line = lines.line_of(max(span[1] - 1, span[0])) if span else 1
    if count <= WHOLE_LINES:
        shown = range(1, count + 1)
    else:
        shown = range(max(1, first_line - CONTEXT_LINES), min(count, last_line + CONTEXT_LINES) + 1)
    page_lines = {
        lines.line_of(offset): number for number, offset in enumerate(page_starts or [], 1)
    }
    page_first = 1
    rows = []
    for number in range(1, shown.stop):
        if number in page_lines:
            page_first = number
            if number >= shown.start:
                rows.append(f'<div class="page-marker">page {page_lines[number]}</div>')
        if number < shown.start:
            continue
        begin = starts[number - 1]
        finish = starts[number] if number < count else len(text)
        content = text[begin:finish].rstrip("\r\n")
        cell = _marked(content, begin, span)
        shown_number = number - page_first + 1
        marked = " cited" if span and first_line <= number <= last_line else ""
        rows.append(
            f'<div class="row{marked}" id="L{number}"><span class="ln">{shown_number}</span>'
            f'<span class="tx">{cell or "&#8203;"}</span></div>'
        )
    note = ""
    if len(shown) < count:
        note = (
            f'<p class="muted">Lines {shown.start}–{shown.stop - 1} of {count}; the whole text is '
            "in the indexed-text box below.</p>"
        )
    title = f'<div class="doc-title">{escape_html(source)}</div>'
    cite = f' data-cite="{escape_html(link)}"' if link else ""
    return f'<div class="doc"{cite}>{title}{note}{"".join(rows)}</div>'


def _marked(content: str, begin: int, span: tuple[int, int] | None) -> str:
    """Escape a line, marking the part of it inside the span."""
    if not span or span[1] <= begin or span[0] >= begin + len(content):
        return escape_html(content)
    start, end = max(span[0] - begin, 0), min(span[1] - begin, len(content))
    return (
        escape_html(content[:start])
        + f"<mark>{escape_html(content[start:end])}</mark>"
        + escape_html(content[end:])
    )
