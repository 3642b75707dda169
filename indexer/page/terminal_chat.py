"""`python -m indexer chat`: one question a line, each follow-up read in the context of the last.

On a terminal it prompts, and ends as a terminal expects: Ctrl+D ends the prompt's line before
the shell's next prompt, and Ctrl+C ends the session (exit 130) without a word, since nothing
is being built that it could have left half done.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from ..errors import IndexerError
from ..search.query import check_question
from .render import answer_text, terminal_mark

INTRO = "Ask about the documents; follow up with “and …?”. An empty line or Ctrl+D ends."


def converse(live, settings, warn: Callable, said: Callable[[Exception], str]) -> int:
    """Answer each line of stdin until an empty line or its end; return the exit code.

    warn(index) says a notice of the index on stderr and returns it; said(error) is an error's
    sentence as the command line says it.
    """
    interactive = sys.stdin.isatty()
    notice = warn(live.index)
    if interactive:
        print(INTRO)
    try:
        _answer_lines(live, settings, interactive, notice, warn, said)
    except KeyboardInterrupt:
        if interactive:
            print(flush=True)  # the prompt's line ends, as Enter would end it
        return 130
    return 0


def _answer_lines(live, settings, interactive: bool, notice, warn, said) -> None:
    previous = ""
    while True:
        if interactive:
            print("? ", end="", flush=True)
        line = sys.stdin.readline()
        if not line.strip():
            if interactive and not line:  # Ctrl+D: the prompt's line ends, as Enter would end it
                print(flush=True)
            return
        try:
            question = check_question(line, settings.max_query_chars)
            answer, read_as = live.answer(question, previous)
        except IndexerError as error:
            print(f"error: {said(error)}", file=sys.stderr, flush=True)
            continue
        if live.index.notice != notice:
            notice = warn(live.index)
        if read_as != question:
            print(f"(read as: {read_as})")
        print(answer_text(answer, terminal_mark(sys.stdout)) + "\n", flush=True)
        previous = read_as
