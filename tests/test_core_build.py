"""Building: incremental updates embed only what changed; the index folder describes itself."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest

from indexer import Settings, build_index, load_index
from indexer.errors import (
    BuildInProgressError,
    DocumentsFolderError,
    IndexerError,
    IndexMismatchError,
    NoIndexError,
)
from indexer.store.disk import build_lock
from indexer.store.manifest import Manifest

from .fakes import FakeEmbedder, all_passages

SEED_NAMES = ["002_6d34ce2141a5a6b8.txt", "003_6e8c9ce309fc04e5.txt", "004_0496f1b9ade24f07.txt"]


def manifests(index_dir: Path) -> list[Path]:
    return sorted(index_dir.glob("*/manifest.json"))


def current_manifest(index_dir: Path, settings: Settings) -> Manifest:
    return load_index(index_dir, settings, FakeEmbedder()).manifest


def from_file(embedded: str, text: str) -> bool:
    """Whether an embedded text (context prefix, then quoted text) was cut from this file."""
    return all(piece in text for piece in embedded.split("\n"))


def snapshot(index_dir: Path, settings: Settings, queries: list[str]):
    index = load_index(index_dir, settings, FakeEmbedder())
    return [
        [
            (h.source, h.start, h.end, h.line_start, h.text, round(h.score, 6))
            for h in index.search(q, 5)
        ]
        for q in queries
    ]


@pytest.fixture
def settings(any_store) -> Settings:
    """Every build test runs against the local store and against Milvus Lite."""
    return any_store


@pytest.fixture
def built(seeds_copy, tmp_path, settings):
    """The seeds copied and built once with the fake embedder; returns (docs, index)."""
    index_dir = tmp_path / "index"
    report = build_index(seeds_copy, index_dir, settings, FakeEmbedder())
    assert sorted(report.changes.added) == SEED_NAMES
    assert report.embedded > 0
    return seeds_copy, index_dir


def test_first_build_embeds_every_passage_and_serves_them(built, settings):
    docs, index_dir = built
    index = load_index(index_dir, settings, FakeEmbedder())
    sources = {p.source for p in all_passages(index)}
    assert sources == set(SEED_NAMES)
    hit = index.search("Llama 3 downloaded 350 million times", 1)[0]
    assert hit.source == "002_6d34ce2141a5a6b8.txt"
    assert "350 million" in hit.text


def test_rebuild_without_changes_embeds_nothing(built, settings):
    docs, index_dir = built
    before = manifests(index_dir)
    fake = FakeEmbedder()
    report = build_index(docs, index_dir, settings, fake)
    assert fake.texts == []
    assert report.embedded == 0
    assert sorted(report.changes.unchanged) == SEED_NAMES
    assert (
        report.changes.added
        == report.changes.changed
        == report.changes.removed
        == report.skipped
        == []
    )
    assert report.passages > 0
    assert manifests(index_dir) == before  # no new version written for nothing


def test_changed_file_is_the_only_one_embedded(built, settings, docs_text):
    docs, index_dir = built
    name = "003_6e8c9ce309fc04e5.txt"
    with open(docs / name, "a", encoding="utf-8") as handle:
        handle.write("\nUpdate\nThe capybara is the largest living rodent in South America.\n")
    text = docs_text(docs, name)
    fake = FakeEmbedder()
    report = build_index(docs, index_dir, settings, fake)

    assert report.changes.changed == [name]
    assert sorted(report.changes.unchanged) == sorted(set(SEED_NAMES) - {name})
    assert report.changes.added == report.changes.removed == []
    assert fake.texts, "the changed file was not embedded again"
    assert report.embedded == len(fake.texts)
    strays = [t for t in fake.texts if not from_file(t, text)]
    assert not strays, f"texts from unchanged files were embedded again: {strays[:2]}"
    assert any("capybara" in t for t in fake.texts)

    index = load_index(index_dir, settings, FakeEmbedder())
    hit = index.search("largest living rodent capybara", 1)[0]
    assert hit.source == name
    assert "capybara is the largest living rodent" in hit.text
    assert text[hit.start : hit.end] == hit.text


def test_touched_file_with_the_same_content_is_not_embedded_again(built, settings):
    docs, index_dir = built
    path = docs / "002_6d34ce2141a5a6b8.txt"
    path.write_bytes(path.read_bytes())
    os.utime(path, (1_900_000_000, 1_900_000_000))
    fake = FakeEmbedder()
    report = build_index(docs, index_dir, settings, fake)
    assert fake.texts == []
    assert sorted(report.changes.unchanged) == SEED_NAMES


def test_added_file_is_reported_and_embedded_alone(built, settings):
    docs, index_dir = built
    (docs / "more").mkdir()
    new_text = "Axolotls can regrow lost limbs. They live in lakes near Mexico City.\n"
    (docs / "more" / "axolotl.md").write_text(new_text, encoding="utf-8")
    fake = FakeEmbedder()
    report = build_index(docs, index_dir, settings, fake)

    assert report.changes.added == ["more/axolotl.md"]
    assert sorted(report.changes.unchanged) == SEED_NAMES
    assert fake.texts and all(from_file(t, new_text) for t in fake.texts)
    hit = load_index(index_dir, settings, FakeEmbedder()).search("axolotls regrow limbs", 1)[0]
    assert hit.source == "more/axolotl.md"


def test_removed_file_is_reported_and_its_passages_are_gone(built, settings):
    docs, index_dir = built
    name = "004_0496f1b9ade24f07.txt"
    (docs / name).unlink()
    fake = FakeEmbedder()
    report = build_index(docs, index_dir, settings, fake)

    assert report.changes.removed == [name]
    assert sorted(report.changes.unchanged) == sorted(set(SEED_NAMES) - {name})
    assert fake.texts == []
    index = load_index(index_dir, settings, FakeEmbedder())
    assert name not in {p.source for p in all_passages(index)}
    hits = index.search("Why is recalling an AI model so disruptive? jailbreak recall", 10)
    assert hits and all(h.source != name for h in hits)
    assert name not in current_manifest(index_dir, settings).files


def test_renamed_file_is_not_embedded_again_and_cites_its_new_name(built, settings, docs_text):
    docs, index_dir = built
    old, new = "002_6d34ce2141a5a6b8.txt", "renamed/anthropic-pause.txt"
    (docs / "renamed").mkdir()
    (docs / old).rename(docs / new)
    fake = FakeEmbedder()
    report = build_index(docs, index_dir, settings, fake)

    assert fake.texts == []
    assert report.embedded == 0
    assert report.changes.renamed == [(old, new)]
    assert report.changes.added == [] and report.changes.removed == []
    index = load_index(index_dir, settings, FakeEmbedder())
    assert old not in {p.source for p in all_passages(index)}
    hit = index.search("Llama 3 downloaded 350 million times", 1)[0]
    assert hit.source == new
    assert docs_text(docs, new)[hit.start : hit.end] == hit.text


def test_copied_file_is_cited_under_both_names_without_embedding(built, settings, docs_text):
    docs, index_dir = built
    original = "003_6e8c9ce309fc04e5.txt"
    shutil.copy(docs / original, docs / "copy.txt")
    fake = FakeEmbedder()
    report = build_index(docs, index_dir, settings, fake)

    assert report.changes.added == ["copy.txt"]
    assert report.changes.duplicates == [("copy.txt", original)]
    assert fake.texts == []
    index = load_index(index_dir, settings, FakeEmbedder())
    hits = index.search("Responsible Scaling Policy", 3)
    assert hits[0].source == original and hits[0].copies == ("copy.txt",)
    assert all(h.source != "copy.txt" for h in hits)  # one passage, not two identical ones
    for name in (original, "copy.txt"):
        assert docs_text(docs, name)[hits[0].start : hits[0].end] == hits[0].text
    assert "(also copy.txt)" in index.answer("What is the Responsible Scaling Policy?").citation(
        index.answer("What is the Responsible Scaling Policy?").quotes[0]
    )


def test_manifest_describes_the_index(built, settings, docs_text):
    docs, index_dir = built
    if settings.milvus_uri:  # the manifest is kept in the version's own collection
        manifest = json.loads(current_manifest(index_dir, settings).to_json())
    else:
        (manifest_path,) = manifests(index_dir)
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))

    assert isinstance(manifest["format_version"], int)
    assert manifest["model"] == "fake-hash-64"
    assert manifest["dimension"] == 64
    assert manifest["splitter"]["passage_max_chars"] == settings.passage_max_chars
    assert manifest["splitter"]["passage_min_chars"] == settings.passage_min_chars
    assert sorted(manifest["files"]) == SEED_NAMES
    for name, info in manifest["files"].items():
        assert info["sha256"] == hashlib.sha256((docs / name).read_bytes()).hexdigest()
        assert info["passages"] > 0
    index = load_index(index_dir, settings, FakeEmbedder())
    assert manifest["counts"]["files"] == 3
    assert manifest["counts"]["passages"] == len(all_passages(index))
    assert sum(info["passages"] for info in manifest["files"].values()) == len(index)
    assert manifest["built_at"][:2] == "20"


def test_loading_with_another_model_asks_for_a_rebuild(built, settings):
    docs, index_dir = built
    with pytest.raises(IndexMismatchError) as caught:
        load_index(index_dir, settings, FakeEmbedder(name="another-model"))
    message = str(caught.value)
    assert "rebuild" in message.lower()
    assert "fake-hash-64" in message and "another-model" in message


def test_loading_with_other_passage_settings_asks_for_a_rebuild(built, settings):
    docs, index_dir = built
    with pytest.raises(IndexMismatchError, match="(?i)rebuild"):
        load_index(index_dir, replace(settings, passage_max_chars=500), FakeEmbedder())


def test_building_with_another_model_rebuilds_everything(built, settings, docs_text):
    docs, index_dir = built
    fake = FakeEmbedder(name="another-model", dimension=32)
    report = build_index(docs, index_dir, settings, fake)
    assert report.embedded == len(fake.texts) > 0
    for name in SEED_NAMES:  # vectors of another model are never mixed in: all embedded again
        text = docs_text(docs, name)
        assert any(from_file(t, text) for t in fake.texts), name
    index = load_index(index_dir, settings, FakeEmbedder(name="another-model", dimension=32))
    assert index.manifest.model == "another-model"
    assert index.search("Llama downloads", 1)[0].source == "002_6d34ce2141a5a6b8.txt"


def test_loading_a_folder_without_an_index_says_so(tmp_path, settings):
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    for folder in (empty, tmp_path / "missing"):
        with pytest.raises(NoIndexError, match="(?i)build"):
            load_index(folder, settings, FakeEmbedder())


def test_missing_documents_folder_leaves_the_previous_index(built, tmp_path, settings):
    docs, index_dir = built
    queries = ["Llama downloads", "recall jailbreak", "Responsible Scaling Policy"]
    before = snapshot(index_dir, settings, queries)
    versions = manifests(index_dir)
    with pytest.raises(DocumentsFolderError) as caught:
        build_index(tmp_path / "no-such-folder", index_dir, settings, FakeEmbedder())
    assert "no-such-folder" in str(caught.value)
    assert manifests(index_dir) == versions
    assert snapshot(index_dir, settings, queries) == before


def test_documents_folder_without_documents_leaves_the_previous_index(built, tmp_path, settings):
    docs, index_dir = built
    queries = ["Llama downloads", "recall jailbreak"]
    before = snapshot(index_dir, settings, queries)
    shutil.rmtree(docs)
    docs.mkdir()
    (docs / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(DocumentsFolderError):
        build_index(docs, index_dir, settings, FakeEmbedder())
    assert snapshot(index_dir, settings, queries) == before


@pytest.mark.parametrize(
    "content",
    ["...\n!!!\n* * *\n", "| Name | Value |\n|---|---|\n"],
    ids=["punctuation-only", "table-header-only"],
)
def test_documents_without_a_single_word_fail_gently(built, tmp_path, settings, content):
    docs, index_dir = built
    queries = ["Llama downloads", "recall jailbreak"]
    before = snapshot(index_dir, settings, queries)
    wordless = tmp_path / "wordless"
    wordless.mkdir()
    (wordless / "marks.txt").write_text(content, encoding="utf-8")
    try:
        build_index(wordless, index_dir, settings, FakeEmbedder())
    except IndexerError as error:  # one sentence for the user, and the old index kept
        assert str(error)
        assert snapshot(index_dir, settings, queries) == before
    else:  # or an index that can be searched
        load_index(index_dir, settings, FakeEmbedder()).search("value", 1)


def test_a_build_asked_while_another_runs_waits_its_turn_then_builds(built, settings):
    import threading

    docs, index_dir = built
    (docs / "new.txt").write_text("A new file waiting to be indexed.\n", encoding="utf-8")
    held, seen = threading.Event(), []

    def other_build() -> None:
        with build_lock(index_dir):
            held.set()
            time.sleep(1.5)

    other = threading.Thread(target=other_build)
    other.start()
    held.wait()
    began = time.monotonic()
    report = build_index(docs, index_dir, settings, FakeEmbedder(), lambda *a: seen.append(a))
    other.join()
    assert time.monotonic() - began >= 1.0  # it waited for the other build to finish ...
    assert report.changes.added == ["new.txt"]  # ... then built
    assert seen[0][0] == "Waiting for another build to finish" and seen[0][2] == 1800


def test_a_build_that_waited_past_its_bound_is_refused_in_one_sentence(built, settings):
    docs, index_dir = built
    (docs / "new.txt").write_text("A new file waiting to be indexed.\n", encoding="utf-8")
    fake = FakeEmbedder()
    impatient = replace(settings, build_wait_seconds=0.5)
    with build_lock(index_dir), pytest.raises(BuildInProgressError) as refused:
        build_index(docs, index_dir, impatient, fake)
    assert str(refused.value).endswith("did not finish within 0.5 s; try again when it is done.")
    assert fake.texts == []
    report = build_index(docs, index_dir, settings, FakeEmbedder())  # the lock is free again
    assert report.changes.added == ["new.txt"]


def test_new_weights_at_the_same_model_path_are_never_mixed_in(seeds_copy, tmp_path, settings):
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"first weights")

    class Weighted(FakeEmbedder):
        def weight_files(self):
            return [weights]

    build_index(seeds_copy, tmp_path / "index", settings, Weighted())
    assert load_index(tmp_path / "index", settings, Weighted()).manifest.model_sha256
    weights.write_bytes(b"other weights!")  # same name and path, other bytes
    with pytest.raises(IndexMismatchError, match="other weights"):
        load_index(tmp_path / "index", settings, Weighted())
    fresh = Weighted()
    report = build_index(seeds_copy, tmp_path / "index", settings, fresh)
    assert "other weights" in report.full_rebuild_reason
    assert report.embedded == len(fresh.texts) > 0  # every vector made again, none reused
    load_index(tmp_path / "index", settings, Weighted())


def test_a_quote_from_a_file_changed_since_indexing_is_marked_stale(built, settings):
    docs, index_dir = built
    index = load_index(index_dir, settings, FakeEmbedder())
    hit = index.search("Llama downloads", 1)[0]
    assert not hit.stale and "changed since" not in hit.to_record()["citation"]
    with open(docs / hit.source, "a", encoding="utf-8") as handle:
        handle.write("\nA line added after indexing.\n")
    again = index.search("Llama downloads", 1)[0]
    assert again.stale and again.to_record()["stale"] is True
    assert "[the file changed since it was indexed]" in again.to_record()["citation"]
    other = next(h for h in index.search("jailbreak recall", 10) if h.source != hit.source)
    assert not other.stale
    (docs / other.source).unlink()  # vanished: stale too
    assert all(h.stale for h in index.search("jailbreak recall", 10) if h.source == other.source)
