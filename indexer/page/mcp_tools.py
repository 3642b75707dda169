"""Verbatim as tools for assistants (MCP): ask, search, read, documents; read-only but for one
thing: a question in a language the index's model does not read builds its multilingual
companion once (answer.companion).

One FastMCP server over a LiveIndex, served on stdio (`python -m indexer mcp`) or over HTTP
inside the app (`python app.py --mcp`). Every quote comes with what a reader needs to check it:
file, page, lines, offsets and the sha256 of the indexed text it is a slice of. A bad input or a
missing index is an MCP error of one sentence, never a traceback.
"""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any

from pydantic import Field

from ..errors import IndexerError, QueryError, with_flags
from ..search.query import check_question
from .live_index import LiveIndex

MAX_LINES = 400  # one read returns at most this many lines: an assistant pages through
Question = Annotated[
    str,
    Field(
        description="The user's question, in their own words; it may narrow its quotes with "
        '"an exact phrase" (every quote holds it), -word, type:pdf, in:folder/, '
        "after:/before:YYYY-MM-DD (file modified date) and lang:de."
    ),
]
Within = Annotated[
    str | None, Field(description="A file or folder of the index to answer from (default: all).")
]
File = Annotated[str, Field(description="A file as the index names it (see `documents`).")]

INSTRUCTIONS = (
    "Verbatim answers questions about a folder of documents with verbatim quotes only. Call "
    "`ask` with the user's question; quote its `text` fields word for word with their "
    "`citation`. When it refuses, say the documents do not answer. `read` shows the lines "
    "around a quote; `search` lists passages; `find` lists every passage that holds a phrase "
    "or matches filters; `documents` lists the files."
)
FIND = (
    "List every passage that matches a query (not the top few), grouped by file with a count "
    "per file and in `total`, ranked by the free text's relevance (phrases and filters alone: "
    "in file order), 50 a page (`pages`). The query language: words (each must be in the "
    'passage, any form: "terminate" finds "terminated"); "exact phrase" (case, line breaks '
    'and hyphenation do not matter); -word and -"phrase" leave passages out; type:pdf '
    "(format or extension, several allowed); in:folder/ or in:file; after:YYYY-MM-DD and "
    "before:YYYY-MM-DD (the file's modified date in the documents folder; after: keeps that "
    "day, before: does not); lang:de (the file's language). Each match gives its exact text "
    "(`text` = the file's indexed text[`start`:`end`]), `citation`, lines and page, and "
    "`highlights`: [start, end] offsets within `text` of the words that matched."
)


def build_server(live: LiveIndex, verbose: bool = False, build_flags: list[str] = ()):
    """Return a FastMCP server whose tools read the live index (they never build it; a question
    may build its multilingual companion, see answer.companion).

    Quiet unless verbose: the SDK otherwise logs a line to stderr for every request. A fix
    that names the build command carries build_flags, the folders the server was given.
    """
    from mcp.server.fastmcp import FastMCP
    from mcp.server.fastmcp.exceptions import ToolError
    from pydantic import ValidationError

    level = "INFO" if verbose else "WARNING"
    logging.getLogger("mcp").setLevel(level)  # set even where logging was configured before

    class Server(FastMCP):
        async def call_tool(self, name: str, arguments: dict[str, Any]):
            try:
                return await super().call_tool(name, arguments)
            except ToolError as error:  # the SDK's own words are pydantic's, lines of them
                cause = error.__cause__
                if isinstance(cause, ValidationError):
                    schema = next(t.inputSchema for t in await self.list_tools() if t.name == name)
                    raise ToolError(bad_argument(cause, schema)) from None
                if isinstance(cause, ToolError):  # ours, already one sentence
                    raise cause from None
                raise

    server = Server("verbatim", instructions=INSTRUCTIONS, log_level=level)

    def guarded(work):
        try:
            return work()
        except IndexerError as error:  # one sentence, as the page and the CLI say it
            raise ToolError(with_flags(str(error), list(build_flags))) from None

    @server.tool()
    def ask(question: Question, within: Within = None) -> dict[str, Any]:
        """Answer a question about the documents with verbatim quotes and their citations.

        Returns `quotes` (each: `text`, an exact slice `start`:`end` of the file's indexed
        text, `source`, `page`, `line_start`/`line_end`, `citation`, `score` = likely to
        answer, `text_sha256` of that indexed text) or `refused` with a `reason` and
        `related` passages. `within` limits the answer to one file or folder. `note`, when
        present, says what the question set off first (a question in a language the index's
        model does not read builds the multilingual vectors once).
        """
        return guarded(lambda: answer_record(live, question, within))

    @server.tool()
    def search(
        query: Annotated[str, Field(description="What to look for; takes find's query language.")],
        k: Annotated[int, Field(description="How many passages, 1 to 20.")] = 5,
        within: Within = None,
    ) -> list[dict]:
        """Find the k passages (1-20) closest to a query, with their places in their files."""
        return guarded(lambda: search_records(live, query, k, within))

    @server.tool(description=FIND)
    def find(
        query: Annotated[
            str, Field(description='Words, "exact phrases", -exclusions and filters.')
        ],
        page: Annotated[int, Field(description="Which page of matches, from 1.")] = 1,
    ) -> dict[str, Any]:
        return guarded(lambda: find_record(live, query, page))

    @server.tool()
    def read(
        file: File,
        line_start: Annotated[int, Field(description="First line, from 1.")] = 1,
        line_end: Annotated[int | None, Field(description="Last line (default: 400 on).")] = None,
    ) -> dict[str, Any]:
        """Read a file's indexed text, lines line_start to line_end (at most 400 at a time),
        as quotes' offsets and line numbers refer to it (`stale`: the file changed since)."""
        return guarded(lambda: read_record(live, file, line_start, line_end))

    @server.tool()
    def documents() -> dict[str, Any]:
        """List the indexed files (format, pages, language, passages, `stale` if changed since
        indexed) and the skipped ones with the reason each was not indexed."""
        return guarded(lambda: documents_record(live))

    return server


