"""A scanned page's text is laid out as the page shows it: a wrapped line is no paragraph break.

Tesseract takes the short last line of a paragraph on a widely spaced page for a paragraph of
its own; read as such, "…from the control", a blank line, "room." cut the sentence in two.
The page here is drawn with double line spacing and a third of a line between paragraphs.
"""

from __future__ import annotations

from itertools import pairwise

import pytest

from indexer import Settings, build_index, load_index

from .conftest import line_number
from .fakes import FakeEmbedder
from .scans import degraded, image_bytes, rasterise, text_pdf

LOG = [
    "Pump station log",
    "The harbour master ordered the pumps at the north quay to be switched on automatically "
    "from the control room.",
    "After the second failure of the tide gauge, the night crew reset the alarms and logged "
    "the water level by hand from the control room.",
    "Cranes on the container terminal stop when the wind passes twenty metres per second, as "
    "measured at the mast.",
]


@pytest.fixture(scope="module")
def spaced_scan(tmp_path_factory):
    base = tmp_path_factory.mktemp("spaced")
    docs = base / "docs"
    docs.mkdir()
    page = rasterise(text_pdf(LOG, leading=2.0, spacing=0.3, width=300))
    (docs / "pump-log.png").write_bytes(image_bytes([degraded(page, 0.06, 0.4).image], "PNG"))
    build_index(docs, base / "index", Settings(), FakeEmbedder())
    return load_index(base / "index", Settings(), FakeEmbedder())


def test_a_sentence_wrapped_over_lines_stays_one_paragraph_and_real_ones_stay_apart(spaced_scan):
    text = spaced_scan.document_text("pump-log.png")
    # Lines break where the page's lines do; blank lines stand only between the paragraphs.
    assert "from the control\nroom." in text
    assert [paragraph.replace("\n", " ") for paragraph in text.split("\n\n")] == LOG


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("From where were the pumps at the north quay switched on?", LOG[1]),
        ("How did the night crew log the water level?", LOG[2]),
    ],
)
def test_the_whole_wrapped_sentence_is_quoted_exactly(spaced_scan, question, sentence):
    answer = spaced_scan.answer(question)
    assert not answer.refused, answer.reason
    quote = answer.quotes[0]
    assert quote.text.replace("\n", " ") == sentence  # the whole sentence, not one paragraph
    text = spaced_scan.document_text("pump-log.png")
    assert text[quote.start : quote.end] == quote.text
    assert quote.line_start == line_number(text, quote.start)
    assert quote.line_end == line_number(text, quote.end - 1) == quote.line_start + 2
    assert "read by OCR" in answer.citation(quote)


def test_a_page_laid_out_by_an_older_reader_is_laid_out_anew_by_a_rebuild(tmp_path, monkeypatch):
    """The OCR cache keeps words, not text: a rebuild lays them out again, reading no page."""
    import indexer.read.ocr as ocr
    from indexer.build import reuse

    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    page = rasterise(text_pdf(LOG, leading=2.0, spacing=0.3, width=300))
    (docs / "pump-log.png").write_bytes(image_bytes([page.image], "PNG"))
    (docs / "notes.txt").write_text("Notes on the weather at the pier.\n", encoding="utf-8")

    def tesseract_paragraphs(words, lines):  # how pages were laid out before: its paragraphs
        places = [words[line[0]].paragraph for line in lines]
        return [""][: len(lines)] + [
            "\n" if above == below else "\n\n" for above, below in pairwise(places)
        ]

    with monkeypatch.context() as patched:
        patched.setattr(ocr, "separators", tesseract_paragraphs)
        # The older reader's source was not this one: its version is not taken as this reader's.
        patched.setattr(reuse, "_code", lambda: "the older reader's source")
        build_index(docs, index, Settings(), FakeEmbedder())
    old = load_index(index, Settings(), FakeEmbedder()).document_text("pump-log.png")
    assert "from the control\n\nroom." in old
    report = build_index(docs, index, Settings(), FakeEmbedder())
    assert report.changes.changed == ["pump-log.png"] and report.changes.unchanged == ["notes.txt"]
    assert report.ocr_pages == 0  # the words came from the cache
    rebuilt = load_index(index, Settings(), FakeEmbedder())
    assert "from the control\nroom." in rebuilt.document_text("pump-log.png")
    answer = rebuilt.answer("From where were the pumps at the north quay switched on?")
    assert answer.quotes[0].text.replace("\n", " ") == LOG[1]
