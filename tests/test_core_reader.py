"""The reader: the shipped cross-encoder, its tokenisation, its stage in the scorer, and fusion."""

from __future__ import annotations

import hashlib
import json

import pytest

from indexer import Settings, build_index, load_index
from indexer.answer.reader import FOLDER, Reader, shipped_reader
from indexer.answer.scoring import load_scorer, scorer_file
from indexer.errors import SettingsError
from indexer.search.fusion import fuse

MODEL_CARD = FOLDER / "MODEL_CARD.md"


def test_the_shipped_reader_is_the_one_its_card_describes():
    weights = (FOLDER / "reader.onnx").read_bytes()
    facts = json.loads((FOLDER / "reader.json").read_text(encoding="utf-8"))
    assert hashlib.sha256(weights).hexdigest() == facts["sha256"]
    assert facts["sha256"] in MODEL_CARD.read_text(encoding="utf-8")
    assert len(weights) <= 25_000_000


def test_the_reader_reads_pairs_as_the_training_tokenizer_did():
    from transformers import AutoTokenizer

    from scripts.reader_network import MAX_LENGTH, model_folder

    training = AutoTokenizer.from_pretrained(model_folder(), local_files_only=True)
    question = "Which river did Whitcombe survey, and when?"
    sentences = ["She walked the Aire twice.", "word " * 300, "Naïve café — “quoted” text."]
    batch = Reader().encode(question, sentences)
    for row, sentence in enumerate(sentences):
        expected = training(question, sentence, truncation="only_second", max_length=MAX_LENGTH)
        width = len(expected["input_ids"])
        assert batch["input_ids"][row, :width].tolist() == expected["input_ids"]
        assert batch["token_type_ids"][row, :width].tolist() == expected["token_type_ids"]
        assert batch["attention_mask"][row].sum() == width
    assert batch["input_ids"].shape[1] == MAX_LENGTH  # the long one is cut to the window


@pytest.mark.parametrize(
    ("question", "answer", "near_miss"),
    [
        (
            "In what year did the hydrologist die?",
            "She died in 1987 in Leeds, a year after she retired.",
            "She retired from the river authority after thirty years.",
        ),
        (
            "How many trees does the orchard have?",
            "The orchard has 420 apple trees on eight hectares.",
            "The orchard lies on a south-facing slope above the river.",
        ),
    ],
)
def test_the_reader_prefers_the_sentence_that_answers(question, answer, near_miss):
    logits = shipped_reader().logits(question, [answer, near_miss])
    assert logits[0] > logits[1]


def test_the_reader_stage_runs_only_when_on_and_brings_its_own_threshold(tmp_path, fake_embedder):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("The mill opened in 1850. It closed in 1921.\n", encoding="utf-8")
    scorer = load_scorer(scorer_file(Settings().model))
    assert scorer.reader is not None and 1 <= scorer.reader.read <= 32
    on, off = Settings(reader="on"), Settings(reader="off")
    build_index(docs, tmp_path / "index", on, fake_embedder)
    answers = {}
    for settings in (on, off):
        index = load_index(tmp_path / "index", settings, fake_embedder)
        answers[settings.reader] = index.answer("When did the mill open?")
    assert scorer.threshold_for(on) == scorer.reader.threshold
    assert scorer.threshold_for(off) == scorer.threshold
    assert answers["on"].score != answers["off"].score  # the reader's logit weighs in


def test_reader_off_is_a_setting_people_can_give(monkeypatch):
    monkeypatch.setenv("VERBATIM_READER", "off")
    assert Settings.from_env().reader == "off"
    monkeypatch.setenv("VERBATIM_READER", "maybe")
    with pytest.raises(SettingsError, match="VERBATIM_READER must be one of"):
        Settings.from_env()


def test_fusion_keeps_the_best_keyword_match_among_the_k():
    dense = {0: 0.9, 1: 0.8, 2: 0.7, 3: 0.6, 4: 0.5}
    keyword_order = [9, 0, 1, 2]  # row 9: the best exact match, outside the dense ranking
    # By rank alone, rows ranked by both lists drown it: 1/61+1/62 > ... > 1/61 (row 9 alone).
    assert [row for row, _ in fuse(dense, keyword_order, depth=5, k=3)] == [0, 1, 2]
    assert [row for row, _ in fuse(dense, keyword_order, depth=5, k=3, kept=1)] == [0, 1, 9]
    assert [row for row, _ in fuse(dense, keyword_order, depth=5, k=1, kept=1)] == [9]


def test_keeping_a_keyword_match_changes_nothing_when_it_is_already_there():
    dense = {0: 0.9, 1: 0.8, 2: 0.7}
    assert fuse(dense, [1], 3, 2, kept=1) == fuse(dense, [1], 3, 2, kept=0)


def test_a_question_longer_than_the_reader_window_is_cut_not_an_error():
    batch = Reader().encode("why " * 500, ["A short sentence.", "word " * 400])
    assert batch["input_ids"].shape == (2, 128)
    assert batch["attention_mask"][0].sum() < 128  # the question cut first: its sentence read
    assert (batch["token_type_ids"][0] == 1).sum() >= 4  # [SEP]-closed sentence of 3+ tokens


def test_a_reader_stage_with_its_own_ranker_reads_what_that_ranker_puts_first(tmp_path):
    """With e5 the reader reads the cosine's own best units; without it the fitted ranker rules."""
    import dataclasses
    import json

    import numpy as np

    from indexer.answer.pipeline import answer_question
    from indexer.answer.scoring import UNIT_FEATURES, LinearScorer, ReaderStage

    from .fakes import FakeEmbedder

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "mill.txt").write_text(
        "The mill opened in 1850.\n\nThe old mill by the river opened its doors in 1850 to "
        "workers from three villages.\n",
        encoding="utf-8",
    )
    longer, shorter = np.zeros(len(UNIT_FEATURES)), np.zeros(len(UNIT_FEATURES))
    longer[UNIT_FEATURES.index("len")], shorter[UNIT_FEATURES.index("len")] = 1.0, -1.0
    answer_weights = np.zeros(len(UNIT_FEATURES) + 3)
    stage = ReaderStage(1, np.array([1.0, 0.0]), answer_weights, 0.0, 0.0, ranker=longer)
    scorer = LinearScorer(shorter, answer_weights[:-3], 0.0, 0.0, stage)
    loaded = load_scorer_from(tmp_path / "scorer.json", scorer)
    assert np.allclose(loaded.reader.ranker, longer)
    build_index(docs, tmp_path / "index", Settings(), FakeEmbedder())
    chosen = {}
    for reader in ("on", "off"):
        index = load_index(tmp_path / "index", Settings(reader=reader), FakeEmbedder())
        answer = answer_question(index, "When did the mill open?", loaded)
        chosen[reader] = answer.quotes[0].text
    assert chosen == {
        "on": "The old mill by the river opened its doors in 1850 to workers from three villages.",
        "off": "The mill opened in 1850.",
    }
    no_own = dataclasses.replace(stage, ranker=None)
    assert (
        "ranker" not in no_own.to_record()
        and "ranker" in json.loads((tmp_path / "scorer.json").read_text(encoding="utf-8"))["reader"]
    )


def load_scorer_from(path, scorer):
    """Write a scorer as fit_scorer does and load it back through load_scorer."""
    path.write_text(scorer.to_json(), encoding="utf-8")
    return load_scorer(str(path))
