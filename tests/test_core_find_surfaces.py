"""Find and the query language where people meet them: the command line as a subprocess (exit
codes, text and JSON, on the index folder and Milvus Lite) and the MCP tools through the SDK."""

from __future__ import annotations

import json
import shutil

import pytest

from .library import write_library
from .test_core_cli import assert_one_sentence_error, run
from .test_core_mcp import _payload, _session_calls

ENGLISH = ("contracts/lease.txt", "contracts/lease-draft.md", "contracts/terms.pdf")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The library's English files built by `python -m indexer build` (bundled model), once."""
    work = tmp_path_factory.mktemp("find-cli")
    write_library(work / "all")
    for name in ENGLISH:
        (work / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(work / "all" / name, work / "docs" / name)  # keeps the modified dates
    result = run("build", str(work / "docs"), "--index", str(work / "index"), cwd=work)
    assert result.returncode == 0, result.stderr
    return work


def find(work, *args: str, store: tuple[str, ...] = ()):
    return run("find", *args, "--index", str(work / "index"), *store, cwd=work)


def test_find_prints_each_file_with_its_matches_highlighted(built):
    result = find(built, '"force majeure" -draft')
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "2 passages in 2 files match (by file order; page 1 of 1)."
    assert "contracts/lease.txt — 1 passage" in lines
    assert "contracts/terms.pdf — 1 passage" in lines
    assert "caused by **Force Majeure**, as agreed" in result.stdout  # line break shown as space
    assert "  p. 1, line 1" in lines  # the PDF's page and line, as citations give them
    assert "draft" not in result.stdout.lower()


def test_find_gives_json_with_exact_excerpts_and_highlights(built):
    result = find(built, "majeure in:contracts/ after:2024-01-01", "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert (found["total"], found["files"], found["page"], found["pages"]) == (2, 2, 1, 1)
    assert found["ranked_by"] == "relevance"
    names = {group["source"] for group in found["groups"]}
    assert names == {"contracts/lease.txt", "contracts/lease-draft.md"}
    for group in found["groups"]:
        text = (built / "docs" / group["source"]).read_text(encoding="utf-8")
        for match in group["matches"]:
            assert text[match["start"] : match["end"]] == match["text"]
            assert [match["text"][s:e].lower() for s, e in match["highlights"]] == ["majeure"]


def test_find_exits_1_when_nothing_matches_or_the_query_is_wrong(built):
    nothing = find(built, '"quarterly dividend"')
    assert nothing.returncode == 1 and nothing.stdout == ""
    assert nothing.stderr.startswith("No passage matches;")
    assert_one_sentence_error(nothing)
    for query, named in (("majeure colour:red", "colour:"), ("majeure after:2024-02-30", "after:")):
        wrong = find(built, query)
        assert_one_sentence_error(wrong)
        assert wrong.returncode == 1 and named in wrong.stderr
    beyond = find(built, "majeure", "--page", "2")
    assert_one_sentence_error(beyond)
    assert "pages 1 to 1" in beyond.stderr


def test_ask_and_search_take_the_filters(built):
    index = ["--index", str(built / "index")]
    asked = run("ask", "What suspends every obligation? type:pdf", "--json", *index, cwd=built)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    cited = {q["source"] for q in answer["quotes"]} | {h["source"] for h in answer["related"]}
    assert cited == {"contracts/terms.pdf"}
    searched = run("search", "rent in:contracts/lease.txt", "--json", *index, cwd=built)
    assert searched.returncode == 0, searched.stderr
    assert {hit["source"] for hit in json.loads(searched.stdout)} == {"contracts/lease.txt"}
    wrong = run("ask", "What is due? lang:english", *index, cwd=built)
    assert_one_sentence_error(wrong)
    assert "lang:" in wrong.stderr


def test_find_on_milvus_lite_gives_what_the_index_folder_gives(built):
    milvus = ("--milvus", str(built / "m" / "verbatim.db"))
    made = run("build", str(built / "docs"), "--index", str(built / "index"), *milvus, cwd=built)
    assert made.returncode == 0, made.stderr
    for query in ("majeure", '"force majeure" -"every obligation"', "rent type:txt,md"):
        here, there = find(built, query, "--json"), find(built, query, "--json", store=milvus)
        assert there.returncode == here.returncode == 0, there.stderr
        assert json.loads(there.stdout) == json.loads(here.stdout), query


@pytest.mark.model  # the server loads the real model
def test_the_find_tool_and_the_syntax_through_the_mcp_sdk(built):
    tools, results, _ = _session_calls(built / "index", [
        ("find", {"query": '"force majeure" -draft'}),
        ("find", {"query": "majeure colour:red"}),
        ("find", {"query": '"quarterly dividend"'}),
        ("ask", {"question": "What suspends every obligation? type:pdf"}),
        ("search", {"query": "rent in:contracts/lease.txt", "k": 3}),
        ("find", {"query": "majeure", "page": 3}),
    ])  # fmt: skip
    described = {tool.name: tool.description for tool in tools}["find"]
    for syntax in ('"exact phrase"', "-word", "type:pdf", "in:folder/", "after:", "lang:de"):
        assert syntax in described
    found = _payload(results[0])
    assert not results[0].isError and (found["total"], found["files"]) == (2, 2)
    match = found["groups"][0]["matches"][0]
    start, end = match["highlights"][0]
    assert match["text"][start:end].lower().split() == ["force", "majeure"]
    for bad in (results[1], results[5]):
        assert bad.isError
        message = bad.content[0].text
        assert "Traceback" not in message and "\n" not in message.strip()
    assert "colour:" in results[1].content[0].text
    assert _payload(results[2])["total"] == 0 and _payload(results[2])["note"]
    answer = _payload(results[3])
    assert {q["source"] for q in answer["quotes"]} | {h["source"] for h in answer["related"]} == {
        "contracts/terms.pdf"
    }
    assert {hit["source"] for hit in _payload(results[4])} == {"contracts/lease.txt"}
