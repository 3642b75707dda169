"""The app's handlers, called directly as plain functions, over an index built with the fake."""

import html
import os
import tempfile
from pathlib import Path

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("GRADIO_TEMP_DIR", tempfile.mkdtemp(prefix="verbatim-gradio-"))

import gradio as gr  # noqa: E402
import pytest  # noqa: E402

import app  # noqa: E402
from indexer import Settings, load_index  # noqa: E402
from indexer.answer import followups  # noqa: E402
from indexer.page import panels, render, uploads  # noqa: E402
from indexer.read.passages import Passage  # noqa: E402
from indexer.records import Answer, Hit, Quote  # noqa: E402
from indexer.store.manifest import Manifest  # noqa: E402

SEED = "002_6d34ce2141a5a6b8.txt"
PROBE = (
    "The harbour clock of Veldmark was repaired by Ilse Brandt "
    "<script>alert(1)</script> <img src=x onerror=alert(2)> ${alert(3)} {{x}} in spring."
)


@pytest.fixture
def verbatim(seeds_copy, tmp_path, fake_embedder) -> app.Verbatim:
    """An app over a copy of the seeds; the threshold is 0 so the fake never refuses."""
    settings = Settings(min_answer_score=0.0)
    state = app.Verbatim(seeds_copy, tmp_path / "index", settings, fake_embedder)
    state.live.build()
    return state


def _text(message) -> str:
    return followups._message_text(message)


# -- answers and citations --------------------------------------------------------------------


def test_chat_answer_has_markers_and_citations(verbatim):
    history, box, sources, *_ = verbatim.respond("Anthropic annualized revenue estimated", [])
    assert box == ""  # the question box is cleared for the next question
    assert [m["role"] for m in history] == ["user", "assistant"]
    reply = _text(history[-1])
    assert "“" in reply and "\\[1\\]" in reply  # the marker, escaped so Markdown shows "[1]"
    assert "\\[1\\] " in reply.split("<sub>", 1)[1]  # the citation under the quotes
    assert "line" in reply
    assert "<mark>" in sources


def test_api_answer_text_and_sources_are_exact(verbatim):
    text, sources = verbatim.ask("Anthropic annualized revenue estimated")
    assert sources and all(s["kind"] == "quote" for s in sources)
    for n, source in enumerate(sources, 1):
        assert f"[{n}]" in text
        assert f"[{n}] {source['citation']}" in text
        keys = {"text", "source", "start", "end", "line_start", "line_end", "heading", "score"}
        assert keys <= source.keys()
        file_text = (verbatim.docs_dir / source["source"]).read_text(encoding="utf-8")
        assert file_text[source["start"] : source["end"]] == source["text"]
        assert f"“{source['text'].strip()}”" in text


def test_refusal_is_plain_statement_with_related_passages():
    hit = _hit("a.txt", "Nothing about bread here.", 0)
    answer = Answer("How to bake bread?", refused=True, related=[hit])
    text = render.answer_text(answer)
    assert text.startswith("The documents do not answer this question.")
    assert "Possibly related" in text and "a.txt, line 1" in text
    markdown = render.answer_markdown(answer)
    assert "do not answer" in markdown and "Possibly related" in markdown
    assert render.sources_records(answer)[0]["kind"] == "related"
    assert "<mark>" not in render.sources_html(answer)  # nothing was quoted


def test_empty_question_warns_and_changes_nothing(verbatim):
    history = [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]
    with pytest.warns(UserWarning, match="empty"):
        new_history, box, *_ = verbatim.respond("   ", history)
    assert new_history == history and box == "   "
    with pytest.raises(gr.Error, match="empty"):
        verbatim.ask("")


def test_missing_index_is_a_sentence_not_a_traceback(seeds_copy, tmp_path, fake_embedder):
    state = app.Verbatim(seeds_copy, tmp_path / "nothing", Settings(), fake_embedder)
    assert "No index yet" in state.index_summary()
    with pytest.warns(UserWarning, match="No index"):
        history, *_ = state.respond("Anthropic revenue", [])
    assert history == []
    with pytest.raises(gr.Error, match="No index"):
        state.ask("Anthropic revenue")


