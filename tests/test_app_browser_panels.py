"""The Sources panel, the viewer and the Documents panel in a real headless Chromium, at a desk
and on a phone: what a person sees (in view, on top, no error badge, the trash's words)."""

import re

import pytest
from playwright.sync_api import expect

from . import test_app_browser
from .test_app_browser import BOT, ask, page_at

pytestmark = [pytest.mark.browser, pytest.mark.model]
browser = test_app_browser.browser  # one Chromium for the module (a fixture)

WIDTHS = [1360, 390]
STALE = "The file changed since it was indexed"
# Whether an element is drawn where a person sees it: the page scrolled to it (never a box inside
# the page: what a box scrolled away stays away), itself (not something laid over it, nor what
# its box shows instead) under its centre.
ON_TOP = """(selector) => {
    const e = document.querySelector(selector);
    if (!e) return {found: false};
    const at = e.getBoundingClientRect();
    if (at.top < 0 || at.bottom > innerHeight) window.scrollBy(0, at.top - innerHeight / 3);
    const r = e.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {found: true, onTop: !!hit && (e === hit || e.contains(hit)),
            box: [r.left, r.top, r.width, r.height], hit: hit && hit.outerHTML.slice(0, 120)};
}"""


def console_errors(errors: list):
    """Return a before_load hook that records uncaught errors and console errors."""

    def listen(page) -> None:
        page.on("pageerror", lambda e: errors.append(f"uncaught: {(e.stack or e)!s:.600}"))
        page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))

    return listen


def rebuild(page) -> None:
    page.locator("#rebuild").click()
    page.locator("#report").get_by_text("Index updated").first.wait_for()


def on_top(page, selector: str) -> dict:
    shown = page.evaluate(ON_TOP, selector)
    assert shown["found"], selector
    return shown


# -- item 7: a stale quote is said in the Sources panel and the viewer --------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_a_stale_quote_is_marked_in_the_sources_panel_and_the_viewer(browser, app_server, width):
    name = f"tide-gauge-{width}.txt"
    path = app_server.docs / name
    path.write_text(
        f"Tide gauge\n\nThe Orrin Point tide gauge {width} was calibrated by Ada Munro.\n",
        encoding="utf-8",
    )
    question = f"Who calibrated the Orrin Point tide gauge {width}?"
    errors = []
    with page_at(browser, app_server.url, width, before_load=console_errors(errors)) as page:
        rebuild(page)
        assert name in ask(page, question)
        page.locator("#sources mark").first.wait_for()
        assert page.locator("#sources .stale-note").count() == 0  # fresh: nothing said
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("\nRecalibrated in May.\n")
        answer = ask(page, question)
        assert name in answer and "the file changed since it was indexed" in answer
        card = page.locator("#sources .source", has_text=name).first
        card.locator(".stale-note").wait_for()
        assert STALE in card.locator(".stale-note").inner_text()
        assert on_top(page, "#sources .source .stale-note")["onTop"]
        card.locator("a.cite").click()
        page.locator("#viewer mark").first.wait_for()
        note = page.locator("#viewer .stale-note")
        note.wait_for()
        assert (
            STALE in note.inner_text() and name in page.locator("#viewer .doc-title").inner_text()
        )
        assert on_top(page, "#viewer .stale-note")["onTop"]
        # Above the scrolled lines, so it stays in view wherever the text is scrolled to.
        lines = page.locator("#viewer .doc").bounding_box()
        assert note.bounding_box()["y"] + note.bounding_box()["height"] <= lines["y"] + 1
        page.wait_for_timeout(500)
        assert errors == [], errors


# -- item 9: the phone's Sources boxes, the copy button, the wrap toggle -------------------------

PIER_FILLER = " ".join(f"Survey note {i} records the swell at the pier head." for i in range(12))


def test_on_a_phone_each_source_box_is_scrolled_to_its_quote(browser, app_server):
    (app_server.docs / "pier-survey.txt").write_text(
        f"Pier survey\n\n{PIER_FILLER} The Dunmarrow pier crane lifts 55 tonnes.\n\n"
        "The survey ends here.\n",
        encoding="utf-8",
    )
    errors = []
    with page_at(browser, app_server.url, 390, before_load=console_errors(errors)) as page:
        rebuild(page)
        assert "55 tonnes" in ask(page, "How much does the Dunmarrow pier crane lift?")
        page.locator("#sources mark", has_text="55 tonnes").wait_for()
        page.wait_for_timeout(500)
        shown = page.evaluate(
            """() => {
                const mark = [...document.querySelectorAll('#sources mark')]
                    .find(m => m.innerText.includes('55 tonnes'));
                const box = mark.closest('.passage');
                const b = box.getBoundingClientRect(), m = mark.getBoundingClientRect();
                return {scrolls: box.scrollHeight > box.clientHeight + 40,
                        inside: m.top >= b.top && m.bottom <= b.bottom,
                        box: [b.top, b.bottom], mark: [m.top, m.bottom]};
            }"""
        )
        assert shown["scrolls"], shown  # the passage is taller than its box ...
        assert shown["inside"], shown  # ... and the box shows the quote, not the passage's start
        assert errors == [], errors


