"""Every document people keep, as laid out: PDF tables, spreadsheets, slides, e-books, e-mail.

The files are made here (tests/office_files.py, fpdf2): facts are answered from each with the
citation a reader can follow (page, sheet and row, slide and line), table rows under their
header, and bad files are skipped with a reason while the rest is indexed.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from fpdf import FPDF

from indexer import Settings, build_index, load_index
from indexer.page.viewer import document_html
from indexer.read.paged import Parts
from indexer.read.pdf import open_pdf, page_view

from .fakes import FakeEmbedder
from .office_files import email_with_html_body, epub, odt, slide_deck, workbook, zip_bomb

APPLES = [("Variety", "Tonnes", "Price per kg"), ("Elstar", "42", "1.10 EUR"),
          ("Jonagold", "35", "0.95 EUR"), ("Boskoop", "10", "0.80 EUR")]  # fmt: skip
PEARS = [("Pear", "Tonnes", "Price per kg"), ("Conference", "12", "1.30 EUR"),
         ("Clara Frijs", "8", "1.15 EUR"), ("Williams", "5", "1.40 EUR")]  # fmt: skip


def tables_pdf(tag: str = "") -> bytes:
    """Two pages: a ruled table under a heading, then an unruled (aligned) one, prose around."""
    pdf = FPDF()
    pdf.add_page()
    _heading(pdf, "Apple prices")
    _prose(pdf, "Prices agreed with the cooperative for the 2025 season are listed below.")
    with pdf.table(col_widths=(50, 30, 40)) as table:
        for row in APPLES:
            cells = table.row()
            for value in row:
                cells.cell(value)
    pdf.ln(4)
    _heading(pdf, "Storage")
    _prose(pdf, "Cold storage at the Vik warehouse keeps apples fresh for five months.")
    pdf.add_page()
    _heading(pdf, "Pear prices")
    for row in PEARS:
        for width, value in zip((50, 30, 40), row, strict=True):
            pdf.cell(width, 7, value)
        pdf.ln(7)
    pdf.ln(3)
    _prose(pdf, "Pears are sold through the same cooperative as apples." + tag)
    return bytes(pdf.output())


def _heading(pdf: FPDF, text: str) -> None:
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 10, text, new_x="LMARGIN", new_y="NEXT")


def _prose(pdf: FPDF, text: str) -> None:
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    pdf.ln(3)


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("office")
    docs = base / "docs"
    docs.mkdir()
    (docs / "prices.pdf").write_bytes(tables_pdf())
    (docs / "budget.xlsx").write_bytes(workbook())
    (docs / "plants.csv").write_text("Plant,Height (cm),Flowering\nFoxglove,150,June\n\n"
                                     "Lupin,90,May\n")  # fmt: skip
    (docs / "moths.tsv").write_text("Moth\tWingspan (mm)\nEmperor\t80\nBrimstone\t42\n")
    (docs / "deck.pptx").write_bytes(slide_deck())
    (docs / "ferry.epub").write_bytes(epub())
    (docs / "bees.odt").write_bytes(odt())
    (docs / "gates.eml").write_bytes(email_with_html_body())
    report = build_index(docs, base / "index", Settings(), FakeEmbedder())
    index = load_index(base / "index", Settings(), FakeEmbedder())
    return {"docs": docs, "report": report, "index": index}


CASES = [
    ("What does Elstar sell for per kg?", "| Elstar | 42 | 1.10 EUR |",
     "prices.pdf, p. 1, line 5", "| Variety | Tonnes | Price per kg |"),
    ("How many tonnes of Conference pears were sold?", "| Conference | 12 | 1.30 EUR |",
     "prices.pdf, p. 2, line 4", "| Pear | Tonnes | Price per kg |"),
    ("What does Nordvolt electricity cost?", "| Electricity | Nordvolt | 2310.5 |",
     'budget.xlsx, sheet "2024", row 5', "| Item | Supplier | Cost (EUR) |"),
    ("What is the total of the costs?", "| Total |  | 17555.5 |",
     'budget.xlsx, sheet "2024", row 8', "| Item | Supplier | Cost (EUR) |"),
    ("When did Tomas Berge start?", "| Tomas Berge | Courier | 2021-09-15 |",
     'budget.xlsx, sheet "Staff", row 3', "| Name | Role | Started |"),
    ("When does Lupin flower?", "| Lupin | 90 | May |", "plants.csv, row 4",
     "| Plant | Height (cm) | Flowering |"),
    ("What is the wingspan of the Brimstone moth?", "| Brimstone | 42 |", "moths.tsv, row 3",
     "| Moth | Wingspan (mm) |"),
    ("How deep is the North berth?", "| North | 180 | 11.5 |", "deck.pptx, slide 2, line 5",
     "| Berth | Length (m) | Depth (m) |"),
    ("Where is the dredger hired from?", "Mention that the dredger is hired from Rotterdam.",
     'deck.pptx, slide 3, line 5 — "Timeline"', None),
    ("How long did Anselm row the ferry?",
     "Old Anselm rowed the ferry across the Vey for forty years.",
     'ferry.epub, line 7 — "The Ferryman"', None),
    ("How much heather honey did the hives give?",
     "The hives on the south slope gave 38 kilograms of heather honey.",
     'bees.odt, line 3 — "Beekeeping log"', None),
    ("How many frames does the Linden hive have?", "| Linden | 11 |", "bees.odt, line 9",
     "| Hive | Frames |"),
    ("What is the east gate code?",
     "The east gate code is now 4417; the west gate stays as it was.",
     'gates.eml, line 9 — "Gate codes for the allotments"', None),
]  # fmt: skip


@pytest.mark.parametrize(("question", "quote", "citation", "header"), CASES)
def test_facts_are_answered_with_the_citation_a_reader_can_follow(
    office, question, quote, citation, header
):
    answer = office["index"].answer(question)
    assert not answer.refused, answer.reason
    first = answer.quotes[0]
    record = first.to_record()
    assert record["text"] == quote
    assert record["citation"].startswith(citation), record["citation"]
    assert (record["table_header"] or {}).get("text") == header
    text = office["index"].document_text(first.source)
    assert text[first.start : first.end] == first.text


def test_every_passage_of_every_format_is_its_text_slice(office):
    index = office["index"]
    assert office["report"].skipped == []
    assert len(index.manifest.files) == 8
    for passage in index.stored.passages:
        text = index.document_text(passage.source)
        assert text[passage.start : passage.end] == passage.text, passage.source


def test_a_pdf_table_keeps_the_headings_around_it_and_no_heading_is_a_row(office):
    index = office["index"]
    passages = [p for p in index.stored.passages if p.source == "prices.pdf"]
    rows = [p for p in passages if p.kind == "table-row"]
    assert [p.text for p in rows] == [
        "| Elstar | 42 | 1.10 EUR |", "| Jonagold | 35 | 0.95 EUR |",
        "| Boskoop | 10 | 0.80 EUR |", "| Conference | 12 | 1.30 EUR |",
        "| Clara Frijs | 8 | 1.15 EUR |", "| Williams | 5 | 1.40 EUR |",
    ]  # fmt: skip
    storage = next(p for p in passages if "Cold storage" in p.text)
    assert storage.heading == "Storage"  # not the table's last row
    assert {p.heading for p in rows} == {"Apple prices", "Pear prices"}


def test_a_pdf_table_row_is_boxed_on_its_page(office):
    index = office["index"]
    quote = index.answer("What does Elstar sell for per kg?").quotes[0]
    entry = index.manifest.files["prices.pdf"]
    text = index.document_text("prices.pdf")
    data = (office["docs"] / "prices.pdf").read_bytes()
    start = entry.page_starts[0]
    view = page_view(
        data, 0, quote.start - start, quote.end - start, text[start : entry.page_starts[1] - 2]
    )
    assert view is not None and len(view.boxes) == 1
    left, top, width, height = view.boxes[0]
    # The row stands under the heading and the sentence: in the upper part, as wide as its cells.
    assert 0.05 < top < 0.3 and 0.2 < width < 0.8 and height < 0.05
    # Every letter of the row is a pdfium character on the page: boxes come from its offsets.
    document = open_pdf(data)
    page_letters = document[0].get_textpage().get_text_range()
    document.close()
    for word in re.findall(r"[^|\s]+", quote.text):
        assert word in page_letters


def test_the_viewer_names_sheets_and_numbers_their_rows(office):
    index = office["index"]
    entry = index.manifest.files["budget.xlsx"]
    parts = Parts.from_record(entry.parts)
    text = index.document_text("budget.xlsx")
    span = (text.index("| Electricity"), text.index("2310.5 |") + len("2310.5 |"))
    view = document_html("budget.xlsx", text, span, entry.page_starts, "", parts)
    assert 'sheet "2024"' in unescape(view) and 'sheet "Staff"' in unescape(view)
    cited = re.search(r'<div class="row cited" id="L\d+"><span class="ln">(\d+)</span>', view)
    assert cited.group(1) == "5"  # the spreadsheet's own row number
    slides = index.manifest.files["deck.pptx"]
    deck = document_html("deck.pptx", index.document_text("deck.pptx"), None, slides.page_starts,
                         "", Parts.from_record(slides.parts))  # fmt: skip
    assert "slide 1" in deck and "slide 3" in deck


def test_bad_files_are_skipped_with_a_reason_and_the_rest_indexed(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.csv").write_text("City,Founded\nBergen,1070\nTrondheim,997\n")
    (docs / "truncated.xlsx").write_bytes(workbook()[:3000])
    (docs / "truncated.pptx").write_bytes(slide_deck()[:5000])
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    (docs / "locked.xlsx").write_bytes(ole + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512)
    for kind in ("xlsx", "pptx", "epub"):
        (docs / f"bomb.{kind}").write_bytes(zip_bomb(kind))
    (docs / "broken.epub").write_bytes(epub()[:200])
    (docs / "not-mail.eml").write_text("just a line of text\n")
    (docs / "empty.xlsx").write_bytes(_empty_workbook())
    report = build_index(docs, tmp_path / "index", Settings(), FakeEmbedder())
    reasons = {s.path: s.reason for s in report.skipped}
    assert report.changes.added == ["good.csv"]
    assert "zip" in reasons["truncated.xlsx"] or "damaged" in reasons["truncated.xlsx"]
    assert "damaged" in reasons["truncated.pptx"] or "zip" in reasons["truncated.pptx"]
    assert "encrypted" in reasons["locked.xlsx"]
    for kind in ("xlsx", "pptx", "epub"):
        assert "zip bomb" in reasons[f"bomb.{kind}"] and "not opened" in reasons[f"bomb.{kind}"]
    assert "zip" in reasons["broken.epub"] or "damaged" in reasons["broken.epub"]
    assert "not an e-mail" in reasons["not-mail.eml"]
    assert "no cells" in reasons["empty.xlsx"]
    assert all("\n" not in reason and "Traceback" not in reason for reason in reasons.values())


def _empty_workbook() -> bytes:
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("Empty")
    book.close()
    return buffer.getvalue()


def test_a_million_row_sheet_stops_at_the_character_limit(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    lines = "".join(f"{n},sensor-{n % 97},{n * 0.25:.2f}\n" for n in range(1_000_000))
    (docs / "readings.csv").write_text("Reading,Sensor,Value\n" + lines)
    (docs / "small.csv").write_text("Reading,Sensor,Value\n1,sensor-1,0.25\n")
    report = build_index(docs, tmp_path / "index", Settings(), FakeEmbedder())
    reasons = {s.path: s.reason for s in report.skipped}
    assert "10,000,000-character limit" in reasons["readings.csv"]
    assert report.changes.added == ["small.csv"]
    # Within a higher limit it is indexed, every row a quotable row.
    settings = Settings(max_file_chars=40_000_000)
    from indexer.read.documents import read_document

    document = read_document(docs, docs / "readings.csv", 10**9, settings.max_file_chars)
    assert document.text.count("\n| ") == 1_000_000
    assert document.parts.row_of(1, 1_000_002) == 1_000_001  # the last row, after the header
