"""Saved e-mail (.eml): a header block (Subject, From, To, Cc, Date, Attachments), then the body.

The header block is written as a printed message shows it, one `Name: value` line each, and
every line of it may be quoted alone ("Who sent it?" is answered by its From line). The body is
indexed as written; a message with only an HTML body is read through the HTML reader.
Attachments are named on the Attachments line, not read. The subject heads every passage.
"""

from __future__ import annotations

from dataclasses import replace
from email import policy
from email.parser import BytesParser

from .paged import Extracted, ExtractionError
from .passages import LineIndex, Passage, split_within

_HEADERS = ("Subject", "From", "To", "Cc", "Date")
_FIELDS = (*_HEADERS, "Attachments")
SUBJECT = "Subject: "


def extract_email(data: bytes, max_chars: int) -> Extracted:
    """Return the message's header lines, then its body after a blank line."""
    from .formats import extract_html
    from .paged import too_long

    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
        fields = [(name, _one_line(message[name])) for name in _HEADERS if message[name]]
        body = message.get_body(preferencelist=("plain", "html"))
        text = ""
        if body is not None:
            content = body.get_content()
            text = extract_html(content).text if body.get_content_type() == "text/html" else content
        names = [
            _one_line(part.get_filename()) or "(unnamed)" for part in message.iter_attachments()
        ]
    except Exception as error:  # the parser is lenient; a body that cannot decode still raises
        raise ExtractionError(f"damaged e-mail: {type(error).__name__}: {error}") from None
    if not any(name in message for name in ("From", "Subject", "Date", "To")):
        raise ExtractionError("not an e-mail message (no From, To, Subject or Date header)")
    if names:
        fields.append(("Attachments", ", ".join(names)))
    head = "\n".join(f"{name}: {value}" for name, value in fields if value)
    whole = "\n\n".join(
        part for part in (head, text.strip("\n").replace("\r\n", "\n")) if part.strip()
    )
    if len(whole) > max_chars:
        raise too_long(len(whole), max_chars)
    return Extracted(whole, "eml")


def _one_line(value) -> str:
    return " ".join(str(value or "").split())


def split_message(
    source: str, text: str, max_chars: int, min_chars: int, language: str = "en"
) -> list[Passage]:
    """Split a message's text: header lines (each quotable alone), then the body's paragraphs.

    Every passage is headed by the subject; the body's own lines are never taken for headings
    (a greeting or a signature is not a section), only the HTML reader's marked ones.
    """
    head_end = text.find("\n\n")
    head_end = len(text) if head_end < 0 else head_end
    head = text[:head_end].split("\n")
    if not all(line.split(": ", 1)[0] in _FIELDS for line in head):
        head, head_end = [], -2  # a message whose header fields are all empty: body only
    subject = next((line[len(SUBJECT) :] for line in head if line.startswith(SUBJECT)), None)
    lines = LineIndex(text)
    passages = _header_passages(source, text, head, subject, max_chars, lines)
    body_start = min(head_end + 2, len(text))
    body = split_within(
        source, text, body_start, len(text), lines, max_chars, min_chars, language, guesses=False
    )
    prefix = [subject] if subject else []
    return passages + [
        replace(p, heading=subject, prefix="\n".join(prefix + ([p.prefix] if p.prefix else [])))
        for p in body
    ]


def _header_passages(source, text, head, subject, max_chars, lines) -> list[Passage]:
    """Return the header block as passages of whole lines, each at most max_chars if it can."""
    groups: list[list[tuple[int, int]]] = []
    offset = 0
    for line in head:
        span = (offset, offset + len(line))
        offset += len(line) + 1
        if groups and span[1] - groups[-1][0][0] <= max_chars:
            groups[-1].append(span)
        else:
            groups.append([span])
    return [
        Passage(
            source=source,
            start=group[0][0],
            end=group[-1][1],
            line_start=lines.line_of(group[0][0]),
            line_end=lines.line_of(group[-1][1] - 1),
            heading=subject,
            kind="fields",
            prefix=subject or "",
            text=text[group[0][0] : group[-1][1]],
            body_start=group[0][0],
        )
        for group in groups
        if text[group[0][0] : group[-1][1]].strip()
    ]