KINDS = {"string": "text", "integer": "a whole number", "number": "a number",
         "boolean": "true or false", "null": "null"}  # fmt: skip


def bad_argument(error, schema: dict) -> str:
    """Say in one sentence which argument a tool call got wrong and what it takes."""
    problem = error.errors()[0]
    name = str(problem["loc"][0]) if problem["loc"] else "?"
    field = schema.get("properties", {}).get(name, {})
    kinds = [option.get("type") for option in field.get("anyOf", [field])]
    takes = " or ".join(KINDS.get(kind, str(kind)) for kind in kinds)
    about = field.get("description", "").rstrip(".")
    about = f" ({about[:1].lower()}{about[1:]})" if about else ""
    if problem["type"] == "missing":
        return f"`{name}` is required: {takes}{about}."
    given = json.dumps(problem["input"], ensure_ascii=False)
    given = given if len(given) <= 40 else given[:39] + "…"
    return f"`{name}` takes {takes}{about}, not {given}."


def answer_record(live: LiveIndex, question: str, within: str | None) -> dict:
    """Return the answer as JSON, each quote with the sha256 of the text it is cut from."""
    index = live.current()  # a version built by another process is taken up
    question = check_question(question, live.settings.max_query_chars)
    said: list[str] = []  # what a build the question set off was (answer.companion)
    answer = index.answer(
        question, within or None, lambda stage, _, total: total or said.append(stage)
    )
    record = answer.to_record()
    if said:
        record["note"] = said[0]
    for quote in record.get("quotes", []):
        quote["text_sha256"] = index.manifest.files[quote["source"]].text_sha256
    return record


def search_records(live: LiveIndex, query: str, k: int, within: str | None) -> list[dict]:
    """Return the k best passages as JSON records."""
    if not 1 <= int(k) <= 20:
        raise QueryError(f"k must be from 1 to 20, not {k}.")
    from ..search.find import search

    index = live.current()  # a version built by another process is taken up
    return [hit.to_record() for hit in search(index, query, int(k), within or None)]


def find_record(live: LiveIndex, query: str, page: int) -> dict:
    """Return a page of every passage matching a query as JSON (`note`: why none does)."""
    return live.find(query, int(page)).to_record()


def read_record(live: LiveIndex, file: str, line_start: int, line_end: int | None) -> dict:
    """Return a window of a file's indexed text with where it starts in that text."""
    index = live.current()  # a version built by another process is taken up
    text = index.document_text(str(file))  # refuses a file not in the index, in one sentence
    lines = text.splitlines(keepends=True)
    first = max(1, int(line_start))
    if line_end is not None and int(line_end) < first:
        raise QueryError(
            f"Lines {line_start} to {line_end} of {file}: the start is after the end; give a "
            "line_start at or before line_end (lines count from 1)."
        )
    last = min(len(lines), first + MAX_LINES - 1, len(lines) if line_end is None else int(line_end))
    if first > max(len(lines), 1) or last < first:
        raise QueryError(f"{file} has {len(lines)} lines; ask for lines 1 to {len(lines)}.")
    start = sum(len(line) for line in lines[: first - 1])
    window = "".join(lines[first - 1 : last])
    return {
        "source": file, "line_start": first, "line_end": last, "lines": len(lines),
        "start": start, "end": start + len(window), "text": window,
        "text_sha256": index.manifest.files[file].text_sha256,
        "stale": index.freshness.is_stale(file),  # the file no longer holds this text
    }  # fmt: skip


def documents_record(live: LiveIndex) -> dict:
    """Return the indexed files and the skipped ones with their reasons."""
    index = live.current()  # a version built by another process is taken up
    manifest = index.manifest
    files = [
        {"file": path, "format": entry.format, "pages": entry.pages, "language": entry.language,
         "passages": entry.passages, "copy_of": entry.same_as,
         "stale": index.freshness.is_stale(path)}
        for path, entry in sorted(manifest.files.items())
    ]  # fmt: skip
    skipped = [{"file": s.path, "reason": s.reason} for s in manifest.skipped]
    return {"indexed": files, "skipped": skipped, "model": manifest.model}
