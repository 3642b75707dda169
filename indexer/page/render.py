"""Show answers, sources and reports to people: plain text, escaped Markdown, escaped HTML."""

from __future__ import annotations

import html
import os
import re
from urllib.parse import quote

from ..records import format_citation, header_place, where_in_file
from ..search.freshness import CHANGED, DELETED
from ..search.spelling import spelling_note

REFUSAL = "The documents do not answer this question."


def answer_text(answer, mark=None) -> str:
    """Return the answer as plain text (CLI and API): quotes with [n] markers, then citations.

    mark, if given, wraps the words of a quote that answer (a terminal shows them in bold).
    """
    if answer.refused:
        lines = [_read_words(answer) + f"{REFUSAL} {answer.reason}".strip()]
        if answer.related:
            lines += ["", "Possibly related:"]
            lines += [
                f"  - {format_citation(hit)}: {shorten(hit.text, 100)}" for hit in answer.related
            ]
        return "\n".join(lines)
    quotes = [
        _header_line(quote, shorten) + f"“{marked(quote, str, mark)}” [{n}]"
        for n, quote in enumerate(answer.quotes, 1)
    ]
    citations = [
        f"[{n}] {answer.citation(quote)} ({confidence(quote.score)})"
        for n, quote in enumerate(answer.quotes, 1)
    ]
    return _read_words(answer) + "\n\n".join(quotes) + "\n\n" + "\n".join(citations)


def _read_words(answer, escape=str) -> str:
    """Return how misspelt words of the question were read, on a line of its own, or ""."""
    note = spelling_note(getattr(answer, "spelling", ()))
    return escape(note) + "\n\n" if note else ""


def marked(quote, escape, mark=None) -> str:
    """Return a quote's text, stripped and escaped, its answering words wrapped by mark."""
    text, span = quote.text, quote.answer_in_quote
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    if mark is None or span is None:
        return escape(text)
    start, end = span[0] - lead, span[1] - lead
    return escape(text[:start]) + mark(escape(text[start:end])) + escape(text[end:])


def terminal_mark(stream):
    """Return a mark showing answering words in bold on a terminal (not with NO_COLOR), or None."""
    if not stream.isatty() or os.environ.get("NO_COLOR"):
        return None
    return lambda words: f"\033[1m{words}\033[22m"


def confidence(probability: float) -> str:
    """Say how likely a quote is to answer: the calibrated probability, in words a reader uses."""
    return f"{probability:.0%} likely to answer"


def _header_line(quote, clean) -> str:
    """Return the line that shows a quoted table row's header above it, or nothing."""
    header = quote.table_header
    if header is None:
        return ""
    where = header_place(quote)  # where citations count: a sheet's row, a page's line
    return f"(table header{', ' if where else ''}{where}: {clean(header['text'], 400)})\n"


def hits_text(hits) -> str:
    """Return ranked passages as plain text (CLI search): rank, citation, scores, text clipped.

    The scores shown are ones a reader can compare: the passage's (or its best sentence's)
    cosine similarity to the query, and its BM25 keyword score (0: no query word in it).
    """
    return "\n".join(
        f"{n:2}. {format_citation(hit)}\n    similarity {_similarity(hit)} · keywords "
        f"{hit.keyword_score:.1f}\n    {shorten(hit.text, 100)}"
        for n, hit in enumerate(hits, 1)
    )


def _similarity(hit) -> str:
    return "—" if hit.dense_score is None else f"{hit.dense_score:.2f}"


def answer_markdown(answer) -> str:
    """Return the answer for the chat: document text escaped, so it reads as plain text."""
    if answer.refused:
        parts = [
            _read_words(answer, escape_markdown)
            + f"**{REFUSAL}** {escape_markdown(answer.reason)}".strip()
        ]
        if answer.related:
            parts.append("Possibly related passages:")
            parts.append(
                "\n".join(
                    f"- {escape_markdown(format_citation(hit))}: "
                    f"“{escape_markdown(shorten(hit.text, 160))}”"
                    for hit in answer.related
                )
            )
        return "\n\n".join(parts)
    quotes = [
        _header_line(quote, lambda text, _: escape_markdown(text)).replace("\n", "  \n")
        + f"“{marked(quote, escape_markdown, lambda words: f'**{words}**')}” \\[{n}\\]"
        for n, quote in enumerate(answer.quotes, 1)
    ]
    citations = "  \n".join(
        f"<sub>\\[{n}\\] [{escape_markdown(answer.citation(quote))}]"
        f"({cite_link(quote.source, quote.start, quote.end)}) · {confidence(quote.score)}</sub>"
        for n, quote in enumerate(answer.quotes, 1)
    )
    return _read_words(answer, escape_markdown) + "\n\n".join(quotes) + "\n\n" + citations


def sources_html(answer) -> str:
    """Return the sources panel: each cited passage in full, quoted part in <mark>.

    A table row is shown under its table's header row. gr.HTML does not sanitise, so every
    piece of document text is escaped here.
    """
    headers = table_headers(answer)
    if answer.refused:
        if not answer.related:
            return f'<p class="muted">{escape_html(f"{REFUSAL} {answer.reason}")}</p>'
        cards = [
            _passage_card(f"{n}", hit, [], f"similarity {hit.dense_score:.2f}", "related", headers)
            for n, hit in enumerate(answer.related, 1)
        ]
        said = escape_html(f"{REFUSAL} {answer.reason}")
        intro = f'<p class="muted">{said} Possibly related passages:</p>'
        return intro + "".join(cards)
    cards = [
        _passage_card(
            f"[{n}]",
            quote.hit,
            [(quote.start, quote.end)],
            confidence(quote.score),
            "quote",
            headers,
        )
        for n, quote in enumerate(answer.quotes, 1)
    ]
    return "".join(cards)


