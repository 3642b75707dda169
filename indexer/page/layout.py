"""The page's layout: one function per panel lays it out, one wires it to the handlers."""

from __future__ import annotations

from types import SimpleNamespace

import gradio as gr

from ..read.documents import SUPPORTED_LABEL
from .find_view import find_chips, find_panel, wire_find
from .handlers import ALL, Verbatim
from .library import COLUMNS
from .panels import EMPTY_CHAT, SEED_EXAMPLES, SEED_MARKER, SOURCES_PLACEHOLDER, VIEWER_PLACEHOLDER

INTRO = (
    "## Verbatim\nAnswers are exact quotes from your documents, with citations — "
    "never generated text. If the documents do not say, it says so."
)


def build_ui(app: Verbatim) -> gr.Blocks:
    """Lay out the page and wire the handlers of app to it."""
    examples = SEED_EXAMPLES if (app.docs_dir / SEED_MARKER).is_file() else []
    # Uploads are copied into the documents folder; Gradio's own copies can go after a day.
    with gr.Blocks(title="Verbatim", delete_cache=(86_400, 86_400)) as page:
        gr.Markdown(INTRO)
        ui = SimpleNamespace()
        with gr.Row(equal_height=False):
            with gr.Column(scale=3), gr.Tabs(elem_id="modes"):
                with gr.Tab("Ask", elem_id="ask_tab"):
                    _chat_panel(ui, examples)
                with gr.Tab("Find", elem_id="find_tab"):
                    find_panel(ui)
            with gr.Column(scale=2):
                _sources_panel(ui)
        _index_panel(ui)
        _documents_panel(ui)
        ui.choices = [ui.manage, ui.trashed, ui.scope]  # follow the files and the index
        ui.version = gr.State("")  # the version in service the panels describe
        # What describes the version in service; redrawn when another one comes into service.
        ui.described = [ui.version, ui.index_info, ui.report, ui.document, ui.table, *ui.choices]
        _wire_chat(app, ui)
        wire_find(app, ui)
        _wire_builds(app, ui)
        _wire_on_load(app, page, ui)
        _viewer_requests(app, ui)
    return page


# -- laying out ---------------------------------------------------------------------------


def _chat_panel(ui, examples: list[str]) -> None:
    """The conversation, the question box, its scope, the examples and the chat's buttons."""
    ui.chat = gr.Chatbot(
        elem_id="chat",
        show_label=False,  # a label would cover the top of the scrolled history
        label="Questions and quoted answers",
        height=460,
        latex_delimiters=[],
        feedback_options=None,
        buttons=["copy"],
        placeholder=EMPTY_CHAT,
    )
    ui.question = gr.Textbox(
        elem_id="question",
        label="Question",
        placeholder="Ask about the documents",
        lines=1,
        max_lines=4,
        submit_btn="Ask",
    )
    ui.scope = gr.Dropdown(choices=[ALL], value=ALL, label="Ask within", elem_id="scope", scale=0)
    # Plain buttons, not gr.Examples: its gallery threw 4 TypeErrors on every load under the
    # Soft theme (Gradio 6.17), and buttons wrap on a phone.
    with gr.Row(elem_id="examples", visible=bool(examples)):
        gr.Markdown("Try:", elem_classes="examples-label")
        ui.tries = [gr.Button(q, size="sm", elem_classes="example") for q in examples]
    ui.readings = gr.State([])  # how each question was read, for follow-ups
    with gr.Row():
        # "hidden", not False: Gradio 6.17 never shows a button again once an update said
        # visible=False (checked in a real browser); "hidden" keeps it mounted.
        ui.on_its_own = gr.Button(visible="hidden", elem_id="ask_on_its_own", size="sm")
        ui.new_chat = gr.Button("New conversation", elem_id="new_chat", size="sm")
        ui.export = gr.Button("Export conversation", elem_id="export", size="sm")