# -- escaping ---------------------------------------------------------------------------------


def _passage(source, text, start, heading=None, kind="text", prefix="", line=1, header=None):
    end, lines = start + len(text), text.count("\n")
    return Passage(
        source, start, end, line, line + lines, heading, kind, prefix, text, start, header=header
    )


def _hit(source: str, text: str, start: int, heading: str | None = None) -> Hit:
    return Hit(_passage(source, text, start, heading), 0, score=0.5)


def test_sources_html_escapes_document_text_and_marks_the_quote():
    passage = "Intro <b>bold</b>. " + PROBE + " Outro."
    hit = _hit("x<img src=y onerror=alert(9)>.txt", passage, 100, heading="<i>h</i>")
    begin = 100 + passage.index("The harbour")
    quote = Quote(hit, begin, begin + len(PROBE), 0.9)
    answer = Answer("q", refused=False, quotes=[quote], related=[hit])
    rendered = render.sources_html(answer)
    for raw in ("<script", "<img", "<b>bold", "<i>", "onerror=alert(9)>", "${", "{{"):
        assert raw not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "&lt;img src=x onerror=alert(2)&gt;" in rendered
    marked = rendered.split("<mark>", 1)[1].split("</mark>", 1)[0]
    assert marked.startswith("The harbour clock") and marked.endswith("in spring.")
    assert "Intro &lt;b&gt;bold&lt;/b&gt;. " in rendered.split("<mark>", 1)[0]
    chat = render.answer_markdown(answer)
    assert "<script" not in chat and "<img" not in chat and "$" not in chat.replace("\\$", "")


def test_table_row_is_shown_under_its_escaped_header():
    row = "| Revenue | $850M |"
    prefix = "Money\n| Metric <b>x</b> | Value |"
    header = (5, 5 + len("| Metric <b>x</b> | Value |"), 1)
    passage = _passage("t.md", row, 40, "Money", "table-row", prefix, line=3, header=header)
    hit = Hit(passage, 1, score=0.5)
    quote = Quote(hit, 40, 40 + len(row), 0.8)
    answer = Answer("q", refused=False, quotes=[quote])
    headers = render.table_headers(answer)
    assert headers == {1: "| Metric <b>x</b> | Value |"}
    rendered = render.sources_html(answer)
    assert "| Metric &lt;b&gt;x&lt;/b&gt; | Value |" in rendered and "<b>x" not in rendered
    assert rendered.index("Metric") < rendered.index("<mark>| Revenue | &#36;850M |</mark>")


def test_escaped_document_round_trip_through_the_index(verbatim):
    (verbatim.docs_dir / "probe.txt").write_text(PROBE + "\n", encoding="utf-8")
    verbatim.live.build()
    text, sources = verbatim.ask("harbour clock Veldmark repaired Ilse Brandt")
    assert sources[0]["source"] == "probe.txt" and "<script>" in sources[0]["text"]
    _, _, rendered, *_ = verbatim.respond("harbour clock Veldmark repaired Ilse Brandt", [])
    assert "<script" not in rendered and "<img" not in rendered
    assert "<mark>" in rendered and "&lt;script&gt;" in rendered


# -- uploads ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("../../evil.txt", "evil.txt"),
        ("/etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows.md", "windows.md"),
        ("my notes (final).txt", "my-notes-final.txt"),
        (".hidden.txt", "hidden.txt"),
        ("...txt", "document.txt"),
        ("Report.TXT", "Report.txt"),
        ("ünïcode näme.md", "ünïcode-näme.md"),
        ("a\x00b\nc.txt", "abc.txt"),
    ],
)
def test_upload_names_are_cleaned(name, clean):
    assert uploads.clean_upload_name(name) == clean


@pytest.mark.parametrize("name", ["/etc/passwd", "payload.exe", "archive.txt.zip", "noext"])
def test_unsupported_uploads_are_rejected(name):
    with pytest.raises(uploads.UploadRejected, match="PDF, Word .* or text file"):
        uploads.clean_upload_name(name)


