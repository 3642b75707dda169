"""The words that fill what a question asks for: found by kind, not given by the question."""

from __future__ import annotations

import pytest

from indexer import Settings, build_index, load_index
from indexer.answer.fillers import asked_kind, best_filler
from indexer.answer.questions import analyse
from indexer.page.render import answer_markdown, answer_text, terminal_mark

from .fakes import FakeEmbedder


def index_of(tmp_path, name: str, text: str):
    """Build and load an index of one file with the fake embedder."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / name).write_text(text, encoding="utf-8")
    build_index(docs, tmp_path / "index", Settings(), FakeEmbedder())
    return load_index(tmp_path / "index", Settings(), FakeEmbedder())


def filled(question: str, text: str) -> str | None:
    filler = best_filler(text, question, asked_kind(analyse(question), question))
    return None if filler is None else text[filler.start : filler.end]


@pytest.mark.parametrize(
    ("question", "text", "words"),
    [
        (
            "How much money does the orchard make a year?",
            "The orchard's yearly revenue is about $850 million from apples.",
            "$850 million",
        ),
        ("What percentage of attacks got through?", "The bypass rate was 3.2% in trials.", "3.2%"),
        (
            "When was the survey approved?",
            "The survey was approved in 1987 by a committee.",
            "1987",
        ),
        (
            "Who founded the cooperative?",
            "The cooperative was founded by Ada Whitcombe in Leeds.",
            "Ada Whitcombe",
        ),
        ("How many trees does Elstar have?", "Elstar has 420 trees in the north.", "420"),
    ],
)
def test_the_filler_of_the_asked_kind_is_found(question, text, words):
    assert filled(question, text) == words


def test_a_name_the_question_already_gives_is_no_filler():
    assert filled("Who is Ada Whitcombe?", "Ada Whitcombe was a hydrologist.") is None


def test_a_year_the_question_already_gives_is_no_filler():
    assert filled("What happened in 1987?", "In 1987 the river authority closed.") is None


def test_a_number_inside_a_longer_one_of_the_question_is_still_a_filler():
    assert filled("How many trees did Elstar have in 2025?", "Elstar had 5 trees left.") == "5"


def test_a_question_that_asks_no_kind_has_no_filler():
    assert filled("Why did the mills stop?", "The mills stopped in 1990 because of dye.") is None


def test_the_filler_next_to_the_asked_words_is_nearer_than_one_far_from_them():
    text = (
        "Founded in 2001 in a garage in Boston by two students, the lab spent a decade on "
        "robots and released Atlas in 2019."
    )
    question = "When did the lab release Atlas?"
    near = best_filler(text, question, "date")
    assert text[near.start : near.end] == "2019"
    founded = best_filler("The company was founded in 2001.", question, "date")
    assert founded.near < near.near


def test_an_answer_marks_the_words_that_fill_the_question_inside_its_quote(tmp_path):
    text = (
        "# Orchard report\n\nThe cooperative sold its apples for 41,000 euros in 2024.\n"
        "The orchard was planted by Ada Whitcombe in 1961.\n"
    )
    index = index_of(tmp_path, "orchard.md", text)
    docs = tmp_path / "docs"
    marked = {}
    for question in ("When was the orchard planted?", "Who planted the orchard?"):
        answer = index.answer(question)
        assert not answer.refused
        record = answer.to_record()["quotes"][0]
        text, start, end = record["text"], record["answer_start"], record["answer_end"]
        assert 0 <= start < end <= len(text)
        marked[question] = text[start:end]
        quote = answer.quotes[0]  # the marked words stand in the source at their offsets
        source = (docs / quote.source).read_text(encoding="utf-8")
        assert source[quote.answer[0] : quote.answer[1]] == marked[question]
    assert marked == {
        "When was the orchard planted?": "1961",
        "Who planted the orchard?": "Ada Whitcombe",
    }


def test_a_question_that_asks_no_kind_marks_nothing(tmp_path):
    text = "# Mills\n\nThe mills stopped dumping dye because the river authority fined them.\n"
    answer = index_of(tmp_path, "mills.md", text).answer("Why did the mills stop dumping dye?")
    assert not answer.refused
    assert answer.to_record()["quotes"][0]["answer_start"] is None


class _Terminal:
    def isatty(self) -> bool:
        return True


def test_the_chat_and_a_terminal_show_the_answering_words_marked_inside_the_quote(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("NO_COLOR", raising=False)
    text = "# Orchard *report*\n\nThe orchard_club was planted by Ada Whitcombe in 1961.\n"
    index = index_of(tmp_path, "orchard.md", text)
    answer = index.answer("When was the orchard_club planted?")
    assert "in **1961**." in answer_markdown(answer)
    assert "orchard&#95;club" in answer_markdown(answer)  # the rest still escaped
    assert "in \033[1m1961\033[22m." in answer_text(answer, terminal_mark(_Terminal()))
    assert "in 1961." in answer_text(answer)  # piped: the quote exactly as it stands


HEADER = "| Metric | Anthropic | OpenAI | Google DeepMind |"
ROW = "| Estimated Annual Revenue | $850M | $3.4B | $2.1B (AI services) |"


def test_in_a_table_row_the_column_the_question_names_holds_the_filler():
    question = "How much money does OpenAI make a year?"
    filler = best_filler(ROW, question, "money", header=HEADER)
    assert ROW[filler.start : filler.end] == "$3.4B"
    deepmind = best_filler(ROW, "How much does Google DeepMind make?", "money", header=HEADER)
    assert ROW[deepmind.start : deepmind.end] == "$2.1B"


def test_several_fillers_and_nothing_to_choose_between_them_mark_nothing():
    assert (
        best_filler(ROW, "How much money do the labs make a year?", "money", header=HEADER) is None
    )


def test_a_refusal_for_want_of_the_asked_kind_reads_as_a_sentence():
    from types import SimpleNamespace

    import numpy as np

    from indexer.answer.pipeline import refusal_reason

    needs = SimpleNamespace(names=(), number=False, date=True, name=False)
    candidates = SimpleNamespace(
        unknown_names=(), needs=needs, quotable=np.array([False]), units=["a unit"]
    )
    reason = refusal_reason(candidates, None)
    assert reason == "The passages about the subject hold no date that answers it."
