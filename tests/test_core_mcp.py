"""Verbatim as MCP tools, through the real protocol: the SDK's stdio client starts
`python -m indexer mcp` as a subprocess, lists the tools and calls each."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
import time

import pytest

from .conftest import ROOT, SEEDS
from .test_core_cli import REVENUE_FILE, run

pytestmark = pytest.mark.model  # the server loads the real model


def _session_calls(index_dir, calls, flags=(), errlog=None):
    """Start the server on stdio, list its tools, make each call; return what came back."""
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    env = {k: v for k, v in os.environ.items() if not k.startswith("VERBATIM_")}
    env["PYTHONPATH"] = str(ROOT)
    server = StdioServerParameters(
        command=sys.executable,
        args=[
            "-m",
            "indexer",
            "mcp",
            "--index",
            str(index_dir),
            "--docs",
            str(index_dir.parent / "docs"),
            *flags,
        ],
        env=env,
    )

    async def talk():
        async with (
            stdio_client(server, errlog=errlog or sys.stderr) as (read, write),
            ClientSession(read, write) as session,
        ):
            began = time.monotonic()
            await session.initialize()
            tools = (await session.list_tools()).tools
            results = [await session.call_tool(name, arguments) for name, arguments in calls]
            return tools, results, time.monotonic() - began

    return asyncio.run(talk())


def _payload(result) -> dict | list:
    """Return a tool result's structured value (FastMCP wraps non-dict returns in 'result')."""
    value = result.structuredContent
    return value["result"] if isinstance(value, dict) and set(value) == {"result"} else value


def test_the_tools_over_stdio_give_exact_quotes_and_one_sentence_errors(tmp_path):
    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    shutil.copytree(SEEDS, docs)
    assert run("build", str(docs), "--index", str(index_dir), cwd=tmp_path).returncode == 0
    outside = str(tmp_path.parent / "secret.txt")
    tools, results, _ = _session_calls(index_dir, [
        ("ask", {"question": "How much money does Anthropic make a year?"}),
        ("search", {"query": "annual revenue", "k": 3}),
        ("documents", {}),
        ("ask", {"question": "What is the capital of Australia?"}),
        ("ask", {"question": "   "}),
        ("ask", {"question": "x" * 1_000_000}),
        ("read", {"file": outside}),
        ("read", {"file": "../" + REVENUE_FILE}),
        ("search", {"query": "revenue", "k": 0}),
        ("ask", {"question": "revenue?", "within": "nowhere/"}),
    ])  # fmt: skip
    by_name = {tool.name: tool for tool in tools}
    assert set(by_name) == {"ask", "search", "find", "read", "documents"}
    assert all(len(tool.description) > 40 for tool in tools)
    assert by_name["ask"].inputSchema["required"] == ["question"]

    answer = _payload(results[0])
    assert not results[0].isError and not answer["refused"]
    quote = answer["quotes"][0]
    assert quote["source"] == REVENUE_FILE and "$850 million" in quote["text"]
    # The quote is an exact slice of the indexed text, with the right lines, checked through
    # the `read` tool the assistant would use, and the text's hash.
    _, (window,), _ = _session_calls(index_dir, [("read", {"file": REVENUE_FILE})])
    whole = _payload(window)
    assert whole["start"] == 0 and whole["line_start"] == 1 and whole["line_end"] == whole["lines"]
    text = whole["text"]
    assert text[quote["start"] : quote["end"]] == quote["text"]
    line = text[: quote["start"]].count("\n") + 1
    assert quote["line_start"] == line
    assert quote["citation"].startswith(f"{REVENUE_FILE}, line {line}")
    assert quote["text_sha256"] == whole["text_sha256"] and len(quote["text_sha256"]) == 64

    hits = _payload(results[1])
    assert len(hits) == 3 and all(h["text"] for h in hits)
    listing = _payload(results[2])
    assert {f["file"] for f in listing["indexed"]} == {p.name for p in SEEDS.iterdir()}
    refusal = _payload(results[3])
    assert refusal["refused"] and "Australia" in refusal["reason"]
    for bad in results[4:]:
        assert bad.isError, bad
        message = bad.content[0].text
        assert "Traceback" not in message and "\n" not in message.strip() and len(message) > 15
    assert "empty" in results[4].content[0].text
    assert "characters long" in results[5].content[0].text
    assert "not in the index" in results[6].content[0].text  # a path outside the index


def test_a_windowed_read_and_no_index_are_answered_in_one_sentence(tmp_path):
    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    shutil.copytree(SEEDS, docs)
    run("build", str(docs), "--index", str(index_dir), cwd=tmp_path)
    _, (window, beyond), _ = _session_calls(index_dir, [
        ("read", {"file": REVENUE_FILE, "line_start": 27, "line_end": 30}),
        ("read", {"file": REVENUE_FILE, "line_start": 100_000}),
    ])  # fmt: skip
    part = _payload(window)
    assert (part["line_start"], part["line_end"]) == (27, 30)
    assert part["text"].count("\n") == 4 and "$850 million" in part["text"]
    assert beyond.isError and "lines" in beyond.content[0].text
    _, (missing,), _ = _session_calls(tmp_path / "none", [("ask", {"question": "Anything?"})])
    assert missing.isError  # the fix names the folders the server was given
    docs, index = tmp_path / "docs", tmp_path / "none"
    assert f"`python -m indexer build {docs} --index {index}`" in missing.content[0].text
    assert "Traceback" not in json.dumps(missing.model_dump())


