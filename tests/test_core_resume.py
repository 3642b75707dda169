"""A build killed part-way and started again goes on from what it had finished: no file read or
embedded twice, and the version in service answers all the while.

The command line runs as a subprocess (`indexer.cli.main`, as `python -m indexer build` runs it)
with the fake embedder slowed down, so that a SIGKILL lands where the test waits for it; the
test marked model runs `python -m indexer build` itself, with the bundled model.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from indexer import Settings, build_index, load_index
from indexer.build.checkpoint import FOLDER, RACY_NS, Checkpoint
from indexer.build.journal import Journal
from indexer.store.disk import read_version
from indexer.store.versions import current_version

from .conftest import ROOT
from .fakes import FakeEmbedder
from .test_core_crash import kill, wait_for

FILES = 400
WAIT_SECONDS = 120
# The CLI with the fake embedder, each file read and each model call logged (and slowed).
CHILD = textwrap.dedent(
    """
    import sys, time
    import indexer.build.blocks as blocks
    import indexer.build.reading as reading
    import indexer.build.update as update
    from tests.fakes import FakeEmbedder

    log, read_delay, embed_delay = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    blocks.GROUP_TEXTS = 64  # a checkpoint every few files, as the real model's (per file)

    class Slow(FakeEmbedder):
        def encode(self, texts):
            time.sleep(embed_delay)
            return super().encode(texts)

    start_reading = reading.start_reading

    def logged(docs, path, *args):
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(path.name + "\\n")
        time.sleep(read_delay)
        return start_reading(docs, path, *args)

    reading.start_reading = logged
    update.embedder_for = lambda settings: Slow()
    from indexer.cli import main

    sys.exit(main(sys.argv[4:]))
    """
)


class _Killed(Exception):
    """What stops a build in-process where a kill would."""


class _Interrupting(FakeEmbedder):
    def encode(self, texts):
        raise _Killed


@pytest.fixture(scope="module")
def notes(tmp_path_factory) -> Path:
    """A folder of 400 notes of a few paragraphs, plus the one file the old version holds."""
    docs = tmp_path_factory.mktemp("notes") / "docs"
    docs.mkdir()
    rng = random.Random(3)
    words = ["harbour", "ledger", "invoice", "cargo", "tariff", "vessel", "crane", "pilot"]
    for i in range(FILES):
        paragraphs = [
            f"Note {i} paragraph {p}: the {' '.join(rng.choices(words, k=12))}. "
            f"Then the {' '.join(rng.choices(words, k=9))}."
            for p in range(rng.randint(2, 6))
        ]
        (docs / f"note_{i:03d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    (docs / "old.txt").write_text(
        "The wombat archive was founded in 1987 by Margaret Hale.\n", encoding="utf-8"
    )
    # A file changed just before it is read may change again unseen: its reading is not kept.
    time.sleep(RACY_NS / 1e9 + 0.1)
    return docs


def serve_old(notes: Path, index_dir: Path, embedder) -> None:
    """Put in service a version that holds old.txt alone, as if built before the notes came."""
    first = index_dir.parent / f"{index_dir.name}-first"
    first.mkdir()
    (first / "old.txt").write_bytes((notes / "old.txt").read_bytes())
    build_index(first, index_dir, Settings(), embedder)


def uninterrupted(notes: Path, index_dir: Path, embedder):
    """Build the notes over the same old version, never interrupted: what a resume must equal."""
    serve_old(notes, index_dir, embedder)
    return build_index(notes, index_dir, Settings(), embedder)


@pytest.fixture
def served(notes, tmp_path):
    index_dir = tmp_path / "index"
    serve_old(notes, index_dir, FakeEmbedder())
    return index_dir


def command(notes: Path, index_dir: Path, log: Path, read_delay=0.0, embed_delay=0.0) -> list:
    """The build command with the fake embedder, files read logged to log."""
    child = [sys.executable, "-c", CHILD, str(log), str(read_delay), str(embed_delay)]
    return [*child, "build", str(notes), "--index", str(index_dir)]


def kill_when(build: list, condition, what: str, tmp_path: Path, cwd=ROOT, env=None) -> None:
    """Start a build, and SIGKILL it as soon as condition holds."""
    output = tmp_path / "killed.out"
    with open(output, "w") as handle:
        child = subprocess.Popen(build, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT)
    try:
        wait_for(condition, child, output, what)
    finally:
        kill(child)
    assert child.returncode == -signal.SIGKILL


def records(index_dir: Path, kind: str) -> int:
    """How many records of a kind ("read", "embedded") the index folder's checkpoint holds."""
    return Checkpoint(index_dir).kept()[kind]


