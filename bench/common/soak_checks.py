"""The soak's checks of each answer, and the memory readings it reports.

An answer is wrong if a place it cites (a quote, a copy of its file, a related passage) is not
exactly its file's indexed text at those offsets with those lines, or names a file deleted by
a rebuild already done; a fact's question is wrong if its file's quote of the fact is missing
after the rebuild that wrote it, or still there after the rebuild that changed or deleted it.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from bench.common.soak_folder import Fact

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


def answer_errors(answer, text_of: Callable[[str], str], gone: set[str]) -> list[str]:
    """Return what is wrong with the places an answer cites (empty if nothing is)."""
    errors = []
    for place in [*answer.quotes, *answer.related]:
        named = [place.source, *place.copies]
        errors += [f"cites {name}, deleted by an earlier rebuild" for name in named if name in gone]
        if place.source in gone:
            continue
        try:
            text = text_of(place.source)
        except Exception as error:  # noqa: BLE001 - any failure to open a citation is an error
            errors.append(f"{place.source} cannot be opened: {error}")
            continue
        where = f"{place.source} [{place.start}:{place.end}]"
        if not place.hit.start <= place.start < place.end <= place.hit.end:
            errors.append(f"{where} is not inside its passage")
        if text[place.start : place.end] != place.text:
            errors.append(f"{where} is not the indexed text: {place.text[:60]!r}")
        lines = (_line(text, place.start), _line(text, max(place.start, place.end - 1)))
        if (place.line_start, place.line_end) != lines:
            errors.append(f"{where} cites lines {place.line_start}-{place.line_end}, not {lines}")
    return errors


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def quotes_fact(answer, fact: Fact) -> bool:
    """Whether the answer quotes the fact's sentence from the fact's file."""
    quoted = [" ".join(q.text.split()) for q in answer.quotes if q.source == fact.path]
    return any(fact.token in text and fact.answer in text for text in quoted)


def fact_errors(answer, fact: Fact, present: bool) -> list[str]:
    """Return the error of a fact's answer: missing while its file holds it, or kept after."""
    if quotes_fact(answer, fact) == present:
        return []
    if present:
        return [f"{fact.path}: its new sentence ({fact.token}) was not quoted"]
    return [f"{fact.path}: the sentence it no longer holds ({fact.token}) was quoted"]


def rss_mb() -> float:
    """Return this process's resident memory now, in MB."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * PAGE_BYTES / 1e6


def open_files() -> int:
    """Return how many file descriptors this process holds open."""
    return len(os.listdir("/proc/self/fd"))
