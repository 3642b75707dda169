"""Scanned pages answer too: OCR'd text is indexed, quoted exactly, marked, and boxed on the page.

The scans are made here (tests/scans.py): text set in a PDF, drawn by pdfium, degraded, turned,
wrapped as image-only PDFs, PNGs and a multi-page TIFF. The true box of every word comes from
the text it was drawn from.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from indexer import Settings, build_index, load_index
from indexer.read.ocr import OcrError
from indexer.read.ocr_cache import OcrCache
from indexer.records import format_citation

from .fakes import FakeEmbedder
from .scans import (
    Scan,
    degraded,
    image_bytes,
    image_pdf,
    page_scan,
    text_pdf,
    turned,
)

HARBOUR = [
    "The harbour master recorded that the ferry Albatross ran aground on 3 March 1954.",
    "Salvage crews refloated the ferry after nine days using empty oil drums.",
]
ORCHARD = [
    "The orchard held two hundred and forty quince trees planted by the Lindqvist family.",
    "Frost in April killed most of the blossom, and the harvest failed that year.",
]
COLUMNS = [  # three paragraphs a column: enough lines for the page to read as two columns
    "The bakery opened at five each morning and its ovens were fired with beech wood cut in "
    "the valley.",
    "Its rye loaves sold out before seven on market days, and the baker's wife kept the accounts.",
    "Flour came by cart from the mill twice a week, weighed at the door in sacks of fifty kilos.",
    "The mill ground barley from three farms along the river and ran on water from a weir.",
    "The miller kept his ledgers in a locked oak chest beside the millstones, away from the damp.",
    "In dry summers the wheel stopped and the farms sent their grain to the town mill instead.",
]


def scanned(paragraphs, columns: int = 1) -> Scan:
    """A noisy, slightly skewed scan of the paragraphs (the true boxes stay those upright)."""
    clean = page_scan(paragraphs, columns=columns)
    return degraded(clean, noise=0.06, blur=0.4)


@pytest.fixture(scope="module")
def scans_folder(tmp_path_factory) -> dict:
    """One folder of scans, indexed once: image-only PDF, PNG, multi-page TIFF, turned pages."""
    base = tmp_path_factory.mktemp("ocr")
    docs = base / "docs"
    docs.mkdir()
    lighthouse, harbour, orchard = page_scan(), scanned(HARBOUR), scanned(ORCHARD)
    columns = page_scan(COLUMNS, columns=2)
    skewed = Image.fromarray(__import__("numpy").asarray(lighthouse.image)).rotate(
        0.8, expand=False, fillcolor=255
    )
    (docs / "lighthouse-scan.pdf").write_bytes(image_pdf([skewed, columns.image]))
    (docs / "harbour.png").write_bytes(image_bytes([harbour.image], "PNG"))
    (docs / "bundle.tiff").write_bytes(image_bytes([orchard.image, blank_page()], "TIFF"))
    (docs / "sideways.jpg").write_bytes(image_bytes([turned(harbour, 90).image], "JPEG"))
    (docs / "upside-down.webp").write_bytes(image_bytes([turned(orchard, 180).image], "WEBP"))
    (docs / "notes.txt").write_text("Ordinary notes about the weather at the cape.\n")
    index = base / "index"
    report = build_index(docs, index, Settings(), FakeEmbedder())
    return {
        "docs": docs,
        "index": index,
        "report": report,
        "truth": {"harbour.png": harbour, "bundle.tiff": orchard, "columns": columns},
    }


def blank_page() -> Image.Image:
    return Image.new("L", (800, 1100), 255)


def test_facts_on_scanned_pages_are_answered_with_exact_marked_quotes(scans_folder):
    index = load_index(scans_folder["index"], Settings(), FakeEmbedder())
    cases = {
        "How many ships did the lighthouse keeper log passing the northern cape?": (
            "lighthouse-scan.pdf", "412 ships"),
        "When did the ferry Albatross run aground?": ("harbour.png", "3 March 1954"),
        "How many quince trees did the orchard hold?": ("bundle.tiff", "forty quince trees"),
        "Where did the miller keep his ledgers?": ("lighthouse-scan.pdf", "locked\noak chest"),
    }  # fmt: skip
    for question, (source, words) in cases.items():
        answer = index.answer(question)
        assert not answer.refused, (question, answer.reason)
        quote = answer.quotes[0]
        assert words in quote.text and quote.source == source, (question, quote.text)
        text = index.document_text(quote.source)
        assert text[quote.start : quote.end] == quote.text  # an exact slice of the OCR text
        record = quote.to_record()
        assert record["ocr"] is True and 0.5 < record["ocr_confidence"] <= 1.0
        assert "read by OCR" in record["citation"] and "confidence" in record["citation"]
        assert record["page_lines"][0] >= 1 and record["page"] >= 1


def test_every_passage_of_a_scan_is_its_text_slice_and_the_text_is_page_by_page(scans_folder):
    index = load_index(scans_folder["index"], Settings(), FakeEmbedder())
    entry = index.manifest.files["bundle.tiff"]
    assert entry.format == "image" and entry.pages == 2 and len(entry.page_starts) == 2
    assert [mark["page"] for mark in entry.ocr] == [1, 2]
    for passage in index.stored.passages:
        text = index.document_text(passage.source)
        assert text[passage.start : passage.end] == passage.text, passage.source
    # The columns are read column by column: the left one's sentences come first.
    text = index.document_text("lighthouse-scan.pdf")
    assert text.index("bakery opened") < text.index("rye loaves") < text.index("fifty kilos")
    assert text.index("fifty kilos") < text.index("mill ground") < text.index("town mill")


def test_the_quoted_words_are_boxed_exactly_on_the_page(scans_folder):
    index = load_index(scans_folder["index"], Settings(), FakeEmbedder())
    for source, question in [
        ("harbour.png", "How did the salvage crews refloat the ferry?"),
        ("bundle.tiff", "What killed most of the blossom in April?"),
    ]:
        quote = index.answer(question).quotes[0]
        assert quote.source == source
        mark = quote.hit.scan
        reading = mark.reading
        boxes = reading.letter_boxes(quote.start - mark.page_start, quote.end - mark.page_start)
        width, height = reading.size
        boxes = [(left * width, top * height, w * width, h * height) for left, top, w, h in boxes]
        truth = scans_folder["truth"][source].words
        quoted = quote.text.split()
        inside = [word for word, box in truth if any(_centre_in(box, b) for b in boxes)]
        assert inside == quoted, (inside, quoted)  # exactly the quoted words, no others
        for word, box in truth:  # and each quoted word's true box lies within a drawn box
            if any(_centre_in(box, b) for b in boxes):
                assert any(_covered(box, b) > 0.9 for b in boxes), word


def _centre_in(box, drawn) -> bool:
    left, top, right, bottom = box
    x, y = (left + right) / 2, (top + bottom) / 2
    return drawn[0] <= x <= drawn[0] + drawn[2] and drawn[1] <= y <= drawn[1] + drawn[3]


def _covered(box, drawn) -> float:
    """Share of a true word box inside a drawn box (left, top, width, height)."""
    left, top, right, bottom = box
    overlap_x = max(0.0, min(right, drawn[0] + drawn[2]) - max(left, drawn[0]))
    overlap_y = max(0.0, min(bottom, drawn[1] + drawn[3]) - max(top, drawn[1]))
    return overlap_x * overlap_y / ((right - left) * (bottom - top))


def test_turned_pages_are_read_upright_and_answered(scans_folder):
    index = load_index(scans_folder["index"], Settings(), FakeEmbedder())
    sideways = index.manifest.files["sideways.jpg"]
    upside_down = index.manifest.files["upside-down.webp"]
    cache = OcrCache(scans_folder["index"])
    assert cache.get(sideways.ocr[0]["key"]).turn == 270  # turned back a quarter
    assert cache.get(upside_down.ocr[0]["key"]).turn == 180
    assert "ran aground on 3 March 1954." in index.document_text("sideways.jpg")
    assert "forty quince trees" in index.document_text("upside-down.webp")
    # Read upright, the turned scan holds the same words as the straight one: a copy of it.
    quote = index.answer("When did the ferry Albatross run aground?").quotes[0]
    assert "3 March 1954" in quote.text and "sideways.jpg" in (quote.source, *quote.copies)


def test_a_page_with_nothing_on_it_reads_empty_and_the_rest_of_the_file_stays(scans_folder):
    index = load_index(scans_folder["index"], Settings(), FakeEmbedder())
    entry = index.manifest.files["bundle.tiff"]
    text = index.document_text("bundle.tiff")
    assert text[entry.page_starts[1] :] == ""  # the blank second page has no words
    assert "quince" in text


def test_a_rebuild_reads_no_page_twice(scans_folder, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(scans_folder["index"], index)
    first = scans_folder["report"]
    assert first.ocr_pages >= 6
    # A new version from scratch: the vectors are made again, the pages come from the cache.
    for version in index.glob("v-*"):
        shutil.rmtree(version)
    (index / "CURRENT").unlink()
    report = build_index(scans_folder["docs"], index, Settings(), FakeEmbedder())
    assert report.ocr_pages == 0 and report.passages == first.passages
    assert "read by OCR" not in report.summary()
    # A damaged reading is read again, the others still come from the cache.
    key = load_index(index, Settings(), FakeEmbedder()).manifest.files["harbour.png"].ocr[0]["key"]
    path = index / "ocr" / f"{key}.json"
    path.write_text(path.read_text().replace("Albatross", "Albatros"))
    (index / "CURRENT").unlink()
    shutil.rmtree(next(index.glob("v-*")))
    report = build_index(scans_folder["docs"], index, Settings(), FakeEmbedder())
    assert report.ocr_pages == 1
    assert "Albatross" in load_index(index, Settings(), FakeEmbedder()).document_text("harbour.png")


def test_pages_are_read_in_parallel_with_progress(tmp_path, monkeypatch):
    import threading

    from indexer.read import ocr

    running, most = [0], [0]
    lock = threading.Lock()
    real = ocr.read_image

    def counted(*args):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            return real(*args)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(ocr, "read_image", counted)
    docs = tmp_path / "docs"
    docs.mkdir()
    pages = [scanned(HARBOUR).image, scanned(ORCHARD).image] * 2
    (docs / "four-pages.pdf").write_bytes(image_pdf(pages))
    seen = []
    report = build_index(
        docs, tmp_path / "index", Settings(), FakeEmbedder(), lambda *step: seen.append(step)
    )
    ocr_steps = [(done, total) for stage, done, total in seen if stage.endswith("(OCR)")]
    assert ocr_steps[-1] == (4, 4) and [d for d, _ in ocr_steps] == [1, 2, 3, 4]
    assert report.ocr_pages == 4
    assert most[0] == min(4, os.cpu_count() or 1)  # one page per core at a time


def test_low_confidence_pages_are_listed_in_the_report_and_the_documents_panel(scans_folder):
    from indexer.build.update import low_confidence_pages
    from indexer.page.library import ocr_note
    from indexer.read.documents import read_document
    from indexer.read.scans import ScanReader

    settings = Settings(ocr_low_confidence=0.99)  # every real scan falls short of 99 %
    reader = ScanReader(settings, scans_folder["index"])
    document = read_document(scans_folder["docs"], scans_folder["docs"] / "harbour.png", 10**9,
                             scans=reader)  # fmt: skip
    reader.close()
    assert reader.read == 0  # from the cache
    listed = low_confidence_pages([document], 0.99)
    assert len(listed) == 1 and listed[0].startswith("harbour.png p. 1: read by OCR, ")
    assert listed[0].endswith("% confidence")
    assert low_confidence_pages([document], 0.0) == []
    index = load_index(scans_folder["index"], settings, FakeEmbedder())
    note = ocr_note(index.manifest.files["harbour.png"], 0.99)
    assert note.startswith(" (1 page read by OCR; p. 1: read by OCR, ") and note.endswith(")")
    assert ocr_note(index.manifest.files["notes.txt"], 0.99) == ""


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims width x height pixels: a decompression bomb's header, a tiny body."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + checksum

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )  # fmt: skip


def test_bad_scans_are_skipped_with_a_reason_and_nothing_else_is_lost(tmp_path):
    import pypdf

    docs = tmp_path / "docs"
    docs.mkdir()
    good = scanned(HARBOUR)
    (docs / "good.png").write_bytes(image_bytes([good.image], "PNG"))
    (docs / "empty.png").write_bytes(image_bytes([blank_page()], "PNG"))
    (docs / "one-pixel.png").write_bytes(image_bytes([Image.new("L", (1, 1), 0)], "PNG"))
    (docs / "bomb.png").write_bytes(png_header(20_000, 20_000))
    (docs / "corrupt.tiff").write_bytes(image_bytes([good.image], "TIFF")[:4000])
    (docs / "not-really.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 200)
    plain = _pdf_file(tmp_path, image_pdf([good.image]))
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(plain))
    writer.encrypt("secret", algorithm="AES-256")
    with open(docs / "locked-scan.pdf", "wb") as out:
        writer.write(out)
    report = build_index(docs, tmp_path / "index", Settings(), FakeEmbedder())
    reasons = {s.path: s.reason for s in report.skipped}
    assert report.changes.added == ["good.png"]
    assert "OCR found no text" in reasons["empty.png"]
    assert "too small to hold text" in reasons["one-pixel.png"]
    assert "20,000 x 20,000 pixels" in reasons["bomb.png"] and "not decoded" in reasons["bomb.png"]
    assert "damaged image" in reasons["corrupt.tiff"]
    assert "image" in reasons["not-really.jpg"]
    assert "password" in reasons["locked-scan.pdf"]
    assert all("Traceback" not in reason and "\n" not in reason for reason in reasons.values())


def _pdf_file(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "plain.pdf"
    path.write_bytes(data)
    return path


def test_a_few_letters_over_a_full_page_image_are_read_by_ocr(tmp_path):
    """A scan with a stray text layer (a stamped page number) is a scan all the same."""
    from fpdf import FPDF

    scan = scanned(ORCHARD)
    pdf = FPDF(unit="pt")
    width, height = scan.image.size[0] * 72 / 200, scan.image.size[1] * 72 / 200
    pdf.add_page(format=(width, height))
    path = tmp_path / "page.png"
    scan.image.save(path)
    pdf.image(str(path), x=0, y=0, w=width, h=height)
    pdf.set_font("Helvetica", size=8)
    pdf.text(width - 40, height - 20, "p. 7")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "stamped.pdf").write_bytes(bytes(pdf.output()))
    (docs / "born-digital.pdf").write_bytes(text_pdf(["A born-digital page about the harbour."]))
    build_index(docs, tmp_path / "index", Settings(), FakeEmbedder())
    index = load_index(tmp_path / "index", Settings(), FakeEmbedder())
    assert "quince trees" in index.document_text("stamped.pdf")
    assert index.manifest.files["stamped.pdf"].ocr
    assert index.manifest.files["born-digital.pdf"].ocr is None  # its text layer is read


def test_ocr_off_keeps_scans_out_with_a_reason(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    scan = scanned(HARBOUR)
    (docs / "scan.png").write_bytes(image_bytes([scan.image], "PNG"))
    (docs / "scan.pdf").write_bytes(image_pdf([scan.image]))
    (docs / "notes.txt").write_text("Notes on the harbour wall.\n")
    report = build_index(docs, tmp_path / "index", Settings(ocr="off"), FakeEmbedder())
    reasons = {s.path: s.reason for s in report.skipped}
    assert "OCR is switched off" in reasons["scan.png"]
    assert "needs OCR" in reasons["scan.pdf"] and "VERBATIM_OCR=off" in reasons["scan.pdf"]
    assert report.changes.added == ["notes.txt"] and report.ocr_pages == 0


def test_a_language_without_its_model_is_one_sentence_naming_the_package(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.txt").write_text("Notes.\n")
    with pytest.raises(OcrError) as raised:
        build_index(docs, tmp_path / "index", Settings(ocr_langs="eng+tha"), FakeEmbedder())
    message = str(raised.value)
    assert message.count(".") <= 2 and "pip install tessdata-fast-tha" in message
    assert not (tmp_path / "index" / "CURRENT").exists()  # nothing half-built
    # German comes with the engine: eng+deu builds.
    build_index(docs, tmp_path / "index", Settings(ocr_langs="eng+deu"), FakeEmbedder())


def test_json_and_citation_of_a_text_layer_quote_say_nothing_of_ocr(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "born-digital.pdf").write_bytes(text_pdf(HARBOUR))
    build_index(docs, tmp_path / "index", Settings(), FakeEmbedder())
    index = load_index(tmp_path / "index", Settings(), FakeEmbedder())
    quote = index.answer("When did the ferry Albatross run aground?").quotes[0]
    record = json.loads(json.dumps(quote.to_record()))
    assert record["ocr"] is False and record["ocr_confidence"] is None
    assert "OCR" not in format_citation(quote)


def test_scanned_quotes_are_marked_when_the_index_is_on_milvus(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "harbour.png").write_bytes(image_bytes([scanned(HARBOUR).image], "PNG"))
    settings = Settings(milvus_uri=str(tmp_path / "milvus" / "verbatim.db"))
    report = build_index(docs, tmp_path / "index", settings, FakeEmbedder())
    assert report.ocr_pages == 1 and any((tmp_path / "index" / "ocr").iterdir())
    index = load_index(tmp_path / "index", settings, FakeEmbedder())
    record = index.answer("When did the ferry Albatross run aground?").quotes[0].to_record()
    assert "3 March 1954" in record["text"] and record["ocr"] is True
    assert "read by OCR" in record["citation"] and record["ocr_confidence"] > 0.5