def _sources_panel(ui) -> None:
    """The passages behind the latest answer, and the document viewer."""
    gr.Markdown("### Sources")
    ui.sources = gr.HTML(SOURCES_PLACEHOLDER, elem_id="sources")
    with gr.Accordion("Document viewer", open=True, elem_id="viewer_panel"):
        ui.document = gr.Dropdown(
            label="File", choices=[], elem_id="document", allow_custom_value=False
        )
        # Escaped, numbered lines; a citation opens here with its span marked.
        ui.viewer = gr.HTML(VIEWER_PLACEHOLDER, elem_id="viewer")
        # A Textbox, not HTML: document text is shown as text, never rendered.
        ui.document_text = gr.Textbox(
            label="Indexed text (what quotes and line numbers refer to)",
            lines=12,
            max_lines=30,
            interactive=False,
            buttons=["copy"],
            elem_id="document_text",
        )


def _index_panel(ui) -> None:
    """What the index holds, the last build's report, uploads and the Rebuild button."""
    gr.Markdown("### Index")
    with gr.Row(equal_height=False):
        with gr.Column():
            ui.index_info = gr.Markdown("Loading…", elem_id="index_info")
            ui.report = gr.Markdown("", elem_id="report")
        with gr.Column():
            ui.upload = gr.File(
                label=f"Add {SUPPORTED_LABEL} files to the documents folder",
                file_count="multiple",
                type="filepath",
                elem_id="upload",
                height=140,
            )
            ui.upload_status = gr.Markdown("", elem_id="upload_status")
            ui.rebuild = gr.Button("Rebuild index", elem_id="rebuild", variant="primary")


def _documents_panel(ui) -> None:
    """Every file with its state, the trash and restore, and the exported conversation."""
    with gr.Accordion("Documents: state, trash, restore", open=False, elem_id="library"):
        ui.needle = gr.Textbox(label="Filter by name", elem_id="documents_filter", max_lines=1)
        ui.table = gr.Dataframe(headers=COLUMNS, interactive=False, wrap=True, elem_id="documents")
        with gr.Row(elem_id="library_actions"):
            ui.manage = gr.Dropdown(label="File", choices=[], elem_id="manage_file")
            ui.trash = gr.Button("Move to trash and re-index", elem_id="trash", size="sm")
            ui.trashed = gr.Dropdown(label="In the trash", choices=[], elem_id="trashed")
            ui.restore = gr.Button("Restore and re-index", elem_id="restore", size="sm")
    ui.exports = gr.File(
        label="Conversation (Markdown, and JSON for python -m indexer verify)",
        file_count="multiple",
        interactive=False,
        elem_id="exports",
        height=80,
        visible=False,  # shown once there is something exported
    )


# -- wiring -------------------------------------------------------------------------------


def _wire_chat(app: Verbatim, ui) -> None:
    """Questions (typed, examples, the API), follow-ups asked on their own, export, new chat."""
    asked = [ui.question, ui.chat, ui.readings, ui.scope]
    answered = [ui.chat, ui.question, ui.sources, ui.readings, ui.on_its_own]

    def then_new_version(event) -> None:
        """A question may have taken up a version built elsewhere: the panels follow it."""
        event.then(
            app.panels_if_new, [ui.version, ui.needle], ui.described, api_visibility="private"
        )

    then_new_version(
        ui.question.submit(
            app.respond,
            asked,
            answered,
            api_name="chat",
            api_visibility="undocumented",
            concurrency_limit=8,
            concurrency_id="answer",
        )
    )
    ui.chat.clear(lambda: SOURCES_PLACEHOLDER, None, [ui.sources], api_visibility="private")
    gr.api(app.ask, api_name="ask", concurrency_limit=8, concurrency_id="answer")
    gr.api(app.ask_within, api_name="ask_within", concurrency_limit=8, concurrency_id="answer")
    for example in ui.tries:  # an example asks at once, as if typed and sent
        typed = example.click(lambda q: q, [example], [ui.question], api_visibility="private")
        then_new_version(
            typed.then(
                app.respond, asked, answered, api_visibility="private", concurrency_id="answer"
            )
        )
    then_new_version(
        ui.on_its_own.click(
            app.ask_on_its_own,
            [ui.chat, ui.readings],
            [ui.chat, ui.sources, ui.readings, ui.on_its_own],
            api_visibility="private",
            concurrency_id="answer",
        )
    )
    ui.export.click(
        lambda turns: gr.File(value=app.export(turns), visible=True),
        [ui.readings],
        [ui.exports],
        api_visibility="private",
    ).then(lambda: gr.File(visible=True), None, [ui.exports], api_visibility="private")
    ui.new_chat.click(
        lambda: ([], "", SOURCES_PLACEHOLDER, [], gr.update(visible="hidden")),
        None,
        answered,
        api_visibility="private",
    )


