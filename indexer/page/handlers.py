"""The chat page's handlers: plain functions of values over the live index (see app.py)."""

# No `from __future__ import annotations`: gr.api reads the real type hints of `ask`.

import html
import tempfile
from datetime import datetime
from pathlib import Path

import gradio as gr

from ..answer.followups import resolved_previous, user_questions
from ..build.update import BuildReport
from ..errors import IndexerError
from ..read.documents import SUPPORTED_LABEL, relative_name
from ..read.paged import Parts
from .build_progress import announced, report_to
from .conversation_export import to_json, to_markdown, turn_record
from .library import documents_table, move_to_trash, restore, scopes, trash_choices
from .live_index import LiveIndex
from .panels import (
    follow_up_note,
    indexed_markdown,
    manifest_markdown,
    no_index_markdown,
    on_its_own_label,
    report_markdown,
    uploads_markdown,
)
from .render import (
    answer_markdown,
    answer_text,
    escape_markdown,
    sources_html,
    sources_records,
    toast_text,
)
from .uploads import save_uploads
from .viewer import document_html, page_figure, parse_link

ALL = "All documents"  # the scope choice that asks the whole index
TOAST_SECONDS = 6  # warnings leave by themselves instead of covering the Sources panel


class Verbatim:
    """The page's handlers: plain functions of values over the live index."""

    def __init__(self, docs_dir, index_dir, settings=None, embedder=None):
        self.live = LiveIndex(docs_dir, index_dir, settings, embedder)
        self.docs_dir = self.live.docs_dir

    def respond(
        self,
        question: str,
        history: list | None,
        readings: list | None = None,
        scope=ALL,
        progress=gr.Progress(),  # noqa: B008 - Gradio's tracker
    ):
        """Chat handler: append the question and its quoted answer; fill the sources panel.

        readings holds (typed, read as, the answer's export record) for each earlier
        question; the last one read is what a follow-up builds on. Returns the chat, the
        question box, the sources, the readings, and the button that asks a question read as
        a follow-up on its own.
        """
        history = list(history or [])
        readings = list(readings or [])
        previous = readings[-1][1] if readings else resolved_previous(user_questions(history))
        try:
            answer, read_as = self.live.answer(
                question, previous, _scope(scope), announced(progress, TOAST_SECONDS)
            )
        except IndexerError as error:
            gr.Warning(toast_text(error), duration=TOAST_SECONDS)
            return history, question, gr.skip(), readings, gr.skip()
        typed = question.strip()
        reply = answer_markdown(answer)
        if read_as != typed:
            reply += "\n\n" + follow_up_note(read_as)
        history += [
            # The question is shown as the user typed it: as text, never as Markdown or HTML.
            {"role": "user", "content": escape_markdown(typed)},
            {"role": "assistant", "content": reply},
        ]
        # Hidden as "hidden", never False: Gradio 6.17 does not show again what False hid.
        undo = gr.update(value=on_its_own_label(typed), visible=read_as != typed or "hidden")
        record = turn_record(typed, read_as, answer, self.live.index.manifest)
        return history, "", sources_html(answer), [*readings, [typed, read_as, record]], undo

    def ask_on_its_own(self, history: list | None, readings: list | None):
        """Answer the last question again as typed, not as a follow-up; replace its answer."""
        history, readings = list(history or []), list(readings or [])
        if not readings or len(history) < 2:
            return history, gr.skip(), readings, gr.update(visible="hidden")
        typed = readings[-1][0]
        try:
            answer, _ = self.live.answer(typed)
        except IndexerError as error:
            gr.Warning(toast_text(error), duration=TOAST_SECONDS)
            return history, gr.skip(), readings, gr.skip()
        history[-1] = {"role": "assistant", "content": answer_markdown(answer)}
        record = turn_record(typed, typed, answer, self.live.index.manifest)
        readings = [*readings[:-1], [typed, typed, record]]
        return history, sources_html(answer), readings, gr.update(visible="hidden")

    def export(self, readings: list | None) -> list[str]:
        """Write the conversation as Markdown and as JSON (for `indexer verify`); return both."""
        turns = [reading[2] for reading in readings or [] if len(reading) > 2]
        if not turns:
            raise gr.Error("Nothing to export yet: ask a question first.", print_exception=False)
        folder = Path(tempfile.mkdtemp(prefix="verbatim-export-"))
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        markdown, data = folder / f"verbatim-{stamp}.md", folder / f"verbatim-{stamp}.json"
        markdown.write_text(to_markdown(turns), encoding="utf-8")
        data.write_text(to_json(turns, self.live.index.manifest), encoding="utf-8")
        return [str(markdown), str(data)]

    def ask(self, question: str, previous: str = "") -> tuple[str, list[dict]]:
        """Answer a question with verbatim quotes; pass the previous question for follow-ups.

        Returns the answer as plain text (quotes with [n] markers, then the citations) and
        the sources: a list of dicts, kind "quote" for cited passages, "related" on a refusal.
        """
        return self.ask_within(question, "", previous)

    def ask_within(self, question: str, scope: str, previous: str = "") -> tuple[str, list[dict]]:
        """Answer a question from one indexed file or folder ("notes/") only; "" for all."""
        try:
            answer, _ = self.live.answer(question, previous, _scope(scope))
        except IndexerError as error:
            raise gr.Error(toast_text(error), print_exception=False) from None
        return answer_text(answer), sources_records(answer)

    def index_summary(self) -> str:
        """Describe the index in service: files, passages, model, when it was built."""
        try:
            index = self.live.current()
            return manifest_markdown(index.manifest, index.notice)
        except IndexerError as error:
            if self.live.docs_dir.is_dir() and not self.live.has_documents():
                return _empty_folder_markdown(self.docs_dir)
            return no_index_markdown(error)

    def indexed_files(self) -> gr.Dropdown:
        """Offer the indexed files in the document-text viewer."""
        try:
            files = self.live.files()
        except IndexerError:
            files = []
        return gr.Dropdown(choices=files, value=None)

    def document_text(self, source: str | None) -> str:
        """Return a file's indexed text, exactly as quotes and their offsets refer to it."""
        if not source:
            return ""
        try:
            return self.live.document_text(source)
        except IndexerError as error:
            raise gr.Error(toast_text(error), print_exception=False) from None

    def open_citation(self, request: str):
        """Open a citation's file in the viewer with its span marked; also for a plain file name.

        Returns the viewer's HTML, the file chosen, and the file's whole text.
        """
        cited = parse_link(request or "")
        source, span = (cited[0], cited[1:]) if cited else ((request or "").strip(), None)
        if not source:
            return gr.skip(), gr.skip(), gr.skip()
        try:
            text, index = self.live.document(source)  # one version: another may come meanwhile
        except IndexerError as error:
            raise gr.Error(toast_text(error), print_exception=False) from None
        entry = index.manifest.files[source]
        link = request if cited else ""
        parts = Parts.from_record(entry.parts) if entry.parts else None
        change = index.freshness.change(source)  # said above the text it no longer holds
        html_view = document_html(source, text, span, entry.page_starts, link, parts, change)
        if entry.format in ("pdf", "image") and span:
            data = self._file_bytes(source)
            html_view += page_figure(source, data, entry, text, span, index.scans)
        return html_view, gr.Dropdown(value=source), text

    def _file_bytes(self, source: str) -> bytes | None:
        """Return an indexed file's bytes as they are now, or None if it cannot be read."""
        try:
            return (Path(self.docs_dir) / source).read_bytes()
        except OSError:
            return None

    def documents(self, needle: str = ""):
        """List every file with its state (indexed, copy, skipped and why, changed), filtered."""
        try:
            index = self.live.index
        except IndexerError:
            index = None
        return documents_table(self.docs_dir, index, needle or "")

    def choices(self):
        """Offer the files to manage, the trash to restore from, and the scopes to ask within."""
        rows = self.documents()
        present = [row[0] for row in rows if not row[1].startswith("deleted")]
        try:
            within = scopes(self.live.index)
        except IndexerError:
            within = []
        return (
            gr.Dropdown(choices=present, value=None),
            gr.Dropdown(choices=trash_choices(self.live.index_dir), value=None),
            gr.Dropdown(choices=[ALL, *within], value=ALL),
        )

    def trash(self, name: str | None, progress=gr.Progress()):  # noqa: B008 - Gradio's tracker
        """Move a document to the trash inside the index folder, then re-index without it."""
        # A choice missing or gone is a warning: an error would mark the report and the
        # index summary as failed ("Error" badges over them) though nothing was touched.
        if not name:
            return _nothing_done("Choose a file to move to the trash.")
        try:
            move_to_trash(self.docs_dir, self.live.index_dir, name)
        except IndexerError as error:
            return _nothing_done(toast_text(error))
        gr.Info(  # the trash's inner folder names mean nothing to a reader: the file's name
            html.escape(f"{name} is in the trash; Restore (Documents panel) brings it back."),
            duration=TOAST_SECONDS,
        )
        return self.rebuild(progress)

    def restore(self, entry: str | None, progress=gr.Progress()):  # noqa: B008
        """Bring a document back from the trash, then re-index with it."""
        if not entry:
            return _nothing_done("Choose a file in the trash to restore.")
        try:
            name = restore(self.docs_dir, self.live.index_dir, entry)
        except IndexerError as error:
            return _nothing_done(toast_text(error))
        gr.Info(html.escape(f"{name} is back in the documents folder."), duration=TOAST_SECONDS)
        return self.rebuild(progress)

    def upload(self, files: list | None, progress=gr.Progress()) -> str:  # noqa: B008
        """Copy uploaded files into the documents folder (clean, non-colliding names), then index.

        The same incremental build as Rebuild, so a file is answerable when this returns; a
        file the build skipped is named with its reason.
        """
        if not files:
            gr.Warning(
                f"No file was uploaded; choose one or more {SUPPORTED_LABEL} files.",
                duration=TOAST_SECONDS,
            )
            return "No file was uploaded."
        saved, refused = save_uploads(self.docs_dir, files)
        for sentence in refused:
            gr.Warning(html.escape(sentence), duration=TOAST_SECONDS)
        for outcome in saved:
            if outcome.renamed:
                gr.Info(html.escape(outcome.message), duration=TOAST_SECONDS)
        shown = uploads_markdown([outcome.message for outcome in saved], refused, len(files))
        if not saved:
            return shown
        try:
            report = self.live.build(progress=lambda *a: report_to(progress, *a))
        except IndexerError as error:
            return f"{shown}\n\n**Not indexed:** {escape_markdown(str(error))}"
        names = {relative_name(self.docs_dir, outcome.path) for outcome in saved}
        return shown + "\n\n" + indexed_markdown(names, report)

    def last_report(self) -> str:
        """Return the report of the build that made the version in service, whoever ran it."""
        try:
            record = self.live.current().manifest.report
        except IndexerError:
            return ""
        try:
            return report_markdown(BuildReport.from_record(record)) if record else ""
        except (KeyError, TypeError):  # a report of another shape (another version's build)
            return ""

    def version(self) -> str:
        """Name the version in service, as the page last saw it."""
        return self.live.version

    def panels_if_new(self, shown: str | None, needle: str = ""):
        """After a question: redraw the panels if another version came into service, else skip.

        A build from a terminal, say, is taken up by the question; the panels describe it here.

        Returns the version's name, the index summary, the report, the file lists and choices.
        """
        if self.live.version == (shown or ""):
            return (gr.skip(),) * 8
        drawn = self.index_summary(), self.last_report(), self.indexed_files()
        return self.live.version, *drawn, self.documents(needle), *self.choices()

    def rebuild(self, progress=gr.Progress()):  # noqa: B008 - Gradio injects the tracker
        """Rebuild the index incrementally with a progress bar; report what changed."""

        progress(0, desc="Starting")
        try:
            report = self.live.build(progress=lambda *a: report_to(progress, *a))
        except IndexerError as error:
            raise gr.Error(toast_text(error), print_exception=False) from None
        shown, made = report_markdown(report), self.last_report()
        if not (report.changes.any_content() or report.embedded) and made:
            # Nothing new: what the build that made the version in service did stays in view.
            shown = "**Nothing new since the last rebuild.** That rebuild:\n\n" + made
        return shown, self.index_summary()


def _empty_folder_markdown(docs_dir: Path) -> str:
    """Say the documents folder is empty, and the two ways to fill it."""
    return (
        f"**The documents folder is empty.** {escape_markdown(str(docs_dir))}/ holds no "
        f"documents yet. Add {SUPPORTED_LABEL} files with the upload box: each is indexed at "
        "once. Or copy files into the folder and click **Rebuild index**."
    )


def _nothing_done(sentence: str):
    """Warn in a toast and leave the report and the index summary as they are."""
    gr.Warning(sentence, duration=TOAST_SECONDS)
    return gr.skip(), gr.skip()


def _scope(choice: str | None) -> str | None:
    """Return the scope a choice names, or None for the whole index."""
    return None if not choice or choice == ALL else choice
