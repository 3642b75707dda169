"""The page's Find view in a real headless Chromium: every match highlighted, counted first, a
click opening the viewer at the match (a PDF page drawn and boxed), chips filtering."""

import re
import shutil
from pathlib import Path

import pytest

from . import test_app_browser
from .conftest import running_app
from .library import write_library
from .test_app_browser import OVERLAPS, SCREENSHOTS_TO, page_at
from .test_app_browser_panels import console_errors

pytestmark = [pytest.mark.browser, pytest.mark.model]
browser = test_app_browser.browser  # one Chromium for the module (a fixture)
SHOTS = [(1360, "screenshot-find.png"), (390, "screenshot-find-390.png")]

MEETING = "Meeting notes\n\nThe supplier warned that force majeure may delay the handover.\n"
ENTRY = (
    "Entry {n}: the keeper saw a gannet over the reef, noted the wind and the swell, and closed "
    "the log for the watch with the lamp trimmed and the glass rising slowly, then walked the "
    "gallery once more before handing the watch to the relief keeper."
)
PHRASE = '"force majeure"'


@pytest.fixture(scope="module")
def find_app(tmp_path_factory):
    """The app on the library's contracts and an English note (two folders, three types)."""
    base = tmp_path_factory.mktemp("find-app")
    write_library(base / "all")
    shutil.copytree(base / "all" / "contracts", base / "docs" / "contracts")
    (base / "docs" / "notes").mkdir()
    (base / "docs" / "notes" / "meeting.txt").write_text(MEETING, encoding="utf-8")
    log = "\n\n".join(ENTRY.format(n=n) for n in range(60))
    (base / "docs" / "notes" / "log.txt").write_text(log, encoding="utf-8")
    with running_app(base, ["--docs", "docs"]) as app:
        yield app


def find(page, query: str) -> str:
    """Open the Find tab, look for query, and return the count said above the matches."""
    page.get_by_role("tab", name="Find").click()
    box = page.locator("#find_query textarea")
    box.fill(query)
    box.press("Enter")
    return settled_count(page, "")


def settled_count(page, before: str) -> str:
    """Wait until the count changes from before (a new find has answered); return it."""
    page.wait_for_function(
        "(before) => { const c = document.querySelector('#find_count [data-testid=markdown]');"
        " const said = c ? c.innerText.trim() : '';"
        " return said && said !== before; }",
        arg=before,
    )
    return page.locator("#find_count [data-testid=markdown]").inner_text().strip()


def shown_files(page) -> list[str]:
    return page.locator("#find_results .find-file").evaluate_all(
        "sections => sections.map(s => s.dataset.source)"
    )


def test_every_match_is_highlighted_counted_first_and_opens_the_viewer(browser, find_app):
    errors: list[str] = []
    with page_at(browser, find_app.url, 1360, before_load=console_errors(errors)) as page:
        count = find(page, PHRASE)
        assert count.startswith("4 passages in 4 files match")
        assert sorted(shown_files(page)) == [
            "contracts/lease-draft.md", "contracts/lease.txt", "contracts/terms.pdf",
            "notes/meeting.txt",
        ]  # fmt: skip
        marks = page.locator("#find_results mark").all_inner_texts()
        assert [" ".join(m.split()).lower() for m in marks] == ["force majeure"] * 4
        counted = page.locator("#find_count").bounding_box()
        listed = page.locator("#find_results").bounding_box()
        assert counted["y"] + counted["height"] <= listed["y"] + 1  # the count comes first
        hit = page.locator("#find_results .find-file[data-source='contracts/terms.pdf'] a.cite")
        assert hit.inner_text().startswith("p. 1")
        hit.click()
        figure = page.locator("#viewer .page-image")
        figure.locator("img").wait_for()
        page.wait_for_function(
            "() => document.querySelector('#viewer .page-image img').naturalWidth > 0"
        )
        assert figure.get_attribute("data-page") == "1"
        assert figure.locator(".hl").count() >= 1  # the match boxed on the drawn page
        assert "Force majeure" in " ".join(page.locator("#viewer mark").all_inner_texts())
        page.locator("#find_results .find-file[data-source='contracts/lease.txt'] a.cite").click()
        # The match runs over a line break: marked on both of its lines, from line 3.
        page.wait_for_function(
            "() => [...document.querySelectorAll('#viewer mark')].map(m => m.innerText)"
            ".join(' ').replace(/\\s+/g, ' ').includes('Force Majeure')"
        )
        assert page.locator("#viewer .row.cited .ln").all_inner_texts() == ["3", "4"]
    assert errors == []  # no uncaught error or console error through find and both clicks


def test_the_chips_filter_by_type_and_folder(browser, find_app):
    with page_at(browser, find_app.url, 1360) as page:
        before = find(page, PHRASE)
        page.locator("#find_types").get_by_label("pdf", exact=True).check()
        assert settled_count(page, before).startswith("1 passage in 1 file match")
        assert shown_files(page) == ["contracts/terms.pdf"]
        before = page.locator("#find_count [data-testid=markdown]").inner_text().strip()
        page.locator("#find_types").get_by_label("pdf", exact=True).uncheck()
        before = settled_count(page, before)
        page.locator("#find_folders").get_by_label("notes/", exact=True).check()
        before = settled_count(page, before)
        assert before.startswith("1 passage in 1 file match")
        assert shown_files(page) == ["notes/meeting.txt"]
        # Chips with a bad filter typed: the sentence stands where the count goes.
        box = page.locator("#find_query textarea")
        box.fill("majeure colour:red")
        box.press("Enter")
        assert re.match(r"colour: is not a filter", settled_count(page, before))
        assert shown_files(page) == ["notes/meeting.txt"]  # the last matches stay


def test_the_page_buttons_turn_the_pages(browser, find_app):
    with page_at(browser, find_app.url, 1360) as page:
        count = find(page, "gannet")
        assert count.startswith("60 passages in 1 file match · page 1 of 2")
        assert page.locator("#find_results .find-hit").count() == 50
        assert page.locator("#find_previous").is_disabled()
        page.locator("#find_next").click()
        assert "page 2 of 2" in settled_count(page, count)
        assert page.locator("#find_results .find-hit").count() == 10
        assert page.locator("#find_next").is_disabled()
        assert page.locator("#find_results .find-hit").first.inner_text().count("Entry 50:") == 1
        shown = page.locator("#find_count [data-testid=markdown]").inner_text().strip()
        page.locator("#find_previous").click()
        assert "page 1 of 2" in settled_count(page, shown)


@pytest.mark.parametrize(("width", "name"), SHOTS)
def test_find_at_a_desk_and_on_a_phone(browser, find_app, tmp_path, width, name):
    with page_at(browser, find_app.url, width) as page:
        find(page, PHRASE)
        page.locator("#find_results mark").first.wait_for()
        page.wait_for_timeout(800)
        assert page.evaluate(OVERLAPS) == []
        folder = Path(SCREENSHOTS_TO) if SCREENSHOTS_TO else tmp_path
        page.screenshot(path=str(folder / name), full_page=True)
        assert (folder / name).stat().st_size > 10_000
