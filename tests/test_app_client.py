"""The app as a user runs it (`python app.py`), driven through gradio_client with the real model."""

import html
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("GRADIO_TEMP_DIR", tempfile.mkdtemp(prefix="verbatim-gradio-"))

import httpx  # noqa: E402
import pytest  # noqa: E402
from gradio_client import handle_file  # noqa: E402
from gradio_client.exceptions import AppError  # noqa: E402

from .conftest import ROOT  # noqa: E402

pytestmark = pytest.mark.model

REVENUE = "How much money does Anthropic make a year?"
REVENUE_SOURCE = "002_6d34ce2141a5a6b8.txt"
OFF_TOPIC = [
    "What is the recipe for banana bread?",
    "How do I change the oil in a motorcycle?",
]


def test_revenue_question_is_quoted_and_cited(app_server):
    text, sources = app_server.client().predict(REVENUE, api_name="/ask")
    quotes = [s for s in sources if s["kind"] == "quote"]
    assert any("$850" in q["text"] and q["source"] == REVENUE_SOURCE for q in quotes), text
    first = next(q for q in quotes if "$850" in q["text"])
    assert f"[{first['n']}] {REVENUE_SOURCE}, line" in text
    assert first["text"] in text
    seed = (app_server.docs / REVENUE_SOURCE).read_text(encoding="utf-8")
    assert seed[first["start"] : first["end"]] == first["text"]  # verbatim, at its offsets


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_off_topic_question_is_refused(app_server, question):
    text, sources = app_server.client().predict(question, api_name="/ask")
    assert text.startswith("The documents do not answer this question.")
    assert all(s["kind"] == "related" for s in sources)


def test_empty_question_is_an_error_sentence(app_server):
    with pytest.raises(AppError, match="The question is empty"):
        app_server.client().predict("  ", api_name="/ask")


def test_api_lists_stable_endpoints(app_server):
    api = app_server.client().view_api(print_info=False, return_format="dict")
    assert {"/ask", "/rebuild", "/upload"} <= set(api["named_endpoints"])


def test_questions_are_answered_while_a_rebuild_runs(app_server):
    # Enough new text that the rebuild takes seconds even though each passage is encoded
    # once (about 300 passages), so questions land while it runs.
    lines = [
        f"Survey note {i}: the {w} committee met on day {i} to review item {i * 7 % 97}."
        for i, w in enumerate(["budget", "audit", "harbour", "library", "transit"] * 600)
    ]
    (app_server.docs / "survey-notes.txt").write_text("\n\n".join(lines), encoding="utf-8")
    client = app_server.client()
    rebuild = client.submit(api_name="/rebuild")
    deadline = time.monotonic() + 30
    while not (rebuild.status().code.name in ("PROCESSING", "PROGRESS") or rebuild.done()):
        assert time.monotonic() < deadline, "the rebuild never started"
        time.sleep(0.05)

    def ask(_):
        return app_server.client().predict(REVENUE, api_name="/ask")

    answers, answered_during_rebuild = [], 0
    with ThreadPoolExecutor(4) as pool:
        while not rebuild.done():
            batch = list(pool.map(ask, range(4)))  # four questions at once
            if not rebuild.done():  # the whole batch started and ended while it ran
                answered_during_rebuild += len(batch)
            answers += batch
    report, summary = rebuild.result(timeout=300)
    assert answered_during_rebuild >= 4, "no question was answered while the rebuild ran"
    for text, sources in answers:
        assert any("$850" in s["text"] for s in sources), text
    report = report.replace("\\", "")  # Markdown escapes
    added = next(line for line in report.splitlines() if line.startswith("- Added"))
    assert "survey-notes.txt" in added
    assert "survey-notes.txt" in summary  # the new version is in service


def _outside_files(server) -> set:
    """Files under the test's folder that are not documents, index, log or Gradio's cache."""
    kept = (server.docs, server.index, server.docs.parent / "gradio")
    return {
        p
        for p in server.docs.parent.parent.rglob("*")
        if p.is_file() and p != server.log and not any(k in p.parents for k in kept)
    }


def test_malicious_upload_names_land_inside_the_documents(app_server):
    client = app_server.client()
    with open("/etc/passwd", "rb") as handle:
        passwd = handle.read()
    before = _outside_files(app_server)
    for name, body in [("../../evil.txt", b"Evil was here."), ("/etc/passwd", b"root::0:0")]:
        # Raw multipart with the hostile name, as a crafted request would send it.
        response = httpx.post(client.upload_url, files=[("files", (name, body))])
        response.raise_for_status()
        stored = response.json()[0]
        status = client.predict([handle_file(stored)], api_name="/upload")
        if name.endswith("passwd"):
            assert "Not saved" in status and "passwd" in status  # no .txt/.md: refused
        else:
            assert "evil.txt saved" in status
    assert (app_server.docs / "evil.txt").read_bytes() == b"Evil was here."
    assert not list(app_server.docs.glob("passwd*"))
    with open("/etc/passwd", "rb") as handle:
        assert handle.read() == passwd
    assert _outside_files(app_server) == before


