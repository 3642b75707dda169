"""What an answer is made of: a hit holds its passage, a quote holds its hit and its span."""

from __future__ import annotations

from dataclasses import dataclass, field

from .read.ocr import OcrPage
from .read.paged import Parts
from .read.passages import LineIndex, Passage

MAX_QUOTE_CHARS = 400  # a quote longer than this is a passage, not an answer


def _through(holder: str, name: str) -> property:
    """Read attribute name of the record this one holds (a hit's passage, a quote's hit)."""
    return property(
        lambda self: getattr(getattr(self, holder), name), doc=f"The {holder}'s {name}."
    )


@dataclass(frozen=True)
class ScanMark:
    """A page OCR read, where it starts in its file's indexed text, and the page's confidence."""

    page_start: int
    confidence: float  # the page's mean word confidence, kept in the manifest
    reading: OcrPage | None  # its words and boxes (None: the reading is no longer kept)

    def span_confidence(self, start: int, end: int) -> float:
        """Return the mean confidence of the words a span of the file's text touches."""
        if self.reading is None:
            return self.confidence
        return self.reading.span_confidence(start - self.page_start, end - self.page_start)


@dataclass(frozen=True)
class Hit:
    """A passage found for a question: where it stands in the index and how it scored."""

    passage: Passage
    position: int  # the passage's row in the index
    score: float = 0.0  # fused rank score; 0 for a passage reached through its sentences
    dense_score: float = 0.0  # the better cosine of the passage and its best sentence
    keyword_score: float = 0.0
    copies: tuple[str, ...] = ()  # other files with identical content, cited alongside
    stale: bool = False  # the file changed or vanished since it was indexed
    scan: ScanMark | None = None  # set when the passage's page was read by OCR
    parts: Parts | None = None  # set when the file's pages are slides or sheets

    source = _through("passage", "source")
    start = _through("passage", "start")
    end = _through("passage", "end")
    line_start = _through("passage", "line_start")
    line_end = _through("passage", "line_end")
    text = _through("passage", "text")
    heading = _through("passage", "heading")
    page = _through("passage", "page")
    kind = _through("passage", "kind")

    @property
    def hit(self) -> Hit:
        """Return itself: a hit is where its own passage is cited from."""
        return self

    @property
    def ocr_confidence(self) -> float | None:
        """Return the mean OCR confidence of the passage's words; None for a text layer."""
        return self.scan.span_confidence(self.start, self.end) if self.scan else None

    @property
    def table_header(self) -> dict | None:
        """Return a table row's header row (text, start, end, line; row on a sheet), else None."""
        passage = self.passage
        if passage.header is None:
            return None
        start, end, line = passage.header
        shown = line - _lines_before_page(self)
        row = (_rows(self, shown, shown) or (None,))[0]
        return {"text": passage.header_text, "start": start, "end": end, "line": line, "row": row}

    def to_record(self) -> dict:
        """Return the JSON record of this hit, as the API, the CLI and the benchmarks give it."""
        return {
            **place_record(self),
            "score": round(float(self.score), 6),
            "dense_score": round(float(self.dense_score), 6),
            "keyword_score": round(float(self.keyword_score), 6),
            "position": self.position,
        }


@dataclass(frozen=True)
class Quote:
    """A verbatim sentence or table row of a hit: `text == source_text[start:end]`."""

    hit: Hit
    start: int
    end: int
    score: float  # the calibrated probability that this quote answers the question
    # The words inside the quote that fill what the question asks for (an amount, a date, a
    # name), as offsets into the source text like start and end; None when nothing is marked.
    answer: tuple[int, int] | None = None

    @property
    def answer_in_quote(self) -> tuple[int, int] | None:
        """Return the marked answer words as offsets within the quote's text, or None."""
        return (
            None
            if self.answer is None
            else (self.answer[0] - self.start, self.answer[1] - self.start)
        )

    @property
    def text(self) -> str:
        """Return the quoted characters, cut from the passage's own text."""
        return self.hit.text[self.start - self.hit.start : self.end - self.hit.start]

    @property
    def line_start(self) -> int:
        """Return the line of the quote's first character."""
        return self._line_of(self.start)

    @property
    def line_end(self) -> int:
        """Return the line of the quote's last character."""
        return self._line_of(self.end - 1)

    @property
    def ocr_confidence(self) -> float | None:
        """Return the mean OCR confidence of the quoted words; None for a text layer."""
        scan = self.hit.scan
        return scan.span_confidence(self.start, self.end) if scan else None

    def _line_of(self, offset: int) -> int:
        # Counted inside the passage, whose first line is known: no source file is reread.
        return self.hit.line_start + LineIndex(self.hit.text).line_of(offset - self.hit.start) - 1

    source = _through("hit", "source")
    heading = _through("hit", "heading")
    page = _through("hit", "page")
    copies = _through("hit", "copies")
    stale = _through("hit", "stale")
    table_header = _through("hit", "table_header")

    def to_record(self) -> dict:
        """Return the JSON record of this quote (answer_start/answer_end: within its text)."""
        marked = self.answer_in_quote
        return {
            **place_record(self),
            "score": round(float(self.score), 6),
            "answer_start": marked and marked[0],
            "answer_end": marked and marked[1],
        }


