"""PDF, Word, HTML and Markdown files written for real, indexed, and cited at the right place."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from indexer import build_index, load_index
from indexer.read.documents import read_document
from tests.fakes import FakeEmbedder

PDF_PAGES = [
    ("Harbour report", "The harbour crane lifts forty tonnes. It was installed in spring."),
    ("Ferry timetable", "The first ferry leaves the quay at quarter past six every morning."),
    ("Lighthouse", "The lighthouse keeper logs the weather in a green ledger each night."),
]


def write_pdf(path: Path, pages: list[tuple[str, str]]) -> None:
    """Write a PDF with one heading and one paragraph per page (fpdf2)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for heading, body in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, heading)
        pdf.ln(4)
        pdf.multi_cell(0, 8, body)
    pdf.output(str(path))


def write_docx(path: Path) -> None:
    """Write a Word document with headings, paragraphs and a table (python-docx)."""
    import docx

    document = docx.Document()
    document.add_heading("Garden club minutes", level=1)
    document.add_paragraph("The club met in the orchard pavilion on Tuesday.")
    document.add_heading("Seed budget", level=2)
    document.add_paragraph("The seed budget for the year is set out below.")
    table = document.add_table(rows=3, cols=2)
    for row, cells in zip(table.rows, [("Crop", "Budget"), ("Tomatoes", "120 euros"),
                                       ("Pumpkins", "75 euros")], strict=True):  # fmt: skip
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_heading("Compost", level=2)
    document.add_paragraph("Volunteers turn the compost heap on the first Sunday of each month.")
    document.save(str(path))


HTML_PAGE = """<!DOCTYPE html>
<html><head><title>Observatory</title>
<style>body { color: tealgreen; } .stylesheetmarker {}</style>
<script>var trackingScriptToken = "scriptleak"; function go() {}</script></head>
<body>
<header><a href="/">Home</a> bannerleak navigation header</header>
<nav><ul><li><a href="/a">Navleak menu item</a></li><li>Contact navleak</li></ul></nav>
<main>
<h1>Observatory guide</h1>
<p>The observatory dome opens at <b>dusk</b> when the sky is clear.</p>
<h2>Telescope</h2>
<p>The main telescope has a mirror of two metres.<br>It was polished in Jena.</p>
<table><tr><th>Planet</th><th>Best month</th></tr><tr><td>Saturn</td><td>August</td></tr></table>
<script>document.write("inlinescriptleak")</script>
</main>
<footer>Copyright footerleak</footer>
</body></html>
"""


@pytest.fixture
def mixed_docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    write_pdf(docs / "harbour.pdf", PDF_PAGES)
    write_docx(docs / "minutes.docx")
    (docs / "observatory.html").write_text(HTML_PAGE, encoding="utf-8")
    (docs / "bakery.md").write_text(
        "# Bakery\n\nIntro line about bread.\n\n## Opening hours\n\n"
        "The bakery opens at seven on weekdays.\n\n"
        "| Loaf | Price |\n|---|---|\n| Rye | 4 euros |\n| Spelt | 5 euros |\n",
        encoding="utf-8",
    )
    cellar = (
        "Der Weinkeller liegt unter der Küche.\n\nÜber der Tür hängt ein Schlüssel für "
        "die Gäste; die Fässer müssen im Frühling geprüft werden, größere im Herbst.\n"
    )
    (docs / "cellar.txt").write_bytes(cellar.encode("cp1252"))
    return docs


@pytest.fixture
def mixed_index(mixed_docs: Path, tmp_path: Path, settings):
    report = build_index(mixed_docs, tmp_path / "index", settings, FakeEmbedder())
    assert report.skipped == []
    return load_index(tmp_path / "index", settings, FakeEmbedder())


def assert_exact(index, record) -> None:
    """The record's text is the file's extracted text at its offsets, on its lines."""
    text = index.document_text(record.source)
    assert text[record.start : record.end] == record.text
    assert record.line_start == text.count("\n", 0, record.start) + 1
    assert record.line_end == text.count("\n", 0, record.end - 1) + 1


def test_every_format_is_indexed_with_its_format(mixed_index):
    formats = {name: entry.format for name, entry in mixed_index.manifest.files.items()}
    assert formats == {
        "bakery.md": "markdown",
        "cellar.txt": "text",
        "harbour.pdf": "pdf",
        "minutes.docx": "docx",
        "observatory.html": "html",
    }
    for passage in mixed_index.stored.passages:
        assert_exact(mixed_index, passage)


