"""Zip-based documents: which kind a zip holds, and a check that it cannot expand without bound.

Word, Excel, PowerPoint, OpenDocument and EPUB files are zip archives. A zip bomb posing as one
would expand to gigabytes inside a library; its declared sizes are summed before any library
opens it (the zip reader stops at a member's declared size, so they cannot lie past it).
"""

from __future__ import annotations

import io
import zipfile

from .paged import ExtractionError

BYTES_PER_CHARACTER = 40  # markup around each character of text, generously (xlsx cells)
MIN_EXPANSION = 200_000_000  # bytes any document may expand to, whatever its text limit
_MIMETYPES = {
    b"application/epub+zip": "epub",
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_MEMBERS = (
    ("word/document.xml", "docx"),
    ("xl/workbook.xml", "xlsx"),
    ("xl/workbook.bin", "xlsb"),
    ("ppt/presentation.xml", "pptx"),
)


def zip_kind(data: bytes) -> str:
    """Name the document a zip holds ("docx", "xlsx", "pptx", "epub", "odt", "ods"), or "zip"."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                kind = _MIMETYPES.get(archive.read("mimetype")[:100].strip())
                if kind:
                    return kind
            return next((kind for member, kind in _MEMBERS if member in names), "zip")
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return "zip"


def check_expansion(data: bytes, max_chars: int, what: str) -> None:
    """Refuse, before reading, an archive whose members would expand past what the limit allows."""
    limit = max(max_chars * BYTES_PER_CHARACTER, MIN_EXPANSION)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ExtractionError(f"damaged {what} (a broken zip archive: {error})") from None
    if size > limit:
        raise ExtractionError(
            f"its parts would expand to {size / 1e6:,.0f} MB, past the {limit / 1e6:,.0f} MB "
            f"its text limit allows (a zip bomb?): not opened"
        )
