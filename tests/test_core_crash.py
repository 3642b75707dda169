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
from pathlib import Path

import pytest

from indexer import Settings, build_index, load_index

from .conftest import ROOT
from .fakes import FakeEmbedder

QUERIES = [
    "How many times have Meta's Llama 3 models been downloaded?",
    "Why is recalling an AI model so disruptive?",
    "Which policy did Anthropic trigger to block the release?",
]
WAIT_SECONDS = 60

# Builds DOCS into INDEX with a fake embedder that says when it starts embedding. In
# "embedding" mode each model call is slow; in "writing" mode each fsync is, which keeps the
# new version half-written on disk long enough to be killed there.
CHILD = textwrap.dedent(
    """
    import os, sys, time
    docs, index, marker, mode = sys.argv[1:5]
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

    if mode == "writing":
        real_fsync = os.fsync

        def slow_fsync(fd):
            time.sleep(0.3)
            real_fsync(fd)

        os.fsync = slow_fsync
    build_index(docs, index, Settings(), SlowFake())
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
def served(seeds_copy, tmp_path):
    """A good index of the seeds, and what it answers before anything goes wrong."""
    index_dir = tmp_path / "index"
    build_index(seeds_copy, index_dir, Settings(), FakeEmbedder())
    return seeds_copy, index_dir, observe(index_dir)


def observe(index_dir: Path):
    """Everything a user sees from the index: search hits and full answers."""
    index = load_index(index_dir, Settings(min_answer_score=-1.0), FakeEmbedder())
    return [(index.search(q, 5), index.answer(q)) for q in QUERIES]


def start_child(tmp_path: Path, docs: Path, index_dir: Path, mode: str):
    marker = tmp_path / f"{mode}.marker"
    with open(tmp_path / f"{mode}.log", "w") as log:  # the child keeps its own copy
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(docs), str(index_dir), str(marker), mode],
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


def leftovers(index_dir: Path) -> list[Path]:
    return sorted(index_dir.glob(".tmp-*"))


def versions(index_dir: Path) -> list[str]:
    return sorted(p.parent.name for p in index_dir.glob("*/manifest.json"))


def assert_rebuild_cleans_up(docs: Path, index_dir: Path) -> None:
    (docs / "after-crash.txt").write_text(
        "After the crash the wombat index was rebuilt without trouble.\n", encoding="utf-8"
    )
    report = build_index(docs, index_dir, Settings(), FakeEmbedder())
    assert report.changes.added == ["after-crash.txt"]
    assert leftovers(index_dir) == []
    index = load_index(index_dir, Settings(), FakeEmbedder())
    assert index.search("wombat rebuilt", 1)[0].source == "after-crash.txt"


def test_kill_while_embedding_keeps_the_previous_index(served, big_corpus, tmp_path):
    docs, index_dir, before = served
    served_versions = versions(index_dir)
    child, marker = start_child(tmp_path, big_corpus, index_dir, "embedding")
    try:
        wait_for(marker.exists, child, tmp_path / "embedding.log", "embedding")
    finally:
        kill(child)
    assert child.returncode == -signal.SIGKILL

    assert versions(index_dir) == served_versions
    assert observe(index_dir) == before
    assert_rebuild_cleans_up(docs, index_dir)


def test_kill_while_writing_the_new_version_keeps_the_previous_index(served, big_corpus, tmp_path):
    docs, index_dir, before = served
    served_versions = versions(index_dir)
    child, _ = start_child(tmp_path, big_corpus, index_dir, "writing")
    try:
        wait_for(lambda: leftovers(index_dir), child, tmp_path / "writing.log", "a new version")
    finally:
        kill(child)
    assert child.returncode == -signal.SIGKILL
    assert leftovers(index_dir), "the kill should land while the new version is being written"

    assert versions(index_dir) == served_versions
    assert observe(index_dir) == before
    assert_rebuild_cleans_up(docs, index_dir)


@pytest.mark.parametrize("seed", range(18))
def test_a_kill_at_a_random_moment_never_breaks_the_served_index(
    served, big_corpus, tmp_path, seed
):
    """With the two kills above, twenty SIGKILLs at moments nobody chose."""
    docs, index_dir, before = served
    mode = "writing" if seed % 2 else "embedding"
    child, _ = start_child(tmp_path, big_corpus, index_dir, mode)
    time.sleep(random.Random(seed).uniform(0.5, 4.0))  # imports, reading, embedding, writing
    kill(child)
    assert observe(index_dir) == before or child.returncode == 0  # a finished build may serve
    if child.returncode == 0:
        return
    assert_rebuild_cleans_up(docs, index_dir)


def test_a_kill_between_rename_and_swap_keeps_the_served_version(served, tmp_path):
    """A complete version the pointer never named is not served, and the served one stays."""
    docs, index_dir, before = served
    (old,) = [p for p in index_dir.glob("v-*")]
    never_served = index_dir / ("v-99999999T999999999999-" + old.name[-6:])
    shutil.copytree(old, never_served)  # what a kill right after the rename leaves
    assert observe(index_dir) == before
    assert_rebuild_cleans_up(docs, index_dir)
    assert not never_served.exists()
    assert len(list(index_dir.glob("v-*"))) == 2  # the new version and the one served before