def test_pdf_citations_give_the_page_and_quote_the_page_text(mixed_index, mixed_docs):
    from pypdf import PdfReader

    reader = PdfReader(mixed_docs / "harbour.pdf")
    for number, (_, body) in enumerate(PDF_PAGES, 1):
        hit = mixed_index.search(body, 1)[0]
        assert (hit.source, hit.page) == ("harbour.pdf", number)
        assert_exact(mixed_index, hit)
        # The quoted text is on that page as pypdf itself extracts it.
        page_text = reader.pages[number - 1].extract_text()
        assert " ".join(hit.text.split()) in " ".join(page_text.split())
        # Its lines are counted within the page, as a reader of the printed page counts them.
        first, last = cited_lines(hit)
        page_lines = mixed_index.document_text("harbour.pdf").split("\n\n")[number - 1].split("\n")
        assert page_lines[first - 1] == hit.text.split("\n")[0]
        assert page_lines[last - 1] == hit.text.split("\n")[-1]
        assert f"p. {number}, line" in _citation(hit) and f" {first}" in _citation(hit)
    ferry = mixed_index.search("first ferry quay", 1)[0]
    assert "p. 2" in _citation(ferry)
    assert all(p.page is None for p in mixed_index.stored.passages if p.source != "harbour.pdf")


def test_docx_table_rows_and_paragraphs_cite_their_heading(mixed_index):
    row = mixed_index.search("Pumpkins budget euros", 1)[0]
    assert row.source == "minutes.docx"
    assert row.text == "| Pumpkins | 75 euros |"
    assert row.heading == "Seed budget"
    compost = mixed_index.search("compost heap Sunday", 1)[0]
    assert compost.heading == "Compost" and "Volunteers turn the compost" in compost.text
    assert '"Compost"' in _citation(compost)
    assert_exact(mixed_index, row)
    assert_exact(mixed_index, compost)


def test_html_keeps_readable_text_and_drops_scripts_styles_and_navigation(mixed_index):
    text = mixed_index.document_text("observatory.html")
    assert text.startswith("# Observatory guide\n\nThe observatory dome opens at dusk when")
    for leaked in ("scriptleak", "tealgreen", "stylesheetmarker", "navleak", "bannerleak",
                   "footerleak", "trackingScriptToken"):  # fmt: skip
        assert leaked.lower() not in text.lower()
        assert all(leaked.lower() not in p.text.lower() for p in mixed_index.stored.passages)
        assert all(h.source != "observatory.html" or leaked not in h.text
                   for h in mixed_index.search(leaked, 5))  # fmt: skip
    hit = mixed_index.search("telescope mirror metres", 1)[0]
    assert hit.source == "observatory.html" and hit.heading == "Telescope"
    assert "The main telescope has a mirror of two metres. It was polished in Jena." in hit.text
    assert_exact(mixed_index, hit)
    saturn = mixed_index.search("Saturn best month", 1)[0]
    assert saturn.text == "| Saturn | August |" and saturn.heading == "Telescope"


def test_markdown_headings_are_sections_and_table_rows_stay_one_per_line(mixed_index):
    hours = mixed_index.search("bakery opens weekdays", 1)[0]
    assert hours.source == "bakery.md" and hours.heading == "Opening hours"
    rye = mixed_index.search("Rye price", 1)[0]
    assert rye.text == "| Rye | 4 euros |" and rye.line_start == rye.line_end == 11
    cellar = mixed_index.search("Weinkeller Küche", 1)[0]
    assert cellar.text.startswith("Der Weinkeller liegt unter der Küche.\n\nÜber der Tür")
    assert "größere im Herbst" in mixed_index.document_text("cellar.txt")  # decoded, not mojibake


