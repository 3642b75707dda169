"""PowerPoint slides as text: each slide a part, its title a heading, then its text and notes.

Within a slide, text boxes and tables are read top to bottom, left to right (as a reader's eye
goes); a table is one `| a | b |` line per row under its header row; speaker notes follow under
a "Notes:" line. Lines count within the slide: `deck.pptx, slide 4, line 2`.
"""

from __future__ import annotations

import io

from .formats import table_lines
from .paged import PAGE_BREAK, Extracted, ExtractionError, Parts, too_long


def extract_slides(data: bytes, max_chars: int) -> Extracted:
    """Return the text of every slide of a .pptx file, slide by slide."""
    from pptx import Presentation

    try:
        presentation = Presentation(io.BytesIO(data))
        pages, length = [], 0
        for slide in presentation.slides:
            page = "\n".join(_slide_lines(slide))
            length += len(page) + len(PAGE_BREAK)
            if length > max_chars:
                raise too_long(length, max_chars)
            pages.append(page)
    except ExtractionError:
        raise
    except Exception as error:  # python-pptx raises many kinds on damaged files
        raise ExtractionError(f"damaged PowerPoint file: {type(error).__name__}: {error}") from None
    if not any(page.strip() for page in pages):
        raise ExtractionError("a slide deck with no text")
    starts, offset = [], 0
    for page in pages:
        starts.append(offset)
        offset += len(page) + len(PAGE_BREAK)
    return Extracted(PAGE_BREAK.join(pages), "pptx", tuple(starts), parts=Parts("slide"))


def _slide_lines(slide) -> list[str]:
    title = slide.shapes.title
    lines = []
    if title is not None and title.has_text_frame and title.text_frame.text.strip():
        lines.append("# " + " ".join(title.text_frame.text.split()))
    others = [
        shape
        for shape in _shapes(slide.shapes)
        if title is None or shape.shape_id != title.shape_id
    ]
    for shape in sorted(others, key=lambda s: (s.top or 0, s.left or 0)):
        if getattr(shape, "has_table", False) and shape.has_table:
            lines += table_lines([[cell.text for cell in row.cells] for row in shape.table.rows])
        elif shape.has_text_frame:
            lines += _paragraphs(shape.text_frame)
    if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
        notes = _paragraphs(slide.notes_slide.notes_text_frame)
        if notes:
            lines += ["", "Notes:", *notes]
    return lines


def _shapes(shapes):
    """Yield the shapes of a slide, those inside groups too."""
    for shape in shapes:
        if shape.shape_type == 6:  # MSO_SHAPE_TYPE.GROUP
            yield from _shapes(shape.shapes)
        else:
            yield shape


def _paragraphs(frame) -> list[str]:
    texts = [" ".join(paragraph.text.split()) for paragraph in frame.paragraphs]
    return [text for text in texts if text]