def test_upload_with_spaces_and_clash_through_the_client(app_server, tmp_path):
    client = app_server.client()
    spaced = tmp_path / "field notes.txt"
    spaced.write_text("Field notes: the heron colony nests on the east bank.", encoding="utf-8")
    clash = tmp_path / REVENUE_SOURCE
    clash.write_text("A different document with the seed's name.", encoding="utf-8")
    status = client.predict([handle_file(spaced), handle_file(clash)], api_name="/upload")
    assert "2 of 2 saved" in status
    assert (app_server.docs / "field-notes.txt").is_file()
    status = html.unescape(status)  # Markdown escapes are character references
    assert "002_6d34ce2141a5a6b8-2.txt" in status and "another document" in status
    assert "$850" in (app_server.docs / REVENUE_SOURCE).read_text(encoding="utf-8")


def test_an_uploaded_fact_is_answered_at_once_through_the_client(app_server, tmp_path):
    """Started as the README starts it (the relative seeds/), an upload is indexed, answered."""
    client = app_server.client()
    fact = tmp_path / "bell tower.txt"
    fact.write_text(
        "Bell tower\n\nThe bell of Arnholt tower was cast in 1642 by Jonas Wick.\n",
        encoding="utf-8",
    )
    status = html.unescape(client.predict([handle_file(fact)], api_name="/upload"))
    assert "saved as bell-tower.txt" in status and "1 new file answerable now." in status
    text, sources = client.predict("When was the bell of Arnholt tower cast?", api_name="/ask")
    assert sources[0]["source"] == "bell-tower.txt" and "1642" in text, text
    assert "Traceback" not in app_server.log.read_text()


@pytest.mark.parametrize("folder", ["empty", "missing"])
def test_the_app_starts_on_an_empty_or_missing_folder_and_uploads_fill_it(tmp_path, folder):
    """`python app.py --docs empty/` serves the page; a missing folder is created first."""
    from .conftest import running_app

    if folder == "empty":
        (tmp_path / folder).mkdir()
    with running_app(tmp_path, ["--docs", f"{folder}/"], docs=folder) as server:
        assert server.docs.is_dir()
        created = f"Created the documents folder {server.docs}/" in server.log.read_text()
        assert created == (folder == "missing")
        client = server.client()
        with pytest.raises(AppError, match="holds no documents yet"):
            client.predict("When was the bell of Arnholt tower cast?", api_name="/ask")
        fact = tmp_path / "bell.txt"
        fact.write_text("The bell of Arnholt tower was cast in 1642.\n", encoding="utf-8")
        status = client.predict([handle_file(fact)], api_name="/upload")
        assert "bell.txt saved" in status and "1 new file answerable now." in status
        text, sources = client.predict("When was the bell of Arnholt tower cast?", api_name="/ask")
        assert sources[0]["source"] == "bell.txt" and "1642" in text, text
        assert "Traceback" not in server.log.read_text()