def _refreshed(app: Verbatim, ui, event) -> None:
    """After a build: the file lists, the documents table and the choices follow."""
    for handler, inputs, outputs in (
        (app.version, None, [ui.version]),
        (app.indexed_files, None, [ui.document]),
        (app.documents, [ui.needle], [ui.table]),
        (app.choices, None, ui.choices),
        (lambda: find_chips(app.live), None, [ui.find_types, ui.find_folders]),
    ):
        event = event.then(handler, inputs, outputs, api_visibility="private")


def _wire_builds(app: Verbatim, ui) -> None:
    """Uploads, Rebuild, trash and restore: each builds, then the panels follow."""
    _refreshed(
        app,
        ui,
        ui.upload.upload(
            app.upload, [ui.upload], [ui.upload_status], api_name="upload", concurrency_id="rebuild"
        )
        .then(lambda: None, None, [ui.upload], api_visibility="private")
        .then(app.last_report, None, [ui.report], api_visibility="private")
        .then(app.index_summary, None, [ui.index_info], api_visibility="private"),
    )
    _refreshed(
        app,
        ui,
        ui.rebuild.click(
            app.rebuild,
            None,
            [ui.report, ui.index_info],
            api_name="rebuild",
            concurrency_limit=1,
            concurrency_id="rebuild",
        ),
    )
    for button, handler, picked in (
        (ui.trash, app.trash, ui.manage),
        (ui.restore, app.restore, ui.trashed),
    ):
        built = button.click(
            handler,
            [picked],
            [ui.report, ui.index_info],
            api_visibility="private",
            concurrency_id="rebuild",
        )
        _refreshed(app, ui, built)
    ui.needle.change(app.documents, [ui.needle], [ui.table], api_visibility="private")


def _wire_on_load(app: Verbatim, page: gr.Blocks, ui) -> None:
    """A page that opens shows the index as it is now."""
    page.load(app.documents, [ui.needle], [ui.table], api_visibility="private")
    page.load(app.choices, None, ui.choices, api_visibility="private")
    page.load(app.index_summary, None, [ui.index_info], api_visibility="private")
    page.load(app.indexed_files, None, [ui.document], api_visibility="private")
    page.load(app.version, None, [ui.version], api_visibility="private")
    chips = [ui.find_types, ui.find_folders]
    page.load(lambda: find_chips(app.live), None, chips, api_visibility="private")


def _viewer_requests(app: Verbatim, ui) -> None:
    """A citation clicked or a file chosen opens in the viewer; /document serves the text."""
    # A click on a citation link (any "#cite=" link) lands here, through page.js.
    cite_request = gr.Textbox(visible="hidden", elem_id="cite_request")
    cite_open = gr.Button(visible="hidden", elem_id="cite_open")
    shown = [ui.viewer, ui.document, ui.document_text]
    cite_open.click(app.open_citation, [cite_request], shown, api_visibility="private")
    ui.document.input(app.open_citation, [ui.document], shown, api_visibility="private")
    gr.api(app.document_text, api_name="document", concurrency_limit=4)
