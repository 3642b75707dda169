"""The command line: build the index, ask a question, find and search passages."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shlex
import sys
from pathlib import Path

from .errors import BUILD, IndexerError, not_a_folder, with_flags
from .page.query_commands import add_find_and_search, with_syntax
from .settings import Settings, add_flags, describe, flag_values

FLAGS = ["index_dir", "model", "milvus_uri"]  # settings every command takes as flags


def main(argv: list[str] | None = None) -> int:
    """Run one command; expected failures print one sentence and return a non-zero code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    show_notices()
    try:
        return args.run(args, Settings.from_env(flag_values(args, FLAGS)))
    except IndexerError as error:
        print(f"error: {_said(error, args)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        builds = args.run is _build or (args.run is _eval and args.docs)
        said = "; the previous index is still in place" if builds else ""
        print(f"Interrupted{said}.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`ask --json | head`): nothing more to say, and nowhere to say it.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def show_notices() -> None:
    """Print the product's notices (a long one-time step, say) on stderr, one line each."""
    import logging

    notices = logging.getLogger("verbatim")
    if not notices.handlers:
        notices.addHandler(logging.StreamHandler(sys.stderr))
    notices.setLevel(logging.INFO)
    notices.propagate = False


def _parser() -> argparse.ArgumentParser:
    settings_help = "\n".join(f"  {env:30} {help_}" for _, env, _, help_ in describe())
    parser = argparse.ArgumentParser(
        prog="python -m indexer",
        description="Answer questions about a folder of documents with exact, cited quotes.",
        epilog="settings (environment variables):\n" + settings_help,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    common = argparse.ArgumentParser(add_help=False)
    add_flags(common, FLAGS)
    commands = parser.add_subparsers(title="commands")

    build = commands.add_parser("build", parents=[common], help="build or update the index")
    build.add_argument("docs", nargs="?", help="documents folder (default: seeds)")
    build.add_argument(
        "--watch",
        action="store_true",
        help="keep the index in sync: rebuild whenever files change, until Ctrl+C or SIGTERM",
    )
    build.add_argument(
        "--debounce",
        type=float,
        default=1.0,
        help="with --watch: seconds of quiet after a change before rebuilding (default 1)",
    )
    build.set_defaults(run=_build)

    ask = with_syntax(commands, "ask", common, "answer a question with quotes")
    ask.add_argument("question", help='the question; filters and "phrases" narrow its quotes')
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.set_defaults(run=_ask)

    add_find_and_search(commands, common, _load)
    chat = commands.add_parser(
        "chat",
        parents=[common],
        help="ask questions one after another (follow-ups read in context)",
    )
    chat.set_defaults(run=_chat)
    mcp = commands.add_parser(
        "mcp", parents=[common], help="serve the index to assistants: MCP tools over stdio"
    )
    mcp.add_argument("--docs", help="documents folder (default: seeds, or VERBATIM_DOCS_DIR)")
    mcp.add_argument(
        "--verbose", action="store_true", help="log every request on stderr (quiet by default)"
    )
    mcp.set_defaults(run=_mcp)

    verify = commands.add_parser(
        "verify",
        parents=[common],
        help="check the quotes of an exported conversation against files",
    )
    verify.add_argument("export", help="the JSON file exported from the chat page")
    verify.add_argument("--docs", help="documents folder (default: seeds, or VERBATIM_DOCS_DIR)")
    verify.set_defaults(run=_verify)

    check = commands.add_parser(
        "check", parents=[common], help="verify every byte of every index version"
    )
    check.set_defaults(run=_check)

    evaluate = commands.add_parser(
        "eval", parents=[common], help="score answers on a question set (JSONL with gold spans)"
    )
    evaluate.add_argument("questions", help="JSONL file: question, answers, source")
    evaluate.add_argument("--docs", help="documents folder; the index is built or updated first")
    evaluate.add_argument("--json", action="store_true", help="print metrics and rows as JSON")
    evaluate.add_argument("--show", action="store_true", help="print each question's outcome")
    evaluate.set_defaults(run=_eval)
    return parser


def _eval(args, settings: Settings) -> int:
    from .answer.evaluate import evaluate, format_table, read_questions
    from .build.terminal_progress import TerminalProgress
    from .build.update import build_index
    from .page.render import shorten

    questions = read_questions(args.questions)
    if args.docs:
        with TerminalProgress() as progress:
            build_index(args.docs, settings.index_dir, settings, progress=progress)
    result = evaluate(_load(settings, args), questions)
    if args.json:
        print(json.dumps(result, indent=1, ensure_ascii=False))
        return 0
    if args.show:
        for row in result["questions"]:
            mark = (
                "ok " if row["quote_hit"] or (not row["answerable"] and row["refused"]) else "BAD"
            )
            shown = "(refused)" if row["refused"] else shorten(row["first_quote"] or "", 90)
            question = shorten(row["question"], 70)
            print(
                f"{mark} {row['id']:>6} {question}\n           rank={row['passage_rank']} {shown}"
            )
    print(format_table(result["metrics"]))
    return 0


def _mcp(args, settings: Settings) -> int:
    from .embed.choice import embedder_for
    from .page.live_index import LiveIndex
    from .page.mcp_tools import build_server

    docs = args.docs or settings.docs_dir  # stdout carries the protocol; all else is on stderr
    live = LiveIndex(docs, settings.index_dir, settings, embedder_for(settings))
    live.warm_up()  # the model loads while the client says hello
    build_server(live, args.verbose, _build_flags(args)).run("stdio")
    return 0


def _chat(args, settings: Settings) -> int:
    from .embed.choice import embedder_for
    from .page.live_index import LiveIndex
    from .page.terminal_chat import converse

    # The model loads once, for the whole session; damage found later is passed over.
    live = LiveIndex(settings.docs_dir, settings.index_dir, settings, embedder_for(settings))
    return converse(live, settings, lambda index: _warn(index, args), lambda e: _said(e, args))


def _verify(args, settings: Settings) -> int:
    from .page.conversation_export import verify

    results = verify(args.export, args.docs or settings.docs_dir, settings)
    for status, quote in results:
        print(f"{status}: {quote['citation']} — “{' '.join(quote['text'].split())[:80]}”")
    standing = sum(status.startswith("stands") for status, _ in results)
    print(f"{standing} of {len(results)} quotes stand.")
    return 0 if standing == len(results) else 1


def _check(args, settings: Settings) -> int:
    from .store.integrity import damage
    from .store.versions import current_version, open_version

    if settings.milvus_uri:
        return _check_milvus(settings)
    index_dir = Path(settings.index_dir)
    current = current_version(index_dir)
    current_damage = None
    for folder in sorted(index_dir.glob("v-*"), reverse=True):
        problem = damage(folder, full=True, texts=True)
        role = "current" if folder == current else "earlier"
        print(f"{folder.name} ({role}): {'intact' if problem is None else 'damaged: ' + problem}")
        current_damage = problem if folder == current else current_damage
    version = open_version(index_dir)  # the one sentence if nothing is left to serve
    if version.notice:
        print(f"warning: {version.notice}", file=sys.stderr)
        return 1
    if current_damage:  # only texts, which loads leave to their check when read
        print(
            f"warning: The index in {index_dir}/ is damaged ({current_damage}); "
            f"run {with_flags(BUILD, _build_flags(args))} to repair it.",
            file=sys.stderr,
        )
        return 1
    print(f"The index in {index_dir}/ is intact.")
    return 0


def _check_milvus(settings: Settings) -> int:
    """Say which versions on Milvus are whole; the engine keeps its own bytes safe."""
    from .store.milvus.store import MilvusStore, calls

    versions = MilvusStore(settings, Path(settings.index_dir)).versions
    with calls(settings.milvus_uri):
        current = versions.current()
        for stamp in versions.stamps():
            role = "current" if stamp == current else "earlier"
            print(f"{stamp} ({role}): {'whole' if versions.is_whole(stamp) else 'incomplete'}")
        _, notice = versions.serving()  # the one sentence if nothing is left to serve
    if notice:
        print(f"warning: {notice}", file=sys.stderr)
        return 1
    print(f"The index in {versions.where} is whole.")
    return 0


def _build(args, settings: Settings) -> int:
    from .build.terminal_progress import TerminalProgress
    from .build.update import build_index

    docs = args.docs or settings.docs_dir
    if args.watch:
        return _watch(docs, args, settings)
    with TerminalProgress() as progress:
        report = build_index(docs, settings.index_dir, settings, progress=progress)
    _print_report(report)
    return 0


def _watch(docs: str, args, settings: Settings) -> int:
    from .build.watch import stop_on_signals, watch_folder

    def show(outcome) -> None:
        if isinstance(outcome, IndexerError):
            print(f"error: {_said(outcome, args)} (still watching)", file=sys.stderr, flush=True)
        else:
            _print_report(outcome)
        print(f"Watching {docs}/ for changes; Ctrl+C stops.", flush=True)

    if args.debounce < 0:
        print("error: --debounce must be zero or more seconds.", file=sys.stderr)
        return 2
    if not Path(docs).is_dir():
        print(f"error: {not_a_folder(docs)}", file=sys.stderr)
        return 1
    watch_folder(docs, settings.index_dir, settings, show, args.debounce, stop_on_signals())
    print("Stopped watching; the index is up to date with the last change seen.", flush=True)
    return 0


def _print_report(report) -> None:
    print("\n".join(report.lines()), flush=True)


def _ask(args, settings: Settings) -> int:
    from .build.terminal_progress import TerminalProgress
    from .page.render import answer_text, terminal_mark

    index = _load(settings, args)

    def counted(stage: str, done: int, total: int) -> None:
        if total:  # the sentence before it is a notice, said on stderr even when piped
            bars(stage, done, total)

    with TerminalProgress() as bars:  # a build the question sets off (answer.companion)
        answer = index.answer(args.question, progress=counted)
    if args.json:
        print(json.dumps(answer.to_record(), indent=1, ensure_ascii=False))
    else:
        print(answer_text(answer, terminal_mark(sys.stdout)))
    return 0


def _load(settings: Settings, args):
    """Load the index to answer from; say so on stderr if a damaged version was passed over."""
    from .answer.index import load_index

    index = load_index(settings.index_dir, settings)
    _warn(index, args)
    return index


def _warn(index, args) -> str | None:
    """Say on stderr that a damaged version was passed over, if one was; return the notice."""
    if index.notice:
        print(f"warning: {_said(index.notice, args)}", file=sys.stderr)
    return index.notice


def _said(error, args) -> str:
    """Return an error's sentence, its build command naming the folders this command was given."""
    return with_flags(str(error), _build_flags(args))


def _build_flags(args) -> list[str]:
    """Return the documents folder and setting flags given, as a build would take them."""
    flags = {spec.name: spec.metadata["flag"] for spec in dataclasses.fields(Settings)}
    docs = getattr(args, "docs", None)
    given = [shlex.quote(docs)] if docs else []
    for name in FLAGS:
        if getattr(args, name, None):
            given += [flags[name], shlex.quote(getattr(args, name))]
    return given
