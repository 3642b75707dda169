"""Tables on a PDF page as `| a | b | c |` rows, every letter still a pdfium character.

Ruled tables (cells drawn with lines) are found by pdfplumber's table finder, which reads the
page's drawn lines; their cells are filled with pdfium's characters by position. Unruled tables
(columns kept apart by white space) defeat its text strategy, which takes a page of prose for a
table (measured on the test PDFs), so they are found here: three or more lines in a row, each
split by wide gaps into the same number of cells, the cells of each column overlapping. A line
of one cell (a heading, a caption) is never a table row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SEPARATOR = -1  # an added character (" | ", a space between a cell's lines): no pdfium letter
MIN_ROWS = 3  # an unruled table has at least this many aligned lines, its header included
GAP_HEIGHTS = 1.2  # a gap wider than this many letter heights parts two cells
TWO_COLUMN_CELL = 40  # a two-column unruled table's cells are short (else it is page layout)


@dataclass
class Line:
    """One line of a page: its letters with their pdfium indices and boxes (PDF points)."""

    letters: list[tuple[str, int]]
    boxes: list[tuple[float, float, float, float] | None]  # (left, bottom, right, top)


def tables_as_rows(
    lines: list[Line], ruled: list[list[list[tuple]]]
) -> list[list[tuple[str, int]]]:
    """Return the page's lines with each table replaced by its rows, a separator after the first.

    ruled holds pdfplumber's tables: rows of cell boxes (left, bottom, right, top, PDF points).
    """
    claimed: dict[int, int] = {}  # line number -> the table that takes it
    tables: list[list[list[list[tuple[str, int]]]]] = []  # table -> row -> cell -> letters
    for cells_by_row in ruled:
        rows = _fill_cells(lines, cells_by_row, claimed, len(tables))
        if rows:
            tables.append(rows)
    for first, last in _aligned_runs(lines, claimed):
        for number in range(first, last + 1):
            claimed[number] = len(tables)
        tables.append([_segments(lines[n]) for n in range(first, last + 1)])
    result: list[list[tuple[str, int]]] = []
    placed: set[int] = set()
    for number, line in enumerate(lines):
        table = claimed.get(number)
        if table is None:
            result.append(line.letters)
        elif table not in placed:
            placed.add(table)
            result.extend(_row_lines(tables[table]))
    return result


def _row_lines(rows: list[list[list[tuple[str, int]]]]) -> list[list[tuple[str, int]]]:
    """Write each row as '| a | b |' (added characters marked), a separator under the first."""
    width = max(len(row) for row in rows)
    out = []
    for number, cells in enumerate(rows):
        line = _added("| ")
        for index in range(width):
            line += cells[index] if index < len(cells) else []
            line += _added(" |" if index == width - 1 else " | ")
        out.append(line)
        if number == 0:
            out.append(_added("|" + "---|" * width))
    return out


def _added(text: str) -> list[tuple[str, int]]:
    return [(char, SEPARATOR) for char in text]


def _fill_cells(lines, cells_by_row, claimed, table: int):
    """Put each letter inside a ruled table's cell into it, in reading order; claim its lines."""
    rows = []
    for cells in cells_by_row:
        row = []
        for box in cells:
            letters, previous_line = [], None
            for number, line in enumerate(lines):
                for (char, index), char_box in zip(line.letters, line.boxes, strict=True):
                    if char_box is None or not _inside(char_box, box):
                        continue
                    if previous_line is not None and number != previous_line:
                        letters.append((" ", SEPARATOR))  # a cell's lines, read as one
                    letters.append((char, index))
                    previous_line = number
                    claimed.setdefault(number, table)
            row.append(_trimmed(letters))
        if any(row):
            rows.append(row)
    return rows


def _inside(char_box, cell) -> bool:
    x = (char_box[0] + char_box[2]) / 2
    y = (char_box[1] + char_box[3]) / 2
    return cell[0] <= x <= cell[2] and cell[1] <= y <= cell[3]


def _trimmed(letters: list[tuple[str, int]]) -> list[tuple[str, int]]:
    while letters and letters[0][0].isspace():
        letters = letters[1:]
    while letters and letters[-1][0].isspace():
        letters = letters[:-1]
    return letters


def _segments(line: Line) -> list[list[tuple[str, int]]]:
    """Split a line's letters into cells at gaps wider than GAP_HEIGHTS letter heights."""
    heights = [b[3] - b[1] for b in line.boxes if b is not None and b[3] > b[1]]
    if not heights:
        return [_trimmed(line.letters)]
    gap = GAP_HEIGHTS * float(np.median(heights))
    cells: list[list[tuple[str, int]]] = [[]]
    right = None
    for letter, box in zip(line.letters, line.boxes, strict=True):
        if box is not None and box[2] > box[0] and not letter[0].isspace():
            if right is not None and box[0] - right > gap and cells[-1]:
                cells.append([])
            right = box[2]
        cells[-1].append(letter)
    return [cell for cell in map(_trimmed, cells) if cell]


def _extent(line: Line, cells) -> list[tuple[float, float]]:
    """Return each cell's horizontal extent on the page."""
    where = {index: box for (_, index), box in zip(line.letters, line.boxes, strict=True) if box}
    spans = []
    for cell in cells:
        boxes = [where[index] for _, index in cell if index in where]
        spans.append((min(b[0] for b in boxes), max(b[2] for b in boxes)) if boxes else (0, 0))
    return spans


def _aligned_runs(lines: list[Line], claimed: dict[int, int]):
    """Yield (first, last) line numbers of runs of aligned multi-cell lines: unruled tables."""
    shapes = []
    for number, line in enumerate(lines):
        cells = _segments(line) if number not in claimed else []
        shapes.append((cells, _extent(line, cells) if len(cells) >= 2 else None))
    number = 0
    while number < len(lines):
        cells, extent = shapes[number]
        end = number
        if extent is not None:
            while end + 1 < len(lines) and _aligned(shapes[number : end + 2]):
                end += 1
        if end - number + 1 >= MIN_ROWS and _table_like(shapes[number : end + 1]):
            yield number, end
            number = end + 1
        else:
            number += 1


def _aligned(shapes) -> bool:
    """Whether lines have the same number of cells and each column's cells overlap."""
    extents = [extent for _, extent in shapes]
    if any(extent is None or len(extent) != len(extents[0]) for extent in extents):
        return False
    for column in range(len(extents[0])):
        if max(e[column][0] for e in extents) >= min(e[column][1] for e in extents):
            return False
    return True


def _table_like(shapes) -> bool:
    """Two columns of long text are a page's layout, not a table."""
    columns = len(shapes[0][0])
    return columns >= 3 or all(
        len(cell) <= TWO_COLUMN_CELL for cells, _ in shapes for cell in cells
    )
