"""The index on Milvus Lite, the real engine in a file: the same answers, guarantees and errors.

The build, sync and crash tests run against it too (the `any_store` fixture); this module holds
what only the Milvus store has: the same answers as the local store question by question, an
index answered from the engine alone, and the sentences for a Milvus that cannot be used.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import replace

import pytest

from indexer import IndexerError, Settings, build_index, load_index
from indexer.errors import IndexMismatchError, StoreUnavailableError
from indexer.store.milvus.store import release

from .conftest import ROOT, SEEDS
from .fakes import FakeEmbedder
from .test_core_cli import REVENUE_FILE, assert_one_sentence_error, run

QUESTIONS = [
    "How much money does Anthropic make a year?",
    "Who founded Anthropic?",
    "How many times have Meta's Llama 3 models been downloaded?",
    "Why is recalling an AI model so disruptive?",
    "Which policy did Anthropic trigger to block the release?",
    "What is a jailbreak in the context of AI models?",
    "What does the table say about OpenAI's revenue?",
    "What is the capital of Australia?",
    "and Google?",
]


@pytest.fixture
def both(seeds_copy, tmp_path):
    """The seeds built into the local store and into Milvus Lite with the same fake model."""
    local, milvus = Settings(), Settings(milvus_uri=str(tmp_path / "m" / "verbatim.db"))
    build_index(seeds_copy, tmp_path / "local", local, FakeEmbedder())
    build_index(seeds_copy, tmp_path / "unused", milvus, FakeEmbedder())
    yield (
        load_index(tmp_path / "local", local, FakeEmbedder()),
        load_index(tmp_path / "unused", milvus, FakeEmbedder()),
    )
    release(milvus.milvus_uri)


def first_quote(answer) -> tuple:
    """What a reader sees first: the refusal, or the first quote's place."""
    if answer.refused:
        return ("refused", answer.reason)
    quote = answer.quotes[0]
    return (quote.source, quote.start, quote.end, quote.line_start, quote.text)


def test_both_stores_give_the_same_first_quotes_and_hits(both):
    local, milvus = both
    for question in QUESTIONS:
        assert first_quote(milvus.answer(question)) == first_quote(local.answer(question))
        assert milvus.answer(question).score == pytest.approx(
            local.answer(question).score, abs=0.02
        )
        mine, theirs = milvus.search(question, 10), local.search(question, 10)
        # The engines' float sums differ in the last bits: near-equal scores may swap places.
        assert mine[0].position == theirs[0].position, question
        assert {h.position for h in mine} == {h.position for h in theirs}, question
        for hit in mine:
            text = milvus.document_text(hit.source)
            assert text[hit.start : hit.end] == hit.text  # exact, from the engine's records
    for name in local.manifest.files:
        assert milvus.document_text(name) == local.document_text(name)
    scoped = "003_6e8c9ce309fc04e5.txt"
    for question in QUESTIONS[:4]:
        mine, theirs = milvus.answer(question, scope=scoped), local.answer(question, scope=scoped)
        assert first_quote(mine) == first_quote(theirs), question
        assert all(q.source == scoped for q in mine.quotes)


def test_a_second_machine_answers_from_the_engine_alone(seeds_copy, tmp_path):
    settings = Settings(milvus_uri=str(tmp_path / "m" / "verbatim.db"))
    build_index(seeds_copy, tmp_path / "index", settings, FakeEmbedder())
    before = load_index(tmp_path / "index", settings, FakeEmbedder()).answer(QUESTIONS[1])
    release(settings.milvus_uri)
    # Another machine: no documents folder, no index folder; only the Milvus it is pointed at.
    shutil.rmtree(seeds_copy)
    shutil.rmtree(tmp_path / "index", ignore_errors=True)
    index = load_index(tmp_path / "elsewhere", settings, FakeEmbedder())
    answer = index.answer(QUESTIONS[1])
    assert answer.to_record() == before.to_record()
    assert not any(q.hit.stale for q in answer.quotes)  # no folder here to compare with
    quote = answer.quotes[0]
    text = index.document_text(quote.source)
    assert text == (SEEDS / quote.source).read_text(encoding="utf-8")
    assert text[quote.start : quote.end] == quote.text
    assert not (tmp_path / "elsewhere").exists()
    release(settings.milvus_uri)


def test_another_model_or_passage_settings_are_refused_in_one_sentence(seeds_copy, tmp_path):
    settings = Settings(milvus_uri=str(tmp_path / "m" / "verbatim.db"))
    build_index(seeds_copy, tmp_path / "index", settings, FakeEmbedder())
    with pytest.raises(IndexMismatchError, match="Milvus .*another-model.*rebuild"):
        load_index(tmp_path / "index", settings, FakeEmbedder(name="another-model"))
    with pytest.raises(IndexMismatchError, match="(?i)passage settings.*rebuild"):
        load_index(tmp_path / "index", replace(settings, passage_max_chars=500), FakeEmbedder())
    release(settings.milvus_uri)


