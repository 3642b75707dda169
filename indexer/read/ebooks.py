"""E-books and OpenDocument text: EPUB chapters through the HTML reader, ODT from its XML.

An EPUB is a zip of XHTML chapters listed in reading order by its package file; each chapter is
read as the product reads HTML (headings as `#` lines), chapters joined by a blank line. An ODT
keeps its text in content.xml: headings by outline level, paragraphs, list items, table rows.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from .paged import Extracted, ExtractionError, too_long

_CONTAINER = "META-INF/container.xml"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def extract_epub(data: bytes, max_chars: int) -> Extracted:
    """Return the chapters of an EPUB in reading order, each through the HTML reader."""
    from lxml import etree

    from .encodings import decode_bytes
    from .formats import extract_html

    chapters, length = [], 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            container = etree.fromstring(archive.read(_CONTAINER))
            package_path = container.xpath("//*[local-name()='rootfile']/@full-path")[0]
            package = etree.fromstring(archive.read(package_path))
            items = {
                item.get("id"): item.get("href")
                for item in package.xpath("//*[local-name()='manifest']/*[local-name()='item']")
            }
            spine = package.xpath("//*[local-name()='spine']/*[local-name()='itemref']/@idref")
            folder = posixpath.dirname(package_path)
            for idref in spine:
                if idref not in items:
                    continue
                decoded = decode_bytes(archive.read(posixpath.join(folder, items[idref])))
                if isinstance(decoded, str):
                    continue
                text = extract_html(decoded[0]).text
                length += len(text) + 2
                if length > max_chars:
                    raise too_long(length, max_chars)
                if text.strip():
                    chapters.append(text)
    except ExtractionError:
        raise
    except (zipfile.BadZipFile, KeyError, IndexError, OSError, etree.XMLSyntaxError) as error:
        raise ExtractionError(f"damaged EPUB: {type(error).__name__}: {error}") from None
    return Extracted("\n\n".join(chapters), "epub")


def extract_odt(data: bytes, max_chars: int) -> Extracted:
    """Return an OpenDocument text's headings, paragraphs, list items and table rows."""
    from lxml import etree

    from .formats import table_lines

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            root = etree.fromstring(archive.read("content.xml"))
    except (zipfile.BadZipFile, KeyError, OSError, etree.XMLSyntaxError) as error:
        raise ExtractionError(
            f"damaged OpenDocument text: {type(error).__name__}: {error}"
        ) from None
    blocks: list[str] = []
    length = 0

    def add(block: str) -> None:
        nonlocal length
        if block.strip():
            length += len(block) + 2
            if length > max_chars:
                raise too_long(length, max_chars)
            blocks.append(block)

    def walk(node, in_list: bool = False) -> None:
        for child in node:
            tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
            namespace = etree.QName(child).namespace if tag else ""
            if namespace == _TEXT and tag == "h":
                level = int(child.get(f"{{{_TEXT}}}outline-level") or 1)
                add(f"{'#' * min(level, 6)} {_text(child)}")
            elif namespace == _TEXT and tag == "p":
                add(("- " if in_list else "") + _text(child))
            elif namespace == _TEXT and tag in ("list", "list-item"):
                walk(child, in_list=True)
            elif namespace == _TABLE and tag == "table":
                rows = [
                    [_text(cell) for cell in row.iter(f"{{{_TABLE}}}table-cell")]
                    for row in child.iter(f"{{{_TABLE}}}table-row")
                ]
                add("\n".join(table_lines([row for row in rows if any(row)])))
            else:
                walk(child, in_list)

    walk(root)
    return Extracted("\n\n".join(blocks), "odt")


def _text(node) -> str:
    return " ".join("".join(node.itertext()).split())
