"""The chat page: ask about the documents, read verbatim quotes, see their sources, rebuild."""

import argparse
import sys
import tempfile
import warnings
from pathlib import Path

import gradio as gr

from indexer import IndexerError, Settings
from indexer.cli import show_notices
from indexer.errors import DocumentsFolderError
from indexer.page.handlers import Verbatim
from indexer.page.layout import build_ui
from indexer.page.mcp_http import mount_mcp
from indexer.page.uploads import sweep_forever
from indexer.settings import add_flags, flag_values

# Gradio 6.17 names a status code Starlette has deprecated: one two-line warning per request.
warnings.filterwarnings("ignore", message="'HTTP_422_UNPROCESSABLE_ENTITY' is deprecated")

FLAGS = ["docs_dir", "index_dir", "model", "milvus_uri", "host", "port", "auth"]
CSS = (Path(__file__).parent / "indexer" / "page" / "page.css").read_text(encoding="utf-8")
PAGE_JS = (Path(__file__).parent / "indexer" / "page" / "page.js").read_text(encoding="utf-8")


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
    _create_missing(live.docs_dir)
    print(f"Checking the index of {live.docs_dir}/ in {live.index_dir}/ …", file=sys.stderr)
    try:
        # Startup has the model to itself: build with the answering copy, loaded once.
        report = live.build(progress=_terminal_progress, embedder=live.query_embedder)
        print(report.summary(), file=sys.stderr)
    except IndexerError as error:
        try:
            live.reload()
        except IndexerError:
            if not (isinstance(error, DocumentsFolderError) and live.docs_dir.is_dir()):
                print(f"error: {error}", file=sys.stderr)
                return 1
            # Nothing to index yet: the page starts all the same, and uploads fill the folder.
            print(
                f"warning: {error} The page starts without an index: add files from it.",
                file=sys.stderr,
            )
        else:
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


def _create_missing(docs_dir: Path) -> None:
    """Create a documents folder that does not exist yet, if its parent does; say so."""
    if docs_dir.exists() or docs_dir.is_symlink() or not docs_dir.parent.is_dir():
        return  # a broken link or a missing parent is more likely a mistake: the build says it
    try:
        docs_dir.mkdir()
    except OSError:
        return  # the build names the folder and the fix
    print(f"Created the documents folder {docs_dir}/ (it did not exist).", file=sys.stderr)


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
