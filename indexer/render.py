"""Show answers, sources and reports to people: plain text, escaped Markdown, escaped HTML."""

from __future__ import annotations

import html
import re

from .answers import format_citation

REFUSAL = "The documents do not answer this question."


def answer_text(answer) -> str:
    """Return the answer as plain text: quotes with [n] markers, then the citations."""
    if answer.refused:
        lines = [REFUSAL]
        if answer.related:
            lines += ["", "Possibly related:"]
            lines += [f"- {format_citation(hit)}" for hit in answer.related]
        return "\n".join(lines)
    quotes = [f"“{quote.text.strip()}” [{n}]" for n, quote in enumerate(answer.quotes, 1)]
    citations = [f"[{n}] {answer.citation(quote)}" for n, quote in enumerate(answer.quotes, 1)]
    return "\n\n".join(quotes) + "\n\n" + "\n".join(citations)


def answer_markdown(answer) -> str:
    """Return the answer for the chat: document text escaped, so it reads as plain text."""
    if answer.refused:
        parts = [f"**{REFUSAL}**"]
        if answer.related:
            parts.append("Possibly related passages:")
            parts.append(
                "\n".join(
                    f"- {escape_markdown(format_citation(hit))}: "
                    f"“{escape_markdown(_shorten(hit.text, 160))}”"
                    for hit in answer.related
                )
            )
        return "\n\n".join(parts)
    quotes = [
        f"“{escape_markdown(quote.text.strip())}” \\[{n}\\]"
        for n, quote in enumerate(answer.quotes, 1)
    ]
    citations = "  \n".join(
        f"<sub>\\[{n}\\] {escape_markdown(answer.citation(quote))}</sub>"
        for n, quote in enumerate(answer.quotes, 1)
    )
    return "\n\n".join(quotes) + "\n\n" + citations


def sources_html(answer, headers: dict[int, str] | None = None) -> str:
    """Return the sources panel: each cited passage in full, quoted part in <mark>.

    headers maps a table row's passage position to its table's header row, shown above it.
    gr.HTML does not sanitise, so every piece of document text is escaped here.
    """
    headers = headers or {}
    if answer.refused:
        if not answer.related:
            return f'<p class="muted">{html.escape(REFUSAL)}</p>'
        cards = [
            _passage_card(f"{n}", hit, [], f"similarity {hit.dense_score:.2f}", "related", headers)
            for n, hit in enumerate(answer.related, 1)
        ]
        intro = f'<p class="muted">{html.escape(REFUSAL)} Possibly related passages:</p>'
        return intro + "".join(cards)
    cards = [
        _passage_card(
            f"[{n}]",
            quote.passage,
            [(quote.start, quote.end)],
            f"score {quote.score:.2f}",
            "quote",
            headers,
        )
        for n, quote in enumerate(answer.quotes, 1)
    ]
    return "".join(cards)


def _passage_card(label, hit, spans, score: str, kind: str, headers: dict[int, str]) -> str:
    lines = (
        f"line {hit.line_start}"
        if hit.line_start == hit.line_end
        else f"lines {hit.line_start}–{hit.line_end}"
    )
    heading = f" · “{escape_html(hit.heading)}”" if hit.heading else ""
    page = f"p. {hit.page} · " if hit.page else ""
    copies = f" (also {escape_html(', '.join(hit.copies))})" if hit.copies else ""
    head = (
        f'<div class="source-head"><b>{escape_html(label)}</b> '
        f'<span class="source-file">{escape_html(hit.source)}</span>{copies} · '
        f"{page}{lines}{heading} · {score}</div>"
    )
    header = headers.get(hit.position)
    context = (
        f'<div class="table-header muted" title="the table\'s header row">'
        f"{escape_html(header)}</div>"
        if header
        else ""
    )
    body = highlight(hit.text, hit.start, spans)
    return (
        f'<section class="source {kind}" data-source="{escape_html(hit.source)}">'
        f'{head}{context}<div class="passage" style="white-space: pre-wrap">{body}</div>'
        "</section>"
    )