def test_an_unreachable_server_is_one_sentence(tmp_path):
    settings = Settings(milvus_uri="http://127.0.0.1:9")  # nothing listens on the discard port
    began = time.monotonic()
    with pytest.raises(StoreUnavailableError, match="cannot be reached.*VERBATIM_MILVUS_URI"):
        load_index(tmp_path / "index", settings, FakeEmbedder())
    assert time.monotonic() - began < 60


def test_a_lite_file_open_in_another_process_is_one_sentence(seeds_copy, tmp_path):
    uri = str(tmp_path / "m" / "verbatim.db")
    build_index(seeds_copy, tmp_path / "index", Settings(milvus_uri=uri), FakeEmbedder())
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"from pymilvus import MilvusClient; MilvusClient({uri!r}).list_collections(); "
         "print('open', flush=True); import time; time.sleep(60)"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        release(uri)
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreUnavailableError, match="open in another process"):
            load_index(tmp_path / "index", Settings(milvus_uri=uri), FakeEmbedder())
    finally:
        holder.kill()
        holder.wait()


def test_bad_milvus_settings_are_refused():
    from indexer.errors import SettingsError

    with pytest.raises(SettingsError, match="VERBATIM_MILVUS_URI|milvus_uri"):
        Settings(milvus_uri="milvus.sqlite")
    with pytest.raises(SettingsError):
        Settings(milvus_collection="9 lives")


@pytest.mark.model
def test_the_command_line_builds_asks_and_checks_on_milvus(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    uri = str(tmp_path / "m" / "verbatim.db")
    common = ["--index", str(tmp_path / "index"), "--milvus", uri]
    built = run("build", str(docs), *common, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "3 added" in built.stdout
    asked = run("ask", "How much money does Anthropic make a year?", *common, cwd=tmp_path)
    assert asked.returncode == 0, asked.stderr
    assert "$850 million" in asked.stdout and f"{REVENUE_FILE}, line 27" in asked.stdout
    checked = run("check", *common, cwd=tmp_path)
    assert checked.returncode == 0 and "is whole" in checked.stdout, checked.stderr
    assert not (tmp_path / "index").exists() or not list((tmp_path / "index").glob("v-*"))
    unreachable = run("ask", "Who founded Anthropic?", "--milvus", "http://127.0.0.1:9",
                      cwd=tmp_path)  # fmt: skip
    assert_one_sentence_error(unreachable)
    assert "cannot be reached" in unreachable.stderr


def test_the_page_answers_rebuilds_and_opens_citations_from_milvus(seeds_copy, tmp_path):
    from indexer.page.handlers import Verbatim

    settings = Settings(milvus_uri=str(tmp_path / "m" / "verbatim.db"))
    page = Verbatim(seeds_copy, tmp_path / "index", settings, FakeEmbedder())
    page.live.build()
    text, sources = page.ask("Who founded Anthropic?")
    quote = next(s for s in sources if s["kind"] == "quote")
    assert quote["text"] in text and "Dario Amodei" in quote["text"]
    otters = "Sea otters hold hands while they sleep so they do not drift apart.\n"
    (seeds_copy / "otters.txt").write_text(otters, "utf-8")
    page.live.build()  # the page's rebuild: the new version is served at once
    text, sources = page.ask("Why do sea otters hold hands while they sleep?")
    assert any(s["source"] == "otters.txt" for s in sources), text
    viewer, _, whole = page.open_citation(
        f"#cite={quote['start']}:{quote['end']}:{quote['source']}"
    )
    assert "<mark>" in viewer and whole[quote["start"] : quote["end"]] == quote["text"]
    release(settings.milvus_uri)


def test_a_text_changed_in_the_engine_is_damage_in_one_sentence(seeds_copy, tmp_path):
    """The Milvus store keeps no version files here (only the build lock): its texts are
    checked against their hash when read, as the local store's are."""
    settings = Settings(milvus_uri=str(tmp_path / "m" / "verbatim.db"))
    build_index(seeds_copy, tmp_path / "index", settings, FakeEmbedder())
    index = load_index(tmp_path / "index", settings, FakeEmbedder())
    source = sorted(index.manifest.files)[0]
    key = f"text/{index.manifest.files[source].text_sha256}:0"
    row = index.client.query(index.meta, filter=f'key == "{key}"', output_fields=["value"])[0]
    index.client.upsert(
        index.meta, [{"key": key, "value": "X" + row["value"][1:], "vec": [1.0, 0.0]}]
    )
    index.client.flush(index.meta)
    fresh = load_index(tmp_path / "index", settings, FakeEmbedder())
    with pytest.raises(IndexerError) as damaged:
        fresh.document_text(source)
    assert "\n" not in str(damaged.value) and "does not match its checksum" in str(damaged.value)
    assert "python -m indexer build" in str(damaged.value)
    release(settings.milvus_uri)
