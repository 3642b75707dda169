"""The soak benchmark: a tiny run is clean and reports its windows; its checks catch bad answers."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from bench import soak
from bench.common.real_files import Prose
from bench.common.soak_checks import answer_errors, fact_errors
from bench.common.soak_folder import Editor
from indexer.page.live_index import LiveIndex
from indexer.settings import Settings
from tests.fakes import FakeEmbedder

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"


def test_a_tiny_soak_answers_and_rebuilds_without_errors(tmp_path, capsys):
    result_file = tmp_path / "soak.json"
    flags = ["--questions", "40", "--rebuilds", "4", "--docs", "20", "--every", "10"]
    flags += ["--work", str(tmp_path / "work"), "--json", str(result_file)]
    assert soak.main(flags, FakeEmbedder()) == 0
    result = json.loads(result_file.read_text(encoding="utf-8"))
    assert result["errors"] == 0, result["error_list"]
    assert result["questions"] == 40 and result["rebuilds"] == 4
    assert result["facts_asked"] >= 4  # each rebuild's new fact, at least, was asked about
    assert [w["questions"] for w in result["windows"]] == [10, 20, 30, 40]
    assert all(w["rss_mb"] > 0 for w in result["windows"])
    printed = capsys.readouterr().out
    rows = [line for line in printed.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 1 + 4 + 2  # a header, a row a window, the summary's header and row
    assert "| 40 | 4 |" in printed and "fake-hash-64" in printed


def _answered_fact(tmp_path):
    """A folder of two files with facts, built by the page's live index, and a fact's answer."""
    docs = tmp_path / "docs"
    editor = Editor(docs, [], Prose(SHARED, 3), seed=3)
    facts = editor.edit(adds=2, changes=0, deletes=0).added
    live = LiveIndex(docs, tmp_path / "index", Settings(), FakeEmbedder())
    live.build()
    answer, _ = live.answer(facts[0].question)
    return live, facts, answer


def _shifted(quote, by: int, lines: int = 0):
    """Return the quote with its passage's offsets (and lines) moved: what a wrong index holds."""
    passage = quote.hit.passage
    start, end, first, last = passage.start, passage.end, passage.line_start, passage.line_end
    moved = replace(passage, start=start + by, end=end + by, line_start=first + lines,
                    line_end=last + lines)  # fmt: skip
    hit = replace(quote.hit, passage=moved)
    return replace(quote, hit=hit, start=quote.start + by, end=quote.end + by)


def test_the_checks_pass_a_right_answer_and_catch_each_wrong_one(tmp_path):
    live, (fact, other), answer = _answered_fact(tmp_path)
    assert answer_errors(answer, live.document_text, set()) == []
    assert fact_errors(answer, fact, present=True) == []

    tampered = replace(answer, quotes=[_shifted(answer.quotes[0], 1), *answer.quotes[1:]])
    (problem,) = answer_errors(tampered, live.document_text, set())
    assert "is not the indexed text" in problem

    lines_off = replace(answer, quotes=[_shifted(answer.quotes[0], 0, lines=1)])
    (problem,) = answer_errors(lines_off, live.document_text, set())
    assert "cites lines" in problem

    deleted = answer_errors(answer, live.document_text, {fact.path})
    assert any(f"cites {fact.path}, deleted" in problem for problem in deleted)

    assert fact_errors(answer, fact, present=False)  # quoted after its file lost it
    assert fact_errors(answer, other, present=True)  # another file's fact was not quoted
    refused = replace(answer, quotes=[])
    assert fact_errors(refused, fact, present=True)
