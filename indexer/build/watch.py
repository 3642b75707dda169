"""Keep an index in sync with its documents folder: rebuild after changes settle, until stopped."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from pathlib import Path

from ..embed.choice import embedder_for
from ..embed.embedders import Embedder
from ..errors import IndexerError
from ..settings import Settings
from .update import BuildReport, Progress, build_index


def watch_folder(
    docs_dir: str | Path,
    index_dir: str | Path,
    settings: Settings,
    on_report: Callable[[BuildReport | IndexerError], None],
    debounce_seconds: float = 1.0,
    stop: threading.Event | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> None:
    """Build now, then rebuild each time files under docs_dir change, until stop is set."""
    from watchfiles import watch

    docs_dir, index_dir = Path(docs_dir).resolve(), Path(index_dir).resolve()
    stop = stop or threading.Event()
    # The model is loaded once for the whole watch, not once per rebuild.
    embedder = embedder or embedder_for(settings)

    def rebuild() -> None:
        try:
            on_report(build_index(docs_dir, index_dir, settings, embedder, progress))
        except IndexerError as error:  # a bad moment (say, an emptied folder) is not the end
            on_report(error)

    def relevant(_change, path: str) -> bool:
        # Hidden files (editors' swap files, uploads being written) and the index itself
        # change without changing the documents.
        location = Path(path)
        if location == index_dir or index_dir in location.parents:
            return False
        return not any(part.startswith(".") for part in location.relative_to(docs_dir).parts)

    rebuild()
    caught_up = False
    for changes in watch(
        docs_dir,
        watch_filter=relevant,
        debounce=int(debounce_seconds * 1000),
        stop_event=stop,
        raise_interrupt=False,
        rust_timeout=500,
        yield_on_timeout=True,  # the first yield says the watcher is listening
    ):
        if changes:
            rebuild()
        elif not caught_up:
            # Files changed between the first build and the watcher starting were not seen
            # as events; one more build takes them in (and writes nothing if none did).
            _catch_up(docs_dir, index_dir, settings, embedder, on_report, progress)
        caught_up = True


def _catch_up(docs_dir, index_dir, settings, embedder, on_report, progress) -> None:
    """Build once more, reporting only if the folder changed since the first build."""
    try:
        report = build_index(docs_dir, index_dir, settings, embedder, progress)
    except IndexerError as error:
        on_report(error)
        return
    if report.changes.any_content() or report.repaired or report.full_rebuild_reason:
        on_report(report)


def stop_on_signals() -> threading.Event:
    """Return an event set by SIGTERM (and Ctrl+C), so a watch ends cleanly either way."""
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    return stop
