"""A spreadsheet speaks in its own rows everywhere: answers, header notes, related lists, JSON.

A sheet's quote is cited by its row ("sheet "Staff", row 3"); the header row shown above it
says its row too, not the line of the indexed text; a sheet's name is no passage of its own,
so no list shows "line 1: # Staff". A PDF table's header counts lines within its page, as the
row's citation does.
"""

from __future__ import annotations

import json
import re
from html import unescape

import numpy as np
import pytest

from indexer import Settings, build_index, load_index
from indexer.page.render import answer_markdown, answer_text, hits_text, sources_html
from indexer.records import format_citation

from .conftest import line_number
from .fakes import FakeEmbedder
from .office_files import workbook
from .test_core_cli import run
from .test_core_office import tables_pdf

SHEETS = ("budget.xlsx", "plants.csv")
LINE_OF_A_SHEET = re.compile(r'(sheet "[^"]*"|\.csv), lines? \d')


def _folder(base):
    docs = base / "docs"
    docs.mkdir()
    (docs / "budget.xlsx").write_bytes(workbook())
    (docs / "plants.csv").write_text("Plant,Height (cm),Flowering\nFoxglove,150,June\n\n"
                                     "Lupin,90,May\n")  # fmt: skip
    (docs / "prices.pdf").write_bytes(tables_pdf())
    return docs


@pytest.fixture(scope="module")
def sheets(tmp_path_factory):
    base = tmp_path_factory.mktemp("sheets")
    build_index(_folder(base), base / "index", Settings(), FakeEmbedder())
    return load_index(base / "index", Settings(), FakeEmbedder())


def test_every_passage_of_a_sheet_is_a_row_cited_by_its_row(sheets):
    zero = np.zeros(sheets.manifest.dimension, dtype=np.float32)
    hits = [sheets.hit(i, zero) for i in range(len(sheets))]
    rows = [hit for hit in hits if hit.source in SHEETS]
    assert len(rows) == 8  # 4 and 2 rows of the workbook's sheets, 2 of the csv
    for hit in rows:
        assert hit.kind == "table-row", hit.text  # not "# Staff", the sheet's name
        citation = format_citation(hit)
        assert re.search(r"(, row \d+)$", citation) and "line" not in citation, citation
    assert "line" not in hits_text(rows)  # `indexer search` lists them by row as well


def test_a_sheet_rows_header_note_says_its_row_in_every_surface(sheets):
    answer = sheets.answer("When did Tomas Berge start?")
    quote = answer.quotes[0]
    assert quote.text == "| Tomas Berge | Courier | 2021-09-15 |"
    text = answer_text(answer)  # the CLI's and the API's
    assert "(table header, row 1: | Name | Role | Started |)\n“| Tomas Berge" in text
    assert '[1] budget.xlsx, sheet "Staff", row 3 ' in text
    assert "(table header, row 1: " in answer_markdown(answer)  # the chat
    assert 'sheet "Staff" · row 3' in unescape(sources_html(answer))  # the Sources panel
    record = quote.to_record()
    assert record["rows"] == [3, 3] and record["table_header"]["row"] == 1
    document = sheets.document_text("budget.xlsx")
    header = record["table_header"]
    assert document[header["start"] : header["end"]] == header["text"]
    assert header["line"] == line_number(document, header["start"])  # the text's own line


def test_a_pdf_table_header_counts_lines_within_its_page_as_the_row_does(sheets):
    answer = sheets.answer("How many tonnes of Conference pears were sold?")
    quote = answer.quotes[0]
    document = sheets.document_text("prices.pdf")
    page_start = sheets.manifest.files["prices.pdf"].page_starts[1]
    header = quote.to_record()["table_header"]
    line = line_number(document, header["start"]) - line_number(document, page_start) + 1
    text = answer_text(answer)
    assert f"(table header, line {line}: | Pear | Tonnes | Price per kg |)" in text
    assert "prices.pdf, p. 2, line 4" in text and line == 2


def test_a_refusal_lists_related_sheet_rows_by_row(sheets):
    answer = sheets.answer("What is on the staff canteen menu on Fridays?")
    assert answer.refused and any(hit.source in SHEETS for hit in answer.related)
    for shown in (answer_text(answer), answer_markdown(answer), unescape(sources_html(answer))):
        assert not LINE_OF_A_SHEET.search(shown), shown
        assert "# Staff" not in shown


@pytest.mark.model
def test_the_cli_speaks_of_sheets_in_rows(tmp_path):
    docs, index = _folder(tmp_path), str(tmp_path / "index")
    built = run("build", str(docs), "--index", index, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    asked = run("ask", "When did Tomas Berge start?", "--index", index, cwd=tmp_path)
    assert "(table header, row 1: | Name | Role | Started |)" in asked.stdout, asked.stdout
    assert 'budget.xlsx, sheet "Staff", row 3' in asked.stdout
    as_json = run("ask", "When did Tomas Berge start?", "--index", index, "--json", cwd=tmp_path)
    quote = json.loads(as_json.stdout)["quotes"][0]
    assert quote["rows"] == [3, 3] and quote["table_header"]["row"] == 1
    refused = run("ask", "Who repaired the harbour crane?", "--index", index, cwd=tmp_path)
    assert "Possibly related" in refused.stdout, refused.stdout
    assert not LINE_OF_A_SHEET.search(refused.stdout) and "# Staff" not in refused.stdout
