"""A question in a language none of the documents is in: keywords weigh less, and the English
reader never scores sentences of another language."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from indexer.answer.reader import Reader
from indexer.search.fusion import UNREAD_DENSE_WEIGHT, dense_weight

from .fakes import FakeEmbedder


def index_in(*languages: str, embedder=None):
    """Return what dense_weight and _reads read of an index: its model and its languages."""
    return SimpleNamespace(
        embedder=embedder or FakeEmbedder(),  # a model that reads every language
        languages=lambda: frozenset(languages),
        language_of=lambda source: source.split(".")[-2],  # "page.de.txt" -> "de"
    )


@pytest.mark.parametrize(
    ("languages", "question", "weight"),
    [
        (("en",), "What did the new sports hall cost the town?", 1.0),
        (("de",), "Wie viel kostete die neue Sporthalle der Stadt?", 1.0),
        (("de",), "What did the new sports hall cost the town?", 1 / UNREAD_DENSE_WEIGHT),
        (("en",), "Wie viel kostete die neue Sporthalle der Stadt?", 1 / UNREAD_DENSE_WEIGHT),
        (("en", "de"), "Wie viel kostete die neue Sporthalle der Stadt?", 1.0),
        # Named Latin by the detector, but English by its lead: keywords keep their weight.
        (("en",), "What are malum prohibitum considerations?", 1.0),
    ],
)
def test_keywords_weigh_less_for_a_language_no_document_is_in(languages, question, weight):
    assert dense_weight(index_in(*languages), question) == pytest.approx(weight)


def test_a_model_that_does_not_read_the_question_leans_on_keywords():
    english_model = SimpleNamespace(name="all-MiniLM-L6-v2")
    index = index_in("en", embedder=english_model)
    assert dense_weight(index, "Wie viel kostete die Sporthalle?") == UNREAD_DENSE_WEIGHT


@pytest.mark.parametrize(
    ("multilingual", "question_language", "found", "reads"),
    [
        (False, "en", "hall.en.txt", True),
        (False, "en", "hall.zh.txt", False),  # English reader, Chinese sentences: not read
        (False, "de", "hall.en.txt", False),  # English reader, German question: not read
        (True, "en", "hall.zh.txt", True),
        (True, "de", "hall.en.txt", True),
    ],
)
def test_the_reader_reads_only_what_it_was_trained_on(
    multilingual, question_language, found, reads
):
    reader = Reader.__new__(Reader)  # its rules, without loading a model
    reader.multilingual = multilingual
    candidates = SimpleNamespace(
        needs=SimpleNamespace(language=question_language),
        hits=[SimpleNamespace(source=found)],
    )
    assert reader.reads_found(index_in("en", "zh"), candidates) is reads


def test_word_features_are_withheld_for_a_question_in_no_document_language(tmp_path):
    import json

    import numpy as np

    from indexer.answer.features import (
        ANSWER_FEATURES,
        UNIT_FEATURES,
        WORD_FEATURES,
        without_words,
    )
    from indexer.answer.scoring import LinearScorer, load_scorer

    features = np.ones((3, len(UNIT_FEATURES)))
    kept = without_words(features)
    for column, name in enumerate(UNIT_FEATURES):
        assert (kept[:, column] == 0).all() == (name in WORD_FEATURES)
    assert features.all()  # the caller's rows are left as they were

    ones = np.ones(len(UNIT_FEATURES)), np.ones(len(ANSWER_FEATURES))
    cross = LinearScorer(*ones, -1.0, 0.3)
    path = tmp_path / "scorer.json"
    path.write_text(LinearScorer(*ones, 0.0, 0.2, cross=cross).to_json())
    loaded = load_scorer(path)
    assert loaded.words and loaded.cross is not None and not loaded.cross.words
    assert loaded.cross.threshold == 0.3 and json.loads(path.read_text())["cross"]["threshold"]


def test_the_cross_scorer_answers_only_questions_in_no_document_language():
    import numpy as np

    from indexer.answer.scoring import ANSWER_FEATURES, UNIT_FEATURES, LinearScorer

    class Marked(LinearScorer):
        def score(self, index, candidates):
            return "cross" if not self.words else super().score(index, candidates)

    cross = Marked(np.ones(len(UNIT_FEATURES)), np.ones(len(ANSWER_FEATURES)), 0.0, 0.5,
                   words=False)  # fmt: skip
    scorer = LinearScorer(np.ones(len(UNIT_FEATURES)), np.ones(len(ANSWER_FEATURES)), 0.0, 0.5,
                          cross=cross)  # fmt: skip
    other = SimpleNamespace(own_language=False)
    assert scorer.score(None, other) == "cross"
    own = SimpleNamespace(own_language=True, units=[], quotable=np.zeros(0, bool),
                          needs=SimpleNamespace(language="en"), hits=[])  # fmt: skip
    index = SimpleNamespace(settings=SimpleNamespace(model="m", reader="off"),
                            language_of=lambda source: "en")  # fmt: skip
    assert scorer.score(index, own).confidence == 0.0  # its own path: nothing to quote