@dataclass(frozen=True)
class Answer:
    """Quotes that answer a question, or a refusal with the closest passages."""

    question: str
    refused: bool
    quotes: list[Quote] = field(default_factory=list)
    related: list[Hit] = field(default_factory=list)
    # The calibrated probability that the documents answer the question, refused or not.
    score: float = 0.0
    # Why the question was refused, in one sentence; answered: how, when not as usual (the
    # multilingual companion found it, see answer.companion), else "".
    reason: str = ""
    spelling: tuple[tuple[str, str], ...] = ()  # (as typed, as read) for each misspelt word

    def citation(self, quote: Quote) -> str:
        """Return 'file, lines a-b — "heading"' for a quote."""
        return format_citation(quote)

    def to_record(self) -> dict:
        """Return the JSON record of the whole answer."""
        return {
            "question": self.question,
            "refused": self.refused,
            "score": round(float(self.score), 6),
            "reason": self.reason,
            "spelling": [{"typed": typed, "read": read} for typed, read in self.spelling],
            "quotes": [quote.to_record() for quote in self.quotes],
            "related": [hit.to_record() for hit in self.related],
        }


def cited_lines(place: Hit | Quote) -> tuple[int, int]:
    """Return the lines a citation gives: counted within the page for a PDF, else the file."""
    shift = _lines_before_page(place)
    return place.line_start - shift, place.line_end - shift


def _lines_before_page(place: Hit | Quote) -> int:
    passage = place.hit.passage
    return passage.page_line - 1 if place.page and passage.page_line else 0


def cited_rows(place: Hit | Quote) -> tuple[int, int] | None:
    """Return the spreadsheet rows a citation of a sheet gives, or None."""
    return _rows(place, *cited_lines(place))


def _rows(place: Hit | Quote, first: int, last: int) -> tuple[int, int] | None:
    """Return the sheet rows of lines first..last of a place's sheet, or None."""
    parts = place.hit.parts
    if not (parts and parts.kind == "sheet" and place.page):
        return None
    rows = [parts.row_of(place.page, line) for line in (first, last)]
    return (rows[0], rows[1]) if None not in rows else None


def lines_said(place: Hit | Quote, first: int, last: int, dash: str = "-") -> str:
    """Say lines first..last (of the place's page) as citations do: 'row 17', 'lines 4-6'.

    A sheet speaks in its own row numbers only: a line of it that is no row (its name) is
    named by its sheet alone, so this says nothing ('').
    """
    rows = _rows(place, first, last)
    if rows:
        return f"row {rows[0]}" if rows[0] == rows[1] else f"rows {rows[0]}{dash}{rows[1]}"
    if place.hit.parts and place.hit.parts.kind == "sheet":
        return ""
    return f"line {first}" if first == last else f"lines {first}{dash}{last}"


def header_place(place: Hit | Quote) -> str:
    """Say where a table row's header row stands, as its citation counts: 'row 1', 'line 3'."""
    header = place.table_header
    if header is None:
        return ""
    line = header["line"] - _lines_before_page(place)
    return lines_said(place, line, line)


def part_label(place: Hit | Quote) -> str:
    """Return the part of the file a place stands on: 'p. 3', 'slide 4', 'sheet "2024"', or ''."""
    parts = place.hit.parts
    if not place.page:
        return ""
    if parts is None or parts.kind == "page":
        return f"p. {place.page}"
    if parts.kind == "slide":
        return f"slide {place.page}"
    label = parts.labels[place.page - 1] if place.page <= len(parts.labels) else ""
    return f'sheet "{label}"' if label else ""


def where_in_file(place: Hit | Quote, separator: str = ", ", dash: str = "-") -> str:
    """Return 'p. 3, lines 4-6', 'slide 4, line 2', 'sheet "2024", row 17' or 'lines 4-6'."""
    lines = lines_said(place, *cited_lines(place), dash)
    return separator.join(part for part in (part_label(place), lines) if part)


def format_citation(place: Hit | Quote) -> str:
    """Return a citation a reader can follow: file, page, lines (within the page), heading."""
    parts = place.hit.parts
    sheet = parts is not None and parts.kind == "sheet"
    under = f' — "{place.heading}"' if place.heading and not sheet else ""
    copies = f" (also {', '.join(place.copies)})" if place.copies else ""
    stale = " [the file changed since it was indexed]" if place.stale else ""
    confidence = place.ocr_confidence
    ocr = f" (read by OCR, {confidence:.0%} confidence)" if confidence is not None else ""
    where = where_in_file(place)
    return f"{place.source}{copies}{', ' if where else ''}{where}{under}{ocr}{stale}"


def place_record(place: Hit | Quote) -> dict:
    """Return where a hit or quote stands: the fields every JSON record shares."""
    return {
        "text": place.text,
        "source": place.source,
        "start": place.start,
        "end": place.end,
        "line_start": place.line_start,
        "line_end": place.line_end,
        "heading": place.heading,
        "page": place.page,
        "copies": list(place.copies),
        "page_lines": list(cited_lines(place)) if place.page else None,
        "stale": place.stale,
        "citation": format_citation(place),
        "table_header": place.table_header,
        "part": place.hit.parts.kind if place.hit.parts and place.page else None,
        "rows": list(cited_rows(place) or ()) or None,
        "ocr": place.hit.scan is not None,
        "ocr_confidence": None if place.ocr_confidence is None else round(place.ocr_confidence, 4),
    }
