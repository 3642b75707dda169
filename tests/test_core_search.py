"""Searching and answering: fused ranking checked against oracles; every citation exact."""

from __future__ import annotations

import re

import numpy as np
import pytest

from indexer import Settings, build_index, load_index
from indexer.errors import QueryError
from indexer.search.fusion import RRF_K

from .conftest import SEEDS
from .fakes import FakeEmbedder

QUESTIONS = [
    "How many times have Meta's Llama 3 models been downloaded?",
    "What will the AI safety services market be worth in 2028?",
    "When was GPT-4o released?",
    "What adversarial bypass rate does RLHF have?",
    "Which areas did the withheld model show dangerous proficiency in?",
    "What is a jailbreak?",
    "How many government contracts does Google DeepMind have?",
    "Who decides what is safe enough?",
]


class KeyedEmbedder:
    """Gives every text that contains a marker word the vector chosen for that marker."""

    name = "keyed-test"

    def __init__(self, vectors: dict[str, list[float]]):
        self.vectors = {
            k: np.asarray(v, np.float32) / np.linalg.norm(v) for k, v in vectors.items()
        }
        self.dimension = len(next(iter(vectors.values())))

    def encode(self, texts: list[str]) -> np.ndarray:
        rows = []
        for text in texts:
            found = [v for marker, v in self.vectors.items() if re.search(rf"\b{marker}\b", text)]
            assert len(found) == 1, f"no single marker in {text!r}"
            rows.append(found[0])
        return np.array(rows, dtype=np.float32).reshape(-1, self.dimension)


def random_unit(seed: int, dimension: int) -> np.ndarray:
    vector = np.random.default_rng(seed).standard_normal(dimension)
    return (vector / np.linalg.norm(vector)).astype(np.float32)


@pytest.fixture(scope="module")
def seeds_index(tmp_path_factory):
    """The seeds indexed with the fake embedder, in LF, CRLF and CR flavours; built once."""
    built = {}
    for newline, label in (("\n", "lf"), ("\r\n", "crlf"), ("\r", "cr")):
        root = tmp_path_factory.mktemp(label)
        docs = root / "docs"
        docs.mkdir()
        for path in sorted(SEEDS.glob("*.txt")):
            text = path.read_bytes().decode("utf-8").replace("\n", newline)
            (docs / path.name).write_bytes(text.encode("utf-8"))
        build_index(docs, root / "index", Settings(), FakeEmbedder())
        built[label] = (docs, root / "index")
    return built


def open_index(index_dir, **overrides):
    return load_index(index_dir, Settings(**overrides), FakeEmbedder())


@pytest.mark.parametrize("k", [1, 3, 10, 25])
def test_search_returns_k_hits_best_first(seeds_index, k):
    docs, index_dir = seeds_index["lf"]
    index = open_index(index_dir)
    hits = index.search("Anthropic revenue and enterprise clients", k)
    assert len(hits) == k
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert len({(h.source, h.start) for h in hits}) == k, "a passage is listed twice"


def test_search_asking_for_more_than_there_is_returns_everything(tmp_path, settings):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("one", "two", "three"):
        (docs / f"{name}.txt").write_text(f"File {name} says something short.\n", encoding="utf-8")
    build_index(docs, tmp_path / "index", settings, FakeEmbedder())
    hits = open_index(tmp_path / "index").search("something short", 50)
    assert sorted(h.source for h in hits) == ["one.txt", "three.txt", "two.txt"]


def test_fusion_matches_a_hand_computed_ranking(tmp_path, settings):
    # Dense ranking (by design of the vectors): meaning, both, other, keyword, far.
    # Keyword ranking for "zebra": keyword (three times), both (once); others do not match.
    docs = tmp_path / "docs"
    docs.mkdir()
    texts = {
        "meaning.txt": "The markmeaning animal with stripes grazed on the savanna grass.",
        "both.txt": "The markboth zebra grazed on the savanna grass near the river.",
        "other.txt": "The markother lion slept in the shade of a tree all afternoon.",
        "keyword.txt": "The markkeyword zebra, a zebra and another zebra crossing sign.",
        "far.txt": "The markfar spreadsheet lists quarterly invoices and tax codes.",
    }
    for name, text in texts.items():
        (docs / name).write_text(text + "\n", encoding="utf-8")
    embedder = KeyedEmbedder(
        {
            "markmeaning": [0.9, np.sqrt(1 - 0.81), 0, 0],
            "markboth": [0.8, 0.6, 0, 0],
            "markother": [0.5, 0, np.sqrt(0.75), 0],
            "markkeyword": [0.1, 0, 0, np.sqrt(0.99)],
            "markfar": [0, 1, 0, 0],
        }
    )
    build_index(docs, tmp_path / "index", settings, embedder)
    index = load_index(tmp_path / "index", settings, embedder)

    hits = index.retrieve("zebra", np.array([1, 0, 0, 0], np.float32), 5)

    def rrf(*ranks: int) -> float:
        return sum(1.0 / (RRF_K + rank) for rank in ranks)

    expected = [
        ("both.txt", rrf(2, 2)),  # second in both rankings beats first in one
        ("keyword.txt", rrf(4, 1)),
        ("meaning.txt", rrf(1)),
        ("other.txt", rrf(3)),
        ("far.txt", rrf(5)),
    ]
    assert [h.source for h in hits] == [name for name, _ in expected]
    for hit, (_, score) in zip(hits, expected, strict=True):
        assert hit.score == pytest.approx(score, rel=1e-9)
    dense = {h.source: h.dense_score for h in hits}
    assert dense == pytest.approx(
        {"meaning.txt": 0.9, "both.txt": 0.8, "other.txt": 0.5, "keyword.txt": 0.1, "far.txt": 0.0},
        abs=1e-5,
    )
    keyword = {h.source: h.keyword_score for h in hits}
    assert keyword["keyword.txt"] > keyword["both.txt"] > 0
    assert keyword["meaning.txt"] == keyword["other.txt"] == keyword["far.txt"] == 0


