"""The chat page: ask about the documents, read verbatim quotes, see their sources, rebuild."""

import argparse
import sys
import tempfile
import warnings
from pathlib import Path

import gradio as gr

from indexer import IndexerError, Settings
from indexer.cli import show_notices
from indexer.page.handlers import ALL, Verbatim
from indexer.page.library import COLUMNS
from indexer.page.mcp_http import mount_mcp
from indexer.page.panels import (
    EMPTY_CHAT,
    SEED_EXAMPLES,
    SEED_MARKER,
    SOURCES_PLACEHOLDER,
    VIEWER_PLACEHOLDER,
)
from indexer.page.uploads import sweep_forever
from indexer.read.documents import SUPPORTED_LABEL
from indexer.settings import add_flags, flag_values

# Gradio 6.17 names a status code Starlette has deprecated: one two-line warning per request.
warnings.filterwarnings("ignore", message="'HTTP_422_UNPROCESSABLE_ENTITY' is deprecated")

FLAGS = ["docs_dir", "index_dir", "model", "milvus_uri", "host", "port", "auth"]
CSS = (Path(__file__).parent / "indexer" / "page" / "page.css").read_text(encoding="utf-8")
PAGE_JS = (Path(__file__).parent / "indexer" / "page" / "page.js").read_text(encoding="utf-8")


