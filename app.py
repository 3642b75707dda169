"""The chat page: ask about the documents, read verbatim quotes, see their sources, rebuild."""

# No `from __future__ import annotations`: gr.api reads the real type hints of `ask`.

import argparse
import html
import ipaddress
import os
import sys
import threading
from pathlib import Path

import gradio as gr

from indexer import IndexerError, Settings, build_index, load_index
from indexer.documents import SUPPORTED_LABEL
from indexer.followups import contextual_question, resolved_previous, user_questions
from indexer.render import (
    answer_markdown,
    answer_text,
    escape_markdown,
    manifest_markdown,
    report_markdown,
    sources_html,
    sources_records,
    table_headers,
    toast_text,
)
from indexer.uploads import UploadRejected, save_upload, uploaded_path

SEED_EXAMPLES = [
    "How much money does Anthropic make a year?",
    "Why did Anthropic pause the release of its tool?",
    "What is a jailbreak in the context of AI models?",
    "What is the Responsible Scaling Policy?",
]
SEED_MARKER = "002_6d34ce2141a5a6b8.txt"  # examples are only offered beside the bundled seeds
EMPTY_QUESTION = "The question is empty; type a question about the documents."
SOURCES_PLACEHOLDER = '<p class="muted">The passages behind the latest answer appear here.</p>'
CSS = """
#sources .source { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 10px 12px; margin-bottom: 10px; }
#sources .source-head { font-size: 0.9em; margin-bottom: 6px; }
#sources .passage { white-space: pre-wrap; line-height: 1.5; }
#sources mark { background: #fde68a; color: #111; padding: 0 2px; }
#sources .muted { opacity: 0.7; }
#sources .table-header { white-space: pre-wrap; font-size: 0.9em; }
"""


class Verbatim:
    """The app's state (folders, settings, the index in service) and its event handlers."""

    def __init__(self, docs_dir, index_dir, settings=None, embedder=None):
        self.docs_dir = Path(docs_dir)
        self.index_dir = Path(index_dir)
        self.settings = settings or Settings.from_env()
        if embedder is None:
            from indexer.embedding import embedder_for

            # Two copies of the model: a rebuild embeds in its own thread while the
            # answering copy, shared by concurrent questions behind a lock, stays free.
            def make():
                return embedder_for(self.settings)

            self.query_embedder = make()
            self.build_embedder = make()
        else:
            self.query_embedder = self.build_embedder = embedder
        self._index = None
        self._load_lock = threading.Lock()

    # -- the index in service -------------------------------------------------------------

    @property
    def index(self):
        """Return the index in service, loading it on first use."""
        index = self._index
        if index is None:
            with self._load_lock:
                if self._index is None:
                    self._index = load_index(self.index_dir, self.settings, self.query_embedder)
                index = self._index
        return index

    def reload(self) -> None:
        """Load the newest index version and put it in service; answers in flight finish."""
        fresh = load_index(self.index_dir, self.settings, self.query_embedder)
        with self._load_lock:
            self._index = fresh

    def build(self, progress=None, embedder=None):
        """Update the index incrementally, then serve the new version; return the report."""
        report = build_index(
            self.docs_dir,
            self.index_dir,
            self.settings,
            embedder or self.build_embedder,
            progress=progress,
        )
        self.reload()
        return report

    def warm_up(self) -> None:
        """Load the index and the model now, so the first question is not the slow one."""
        self.index.embedder.encode(["warm up"])

    # -- answering ------------------------------------------------------------------------

    def answer(self, question: str, previous: str = ""):
        """Answer question, read as a follow-up of previous.

        Returns (answer, question as read, index that answered): a rebuild may swap the
        index in service meanwhile, and passage positions belong to the one that answered.
        """
        question = (question or "").strip()
        if not question:
            raise EmptyQuestion(EMPTY_QUESTION)
        read_as = contextual_question(question, previous)
        index = self.index
        return index.answer(read_as), read_as, index

    def respond(self, question: str, history: list | None):
        """Chat handler: append the question and its quoted answer; fill the sources panel."""
        history = list(history or [])
        previous = resolved_previous(user_questions(history))
        try:
            answer, read_as, index = self.answer(question, previous)
        except EmptyQuestion as error:
            gr.Warning(str(error))
            return history, question, gr.skip()
        except IndexerError as error:
            gr.Warning(toast_text(error))
            return history, question, gr.skip()
        reply = answer_markdown(answer)
        if read_as != question.strip():
            reply += f"\n\n*Read as a follow-up: {escape_markdown(read_as)}*"
        history += [
            {"role": "user", "content": question.strip()},
            {"role": "assistant", "content": reply},
        ]
        return history, "", sources_html(answer, table_headers(index, answer))

    def ask(self, question: str, previous: str = "") -> tuple[str, list[dict]]:
        """Answer a question with verbatim quotes; pass the previous question for follow-ups.

        Returns the answer as plain text (quotes with [n] markers, then the citations) and
        the sources: a list of dicts, kind "quote" for cited passages, "related" on a refusal.
        """
        try:
            answer, _, _ = self.answer(question, previous)
        except (EmptyQuestion, IndexerError) as error:
            raise gr.Error(toast_text(error), print_exception=False) from None
        return answer_text(answer), sources_records(answer)

    # -- the index panel ------------------------------------------------------------------

    def index_summary(self) -> str:
        """Describe the index in service: files, passages, model, when it was built."""
        try:
            manifest = self.index.manifest
        except IndexerError as error:
            return f"**No index yet.** {escape_markdown(str(error))} Or click **Rebuild index**."
        return manifest_markdown(manifest)

    def indexed_files(self) -> gr.Dropdown:
        """Offer the indexed files in the document-text viewer."""
        try:
            files = sorted(self.index.manifest["files"])
        except IndexerError:
            files = []
        return gr.Dropdown(choices=files, value=None)

    def document_text(self, source: str | None) -> str:
        """Return a file's indexed text, exactly as quotes and their offsets refer to it."""
        if not source:
            return ""
        try:
            return self.index.document_text(source)
        except KeyError:
            raise gr.Error(f"{source} is not in the index.", print_exception=False) from None
        except IndexerError as error:
            raise gr.Error(toast_text(error), print_exception=False) from None

    def upload(self, files: list | None) -> str:
        """Copy uploaded files into the documents folder under clean, non-colliding names."""
        if not files:
            gr.Warning(f"No file was uploaded; choose one or more {SUPPORTED_LABEL} files.")
            return "No file was uploaded."
        lines = []
        for item in files:
            path = Path(uploaded_path(item))
            try:
                outcome = save_upload(self.docs_dir, path, path.name)
            except UploadRejected as error:
                gr.Warning(html.escape(str(error)))
                lines.append(f"- Not saved: {escape_markdown(str(error))}")
                continue
            lines.append(f"- {escape_markdown(outcome.message)}")
            if outcome.renamed:
                gr.Info(html.escape(outcome.message))
        saved = sum(1 for line in lines if not line.startswith("- Not saved"))
        tail = " Click **Rebuild index** to add them to the index." if saved else ""
        return f"**Uploads** ({saved} of {len(files)} saved):{tail}\n\n" + "\n".join(lines)

    def rebuild(self, progress=gr.Progress()):  # noqa: B008 - Gradio injects the tracker
        """Rebuild the index incrementally with a progress bar; report what changed."""

        def report_progress(stage: str, done: int, total: int) -> None:
            progress((done, total) if total else None, desc=stage)

        progress(0, desc="Starting")
        try:
            report = self.build(progress=report_progress)
        except IndexerError as error:
            raise gr.Error(toast_text(error), print_exception=False) from None
        return report_markdown(report), self.index_summary()


