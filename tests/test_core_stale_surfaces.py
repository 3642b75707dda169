"""A quote from a file changed since it was indexed is marked in every surface that shows it:
the CLI (a subprocess) and the MCP tools (the official SDK's stdio client)."""

from __future__ import annotations

import json
import shutil

import pytest

from .conftest import SEEDS
from .test_core_cli import REVENUE_FILE, run
from .test_core_mcp import _payload, _session_calls

pytestmark = pytest.mark.model  # the CLI and the server load the real model

MARK = "[the file changed since it was indexed]"
QUESTION = "How much money does Anthropic make a year?"


def test_a_stale_quote_is_marked_by_the_cli_and_the_mcp_tools(tmp_path):
    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    shutil.copytree(SEEDS, docs)
    assert run("build", str(docs), "--index", str(index_dir), cwd=tmp_path).returncode == 0
    fresh = run("ask", QUESTION, "--index", str(index_dir), cwd=tmp_path)
    assert REVENUE_FILE in fresh.stdout and MARK not in fresh.stdout
    with open(docs / REVENUE_FILE, "a", encoding="utf-8") as handle:
        handle.write("\nA line added after indexing.\n")

    said = run("ask", QUESTION, "--index", str(index_dir), cwd=tmp_path)
    cited = [line for line in said.stdout.splitlines() if line.startswith("[1] ")]
    assert cited and REVENUE_FILE in cited[0] and MARK in cited[0], said.stdout
    record = json.loads(run("ask", QUESTION, "--index", str(index_dir), "--json",
                            cwd=tmp_path).stdout)  # fmt: skip
    assert record["quotes"][0]["stale"] is True and MARK in record["quotes"][0]["citation"]
    found = run("search", "Anthropic annual revenue", "--index", str(index_dir), cwd=tmp_path)
    listed = [line for line in found.stdout.splitlines() if REVENUE_FILE in line]
    assert listed and all(MARK in line for line in listed), found.stdout

    _, (answer, window, listing, hits), _ = _session_calls(index_dir, [
        ("ask", {"question": QUESTION}),
        ("read", {"file": REVENUE_FILE, "line_start": 1, "line_end": 3}),
        ("documents", {}),
        ("search", {"query": "Anthropic annual revenue", "k": 3}),
    ])  # fmt: skip
    quote = _payload(answer)["quotes"][0]
    assert quote["source"] == REVENUE_FILE and quote["stale"] is True
    assert MARK in quote["citation"]
    assert _payload(window)["stale"] is True  # the text read is the text as indexed
    files = {f["file"]: f["stale"] for f in _payload(listing)["indexed"]}
    assert files[REVENUE_FILE] is True and not any(v for k, v in files.items() if k != REVENUE_FILE)
    assert all(h["stale"] == (h["source"] == REVENUE_FILE) for h in _payload(hits))