def build_ui(app: Verbatim) -> gr.Blocks:
    """Lay out the page and wire the handlers of app to it."""
    examples = SEED_EXAMPLES if (app.docs_dir / SEED_MARKER).is_file() else []
    # Uploads are copied into the documents folder; Gradio's own copies can go after a day.
    with gr.Blocks(title="Verbatim", delete_cache=(86_400, 86_400)) as page:
        gr.Markdown(
            "## Verbatim\nAnswers are exact quotes from your documents, with citations — "
            "never generated text. If the documents do not say, it says so."
        )
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chat = gr.Chatbot(
                    elem_id="chat",
                    show_label=False,  # a label would cover the top of the scrolled history
                    label="Questions and quoted answers",
                    height=460,
                    latex_delimiters=[],
                    feedback_options=None,
                    buttons=["copy"],
                    placeholder=EMPTY_CHAT,
                )
                question = gr.Textbox(
                    elem_id="question",
                    label="Question",
                    placeholder="Ask about the documents",
                    lines=1,
                    max_lines=4,
                    submit_btn="Ask",
                )
                scope = gr.Dropdown(
                    choices=[ALL], value=ALL, label="Ask within", elem_id="scope", scale=0
                )
                # Plain buttons, not gr.Examples: its gallery threw 4 TypeErrors on every load
                # under the Soft theme (Gradio 6.17), and buttons wrap on a phone.
                with gr.Row(elem_id="examples", visible=bool(examples)):
                    gr.Markdown("Try:", elem_classes="examples-label")
                    tries = [gr.Button(q, size="sm", elem_classes="example") for q in examples]
                readings = gr.State([])  # how each question was read, for follow-ups
                with gr.Row():
                    # "hidden", not False: Gradio 6.17 never shows a button again once an update
                    # said visible=False (checked in a real browser); "hidden" keeps it mounted.
                    on_its_own = gr.Button(visible="hidden", elem_id="ask_on_its_own", size="sm")
                    new_chat = gr.Button("New conversation", elem_id="new_chat", size="sm")
                    export = gr.Button("Export conversation", elem_id="export", size="sm")
            with gr.Column(scale=2):
                gr.Markdown("### Sources")
                sources = gr.HTML(SOURCES_PLACEHOLDER, elem_id="sources")
                with gr.Accordion("Document viewer", open=True, elem_id="viewer_panel"):
                    document = gr.Dropdown(
                        label="File", choices=[], elem_id="document", allow_custom_value=False
                    )
                    # Escaped, numbered lines; a citation opens here with its span marked.
                    viewer = gr.HTML(VIEWER_PLACEHOLDER, elem_id="viewer")
                    # A Textbox, not HTML: document text is shown as text, never rendered.
                    document_text = gr.Textbox(
                        label="Indexed text (what quotes and line numbers refer to)",
                        lines=12,
                        max_lines=30,
                        interactive=False,
                        buttons=["copy"],
                        elem_id="document_text",
                    )
        gr.Markdown("### Index")
        with gr.Row(equal_height=False):
            with gr.Column():
                index_info = gr.Markdown("Loading…", elem_id="index_info")
                report = gr.Markdown("", elem_id="report")
            with gr.Column():
                upload = gr.File(
                    label=f"Add {SUPPORTED_LABEL} files to the documents folder",
                    file_count="multiple",
                    type="filepath",
                    elem_id="upload",
                    height=140,
                )
                upload_status = gr.Markdown("", elem_id="upload_status")
                rebuild = gr.Button("Rebuild index", elem_id="rebuild", variant="primary")
        with gr.Accordion("Documents: state, trash, restore", open=False, elem_id="library"):
            needle = gr.Textbox(label="Filter by name", elem_id="documents_filter", max_lines=1)
            table = gr.Dataframe(headers=COLUMNS, interactive=False, wrap=True, elem_id="documents")
            with gr.Row(elem_id="library_actions"):
                manage = gr.Dropdown(label="File", choices=[], elem_id="manage_file")
                trash = gr.Button("Move to trash and re-index", elem_id="trash", size="sm")
                trashed = gr.Dropdown(label="In the trash", choices=[], elem_id="trashed")
                restore = gr.Button("Restore and re-index", elem_id="restore", size="sm")
        exports = gr.File(
            label="Conversation (Markdown, and JSON for python -m indexer verify)",
            file_count="multiple",
            interactive=False,
            elem_id="exports",
            height=80,
            visible=False,  # shown once there is something exported
        )

        choices = [manage, trashed, scope]  # refreshed whenever the files or the index change
        question.submit(
            app.respond,
            [question, chat, readings, scope],
            [chat, question, sources, readings, on_its_own],
            api_name="chat",
            api_visibility="undocumented",
            concurrency_limit=8,
            concurrency_id="answer",
        )
        chat.clear(lambda: SOURCES_PLACEHOLDER, None, [sources], api_visibility="private")
        gr.api(app.ask, api_name="ask", concurrency_limit=8, concurrency_id="answer")
        gr.api(app.ask_within, api_name="ask_within", concurrency_limit=8, concurrency_id="answer")
        for example in tries:  # an example asks at once, as if typed and sent
            example.click(lambda q: q, [example], [question], api_visibility="private").then(
                app.respond,
                [question, chat, readings, scope],
                [chat, question, sources, readings, on_its_own],
                api_visibility="private",
                concurrency_id="answer",
            )
        on_its_own.click(
            app.ask_on_its_own,
            [chat, readings],
            [chat, sources, readings, on_its_own],
            api_visibility="private",
            concurrency_id="answer",
        )
        export.click(
            lambda turns: gr.File(value=app.export(turns), visible=True),
            [readings],
            [exports],
            api_visibility="private",
        ).then(lambda: gr.File(visible=True), None, [exports], api_visibility="private")
        new_chat.click(
            lambda: ([], "", SOURCES_PLACEHOLDER, [], gr.update(visible="hidden")),
            None,
            [chat, question, sources, readings, on_its_own],
            api_visibility="private",
        )

        def refreshed(event) -> None:
            """After a build: the file lists, the documents table and the choices follow."""
            for handler, inputs, outputs in (
                (app.indexed_files, None, [document]),
                (app.documents, [needle], [table]),
                (app.choices, None, choices),
            ):
                event = event.then(handler, inputs, outputs, api_visibility="private")

        refreshed(
            upload.upload(
                app.upload, [upload], [upload_status], api_name="upload", concurrency_id="rebuild"
            )
            .then(lambda: None, None, [upload], api_visibility="private")
            .then(app.last_report, None, [report], api_visibility="private")
            .then(app.index_summary, None, [index_info], api_visibility="private")
        )
        refreshed(
            rebuild.click(
                app.rebuild,
                None,
                [report, index_info],
                api_name="rebuild",
                concurrency_limit=1,
                concurrency_id="rebuild",
            )
        )
        for button, handler, picked in (
            (trash, app.trash, manage),
            (restore, app.restore, trashed),
        ):
            refreshed(
                button.click(
                    handler,
                    [picked],
                    [report, index_info],
                    api_visibility="private",
                    concurrency_id="rebuild",
                )
            )
        needle.change(app.documents, [needle], [table], api_visibility="private")
        page.load(app.documents, [needle], [table], api_visibility="private")
        page.load(app.choices, None, choices, api_visibility="private")
        page.load(app.index_summary, None, [index_info], api_visibility="private")
        page.load(app.indexed_files, None, [document], api_visibility="private")
        # A click on a citation link (any "#cite=" link) lands here, through page.js.
        cite_request = gr.Textbox(visible="hidden", elem_id="cite_request")
        cite_open = gr.Button(visible="hidden", elem_id="cite_open")
        viewer_outputs = [viewer, document, document_text]
        cite_open.click(app.open_citation, [cite_request], viewer_outputs, api_visibility="private")
        document.input(app.open_citation, [document], viewer_outputs, api_visibility="private")
        gr.api(app.document_text, api_name="document", concurrency_limit=4)
    return page


