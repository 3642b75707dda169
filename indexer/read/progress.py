"""Progress callbacks: a build's stages, from reading files to writing the version, report here."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]


def report_progress(progress: Progress | None, stage: str, done: int, total: int) -> None:
    """Tell a progress callback, if there is one, how far a stage has come."""
    if progress is not None:
        progress(stage, done, total)
