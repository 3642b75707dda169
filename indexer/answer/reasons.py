"""Answer "why?" after an answer: the sentence beside the quote that gives its cause."""

from __future__ import annotations

import re

from ..records import Answer, Quote

# Words that state a cause or a purpose. "since" is a cause only when no date follows it.
CAUSE = re.compile(
    r"\b(because|due to|owing to|thanks to|as a result|as a consequence|caused by|driven by"
    r"|results? from|resulted from|resulting from|stems? from|stemmed from|led to|leads to"
    r"|reasons?|so that|in order to|therefore|thus|hence|consequently|which is why"
    r"|that is why|this is why|given that|since(?!\s+(?:\d|the (?:start|end|beginning))))\b",
    re.IGNORECASE,
)
NEAR = 2  # sentences (or rows) before or after the quote that may give its cause


def answer_why(index, question: str, explained: Answer) -> Answer:
    """Quote the cause given beside the explained answer's first quote, or say there is none.

    The cause is the nearest sentence within NEAR of the quote, in its passage or the
    passages next to it under the same heading, that states one (CAUSE); the quote itself
    if it does. Its likelihood is that of the answer it explains: how likely the cause is to be
    the right one is not measured. Never the answer again without a cause in it.
    """
    if explained.refused or not explained.quotes:
        return Answer(
            question,
            refused=True,
            related=explained.related,
            score=explained.score,
            reason=f"There is no answer to “{explained.question}” to give the reason for.",
        )
    quote = explained.quotes[0]
    units = _around(index, quote, explained.question)
    at = next(
        i for i, (_, start, end) in enumerate(units) if start < quote.end and end > quote.start
    )
    causes = [
        (abs(i - at), i < at, i)
        for i, (hit, start, end) in enumerate(units)
        if abs(i - at) <= NEAR and CAUSE.search(hit.text[start - hit.start : end - hit.start])
    ]
    if not causes:
        return Answer(
            question,
            refused=True,
            score=0.0,
            reason=(
                f"They give no reason beside the answer to “{explained.question}” "
                f"({explained.citation(quote)})."
            ),
        )
    hit, start, end = units[min(causes)[2]]
    cause = Quote(hit, start, end, quote.score)
    return Answer(question, refused=False, quotes=[cause], related=[hit], score=explained.score)


def _around(index, quote: Quote, asked: str) -> list:
    """Return (hit, start, end) of the units of the quote's passage and of the passages next
    to it under the same heading (a cause given in another section is another's)."""
    position = quote.hit.position
    hits = [quote.hit]
    vector = None
    for step in (-1, 1):
        neighbour = position + step
        if 0 <= neighbour < len(index):
            if vector is None:
                vector = index.encode_query(asked)
            hit = index.hit(neighbour, vector)
            if (hit.source, hit.heading) == (quote.hit.source, quote.hit.heading):
                hits.insert(0 if step < 0 else len(hits), hit)
    return [(hit, start, end) for hit in hits for _, start, end in index.units_of(hit.position)]