@pytest.mark.parametrize(
    "name",
    ["Report.PDF", "minutes.docx", "page.HTM", "notes.html", "budget.XLSX", "deck.pptx",
     "mail.eml", "scan.png", "data.csv", "book.epub", "letter.odt", "old.xls", "sheet.ods"],
)  # fmt: skip
def test_new_formats_are_accepted_as_uploads(name):
    assert uploads.clean_upload_name(name).lower() == name.lower()


def test_uploads_land_inside_the_documents_folder(tmp_path):
    docs = tmp_path / "deep" / "docs"
    docs.mkdir(parents=True)
    source = tmp_path / "incoming.txt"
    source.write_text("hello", encoding="utf-8")
    names = ["../../evil.txt", "/etc/passwd.txt", "my notes.txt", "..", "../../../../tmp/x.md"]
    for name in names:
        try:
            saved = uploads.save_upload(docs, source, name)
        except uploads.UploadRejected:
            continue
        assert saved.path.resolve().parent == docs.resolve()
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "deep" / "evil.txt").exists()
    saved = ["evil.txt", "my-notes.txt", "passwd.txt", "x.md"]
    assert sorted(p.name for p in docs.iterdir()) == saved
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == sorted(
        ["incoming.txt", *saved]
    )


def test_upload_never_overwrites_a_different_document(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.txt").write_text("original", encoding="utf-8")
    new = tmp_path / "new.txt"
    new.write_text("different", encoding="utf-8")
    first = uploads.save_upload(docs, new, "notes.txt")
    assert first.path.name == "notes-2.txt" and first.renamed
    assert "notes-2.txt" in first.message and "another document" in first.message
    assert (docs / "notes.txt").read_text(encoding="utf-8") == "original"
    again = uploads.save_upload(docs, new, "notes.txt")  # same content again: no third copy
    assert again.path.name == "notes-2.txt" and not again.renamed
    other = tmp_path / "other.txt"
    other.write_text("third", encoding="utf-8")
    assert uploads.save_upload(docs, other, "notes.txt").path.name == "notes-3.txt"
    assert sorted(p.name for p in docs.iterdir()) == ["notes-2.txt", "notes-3.txt", "notes.txt"]


def test_upload_does_not_follow_a_link_planted_in_the_documents(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    (docs / "trap.txt").symlink_to(outside)
    source = tmp_path / "in.txt"
    source.write_text("overwrite?", encoding="utf-8")
    saved = uploads.save_upload(docs, source, "trap.txt")
    assert saved.path.name == "trap-2.txt"
    assert outside.read_text(encoding="utf-8") == "keep me"


def test_upload_handler_reports_and_warns(verbatim, tmp_path):
    incoming = tmp_path / "incoming" / "sub"
    incoming.mkdir(parents=True)
    good = incoming / "fresh notes.txt"
    good.write_text("A fresh document.", encoding="utf-8")
    bad = incoming / "tool.exe"
    bad.write_bytes(b"MZ")
    clash = incoming / SEED
    clash.write_text("Not the seed.", encoding="utf-8")
    with pytest.warns(UserWarning, match="tool.exe"):
        status = verbatim.upload([str(good), str(bad), str(clash)])
    assert "2 of 3 saved" in status and "Not saved" in status
    assert (verbatim.docs_dir / "fresh-notes.txt").is_file()
    assert (verbatim.docs_dir / SEED.replace(".txt", "-2.txt")).read_text() == "Not the seed."
    assert not (verbatim.docs_dir / "tool.exe").exists()
    with pytest.warns(UserWarning, match="No file"):
        verbatim.upload([])


# -- rebuild and the index panel ----------------------------------------------------------------


class RecordingProgress:
    def __init__(self):
        self.calls = []

    def __call__(self, value, desc=None, **_):
        self.calls.append((value, desc))


def test_rebuild_reports_and_swaps_the_index(verbatim, tmp_path):
    before = verbatim.live.index
    assert "3 files" in verbatim.index_summary()
    new = tmp_path / "zeppelin.txt"
    new.write_text("The zeppelin hangar at Kestrow holds nine airships.", encoding="utf-8")
    uploading = RecordingProgress()
    uploaded = verbatim.upload([str(new)], progress=uploading)
    assert any(desc and "Embedding" in desc for _, desc in uploading.calls)  # with progress
    assert "**Indexed** in " in uploaded and "1 new file answerable now." in uploaded
    _, sources = verbatim.ask("zeppelin hangar Kestrow airships")  # at once, no Rebuild click
    assert sources[0]["source"] == "zeppelin.txt"
    assert "Added (1): zeppelin.txt" in verbatim.last_report()
    (verbatim.docs_dir / "004_0496f1b9ade24f07.txt").unlink()
    (verbatim.docs_dir / "empty.md").write_text("", encoding="utf-8")
    progress = RecordingProgress()
    report, summary = verbatim.rebuild(progress=progress)
    assert "Added (0)" in report
    assert "Removed (1): 004&#95;0496f1b9ade24f07.txt" in report
    assert "Unchanged (3)" in report and "Changed (0)" in report
    assert "Skipped (1): empty.md (" in report
    assert "3 files" in summary and "Skipped: empty.md" in summary
    assert progress.calls  # the rebuild's own progress
    assert verbatim.live.index is not before  # the new version took over ...
    assert before.answer("Anthropic revenue").question  # ... and the old one still answers
    _, sources = verbatim.ask("zeppelin hangar Kestrow airships")
    assert sources[0]["source"] == "zeppelin.txt"


def test_an_upload_that_cannot_be_indexed_says_why_and_a_refusal_names_it(verbatim, tmp_path):
    scan = tmp_path / "harbour-survey.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)  # no readable text
    status = html.unescape(verbatim.upload([str(scan)], progress=RecordingProgress()))
    assert "harbour-survey.pdf saved" in status
    assert "**Not indexed:** harbour-survey.pdf: corrupt PDF" in status
    assert "0 new files answerable now." in status
    answer, _ = verbatim.live.answer("How long is the harbour wall at Brackwater?")
    assert answer.refused
    assert "harbour-survey.pdf was not indexed (corrupt PDF" in answer.reason
    assert "it might hold the answer." in answer.reason
    answer, _ = verbatim.live.answer("What colour is the lighthouse at Skerrow?")
    assert answer.refused and "harbour-survey.pdf" not in answer.reason  # no shared word


def test_rebuild_failure_is_one_sentence(tmp_path, fake_embedder):
    state = app.Verbatim(tmp_path / "missing", tmp_path / "index", Settings(), fake_embedder)
    with pytest.raises(gr.Error, match="does not exist"):
        state.rebuild(progress=RecordingProgress())


# -- follow-up questions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        ("How much money does Anthropic make a year?", "and Google?",
         "How much money does Google make a year?"),
        ("How much money does Anthropic make a year?", "What about Google DeepMind?",
         "How much money does Google DeepMind make a year?"),
        ("What is Anthropic's annual revenue?", "and OpenAI?", "What is OpenAI's annual revenue?"),
        ("Why did Anthropic pause the tool?", "When did they decide it?",
         "Why did Anthropic pause the tool? When did they decide it"),
        ("Why did Anthropic pause the tool?", "and the costs?",
         "Why did Anthropic pause the tool? the costs"),
        ("Why did Anthropic pause the tool?", "Why?",
         "Why? — the reason behind the answer to: Why did Anthropic pause the tool?"),
        ("Why did Anthropic pause the tool?", "What is a jailbreak in AI models?",
         "What is a jailbreak in AI models?"),
        ("Why did Anthropic pause the tool?",
         "What is the scaling policy and why does it matter to regulators?",
         "What is the scaling policy and why does it matter to regulators?"),
        ("", "and Google?", "and Google?"),
        # A short question that names its own subject is complete, never rewritten.
        ("How much money does OpenAI make a year?", "Who founded Anthropic?",
         "Who founded Anthropic?"),
        ("Who founded Anthropic?", "What is RSP?", "What is RSP?"),
        ("Who founded Anthropic?", "Is it profitable?", "Who founded Anthropic? Is it profitable"),
        ("Who founded Anthropic?", "How much?", "Who founded Anthropic? How much"),
    ],
)  # fmt: skip
def test_follow_up_is_read_with_the_previous_question(previous, question, expected):
    assert followups.contextual_question(question, previous) == expected


