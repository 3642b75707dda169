"""Extract the text of PDF, Word and HTML files; the extracted text is what passages quote."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from ..errors import counted

PDF_PAGE_BREAK = "\n\n"  # between the pages of a PDF's extracted text
_HTML_DROPPED = (
    "script", "style", "noscript", "template", "head", "nav", "header", "footer", "aside",
    "form", "iframe", "svg", "canvas", "button", "select", "menu",
)  # fmt: skip
_HTML_BLOCKS = {
    "p", "div", "section", "article", "main", "blockquote", "pre", "dd", "dt", "dl",
    "figure", "figcaption", "address", "ul", "ol", "hr", "body", "html", "details", "summary",
}  # fmt: skip
_HEADING_TAG = re.compile(r"h([1-6])")


class ExtractionError(Exception):
    """A file of a known format whose text cannot be extracted; the message says why."""


@dataclass(frozen=True)
class Extracted:
    """A file's extracted text; `pages` holds the start offset of each PDF page."""

    text: str
    format: str  # "pdf", "docx" or "html"
    pages: tuple[int, ...] = ()


def sniff(data: bytes) -> str | None:
    """Name the binary format the bytes hold ("pdf", "docx", "zip"), or None for other content."""
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "docx" if "word/document.xml" in archive.namelist() else "zip"
        except zipfile.BadZipFile:
            return "zip"
    return None


def looks_like_html(text: str) -> bool:
    """Whether decoded text is an HTML page rather than prose that mentions tags."""
    head = text[:1024].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or (
        head.startswith("<") and "<body" in text[:65536].lower()
    )


def too_long(length: int, max_chars: int) -> ExtractionError:
    """Return the error that skips a file whose text is longer than allowed."""
    return ExtractionError(
        f"its text is longer than the {max_chars:,}-character limit ({length:,}+ characters)"
    )


def extract_pdf(data: bytes, max_chars: int) -> Extracted:
    """Return the text of each page (as pdfium reads it), pages joined by a blank line."""
    from .pdf import PdfError, open_pdf, page_texts

    page_texts_read, length = [], 0
    try:
        document = open_pdf(data)
        try:
            for page in page_texts(document):  # counted page by page: a huge file stops early
                page_texts_read.append(page.text)
                length += len(page.text)
                if length > max_chars:
                    raise too_long(length, max_chars)
        finally:
            document.close()
    except PdfError as error:
        raise ExtractionError(str(error)) from None
    except ExtractionError:
        raise
    except Exception as error:  # pdfium raises on damaged pages; none may stop a build
        raise ExtractionError(f"corrupt PDF: {type(error).__name__}: {error}") from None
    if not page_texts_read:
        raise ExtractionError("PDF with no pages")
    if not any(text.strip() for text in page_texts_read):
        raise ExtractionError(
            f"PDF with no text layer ({counted(len(page_texts_read), 'page')} of images?): "
            "it needs OCR first"
        )
    starts, offset = [], 0
    for text in page_texts_read:
        starts.append(offset)
        offset += len(text) + len(PDF_PAGE_BREAK)
    return Extracted(PDF_PAGE_BREAK.join(page_texts_read), "pdf", tuple(starts))


def extract_docx(data: bytes, max_chars: int) -> Extracted:
    """Return paragraphs separated by blank lines: headings as '#' lines, tables as '|' rows."""
    from docx import Document as open_docx
    from docx.table import Table

    _check_docx_length(data, max_chars)
    try:
        document = open_docx(io.BytesIO(data))
        blocks = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                rows = [[cell.text for cell in row.cells] for row in item.rows]
                blocks.append("\n".join(_table_lines(rows)))
            else:
                blocks.append(_docx_paragraph(item))
    except Exception as error:  # python-docx raises many kinds on damaged files
        raise ExtractionError(f"corrupt Word document: {type(error).__name__}: {error}") from None
    return Extracted("\n\n".join(b for b in blocks if b.strip()), "docx")


def _check_docx_length(data: bytes, max_chars: int) -> None:
    """Count the document's characters while decompressing it; stop once it is too long.

    python-docx parses the whole document at once: a few hundred compressed kilobytes can
    hold a hundred million characters, so they are counted first, streaming (expat hands
    text over in pieces, so even one enormous run is never held whole).
    """
    import xml.sax

    class Counter(xml.sax.ContentHandler):
        length = 0

        def characters(self, content: str) -> None:
            self.length += len(content)
            if self.length > max_chars:
                raise too_long(self.length, max_chars)

    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    parser.setContentHandler(Counter())
    try:
        with (
            zipfile.ZipFile(io.BytesIO(data)) as archive,
            archive.open("word/document.xml") as xml_file,
        ):
            while chunk := xml_file.read(1 << 20):
                parser.feed(chunk)
            parser.close()
    except (zipfile.BadZipFile, KeyError, xml.sax.SAXException, OSError) as error:
        raise ExtractionError(f"corrupt Word document: {type(error).__name__}: {error}") from None


def _docx_paragraph(paragraph) -> str:
    text = " ".join(paragraph.text.split())
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if match := re.fullmatch(r"Heading ([1-6])", style):
        return f"{'#' * int(match.group(1))} {text}" if text else ""
    if style == "Title":
        return f"# {text}" if text else ""
    if style.startswith("List") and text:
        return f"- {text}"
    return text


def _table_lines(rows: list[list[str]]) -> list[str]:
    """Render table rows one per line, a separator under the first (the header)."""
    lines = []
    for number, cells in enumerate(rows):
        lines.append("| " + " | ".join(" ".join(c.split()) for c in cells) + " |")
        if number == 0:
            lines.append("|" + "---|" * len(cells))
    return lines


def extract_html(markup: str) -> Extracted:
    """Return the readable text: no scripts, styles or navigation; headings as '#' lines."""
    from bs4 import BeautifulSoup, NavigableString, Tag
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    not_text = (Comment, Declaration, Doctype, ProcessingInstruction)

    soup = BeautifulSoup(markup, "lxml")
    for tag in soup.find_all(_HTML_DROPPED):
        tag.decompose()
    for tag in soup.find_all(attrs={"role": ["navigation", "banner", "contentinfo"]}):
        tag.decompose()
    blocks: list[str] = []
    inline: list[str] = []

    def flush(marker: str = "") -> None:
        text = " ".join("".join(inline).split())
        if text:
            blocks.append(marker + text)
        inline.clear()

    def walk(node) -> None:
        for child in node.children:
            if isinstance(child, not_text):
                continue
            if isinstance(child, NavigableString):
                inline.append(str(child))
            elif not isinstance(child, Tag):
                continue
            elif match := _HEADING_TAG.fullmatch(child.name):
                flush()
                walk(child)
                flush("#" * int(match.group(1)) + " ")
            elif child.name == "table":
                flush()
                rows = [
                    [cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"])]
                    for row in child.find_all("tr")
                ]
                rows = [row for row in rows if any(row)]
                if rows:
                    blocks.append("\n".join(_table_lines(rows)))
            elif child.name == "li":
                flush()
                walk(child)
                flush("- ")
            elif child.name == "br":
                inline.append("\n")
            elif child.name in _HTML_BLOCKS:
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(soup)
    flush()
    return Extracted("\n\n".join(blocks), "html")
