"""A build's progress on the page: Gradio's bar, and the sentence a question's build says first."""

from __future__ import annotations

import html

import gradio as gr


def announced(progress, seconds: float):
    """Return the progress of a build a question sets off (its multilingual vectors, see
    answer.companion): its sentence is a toast for seconds, then heads each stage on the bar."""
    said = []

    def report(stage: str, done: int, total: int) -> None:
        if not total and not done:  # the sentence, said before the build's stages
            said.append(stage)
            gr.Info(html.escape(stage), duration=seconds)
            report_to(progress, stage, done, total)
        else:
            report_to(progress, " · ".join([*said, stage]), done, total)

    return report


def report_to(progress, stage: str, done: int, total: int) -> None:
    """Show a build stage on Gradio's progress bar."""
    progress((done, total) if total else None, desc=stage)
