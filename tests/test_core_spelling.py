"""Misspelt words of a question read as the index's own, in both stores and on every surface."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from indexer import Settings, build_index, load_index
from indexer.answer.pipeline import answer_question
from indexer.page.render import answer_text
from indexer.search.close_terms import CloseTerms
from indexer.search.spelling import respell

from .fakes import FakeEmbedder

FOUNDERS = "founded by former OpenAI researchers Dario Amodei and Daniela Amodei"


@pytest.fixture
def seeds_answers(seeds_copy, tmp_path, any_store):
    """The seeds built with the fake embedder in each store; the threshold lets it answer."""
    settings = replace(any_store, min_answer_score=0.0)
    build_index(seeds_copy, tmp_path / "index", settings, FakeEmbedder())
    return load_index(tmp_path / "index", settings, FakeEmbedder())


def _index_of(tmp_path, texts: dict[str, str], **overrides):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in texts.items():
        (docs / name).write_text(text, encoding="utf-8")
    settings = Settings(min_answer_score=0.0, **overrides)
    build_index(docs, tmp_path / "index", settings, FakeEmbedder())
    return load_index(tmp_path / "index", settings, FakeEmbedder())


# -- the lookup structure ---------------------------------------------------------------------


def _edit_distance(a: str, b: str) -> int:
    """Levenshtein distance by the textbook table: the oracle for CloseTerms."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def test_close_terms_find_exactly_the_terms_brute_force_finds():
    rng = random.Random(7)
    letters = "etaoinshrdlu"  # few letters: many terms lie within one or two edits
    terms = sorted({"".join(rng.choices(letters, k=rng.randint(2, 11))) for _ in range(4000)})
    terms = [term for term in terms if len(term) >= 3]  # the shortest it files
    close = CloseTerms(terms + ["x86", "ab", "naïve"], list(range(len(terms) + 3)))
    words = [rng.choice(terms) for _ in range(60)]
    words += ["".join(rng.choices(letters, k=rng.randint(3, 12))) for _ in range(60)] + ["naive"]
    for word in words:
        for edits in (1, 2):
            found = close.near(word, edits)
            expected = {t for t in terms + ["naïve"] if _edit_distance(word, t) <= edits}
            assert {term for term, _, _ in found} == expected, (word, edits)
            assert all(d == _edit_distance(word, t) for t, d, _ in found)
            assert [d for _, d, _ in found] == sorted(d for _, d, _ in found)  # nearest first
    assert {"x86", "ab"}.isdisjoint(close.terms)  # no code with digits, no two-letter term


# -- questions, in both stores ----------------------------------------------------------------


def test_a_misspelt_name_is_read_as_the_indexed_one_and_says_so(seeds_answers):
    answer = seeds_answers.answer("How much mony does Antropic make a yer?")
    assert answer.spelling == (("Antropic", "Anthropic"),)
    assert "never mention" not in answer.reason
    assert answer_text(answer).startswith("(read 'Antropic' as 'Anthropic')\n\n")
    assert answer.to_record()["spelling"] == [{"typed": "Antropic", "read": "Anthropic"}]


def test_a_misspelt_keyword_finds_the_sentence_it_names(seeds_answers):
    answer = seeds_answers.answer("who fonded anthropic")
    assert answer.spelling == (("fonded", "founded"),)
    assert not answer.refused and FOUNDERS in answer.quotes[0].text
    # Without the reading, the keyword "fonded" matches nothing and another sentence wins.
    as_typed = answer_question(seeds_answers, "who fonded anthropic")
    assert FOUNDERS not in " ".join(quote.text for quote in as_typed.quotes)


def test_an_unknown_name_far_from_every_word_is_still_never_mentioned(seeds_answers):
    answer = seeds_answers.answer("Who founded Xylophonia?")
    assert answer.refused and answer.spelling == ()
    assert answer.reason.startswith("The documents never mention Xylophonia.")
    assert "Did you mean" not in answer.reason


