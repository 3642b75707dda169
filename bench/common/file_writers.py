"""Documents of each real format written from given prose: bytes, and the pages each holds.

The test suite's own writers (tests/office_files.py, tests/test_core_office.py) set fixed
sentences; these take the text to set. Scans go the OCR tests' route (tests/scans.py).
"""

from __future__ import annotations

import csv
import html
import io
from email.message import EmailMessage
from email.utils import format_datetime

# Rough length of a printed page of text, to count pages of formats that have none.
CHARS_A_PAGE = 3_000


def text_pages(text: str) -> int:
    """Return the printed pages a text without pages would fill (at least one)."""
    return max(1, -(-len(text) // CHARS_A_PAGE))


def pdf(title: str, paragraphs: list[str], table: list[list[str]] | None = None) -> tuple:
    """A text-layer PDF (A4, Helvetica, pages as they fill); a ruled table after the first
    paragraph when given. Text must be Latin-1 (the core fonts' set)."""
    from fpdf import FPDF

    document = FPDF(format="A4")
    document.set_auto_page_break(True, margin=20)
    document.add_page()
    document.set_font("Helvetica", "B", 15)
    document.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    document.ln(3)
    for number, paragraph in enumerate(paragraphs):
        document.set_font("Helvetica", size=11)
        document.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        document.ln(4)
        if table and number == 0:
            document.set_font("Helvetica", size=9)
            with document.table(col_widths=(40, 90, 50)) as drawn:
                for row in table:
                    drawn.row(row)
            document.ln(4)
    return bytes(document.output()), document.page_no()


def docx(title: str, paragraphs: list[str], headings: list[str]) -> tuple:
    """A Word document: the title, then each paragraph under its heading."""
    import docx as word

    document = word.Document()
    document.add_heading(title, level=1)
    for heading, paragraph in zip(headings, paragraphs, strict=True):
        document.add_heading(heading, level=2)
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), text_pages(" ".join(paragraphs))


def pptx(title: str, slides: list[tuple[str, list[str]]]) -> tuple:
    """Slides: a title slide, then one per (heading, bullet lines)."""
    from pptx import Presentation

    deck = Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[0])
    first.shapes.title.text = title
    for heading, lines in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = heading
        slide.placeholders[1].text = "\n".join(lines)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue(), len(slides) + 1


def xlsx(sheets: dict[str, list[list]]) -> tuple:
    """A workbook of sheets (name -> rows, the first row the header)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for number, row in enumerate(rows):
            sheet.write_row(number, 0, row)
    book.close()
    return buffer.getvalue(), len(sheets)


def csv_file(rows: list[list]) -> tuple:
    """A comma-separated table."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    text = buffer.getvalue()
    return text.encode("utf-8"), text_pages(text)


def html_page(title: str, paragraphs: list[str], headings: list[str]) -> tuple:
    """A web page as saved from a browser: navigation, the article, a footer."""
    body = "".join(
        f"<h2>{html.escape(h)}</h2>\n<p>{html.escape(p)}</p>\n"
        for h, p in zip(headings, paragraphs, strict=True)
    )
    page = (
        f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        "</head><body>\n<nav><a href='/'>Home</a> | <a href='/archive'>Archive</a></nav>\n"
        f"<article><h1>{html.escape(title)}</h1>\n{body}</article>\n"
        "<footer>Saved from the web archive.</footer></body></html>\n"
    )
    return page.encode("utf-8"), text_pages(" ".join(paragraphs))


def markdown(title: str, paragraphs: list[str], headings: list[str]) -> tuple:
    """A Markdown note: a title, a section per paragraph."""
    text = f"# {title}\n\n" + "".join(
        f"## {h}\n\n{p}\n\n" for h, p in zip(headings, paragraphs, strict=True)
    )
    return text.encode("utf-8"), text_pages(text)


def plain_text(title: str, paragraphs: list[str]) -> tuple:
    """A text file: a title line, paragraphs between blank lines."""
    text = title + "\n\n" + "\n\n".join(paragraphs) + "\n"
    return text.encode("utf-8"), text_pages(text)


def email(subject: str, paragraphs: list[str], number: int) -> tuple:
    """A plain-text message as people write one: a greeting, paragraphs, a signature."""
    from datetime import datetime, timedelta, timezone

    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = f"Archive desk <desk{number % 17}@example.org>"
    message["To"] = "reading-group@example.org"
    sent = datetime(2024, 1, 1, 9, tzinfo=timezone.utc) + timedelta(hours=7 * number)
    message["Date"] = format_datetime(sent)
    body = "Hello all,\n\n" + "\n\n".join(paragraphs) + "\n\nBest regards\nThe archive desk\n"
    message.set_content(body)
    return bytes(message), text_pages(body)


def scan(paragraphs: list[str], number: int) -> tuple:
    """A scanned page of the paragraphs (ASCII): a PNG, or every other one an image-only PDF."""
    from tests.scans import degraded, image_bytes, image_pdf, page_scan

    page = degraded(page_scan(paragraphs), noise=0.03, seed=number).image
    if number % 2:
        return image_pdf([page]), 1
    return image_bytes([page], "PNG"), 1
