"""A term inside a name is not the term.

- a hyphenated variant whose head is a rendering and whose capitalised first
  part is no glossary term (`Hoch-Karabach`, `Нагорно-Карабах`) is a
  different name, not that rendering;
- in English, a term followed by a capitalised word that is no term is a
  modifier inside a name (`Azerbaijan Airlines`, `Armenian Gampr`), not the
  term.
"""

from __future__ import annotations

import re

from glossary.matching.tokens import TOKEN

__all__ = ["bound_head", "modifies_name"]

_HYPHENS = "-\u2010\u2011"


def bound_head(text: str, start: int, before: tuple[int, int] | None, covered: bool) -> bool:
    """Whether a match at `start` is the head of a hyphenated name (`Hoch-Karabach`).

    `before` is the span of the word before the match and `covered` whether
    a glossary match covers that word: `Armenien-Aserbaidschan-Konflikt`,
    `Karabach-Armenier` and lower-case combining forms (`армяно-`) stay
    matches.
    """
    if before is None or covered:
        return False
    gap = text[before[1] : start]
    return len(gap) == 1 and gap in _HYPHENS and text[before[0]].isupper()


def _headline(text: str) -> bool:
    # Title Case lines capitalise every long word; there capitals say nothing.
    long_words = [w for w in TOKEN.findall(text) if len(w) >= 4 and w.isalpha()]
    return len(long_words) >= 4 and sum(w[0].isupper() for w in long_words) >= 0.6 * len(long_words)


_NAME_RUN = re.compile(r"[^\W\d_][\w'\u2019-]*")


def modifies_name(text: str, start: int, end: int, term_starts: set[int]) -> bool:
    """Whether an English term at text[start:end] is a modifier inside a name.

    `Azerbaijan Airlines`, `Armenian Gampr`: the term is followed, after one
    space, by one or two capitalised words that start no glossary term, so
    the whole is a proper name (a firm, a breed) that need not render the
    term. Not so for `Karabakh Armenians` (a term follows), an acronym
    (`NATO Secretary-General`: the acronym is a name of its own), a title
    before a person's name (`Armenian Prime Minister Nikol Pashinyan`: a
    longer capitalised run) and Title Case headlines.
    """
    term = text[start:end]
    if not term[:1].isupper() or (len(term) > 1 and term.isupper()):
        return False
    position = end
    while position < len(text) and text[position] in " \t\u00a0":
        position += 1
    if position == end or position >= len(text) or not text[position].isupper():
        return False
    if position in term_starts:
        return False
    run = 0
    while position < len(text):
        word = _NAME_RUN.match(text, position)
        if word is None or not word.group()[0].isupper():
            break
        run += 1
        position = word.end()
        if position < len(text) and text[position] == " ":
            position += 1
        else:
            break
    return run <= 2 and not _headline(text)
