"""The Sources panel, the viewer and the Documents panel as rendered: stale quotes said
everywhere, the trash named as people read it, each file's own time of indexing."""

import json
import os
import re
import tempfile
from datetime import datetime, timezone
from pathlib import Path

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("GRADIO_TEMP_DIR", tempfile.mkdtemp(prefix="verbatim-gradio-"))

import gradio as gr  # noqa: E402
import pytest  # noqa: E402

from indexer.page import library  # noqa: E402
from indexer.page.render import sources_html  # noqa: E402
from indexer.page.viewer import document_html, parse_link  # noqa: E402
from indexer.search.freshness import Freshness  # noqa: E402
from indexer.store import disk  # noqa: E402
from indexer.store.manifest import Manifest  # noqa: E402

from . import test_app_handlers  # noqa: E402
from .test_app_handlers import SEED, RecordingProgress  # noqa: E402

verbatim = test_app_handlers.verbatim  # the app over a copy of the seeds (a fixture)

OTHER = "003_6e8c9ce309fc04e5.txt"
STALE = "The file changed since it was indexed"


def _edit(path: Path) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\nA line added after indexing.\n")


# -- item 7: a stale quote is said wherever it is shown ----------------------------------------


def test_freshness_says_changed_or_deleted(tmp_path):
    import hashlib

    (tmp_path / "a.txt").write_text("one", encoding="utf-8")
    (tmp_path / "b.txt").write_text("two", encoding="utf-8")
    recorded = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()}
    fresh = Freshness(str(tmp_path), recorded)
    assert fresh.change("a.txt") == "" and not fresh.is_stale("a.txt")
    (tmp_path / "a.txt").write_text("one, edited", encoding="utf-8")
    (tmp_path / "b.txt").unlink()
    assert fresh.change("a.txt") == "changed" and fresh.is_stale("a.txt")
    assert fresh.change("b.txt") == "deleted" and fresh.is_stale("b.txt")
    assert fresh.change("never-indexed.txt") == ""


def _sources_and_viewer(verbatim, question: str):
    """Ask in the chat; return the answer's first source, the Sources panel and the viewer."""
    history, _, sources, _, _ = verbatim.respond(question, [])
    link = re.search(r'href="(#cite=[^"]+)"', sources)[1]
    viewer, _, _ = verbatim.open_citation(link.replace("&#37;", "%"))
    return parse_link(link)[0], history[-1]["content"], sources, viewer


def test_a_stale_quote_is_marked_in_the_sources_panel_and_the_viewer(verbatim):
    question = "How much money does Anthropic make a year?"
    source, _, sources, viewer = _sources_and_viewer(verbatim, question)
    assert STALE not in sources and STALE not in viewer  # fresh: nothing said
    _edit(verbatim.docs_dir / source)
    _, chat, sources, viewer = _sources_and_viewer(verbatim, question)
    assert "the file changed since it was indexed" in chat  # as the chat said before
    card = sources.split("</section>")[0]
    assert STALE in card and 'class="stale-note"' in card
    # In the viewer the notice stands above the scrolled lines, beside the file's name.
    assert STALE in viewer
    assert viewer.index("stale-note") < viewer.index('<div class="doc"')
    # Opened by name, not through a citation, the viewer says it too.
    by_name, _, _ = verbatim.open_citation(source)
    assert STALE in by_name
    (verbatim.docs_dir / source).unlink()
    gone, _, _ = verbatim.open_citation(source)
    assert "The file was deleted since it was indexed" in gone


def test_a_stale_related_passage_of_a_refusal_is_marked(verbatim):
    from indexer.records import Answer

    hit = verbatim.live.index.search("Anthropic revenue", 1)[0]
    _edit(verbatim.docs_dir / hit.source)
    stale = verbatim.live.index.search("Anthropic revenue", 1)[0]
    refusal = Answer("q", refused=True, related=[stale], reason="Not said.")
    assert STALE in sources_html(refusal)
    assert STALE not in sources_html(Answer("q", refused=True, related=[hit], reason="No."))


def test_the_viewers_title_and_toggle_stand_outside_the_scrolled_box():
    text = "\n".join(f"line {n}" for n in range(1, 50))
    view = document_html("a.txt", text, (7, 13), link="#cite=7:13:a.txt")
    scrolled = view[view.index('<div class="doc"') :]
    assert "wrap-toggle" in view and "wrap-toggle" not in scrolled
    assert "doc-title" not in scrolled and 'data-cite="#cite=7:13:a.txt"' in scrolled
    assert "<mark>" in scrolled


# -- item 10: the Documents panel --------------------------------------------------------------


