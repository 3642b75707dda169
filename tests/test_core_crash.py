"""A build killed part-way never harms the index in service; the next build cleans up after it."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest

from indexer import Settings, build_index, load_index
from indexer.store.milvus.store import release

from .conftest import ROOT
from .fakes import FakeEmbedder

QUERIES = [
    "How many times have Meta's Llama 3 models been downloaded?",
    "Why is recalling an AI model so disruptive?",
    "Which policy did Anthropic trigger to block the release?",
]
WAIT_SECONDS = 60

# Builds DOCS into INDEX (or the Milvus Lite file URI) with a fake embedder that says when it
# starts embedding. In "embedding" mode each model call is slow; in "writing" mode each fsync
# (local) or each insert into Milvus is, which keeps the new version half-written long enough
# to be killed there.
CHILD = textwrap.dedent(
    """
    import os, sys, time
    docs, index, marker, mode, uri = sys.argv[1:6]
    from indexer import Settings, build_index
    from tests.fakes import FakeEmbedder

    class SlowFake(FakeEmbedder):
        def encode(self, texts):
            if self.calls == 0:
                with open(marker, "w") as handle:
                    handle.write("embedding")
            if mode == "embedding":
                time.sleep(0.5)
            return super().encode(texts)

    if mode == "writing" and not uri:
        real_fsync = os.fsync

        def slow_fsync(fd):
            time.sleep(0.3)
            real_fsync(fd)

        os.fsync = slow_fsync
    if mode == "writing" and uri:
        from pymilvus import MilvusClient

        real_insert = MilvusClient.insert

        def slow_insert(self, *args, **kwargs):
            with open(marker + ".writing", "w") as handle:
                handle.write("writing")
            time.sleep(0.3)
            return real_insert(self, *args, **kwargs)

        MilvusClient.insert = slow_insert
    build_index(docs, index, Settings(milvus_uri=uri), SlowFake())
    print("finished", flush=True)
    """
)


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory) -> Path:
    """3,000 generated files: long enough to build that a kill lands in the middle."""
    docs = tmp_path_factory.mktemp("big") / "docs"
    rng = random.Random(7)
    words = ["audit", "model", "release", "policy", "revenue", "safety", "market", "review"]
    for i in range(3000):
        folder = docs / f"part{i // 500}"
        folder.mkdir(parents=True, exist_ok=True)
        body = " ".join(rng.choice(words) for _ in range(60))
        (folder / f"note_{i:04d}.txt").write_text(
            f"Note {i}\nGenerated note number {i} says {body}.\n", encoding="utf-8"
        )
    return docs


@pytest.fixture
def served(seeds_copy, tmp_path, any_store):
    """A good index of the seeds (in each store), and what it answers before anything goes wrong."""
    index_dir = tmp_path / "index"
    build_index(seeds_copy, index_dir, any_store, FakeEmbedder())
    return seeds_copy, index_dir, any_store, observe(index_dir, any_store)


def observe(index_dir: Path, settings: Settings):
    """Everything a user sees from the index: search hits and full answers."""
    index = load_index(index_dir, replace(settings, min_answer_score=-1.0), FakeEmbedder())
    seen = [(index.search(q, 5), index.answer(q)) for q in QUERIES]
    release(settings.milvus_uri)  # Milvus Lite: let the next process open the file
    return seen


def start_child(tmp_path: Path, docs: Path, index_dir: Path, mode: str, settings: Settings):
    marker = tmp_path / f"{mode}.marker"
    command = [sys.executable, "-c", CHILD, str(docs), str(index_dir), str(marker), mode]
    with open(tmp_path / f"{mode}.log", "w") as log:  # the child keeps its own copy
        child = subprocess.Popen(
            [*command, settings.milvus_uri],
            cwd=ROOT,  # `-c` puts the working folder first on the path: tests.fakes imports
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return child, marker


def wait_for(condition, child, log_path: Path, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if child.poll() is not None:
            pytest.fail(f"the build ended before {what}:\n{log_path.read_text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"no sign of {what} after {WAIT_SECONDS} s")
        time.sleep(0.002)


def kill(child) -> None:
    if child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=WAIT_SECONDS)


def leftovers(index_dir: Path, settings: Settings) -> list:
    """What interrupted builds left: staging folders, or Milvus versions never put in service."""
    if not settings.milvus_uri:
        return sorted(index_dir.glob(".tmp-*"))
    found = milvus_versions(settings)
    current = found.current()
    left = [s for s in found.stamps() if current is None or s > current]
    release(settings.milvus_uri)
    return left


def versions(index_dir: Path, settings: Settings) -> list[str]:
    """The whole versions kept."""
    if not settings.milvus_uri:
        return sorted(p.parent.name for p in index_dir.glob("*/manifest.json"))
    found = milvus_versions(settings)
    whole = sorted(s for s in found.stamps() if found.is_whole(s))
    release(settings.milvus_uri)
    return whole


def milvus_versions(settings: Settings):
    from indexer.store.milvus.store import MilvusStore

    return MilvusStore(settings, Path("unused")).versions


def assert_rebuild_cleans_up(docs: Path, index_dir: Path, settings: Settings) -> None:
    (docs / "after-crash.txt").write_text(
        "After the crash the wombat index was rebuilt without trouble.\n", encoding="utf-8"
    )
    report = build_index(docs, index_dir, settings, FakeEmbedder())
    assert report.changes.added == ["after-crash.txt"]
    assert leftovers(index_dir, settings) == []
    index = load_index(index_dir, settings, FakeEmbedder())
    assert index.search("wombat rebuilt", 1)[0].source == "after-crash.txt"
    release(settings.milvus_uri)


def test_kill_while_embedding_keeps_the_previous_index(served, big_corpus, tmp_path):
    docs, index_dir, settings, before = served
    served_versions = versions(index_dir, settings)
    child, marker = start_child(tmp_path, big_corpus, index_dir, "embedding", settings)
    try:
        wait_for(marker.exists, child, tmp_path / "embedding.log", "embedding")
    finally:
        kill(child)
    assert child.returncode == -signal.SIGKILL

    assert versions(index_dir, settings) == served_versions
    assert observe(index_dir, settings) == before
    assert_rebuild_cleans_up(docs, index_dir, settings)


def test_kill_while_writing_the_new_version_keeps_the_previous_index(served, big_corpus, tmp_path):
    docs, index_dir, settings, before = served
    served_versions = versions(index_dir, settings)
    child, marker = start_child(tmp_path, big_corpus, index_dir, "writing", settings)
    writing = Path(str(marker) + ".writing")  # the child's own word (Milvus Lite is its alone)
    started = (
        (lambda: leftovers(index_dir, settings)) if not settings.milvus_uri else writing.exists
    )
    try:
        wait_for(started, child, tmp_path / "writing.log", "a new version")
        if settings.milvus_uri:
            time.sleep(1.0)  # a few inserts in
    finally:
        kill(child)
    assert child.returncode == -signal.SIGKILL
    assert leftovers(index_dir, settings), "the kill should land while the version is written"

    assert versions(index_dir, settings) == served_versions
    assert observe(index_dir, settings) == before
    assert_rebuild_cleans_up(docs, index_dir, settings)


@pytest.mark.parametrize("seed", range(18))
def test_a_kill_at_a_random_moment_never_breaks_the_served_index(
    served, big_corpus, tmp_path, seed
):
    """With the two kills above, twenty SIGKILLs at moments nobody chose."""
    docs, index_dir, settings, before = served
    mode = "writing" if seed % 2 else "embedding"
    child, _ = start_child(tmp_path, big_corpus, index_dir, mode, settings)
    time.sleep(random.Random(seed).uniform(0.5, 4.0))  # imports, reading, embedding, writing
    kill(child)
    # A finished build may serve.
    assert observe(index_dir, settings) == before or child.returncode == 0
    if child.returncode == 0:
        return
    assert_rebuild_cleans_up(docs, index_dir, settings)


def test_a_kill_between_rename_and_swap_keeps_the_served_version(served, tmp_path):
    """A complete version the pointer never named is not served, and the served one stays."""
    docs, index_dir, settings, before = served
    if settings.milvus_uri:  # a whole version written, the alias not yet moved to it
        from indexer.store.milvus.rows import write_rows
        from indexer.store.milvus.store import read_manifest, read_rows

        found = milvus_versions(settings)
        (stamp,) = found.stamps()
        found.load(stamp)
        manifest = read_manifest(found.client, found, stamp)
        stored = read_rows(found.client, found, stamp, manifest)
        never_served = "v99999999t999999999999zzzzzz"
        write_rows(found.client, found, never_served, manifest, stored, {}, None)
        assert found.is_whole(never_served) and found.current() == stamp
        release(settings.milvus_uri)
    else:
        (old,) = [p for p in index_dir.glob("v-*")]
        never_served = index_dir / ("v-99999999T999999999999-" + old.name[-6:])
        shutil.copytree(old, never_served)  # what a kill right after the rename leaves
    assert observe(index_dir, settings) == before
    assert_rebuild_cleans_up(docs, index_dir, settings)
    if settings.milvus_uri:
        assert never_served not in versions(index_dir, settings)
        assert len(versions(index_dir, settings)) == 2
    else:
        assert not never_served.exists()
        assert len(list(index_dir.glob("v-*"))) == 2  # the new version and the one before
