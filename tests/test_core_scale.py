"""Large-index machinery on small data: memory-mapped passages, and HNSW search above a size."""

from __future__ import annotations

import json

import numpy as np

from indexer import build_index, load_index
from indexer.settings import Settings
from indexer.store.disk import PassageTable
from indexer.store.versions import current_version
from tests.fakes import FakeEmbedder

WORDS = [
    "river",
    "harbour",
    "crane",
    "ferry",
    "lighthouse",
    "orchard",
    "pumpkin",
    "telescope",
    "mirror",
    "otter",
    "heron",
    "owl",
    "compost",
    "budget",
    "ledger",
    "quay",
    "tide",
    "meadow",
    "glacier",
    "canyon",
    "desert",
    "forest",
    "volcano",
    "island",
]


def write_corpus(docs, files: int = 60, seed: int = 3) -> None:
    """Write files of short random paragraphs: hundreds of passages and sentences."""
    rng = np.random.default_rng(seed)
    docs.mkdir(parents=True, exist_ok=True)
    for number in range(files):
        paragraphs = [
            ". ".join(" ".join(rng.choice(WORDS, 7)) for _ in range(3)).capitalize() + "."
            for _ in range(6)
        ]
        (docs / f"doc{number:03}.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")


def test_passages_are_read_on_demand_from_a_memory_map(seeds_copy, tmp_path, settings):
    build_index(seeds_copy, tmp_path / "index", settings, FakeEmbedder())
    index = load_index(tmp_path / "index", settings, FakeEmbedder())
    assert isinstance(index.stored.passages, PassageTable)
    folder = current_version(tmp_path / "index")
    lines = (folder / "passages.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(index.stored.passages) == len(lines)
    assert [p.to_record() for p in index.stored.passages] == [json.loads(line) for line in lines]
    assert index.stored.passages[-1] == index.stored.passages[len(lines) - 1]
    assert index.stored.passages[1:3] == [index.stored.passages[1], index.stored.passages[2]]


def test_large_indexes_search_an_hnsw_graph_close_to_exact(tmp_path):
    docs = tmp_path / "docs"
    write_corpus(docs)
    exact_settings, ann_settings = Settings(), Settings(ann_min_rows=100, ann_ef_search=64)
    build_index(docs, tmp_path / "exact", exact_settings, FakeEmbedder())
    report = build_index(docs, tmp_path / "ann", ann_settings, FakeEmbedder())
    assert report.passages >= 100
    folder = current_version(tmp_path / "ann")
    assert (folder / "passages.hnsw").is_file() and (folder / "units.hnsw").is_file()
    assert not (current_version(tmp_path / "exact") / "passages.hnsw").exists()
    exact = load_index(tmp_path / "exact", exact_settings, FakeEmbedder())
    ann = load_index(tmp_path / "ann", ann_settings, FakeEmbedder())
    assert ann.passage_search.approximate and not exact.passage_search.approximate

    rng = np.random.default_rng(7)
    recalls = []
    for _ in range(30):
        query = exact.encode_query(" ".join(rng.choice(WORDS, 4)))
        want_scores, want = exact.passage_search.search(query, 10)
        got_scores, got = ann.passage_search.search(query, 10)
        recalls.append(len(set(want) & set(got)) / 10)
        # Scores of what is found are exact, so they never exceed the true best.
        assert got_scores[0] <= want_scores[0] + 1e-5
        np.testing.assert_allclose(got_scores, ann.stored.vectors[got] @ query, rtol=1e-5)
    assert np.mean(recalls) >= 0.9, np.mean(recalls)

    # An incremental update rebuilds the graph from the stored vectors: new text is found.
    (docs / "new.txt").write_text("Zebras graze on the savanna near acacia trees.", "utf-8")
    report = build_index(docs, tmp_path / "ann", ann_settings, FakeEmbedder())
    assert report.changes.added == ["new.txt"]
    ann = load_index(tmp_path / "ann", ann_settings, FakeEmbedder())
    query = ann.encode_query("Zebras graze on the savanna near acacia trees.")
    _, rows = ann.passage_search.search(query, 1)
    assert ann.stored.passages[int(rows[0])].source == "new.txt"
    assert ann.search("zebras savanna", 1)[0].source == "new.txt"
