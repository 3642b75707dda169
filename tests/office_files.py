"""Office files made for the tests: a workbook with formulas, slides, an EPUB, an ODT, e-mail."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage


def workbook(tag: str = "") -> bytes:
    """Two sheets: '2024' (a table from row 3, a blank row inside, a formula) and 'Staff'.

    tag is added to a cell (the benchmarks make many distinct copies).
    """
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("2024")
    sheet.write_row(2, 1, ["Item", "Supplier", "Cost (EUR)"])
    sheet.write_row(3, 1, ["Office rent", "Halvorsen Estates", 14400])
    sheet.write_row(4, 1, ["Electricity", "Nordvolt", 2310.5])
    sheet.write_row(6, 1, ["Coffee beans", "Kaffebrenneriet", 845])
    sheet.write(7, 1, "Total")
    sheet.write_formula(7, 3, "=SUM(D4:D7)", None, 17555.5)  # the cached value Excel keeps
    staff = book.add_worksheet("Staff")
    staff.write_row(0, 0, ["Name", "Role", "Started"])
    staff.write_row(1, 0, ["Ingrid Solberg", "Bookkeeper", "2019-04-01"])
    staff.write_row(2, 0, ["Tomas Berge", "Courier", "2021-09-15" + tag])
    book.close()
    return buffer.getvalue()


def slide_deck(tag: str = "") -> bytes:
    """Three slides: a title slide, one with a text box and a table, one with notes."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[0])
    first.shapes.title.text = "Harbour expansion plan"
    first.placeholders[1].text = "Prepared for the council, spring 2025"
    second = deck.slides.add_slide(deck.slide_layouts[5])
    second.shapes.title.text = "Berth capacity"
    box = second.shapes.add_textbox(Inches(0.5), Inches(1.5), Inches(9), Inches(1))
    box.text_frame.text = "Two new berths will take ships up to 180 metres long."
    table = second.shapes.add_table(3, 3, Inches(0.5), Inches(3), Inches(9), Inches(1.5)).table
    for r, row in enumerate([["Berth", "Length (m)", "Depth (m)"], ["North", "180", "11.5"],
                             ["South", "140", "9.0"]]):  # fmt: skip
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    third = deck.slides.add_slide(deck.slide_layouts[1])
    third.shapes.title.text = "Timeline"
    third.placeholders[1].text = "Dredging starts in the autumn."
    third.notes_slide.notes_text_frame.text = (
        "Mention that the dredger is hired from Rotterdam." + tag
    )
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def epub(tag: str = "") -> bytes:
    """A two-chapter EPUB (the spine lists chapter two first: reading order is the spine's)."""
    chapters = {
        "one.xhtml": "<h1>The Ferryman</h1><p>Old Anselm rowed the ferry across the Vey for "
        "forty years.</p>",
        "two.xhtml": f"<h1>Prologue</h1><p>The river was wide and slow that summer.{tag}</p>",
    }
    package = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
        "<manifest>"
        '<item id="c1" href="text/one.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="c2" href="text/two.xhtml" media-type="application/xhtml+xml"/>'
        '</manifest><spine><itemref idref="c2"/><itemref idref="c1"/></spine></package>'
    )
    container = (
        '<?xml version="1.0"?><container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"'
        ' version="1.0"><rootfiles><rootfile full-path="OEBPS/content.opf" '
        'media-type="application/oebps-package+xml"/></rootfiles></container>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", container)
        archive.writestr("OEBPS/content.opf", package)
        for name, body in chapters.items():
            page = f'<html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html>'
            archive.writestr(f"OEBPS/text/{name}", page)
    return buffer.getvalue()


def odt(tag: str = "") -> bytes:
    """An OpenDocument text: a heading, a paragraph, a list and a small table."""
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    content = (
        f'<?xml version="1.0"?><office:document-content xmlns:office="{office}" '
        f'xmlns:text="{text}" xmlns:table="{table}"><office:body><office:text>'
        '<text:h text:outline-level="1">Beekeeping log</text:h>'
        f"<text:p>The hives on the south slope gave 38 kilograms of heather honey.{tag}</text:p>"
        "<text:list><text:list-item><text:p>Check the queen cells weekly.</text:p>"
        "</text:list-item></text:list>"
        "<table:table><table:table-row><table:table-cell><text:p>Hive</text:p></table:table-cell>"
        "<table:table-cell><text:p>Frames</text:p></table:table-cell></table:table-row>"
        "<table:table-row><table:table-cell><text:p>Linden</text:p></table:table-cell>"
        "<table:table-cell><text:p>11</text:p></table:table-cell></table:table-row></table:table>"
        "</office:text></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def email_with_html_body(tag: str = "") -> bytes:
    """A message whose only body is HTML, with a PDF attached."""
    body = (
        "<html><body><h2>New codes</h2><p>The east gate code is now <b>4417</b>; the west gate "
        "stays as it was.</p><script>track()</script></body></html>"
    )
    return _message("Gate codes for the allotments" + tag, "Marit Lunde <marit@example.org>",
                    "allotments@example.org", "Tue, 04 Mar 2025 09:12:00 +0100", body, "html",
                    "map.pdf")  # fmt: skip


def plain_email(tag: str = "") -> bytes:
    """A plain-text message as people write one: a greeting, paragraphs, a signature, a PDF."""
    body = (
        "Hello all,\n\nThe door code for the east depot changes to 5521 on Friday. The west\n"
        "door keeps its code.\n\nPlease shred the old list.\n\nBest regards\nIngrid\n"
    )
    return _message("New door codes for the depot" + tag,
                    "Ingrid Solberg <ingrid@harbour.example>", "night-shift@harbour.example",
                    "Mon, 03 Jun 2024 08:15:00 +0100", body, "plain", "depot-map.pdf")  # fmt: skip


def _message(subject, sender, to, date, body, subtype, attached) -> bytes:
    message = EmailMessage()
    message["Subject"], message["From"], message["To"], message["Date"] = subject, sender, to, date
    message.set_content(body, subtype=subtype)
    message.add_attachment(b"%PDF-1.4 fake", maintype="application", subtype="pdf",
                           filename=attached)  # fmt: skip
    return bytes(message)


def zip_bomb(kind: str) -> bytes:
    """A small zip posing as kind (its marker member) that would expand to 1 GB."""
    markers = {
        "xlsx": ("xl/workbook.xml", None),
        "pptx": ("ppt/presentation.xml", None),
        "epub": ("mimetype", "application/epub+zip"),
    }
    member, mimetype = markers[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype:
            archive.writestr("mimetype", mimetype)
        else:
            archive.writestr(member, "<x/>")
        with archive.open("padding.xml", "w", force_zip64=True) as padding:
            chunk = b"\0" * (1 << 24)
            for _ in range(64):
                padding.write(chunk)
    return buffer.getvalue()