def test_restore_or_trash_with_nothing_chosen_warns_and_marks_nothing_failed(verbatim):
    for handler, sentence in ((verbatim.restore, "Choose a file in the trash to restore"),
                              (verbatim.trash, "Choose a file to move to the trash")):  # fmt: skip
        with pytest.warns(UserWarning, match=sentence):
            outputs = handler(None, progress=RecordingProgress())
        assert all(isinstance(o, type(gr.skip())) and o == gr.skip() for o in outputs)
    with pytest.warns(UserWarning, match="not in the trash"):
        outputs = verbatim.restore(
            "20240101-000000-000000/nothing.txt", progress=RecordingProgress()
        )
    assert outputs == (gr.skip(), gr.skip())


def test_the_trash_list_names_each_file_and_when_it_was_trashed(verbatim):
    before = datetime.now()
    verbatim.trash(SEED, progress=RecordingProgress())
    _, trashed, _ = verbatim.choices()
    ((label, value),) = trashed.choices
    stamp, name = value.split("/", 1)
    assert name == SEED and re.fullmatch(r"\d{8}-\d{6}-\d{6}", stamp)
    when = datetime.strptime(stamp, "%Y%m%d-%H%M%S-%f")
    assert abs((when - before).total_seconds()) < 60
    assert label == f"{SEED} — trashed {when.day} {when:%b} {when:%H:%M}"
    assert stamp not in label
    # The value is still what restore takes.
    report, _ = verbatim.restore(value, progress=RecordingProgress())
    assert (verbatim.docs_dir / SEED).is_file() and "Added (1)" in report


def test_a_trashed_file_in_a_folder_keeps_its_folder_and_an_old_year_is_said():
    stamp = "20231207-175842-857594"
    assert library._trash_label(f"{stamp}/notes/q3-sales.pptx") == (
        "notes/q3-sales.pptx — trashed 7 Dec 2023 17:58"
    )
    assert library._trash_label("odd/thing.txt") == "odd/thing.txt"  # not ours: as it is


class _Clock:
    """Stands in for datetime in the store: each version says it was built at the next given
    time (write_version asks the time twice: its built_at, then its folder's unique stamp)."""

    def __init__(self, *times):
        self.times, self.calls = list(times), 0

    def now(self, tz=None):
        self.calls += 1
        return self.times.pop(0) if self.calls % 2 else datetime.now(tz)


def _local(iso: str) -> str:
    moment = datetime.fromisoformat(iso).astimezone()
    year = "" if moment.year == datetime.now().year else f" {moment.year}"
    return f"{moment.day} {moment:%b}{year} {moment:%H:%M}"


def test_each_file_shows_when_its_own_content_was_indexed(verbatim, monkeypatch):
    first = verbatim.live.index.manifest.built_at
    second, third = (datetime(2024, 3, d, h, 30, tzinfo=timezone.utc) for d, h in ((2, 10), (5, 8)))
    monkeypatch.setattr(disk, "datetime", _Clock(second, third))
    _edit(verbatim.docs_dir / SEED)
    verbatim.rebuild(progress=RecordingProgress())
    rows = {row[0]: row[4] for row in verbatim.documents()}
    assert rows[SEED] == _local(second.isoformat())  # embedded again: this build
    assert rows[OTHER] == _local(first)  # unchanged: when it was embedded, not the last build
    # A rename and an identical copy are not embedded again: they keep their content's time.
    (verbatim.docs_dir / OTHER).rename(verbatim.docs_dir / "renamed.txt")
    (verbatim.docs_dir / "copy.txt").write_bytes((verbatim.docs_dir / SEED).read_bytes())
    verbatim.rebuild(progress=RecordingProgress())
    rows = {row[0]: row[4] for row in verbatim.documents()}
    assert rows["renamed.txt"] == _local(first)
    assert rows["copy.txt"] == rows[SEED] == _local(second.isoformat())
    manifest = verbatim.live.index.manifest
    assert manifest.built_at.startswith("2024-03-05")
    assert manifest.files["renamed.txt"].indexed_at == first


def test_an_index_from_before_the_field_loads_and_says_its_build_time(verbatim):
    record = json.loads(verbatim.live.index.manifest.to_json())
    for entry in record["files"].values():
        del entry["indexed_at"]  # as a manifest written before it was recorded
    old = Manifest.from_record(record)
    assert old.indexed_at(SEED) == old.built_at != ""
    assert old.indexed_at("not-indexed.txt") == ""


def test_moving_to_the_trash_names_the_file_not_the_trash_folder(verbatim, capsys):
    verbatim.trash(SEED, progress=RecordingProgress())
    said = capsys.readouterr().out  # outside a page, Gradio prints its toast
    assert f"{SEED} is in the trash; Restore (Documents panel) brings it back." in said
    assert not re.search(r"\d{8}-\d{6}-\d{6}", said), said
