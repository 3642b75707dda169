"""The page in a real headless Chromium: ask, read the sources, upload, rebuild, stay safe."""

import contextlib
import os
import tempfile
from pathlib import Path

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("GRADIO_TEMP_DIR", tempfile.mkdtemp(prefix="verbatim-gradio-"))

import pytest  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from indexer.page.uploads import clean_upload_name  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.model]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# Screenshots go to a temporary folder; SCREENSHOTS_TO=docs writes the README's ones.
SCREENSHOTS_TO = os.environ.get("SCREENSHOTS_TO")
TIMEOUT_MS = 120_000
BOT = "#chat [data-testid='bot']"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():  # CI installs it (apt-get install chromium); never skip silently
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium chromium-driver")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, app_server):
    """A fresh page on the app that records every dialog (alert, confirm) it opens."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.dialogs = []

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(app_server.url)
    page.wait_for_selector("#question textarea")
    yield page
    context.close()


@contextlib.contextmanager
def page_at(browser, url: str, width: int, height: int = 900, before_load=None):
    """A fresh page at a viewport width, loaded and ready for a question; closed afterwards."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    if before_load is not None:
        before_load(page)  # listeners that must hear the load itself
    page.goto(url)
    page.wait_for_selector("#question textarea")
    try:
        yield page
    finally:
        context.close()


def ask(page, question: str) -> str:
    """Type a question, press Enter, and return the text of the new answer."""
    before = page.locator(BOT).count()
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        "([selector, n]) => document.querySelectorAll(selector).length > n",
        arg=[BOT, before],
        timeout=TIMEOUT_MS,
    )
    return page.locator(BOT).last.inner_text()


def upload(page, files: list[Path]) -> str:
    """Upload files through the page (it indexes them at once); return the build's report."""
    page.locator("#upload input[type=file]").set_input_files([str(f) for f in files])
    status = page.locator("#upload_status")
    status.get_by_text("answerable now").wait_for()
    for f in files:
        assert clean_upload_name(f.name) in status.inner_text()
    page.locator("#report").get_by_text(clean_upload_name(files[0].name)).first.wait_for()
    return page.locator("#report").inner_text()


def test_question_is_quoted_cited_and_highlighted(page, tmp_path):
    answer = ask(page, "How much money does Anthropic make a year?")
    assert "$850" in answer
    assert "[1]" in answer and "002_6d34ce2141a5a6b8.txt" in answer
    marked = page.locator("#sources mark")
    marked.first.wait_for()
    assert any("$850" in text for text in marked.all_inner_texts())
    assert "002_6d34ce2141a5a6b8.txt" in page.locator("#sources").inner_text()
    assert "files" in page.locator("#index_info").inner_text()
    folder = Path(SCREENSHOTS_TO) if SCREENSHOTS_TO else tmp_path
    page.screenshot(path=str(folder / "screenshot.png"), full_page=True)
    assert (folder / "screenshot.png").stat().st_size > 10_000
    assert page.dialogs == []


def test_uploaded_fact_is_answered_after_rebuild(page, tmp_path):
    fact = tmp_path / "lighthouse log.txt"
    fact.write_text(
        "Lighthouse Log\n\nThe lighthouse on Skerrow Island was painted teal in 1987 "
        "by the keeper Marta Quillan.\n",
        encoding="utf-8",
    )
    report = upload(page, [fact])
    assert "lighthouse-log.txt" in report.split("Added", 1)[1].split("\n", 1)[0]
    answer = ask(page, "What colour was the lighthouse on Skerrow Island painted?")
    assert "teal" in answer and "lighthouse-log.txt" in answer
    assert "teal" in " ".join(page.locator("#sources mark").all_inner_texts())
    assert page.dialogs == []


def files_indexed(page) -> int:
    """Return how many files the Index panel says the index holds."""
    info = page.locator("#index_info")
    expect(info).to_contain_text(" files, ")
    return int(info.inner_text().split(" files, ")[0].split()[-1])


