"""A German question on an English index with the real models, through the real surfaces: the
CLI as a subprocess, the MCP tools through the SDK's client, the page through gradio_client.
The first question says it builds the multilingual vectors, then answers with an exact quote;
the next is answered from them, with nothing said."""

from __future__ import annotations

import json
import re
import shutil
import time
from urllib.parse import unquote

import pytest

from .conftest import SEEDS, running_app
from .test_core_cli import REVENUE_FILE, run

pytestmark = pytest.mark.model  # both real models: the English one and multilingual-e5-small

GERMAN = "Wie hoch ist der annualisierte Umsatz von Anthropic?"
BUILDING = re.compile(
    r"German question on an English index: building the multilingual vectors once, ~\d+ s"
)
NOTE = "Found with the multilingual vectors: the question is in German."


def english_index(base):
    """The seeds (English) built by `python -m indexer build`: (docs, index folder)."""
    docs, index_dir = base / "docs", base / "index"
    shutil.copytree(SEEDS, docs)
    built = run("build", str(docs), "--index", str(index_dir), cwd=base)
    assert built.returncode == 0, built.stderr
    return docs, index_dir


def assert_revenue_quoted_exactly(quote: dict, docs) -> None:
    assert quote["source"] == REVENUE_FILE
    assert "$850 million" in quote["text"]
    text = (docs / quote["source"]).read_text(encoding="utf-8")
    assert text[quote["start"] : quote["end"]] == quote["text"]


def assert_cited_exactly(message: dict, docs) -> None:
    """The chat's answer cites the revenue sentence by offsets that cut it from its file."""
    shown = "".join(part["text"] for part in message["content"])
    start, end, source = re.search(r"#cite=(\d+)%3A(\d+)%3A([^)]+)\)", shown).groups()
    text = (docs / unquote(source)).read_text(encoding="utf-8")
    assert "$850 million" in text[int(start) : int(end)]
    assert "850 million" in shown


def test_the_cli_says_it_builds_once_then_answers_with_an_exact_quote(tmp_path):
    docs, index_dir = english_index(tmp_path)
    first = run("ask", GERMAN, "--index", str(index_dir), "--json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert len(BUILDING.findall(first.stderr)) == 1, first.stderr
    answer = json.loads(first.stdout)
    assert answer["reason"] == NOTE
    assert_revenue_quoted_exactly(answer["quotes"][0], docs)

    second = run("ask", GERMAN, "--index", str(index_dir), cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert second.stderr == ""  # answered from the multilingual vectors, nothing said
    assert "$850 million" in second.stdout and f"[1] {REVENUE_FILE}, line " in second.stdout
    english = run("ask", "What is Anthropic's annualized revenue?", "--index", str(index_dir),
                  "--json", cwd=tmp_path)  # fmt: skip
    assert json.loads(english.stdout)["reason"] == ""  # the English index answers English


def test_the_mcp_answer_notes_the_build_once(tmp_path):
    from .test_core_mcp import _payload, _session_calls

    docs, index_dir = english_index(tmp_path)
    _, results, _ = _session_calls(
        index_dir, [("ask", {"question": GERMAN}), ("ask", {"question": GERMAN})]
    )
    first, second = (_payload(result) for result in results)
    assert BUILDING.fullmatch(first["note"]) and "note" not in second
    for answer in (first, second):
        assert answer["reason"] == NOTE
        assert_revenue_quoted_exactly(answer["quotes"][0], docs)


def test_the_page_shows_the_build_then_answers(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "docs")
    with running_app(tmp_path, ["--docs", "docs", "--index", "index"]) as app:
        client = app.client()
        job = client.submit(GERMAN, [], [], "All documents", api_name="/chat")
        shown = []
        while not job.done():
            status = job.status()
            shown += [unit.desc for unit in status.progress_data or [] if unit.desc]
            shown += [status.log[0]] if status.log else []
            time.sleep(0.05)
        assert any(BUILDING.match(said) for said in shown), shown
        assert_cited_exactly(job.result()[0][-1], tmp_path / "docs")

        again = client.submit(GERMAN, [], [], "All documents", api_name="/chat")
        seen = []
        while not again.done():
            seen += [unit.desc for unit in again.status().progress_data or [] if unit.desc]
            time.sleep(0.05)
        assert not any(BUILDING.match(said) for said in seen)
        assert_cited_exactly(again.result()[0][-1], tmp_path / "docs")
        log = app.log.read_text(encoding="utf-8")
        assert len(BUILDING.findall(log)) == 1, log
