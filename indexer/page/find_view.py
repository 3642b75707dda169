"""The page's Find view: the query with its chips, the count, every match highlighted, pages.

Laid out and wired here, beside its handler and its HTML: a tab of its own (see layout).
"""

from __future__ import annotations

from pathlib import PurePosixPath

import gradio as gr

from ..errors import IndexerError, counted
from ..records import where_in_file
from .render import cite_link, escape_html, escape_markdown, highlight, toast_text

FIND_PLACEHOLDER = (
    '<p class="muted">Every passage that holds the words, each with its citation. Quote a '
    'phrase to find it exactly ("force majeure"), leave words out with -draft, or tick a type '
    "or a folder.</p>"
)
FIND_HINT = (
    'Words (all must be in a passage), "an exact phrase", -word, type:pdf, in:folder/, '
    "after:2024-03-01 / before: (file modified date), lang:de"
)


def find_panel(ui) -> None:
    """The find box, the type and folder chips, the count, the matches and their pages."""
    ui.find_query = gr.Textbox(
        elem_id="find_query",
        label="Find every passage",
        placeholder='force majeure, "an exact phrase", -draft',
        info=FIND_HINT,
        lines=1,
        max_lines=3,
        submit_btn="Find",
    )
    with gr.Row(elem_id="find_chips"):
        ui.find_types = gr.CheckboxGroup(label="Type", choices=[], elem_id="find_types")
        ui.find_folders = gr.CheckboxGroup(label="Folder", choices=[], elem_id="find_folders")
    ui.find_count = gr.Markdown("", elem_id="find_count")
    ui.find_results = gr.HTML(FIND_PLACEHOLDER, elem_id="find_results")
    ui.find_page = gr.State(1)
    with gr.Row(elem_id="find_pages"):
        ui.find_previous = gr.Button(
            "Previous page", size="sm", elem_id="find_previous", visible="hidden"
        )
        ui.find_next = gr.Button("Next page", size="sm", elem_id="find_next", visible="hidden")


def wire_find(app, ui) -> None:
    """The find box, a chip ticked or cleared, and the page buttons: each finds again."""
    asked = [ui.find_query, ui.find_types, ui.find_folders]
    shown = [ui.find_count, ui.find_results, ui.find_page, ui.find_previous, ui.find_next]

    def first(typed, types, folders):
        return find_page(app.live, typed, types, folders, 1)

    def turned(step: int):
        return lambda typed, types, folders, page: find_page(
            app.live, typed, types, folders, max(1, int(page or 1) + step)
        )

    private = {"api_visibility": "private", "concurrency_id": "answer"}
    ui.find_query.submit(first, asked, shown, **private)
    for chips in (ui.find_types, ui.find_folders):
        chips.input(first, asked, shown, **private)
    for button, step in ((ui.find_previous, -1), (ui.find_next, 1)):
        button.click(turned(step), [*asked, ui.find_page], shown, **private)


def find_chips(live) -> tuple[gr.CheckboxGroup, gr.CheckboxGroup]:
    """Offer the index's file types and top folders as chips (nothing ticked)."""
    try:
        names = live.files()
    except IndexerError:
        names = []
    types = sorted({PurePosixPath(name).suffix.lower().lstrip(".") for name in names} - {""})
    folders = sorted({name.split("/", 1)[0] + "/" for name in names if "/" in name})
    return (
        gr.CheckboxGroup(choices=types, value=[], visible=bool(types)),
        gr.CheckboxGroup(choices=folders, value=[], visible=bool(folders)),
    )


def chip_query(typed: str, types: list[str] | None, folders: list[str] | None) -> str:
    """Return the query a box and its ticked chips make together (the chips as filters)."""
    said = [(typed or "").strip()] + [f"type:{kind}" for kind in types or []]
    said += [f'in:"{folder}"' if " " in folder else f"in:{folder}" for folder in folders or []]
    return " ".join(part for part in said if part)


def find_page(live, typed: str, types: list[str] | None, folders: list[str] | None, page=1):
    """Find a page of matches; return the count, the matches, the page and its two buttons."""
    query = chip_query(typed, types, folders)
    if not query:
        return "", FIND_PLACEHOLDER, 1, *_buttons(1, 1)
    try:
        found = live.find(query, int(page))
    except IndexerError as error:
        return escape_markdown(toast_text(error)), gr.skip(), gr.skip(), *_buttons(1, 1)
    return count_markdown(found), found_html(found), found.page, *_buttons(found.page, found.pages)


def _buttons(page: int, pages: int):
    """The page buttons: shown when there are pages, each usable where it leads somewhere."""
    shown = True if pages > 1 else "hidden"  # "hidden", never False: Gradio 6.17 keeps it gone
    return (
        gr.update(interactive=page > 1, visible=shown),
        gr.update(interactive=page < pages, visible=shown),
    )


def count_markdown(found) -> str:
    """Say how many passages in how many files match, before the list; or why none does."""
    if not found.total:
        return escape_markdown(found.note)
    where = f"page {found.page} of {found.pages} · " if found.pages > 1 else ""
    return (
        f"**{counted(found.total, 'passage')} in {counted(found.files, 'file')}** match · "
        f"{where}by {found.ranked_by}"
    )


def found_html(found) -> str:
    """Return a page of matches: each file with its count, each match cited and highlighted."""
    if not found.total:
        return ""
    return "".join(_file_html(group) for group in found.groups)


def _file_html(group) -> str:
    matches = "".join(_match_html(match) for match in group.matches)
    return (
        f'<section class="find-file" data-source="{escape_html(group.source)}">'
        f'<div class="find-file-head"><span class="source-file">{escape_html(group.source)}'
        f"</span> · {counted(group.count, 'passage')}</div>{matches}</section>"
    )


def _match_html(match) -> str:
    hit = match.hit
    spans = [(hit.start + start, hit.start + end) for start, end in match.highlights]
    first = spans[0] if spans else (hit.start, hit.end)  # the viewer opens at the first match
    where = escape_html(where_in_file(hit, " · ", "–") or hit.source)
    heading = f" · “{escape_html(hit.heading)}”" if hit.heading else ""
    link = escape_html(cite_link(hit.source, *first))
    return (
        f'<div class="find-hit"><a class="cite" href="{link}">{where}</a>{heading}'
        f'<div class="passage">{highlight(hit.text, hit.start, spans)}</div></div>'
    )