def table_headers(index, answer) -> dict[int, str]:
    """Return the header row of each table row shown, by passage position in index."""
    passages = getattr(index, "passages", None) or []
    hits = [q.passage for q in answer.quotes] + list(answer.related)
    headers = {}
    for hit in hits:
        passage = passages[hit.position] if 0 <= hit.position < len(passages) else None
        if passage is None or getattr(passage, "kind", "") != "table-row":
            continue
        rows = [line for line in passage.prefix.splitlines() if line.lstrip().startswith("|")]
        if rows:
            headers[hit.position] = rows[-1]
    return headers


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


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#|~$])")


def escape_markdown(text: str) -> str:
    """Escape text so Markdown shows it literally: no formatting, links, HTML or LaTeX."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text or "")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A line starting "1." or "- " would become a list item; escaped, it stays a sentence.
    text = re.sub(r"(?m)^(\s*\d+)\.(?=\s|$)", r"\1\\.", text)
    return re.sub(r"(?m)^(\s*)([-+])(?=\s|$)", r"\1\\\2", text)


def sources_records(answer) -> list[dict]:
    """Return the sources as JSON-ready dicts: quotes, or related passages on a refusal."""
    if answer.refused:
        return [
            _record(n, "related", hit, hit.text, hit.score)
            for n, hit in enumerate(answer.related, 1)
        ]
    return [_record(n, "quote", q, q.text, q.score) for n, q in enumerate(answer.quotes, 1)]


def _record(n: int, kind: str, item, text: str, score: float) -> dict:
    return {
        "n": n,
        "kind": kind,
        "text": text,
        "source": item.source,
        "start": item.start,
        "end": item.end,
        "line_start": item.line_start,
        "line_end": item.line_end,
        "heading": item.heading,
        "page": item.page,
        "section": item.section,
        "copies": list(item.copies),
        "score": round(float(score), 4),
        "citation": format_citation(item),
    }


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def toast_text(error: Exception) -> str:
    """Return an error's sentence for a toast, which renders HTML."""
    return html.escape(str(error), quote=False)


# -- the index panel ----------------------------------------------------------------------

_LISTED_FILES = 20


def manifest_markdown(manifest: dict) -> str:
    """Describe an index manifest in a few lines."""
    counts = manifest.get("counts", {})
    files = sorted(manifest.get("files", {}))
    built = str(manifest.get("built_at", "unknown")).replace("T", " ").replace("+00:00", " UTC")
    lines = [
        f"**{counts.get('files', len(files))} files, {counts.get('passages', '?')} passages** · "
        f"model `{_code(str(manifest.get('model', '?')))}` · built {built}",
        "",
        "Files: " + _name_list(files),
    ]
    skipped = manifest.get("skipped") or []
    if skipped:
        lines += [
            "",
            "Skipped: "
            + "; ".join(
                f"{escape_markdown(s['path'])} ({escape_markdown(s['reason'])})" for s in skipped
            ),
        ]
    return "\n".join(lines)


def report_markdown(report) -> str:
    """Describe a build report: files by fate, skipped files with their reasons."""
    rows = [
        ("Added", report.added),
        ("Changed", report.changed),
        ("Removed", report.removed),
        ("Renamed or moved", [f"{old} → {new}" for old, new in report.renamed]),
        ("Identical copies", [f"{copy} = {original}" for copy, original in report.duplicates]),
        ("Unchanged", report.unchanged),
    ]
    lines = [
        f"**Index updated** in {report.seconds:.1f} s: {report.passages} passages, "
        f"{report.embedded} newly embedded."
    ]
    for label, paths in rows:
        lines.append(f"- {label} ({len(paths)}): {_name_list(paths) if paths else '—'}")
    skipped = "; ".join(
        f"{escape_markdown(s.path)} ({escape_markdown(s.reason)})" for s in report.skipped
    )
    lines.append(f"- Skipped ({len(report.skipped)}): {skipped or '—'}")
    reason = getattr(report, "full_rebuild_reason", None)
    if reason:
        lines.append(f"\nEverything was re-embedded: {escape_markdown(reason)}")
    return "\n".join(lines)


def _name_list(paths: list[str]) -> str:
    shown = ", ".join(escape_markdown(p) for p in paths[:_LISTED_FILES])
    more = len(paths) - _LISTED_FILES
    return shown + (f" … and {more} more" if more > 0 else "") if paths else "none"


def _code(text: str) -> str:
    """Return text for a Markdown code span, which shows backslash escapes literally."""
    return text.replace("`", "'")
