"""Folder sync: adds, changes, deletions, renames and copies between builds; `build --watch`."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from indexer import build_index, load_index
from indexer.build.watch import watch_folder
from indexer.settings import Settings
from tests.conftest import ROOT
from tests.fakes import FakeEmbedder, all_passages
from tests.test_core_formats import PDF_PAGES, write_pdf

FACTS = {
    "otters.txt": "Sea otters hold hands while they sleep so they do not drift apart.",
    "notes/herons.md": "# Herons\n\nGrey herons stand still in shallow water to catch fish.",
    "owls.txt": "Barn owls swallow their prey whole and cough up pellets.",
    "moles.txt": "Star-nosed moles find food with twenty-two fleshy tentacles.",
}


def write_all(docs: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")


def test_sync_counts_each_kind_of_change_and_embeds_only_new_content(tmp_path, any_store):
    docs, index_dir, settings = tmp_path / "docs", tmp_path / "index", any_store
    write_all(docs, FACTS)
    write_pdf(docs / "harbour.pdf", PDF_PAGES)
    first = FakeEmbedder()
    build_index(docs, index_dir, settings, first)
    assert first.texts  # everything was embedded once

    # One of each: add, change, delete, rename (moved to another folder), identical copy.
    (docs / "bats.txt").write_text("Bats find insects in the dark by echolocation.", "utf-8")
    (docs / "owls.txt").write_text("Tawny owls call at night in old woodland.", "utf-8")
    (docs / "moles.txt").unlink()
    (docs / "archive").mkdir()
    (docs / "harbour.pdf").rename(docs / "archive" / "harbour-2024.pdf")
    shutil.copy(docs / "otters.txt", docs / "notes" / "otters-copy.txt")
    second = FakeEmbedder()
    report = build_index(docs, index_dir, settings, second)

    assert report.changes.added == ["bats.txt", "notes/otters-copy.txt"]
    assert report.changes.changed == ["owls.txt"]
    assert report.changes.removed == ["moles.txt"]
    assert report.changes.renamed == [("harbour.pdf", "archive/harbour-2024.pdf")]
    assert report.changes.duplicates == [
        ("notes/otters-copy.txt", "otters.txt")
    ]  # the walk's order
    assert sorted(report.changes.unchanged) == ["notes/herons.md", "otters.txt"]
    # Only the new and the changed file's text reached the model: no rename, copy or rest.
    embedded = "\n".join(second.texts)
    assert "Bats find insects" in embedded and "Tawny owls" in embedded
    for old in ("Sea otters", "Grey herons", "harbour crane", "ferry", "Star-nosed"):
        assert old not in embedded
    assert report.embedded == len(second.texts)

    index = load_index(index_dir, settings, FakeEmbedder())
    ferry = index.search("first ferry quay", 1)[0]
    assert (ferry.source, ferry.page) == ("archive/harbour-2024.pdf", 2)
    otters = index.search("sea otters hold hands", 1)[0]
    assert {otters.source, *otters.copies} == {"otters.txt", "notes/otters-copy.txt"}
    assert all("Star-nosed" not in p.text for p in all_passages(index))
    assert all("Barn owls" not in p.text for p in all_passages(index))
    assert index.search("tawny owls woodland", 1)[0].source == "owls.txt"

    # Deleting the original keeps the copy served, still without embedding anything.
    (docs / otters.source).unlink()
    third = FakeEmbedder()
    report = build_index(docs, index_dir, settings, third)
    assert third.texts == [] and report.changes.removed == [otters.source]
    survivor = load_index(index_dir, settings, FakeEmbedder()).search("sea otters hold", 1)[0]
    assert survivor.source == otters.copies[0] and survivor.copies == ()


@pytest.mark.model
def test_watch_answers_a_new_fact_within_seconds_then_stops_cleanly(tmp_path, real_embedder):
    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    write_all(docs, {"otters.txt": FACTS["otters.txt"]})
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERBATIM_")}
    env["PYTHONPATH"] = str(ROOT)
    command = [sys.executable, "-m", "indexer", "build", str(docs), "--index", str(index_dir)]
    out_file, err_file = tmp_path / "out.log", tmp_path / "err.log"
    with open(out_file, "w") as out, open(err_file, "w") as err:
        watcher = subprocess.Popen(
            [*command, "--watch", "--debounce", "0.3"], stdout=out, stderr=err, env=env
        )
    try:
        _wait_for(out_file, "Watching", watcher, 180)
        (docs / "lynx.txt").write_text(
            "The Iberian lynx eats rabbits almost exclusively.", encoding="utf-8"
        )
        began = time.monotonic()
        found = None
        while time.monotonic() - began < 10 and found is None:
            time.sleep(0.2)
            try:
                index = load_index(index_dir, Settings(), real_embedder)
            except Exception:  # the pointer is swapped atomically; a miss just means not yet
                continue
            if "lynx.txt" in index.manifest.files:
                found = time.monotonic() - began
                answer = index.answer("What does the Iberian lynx eat?")
        assert found is not None, "the new file was not indexed within 10 s"
        assert not answer.refused and answer.quotes[0].source == "lynx.txt"
        assert "rabbits" in answer.quotes[0].text
    finally:
        watcher.send_signal(signal.SIGTERM)
        watcher.wait(timeout=30)
    out, err = out_file.read_text(), err_file.read_text()
    assert watcher.returncode == 0, err
    assert "Stopped watching" in out and "Traceback" not in err
    assert out.count("Watching") >= 2  # a first build, then the rebuild that took the file in


def test_a_file_written_as_the_first_build_ends_is_taken_in_without_another_change(tmp_path):
    # Between the first build and the watcher listening, a change is no event: the watch
    # must still take it in, not wait for the next change to come along.
    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    write_all(docs, {"otters.txt": FACTS["otters.txt"]})
    stop, reports = threading.Event(), []

    def on_report(report) -> None:
        reports.append(report)
        if len(reports) == 1:  # the first build is done; the watcher is not listening yet
            (docs / "owls.txt").write_text(FACTS["owls.txt"], encoding="utf-8")
        elif "owls.txt" in report.changes.added:
            stop.set()

    threading.Timer(30, stop.set).start()  # a watch that never sees the file still ends
    watch_folder(docs, index_dir, Settings(), on_report, 0.1, stop, FakeEmbedder())
    assert len(reports) == 2 and reports[1].changes.added == ["owls.txt"]
    assert "owls.txt" in load_index(index_dir, Settings(), FakeEmbedder()).manifest.files


def _wait_for(path: Path, marker: str, process: subprocess.Popen, timeout: float) -> None:
    """Wait until the process's output file holds marker; fail if it exits or times out."""
    deadline = time.monotonic() + timeout
    while marker not in path.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"no {marker!r} in output: {path.read_text()}")
        time.sleep(0.1)