def test_format_is_chosen_by_content_not_only_by_name(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    write_pdf(docs / "scan-named-as.txt", PDF_PAGES[:1])
    (docs / "page.txt").write_text(HTML_PAGE, encoding="utf-8")
    (docs / "fake.pdf").write_text("Just a note saved with the wrong name.\n", encoding="utf-8")
    (docs / "fake.docx").write_bytes(bytes(range(256)) * 4)

    pdf = read_document(docs, docs / "scan-named-as.txt", 10**7)
    assert pdf.format == "pdf" and "harbour crane" in pdf.text
    html = read_document(docs, docs / "page.txt", 10**7)
    assert html.format == "html" and "scriptleak" not in html.text
    note = read_document(docs, docs / "fake.pdf", 10**7)
    assert note.format == "text" and note.text.startswith("Just a note")
    binary = read_document(docs, docs / "fake.docx", 10**7)
    assert "not a docx file" in binary.reason


@pytest.mark.model
def test_answers_from_each_format_quote_extracted_text(mixed_docs, tmp_path, real_embedder):
    from indexer.settings import Settings

    settings = Settings()
    build_index(mixed_docs, tmp_path / "real-index", settings, real_embedder)
    index = load_index(tmp_path / "real-index", settings, real_embedder)
    expected = {
        "When does the first ferry leave the quay?": ("harbour.pdf", 2, "quarter past six"),
        "How much is the budget for pumpkins?": ("minutes.docx", None, "75 euros"),
        "How large is the mirror of the main telescope?": ("observatory.html", None, "two metres"),
    }
    for question, (source, page, words) in expected.items():
        answer = index.answer(question)
        assert not answer.refused, question
        quote = answer.quotes[0]
        assert (quote.source, quote.page) == (source, page), question
        assert words in quote.text, question
        assert_exact(index, quote)


def cited_lines(hit) -> tuple[int, int]:
    from indexer.records import cited_lines as lines

    return lines(hit)


def _citation(hit) -> str:
    from indexer.records import format_citation

    return format_citation(hit)


def test_extractors_read_generated_bytes_directly():
    from indexer.read.formats import extract_docx, extract_pdf

    buffer = io.BytesIO()
    import docx

    document = docx.Document()
    document.add_paragraph("Only paragraph.")
    document.save(buffer)
    assert extract_docx(buffer.getvalue(), 1000).text == "Only paragraph."
    with pytest.raises(Exception, match="corrupt PDF"):
        extract_pdf(b"%PDF-1.7\n" + b"garbage" * 50, 1000)


def test_a_pdf_quote_is_boxed_on_its_drawn_page_where_pdfium_finds_its_letters(
    mixed_index, mixed_docs
):
    import pypdfium2 as pdfium
    from PIL import Image

    from indexer.page.viewer import page_figure
    from indexer.read.pdf import page_view

    data = (mixed_docs / "harbour.pdf").read_bytes()
    entry = mixed_index.manifest.files["harbour.pdf"]
    text = mixed_index.document_text("harbour.pdf")
    document = pdfium.PdfDocument(data)
    for number, (_, body) in enumerate(PDF_PAGES, 1):
        hit = mixed_index.search(body, 1)[0]
        assert hit.page == number
        figure = page_figure("harbour.pdf", data, entry, text, (hit.start, hit.end))
        assert f'data-page="{number}"' in figure and 'src="data:image/png;base64,' in figure
        page_start = entry.page_starts[number - 1]
        page_end = entry.page_starts[number] - 2 if number < len(entry.page_starts) else len(text)
        view = page_view(
            data, number - 1, hit.start - page_start, hit.end - page_start,
            text[page_start:page_end],
        )  # fmt: skip
        image = Image.open(io.BytesIO(view.png))
        page = document[number - 1]
        width, height = page.get_size()
        assert image.size == (round(width * 1.5), round(height * 1.5))
        assert len(view.boxes) == len(hit.text.split("\n"))  # one box per quoted line
        textpage = page.get_textpage()
        for box, line in zip(view.boxes, hit.text.split("\n"), strict=True):
            left, top, box_width, box_height = box
            assert 0 <= left < left + box_width <= 1 and 0 <= top < top + box_height <= 1
            # The letters pdfium itself finds inside the box are the quoted line.
            found = textpage.get_text_bounded(
                left=left * width,
                right=(left + box_width) * width,
                top=(1 - top) * height,
                bottom=(1 - top - box_height) * height,
            )
            assert " ".join(found.split()) == " ".join(line.split()), (found, line)
    # A file changed since it was indexed gets no drawing (its offsets would box other letters).
    changed = page_figure("harbour.pdf", data + b"\n%", entry, text, (hit.start, hit.end))
    assert "changed since it was indexed" in changed and "<img" not in changed
    assert page_figure("harbour.pdf", data, entry, text, None) == ""
