"""Any string in, an answer or one sentence out: hostile questions and fuzzed documents."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer import IndexerError, Settings, build_index, load_index
from indexer.read.passages import split_passages

from .conftest import ROOT, line_number
from .fakes import FakeEmbedder

HOSTILE = [
    "\ud800",
    "a\udcffb",
    "\x00\x01\x02 revenue",
    "\x1b[31mred\x1b[0m",
    "<script>alert(1)</script>",
    "[link](javascript:alert(1))",
    "مرحبا كيف حالك",
    "💥" * 50,
    "\u202eevil",
    " \t\n ",
    "x" * 100_000,
    "?" * 500,
]
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=()), max_size=300)
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    docs = base / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(
        "# Revenue\n\nThe company earned 4 million euros in 2024.\n\n| Year | Revenue |\n"
        "|---|---|\n| 2024 | 4M |\n",
        encoding="utf-8",
    )
    settings_ = Settings(min_answer_score=-1.0)
    build_index(docs, base / "index", settings_, FakeEmbedder())
    return load_index(base / "index", settings_, FakeEmbedder())


def answered_or_one_sentence(call) -> None:
    try:
        result = call()
    except IndexerError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert result is not None


@pytest.mark.parametrize("question", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_questions_get_an_answer_or_one_sentence(index, question):
    answered_or_one_sentence(lambda: index.answer(question))
    answered_or_one_sentence(lambda: index.search(question, 3))


@FUZZ
@given(question=ANY_TEXT)
def test_any_string_is_answered_or_refused_in_one_sentence(index, question):
    answered_or_one_sentence(lambda: index.answer(question))
    answered_or_one_sentence(lambda: index.search(question, 3))


LINE = st.one_of(
    st.just(""),
    st.from_regex(r"#{1,3} [A-Z][a-z]{2,12}", fullmatch=True),
    st.from_regex(r"\| [a-z0-9 ]{1,10} \| [a-z0-9 ]{1,10} \|", fullmatch=True),
    st.just("|---|---|"),
    st.from_regex(r"- [a-z ]{3,30}", fullmatch=True),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=200),
)
DOCUMENT = st.tuples(st.lists(LINE, max_size=25), st.sampled_from(["\n", "\r\n", "\r"])).map(
    lambda parts: parts[1].join(parts[0])
)


@FUZZ
@given(text=DOCUMENT)
def test_fuzzed_documents_split_into_exact_slices_on_the_right_lines(text):
    for passage in split_passages("f.md", text, 300, 50):
        assert text[passage.start : passage.end] == passage.text
        assert passage.line_start == line_number(text, passage.start)
        assert passage.line_end == line_number(text, passage.end - 1)
        for start, end in passage.quotable_spans():
            assert passage.start <= start < end <= passage.end
        if passage.header:
            start, end, line = passage.header
            assert text[start:end] == passage.header_text
            assert line == line_number(text, start)


@FUZZ
@given(text=DOCUMENT, question=ANY_TEXT)
def test_fuzzed_documents_answer_with_exact_quotes(tmp_path_factory, text, question):
    docs = tmp_path_factory.mktemp("fuzz")
    (docs / "f.md").write_bytes(text.encode("utf-8"))
    settings_ = Settings(min_answer_score=-1.0)
    try:
        build_index(docs, docs / ".index", settings_, FakeEmbedder())
    except IndexerError as error:  # no words at all: said in one sentence
        assert "\n" not in str(error)
        return
    index = load_index(docs / ".index", settings_, FakeEmbedder())
    source = index.document_text("f.md")
    for asked in (question, text[:80] or "x"):
        try:
            answer = index.answer(asked)
        except IndexerError:
            continue
        for quote in answer.quotes:
            assert source[quote.start : quote.end] == quote.text
            assert quote.line_start == line_number(source, quote.start)


def test_undecodable_bytes_on_the_command_line_are_no_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "indexer", "ask", b"\xff\xfe", "--index", str(tmp_path / "none")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: No index in")
