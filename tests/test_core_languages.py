"""Documents in other languages: detected, split into sentences and terms by their own rules,
and questions analysed in their language (answers in them: test_core_multilingual)."""

from __future__ import annotations

from indexer import Settings, build_index, load_index
from indexer.read.languages import detect
from indexer.read.sentences import sentence_spans
from indexer.read.terms import tokenize

from .fakes import FakeEmbedder

DOCUMENTS = {
    "de/hafen.txt": (
        "Der Hafen von Kiel\n\n"
        "Der Hafen wurde im Jahr 1242 gegründet. Heute legen dort jährlich etwa 180 "
        "Kreuzfahrtschiffe an. Die Fähre nach Oslo fährt täglich um 14 Uhr ab.\n"
    ),
    "zh/长城.txt": (
        "长城\n\n"
        "长城的总长度约为两万一千公里。它最早建于春秋战国时期。"
        "明朝时期修建的部分保存得最完整。\n"
    ),
    "ar/القاهرة.txt": (
        "القاهرة\n\n"
        "القاهرة هي عاصمة مصر وأكبر مدنها. يبلغ عدد سكانها نحو عشرين مليون نسمة. "
        "يمر نهر النيل عبر وسط المدينة.\n"
    ),
    "th/เชียงใหม่.txt": (
        "เชียงใหม่\n\n"
        "เชียงใหม่ก่อตั้งขึ้นในปี พ.ศ. 1839 โดยพญามังราย "
        "เมืองนี้มีวัดมากกว่าสามร้อยแห่ง "
        "ดอยสุเทพเป็นภูเขาที่อยู่ทางทิศตะวันตกของเมือง\n"
    ),
    "en/notes.txt": "The lighthouse keeper logged 412 ships in 1911.\n",
}


def test_each_document_language_is_detected_and_reported(tmp_path):
    docs = tmp_path / "docs"
    for name, text in DOCUMENTS.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    report = build_index(docs, tmp_path / "index", Settings(), FakeEmbedder())
    index = load_index(tmp_path / "index", Settings(), FakeEmbedder())
    languages = {name: entry.language for name, entry in index.manifest.files.items()}
    assert languages == {
        "de/hafen.txt": "de", "zh/长城.txt": "zh", "ar/القاهرة.txt": "ar",
        "th/เชียงใหม่.txt": "th", "en/notes.txt": "en",
    }  # fmt: skip
    assert "German" in report.languages and "Thai" in report.languages
    assert report.languages.split(", ")[0].endswith("German")  # the most text first


def test_sentences_follow_each_language():
    german = "Die Stadt hat ca. 3 Mio. Einwohner. Sie liegt am Rhein."
    spans = sentence_spans(german, language=detect(german))
    assert [german[s:e] for s, e in spans] == [
        "Die Stadt hat ca. 3 Mio. Einwohner.", "Sie liegt am Rhein."
    ]  # fmt: skip
    chinese = "长城很长。它建于古代！你去过吗？"
    assert [chinese[s:e] for s, e in sentence_spans(chinese, language="zh")] == [
        "长城很长。", "它建于古代！", "你去过吗？"
    ]  # fmt: skip
    from indexer.read.sentences import CLAUSE_RUN_CHARS

    clauses = [
        "เชียงใหม่ก่อตั้งขึ้นในปี พ.ศ. 1839", "โดยพญามังราย", "เมืองนี้มีวัดมากกว่าสามร้อยแห่ง",
        "ดอยสุเทพเป็นภูเขาที่อยู่ทางทิศตะวันตกของเมือง", "ทุกปีมีนักท่องเที่ยวจำนวนมาก",
        "ตลาดกลางคืนเปิดทุกวัน", "อาหารเหนือมีชื่อเสียงมาก", "ฤดูหนาวอากาศเย็นสบาย",
    ]  # fmt: skip
    thai = " ".join(clauses)
    pieces = [thai[s:e] for s, e in sentence_spans(thai, language="th")]
    # Units of clauses joined at spaces, each at least a sentence long (but the last), never
    # cut before the era's abbreviation or the year; every character kept.
    assert len(pieces) >= 2 and " ".join(pieces) == thai
    assert all(len(piece) >= CLAUSE_RUN_CHARS for piece in pieces[:-1])
    assert "ในปี พ.ศ. 1839" in pieces[0]
    assert all(any(p.startswith(c) for c in clauses) for p in pieces)  # at clause starts only