class EmptyQuestion(ValueError):
    """The question box was empty."""


# -- the page -----------------------------------------------------------------------------


def build_ui(app: Verbatim) -> gr.Blocks:
    """Lay out the page and wire the handlers of app to it."""
    examples = SEED_EXAMPLES if (app.docs_dir / SEED_MARKER).is_file() else []
    # Uploads are copied into the documents folder; Gradio's own copies can go after a day.
    with gr.Blocks(title="Verbatim", delete_cache=(86_400, 86_400)) as demo:
        gr.Markdown(
            "## Verbatim\nAnswers are exact quotes from your documents, with citations — "
            "never generated text. If the documents do not say, it says so."
        )
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chat = gr.Chatbot(
                    elem_id="chat",
                    label="Questions and quoted answers",
                    height=460,
                    latex_delimiters=[],
                    feedback_options=None,
                    buttons=["copy"],
                )
                question = gr.Textbox(
                    elem_id="question",
                    label="Question",
                    placeholder="Ask about the documents, then follow up (“and Google?”)",
                    lines=1,
                    max_lines=4,
                    submit_btn="Ask",
                )
                if examples:
                    gr.Examples(
                        examples=[[q] for q in examples],
                        inputs=[question],
                        label="Try a question about the bundled documents",
                        elem_id="examples",
                    )
                new_chat = gr.Button("New conversation", elem_id="new_chat", size="sm")
            with gr.Column(scale=2):
                gr.Markdown("### Sources")
                sources = gr.HTML(SOURCES_PLACEHOLDER, elem_id="sources")
                with gr.Accordion("Open a document's indexed text", open=False):
                    document = gr.Dropdown(
                        label="File", choices=[], elem_id="document", allow_custom_value=False
                    )
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

        question.submit(
            app.respond,
            [question, chat],
            [chat, question, sources],
            api_name="chat",
            api_visibility="undocumented",
            concurrency_limit=8,
            concurrency_id="answer",
        )
        chat.clear(lambda: SOURCES_PLACEHOLDER, None, [sources], api_visibility="private")
        gr.api(app.ask, api_name="ask", concurrency_limit=8, concurrency_id="answer")
        new_chat.click(
            lambda: ([], "", SOURCES_PLACEHOLDER),
            None,
            [chat, question, sources],
            api_visibility="private",
        )
        upload.upload(
            app.upload, [upload], [upload_status], api_name="upload", concurrency_limit=4
        ).then(lambda: None, None, [upload], api_visibility="private")
        rebuild.click(
            app.rebuild,
            None,
            [report, index_info],
            api_name="rebuild",
            concurrency_limit=1,
            concurrency_id="rebuild",
        ).then(app.indexed_files, None, [document], api_visibility="private")
        demo.load(app.index_summary, None, [index_info], api_visibility="private")
        demo.load(app.indexed_files, None, [document], api_visibility="private")
        document.change(app.document_text, [document], [document_text], api_visibility="private")
        gr.api(app.document_text, api_name="document", concurrency_limit=4)
    return demo


