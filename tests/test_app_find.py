"""The page's Find view through its handlers: chips as filters, the count, highlights, pages."""

from __future__ import annotations

import html

import gradio as gr

from indexer import Settings, build_index
from indexer.page.find_view import FIND_PLACEHOLDER, chip_query, find_chips, find_page
from indexer.page.live_index import LiveIndex

from .fakes import FakeEmbedder
from .library import write_library


def live_on(docs, index_dir) -> LiveIndex:
    build_index(docs, index_dir, Settings(), FakeEmbedder())
    return LiveIndex(docs, index_dir, Settings(), FakeEmbedder())


def test_the_chips_are_the_indexs_types_and_folders_and_become_filters(tmp_path):
    live = live_on(write_library(tmp_path / "docs"), tmp_path / "index")
    types, folders = find_chips(live)
    assert types.choices == [(kind, kind) for kind in ("md", "pdf", "txt")]
    assert folders.choices == [("contracts/", "contracts/"), ("notes/", "notes/")]
    assert chip_query(" majeure ", ["pdf", "md"], ["my notes/"]) == (
        'majeure type:pdf type:md in:"my notes/"'
    )
    count, shown, page, previous, following = find_page(live, "majeure", ["pdf"], [])
    assert count == "**1 passage in 1 file** match · by relevance"
    assert 'data-source="contracts/terms.pdf"' in shown and shown.count('class="find-hit"') == 1
    assert page == 1 and previous["visible"] == following["visible"] == "hidden"  # one page
    _, shown, *_ = find_page(live, "", [], ["notes/"])  # chips alone list their files
    assert shown.count('class="find-file"') == 4 and "contracts/" not in shown


def test_matches_are_highlighted_and_link_to_their_place(tmp_path):
    docs = write_library(tmp_path / "docs")
    live = live_on(docs, tmp_path / "index")
    count, shown, *_ = find_page(live, '"force majeure, as agreed"', [], [])
    assert count.startswith("**1 passage in 1 file**")
    assert "<mark>Force\nMajeure, as agreed</mark>" in shown
    link = shown.split('href="')[1].split('"')[0]
    start, end, source = html.unescape(link).removeprefix("#cite=").replace("%3A", ":").split(":")
    source = source.replace("%2F", "/")
    text = (docs / source).read_text(encoding="utf-8")
    assert text[int(start) : int(end)] == "Force\nMajeure, as agreed"  # the viewer opens here


def test_a_bad_query_or_nothing_found_is_said_where_the_count_goes(tmp_path):
    live = live_on(write_library(tmp_path / "docs"), tmp_path / "index")
    count, shown, page, *_ = find_page(live, "majeure colour:red", [], [])
    assert "colour:" in count and count.endswith("as text.")
    assert shown == gr.skip() and page == gr.skip()  # the last matches stay in view
    count, shown, *_ = find_page(live, '"quarterly dividend"', [], [])
    assert count.startswith("No passage matches") and shown == ""
    assert find_page(live, "  ", [], [])[:3] == ("", FIND_PLACEHOLDER, 1)


def test_the_page_buttons_walk_the_pages(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    paragraph = (
        "Entry {n}: the keeper saw a gannet over the reef, noted the wind and the swell, and "
        "closed the log for the watch with the lamp trimmed and the glass rising slowly, then "
        "walked the gallery once more before handing the watch to the relief keeper."
    )
    (docs / "log.txt").write_text("\n\n".join(paragraph.format(n=n) for n in range(120)))
    live = live_on(docs, tmp_path / "index")
    count, _, page, previous, following = find_page(live, "gannet", [], [])
    assert count.startswith("**120 passages in 1 file**") and "page 1 of 3" in count
    assert page == 1
    assert not previous["interactive"] and following["interactive"] and following["visible"]
    count, shown, page, previous, following = find_page(live, "gannet", [], [], 3)
    assert "page 3 of 3" in count and page == 3
    assert previous["interactive"] and not following["interactive"]
    assert shown.count('class="find-hit"') == 120 - 2 * 50
