"""A build that runs out of disk space says so in one sentence, keeps the version in service,
and the next build after space is freed succeeds, going on from what it had finished.

The index lives on a real size-limited file system: a tmpfs mounted for each test (the tests
run as root, as CI does); a ballast file fills it to the point each test needs.
"""

from __future__ import annotations

import errno
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from indexer import Settings, build_index, load_index
from indexer.build.checkpoint import FOLDER, RACY_NS, Checkpoint
from indexer.build.journal import Journal
from indexer.errors import DiskFullError
from indexer.store import disk
from indexer.store.versions import current_version

from .conftest import ROOT
from .fakes import FakeEmbedder
from .test_core_resume import command, records

DISK_MB = 32
NOTES = 200


@pytest.fixture
def small_disk(tmp_path) -> Path:
    """A 32 MB tmpfs, unmounted after the test."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_MB}m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        pytest.fail(f"these tests mount a tmpfs and need root to: {done.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


@pytest.fixture
def docs(tmp_path) -> Path:
    """The notes to index (on the big disk), and old.txt, which the version in service holds."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "old.txt").write_text("The wombat archive was founded in 1987.\n", encoding="utf-8")
    for i in range(NOTES):
        paragraphs = [
            f"Note {i}, paragraph {p}, lists the tariff of berth {i * 7 + p} in full. "
            f"The pilot of berth {i * 7 + p} signs the cargo ledger {p + 1} times a day."
            for p in range(1 + i % 8)
        ]
        (folder / f"note_{i:03d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    time.sleep(RACY_NS / 1e9 + 0.1)  # readings of files changed just before are not kept
    return folder


def embedder() -> FakeEmbedder:
    return FakeEmbedder(384, "fake-hash-384")  # the bundled models' width: vectors fill the disk


def serve_old(docs: Path, index_dir: Path, model=None) -> str:
    """Put old.txt alone in service; return the version's name."""
    first = docs.parent / "first"
    first.mkdir()
    shutil.copy(docs / "old.txt", first / "old.txt")
    build_index(first, index_dir, Settings(), model or embedder())
    return current_version(index_dir).name


def fill(disk_dir: Path, leave: int) -> Path:
    """Fill the disk with a ballast file, leaving `leave` bytes free."""
    ballast = disk_dir / "ballast"
    ballast.write_bytes(b"\0" * (shutil.disk_usage(disk_dir).free - leave))
    return ballast


def disk_used(folder: Path) -> int:
    return shutil.disk_usage(folder).used


def needed_bytes(message: str) -> int:
    """Return the space a disk-full sentence says the build needs."""
    amount, unit = re.search(r"needs about ([\d.,]+) (KB|MB|GB) free", message).groups()
    return int(float(amount.replace(",", "")) * {"KB": 1e3, "MB": 1e6, "GB": 1e9}[unit])


def assert_one_sentence(message: str, index_dir: Path) -> None:
    assert "\n" not in message and message.endswith(".") and ". " not in message
    assert message.startswith(f"The disk holding {index_dir}/ is full:")
    assert "the index in service is unchanged" in message


def assert_served_intact(index_dir: Path, served: str, model=None) -> None:
    """The version in service is the old one, whole; nothing half-written is left."""
    assert current_version(index_dir).name == served
    assert sorted(p.name for p in index_dir.glob("v-*")) == [served]
    assert not list(index_dir.glob(".tmp-*"))
    index = load_index(index_dir, Settings(), model or embedder())
    assert list(index.manifest.files) == ["old.txt"]
    assert index.search("wombat archive", 1)[0].source == "old.txt"


@pytest.mark.parametrize("leave", [20_000, 1_500_000], ids=["while-reading", "while-embedding"])
def test_a_build_that_fills_the_disk_stops_keeps_the_old_version_and_resumes_once_freed(
    small_disk, docs, leave, monkeypatch
):
    index_dir = small_disk / "index"
    served = serve_old(docs, index_dir)
    ballast = fill(small_disk, leave)
    with pytest.raises(DiskFullError) as failed:
        build_index(docs, index_dir, Settings(), embedder())
    message = str(failed.value)
    assert_one_sentence(message, index_dir)
    assert_served_intact(index_dir, served)
    kept = records(index_dir, "read"), records(index_dir, "embedded")
    assert kept[0] > 0 and kept[1] < NOTES  # some work done before the disk was full

    # Free what the sentence said the build needs (and no more): it is enough, and not much more
    # than the build took at its fullest (just before the checkpoint is let go).
    ballast.unlink()
    fill(small_disk, needed_bytes(message) + 100_000)
    began, fullest, clear = disk_used(small_disk), [], Checkpoint.clear
    monkeypatch.setattr(
        Checkpoint, "clear", lambda self: (fullest.append(disk_used(small_disk)), clear(self))
    )
    report = build_index(docs, index_dir, Settings(), embedder())
    assert needed_bytes(message) < 1.3 * (fullest[-1] - began)
    assert report.changes.added == sorted(p.name for p in docs.glob("note_*"))
    assert (report.resumed_reads, report.resumed_files) == kept
    assert load_index(index_dir, Settings(), embedder()).search("berth 1393", 1)[0].source == (
        "note_199.txt"
    )
    assert not (index_dir / FOLDER).exists()


def test_a_disk_that_fills_while_the_version_is_written_leaves_the_old_one(
    small_disk, docs, monkeypatch
):
    index_dir = small_disk / "index"
    served = serve_old(docs, index_dir)

    class Stop(Exception):
        pass

    def stop(*args, **kwargs):
        raise Stop  # every file read and embedded, kept in the checkpoint, nothing written yet

    with monkeypatch.context() as patch:
        patch.setattr(disk, "write_version", stop)
        with pytest.raises(Stop):
            build_index(docs, index_dir, Settings(), embedder())
    assert records(index_dir, "embedded") == NOTES
    ballast = fill(small_disk, 200_000)
    with pytest.raises(DiskFullError) as failed:
        build_index(docs, index_dir, Settings(), embedder())
    assert_one_sentence(str(failed.value), index_dir)
    assert_served_intact(index_dir, served)
    assert needed_bytes(str(failed.value)) > 200_000

    ballast.unlink()
    report = build_index(docs, index_dir, Settings(), embedder())
    assert report.embedded == 0 and report.resumed_files == NOTES  # none embedded twice
    assert len(load_index(index_dir, Settings(), embedder()).manifest.files) == NOTES + 1


def test_the_command_line_says_the_disk_is_full_in_one_line(small_disk, docs, tmp_path):
    index_dir = small_disk / "index"
    served = serve_old(docs, index_dir, FakeEmbedder())  # the one the command runs with
    ballast = fill(small_disk, 1_000_000)
    build = command(docs, index_dir, tmp_path / "read.log")
    full = subprocess.run(build, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert full.returncode == 1 and full.stdout == ""
    assert full.stderr.startswith("error: The disk holding") and full.stderr.count("\n") == 1
    assert_one_sentence(full.stderr.removeprefix("error: ").strip(), index_dir)
    assert_served_intact(index_dir, served, FakeEmbedder())

    ballast.unlink()
    again = subprocess.run(build, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert f"{NOTES} added" in again.stdout and "resumed an interrupted build" in again.stdout


def test_a_short_write_without_an_errno_counts_as_a_full_disk(small_disk, docs, monkeypatch):
    """faiss says a full disk in a RuntimeError, without an errno: it is said as such too."""
    index_dir = small_disk / "index"
    served = serve_old(docs, index_dir)

    def full(ann, path):
        raise RuntimeError(f"write error in {path}: 19559 != 129824 (No space left on device)")

    monkeypatch.setattr(disk, "save_ann", full)
    with pytest.raises(DiskFullError) as failed:
        build_index(docs, index_dir, Settings(ann_min_rows=1), embedder())
    assert_one_sentence(str(failed.value), index_dir)
    assert_served_intact(index_dir, served)


def test_a_record_the_disk_has_no_room_for_leaves_no_part_of_it(small_disk):
    journal = Journal(small_disk / "checkpoint")
    journal.put("embedded-a", b"kept")
    (path,) = (small_disk / "checkpoint").iterdir()
    size = path.stat().st_size
    with pytest.raises(OSError) as failed:
        journal.put("embedded-b", b"x" * (shutil.disk_usage(small_disk).free + 1_000_000))
    assert failed.value.errno == errno.ENOSPC and path.stat().st_size == size
    journal.close()
    assert Journal(small_disk / "checkpoint").get("embedded-a") == b"kept"