def _passage_card(label, hit, spans, score: str, kind: str, headers: dict[int, str]) -> str:
    start, end = spans[0] if spans else (hit.start, hit.end)
    link = escape_html(cite_link(hit.source, start, end))
    # Where the passage stands: "p. 2 · lines 3–5", "slide 4 · line 2", 'sheet "2024" · row 17'.
    lines = escape_html(where_in_file(hit, " · ", "–"))
    heading = f" · “{escape_html(hit.heading)}”" if hit.heading else ""
    copies = f" (also {escape_html(', '.join(hit.copies))})" if hit.copies else ""
    if hit.scan is not None:
        sure = hit.scan.span_confidence(start, end)
        heading += f' · <span class="ocr-mark">read by OCR, {sure:.0%} confidence</span>'
    head = (
        f'<div class="source-head"><b>{escape_html(label)}</b> '
        f'<span class="source-file">{escape_html(hit.source)}</span>{copies} · '
        f"{lines}{heading} · {score} · "
        f'<a class="cite" href="{link}">open in the document</a></div>'
    )
    header = headers.get(hit.position)
    context = (
        f'<div class="table-header muted" title="the table\'s header row">'
        f"{escape_html(header)}</div>"
        if header
        else ""
    )
    body = highlight(hit.text, hit.start, spans)
    stale = stale_html(CHANGED) if hit.stale else ""
    return (
        f'<section class="source {kind}" data-source="{escape_html(hit.source)}">'
        f'{head}{stale}{context}<div class="passage" style="white-space: pre-wrap">{body}</div>'
        "</section>"
    )


# What is said above text shown from a file that no longer holds what was indexed.
STALE_NOTES = {
    CHANGED: "The file changed since it was indexed: this is its text as indexed. "
    "Rebuild the index to quote it as it is now.",
    DELETED: "The file was deleted since it was indexed: this is its text as indexed. "
    "Rebuild the index to remove it.",
}


def stale_html(change: str) -> str:
    """Return the notice over text from a file that changed or went since indexing, or ""."""
    if not change:
        return ""
    return f'<div class="stale-note" role="note">{escape_html(STALE_NOTES[change])}</div>'


def table_headers(answer) -> dict[int, str]:
    """Return the header row of each table row shown, by passage position."""
    hits = [q.hit for q in answer.quotes] + list(answer.related)
    return {hit.position: hit.passage.header_text for hit in hits if hit.passage.header}


def highlight(text: str, offset: int, spans: list[tuple[int, int]]) -> str:
    """Escape text and wrap each span (offsets into the source; text starts at offset)."""
    pieces, cursor = [], 0
    for start, end in sorted(spans):
        start, end = max(start - offset, cursor), min(end - offset, len(text))
        if start >= end:
            continue
        pieces.append(escape_html(text[cursor:start]))
        pieces.append(f"<mark>{escape_html(text[start:end])}</mark>")
        cursor = end
    pieces.append(escape_html(text[cursor:]))
    return "".join(pieces)


def escape_html(text: str) -> str:
    """Escape text for gr.HTML, including the characters its templates give meaning to."""
    escaped = html.escape(text or "", quote=True)
    return escaped.translate(
        {ord("$"): "&#36;", ord("{"): "&#123;", ord("}"): "&#125;", ord("`"): "&#96;"}
    )


# Numeric character references, not backslashes: a reference is never syntax to Markdown,
# while Gradio's renderer still read an escaped "[a](b)" inside a link's text as a second link.
_MARKDOWN_SPECIAL = "\\`*_[]()#|~$<>"
_MARKDOWN_LITERAL = {ord(c): f"&#{ord(c)};" for c in _MARKDOWN_SPECIAL}
_MARKDOWN_ESCAPED = {ord(c): f"\\{c}" for c in _MARKDOWN_SPECIAL}


def escape_markdown(text: str) -> str:
    """Escape text so Markdown shows it literally: no formatting, links, HTML or LaTeX."""
    text = (text or "").replace("&", "&amp;").translate(_MARKDOWN_LITERAL)
    # A line starting "1." or "- " would become a list item; escaped, it stays a sentence.
    text = re.sub(r"(?m)^(\s*\d+)\.(?=\s|$)", r"\1&#46;", text)
    return re.sub(r"(?m)^(\s*)([-+])(?=\s|$)", lambda m: f"{m[1]}&#{ord(m[2])};", text)


def escape_markdown_file(text: str) -> str:
    """Escape text for a Markdown file read in any viewer: backslashes, readable as plain text."""
    text = (text or "").translate(_MARKDOWN_ESCAPED)
    text = re.sub(r"(?m)^(\s*\d+)\.(?=\s|$)", r"\1\\.", text)
    return re.sub(r"(?m)^(\s*)([-+])(?=\s|$)", r"\1\\\2", text)


def cite_link(source: str, start: int, end: int) -> str:
    """Return the link a citation carries to open its span in the document viewer."""
    return "#cite=" + quote(f"{start}:{end}:{source}", safe="")


def sources_records(answer) -> list[dict]:
    """Return the sources as JSON-ready dicts: quotes, or related passages on a refusal."""
    kind, items = ("related", answer.related) if answer.refused else ("quote", answer.quotes)
    return [{"n": n, "kind": kind, **item.to_record()} for n, item in enumerate(items, 1)]


def shorten(text: str, limit: int = 100) -> str:
    """Return text on one line, cut to limit characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def toast_text(error: Exception) -> str:
    """Return an error's sentence for a toast, which renders HTML."""
    return html.escape(str(error), quote=False)