@pytest.mark.parametrize("width", WIDTHS)
def test_the_indexed_text_label_leaves_its_copy_button_uncovered(browser, app_server, width):
    errors = []
    with page_at(browser, app_server.url, width, before_load=console_errors(errors)) as page:
        ask(page, "How much money does Anthropic make a year?")
        page.locator("#sources a.cite").first.click()
        page.locator("#viewer mark").first.wait_for()
        page.wait_for_function(
            "() => document.querySelector('#document_text textarea').value.length > 100"
        )
        button = "#document_text button[aria-label='Copy']"
        shown = on_top(page, button)
        assert shown["onTop"], shown  # a click lands on the button, not on the label
        label = page.locator("#document_text [data-testid='block-info']").bounding_box()
        copy = page.locator(button).bounding_box()
        apart = (
            copy["x"] >= label["x"] + label["width"]
            or copy["y"] >= label["y"] + label["height"]
            or label["y"] >= copy["y"] + copy["height"]
        )
        assert apart, (label, copy)
        assert errors == [], errors


BREAKWATER_FILLER = " ".join(
    f"Log entry {i} notes the wind over the Kelby breakwater." for i in range(70)
)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_wrap_toggle_stays_in_view_wherever_the_text_is_scrolled(browser, app_server, width):
    name = f"breakwater-log-{width}.txt"
    (app_server.docs / name).write_text(
        f"Breakwater log\n\n{BREAKWATER_FILLER} The Kelby breakwater light {width} stands 31 "
        f"metres high. {BREAKWATER_FILLER}\n",
        encoding="utf-8",
    )
    errors = []
    with page_at(browser, app_server.url, width, before_load=console_errors(errors)) as page:
        rebuild(page)
        ask(page, f"How high is the Kelby breakwater light {width}?")
        page.locator(f"{BOT} a[href^='#cite=']", has_text=name).first.click()
        page.locator("#viewer mark", has_text="31").wait_for()
        toggle = "#viewer .wrap-toggle"
        page.locator(f"{toggle} input").check()  # unwrapped: scrolled sideways to the quote
        page.wait_for_timeout(500)
        scrolled = page.evaluate("() => document.querySelector('#viewer .doc').scrollLeft")
        assert scrolled > 200, scrolled  # the text did move sideways ...
        shown = on_top(page, toggle)
        assert shown["onTop"], shown  # ... and the toggle did not go with it
        # The cited line's number stays beside the quote, drawn over the text scrolled under it.
        assert on_top(page, "#viewer .row.cited .ln")["onTop"]
        page.evaluate(
            """() => { const d = document.querySelector('#viewer .doc');
                       d.scrollTop = d.scrollHeight; d.scrollLeft = d.scrollWidth; }"""
        )
        page.wait_for_timeout(200)
        box = page.locator("#viewer .doc-view").bounding_box()
        at = page.locator(toggle).bounding_box()
        assert box["x"] <= at["x"] and at["x"] + at["width"] <= box["x"] + box["width"]
        assert on_top(page, toggle)["onTop"]
        page.locator(f"{toggle} input").uncheck()  # and it works from there: wrapped again
        wrapped = page.evaluate(
            "() => getComputedStyle(document.querySelector('#viewer .row')).whiteSpace"
        )
        assert wrapped == "pre-wrap"
        assert errors == [], errors


# -- item 10: the Documents panel ---------------------------------------------------------------

TRASHED = re.compile(r"(?P<name>.+) — trashed \d{1,2} [A-Z][a-z]{2}( \d{4})? \d\d:\d\d")


@pytest.mark.parametrize("width", WIDTHS)
def test_restore_without_a_choice_warns_and_the_trash_names_files(browser, app_server, width):
    name = f"q3-sales-{width}.txt"
    (app_server.docs / name).write_text(
        f"Quarterly sales\n\nSales in the third quarter {width} rose by 4 percent.\n",
        encoding="utf-8",
    )
    errors = []
    with page_at(browser, app_server.url, width, before_load=console_errors(errors)) as page:
        rebuild(page)
        page.locator("#library").get_by_text("Documents: state, trash, restore").click()
        page.locator("#restore").click()  # nothing chosen
        toast = page.locator(".toast-body", has_text="Choose a file in the trash to restore.")
        toast.wait_for()
        page.wait_for_timeout(1000)
        assert "warning" in toast.get_attribute("class")
        # No "Error" badge over the index summary or the report: nothing failed.
        assert page.locator("#report .error, #index_info .error").count() == 0
        assert "Error" not in page.locator("#index_info").inner_text()

        page.locator("#manage_file input").fill(name)
        page.locator("#manage_file input").press("Enter")
        page.locator("#trash").click()
        page.locator("#report").get_by_text(re.compile(r"Removed \(1\): .*q3")).wait_for()
        page.locator("#trashed input").click()
        option = page.get_by_role("option", name=name, exact=False).first
        option.wait_for()
        texts = page.get_by_role("option").all_inner_texts()
        shown = [TRASHED.fullmatch(text.strip()) for text in texts]
        assert all(shown) and name in [m["name"] for m in shown], texts
        assert not any(re.search(r"\d{8}-\d{6}", text) for text in texts), texts
        option.click()
        page.locator("#restore").click()
        page.locator("#report").get_by_text(re.compile(r"Added \(1\): .*q3")).wait_for()
        assert (app_server.docs / name).is_file()
        # The documents table says when this file was indexed, as people write it.
        page.locator("#documents_filter textarea, #documents_filter input").first.fill(name)
        table = page.locator("#documents")
        expect(table).to_contain_text(name)
        expect(table).to_contain_text(re.compile(r"\b\d{1,2} [A-Z][a-z]{2}( \d{4})? \d\d:\d\d\b"))
        assert errors == [], errors
