"""A long-running page lets go of each version it replaces: no file of it stays open."""

from __future__ import annotations

import gc
import os
from pathlib import Path

from indexer.page.live_index import LiveIndex
from indexer.settings import Settings
from indexer.store.versions import current_version
from tests.fakes import FakeEmbedder


def _open_in(folder: Path) -> set[str]:
    """Return the files under folder this process holds open (memory maps hold a descriptor)."""
    found = set()
    for name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:  # closed meanwhile
            continue
        if target.startswith(str(folder)):
            found.add(target.removesuffix(" (deleted)"))
    return found


def test_rebuilds_leave_open_only_the_files_of_the_version_in_service(tmp_path):
    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    (docs / "harbour.txt").write_text("The harbour crane lifts the ferry at dawn.\n")
    live = LiveIndex(docs, index_dir, Settings(), FakeEmbedder())
    live.build()
    for round_ in range(6):
        (docs / f"note-{round_}.txt").write_text(f"Note {round_}: the heron fishes the quay.\n")
        live.build()  # the page's Rebuild
        live.answer("What lifts the ferry?")  # reads passages of the version in service
    gc.collect()  # a cycle is not a leak: only what is still referenced counts
    serving = current_version(index_dir)
    held = _open_in(index_dir.resolve())
    assert held, "the version in service is read through memory maps"
    stale = {path for path in held if not Path(path).is_relative_to(serving.resolve())}
    assert not stale, f"files of replaced versions still open: {sorted(stale)}"
