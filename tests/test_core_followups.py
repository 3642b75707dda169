"""Follow-ups: "why?" asks for the cause of the previous answer, on the CLI and the page."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from indexer import Settings, build_index, load_index
from indexer.answer.followups import WHY_READ, asks_why, contextual_question
from indexer.answer.reasons import CAUSE as CAUSE_WORDS

from .conftest import ROOT, SEEDS
from .fakes import FakeEmbedder

REPORT = (
    "# Harbour report\n\n"
    "Harbour Ltd earned 5 million euros in 2023. The rise came because the new ferry line "
    "to Veldmark opened in March. The office moved to the quay. Two cranes were painted. "
    "The canteen serves soup. The harbour master retired because of his age.\n\n"
    "# Fares\n\n"
    "Ferry fares rose to 12 euros in 2024. The ferry carries 400 cars a day.\n"
)
EARNED = "How much did Harbour Ltd earn in 2023?"
CAUSE = "The rise came because the new ferry line to Veldmark opened in March."


@pytest.fixture
def harbour(tmp_path):
    """The report indexed with the fake embedder; the threshold lets it answer."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "report.md").write_text(REPORT, encoding="utf-8")
    settings = Settings(min_answer_score=0.0)
    build_index(tmp_path / "docs", tmp_path / "index", settings, FakeEmbedder())
    return load_index(tmp_path / "index", settings, FakeEmbedder())


@pytest.mark.parametrize(
    ("question", "why"),
    [("why?", True), ("Why?", True), ("why is that?", True), ("Why so?", True),
     ("how come?", True), ("Why did they?", True), ("why did Anthropic pause?", False),
     ("Why does the ferry cost more?", False), ("and Google?", False)],
)  # fmt: skip
def test_why_alone_asks_for_the_reason(question, why):
    assert asks_why(question) is why


def test_why_is_read_as_the_reason_behind_the_previous_answer():
    previous = "How much money does Google make a year?"
    read = contextual_question("why?", previous)
    assert read == WHY_READ + previous
    # "and Anthropic?" after it asks the same why, for Anthropic; a complete question stands.
    assert contextual_question("and Anthropic?", read) == (
        WHY_READ + "How much money does Anthropic make a year?"
    )
    assert contextual_question("Who founded Anthropic?", read) == "Who founded Anthropic?"
    assert contextual_question("Is it profitable?", read) == f"{previous} Is it profitable"


def test_why_quotes_the_cause_given_beside_the_answer(harbour, docs_text, assert_located):
    answer = harbour.answer(EARNED)
    assert answer.quotes[0].text.startswith("Harbour Ltd earned 5 million euros")
    why = harbour.answer(contextual_question("why?", EARNED))
    assert not why.refused and [quote.text for quote in why.quotes] == [CAUSE]
    assert why.quotes[0].score == answer.quotes[0].score  # the likelihood of what it explains
    text = docs_text(harbour.manifest.docs_dir, "report.md")
    assert_located(why.quotes[0], text)


def test_why_says_so_in_one_sentence_when_no_cause_is_given(harbour):
    question = "How much were ferry fares in 2024?"
    assert harbour.answer(question).quotes[0].text == "Ferry fares rose to 12 euros in 2024."
    why = harbour.answer(contextual_question("why?", question))
    assert why.refused and not why.quotes and not why.related  # never the answer again
    assert why.reason == (
        f'They give no reason beside the answer to “{question}” (report.md, line 7 — "Fares").'
    )


def test_why_after_a_refusal_says_there_is_nothing_to_explain(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "report.md").write_text(REPORT, encoding="utf-8")
    build_index(tmp_path / "docs", tmp_path / "index", Settings(), FakeEmbedder())
    index = load_index(tmp_path / "index", Settings(), FakeEmbedder())
    question = "Who founded Xylophonia?"
    why = index.answer(contextual_question("why?", question))
    assert why.refused
    assert why.reason == f"There is no answer to “{question}” to give the reason for."


def test_the_page_answers_why_with_the_cause(tmp_path):
    import html

    import app
    from indexer.answer.followups import _message_text

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "report.md").write_text(REPORT, encoding="utf-8")
    state = app.Verbatim(
        tmp_path / "docs", tmp_path / "index", Settings(min_answer_score=0.0), FakeEmbedder()
    )
    state.live.build()
    history, _, _, readings, _ = state.respond(EARNED, [])
    history, _, sources, readings, _ = state.respond("why?", history, readings)
    reply = html.unescape(_message_text(history[-1]))
    assert f"Read as a follow-up: {WHY_READ}{EARNED}" in reply
    assert CAUSE in reply and "Harbour Ltd earned" not in reply


@pytest.mark.model
def test_chat_why_after_and_google_gives_a_reason_or_says_there_is_none(tmp_path):
    work = tmp_path
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERBATIM_")}
    env["PYTHONPATH"] = str(ROOT)
    command = [sys.executable, "-m", "indexer"]
    built = subprocess.run(
        [*command, "build", str(SEEDS), "--index", str(work / "index")],
        cwd=work, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    questions = ["How much money does Anthropic make a year?", "and Google?", "why?"]
    result = subprocess.run(
        [*command, "chat", "--index", str(work / "index")],
        input="\n".join(questions) + "\n", cwd=work, env=env, capture_output=True,
        text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    google = "(read as: How much money does Google make a year?)"
    why = f"(read as: {WHY_READ}How much money does Google make a year?)"
    assert google in result.stdout and why in result.stdout
    google_answer = result.stdout.split(google)[1].split(why)[0]
    why_answer = result.stdout.split(why)[1]
    assert "$2.1B" in google_answer
    # Not the revenue row again: the cause beside it, or one sentence saying there is none.
    assert "$2.1B" not in why_answer
    if "[1] " in why_answer:
        assert CAUSE_WORDS.search(why_answer.split("[1] ")[0])
    else:
        assert why_answer.strip().startswith(
            "The documents do not answer this question. They give no reason beside the answer "
            "to “How much money does Google make a year?” (002_6d34ce2141a5a6b8.txt, line 30"
        )


def test_why_after_why_asks_the_same_why_not_a_why_of_it():
    first = contextual_question("why?", "How much money does Google make a year?")
    assert (
        contextual_question("why?", first)
        == first
        == (WHY_READ + "How much money does Google make a year?")
    )