def test_an_unchanged_folder_with_copies_and_bad_files_keeps_its_version(tmp_path):
    docs, index_dir, settings = tmp_path / "docs", tmp_path / "index", Settings()
    write_all(docs, {**FACTS, "copy.txt": FACTS["owls.txt"], "empty.txt": ""})
    build_index(docs, index_dir, settings, FakeEmbedder())
    version = (index_dir / "CURRENT").read_text()
    report = build_index(docs, index_dir, settings, FakeEmbedder())
    assert report.changes.duplicates == [("owls.txt", "copy.txt")] and report.embedded == 0
    assert (index_dir / "CURRENT").read_text() == version  # nothing new was written
    (docs / "blank.md").write_text("   \n", encoding="utf-8")  # a new bad file is news
    build_index(docs, index_dir, settings, FakeEmbedder())
    skipped = load_index(index_dir, settings, FakeEmbedder()).manifest.skipped
    assert {s.path for s in skipped} == {"empty.txt", "blank.md"}


def test_the_same_bytes_read_as_html_and_as_text_are_not_copies(tmp_path, any_store):
    # A fragment: read as HTML when named .html, as text when named .txt.
    page = "<h1>Census</h1>\n<p>The island census counted 4,210 people.</p>\n"
    docs = tmp_path / "docs"
    write_all(docs, {"census.html": page, "census.txt": page})
    report = build_index(docs, tmp_path / "index", any_store, FakeEmbedder())
    assert report.changes.duplicates == []  # same bytes, other indexed text: not copies
    index = load_index(tmp_path / "index", any_store, FakeEmbedder())
    for name in ("census.html", "census.txt"):
        text = index.document_text(name)
        hits = [h for h in index.search("island census counted", 5) if h.source == name]
        assert hits and all(text[h.start : h.end] == h.text for h in hits), name
    assert "<p>" in index.document_text("census.txt") and "<p>" not in index.document_text(
        "census.html"
    )
