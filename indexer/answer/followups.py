"""Read a short follow-up ("and Google?") in the context of the conversation before it."""

from __future__ import annotations

import re

# A follow-up names a new subject ("and Google?") or leans on the last question ("why?").
# "Why?" asks for the cause of the last answer; it is read as this, with the question after it.
WHY_READ = "Why? — the reason behind the answer to: "
_WHY = re.compile(r"(why|how come|how so|for what reason|what for)\b", re.IGNORECASE)
# "why is that?", "why did they?": words that lean on the last answer without adding to it.
_WHY_LEANING = frozenset(
    {"is", "was", "are", "were", "do", "does", "did", "would", "could", "should", "has", "had"}
    | {"so", "not", "exactly", "then", "though", "again", "s"}
)
_FOLLOW_UP_LEADS = ("and what about", "and how about", "what about", "how about", "and", "also")
_PRONOUNS = frozenset(
    {"it", "its", "they", "them", "their", "theirs", "this", "that", "these", "those"}
    | {"he", "him", "his", "she", "her", "there"}
)
_FRAGMENT_WORDS = 2  # "Why?", "How much?": too short to be a question of its own
_PRONOUN_QUESTION_WORDS = 8  # a longer question usually names what its pronoun means
_WORD = re.compile(r"[\w$%'’.-]+")
# A run of capitalised words ("Google DeepMind", "Anthropic's"), the usual subject.
_PROPER_NOUNS = re.compile(r"\b[A-Z][\w&.-]*(?:(?:'s|’s)\b)?(?:\s+[A-Z][\w&.-]*(?:'s|’s)?)*")


def contextual_question(question: str, previous: str | None) -> str:
    """Read question in the context of the previous one when it is a follow-up.

    "and Google?" after "How much money does Anthropic make a year?" becomes "How much
    money does Google make a year?": the new name replaces the previous question's last
    proper noun. "Why?" (or "why is that?", "how come?") asks for the cause of the previous
    answer: it is read as WHY_READ followed by the previous question. Other follow-ups (a
    fragment such as "How much?", or a question leaning on a pronoun without naming anything)
    are joined to it. A question that names its own subject ("Who founded Anthropic?") is
    complete and read as it is.
    """
    question = question.strip()
    previous = (previous or "").strip()
    if not previous:
        return question
    if asks_why(question):  # "why?" after a why asks the same why, not a why of it
        return WHY_READ + (why_of(previous) or previous)
    explained = why_of(previous)
    if explained is not None:  # a follow-up of a why is one of the question it explains
        previous = explained
    lowered = question.lower()
    lead = next(
        (lead for lead in _FOLLOW_UP_LEADS if re.match(rf"{lead}\b", lowered)),
        None,
    )
    words = _WORD.findall(lowered)
    names_something = any(m.start() > 0 for m in _PROPER_NOUNS.finditer(question)) or any(
        word.isupper() and len(word) > 1 for word in _WORD.findall(question)
    )
    leans_on_pronoun = (
        len(words) <= _PRONOUN_QUESTION_WORDS
        and any(word in _PRONOUNS for word in words)
        and not names_something
    )
    if not (lead or len(words) <= _FRAGMENT_WORDS or leans_on_pronoun):
        return question
    rest = question[len(lead) :] if lead else question
    rest = rest.strip(" ,;:?!.")
    if lead and rest[:1].isupper():
        swapped = _swap_subject(previous, rest)
        if swapped:  # "and Google?" after a why asks the same why, for Google
            return swapped if explained is None else WHY_READ + swapped
    return f"{previous} {rest or question}".strip()


def asks_why(question: str) -> bool:
    """Whether a question only asks for the reason of what came before ("Why?", "why so?")."""
    words = _WORD.findall(question.lower())
    match = _WHY.match(question.strip())
    if not match or not words:
        return False
    rest = _WORD.findall(question.strip()[match.end() :].lower())
    return all(word in _WHY_LEANING or word in _PRONOUNS for word in rest)


def why_of(read: str) -> str | None:
    """Return the question whose answer a why-read asks the reason of, or None."""
    return read[len(WHY_READ) :].strip() if read.startswith(WHY_READ) else None


def _swap_subject(previous: str, subject: str) -> str | None:
    """Put subject in place of the last proper noun of previous (not its first word)."""
    runs = [m for m in _PROPER_NOUNS.finditer(previous) if m.start() > 0]
    if not runs:
        return None
    last = runs[-1]
    name = last.group()
    possessive = next((s for s in ("'s", "’s") if name.endswith(s)), "")
    if possessive and not subject.endswith(possessive):
        subject += possessive
    return previous[: last.start()] + subject + previous[last.end() :]


def user_questions(history: list | None) -> list[str]:
    """Return the user's questions from a chat history, oldest first."""
    return [_message_text(m) for m in history or [] if _role(m) == "user"]


def resolved_previous(questions: list[str]) -> str:
    """Resolve a chain of follow-ups and return the last question as it was read."""
    read = ""
    for question in questions:
        if question.strip():
            read = contextual_question(question, read)
    return read


def _role(message) -> str | None:
    return message.get("role") if isinstance(message, dict) else getattr(message, "role", None)


def _message_text(message) -> str:
    """Return the text of a chat message, whose content is a string or a list of parts."""
    content = message.get("content") if isinstance(message, dict) else message.content
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        content = [content]
    if isinstance(content, (list, tuple)):
        parts = [p.get("text", "") for p in content if isinstance(p, dict)]
        return " ".join(part for part in parts if part)
    return ""