def test_keyword_terms_of_unspaced_scripts_are_letter_pairs():
    assert tokenize(["长城很长"]) == [["长城", "城很", "很长"]]
    assert tokenize(["foxes 北京"]) == [["fox", "北京"]]
    assert tokenize(["भारत एक देश है"]) == [["भारत", "एक", "देश", "है"]]  # vowel signs kept
    assert tokenize(["Москва — столица"]) == [["москва", "столица"]]


def test_german_nouns_are_not_names_the_documents_must_mention(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "hafen.txt").write_text(DOCUMENTS["de/hafen.txt"], encoding="utf-8")
    (docs / "notes.txt").write_text("The lighthouse keeper logged 412 ships in 1911.\n")
    settings = Settings(min_answer_score=-1.0)  # the fake model's scores say nothing
    build_index(docs, tmp_path / "index", settings, FakeEmbedder())
    index = load_index(tmp_path / "index", settings, FakeEmbedder())
    # "Gründungsjahr" is nowhere in the documents, but it is a German noun, not a name.
    german = index.answer("In welchem Gründungsjahr entstand der Hafen von Kiel?")
    assert "never mention" not in german.reason and not german.refused
    english = index.answer("How many ships did the keeper of Skagen Lighthouse log?")
    assert english.refused and "never mention Skagen" in english.reason


def test_keywords_lead_when_the_model_does_not_read_the_question_language():
    from indexer.search.fusion import UNREAD_DENSE_WEIGHT, dense_weight, fuse

    class Bundled:
        embedder = type("E", (), {"name": "all-MiniLM-L6-v2 [onnx-int8, passages pooled]"})()

        def languages(self):
            return frozenset({"en"})

    class Other:
        embedder = FakeEmbedder()

        def languages(self):
            return frozenset({"de"})

    assert (
        dense_weight(Bundled(), "Wann wurde der Hafen von Kiel gegründet?") == UNREAD_DENSE_WEIGHT
    )
    assert dense_weight(Bundled(), "When was the port of Kiel founded?") == 1.0
    assert dense_weight(Other(), "Wann wurde der Hafen von Kiel gegründet?") == 1.0
    dense = {1: 0.9, 2: 0.8, 3: 0.1}
    assert [row for row, _ in fuse(dense, [3, 2, 1], 3, 3)][0] == 1  # equal: the dense first wins
    assert [row for row, _ in fuse(dense, [3, 2, 1], 3, 3, weight=0.25)][0] == 3  # keywords lead


def test_a_folder_in_languages_the_model_does_not_read_is_told_so(tmp_path):
    from indexer.build.update import unread_note

    def bundled():  # the fake, named as the bundled English model is
        return FakeEmbedder(name="all-MiniLM-L6-v2 [onnx-int8, passages pooled]")

    docs = tmp_path / "docs"
    for name in ("de/hafen.txt", "zh/长城.txt", "en/notes.txt"):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(DOCUMENTS[name], encoding="utf-8")
    report = build_index(docs, tmp_path / "index", Settings(), bundled())
    assert "is in languages the model does not read" in report.model_note
    assert "(German, Chinese)" in report.model_note
    assert "VERBATIM_MODEL=multilingual-e5-small" in report.model_note
    assert any(line.startswith("note: ") for line in report.lines())
    assert report.lines()[-1] == report.summary()
    english = [d for d in _documents_of(docs) if d.language == "en"]
    assert unread_note(english, bundled()) == "" and unread_note(english, FakeEmbedder()) == ""


def _documents_of(docs):
    from indexer.read.documents import find_files, read_document

    return [read_document(docs, path, 10**6) for path in find_files(docs)]
