"""Export a conversation with everything needed to check each quote again, and check it."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

from ..errors import IndexerError
from ..read.documents import Document, read_document
from ..read.scans import ScanReader
from .render import escape_markdown_file

FORMAT = "verbatim-export-1"


def turn_record(question: str, read_as: str, answer, manifest) -> dict:
    """Return one question and its answer, each quote with the hashes of what it cites."""
    # The answer's own "question" is the one it answered (read_as): the typed one is kept too.
    record = {**answer.to_record(), "question": question, "read_as": read_as}
    for quote in record["quotes"]:
        entry = manifest.files.get(quote["source"])
        quote["text_sha256"] = entry.text_sha256 if entry else None  # of the indexed text
        quote["file_sha256"] = entry.sha256 if entry else None  # of the file's bytes
    return record


def to_json(turns: list[dict], manifest) -> str:
    """Return the conversation as JSON that `python -m indexer verify` checks."""
    return json.dumps(
        {
            "format": FORMAT,
            "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "index": {"model": manifest.model, "built_at": manifest.built_at},
            "turns": turns,
        },
        indent=1,
        ensure_ascii=False,
    )


def to_markdown(turns: list[dict]) -> str:
    """Return the conversation as Markdown a person reads: quotes as block quotes, citations.

    Questions, quotes and citations are escaped: each shows as written, never as formatting.
    """
    lines = ["# Verbatim conversation", ""]
    for turn in turns:
        lines += [f"## {escape_markdown_file(turn['question'])}", ""]
        if turn["read_as"] != turn["question"]:
            lines += [f"*Read as a follow-up: {escape_markdown_file(turn['read_as'])}*", ""]
        if turn["refused"]:
            refusal = f"The documents do not answer this question. {turn['reason']}".strip()
            lines += [escape_markdown_file(refusal), ""]
        for n, quote in enumerate(turn["quotes"], 1):
            lines += [f"> {escape_markdown_file(line)}" for line in quote["text"].splitlines()]
            lines += [
                "",
                f"\\[{n}\\] {escape_markdown_file(quote['citation'])} · characters "
                f"{quote['start']}–{quote['end']} · sha256 of the indexed text "
                f"{quote['text_sha256']}",
                "",
            ]
    return "\n".join(lines)


def verify(export_path: str | Path, docs_dir: str | Path, settings=None) -> list[tuple[str, dict]]:
    """Check every quote of an export against the files: "stands", "changed" or "vanished".

    A scanned page's text is its OCR reading, kept in the index folder by the page image's
    hash: the file is read again (its pages drawn and hashed) and the reading found by it.
    """
    try:
        export = json.loads(Path(export_path).read_text(encoding="utf-8"))
        turns = export["turns"] if export.get("format") == FORMAT else None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        turns = None
    if turns is None:
        raise IndexerError(f"{export_path} is not a Verbatim export (JSON from the chat page).")
    texts: dict[str, Document | None] = {}
    results = []
    scans = None
    if settings is not None and settings.ocr == "on":
        scans = ScanReader(settings, settings.index_dir)
    for quote in (q for turn in turns for q in turn.get("quotes", [])):
        source = quote["source"]
        if source not in texts:
            found = read_document(Path(docs_dir), Path(docs_dir) / source, 10**10, scans=scans)
            texts[source] = found if isinstance(found, Document) else None
        document = texts[source]
        if document is None:
            results.append(("vanished", quote))
        elif document.text[quote["start"] : quote["end"]] != quote["text"]:
            results.append(("changed", quote))
        else:
            digest = hashlib.sha256(document.text.encode("utf-8", "surrogatepass")).hexdigest()
            results.append(
                ("stands" if digest == quote["text_sha256"] else "stands, file edited", quote)
            )
    if scans is not None:
        scans.close()
    return results
