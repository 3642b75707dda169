"""The terminal commands that read the index through the query language: find and search.

Each text argument takes the syntax of search.query_language, which its --help shows.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..search.query_language import SYNTAX

PER_PAGE = 50  # find's page (search.find.PER_PAGE, not imported: --help stays light)


def with_syntax(commands, name: str, common, help_: str, description: str | None = None):
    """Add a command whose text argument takes the query language, shown in its --help."""
    return commands.add_parser(
        name, parents=[common], help=help_, description=description, epilog=SYNTAX,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip


def add_find_and_search(commands, common, load) -> None:
    """Add `find` and `search`; load(settings, args) opens the index a command reads."""
    find = with_syntax(
        commands, "find", common,
        "list every passage that matches, grouped by file, matching words marked",
        "List every passage that matches QUERY, grouped by file, with counts; ranked by the\n"
        "free text's relevance (phrases and filters alone: in file order), "
        f"{PER_PAGE} a page.\nExit 1 when nothing matches.",
    )  # fmt: skip
    find.add_argument("query", help='words, "exact phrases", -exclusions and filters')
    find.add_argument("--page", type=int, default=1, help="which page of matches (default 1)")
    find.add_argument("--json", action="store_true", help="print the page as JSON")
    find.set_defaults(run=lambda args, settings: _find(load(settings, args), args))

    search = with_syntax(commands, "search", common, "list the best passages")
    search.add_argument("query")
    search.add_argument("--k", type=int, default=10, help="how many passages (default 10)")
    search.add_argument("--json", action="store_true", help="print the passages as JSON")
    search.set_defaults(run=lambda args, settings: _search(lambda: load(settings, args), args))


def _find(index, args) -> int:
    from ..search.find import find
    from .found_text import found_text
    from .render import terminal_mark

    found = find(index, args.query, args.page)
    if args.json:
        print(json.dumps(found.to_record(), indent=1, ensure_ascii=False))
    elif found.total:
        print(found_text(found, terminal_mark(sys.stdout)))
    if not found.total:
        print(found.note, file=sys.stderr)
        return 1
    return 0


def _search(load, args) -> int:
    from ..search.find import search
    from .render import hits_text

    if args.k < 1:
        print("error: --k must be at least 1.", file=sys.stderr)
        return 2
    hits = search(load(), args.query, args.k)
    records = [hit.to_record() for hit in hits]
    print(json.dumps(records, indent=1, ensure_ascii=False) if args.json else hits_text(hits))
    return 0