def test_follow_ups_chain_through_the_history():
    history = [
        {"role": "user", "content": [{"type": "text", "text": "What does Anthropic earn?"}]},
        {"role": "assistant", "content": "…"},
        {"role": "user", "content": "and Google?"},
        {"role": "assistant", "content": "…"},
    ]
    questions = followups.user_questions(history)
    assert questions == ["What does Anthropic earn?", "and Google?"]
    assert followups.resolved_previous(questions) == "What does Google earn?"
    assert followups.contextual_question("and OpenAI?", followups.resolved_previous(questions)) == (
        "What does OpenAI earn?"
    )


def test_chat_follow_up_says_how_it_was_read(verbatim):
    history, _, _, readings, undo = verbatim.respond("What is Anthropic's annualized revenue?", [])
    assert undo["visible"] == "hidden"  # a complete question: nothing to undo
    history, _, _, readings, undo = verbatim.respond("and OpenAI?", history, readings)
    assert len(history) == 4
    assert "Read as a follow-up: What is OpenAI's annualized revenue?" in _text(history[-1])
    assert _text(history[-2]) == "and OpenAI?"  # the chat shows what the user typed
    assert readings[-1][:2] == ["and OpenAI?", "What is OpenAI's annualized revenue?"]
    assert undo["visible"] is True and "and OpenAI?" in undo["value"]
    # Undo: the same question answered as typed, the follow-up note gone, later follow-ups
    # build on the question as typed.
    history, _, readings, undo = verbatim.ask_on_its_own(history, readings)
    assert len(history) == 4 and "Read as a follow-up" not in _text(history[-1])
    assert readings[-1][:2] == ["and OpenAI?", "and OpenAI?"] and undo["visible"] == "hidden"


