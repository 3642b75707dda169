"""Saved e-mail (.eml): the subject as a heading, who and when, the body; attachments named.

The plain-text body is indexed as written; a message with only an HTML body is read through the
HTML reader. Attachments are listed by name on an "Attachments:" line, not read.
"""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

from .paged import Extracted, ExtractionError

_HEADERS = ("From", "To", "Cc", "Date")


def extract_email(data: bytes, max_chars: int) -> Extracted:
    """Return the message's subject, headers, body and the names of its attachments."""
    from .formats import extract_html
    from .paged import too_long

    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
        lines = []
        subject = " ".join(str(message.get("Subject", "")).split())
        if subject:
            lines += [f"# {subject}", ""]
        lines += [
            f"{name}: {' '.join(str(message[name]).split())}" for name in _HEADERS if message[name]
        ]
        body = message.get_body(preferencelist=("plain", "html"))
        text = ""
        if body is not None:
            content = body.get_content()
            text = extract_html(content).text if body.get_content_type() == "text/html" else content
        names = [part.get_filename() or "(unnamed)" for part in message.iter_attachments()]
    except Exception as error:  # the parser is lenient; a body that cannot decode still raises
        raise ExtractionError(f"damaged e-mail: {type(error).__name__}: {error}") from None
    if not any(name in message for name in ("From", "Subject", "Date", "To")):
        raise ExtractionError("not an e-mail message (no From, To, Subject or Date header)")
    parts = ["\n".join(lines), text.strip("\n").replace("\r\n", "\n")]
    if names:
        parts.append("Attachments: " + ", ".join(names))
    whole = "\n\n".join(part for part in parts if part.strip())
    if len(whole) > max_chars:
        raise too_long(len(whole), max_chars)
    return Extracted(whole, "eml")