def test_bad_arguments_are_one_sentence_naming_the_parameter_and_the_server_is_quiet(tmp_path):
    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    shutil.copytree(SEEDS, docs)
    run("build", str(docs), "--index", str(index_dir), cwd=tmp_path)
    calls = [
        ("search", {"query": "revenue", "k": "five"}),
        ("ask", {}),
        ("ask", {"question": 5}),
        ("read", {"file": REVENUE_FILE, "line_start": 30, "line_end": 10}),
        ("ask", {"question": "How much money does Anthropic make a year?"}),
    ]
    with open(tmp_path / "quiet.log", "w") as errlog:
        _, results, _ = _session_calls(index_dir, calls, errlog=errlog)
    *bad, good = results
    for result in bad:
        assert result.isError, result
        message = result.content[0].text
        assert "\n" not in message.strip() and "validation error" not in message, message
        assert "Traceback" not in message and "pydantic" not in message
    said = [result.content[0].text for result in bad]
    assert said[0] == '`k` takes a whole number (how many passages, 1 to 20), not "five".'
    assert said[1].startswith("`question` is required: text (the user's question")
    assert said[2].startswith("`question` takes text (") and said[2].endswith(", not 5.")
    assert said[3] == (
        f"Lines 30 to 10 of {REVENUE_FILE}: the start is after the end; give a line_start at "
        "or before line_end (lines count from 1)."
    )
    assert not good.isError
    assert "Processing request" not in (tmp_path / "quiet.log").read_text()
    with open(tmp_path / "verbose.log", "w") as errlog:
        _session_calls(index_dir, calls[-1:], flags=["--verbose"], errlog=errlog)
    logged = " ".join((tmp_path / "verbose.log").read_text().split())  # wrapped to a width
    assert "Processing request of type" in logged and "CallToolRequest" in logged


def test_the_same_tools_over_http_in_the_app_behind_its_password(tmp_path):
    import base64

    import httpx
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    from .conftest import running_app

    shutil.copytree(SEEDS, tmp_path / "docs")
    flags = ["--docs", "docs", "--index", "index", "--mcp", "--auth", "ann:s3cret"]
    with running_app(tmp_path, flags) as app:
        deadline = time.monotonic() + 60
        while "MCP tools" not in app.log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        endpoint = f"{app.url}/mcp"
        assert f"MCP tools (streamable HTTP) at {endpoint}" in app.log.read_text()
        login = {"Authorization": "Basic " + base64.b64encode(b"ann:s3cret").decode()}

        async def talk():
            async with (
                httpx.AsyncClient(headers=login) as client,
                streamable_http_client(endpoint, http_client=client) as (read, write, _),
                ClientSession(read, write) as session,
            ):
                await session.initialize()
                tools = (await session.list_tools()).tools
                asked = await session.call_tool("ask", {"question": "Who founded Anthropic?"})
                text = await session.call_tool(
                    "read", {"file": _payload(asked)["quotes"][0]["source"]}
                )
                empty = await session.call_tool("search", {"query": ""})
                return tools, _payload(asked), _payload(text), empty

        tools, answer, whole, empty = asyncio.run(talk())
        assert {tool.name for tool in tools} == {"ask", "search", "find", "read", "documents"}
        quote = answer["quotes"][0]
        assert "Dario Amodei" in quote["text"]
        assert whole["text"][quote["start"] : quote["end"]] == quote["text"]
        assert empty.isError and "empty" in empty.content[0].text
        hello = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
        accept = {"Accept": "application/json, text/event-stream"}
        refused = httpx.post(endpoint, json=hello, headers=accept)
        wrong = httpx.post(endpoint, json=hello, headers={**accept, "Authorization": "Basic eDp5"})
        assert refused.status_code == wrong.status_code == 401
        assert "user and password" in refused.text
        # A lone surrogate can only arrive as a JSON escape (the SDK's client cannot send one).
        call = (
            '{"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "ask", '
            '"arguments": {"question": "\\ud800 Who founded Anthropic?"}}}'
        )
        raw = httpx.post(
            endpoint, content=call, headers={**accept, **login, "Content-Type": "application/json"}
        )
        assert raw.status_code == 200 and "Traceback" not in raw.text, raw.text
        assert "Dario Amodei" in raw.text  # answered, the surrogate read as U+FFFD
    assert "Traceback" not in app.log.read_text()
    assert "Processing request" not in app.log.read_text()  # quiet: no line per request


def test_the_tools_follow_a_version_built_by_another_process(tmp_path):
    """Like the page, the MCP tools answer from the version in service, whoever built it."""
    from indexer import Settings, build_index
    from indexer.page.live_index import LiveIndex
    from indexer.page.mcp_tools import answer_record, documents_record

    from .fakes import FakeEmbedder

    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    (docs / "mill.md").write_text("# Mill\n\nThe mill opened in 1850.\n", encoding="utf-8")
    build_index(docs, index_dir, Settings(), FakeEmbedder())
    live = LiveIndex(docs, index_dir, Settings(), FakeEmbedder())
    assert [f["file"] for f in documents_record(live)["indexed"]] == ["mill.md"]
    (docs / "bakery.md").write_text(
        "# Bakery\n\nThe bakery on Quay Street opened in 1901.\n", encoding="utf-8"
    )
    build_index(docs, index_dir, Settings(), FakeEmbedder())  # as a terminal would
    assert [f["file"] for f in documents_record(live)["indexed"]] == ["bakery.md", "mill.md"]
    quotes = answer_record(live, "When did the bakery on Quay Street open?", None)["quotes"]
    assert quotes and quotes[0]["source"] == "bakery.md"
