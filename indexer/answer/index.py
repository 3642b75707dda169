"""An index that answers: the search stage's loaded version, with the answer pipeline on top."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from pathlib import Path

from ..embed.choice import embedder_for
from ..embed.embedders import Embedder
from ..read.terms import tokenize
from ..records import Answer
from ..search.find import nothing_quotable, quotable_rows
from ..search.local_index import LocalIndex, load_local_index
from ..search.query import check_question
from ..search.query_language import parse_query
from ..search.spelling import did_you_mean, respell
from ..settings import Settings
from .companion import answer_elsewhere
from .followups import why_of
from .pipeline import answer_question
from .questions import analyse
from .reasons import answer_why


def load_index(
    index_dir: str | Path = "index",
    settings: Settings | None = None,
    embedder: Embedder | None = None,
):
    """Open the index in service (index_dir, or Milvus if configured); refuse a mismatched one.

    Refuses, in one sentence, an index built with another model, splitter or format.
    """
    index_dir = Path(index_dir)
    settings = settings or Settings.from_env()
    embedder = embedder or embedder_for(settings)
    if settings.milvus_uri:
        from ..search import milvus_index  # only a Milvus index needs it (and pymilvus)

        index = milvus_index.load_milvus_index(settings, embedder, milvus_kind(), index_dir)
    else:
        index = load_local_index(index_dir, settings, embedder, Index)
    index.index_dir = index_dir  # where its multilingual companion is kept (answer.companion)
    return index


class Answers:
    """What the answer stage adds to a loaded index, from either store."""

    def answer(self, question: str, scope: str | None = None, progress=None) -> Answer:
        """Quote the sentences that answer question, or refuse if the documents do not.

        scope, a file or folder name, limits the answer to the files it names. A question in
        a language the index's model does not read is answered by its multilingual companion
        (answer.companion), built first if need be: progress hears that sentence, then the
        build's stages.
        """
        self.check_unchanged()
        elsewhere = answer_elsewhere(self, question, scope, progress, load_index)
        if elsewhere is not None:
            return elsewhere
        explained = why_of(question)
        if explained is not None:  # "Why?" after an answer: the cause given beside it
            return answer_why(self, question, self.answer(explained, scope))
        question = check_question(question, self.settings.max_query_chars)
        query = parse_query(question)
        evidence = self.within(scope) if scope else self
        if query.narrows:  # filters, "phrases" or -exclusions: only the passages they keep
            rows = quotable_rows(self, query, scope)
            if not len(rows):
                return Answer(question, refused=True, reason=nothing_quotable(self, query))
            evidence, question = self.within_rows(rows), query.question
        respelled = respell(evidence, question)
        answer = answer_question(evidence, respelled.question, phrases=query.phrases)
        answer = replace(answer, spelling=respelled.readings)
        if not answer.refused:
            return answer
        # A name the dictionary lists is not read as another, but the near one is offered.
        offer = did_you_mean(evidence, analyse(respelled.question).names)
        note = " ".join(
            filter(None, [answer.reason, offer, skipped_note(self.manifest.skipped, question)])
        )
        return replace(answer, reason=note)


def skipped_note(skipped, question: str) -> str:
    """Name the skipped files whose names share a word with the question, and why they were.

    Their text was never read, so a refusal cannot rule them out: "scan.pdf was not indexed
    (PDF with no text layer …): it might hold the answer."
    """
    asked = set(tokenize([question])[0])
    named = [s for s in skipped if asked & set(tokenize([re.sub(r"[\W_]+", " ", s.path)])[0])]
    return " ".join(
        f"{s.path} was not indexed ({s.reason}): it might hold the answer." for s in named[:3]
    )


class Index(Answers, LocalIndex):
    """A version in the index folder: searched, and answering questions with quotes."""


@cache
def milvus_kind() -> type:
    """Return the class of a version on Milvus that answers (made on first need: a local index
    does not import the Milvus search)."""
    from ..search import milvus_index

    class MilvusIndex(Answers, milvus_index.MilvusIndex):
        """A version on Milvus: searched, and answering questions with quotes."""

    return MilvusIndex
