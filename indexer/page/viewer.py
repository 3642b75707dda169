"""The document viewer: a file's indexed text with line numbers and page markers, a span marked.

Citations link here as "#cite=<start>:<end>:<file>"; the page turns a click on such a link into
a request to this module. Document text is always escaped: it never runs as HTML.
"""

from __future__ import annotations

import bisect
import hashlib
from urllib.parse import unquote

from ..read.formats import PDF_PAGE_BREAK
from ..read.passages import LineIndex
from .render import escape_html, stale_html

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
    source: str,
    text: str,
    span: tuple[int, int] | None = None,
    page_starts=None,
    link: str = "",
    parts=None,
    change: str = "",
) -> str:
    """Return the viewer's HTML: numbered lines (counted within each page of a PDF), span marked.

    parts (read.paged.Parts) names slides and sheets; a sheet's lines show its row numbers.
    change (Freshness.change) says the file no longer holds this text, above it.

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
                marker = escape_html(_part_name(parts, page_lines[number]))
                rows.append(f'<div class="page-marker">{marker}</div>')
        if number < shown.start:
            continue
        begin = starts[number - 1]
        finish = starts[number] if number < count else len(text)
        content = text[begin:finish].rstrip("\r\n")
        cell = _marked(content, begin, span)
        shown_number = number - page_first + 1
        if parts is not None and parts.kind == "sheet":
            row = parts.row_of(len([n for n in page_lines if n <= number]), shown_number)
            shown_number = row if row is not None else ""
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
    toggle = '<label class="wrap-toggle"><input type="checkbox"> long lines unwrapped</label>'
    # The title, its toggle and the notes stand above the scrolled lines, never scrolled away.
    title = f'<div class="doc-title"><span>{escape_html(source)}</span>{toggle}</div>'
    cite = f' data-cite="{escape_html(link)}"' if link else ""
    lines_box = f'<div class="doc"{cite}>{"".join(rows)}</div>'
    return f'<div class="doc-view">{title}{stale_html(change)}{note}{lines_box}</div>'


def _part_name(parts, number: int) -> str:
    """Return what a page marker says: 'page 3', 'slide 3' or 'sheet "2024"'."""
    if parts is None or parts.kind == "page":
        return f"page {number}"
    if parts.kind == "slide":
        return f"slide {number}"
    label = parts.labels[number - 1] if number <= len(parts.labels) else ""
    return f'sheet "{label}"' if label else f"sheet {number}"


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


def page_figure(source: str, data: bytes | None, entry, text: str, span, scans=None) -> str:
    """Return the cited page (PDF or scan) drawn as an image with the quote's lines boxed.

    data is the file's bytes now; they must be the bytes that were indexed (entry.sha256),
    else the stored offsets would box other letters and no page is drawn. scans gives the
    OCR readings of scanned pages (their words' boxes).
    """
    from ..read.pdf import PdfError, page_view
    from ..read.scans import scanned_page_view

    if entry.format not in ("pdf", "image") or not span or not entry.page_starts:
        return ""
    if data is None or hashlib.sha256(data).hexdigest() != entry.sha256:
        return '<p class="muted">The file changed since it was indexed: its page is not drawn.</p>'
    starts = list(entry.page_starts)
    number = bisect.bisect_right(starts, span[0]) - 1
    page_start = starts[number]
    page_end = starts[number + 1] - len(PDF_PAGE_BREAK) if number + 1 < len(starts) else len(text)
    start, end, indexed = span[0] - page_start, span[1] - page_start, text[page_start:page_end]
    mark = scans.of(source, number + 1) if scans is not None else None
    try:
        if mark is None:
            view = page_view(data, number, start, end, indexed)
        elif mark.reading is None or mark.reading.text != indexed:
            view = None
        else:
            view = scanned_page_view(data, entry.format, number, mark.reading, start, end)
    except (PdfError, OSError, ValueError, EOFError):
        view = None
    if view is None:
        return '<p class="muted">This page reads differently now: it is not drawn.</p>'
    boxes = "".join(
        f'<span class="hl" style="left:{left:.3%};top:{top:.3%};width:{width:.3%};'
        f'height:{height:.3%}"></span>'
        for left, top, width, height in view.boxes
    )
    label = escape_html(f"{source}, page {number + 1}" + (", read by OCR" if mark else ""))
    return (
        f'<figure class="page-image" data-page="{number + 1}"><div class="page-frame">'
        f'<img src="{view.data_uri()}" alt="{label}">{boxes}</div>'
        f"<figcaption>{label}, the quote boxed</figcaption></figure>"
    )
