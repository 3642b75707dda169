"""E-mail as people ask about it: the subject heads every passage, the header lines answer.

A message is read as a printed one shows it: Subject, From, To, Date and Attachments lines,
then the body. Each header line is quoted alone ("Who sent the email?" is its From line), and
a greeting or a signature is never taken for a heading.
"""

from __future__ import annotations

import pytest

from indexer import Settings, build_index, load_index
from indexer.records import Hit, format_citation

from .conftest import line_number
from .fakes import FakeEmbedder, all_passages
from .office_files import email_with_html_body, plain_email

SUBJECTS = {
    "door-codes.eml": "New door codes for the depot",
    "gates.eml": "Gate codes for the allotments",
}


def _folder(base, html_message: bool = True):
    """A plain message, maybe one with an HTML body, and a log naming someone else."""
    docs = base / "docs"
    docs.mkdir()
    (docs / "door-codes.eml").write_bytes(plain_email())
    if html_message:
        (docs / "gates.eml").write_bytes(email_with_html_body())
    (docs / "crane-log.txt").write_text(
        "Crane log\n\nTomas Berge repaired the north crane on Tuesday after the cable snapped.\n",
        encoding="utf-8",
    )
    return docs


@pytest.fixture(scope="module")
def mail(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("mail")
    docs = _folder(base)
    build_index(docs, base / "index", Settings(), FakeEmbedder())
    return {"docs": docs, "index": load_index(base / "index", Settings(), FakeEmbedder())}


def test_every_passage_of_a_message_is_headed_by_its_subject(mail):
    index = mail["index"]
    messages = [p for p in all_passages(index) if p.source.endswith(".eml")]
    assert {p.source for p in messages} == set(SUBJECTS) and len(messages) >= 4
    for position, passage in enumerate(all_passages(index)):
        if passage.source not in SUBJECTS:
            continue
        subject = SUBJECTS[passage.source]
        assert passage.heading == subject, passage.text
        citation = format_citation(Hit(passage, position))
        assert citation.endswith(f' — "{subject}"'), citation
    # The signature and the greeting are body text, quotable, not headings of their own.
    body = index.document_text("door-codes.eml")
    units = _units(index, "door-codes.eml")
    assert "Best regards\nIngrid" in units and "Hello all," in units
    assert body.startswith("Subject: New door codes for the depot\nFrom: Ingrid Solberg")


def test_each_header_line_is_a_unit_cut_exactly_on_its_line(mail):
    index = mail["index"]
    text = index.document_text("door-codes.eml")
    units = _units(index, "door-codes.eml")
    header = [
        "Subject: New door codes for the depot",
        "From: Ingrid Solberg <ingrid@harbour.example>",
        "To: night-shift@harbour.example",
        "Date: Mon, 03 Jun 2024 08:15:00 +0100",
        "Attachments: depot-map.pdf",
    ]
    assert units[:5] == header
    for number, line in enumerate(header, 1):
        start = text.index(line)
        assert line_number(text, start) == number
    # Every unit of every message is its text's slice (checked by _units) on its own lines.
    assert "Attachments: map.pdf" in _units(index, "gates.eml")


def _units(index, source: str) -> list[str]:
    """Return the quotable units of a file, checking each is the exact slice of its text."""
    text = index.document_text(source)
    found = []
    for position, passage in enumerate(all_passages(index)):
        if passage.source != source:
            continue
        for _, start, end in index.units_of(position):
            assert passage.start <= start < end <= passage.end
            found.append(text[start:end])
    return found


@pytest.fixture(scope="module")
def real_mail(tmp_path_factory, real_embedder):
    base = tmp_path_factory.mktemp("real-mail")
    docs = _folder(base, html_message=False)  # "the email": there is one
    settings = Settings(model=real_embedder.name)
    build_index(docs, base / "index", settings, real_embedder)
    return load_index(base / "index", settings, real_embedder)


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "line"),
    [
        ("Who sent the email?", "From: Ingrid Solberg <ingrid@harbour.example>"),
        ("Which file was attached?", "Attachments: depot-map.pdf"),
        ("When was the email sent?", "Date: Mon, 03 Jun 2024 08:15:00 +0100"),
    ],
)
def test_who_sent_it_and_what_was_attached_are_answered_by_the_header_lines(
    real_mail, assert_located, question, line
):
    answer = real_mail.answer(question)
    assert not answer.refused, answer.reason
    quote = answer.quotes[0]
    assert quote.text == line
    text = real_mail.document_text(quote.source)
    assert_located(quote, text)
    cited = line_number(text, quote.start)
    assert answer.citation(quote).startswith(f'door-codes.eml, line {cited} — "New door codes')