def create_app(docs_dir, index_dir, settings=None, embedder=None) -> gr.Blocks:
    """Return the page for a documents folder and an index folder; nothing is loaded yet."""
    return build_ui(Verbatim(docs_dir, index_dir, settings, embedder))


# -- starting it --------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python app.py",
        description="Serve the chat page. The index is built or brought up to date first.",
        epilog="Every VERBATIM_* setting applies (see the README); flags win over them.",
    )
    add_flags(parser, FLAGS)
    parser.add_argument("--mcp", action="store_true", help="also serve the MCP tools at /mcp")
    return parser


def _terminal_progress(stage: str, done: int, total: int) -> None:
    if done == total:
        print(f"  {stage}: {done}/{total}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Build or update the index, then serve the page; return an exit code."""
    args = _parser().parse_args(argv)
    show_notices()
    try:
        settings = Settings.from_env(flag_values(args, FLAGS))
    except IndexerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if settings.listens_publicly() and not settings.auth:
        print(
            f"warning: listening on {settings.host} without a password: anyone who can reach "
            "this machine can read the documents. Set --auth or VERBATIM_AUTH (user:password).",
            file=sys.stderr,
        )
    try:
        return _serve(Verbatim(settings.docs_dir, settings.index_dir, settings), args.mcp)
    except KeyboardInterrupt:
        print("Interrupted; the previous index is still in place.", file=sys.stderr)
        return 130


def _serve(app: Verbatim, mcp: bool = False) -> int:
    """Bring the index up to date, load the model, then serve until interrupted."""
    live, settings = app.live, app.live.settings
    print(f"Checking the index of {live.docs_dir}/ in {live.index_dir}/ …", file=sys.stderr)
    try:
        # Startup has the model to itself: build with the answering copy, loaded once.
        report = live.build(progress=_terminal_progress, embedder=live.query_embedder)
        print(report.summary(), file=sys.stderr)
    except IndexerError as error:
        try:
            live.reload()
        except IndexerError:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"warning: {error} Serving the existing index.", file=sys.stderr)
    # Upload bodies are written to a temporary folder of this app's own, swept every minute,
    # so the bodies Gradio rejects (a bad name, say) do not stay in /tmp for good.
    incoming = Path(tempfile.mkdtemp(prefix="verbatim-incoming-"))
    tempfile.tempdir = str(incoming)
    sweep_forever(incoming, max_age=600, every=60)
    # The model loads while the page is built and the server starts: both take seconds.
    warming = live.warm_up()
    page = build_ui(app)
    page.queue().launch(
        server_name=settings.host,
        server_port=settings.port,  # None: Gradio reads GRADIO_SERVER_PORT, else 7860 and up
        auth=tuple(settings.auth.split(":", 1)) if settings.auth else None,
        max_file_size=int(settings.max_file_mb * 1_000_000),
        css=CSS,
        head=f"<script>{PAGE_JS}</script>",
        theme=gr.themes.Soft(),
        prevent_thread_lock=True,
    )
    if mcp:  # the tools for assistants, in the same server, behind the same --auth
        mount_mcp(page, live, settings.auth)
    warming.join()
    if warming.error is not None:
        print(f"error: {warming.error}", file=sys.stderr)
        page.close()
        return 1
    page.block_thread()
    return 0


def _page_from_environment() -> gr.Blocks | None:
    """Return the page for the VERBATIM_* settings (for `gradio app.py`); None if they are bad."""
    try:
        settings = Settings.from_env()
    except IndexerError:
        return None  # `python app.py` reports the bad setting in one sentence
    return create_app(settings.docs_dir, settings.index_dir, settings)


# Gradio's demo shape: `gradio app.py` (reload mode) imports this module and serves `demo`.
# It loads nothing until used; `python app.py` makes its own page from the command line.
demo = _page_from_environment()

if __name__ == "__main__":
    sys.exit(main())