class RandomEmbedder:
    """A fixed random unit vector per record ("rec123"), the same for every text that names it."""

    name = "random-test"
    dimension = 48

    def encode(self, texts: list[str]) -> np.ndarray:
        rows = [
            random_unit(int(re.search(r"\brec(\d+)\b", t).group(1)), self.dimension) for t in texts
        ]
        return np.array(rows, dtype=np.float32).reshape(-1, self.dimension)


def test_dense_ranking_equals_numpy_brute_force(tmp_path, settings):
    docs = tmp_path / "docs"
    docs.mkdir()
    count = 150
    for i in range(count):
        (docs / f"r{i:03d}.txt").write_text(f"Entry rec{i} is stored here.\n", encoding="utf-8")
    embedder = RandomEmbedder()
    build_index(docs, tmp_path / "index", settings, embedder)
    index = load_index(tmp_path / "index", settings, embedder)
    matrix = np.stack([random_unit(i, embedder.dimension) for i in range(count)])

    for trial in range(5):
        query = random_unit(10_000 + trial, embedder.dimension)
        exact = matrix @ query
        for k in (1, 7, 40, count):
            # No query word is in the documents, so the fused ranking is the dense ranking alone.
            hits = index.retrieve("qwxz vbnm", query, k)
            expected = np.argsort(-exact, kind="stable")[:k]
            assert [h.source for h in hits] == [f"r{i:03d}.txt" for i in expected]
            assert [h.dense_score for h in hits] == pytest.approx(
                exact[expected].tolist(), abs=1e-5
            )


@pytest.mark.parametrize("query", ["", "   ", "\n\t "])
def test_empty_question_is_refused_with_a_sentence(seeds_index, query):
    docs, index_dir = seeds_index["lf"]
    index = open_index(index_dir)
    with pytest.raises(QueryError, match="(?i)empty"):
        index.search(query, 5)
    with pytest.raises(QueryError, match="(?i)empty"):
        index.answer(query)


def test_overlong_question_is_refused(seeds_index):
    docs, index_dir = seeds_index["lf"]
    index = open_index(index_dir)
    with pytest.raises(QueryError):
        index.search("why " * 2000, 5)


@pytest.mark.parametrize("flavour", ["lf", "crlf", "cr"])
def test_every_hit_and_quote_is_an_exact_citation(seeds_index, flavour, docs_text, assert_located):
    docs, index_dir = seeds_index[flavour]
    texts = {p.name: docs_text(docs, p.name) for p in docs.iterdir()}
    # A score floor below zero makes every question answered, so every quote path is exercised.
    index = open_index(index_dir, min_answer_score=-1.0)
    quotes = 0
    for question in QUESTIONS:
        hits = index.search(question, 10)
        assert len(hits) == 10
        for hit in hits:
            assert_located(hit, texts[hit.source])
        answer = index.answer(question)
        assert not answer.refused
        assert answer.quotes
        for quote in answer.quotes:
            quotes += 1
            assert_located(quote, texts[quote.source])
            assert quote.text and quote.text == quote.text.strip()
            assert quote.source == quote.hit.source
            assert quote.hit.start <= quote.start < quote.end <= quote.hit.end
            assert_located(quote.hit, texts[quote.source])
        for hit in answer.related:
            assert_located(hit, texts[hit.source])
    assert quotes >= len(QUESTIONS)


def test_line_endings_do_not_change_what_is_found(seeds_index):
    # Passage bounds may shift by a line where "\r\n" counts two characters against the
    # passage size limit, so compare where the best passage begins, not its whole extent.
    best = {}
    for flavour in ("lf", "crlf", "cr"):
        index = open_index(seeds_index[flavour][1])
        best[flavour] = [
            (hit.source, hit.line_start) for hit in (index.search(q, 1)[0] for q in QUESTIONS)
        ]
    assert best["lf"] == best["crlf"] == best["cr"]


def test_query_tokens_match_the_tokens_bm25s_indexes(seeds_copy):
    import bm25s

    from indexer.read.terms import _stemmer, tokenize

    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_copy.glob("*.txt"))]
    texts += ["Don't STOP: the U.S. isn't 3.2% of it — naïve café, Straße, 東京 and x y z", ""]
    for text in texts + [line for t in texts for line in t.splitlines()]:
        expected = bm25s.tokenize(
            [text], stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False
        )
        assert tokenize([text]) == expected, text[:80]