def create_app(docs_dir, index_dir, settings=None, embedder=None) -> gr.Blocks:
    """Return the page for a documents folder and an index folder; nothing is loaded yet."""
    return build_ui(Verbatim(docs_dir, index_dir, settings, embedder))


# -- starting it --------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python app.py",
        description="Serve the chat page. The index is built or brought up to date first.",
        epilog="Environment: VERBATIM_DOCS_DIR, VERBATIM_INDEX_DIR, VERBATIM_MODEL and the "
        "other VERBATIM_* settings; GRADIO_SERVER_NAME, GRADIO_SERVER_PORT; "
        "VERBATIM_AUTH=user:password.",
    )
    parser.add_argument("--docs", help="documents folder (default: seeds, or VERBATIM_DOCS_DIR)")
    parser.add_argument("--index", help="index folder (default: index, or VERBATIM_INDEX_DIR)")
    parser.add_argument(
        "--host", help="address to listen on (default: 127.0.0.1, or GRADIO_SERVER_NAME)"
    )
    parser.add_argument(
        "--port", type=int, help="port (default: GRADIO_SERVER_PORT, or 7860 and up)"
    )
    parser.add_argument("--auth-user", help="require this user name (with --auth-password)")
    parser.add_argument("--auth-password", help="the password for --auth-user")
    return parser


def _auth(args, parser) -> tuple[str, str] | None:
    if args.auth_user or args.auth_password:
        if not (args.auth_user and args.auth_password):
            parser.error("--auth-user and --auth-password go together.")
        return args.auth_user, args.auth_password
    raw = os.environ.get("VERBATIM_AUTH", "")
    if raw:
        user, sep, password = raw.partition(":")
        if not (sep and user and password):
            parser.error("VERBATIM_AUTH must look like user:password.")
        return user, password
    return None


def is_loopback(host: str) -> bool:
    """Say whether host only listens on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _terminal_progress(stage: str, done: int, total: int) -> None:
    if done == total:
        print(f"  {stage}: {done}/{total}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Build or update the index, then serve the page; return an exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    auth = _auth(args, parser)
    settings = Settings.from_env(docs_dir=args.docs, index_dir=args.index)
    host = args.host or os.environ.get("GRADIO_SERVER_NAME") or "127.0.0.1"
    if not is_loopback(host) and auth is None:
        print(
            f"warning: listening on {host} without a password: anyone who can reach this "
            "machine can read the documents. Set --auth-user/--auth-password or VERBATIM_AUTH.",
            file=sys.stderr,
        )
    try:
        return _serve(Verbatim(settings.docs_dir, settings.index_dir, settings), host, args, auth)
    except KeyboardInterrupt:
        print("Interrupted; the previous index is still in place.", file=sys.stderr)
        return 130


def _serve(app: Verbatim, host: str, args, auth) -> int:
    """Bring the index up to date, load the model, then serve until interrupted."""
    settings = app.settings
    print(f"Checking the index of {app.docs_dir}/ in {app.index_dir}/ …", file=sys.stderr)
    try:
        # Startup has the model to itself: build with the answering copy, loaded once.
        report = app.build(progress=_terminal_progress, embedder=app.query_embedder)
        print(report.summary(), file=sys.stderr)
    except IndexerError as error:
        try:
            app.reload()
        except IndexerError:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"warning: {error} Serving the existing index.", file=sys.stderr)
    # The model loads while the page is built and the server starts: both take seconds.
    warming = _Warmer(app)
    warming.start()
    page = build_ui(app)
    page.queue().launch(
        server_name=host,
        server_port=args.port,  # None: Gradio reads GRADIO_SERVER_PORT, else 7860 and up
        auth=auth,
        max_file_size=int(settings.max_file_mb * 1_000_000),
        css=CSS,
        theme=gr.themes.Soft(),
        prevent_thread_lock=True,
    )
    warming.join()
    if warming.error is not None:
        print(f"error: {warming.error}", file=sys.stderr)
        page.close()
        return 1
    page.block_thread()
    return 0


class _Warmer(threading.Thread):
    """Load the index and the model in the background; keep the error, if any."""

    def __init__(self, app: Verbatim):
        super().__init__(name="warm-up", daemon=True)
        self.app, self.error = app, None

    def run(self) -> None:
        try:
            self.app.warm_up()
        except IndexerError as error:
            self.error = error


if __name__ == "__main__":
    sys.exit(main())
else:
    # The module-level page of Gradio's demos, for `gradio app.py` and tests; it loads
    # nothing until used. `python app.py` makes its own from the command line instead.
    _settings = Settings.from_env()
    demo = create_app(_settings.docs_dir, _settings.index_dir, _settings)
