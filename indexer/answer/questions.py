"""Read what a question asks for: a number, a date, a named thing, a table row."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .kinds_asked import ALIASES, asked_kinds
from .kinds_found import holds

_NUMBER_QUESTION = re.compile(
    r"\bhow (many|much|long|old|far|big|large|often|fast|tall)\b"
    r"|\bwhat (percentage|percent|share|number|amount|proportion|fraction|rate)\b"
    r"|\bby (how much|what percentage)\b",
    re.IGNORECASE,
)
_DATE_QUESTION = re.compile(
    r"\bwhen\b|\b(what|which) (date|day|month|year|decade|century)\b"
    r"|\bin what (month|year|decade)\b|\bwhat time\b",
    re.IGNORECASE,
)
# "How much money ...", "what did it cost": an amount of money, not any number.
_MONEY_QUESTION = re.compile(
    r"\bhow much money\b|\bhow much (does|did|do|is|was|were|are|will|would|has|had)\b.*"
    r"\b(cost|costs|earn|earns|earned|make|makes|made|pay|pays|paid|charge|charged|worth|spend"
    r"|spent|raise|raised)\b|\bwhat (is|was|were|are) the (price|cost|revenue|budget|salary|fee)\b",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"[$€£¥]|\b(dollars?|euros?|pounds?|yen|usd|eur|gbp|cents?|francs?|rupees?|yuan)\b", re.I
)
# "On what date ...", "which year ...": a calendar date, not "after the war".
_CALENDAR_QUESTION = re.compile(
    r"\b(what|which) (date|day|month|year|decade|century)\b", re.IGNORECASE
)
_NAME_QUESTION = re.compile(
    r"\b(who|whom|whose)\b|\b(which|what)(\s+[\w-]+){0,2}?\s+(agency|agencies|company|companies|organi[sz]ation"
    r"|person|people|country|countries|city|regulator|body|bodies|lab|firm|university)\b",
    re.IGNORECASE,
)
# "how many enterprise clients does ..." -> "enterprise clients": what is being counted.
_COUNTED = re.compile(
    r"\bhow many\s+(.+?)\s+(?:do|does|did|is|are|was|were|have|has|had|will|would|can|could)\b",
    re.IGNORECASE,
)
_TABLE_QUESTION = re.compile(r"\btables?\b", re.IGNORECASE)

_NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty"
    r"|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions"
    r"|dozen|dozens|half|twice|double|triple)\b",
    re.IGNORECASE,
)
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_CALENDAR = (
    rf"\b(1[0-9]\d\d|20\d\d)s?\b|\b({_MONTHS})\b\.?|\b(monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday)\b|\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b|\b\d{1,2}(st|nd|rd|th) century\b"
)
_CALENDAR_DATE = re.compile(_CALENDAR, re.IGNORECASE)
_DATE = re.compile(
    _CALENDAR + r"|\b(yesterday|today|tomorrow)\b"
    r"|\bq[1-4]\b|\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s?[ap]\.?m\b|\b(noon|midnight|morning|afternoon"
    r"|evening|night|dawn|dusk|o'clock|spring|summer|autumn|fall|winter|weekend|daily|weekly"
    r"|after|before|during|since|until|following|ago|later|earlier)\b",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"['’]s?$")
_WORD = re.compile(r"[\w'’.-]*\w", re.UNICODE)
# Scripts without capital letters: a name cannot be told from other words by its first letter.
UNCASED = frozenset(
    {"ar", "fa", "he", "ur", "hi", "bn", "ta", "te", "mr", "ne", "th", "lo", "km", "my", "zh"}
    | {"ja", "ko", "ka"}
    | {code for code, base in ALIASES.items() if base in {"ar", "hi", "zh"}}
)
_QUESTION_WORDS = {
    "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "is", "are",
    "was", "were", "do", "does", "did", "can", "could", "should", "would", "will", "in", "on",
    "according", "by", "to", "for", "of", "and", "the", "a", "an", "i",
}  # fmt: skip


@dataclass(frozen=True)
class QuestionNeeds:
    """What a quote must hold to answer the question."""

    number: bool
    money: bool  # an amount of money: "how much money", "what did it cost"
    date: bool
    calendar: bool  # a date on the calendar, asked with "what date/day/month/year"
    name: bool
    table: bool
    names: tuple[str, ...]  # proper names and codes the question mentions
    counted: str  # for "how many X ...", the X that the number must be about
    language: str = "en"  # ISO 639-1 code of the question's language, as detected


def has_number(text: str, language: str = "en") -> bool:
    """Whether text holds a number, in digits or words (English's or its language's)."""
    return bool(_NUMBER.search(text)) or holds(text, "has_number", language)


def has_money(text: str, language: str = "en") -> bool:
    """Whether text holds an amount of money (a currency sign or name)."""
    return bool(_MONEY.search(text)) or holds(text, "has_money", language)


def has_date(text: str, calendar: bool = False, language: str = "en") -> bool:
    """Whether text holds a date or a time expression (only a calendar date if calendar)."""
    found = (_CALENDAR_DATE if calendar else _DATE).search(text)
    return bool(found) or holds(text, "has_calendar" if calendar else "has_date", language)


def has_name(text: str, question: str, language: str = "en") -> bool:
    """Whether text names something the question does not (always, in a script without
    capitals: Arabic, Chinese, Hindi, Thai ... mark no name a word could be told by)."""
    return language in UNCASED or bool(new_names(text, question))


def analyse(question: str) -> QuestionNeeds:
    """Find what kind of answer the question wants, and the names it mentions."""
    from ..read.languages import detect

    return read_needs(question, detect(question))


def read_needs(question: str, language: str) -> QuestionNeeds:
    """Read a question's needs as written in a language: in English words, as before, and
    in its own words where kinds_asked.py has the language's table ("en" reads English only).
    """
    from ..read.languages import NOUNS_CAPITALISED

    # German capitalises every noun: there a capital letter does not mark a name.
    names = proper_names(question) if language not in NOUNS_CAPITALISED else []
    asked = asked_kinds(question, language) if language != "en" else frozenset()
    return QuestionNeeds(
        number=bool(_NUMBER_QUESTION.search(question)) or "number" in asked,
        money=bool(_MONEY_QUESTION.search(question)) or "money" in asked,
        date=bool(_DATE_QUESTION.search(question)) or bool(asked & {"date", "calendar"}),
        calendar=bool(_CALENDAR_QUESTION.search(question)) or "calendar" in asked,
        name=bool(_NAME_QUESTION.search(question)) or "person" in asked,
        table=bool(_TABLE_QUESTION.search(question)),
        names=tuple(names),
        counted=match.group(1) if (match := _COUNTED.search(question)) else "",
        language=language,
    )


def is_question(text: str) -> bool:
    """Whether a sentence is itself a question."""
    return text.rstrip().endswith("?")


def proper_names(text: str) -> list[str]:
    """Return capitalised words and codes that are not sentence openers or question words."""
    names = []
    for sentence in re.split(r"(?<=[.!?:])\s+|\n", text):
        words = _WORD.findall(sentence)
        for position, word in enumerate(words):
            if word.lower() in _QUESTION_WORDS:
                continue
            if word[0].isupper() and (position > 0 or word.isupper()) and len(word) > 1:
                names.append(_POSSESSIVE.sub("", word))
    return names


def new_names(text: str, question: str) -> list[str]:
    """Return the proper names in text that the question does not already mention."""
    asked = {n.lower() for n in proper_names(question)}
    return [n for n in proper_names(text) if n.lower() not in asked]