def test_an_upload_as_the_readme_starts_the_app_updates_every_panel(page, app_server, tmp_path):
    """Started with no flags (the relative seeds/): no error, and the panels follow at once."""
    info = page.locator("#index_info")
    before = files_indexed(page)
    fact = tmp_path / "tide table.txt"
    fact.write_text(
        "Tide table\n\nHigh water at Corrin Sound falls at 04:12 on the first of May.\n",
        encoding="utf-8",
    )
    report = upload(page, [fact])  # waits for "answerable now" and the report naming it
    assert "tide-table.txt" in report.split("Added", 1)[1].split("\n", 1)[0]
    assert "Error" not in page.locator("#upload_status").inner_text()
    expect(info).to_contain_text(f"{before + 1} files, ")  # the Index panel, without a reload
    for dropdown in ("#document", "#scope"):  # the file lists too
        page.locator(f"{dropdown} input").click()
        expect(page.get_by_role("option", name="tide-table.txt")).to_have_count(1)
        page.keyboard.press("Escape")
    answer = ask(page, "When does high water fall at Corrin Sound?")
    assert "04:12" in answer and "tide-table.txt" in answer
    assert page.locator(".error, [data-testid='error']").count() == 0
    assert "Traceback" not in app_server.log.read_text()
    assert page.dialogs == []


def test_the_page_follows_a_build_from_the_terminal_at_the_next_question(page, app_server):
    """`python -m indexer build seeds` while the page is open: its next answer and panels."""
    import subprocess
    import sys

    before = files_indexed(page)
    (app_server.docs / "weir.txt").write_text(
        "Weir\n\nThe Dunmore weir was rebuilt in 1911 with granite blocks.\n", encoding="utf-8"
    )
    command = [sys.executable, "-m", "indexer", "build", app_server.docs.name]
    subprocess.run(command, cwd=app_server.docs.parent, check=True, capture_output=True)
    answer = ask(page, "When was the Dunmore weir rebuilt?")  # no reload, no Rebuild click
    assert "1911" in answer and "weir.txt" in answer
    expect(page.locator("#index_info")).to_contain_text(f"{before + 1} files, ")
    expect(page.locator("#report")).to_contain_text("Added (1): weir.txt")  # that build
    page.locator("#document input").click()
    expect(page.get_by_role("option", name="weir.txt")).to_have_count(1)
    page.keyboard.press("Escape")
    assert page.dialogs == []


def test_script_in_a_document_never_runs(page, tmp_path):
    payload = "<script>alert(1)</script> <img src=x onerror=alert(2)> ${alert(3)}"
    probe = tmp_path / "ferry.txt"
    probe.write_text(
        "Ferry service\n\nThe annual budget of the Oskarvik ferry service is 4.2 million euros. "
        f"A note pinned to the gate reads {payload} and nothing else.\n",
        encoding="utf-8",
    )
    upload(page, [probe])
    answer = ask(page, "What is the annual budget of the Oskarvik ferry service?")
    assert "4.2 million euros" in answer and "ferry.txt" in answer
    sources = page.locator("#sources")
    marked = " ".join(sources.locator("mark").all_inner_texts())
    assert "4.2 million euros" in marked  # the quote is highlighted ...
    assert payload in sources.inner_text()  # ... in its passage, whose markup shows as text
    assert sources.locator("script").count() == 0 and sources.locator("img").count() == 0
    assert page.locator("#chat img").count() == 0
    page.wait_for_timeout(1000)  # give any injected handler time to fire
    assert page.dialogs == []


PAYLOADS = [
    "<script>alert('s')</script>",
    "<img src=x onerror=alert('i')>",
    "<svg onload=alert('v')></svg>",
    "[click me](javascript:alert('l'))",
    "<a href=\"javascript:alert('a')\">link</a>",
]


