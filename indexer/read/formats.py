"""Extract the text of PDF, Word and HTML files; the extracted text is what passages quote."""

from __future__ import annotations

import html
import io
import re
import zipfile

from .paged import PAGE_BREAK as PDF_PAGE_BREAK
from .paged import Extracted, ExtractionError, Paged, too_long

__all__ = ["PDF_PAGE_BREAK", "Extracted", "ExtractionError", "too_long"]
_HTML_DROPPED = (
    "script", "style", "noscript", "template", "head", "nav", "header", "footer", "aside",
    "form", "iframe", "svg", "canvas", "button", "select", "menu",
)  # fmt: skip
_HTML_BLOCKS = {
    "p", "div", "section", "article", "main", "blockquote", "pre", "dd", "dt", "dl",
    "figure", "figcaption", "address", "ul", "ol", "hr", "body", "html", "details", "summary",
}  # fmt: skip
_HEADING_TAG = re.compile(r"h([1-6])")
_XML_ROOT = re.compile(r"<([\w.-]+:)?([A-Za-z_][\w.-]*)")  # the first element's (local) name


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office files, encrypted new ones


def sniff(data: bytes) -> str | None:
    """Name the binary format the bytes hold ("pdf", "docx", "xlsx", "pptx", "epub", "odt",
    "ods", "ole", "zip"), or None for other content."""
    from .archives import zip_kind

    if data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return zip_kind(data)
    if data.startswith(OLE_MAGIC):
        return "ole"
    return None


def looks_like_html(text: str) -> bool:
    """Whether decoded text is an HTML page rather than prose that mentions tags."""
    head = text[:1024].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or (
        head.startswith("<") and "<body" in text[:65536].lower()
    )


def extract_pdf(data: bytes, max_chars: int, scans=None) -> Paged:
    """Start reading a PDF: each page's text layer as pdfium reads it, scanned pages by OCR."""
    from .pdf import PdfError, Ruling, draw_page, needs_ocr, open_pdf, page_size, page_texts

    parts, length = [], 0
    ruling = Ruling(data)
    try:
        document = open_pdf(data)
        try:
            for number, page in enumerate(page_texts(document, ruling)):  # huge: stops early
                if scans is not None and needs_ocr(document, number, page.text):
                    scans.check_size(page_size(document, number, scans.dpi))
                    parts.append(scans.submit(draw_page(document, number, scans.dpi)))
                    continue
                parts.append(page.text)
                length += len(page.text)
                if length > max_chars:
                    raise too_long(length, max_chars)
        finally:
            ruling.close()
            document.close()
    except PdfError as error:
        raise ExtractionError(str(error)) from None
    except ExtractionError:
        raise
    except Exception as error:  # pdfium raises on damaged pages; none may stop a build
        from .scans import ScanError

        if isinstance(error, ScanError):
            raise ExtractionError(f"page {len(parts) + 1}: {error}") from None
        raise ExtractionError(f"corrupt PDF: {type(error).__name__}: {error}") from None
    if not parts:
        raise ExtractionError("PDF with no pages")
    return Paged("pdf", parts)


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
                blocks.append("\n".join(table_lines(rows)))
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


def table_lines(rows: list[list[str]]) -> list[str]:
    """Render table rows one per line, a separator under the first (the header)."""
    lines = []
    for number, cells in enumerate(rows):
        lines.append("| " + " | ".join(" ".join(c.split()) for c in cells) + " |")
        if number == 0:
            lines.append("|" + "---|" * len(cells))
    return lines


def is_plain_xml(markup: str) -> bool:
    """Whether markup is XML whose root is not <html> (a feed, a TEI text): read by the XML
    parser, as bs4 advises; XHTML stays with the HTML parser, which knows its entities."""
    head = markup[:4096].lstrip("\ufeff \t\r\n")
    root = _XML_ROOT.search(head)
    return head.startswith("<?xml") and root is not None and root.group(2).lower() != "html"


def extract_html(markup: str) -> Extracted:
    """Return the readable text: no scripts, styles or navigation; headings as '#' lines."""
    from bs4 import BeautifulSoup, NavigableString, Tag
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    not_text = (Comment, Declaration, Doctype, ProcessingInstruction)

    if "<" not in markup:  # no tag: the text itself (bs4 would take a short one for a URL)
        return Extracted(" ".join(html.unescape(markup).split()), "html")
    soup = BeautifulSoup(markup, "xml" if is_plain_xml(markup) else "lxml")
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
                    blocks.append("\n".join(table_lines(rows)))
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