def test_a_dictionary_word_used_as_a_name_is_offered_the_near_one(seeds_answers):
    # "goggle" is an English word, so it is not read as another; the near name is offered.
    answer = seeds_answers.answer("Who runs Goggle?")
    assert answer.refused and answer.spelling == ()
    assert "The documents never mention Goggle. Did you mean Google?" in answer.reason


def test_a_correctly_spelt_rare_word_is_never_read_as_a_frequent_one(tmp_path):
    index = _index_of(
        tmp_path,
        {
            "crew.txt": "".join(f"Brand sailed the ferry on day {n}.\n\n" for n in range(1, 30))
            + "Brandt repaired the harbour clock in spring.\n",
        },
    )
    answer = index.answer("What did Brandt repair?")  # one letter from "Brand", in 29 passages
    assert answer.spelling == ()
    assert "Brandt repaired" in answer.quotes[0].text
    # One letter off the rare term (two off the frequent one), in no dictionary: read as it.
    answer = index.answer("What did Brendt repair?")
    assert answer.spelling == (("Brendt", "Brandt"),) and "Brandt repaired" in answer.quotes[0].text


def test_words_of_the_language_numbers_and_codes_are_left_as_typed(tmp_path):
    index = _index_of(
        tmp_path,
        {"post.txt": "The post office sells stamps. The post van leaves at noon. X200 is a van.\n"},
    )
    for question in ("What does a stamp cost?", "What is X201?", "What is 3200?", "What is POTS?"):
        assert respell(index, question).readings == (), question
    assert respell(index, "When does the pozt van leave?").readings == (("pozt", "post"),)


def test_the_reading_is_used_within_a_scope(seeds_answers):
    from .test_core_cli import REVENUE_FILE

    answer = seeds_answers.answer("who fonded anthropic", REVENUE_FILE)
    assert answer.spelling == (("fonded", "founded"),)
    assert FOUNDERS in answer.quotes[0].text


def test_the_chat_page_shows_the_reading(seeds_copy, tmp_path):
    import html

    import app
    from indexer.answer.followups import _message_text

    state = app.Verbatim(
        seeds_copy, tmp_path / "index", Settings(min_answer_score=0.0), FakeEmbedder()
    )
    state.live.build()
    history, *_ = state.respond("who fonded anthropic", [])
    reply = html.unescape(_message_text(history[-1]))  # as the browser shows it
    assert reply.startswith("(read 'fonded' as 'founded')") and "Dario Amodei" in reply
    text, sources = state.ask("who fonded anthropic")
    assert text.startswith("(read 'fonded' as 'founded')") and FOUNDERS in sources[0]["text"]


# -- the real surfaces, with the real model ---------------------------------------------------


@pytest.mark.model
def test_the_cli_and_the_mcp_tools_read_a_misspelt_name(tmp_path):
    import shutil

    from .conftest import SEEDS
    from .test_core_cli import run
    from .test_core_mcp import _payload, _session_calls

    shutil.copytree(SEEDS, tmp_path / "docs")
    index_dir = tmp_path / "index"
    assert (
        run("build", str(tmp_path / "docs"), "--index", str(index_dir), cwd=tmp_path).returncode
        == 0
    )
    asked = run("ask", "who fonded anthropic", "--index", str(index_dir), cwd=tmp_path)
    assert asked.returncode == 0 and asked.stdout.startswith("(read 'fonded' as 'founded')\n\n“")
    assert FOUNDERS in asked.stdout.split("[1]")[0]
    _, results, _ = _session_calls(
        index_dir, [("ask", {"question": "How much mony does Antropic make a yer?"})]
    )
    record = _payload(results[0])
    assert record["spelling"] == [{"typed": "Antropic", "read": "Anthropic"}]
    assert not record["refused"] and "$850 million" in record["quotes"][0]["text"]


@pytest.mark.model
def test_the_app_reads_a_misspelt_name(app_server):
    text, sources = app_server.client().predict(
        "How much mony does Antropic make a yer?", api_name="/ask"
    )
    assert text.startswith("(read 'Antropic' as 'Anthropic')\n\n")
    assert "$850 million" in sources[0]["text"]