def test_no_payload_in_a_file_name_a_document_or_a_question_runs(page, tmp_path):
    # A file name the upload keeps (cleaned), text that holds every payload, and questions.
    probe = tmp_path / "quay <img src=x onerror=alert(9)> notes.md"
    probe.write_text(
        "# Quay notes\n\nThe Tallowmere quay crane lifts 40 tonnes. "
        + " ".join(PAYLOADS)
        + "\n\n| Crane | Load |\n|---|---|\n| "
        + PAYLOADS[1]
        + " | 40 t |\n",
        encoding="utf-8",
    )
    upload(page, [probe])
    for payload in PAYLOADS:
        ask(page, f"How much does the Tallowmere quay crane lift? {payload}")
    ask(page, "How much does the Tallowmere quay crane lift?")
    page.wait_for_timeout(1000)  # give any injected handler time to fire
    assert page.dialogs == []
    for area in ("#chat", "#sources", "#report", "#upload_status", "#index_info"):
        region = page.locator(area)
        assert region.locator("script, svg[onload], img[onerror]").count() == 0, area
        links = region.locator("a").evaluate_all("links => links.map(a => a.href)")
        assert not any(href.lower().startswith("javascript:") for href in links), area
    shown = page.locator("#chat").inner_text()
    assert "<svg onload=alert('v')></svg>" in shown  # the question is shown, as text


# Every character Markdown gives meaning to, and a script URL, in names a folder can hold.
MARKDOWN_NAMES = [
    "[link](javascript:alert(1)).txt",
    "*stars* _under_ `tick` <angle> |pipe| [x].md",
]


def test_a_file_name_full_of_markdown_is_cited_as_one_working_link(page, app_server):
    for n, name in enumerate(MARKDOWN_NAMES):
        # Put in the documents folder by hand: uploads clean names, a folder need not.
        text = f"Orchard notes\n\nThe Velmont orchard {n} grows {41 + n} kinds of pear.\n"
        (app_server.docs / name).write_text(text, encoding="utf-8")
    page.locator("#rebuild").click()
    page.locator("#report").get_by_text("Index updated").wait_for()
    for n, name in enumerate(MARKDOWN_NAMES):
        ask(page, f"How many kinds of pear does the Velmont orchard {n} grow?")
        answer = page.locator(BOT).last
        links = answer.locator("a")
        # One link per citation, showing the name literally, opening the viewer.
        assert links.count() == answer.locator("a[href^='#cite=']").count() >= 1
        cited = [link.inner_text() for link in links.all()]
        assert any(text.startswith(f"{name}, line 3") for text in cited), cited
        links.filter(has_text=f"{name}, line 3").first.click()
        page.locator("#viewer mark", has_text=f"{41 + n} kinds of pear").wait_for(timeout=30_000)
        assert name in page.locator("#viewer").inner_text()
    page.wait_for_timeout(500)
    assert page.dialogs == []


def in_view(page, selector: str) -> bool:
    """Whether the element is scrolled into its scrolling box's visible part."""
    return page.evaluate(
        """(selector) => {
            const el = document.querySelector(selector);
            const box = el.closest('.doc').getBoundingClientRect();
            const r = el.getBoundingClientRect();
            return r.top >= box.top && r.bottom <= box.bottom;
        }""",
        selector,
    )


FILLER = " ".join(f"Survey note {i} records the tide at the outer breakwater." for i in range(70))
HARBOUR = f"Harbour survey\n\n{FILLER} The Brackwater harbour wall is 812 metres long. {FILLER}\n"


def first_letter_of_mark_in_view(page) -> dict:
    """Where the quote's first letter stands against the viewer's visible box."""
    return page.evaluate(
        """() => {
            const shown = document.querySelector('#viewer .doc');
            const box = shown.getBoundingClientRect();
            const at = document.querySelector('#viewer mark').getClientRects()[0];
            const gutter = shown.querySelector('.ln').getBoundingClientRect().right;
            return {inside: at.top >= box.top && at.bottom <= box.bottom
                            && at.left >= gutter && at.left < box.left + shown.clientWidth,
                    at: [at.left, at.top], box: [box.left, box.top, box.right, box.bottom]};
        }"""
    )