def test_a_build_from_the_terminal_is_served_at_the_next_question(app_server):
    """`python -m indexer build seeds` beside the running app, as the README runs both."""
    import subprocess
    import sys

    client = app_server.client()
    question = "How deep is the Hallorn mill pond?"
    (app_server.docs / "mill-pond.txt").write_text(
        "Mill pond\n\nThe Hallorn mill pond is nine metres deep at the sluice.\n",
        encoding="utf-8",
    )
    built = subprocess.run(
        [sys.executable, "-m", "indexer", "build", app_server.docs.name],
        cwd=app_server.docs.parent,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    text, sources = client.predict(question, api_name="/ask")  # no Rebuild clicked
    assert sources[0]["source"] == "mill-pond.txt" and "nine metres" in text, text
    assert sources[0]["stale"] is False  # served from the new version, not flagged stale
    report, summary = client.predict(api_name="/rebuild")
    report = html.unescape(report).replace("\\", "")
    assert report.startswith("**Nothing new since the last rebuild.**"), report
    added = next(line for line in report.splitlines() if line.startswith("- Added"))
    assert "mill-pond.txt" in added  # the terminal's build, which made the version in service
    assert "mill-pond.txt" in html.unescape(summary).replace("\\", "")


def test_uploaded_pdf_and_word_files_are_answered_with_page_and_opened_as_text(
    app_server, tmp_path
):
    from tests.test_core_formats import PDF_PAGES, write_docx, write_pdf

    client = app_server.client()
    write_pdf(tmp_path / "harbour report.pdf", PDF_PAGES)
    write_docx(tmp_path / "minutes.docx")
    files = [handle_file(tmp_path / "harbour report.pdf"), handle_file(tmp_path / "minutes.docx")]
    status = client.predict(files, api_name="/upload")
    assert "2 of 2 saved" in status
    client.predict(api_name="/rebuild")

    text, sources = client.predict("When does the first ferry leave the quay?", api_name="/ask")
    quote = next(s for s in sources if s["kind"] == "quote")
    assert (quote["source"], quote["page"]) == ("harbour-report.pdf", 2), text
    assert "harbour-report.pdf, p. 2, line" in text
    extracted = client.predict("harbour-report.pdf", api_name="/document")
    assert extracted[quote["start"] : quote["end"]] == quote["text"]
    assert "quarter past six" in quote["text"]
    minutes = client.predict("minutes.docx", api_name="/document")
    assert "| Pumpkins | 75 euros |" in minutes.splitlines()


HOSTILE = ["\ud800", "a\udcffb", "\x00\x01", "<script>alert(1)</script>", "x" * 100_000, "?"]


def raw_ask(url: str, question: str) -> tuple[str, str]:
    """Call /ask over Gradio's REST API with JSON escapes (as a client in any language can).

    Returns the event ("complete" or "error") and its data.
    """
    import json

    body = json.dumps({"data": [question, ""]}, ensure_ascii=True)  # "\ud800" stays an escape
    with httpx.Client(base_url=url, timeout=60) as http:
        posted = http.post(
            "/gradio_api/call/ask", content=body, headers={"Content-Type": "application/json"}
        )
        event_id = posted.json()["event_id"]
        stream = http.get(f"/gradio_api/call/ask/{event_id}").text
    event = next(line[7:] for line in stream.splitlines() if line.startswith("event: "))
    data = next(line[6:] for line in stream.splitlines() if line.startswith("data: "))
    return event.strip(), data


@pytest.mark.parametrize("question", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_questions_get_an_answer_or_a_sentence_and_no_traceback(app_server, question):
    event, data = raw_ask(app_server.url, question)
    if event == "error":  # one sentence, never null
        assert data not in ("null", "None", "") and "\n" not in data, data
    else:
        assert event == "complete" and "[" in data, (event, data)
    assert "Traceback" not in app_server.log.read_text()


def test_no_route_serves_a_file_outside_the_documents_and_index(app_server):
    secret = app_server.docs.parent / "secret-outside.txt"
    secret.write_text("SECRET-OUTSIDE-CONTENT", encoding="utf-8")
    targets = ["/etc/passwd", str(secret), str(app_server.log), str(ROOT / "app.py")]
    routes = ["/gradio_api/file={}", "/file={}", "/gradio_api/file/{}", "/static/{}"]
    with httpx.Client(base_url=app_server.url, timeout=10) as http:
        for target in targets:
            for route in routes:
                for path in (target, "../" * 8 + target.lstrip("/")):
                    response = http.get(route.format(path))
                    body = response.text
                    assert "root:x:0:0" not in body and "SECRET-OUTSIDE-CONTENT" not in body
                    assert "def _serve" not in body, (route, path, response.status_code)


def test_a_rejected_upload_body_lands_only_in_the_swept_folder(app_server):
    temporary = app_server.docs.parent / "tmp"
    with httpx.Client(base_url=app_server.url, timeout=30) as http:
        response = http.post(
            "/gradio_api/upload", files={"files": ("..", b"body of a rejected upload" * 100)}
        )
    assert response.status_code == 400
    bodies = [
        p
        for p in temporary.rglob("*")
        if p.is_file() and p.read_bytes().startswith(b"body of a rejected")
    ]
    # Only in the app's own folder, which is swept every minute.
    assert bodies and all(p.parent.name.startswith("verbatim-incoming-") for p in bodies)


def test_the_server_log_stays_quiet(app_server):
    client = app_server.client()
    before = len(app_server.log.read_text().splitlines())
    for number in range(20):
        client.predict([REVENUE, OFF_TOPIC[0]][number % 2], api_name="/ask")
    lines = app_server.log.read_text().splitlines()
    assert len(lines) - before <= 20  # at most a line per request (it prints none)
    noisy = [
        ln for ln in lines if any(w in ln for w in ("Warning", "DEBUG", "deprecated", "Traceback"))
    ]
    assert noisy == []
