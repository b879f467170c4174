"""Mentions: a source that names a term instead of using it ("which Armenians call Artsakh").

A name that is mentioned is the speaker's word, not our voice, so the judge
treats the occurrence as quoted. Which phrasings count is part of the
glossary (the top-level `mentions` list, docs/glossary-format.md); a glossary
without the key gets `DEFAULT_MENTIONS`, and `mentions: []` turns them off.

A phrasing is words around `{term}` (the glossary term itself, once):

- a word matches case-insensitively; `call|calls|called` lists alternatives;
- `{who}` stands for one to three words (`which {who} call {term}`);
- `{word}` stands for exactly one word (`call the {word} {term}`);
- any run of spaces matches any run of whitespace; punctuation is literal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from glossary.errors import GlossaryError

DEFAULT_MENTIONS: tuple[str, ...] = (
    "call|calls|called|calling it {term}",
    "call|calls|called|calling them {term}",
    "call|calls|called|calling the {word} {term}",
    "which|that|what {who} call|calls|called {term}",
    "known as {term}",
    "referred to as {term}",
    "name|names|named it {term}",
    "so-called {term}",
    "{term}, as {who} call|calls|called it",
)

_WORD = r"[\w'’-]+"
_PLACEHOLDERS = {"{who}": rf"{_WORD}(?:\s+{_WORD}){{0,2}}", "{word}": _WORD}


class MentionError(GlossaryError):
    """A mention phrasing the judge cannot use (no {term}, or two)."""


def _part(text: str) -> str:
    pieces: list[str] = []
    for token in re.split(r"(\s+|\{who\}|\{word\})", text):
        if not token:
            continue
        if token.isspace():
            pieces.append(r"\s+")
        elif token in _PLACEHOLDERS:
            pieces.append(_PLACEHOLDERS[token])
        elif "|" in token and all(alt for alt in token.split("|")):
            pieces.append("(?:" + "|".join(re.escape(alt) for alt in token.split("|")) + ")")
        else:
            pieces.append(re.escape(token))
    return "".join(pieces)


@dataclass(frozen=True)
class Mention:
    """One compiled phrasing: what must stand before and after the term."""

    text: str
    before: re.Pattern[str] | None
    after: re.Pattern[str] | None

    def matches(self, source: str, start: int, end: int) -> bool:
        if self.before is not None and not self.before.search(source, 0, start):
            return False
        return self.after is None or bool(self.after.match(source, end))


def compile_mention(text: str) -> Mention:
    """A phrasing as two anchored patterns; MentionError if it has no single {term}."""
    if text.count("{term}") != 1:
        raise MentionError("a mention needs {term} exactly once")
    head, tail = text.split("{term}")
    before = after = None
    if head.strip():
        # Ends right before the term, at a word boundary.
        before = re.compile(r"(?:^|(?<=\W))" + _part(head.strip()) + (r"\s+" if head.endswith(" ") else "") + r"\Z",
                            re.IGNORECASE)
    if tail.strip():
        after = re.compile((r"\s*" if not tail.startswith(" ") else r"\s+") + _part(tail.strip()) + r"(?!\w)",
                           re.IGNORECASE)
    if before is None and after is None:
        raise MentionError("a mention needs words around {term}")
    return Mention(text, before, after)


class Mentions:
    """The glossary's phrasings, compiled once."""

    def __init__(self, phrasings: Sequence[str] | None) -> None:
        self.phrasings = tuple(DEFAULT_MENTIONS if phrasings is None else phrasings)
        self._compiled = [compile_mention(p) for p in self.phrasings]

    def mentioned(self, source: str, start: int, end: int) -> bool:
        """Whether the term at source[start:end] is named by one of the phrasings."""
        return any(m.matches(source, start, end) for m in self._compiled)
