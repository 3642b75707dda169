"""Spreadsheets as text: each sheet a section, each row a table row quoted under its header row.

A sheet reads as `# <sheet name>`, then its first non-empty row as the header, a separator,
and every other non-empty row, one per line (`| a | b | c |`), as Markdown tables are indexed
already. Each sheet is a part of the file (no passage spans two), and each row line remembers
the spreadsheet's own row number, so a quote is cited as `budget.xlsx, sheet "2024", row 17`.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time

from .paged import PAGE_BREAK, Extracted, ExtractionError, Parts, too_long


class SheetsText:
    """The text of a workbook being written sheet by sheet, its length counted as it grows."""

    def __init__(self, max_chars: int):
        self.max_chars = max_chars
        self.pages: list[str] = []
        self.labels: list[str] = []
        self.rows: list[list[list[int]]] = []  # per sheet: runs [line in sheet, row, count]
        self.length = 0

    def add_sheet(self, name: str, rows) -> None:
        """Add a sheet from (row number, cells) pairs; empty rows and columns are left out."""
        kept = []
        for number, cells in rows:  # counted as read: a million-row sheet stops at the limit
            shown = [_cell(c) for c in cells]
            if any(shown):
                self._count(sum(map(len, shown)) + 3 * len(shown))
                kept.append((number, shown))
        if not kept:
            return
        used = [i for i in range(max(len(c) for _, c in kept)) if any(_at(c, i) for _, c in kept)]
        lines = [f"# {name}"] if name else []
        runs: list[list[int]] = []
        for index, (number, cells) in enumerate(kept):
            lines.append("| " + " | ".join(_at(cells, i) for i in used) + " |")
            _extend(runs, len(lines), number)
            if index == 0:
                lines.append("|" + "---|" * len(used))
        self.pages.append("\n".join(lines))
        self.labels.append(name)
        self.rows.append(runs)

    def _count(self, characters: int) -> None:
        self.length += characters
        if self.length > self.max_chars:
            raise too_long(self.length, self.max_chars)

    def extracted(self, format: str) -> Extracted:
        """Return the sheets joined as a paged text."""
        if not self.pages:
            raise ExtractionError("a spreadsheet with no cells filled")
        starts, offset = [], 0
        for page in self.pages:
            starts.append(offset)
            offset += len(page) + len(PAGE_BREAK)
        parts = Parts("sheet", tuple(self.labels), tuple(tuple(map(tuple, r)) for r in self.rows))
        return Extracted(PAGE_BREAK.join(self.pages), format, tuple(starts), parts=parts)


def _extend(runs: list[list[int]], line: int, row: int) -> None:
    """Record that a line of the sheet holds a row, extending the last run when they follow on."""
    if runs and runs[-1][0] + runs[-1][2] == line and runs[-1][1] + runs[-1][2] == row:
        runs[-1][2] += 1
    else:
        runs.append([line, row, 1])


def _at(cells: list[str], i: int) -> str:
    return cells[i] if i < len(cells) else ""


def _cell(value) -> str:
    """Return a cell's value as shown: whole numbers without '.0', dates as ISO, one line."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds").removesuffix(" 00:00:00")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return " ".join(str(value).split()) if value is not None else ""


def extract_workbook(data: bytes, max_chars: int, format: str) -> Extracted:
    """Read every sheet of an .xlsx, .xlsm, .xls or .ods file (formulas as their cached values)."""
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        text = SheetsText(max_chars)
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            # Rows come from the sheet's first row on, empty ones too: row numbers as shown.
            text.add_sheet(name, enumerate(sheet.iter_rows(), 1))
    except ExtractionError:
        raise
    except PasswordError:
        raise ExtractionError("encrypted spreadsheet: it needs a password to open") from None
    except Exception as error:  # calamine raises several kinds on damaged files
        raise ExtractionError(f"damaged spreadsheet: {type(error).__name__}: {error}") from None
    return text.extracted(format)


def extract_delimited(text: str, max_chars: int, delimiter: str) -> Extracted:
    """Read a .csv or .tsv file as one sheet; its row numbers are its records' numbers."""
    sheet = SheetsText(max_chars)
    try:
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        sheet.add_sheet("", ((number, cells) for number, cells in enumerate(rows, 1)))
    except csv.Error as error:
        raise ExtractionError(
            f"damaged {'tsv' if delimiter == chr(9) else 'csv'}: {error}"
        ) from None
    return sheet.extracted("csv")