# -- starting it ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("0.0.0.0", False),
     ("192.168.1.5", False), ("example.org", False)],
)  # fmt: skip
def test_is_loopback(host, loopback):
    assert Settings(host=host).listens_publicly() is not loopback


def test_open_host_without_auth_warns(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("VERBATIM_AUTH", raising=False)
    # A folder whose parent is missing too is not created: the start stops with a sentence.
    code = app.main(["--docs", str(tmp_path / "no" / "none"), "--index", str(tmp_path / "i"),
                     "--host", "0.0.0.0"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1
    assert "warning: listening on 0.0.0.0 without a password" in err
    assert "error: The documents folder" in err and "Traceback" not in err


def test_auth_from_environment_silences_the_warning(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("VERBATIM_AUTH", "reader:s3cret")
    code = app.main(["--docs", str(tmp_path / "no" / "none"), "--index", str(tmp_path / "i"),
                     "--host", "0.0.0.0"])  # fmt: skip
    assert code == 1 and "without a password" not in capsys.readouterr().err


def test_half_given_auth_is_refused(capsys):
    assert app.main(["--auth", "reader"]) == 1
    assert "--auth must be user:password" in capsys.readouterr().err


def test_page_has_stable_ids_and_api_names(seeds_copy, tmp_path, fake_embedder):
    demo = app.create_app(seeds_copy, tmp_path / "index", Settings(), fake_embedder)
    config = demo.get_config_file()
    ids = {c["props"].get("elem_id") for c in config["components"]}
    assert {"chat", "question", "sources", "upload", "rebuild", "report"} <= ids
    events = {fn.api_name: fn for fn in demo.fns.values()}
    assert {"ask", "rebuild", "upload"} <= events.keys()
    assert events["rebuild"].concurrency_limit == 1
    assert events["ask"].concurrency_limit > 1
    assert isinstance(app.demo, gr.Blocks)  # the module-level page, built without a model


def test_examples_are_offered_beside_the_seeds(seeds_copy, tmp_path, fake_embedder):
    with_seeds = app.create_app(seeds_copy, tmp_path / "i", Settings(), fake_embedder)
    other = tmp_path / "other"
    other.mkdir()
    without = app.create_app(other, tmp_path / "j", Settings(), fake_embedder)

    def example_texts(demo):  # the labels of the example buttons
        config = demo.get_config_file()
        return [
            c["props"].get("value")
            for c in config["components"]
            if "example" in (c["props"].get("elem_classes") or [])
        ]

    assert "How much money does Anthropic make a year?" in example_texts(with_seeds)
    assert "How much money does Anthropic make a year?" not in example_texts(without)


def test_startup_builds_then_serves(monkeypatch, seeds_copy, tmp_path, fake_embedder):
    """main() builds a missing index before launching, on loopback with the given port."""
    launched = {}

    def fake_launch(self, **kwargs):
        launched.update(kwargs)

    monkeypatch.setattr(gr.Blocks, "launch", fake_launch)
    original = app.Verbatim.__init__

    def with_fake(self, docs_dir, index_dir, settings=None, embedder=None):
        original(self, docs_dir, index_dir, settings, fake_embedder)

    monkeypatch.setattr(app.Verbatim, "__init__", with_fake)
    code = app.main(["--docs", str(seeds_copy), "--index", str(tmp_path / "idx"), "--port", "0"])
    assert code == 0
    assert launched["server_name"] == "127.0.0.1" and launched["server_port"] == 0
    assert launched["auth"] is None
    assert len(load_index(tmp_path / "idx", Settings(), fake_embedder).manifest.files) == 3


def test_document_text_is_the_indexed_text_of_each_file(verbatim):
    choices = verbatim.indexed_files().choices
    names = [c[0] if isinstance(c, tuple) else c for c in choices]
    assert names == sorted(p.name for p in verbatim.docs_dir.glob("*.txt"))
    for name in names:
        with open(verbatim.docs_dir / name, encoding="utf-8", newline="") as handle:
            assert verbatim.document_text(name) == handle.read()
    assert verbatim.document_text(None) == ""
    with pytest.raises(gr.Error, match="not in the index"):
        verbatim.document_text("../../etc/passwd")


def test_index_panel_shows_the_model_name_as_it_is():
    text = panels.manifest_markdown(Manifest("all-MiniLM-L6-v2 [onnx-int8]", 384, {}, {}))
    assert "`all-MiniLM-L6-v2 [onnx-int8]`" in text


def test_the_sweeper_deletes_only_old_files(tmp_path):
    old, new = tmp_path / "old-body", tmp_path / "new-body"
    old.write_bytes(b"rejected upload")
    new.write_bytes(b"upload in flight")
    os.utime(old, (0, 0))  # written long ago
    assert uploads.sweep(tmp_path, max_age=600) == 1
    assert not old.exists() and new.exists()


def test_export_then_verify_then_edit_the_file(verbatim, tmp_path):
    from indexer.page.conversation_export import verify

    history, _, _, readings, _ = verbatim.respond("Anthropic annualized revenue estimated", [])
    history, _, _, readings, _ = verbatim.respond("Llama downloads", history, readings)
    markdown, data = verbatim.export(readings)
    assert markdown.endswith(".md") and "Anthropic annualized revenue" in Path(markdown).read_text()
    results = verify(data, verbatim.docs_dir)
    assert results and all(status == "stands" for status, _ in results)
    status, quote = results[0]
    source = verbatim.docs_dir / quote["source"]
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace(quote["text"], quote["text"].upper()), encoding="utf-8")
    again = dict((q["text"], s) for s, q in verify(data, verbatim.docs_dir))
    assert again[quote["text"]] == "changed"
    source.unlink()
    assert all(
        s == "vanished"
        for s, q in verify(data, verbatim.docs_dir)
        if q["source"] == quote["source"]
    )
    with pytest.raises(gr.Error, match="Nothing to export"):
        verbatim.export([])


def test_export_escapes_questions_and_keeps_a_follow_up_as_typed_and_as_read(verbatim):
    import json

    typed = "# What is Anthropic's *annualized* [revenue](javascript:x)?"
    history, _, _, readings, _ = verbatim.respond(typed, [])
    history, _, _, readings, _ = verbatim.respond("and OpenAI?", history, readings)
    markdown, data = verbatim.export(readings)
    text = Path(markdown).read_text(encoding="utf-8")
    heading = "## \\# What is Anthropic's \\*annualized\\* \\[revenue\\]\\(javascript:x\\)?"
    assert heading in text.splitlines()
    assert "## and OpenAI?" in text.splitlines()
    assert "*Read as a follow-up: \\# What is OpenAI's \\*annualized\\*" in text
    turns = json.loads(Path(data).read_text(encoding="utf-8"))["turns"]
    assert [t["question"] for t in turns] == [typed, "and OpenAI?"]
    assert turns[1]["read_as"].startswith("# What is OpenAI's") and turns[0]["read_as"] == typed


def test_documents_panel_trash_restore_and_a_scoped_question(verbatim, tmp_path):
    (verbatim.docs_dir / "scan.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    report, _ = verbatim.rebuild(progress=RecordingProgress())
    rows = {row[0]: row for row in verbatim.documents()}
    assert rows[SEED][1] == "indexed" and rows[SEED][2] > 0
    assert rows["scan.pdf"][1].startswith("skipped: ")
    assert list(rows) == sorted(rows)
    assert [r[0] for r in verbatim.documents("scan")] == ["scan.pdf"]  # the filter
    # A file edited after indexing says so.
    with open(verbatim.docs_dir / "003_6e8c9ce309fc04e5.txt", "a", encoding="utf-8") as handle:
        handle.write("\nAn edit.\n")
    edited = {row[0]: row[1] for row in verbatim.documents()}
    assert edited["003_6e8c9ce309fc04e5.txt"].startswith("changed since indexed")

    # Delete: into the trash inside the index folder, and out of the index.
    report, _ = verbatim.trash(SEED, progress=RecordingProgress())
    assert not (verbatim.docs_dir / SEED).exists()
    assert f"Removed (1): {SEED.replace('_', '&#95;')}" in report
    (entry,) = [e for e in uploads_trash(verbatim) if e.endswith(SEED)]
    assert (verbatim.live.index_dir / "trash" / entry).is_file()
    with pytest.raises(gr.Error, match="No indexed file"):
        verbatim.ask_within("Anthropic revenue", SEED)
    # Restore: back in the folder and in the index.
    report, _ = verbatim.restore(entry, progress=RecordingProgress())
    assert (verbatim.docs_dir / SEED).is_file() and "Added (1)" in report
    # Ask within one file: every quote and related passage comes from it.
    text, sources = verbatim.ask_within("What is a jailbreak?", "003_6e8c9ce309fc04e5.txt")
    assert sources and {s["source"] for s in sources} == {"003_6e8c9ce309fc04e5.txt"}
    manage, trashed, scope = verbatim.choices()
    assert SEED in [c[0] if isinstance(c, tuple) else c for c in manage.choices]
    assert "003_6e8c9ce309fc04e5.txt" in [
        c[0] if isinstance(c, tuple) else c for c in scope.choices
    ]


def test_restore_works_with_the_readmes_relative_folders(seeds_copy, fake_embedder, monkeypatch):
    """`python app.py` defaults to the relative folders seeds/ and index/: restore works there."""
    monkeypatch.chdir(seeds_copy.parent)
    relative = app.Verbatim(
        Path(seeds_copy.name), Path("index"), Settings(min_answer_score=0.0), fake_embedder
    )
    relative.live.build()
    relative.trash(SEED, progress=RecordingProgress())
    (entry,) = uploads_trash(relative)
    report, _ = relative.restore(entry, progress=RecordingProgress())
    assert (seeds_copy / SEED).is_file() and "Added (1)" in report
    assert uploads_trash(relative) == []  # no stale entry left in the trash list
    assert SEED in relative.live.index.manifest.files


def test_upload_works_with_the_readmes_relative_folders(seeds_copy, fake_embedder, monkeypatch):
    """An upload into the relative seeds/ of `python app.py` is saved, indexed and reported."""
    monkeypatch.chdir(seeds_copy.parent)
    settings = Settings.from_env({"docs_dir": seeds_copy.name, "index_dir": "index"})
    assert settings.docs_dir == str(seeds_copy.resolve())  # resolved once, where it is read
    relative = app.Verbatim(
        Path(seeds_copy.name), Path("index"), Settings(min_answer_score=0.0), fake_embedder
    )
    relative.live.build()
    for n in (1, 2):  # the second upload is not confused with the first
        fact = seeds_copy.parent / f"kestrel {n}.txt"
        fact.write_text(f"The kestrel of tower {n} nests under the clock.", encoding="utf-8")
        status = relative.upload([str(fact)], progress=RecordingProgress())
        assert f"saved as kestrel-{n}.txt" in status and "1 new file answerable now." in status
        assert f"Added (1): kestrel-{n}.txt" in relative.last_report()
        _, sources = relative.ask(f"kestrel tower {n} nests clock")
        assert sources[0]["source"] == f"kestrel-{n}.txt"


def test_an_empty_folder_says_so_and_uploads_fill_it(tmp_path, fake_embedder):
    """No documents and no index: the page says how to add files, and an upload is answered."""
    empty = tmp_path / "empty"
    empty.mkdir()
    state = app.Verbatim(empty, tmp_path / "index", Settings(min_answer_score=0.0), fake_embedder)
    summary = html.unescape(state.index_summary())
    assert "The documents folder is empty." in summary and "upload box" in summary
    assert str(empty.resolve()) in summary.replace("\\", "")
    with pytest.raises(gr.Error, match="holds no documents yet: add files to it"):
        state.ask("Where does the kestrel nest?")
    fact = tmp_path / "kestrel.txt"
    fact.write_text("The kestrel nests under the clock of the old tower.", encoding="utf-8")
    status = state.upload([str(fact)], progress=RecordingProgress())
    assert "1 new file answerable now." in status
    _, sources = state.ask("Where does the kestrel nest?")
    assert sources[0]["source"] == "kestrel.txt"
    assert "1 file, " in state.index_summary()


def test_a_version_built_elsewhere_is_served_at_the_next_question(
    seeds_copy, tmp_path, fake_embedder, any_store
):
    """A build by another process (here build_index itself) is taken up, and so is its report."""
    from dataclasses import replace

    from indexer import build_index

    settings = replace(any_store, min_answer_score=0.0)
    verbatim = app.Verbatim(seeds_copy, tmp_path / "index", settings, fake_embedder)
    verbatim.live.build()
    (verbatim.docs_dir / "004_0496f1b9ade24f07.txt").unlink()
    verbatim.rebuild(progress=RecordingProgress())  # the page's own build, then one elsewhere
    shown = verbatim.version()
    fact = "The Orrin quarry lift carries eleven tonnes of slate."
    (verbatim.docs_dir / "quarry.txt").write_text(fact, encoding="utf-8")
    build_index(verbatim.docs_dir, verbatim.live.index_dir, verbatim.live.settings, fake_embedder)
    _, sources = verbatim.ask("Orrin quarry lift slate tonnes")  # no Rebuild clicked
    assert sources[0]["source"] == "quarry.txt" and sources[0]["text"] == fact
    assert verbatim.version() != shown
    assert "Added (1): quarry.txt" in verbatim.last_report()  # that build's report, not ours
    assert "Removed (0)" in verbatim.last_report()
    version, summary, report, *_ = verbatim.panels_if_new(shown)  # the page redraws ...
    assert version == verbatim.version() and "3 files" in summary and "quarry.txt" in report
    assert all(v == gr.skip() for v in verbatim.panels_if_new(version))  # ... once
    again, _ = verbatim.rebuild(progress=RecordingProgress())
    assert again.startswith("**Nothing new since the last rebuild.**")
    assert "Added (1): quarry.txt" in again


def uploads_trash(verbatim) -> list[str]:
    from indexer.page.library import trash_entries

    return trash_entries(verbatim.live.index_dir)


def test_a_second_rebuild_keeps_the_first_ones_report_in_view(verbatim):
    (verbatim.docs_dir / "004_0496f1b9ade24f07.txt").unlink()
    first, _ = verbatim.rebuild(progress=RecordingProgress())
    second, _ = verbatim.rebuild(progress=RecordingProgress())
    assert "Removed (1)" in first
    assert second.startswith("**Nothing new since the last rebuild.**")
    assert "Removed (1)" in second  # the first click's outcome is never replaced by an empty one