@pytest.mark.parametrize("width", [1360, 390])
def test_a_quote_inside_a_long_line_is_in_view_in_the_viewer(browser, app_server, width):
    (app_server.docs / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    with page_at(browser, app_server.url, width) as page:
        page.locator("#rebuild").click()
        page.locator("#report").get_by_text("Index updated").wait_for()
        ask(page, "How long is the Brackwater harbour wall?")
        page.locator(f"{BOT} a[href^='#cite=']", has_text="harbour.txt").first.click()
        page.locator("#viewer mark", has_text="812 metres").wait_for()
        page.wait_for_timeout(800)  # the scroll to the quote
        shown = first_letter_of_mark_in_view(page)
        assert shown["inside"], shown  # wrapped: the quote is in the box, not 1,000 px to the right
        # The cited line's number is in view beside the quote, not under the sticky file name.
        title = page.locator("#viewer .doc-title").bounding_box()
        number = page.locator("#viewer .row.cited .ln").first.bounding_box()
        box = page.locator("#viewer .doc").bounding_box()
        assert title["y"] + title["height"] - 1 <= number["y"] < box["y"] + box["height"], number
        page.locator("#viewer .wrap-toggle input").check()  # unwrapped: scrolled sideways to it
        page.wait_for_timeout(500)
        shown = first_letter_of_mark_in_view(page)
        assert shown["inside"], shown


def test_a_citation_opens_the_document_at_the_cited_lines(page):
    ask(page, "What is a jailbreak in the context of AI models?")
    link = page.locator(f"{BOT} a[href^='#cite=']").last
    cited = link.inner_text()  # "004_….txt, lines 24-25 — "FAQ""
    link.click()
    mark = page.locator("#viewer mark").first
    mark.wait_for()
    assert "safety filters" in page.locator("#viewer mark").all_inner_texts()[-1] or (
        "safety filters" in " ".join(page.locator("#viewer mark").all_inner_texts())
    )
    first_cited = page.locator("#viewer .row.cited .ln").first.inner_text()
    assert f"line {first_cited}" in cited or f"lines {first_cited}-" in cited, cited
    page.wait_for_timeout(500)
    assert in_view(page, "#viewer mark")
    # The Sources panel's link opens the same place.
    page.locator("#sources a.cite").first.click()
    page.locator("#viewer mark").first.wait_for()
    assert page.locator("#viewer .row.cited").count() >= 1
    assert page.dialogs == []


NIGHTJAR_PAGES = [
    ["Heathland survey", "The survey covered twelve hectares of lowland heath.",
     "Volunteers counted stonechats along the northern fence.", "Rain stopped work at noon."],
    ["Nightjar field notes", "The team walked the heath transect at sunset.",
     "The nightjar feeds on moths caught in flight over the heather.",
     "Its churring song carries far on still nights."],
    ["Woodlark census", "Two woodlark territories were mapped near the old quarry."],
]  # fmt: skip


def write_lines_pdf(path: Path, pages: list[list[str]]) -> None:
    """Write a PDF with one text line per entry, page by page (fpdf2)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 9, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def test_a_pdf_citation_opens_its_page_drawn_with_the_quote_boxed(page, tmp_path):
    pdf = tmp_path / "nightjar.pdf"
    write_lines_pdf(pdf, NIGHTJAR_PAGES)
    upload(page, [pdf])
    ask(page, "What does the nightjar feed on?")
    link = page.locator(f"{BOT} a[href^='#cite=']", has_text="nightjar.pdf").first
    # Line 3 of page 2 (line 7 of the whole text): lines count within the page.
    assert "nightjar.pdf, p. 2, line 3" in link.inner_text()
    link.click()
    figure = page.locator("#viewer .page-image")
    figure.locator("img").wait_for()
    assert figure.get_attribute("data-page") == "2"
    assert page.locator("#viewer .row.cited .ln").first.inner_text() == "3"
    assert "moths caught in flight" in " ".join(page.locator("#viewer mark").all_inner_texts())
    page.wait_for_function(
        "() => document.querySelector('#viewer .page-image img').naturalWidth > 0"
    )
    image = figure.locator("img").bounding_box()
    boxes = [b.bounding_box() for b in figure.locator(".hl").all()]
    assert len(boxes) == 1  # one quoted line, one box
    for box in boxes:  # on the drawn page, in its upper part where the third line stands
        assert image["x"] <= box["x"] and box["x"] + box["width"] <= image["x"] + image["width"]
        assert image["y"] < box["y"] < image["y"] + image["height"] / 3
        assert box["width"] > image["width"] / 4 and box["height"] > 4
    assert page.dialogs == []
    figure.scroll_into_view_if_needed()
    folder = Path(SCREENSHOTS_TO) if SCREENSHOTS_TO else tmp_path
    page.locator("#viewer_panel").screenshot(path=str(folder / "screenshot-pdf.png"))
    assert (folder / "screenshot-pdf.png").stat().st_size > 10_000


def test_a_scanned_page_citation_opens_the_scan_drawn_with_the_quote_boxed(page, tmp_path):
    from .scans import FACTS, degraded, image_bytes, page_scan
    from .test_core_ocr import HARBOUR

    scan = tmp_path / "harbour-scan.png"
    drawn = degraded(page_scan(FACTS + HARBOUR), noise=0.05)
    scan.write_bytes(image_bytes([drawn.image], "PNG"))
    upload(page, [scan])
    ask(page, "How did the salvage crews refloat the ferry Albatross?")
    link = page.locator(f"{BOT} a[href^='#cite=']", has_text="harbour-scan.png").first
    assert "read by OCR" in page.locator(BOT).last.inner_text()
    assert "read by OCR" in page.locator("#sources").inner_text()
    link.click()
    figure = page.locator("#viewer .page-image")
    figure.locator("img").wait_for()
    assert "read by OCR" in figure.locator("figcaption").inner_text()
    assert "empty oil drums" in " ".join(page.locator("#viewer mark").all_inner_texts())
    page.wait_for_function(
        "() => document.querySelector('#viewer .page-image img').naturalWidth > 0"
    )
    image = figure.locator("img").bounding_box()
    boxes = [b.bounding_box() for b in figure.locator(".hl").all()]
    assert 1 <= len(boxes) <= 2  # the quoted sentence's lines, each boxed
    for box in boxes:  # on the drawn scan, in its upper part where the second paragraph stands
        assert image["x"] <= box["x"] and box["x"] + box["width"] <= image["x"] + image["width"]
        assert image["y"] < box["y"] < image["y"] + image["height"] / 3
        assert box["height"] > 4
    assert page.dialogs == []
    figure.scroll_into_view_if_needed()
    folder = Path(SCREENSHOTS_TO) if SCREENSHOTS_TO else tmp_path
    page.locator("#viewer_panel").screenshot(path=str(folder / "screenshot-scan.png"))
    assert (folder / "screenshot-scan.png").stat().st_size > 10_000


def test_a_follow_up_offers_to_ask_it_on_its_own_and_that_answers(page):
    ask(page, "How much money does Anthropic make a year?")
    ask(page, "and OpenAI?")
    button = page.locator("#ask_on_its_own")
    button.wait_for(state="visible", timeout=30_000)
    assert "on its own" in button.inner_text() and "and OpenAI?" in button.inner_text()
    count = page.locator(BOT).count()
    button.click()
    page.wait_for_function(
        "() => !document.querySelector('#ask_on_its_own') ||"
        " document.querySelector('#ask_on_its_own').offsetParent === null"
    )
    assert page.locator(BOT).count() == count  # the answer replaced, not added
    assert "read as a follow-up" not in page.locator(BOT).last.inner_text().lower()


def test_no_error_in_the_browser_console_on_load_and_after_a_question(browser, app_server):
    errors = []

    def listen(page) -> None:
        page.on("pageerror", lambda e: errors.append(f"uncaught: {(e.stack or e)!s:.600}"))
        page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))

    with page_at(browser, app_server.url, 1360, before_load=listen) as page:
        page.wait_for_timeout(2000)  # everything the page does on load
        assert errors == [], errors
        assert "Ask a question below." in page.locator("#chat").inner_text()  # not a blank box
        ask(page, "How much money does Anthropic make a year?")
        page.locator(f"{BOT} a[href^='#cite=']").last.click()
        page.locator("#viewer mark").first.wait_for()
        page.wait_for_timeout(1000)
        assert errors == [], errors


def test_restore_from_the_trash_with_the_readmes_default_folders(browser, tmp_path):
    """`python app.py` with no flags: the relative seeds/ and index/ of the README."""
    import shutil

    from .conftest import SEEDS, running_app

    shutil.copytree(SEEDS, tmp_path / "seeds")
    with (
        running_app(tmp_path, [], docs="seeds") as app_server,
        page_at(browser, app_server.url, 1360, 1000) as page,
    ):
        page.locator("#library").get_by_text("Documents: state, trash, restore").click()
        name = "002_6d34ce2141a5a6b8.txt"
        page.locator("#manage_file input").fill(name)
        page.locator("#manage_file input").press("Enter")
        page.locator("#trash").click()
        page.locator("#report").get_by_text("Removed (1)").wait_for()
        assert not (app_server.docs / name).exists()
        page.locator("#trashed input").click()
        page.get_by_role("option", name=name, exact=False).first.click()
        page.locator("#restore").click()
        page.locator("#report").get_by_text("Added (1)").wait_for()
        assert (app_server.docs / name).is_file()
        page.locator("#trashed input").click()
        # No stale entry in the trash list, once the list the restore sent back is drawn
        # (on a busy machine the old list can show for a moment after the report).
        expect(page.get_by_role("option")).to_have_count(0, timeout=10_000)
        assert page.locator(".error, [data-testid='error']").count() == 0
        assert "Error" not in app_server.log.read_text() and "Traceback" not in (
            app_server.log.read_text()
        )


def test_an_example_asks_when_clicked(page):
    before = page.locator(BOT).count()
    page.locator("#examples button, #examples td, #examples .gallery-item").first.click()
    page.wait_for_function(
        "([selector, n]) => document.querySelectorAll(selector).length > n",
        arg=[BOT, before],
        timeout=TIMEOUT_MS,
    )
    assert "[1]" in page.locator(BOT).last.inner_text() or "do not answer" in (
        page.locator(BOT).last.inner_text()
    )


# Pairs of visible controls (not one inside the other) whose boxes overlap by over 2 px.
OVERLAPS = """() => {
    const name = (e) => `${e.tagName.toLowerCase()}#${e.id} "${(e.innerText || e.value
        || e.getAttribute('aria-label') || '').slice(0, 30)}" in #${e.closest('[id]')?.id}`;
    const shown = (e) => {
        const r = e.getBoundingClientRect();
        return r.width > 1 && r.height > 1 && e.offsetParent !== null
            && getComputedStyle(e).visibility !== 'hidden';
    };
    const controls = [...document.querySelectorAll(
        'button, input:not([type=hidden]), textarea, select, a[href], label, th')].filter(shown);
    const found = [];
    controls.forEach((a, i) => controls.slice(i + 1).forEach((b) => {
        if (a.contains(b) || b.contains(a)) return;
        const r = a.getBoundingClientRect(), s = b.getBoundingClientRect();
        const w = Math.min(r.right, s.right) - Math.max(r.left, s.left);
        const h = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
        if (w > 2 && h > 2) found.push(`${name(a)} X ${name(b)}`);
    }));
    return found;
}"""
HEADERS = """() => [...document.querySelectorAll('#documents th')].filter(th => th.offsetParent)
    .map(th => ({text: th.innerText.trim(), height: th.getBoundingClientRect().height,
                 clipped: th.scrollWidth > th.clientWidth + 1}))"""


@pytest.mark.parametrize("width", [1360, 390])
def test_no_control_overlaps_another_at_a_desk_or_on_a_phone(browser, app_server, width):
    with page_at(browser, app_server.url, width) as page:
        ask(page, "How much money does Anthropic make a year?")
        page.locator("#library").get_by_text("Documents: state, trash, restore").click()
        page.locator("#documents th").first.wait_for()
        page.wait_for_timeout(800)
        assert page.evaluate(OVERLAPS) == []
        headers = page.evaluate(HEADERS)
        assert headers and all(h["height"] < 48 and not h["clipped"] for h in headers), headers
        # The examples are reachable on a phone too, and the question's hint fits its box.
        assert page.locator("#examples button.example").first.is_visible()
        hint = page.locator("#question textarea")
        assert hint.evaluate("t => t.scrollHeight <= t.clientHeight + 2")


@pytest.mark.parametrize(("width", "name"), [(1360, "screenshot.png"), (390, "screenshot-390.png")])
def test_the_page_at_a_desk_and_on_a_phone(browser, app_server, tmp_path, width, name):
    with page_at(browser, app_server.url, width) as page:
        ask(page, "How much money does OpenAI make a year?")
        page.locator(f"{BOT} a[href^='#cite=']").last.click()
        page.locator("#viewer mark").first.wait_for()
        answer = page.locator(BOT).last.bounding_box()
        sources = page.locator("#sources").bounding_box()
        # The sources of an answer follow it closely, also on a narrow screen.
        assert sources["y"] - (answer["y"] + answer["height"]) < 600, (answer, sources)
        page.wait_for_timeout(3000)  # let the viewer's text settle before the picture
        folder = Path(SCREENSHOTS_TO) if SCREENSHOTS_TO else tmp_path
        page.screenshot(path=str(folder / name), full_page=True)
        assert (folder / name).stat().st_size > 10_000


def test_the_answering_words_are_marked_inside_the_quote(page, tmp_path):
    """'How much money…' is answered by a sentence whose amount stands out in bold."""
    answer = ask(page, "How much money does Anthropic make a year?")
    assert "$850 million" in answer
    bubble = page.locator(BOT).last
    marked = [b.inner_text() for b in bubble.locator("strong").all()]
    assert "$850 million" in marked, marked
    # Only the answering words: the quote's other words are plain.
    assert not any("annualized revenue" in words for words in marked), marked
    folder = Path(SCREENSHOTS_TO) if SCREENSHOTS_TO else tmp_path
    bubble.screenshot(path=str(folder / "screenshot-marked.png"))
    assert (folder / "screenshot-marked.png").stat().st_size > 2_000


def test_a_german_question_on_the_english_seeds_says_it_builds_then_cites(browser, app_server):
    """Asked as a person types it: the page says what the first such question sets off, the
    answer cites the English sentence, the citation opens, and the console stays clean."""
    from .test_cross_language_real import GERMAN

    errors = []

    def listen(page) -> None:
        page.on("pageerror", lambda e: errors.append(f"uncaught: {(e.stack or e)!s:.600}"))
        page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))

    with page_at(browser, app_server.url, 1360, before_load=listen) as page:
        box = page.locator("#question textarea")
        box.fill(GERMAN)
        box.press("Enter")
        page.get_by_text("building the multilingual vectors once").first.wait_for()
        page.locator(f"{BOT} a[href^='#cite=']").last.wait_for()
        assert "850 million" in page.locator(BOT).last.inner_text()
        page.locator(f"{BOT} a[href^='#cite=']").last.click()
        page.locator("#viewer mark").first.wait_for()
        assert "850 million" in page.locator("#viewer mark").first.inner_text()
        page.wait_for_timeout(1000)
        assert errors == [], errors
