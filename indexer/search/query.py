"""Check a question before it is searched: clean text, not empty, not too long."""

from __future__ import annotations

import re

from ..errors import QueryError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_question(question, max_chars: int) -> str:
    """Return the question as clean text, or fail with a sentence if it cannot be searched.

    Any string is accepted: characters that are not text (lone surrogates, as undecodable
    bytes on a command line become) turn into U+FFFD, control characters into spaces.
    """
    question = "" if question is None else str(question)
    question = question.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    question = _CONTROL.sub(" ", question).strip()
    if not question:
        raise QueryError("The question is empty; type a question about the documents.")
    if len(question) > max_chars:
        raise QueryError(
            f"The question is {len(question)} characters long; keep it under {max_chars}."
        )
    return question