def assert_old_version_serves(index_dir: Path) -> None:
    index = load_index(index_dir, Settings(), FakeEmbedder())
    assert list(index.manifest.files) == ["old.txt"]
    assert index.search("wombat archive", 1)[0].source == "old.txt"


def assert_same_index(index_dir: Path, clean_dir: Path) -> None:
    """The resumed build's version holds what a build never interrupted holds."""
    got, want = (read_version(current_version(d)) for d in (index_dir, clean_dir))
    assert [p.to_record() for p in got.passages] == [p.to_record() for p in want.passages]
    assert np.array_equal(got.units, want.units)
    assert np.allclose(got.vectors, want.vectors) and np.allclose(
        got.unit_vectors, want.unit_vectors
    )


def finish(notes, index_dir, log: Path) -> tuple[str, dict]:
    """Run the build again to the end; return its printed report and the report it kept."""
    done = subprocess.run(
        command(notes, index_dir, log), cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    out, err = done.stdout, done.stderr
    assert done.returncode == 0 and not err.strip(), err
    manifest = json.loads((current_version(index_dir) / "manifest.json").read_text("utf-8"))
    assert not (index_dir / FOLDER).exists()  # the version in service holds what it kept
    return out, manifest["report"]


def resumed(out: str) -> tuple[int, int, int]:
    found = re.search(
        r"resumed an interrupted build: ([\d,]+) files? it had read and ([\d,]+) files? it had "
        r"embedded \(([\d,]+) texts?\) were not done again",
        out,
    )
    assert found, out
    return tuple(int(group.replace(",", "")) for group in found.groups())


def test_a_build_killed_while_embedding_goes_on_without_reading_or_embedding_again(
    served, notes, tmp_path
):
    index_dir = served
    first = command(notes, index_dir, tmp_path / "first.log", embed_delay=0.05)
    kill_when(first, lambda: records(index_dir, "embedded") >= 5, "five files embedded", tmp_path)
    kept_reads, kept_embedded = records(index_dir, "read"), records(index_dir, "embedded")
    assert kept_reads == FILES + 1 and kept_embedded < FILES  # killed part-way through embedding
    assert_old_version_serves(index_dir)

    out, report = finish(notes, index_dir, tmp_path / "second.log")
    clean = uninterrupted(notes, tmp_path / "clean", FakeEmbedder())
    reads, files, texts = resumed(out)
    # Nothing read again, and nothing embedded again of what had been embedded.
    assert not (tmp_path / "second.log").exists() and report["read"] == 0
    assert reads == FILES + 1 and files == kept_embedded
    assert report["embedded"] + texts == clean.embedded and 0 < report["embedded"] < clean.embedded
    assert f"({report['embedded']} embedded)" in out
    assert_same_index(index_dir, tmp_path / "clean")


def test_a_build_killed_while_reading_reads_only_the_files_it_had_not_read(served, notes, tmp_path):
    index_dir = served
    first = command(notes, index_dir, tmp_path / "first.log", read_delay=0.01)
    kill_when(first, lambda: records(index_dir, "read") >= 100, "a hundred files read", tmp_path)
    kept = records(index_dir, "read")
    assert kept < FILES and records(index_dir, "embedded") == 0
    assert_old_version_serves(index_dir)

    out, report = finish(notes, index_dir, tmp_path / "second.log")
    first = (tmp_path / "first.log").read_text("utf-8").split()
    second = (tmp_path / "second.log").read_text("utf-8").split()
    assert resumed(out)[0] == kept and report["read"] == len(second) == FILES + 1 - kept
    # At most the one file being read when the kill came is read again.
    assert len(set(first) & set(second)) <= 1 and set(first) | set(second) == {
        p.name for p in notes.iterdir()
    }
    clean = uninterrupted(notes, tmp_path / "clean", FakeEmbedder())
    assert report["embedded"] == clean.embedded
    assert_same_index(index_dir, tmp_path / "clean")


def test_a_file_changed_since_the_kill_is_read_again(served, notes, tmp_path):
    """A reading is kept by the file's size and change time: a changed file is read afresh."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("note_000.txt", "note_001.txt"):
        (docs / name).write_bytes((notes / name).read_bytes())
    time.sleep(RACY_NS / 1e9 + 0.1)
    index_dir = tmp_path / "index"
    with pytest.raises(_Killed):  # stopped at the first model call
        build_index(docs, index_dir, Settings(), _Interrupting())
    assert records(index_dir, "read") == 2
    (docs / "note_001.txt").write_text("The kestrel ledger was rewritten.\n", encoding="utf-8")
    report = build_index(docs, index_dir, Settings(), FakeEmbedder())
    assert (report.read, report.resumed_reads) == (1, 1)
    index = load_index(index_dir, Settings(), FakeEmbedder())
    assert index.search("kestrel ledger", 1)[0].source == "note_001.txt"


@pytest.mark.model
def test_python_m_indexer_build_killed_while_embedding_resumes(notes, tmp_path, real_embedder):
    """The real command and model: killed mid-embedding, asked meanwhile, started again."""
    index_dir = tmp_path / "index"
    serve_old(notes, index_dir, real_embedder)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    build = [sys.executable, "-m", "indexer", "build", str(notes), "--index", str(index_dir)]

    def twenty_embedded() -> bool:
        return records(index_dir, "embedded") >= 20

    kill_when(build, twenty_embedded, "twenty files embedded", tmp_path, tmp_path, env)
    kept = records(index_dir, "embedded")
    assert records(index_dir, "read") == FILES + 1 and kept < FILES

    ask = [sys.executable, "-m", "indexer", "ask", "When was the wombat archive founded?"]
    asked = subprocess.run(
        [*ask, "--index", str(index_dir), "--json"], cwd=tmp_path, env=env, capture_output=True,
        text=True, timeout=WAIT_SECONDS,
    )  # fmt: skip
    assert asked.returncode == 0, asked.stderr
    quotes = json.loads(asked.stdout)["quotes"]
    assert quotes and {quote["source"] for quote in quotes} == {"old.txt"}

    again = subprocess.run(
        build, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=WAIT_SECONDS
    )
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr
    reads, files, texts = resumed(again.stdout)
    embedded = int(re.search(r"\((\d+) embedded\)", again.stdout)[1])
    clean = uninterrupted(notes, tmp_path / "clean", real_embedder)
    assert (reads, files) == (FILES + 1, kept)
    assert embedded + texts == clean.embedded and 0 < embedded < clean.embedded
    assert not (index_dir / FOLDER).exists()
    assert_same_index(index_dir, tmp_path / "clean")


def test_a_file_changed_just_before_it_was_read_is_not_taken_from_the_checkpoint(tmp_path):
    """Its stamp may not show a second change within the timestamps' resolution."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "fresh.txt").write_text("The heron ledger was written a moment ago.\n", "utf-8")
    index_dir = tmp_path / "index"
    with pytest.raises(_Killed):
        build_index(docs, index_dir, Settings(), _Interrupting())
    assert records(index_dir, "read") == 0
    assert build_index(docs, index_dir, Settings(), FakeEmbedder()).read == 1


def test_a_torn_or_damaged_record_is_done_again(tmp_path):
    """A kill mid-record leaves it torn at the end of its journal; a flipped byte fails its
    checksum: either is not found, and the records before it are."""
    journal = Journal(tmp_path / "checkpoint")
    journal.put("read-a", b"first")
    journal.put("read-b", b"second")
    journal.close()
    (path,) = (tmp_path / "checkpoint").iterdir()
    with open(path, "ab") as handle:
        handle.write(b"0123 read-c 100\nonly part of it")  # torn by a kill
    again = Journal(tmp_path / "checkpoint")
    assert (again.get("read-a"), again.get("read-b"), again.get("read-c")) == (
        b"first",
        b"second",
        None,
    )
    data = path.read_bytes()
    path.write_bytes(data.replace(b"second", b"secand"))
    assert Journal(tmp_path / "checkpoint").get("read-b") is None
    assert sorted(Journal(tmp_path / "checkpoint").recorded()) == ["read-a", "read-b"]
