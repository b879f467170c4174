"""Find quotations in running text.

A term inside a quotation is the speaker's word, so the checks need to know
which characters are quoted and how deeply. Handled: straight "..." and
'...', curly “...” and ‘...’, guillemets «...» and ‹...› (also reversed, as
German uses »...«), low-high „...“ / „...” and ‚...‘, nested quotations, and
apostrophes that are not quotes (Armenia's, countries', don't, let’s).

A quotation left open at the end of a paragraph (a line) runs to the end of
that paragraph: news style opens each paragraph of a long quotation again and
closes only the last one, so the open quote never leaks into the next line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Opening mark -> the closing marks that end it.
_CLOSERS: dict[str, str] = {
    "“": "”",  # English “...”
    "„": "“”",  # German „...“, Polish/Romanian „...”
    "‘": "’",
    "‚": "‘’",
    "«": "»",
    "»": "«",  # Danish/German »...«
    "‹": "›",
    "›": "‹",
    '"': '"',
    "'": "'",
    "”": "”",  # Swedish/Finnish ”...”
}
_QUOTE_CHARS = re.compile("[\"'“”„‘’‚«»‹›]")

Span = tuple[int, int, int]


def _is_word(char: str) -> bool:
    return char.isalnum()


def _paragraph_spans(text: str, offset: int, spans: list[Span]) -> None:
    # stack of (opening mark, start position)
    stack: list[tuple[str, int]] = []
    # closing mark -> the stack levels of the open quotations it would close,
    # innermost last: finding what a mark closes is one lookup, not a scan of
    # the stack, so a paragraph with thousands of unclosed quotes stays linear.
    closable: dict[str, list[int]] = {closer: [] for closers in _CLOSERS.values() for closer in closers}

    def push(mark: str, pos: int) -> None:
        for closer in _CLOSERS[mark]:
            closable[closer].append(len(stack))
        stack.append((mark, pos))

    def close_at(level: int, end: int) -> None:
        # Closing an outer quotation closes everything nested inside it too.
        while len(stack) > level:
            mark, start = stack.pop()
            for closer in _CLOSERS[mark]:
                closable[closer].pop()
            spans.append((offset + start, offset + end, len(stack) + 1))

    def open_index(closer: str) -> int | None:
        levels = closable[closer]
        return levels[-1] if levels else None

    length = len(text)
    for match in _QUOTE_CHARS.finditer(text):
        pos = match.start()
        char = match.group()
        before = text[pos - 1] if pos > 0 else " "
        after = text[pos + 1] if pos + 1 < length else " "
        word_before = _is_word(before)
        word_after = _is_word(after)

        if char in "'’":
            if word_before and word_after:
                continue  # apostrophe inside a word: don't, Armenia's, let’s
            level = open_index(char)
            if level is not None and not (word_after and not word_before):
                close_at(level, pos + 1)
                continue
            if char == "'" and not word_before and (word_after or after in "\"“‘"):
                push(char, pos)
            # otherwise a trailing apostrophe (countries', Jesus’) or stray mark
            continue
        if char in "‘":
            level = open_index(char)  # closes a German ‚...‘
            if level is not None and not word_after:
                close_at(level, pos + 1)
            elif not word_before:
                push(char, pos)
            # a ‘ after a letter is a misused apostrophe
            continue
        if char == '"':
            level = open_index(char)
            if level is not None:
                close_at(level, pos + 1)
            elif not (word_before and not word_after):
                push(char, pos)
            # a mark right after a word with nothing open (12" screen) is stray
            continue
        if char == "“":
            level = open_index(char)  # closes a German „...“
            if level is not None and not word_after:
                close_at(level, pos + 1)
            else:
                push(char, pos)
            continue
        if char == "”":
            level = open_index(char)
            if level is not None:
                close_at(level, pos + 1)
            elif not word_before:
                push(char, pos)  # Swedish ”...”
            continue
        if char in "«‹":
            level = open_index(char)  # closes a reversed »...«
            if level is not None and stack[level][0] in "»›":
                close_at(level, pos + 1)
            else:
                push(char, pos)
            continue
        if char in "»›":
            level = open_index(char)
            if level is not None:
                close_at(level, pos + 1)
            else:
                push(char, pos)
            continue
        # „ and ‚ only ever open
        push(char, pos)
    close_at(0, length)


def quoted_spans(text: str) -> list[Span]:
    """Quotations in `text` as (start, end, depth), sorted by start.

    `end` is exclusive and includes the closing mark; depth 1 is a quotation
    in our voice, depth 2 a quotation inside it, and so on. Each line is a
    paragraph.
    """
    spans: list[Span] = []
    offset = 0
    for paragraph in text.split("\n"):
        if _QUOTE_CHARS.search(paragraph):
            _paragraph_spans(paragraph, offset, spans)
        offset += len(paragraph) + 1
    spans.sort(key=lambda span: (span[0], -span[1]))
    return spans


def quote_depth(spans: Sequence[Span], pos: int) -> int:
    """How many quotations enclose position `pos` (0: our own voice)."""
    return max((level for start, end, level in spans if start <= pos < end), default=0)


def is_quoted(spans: Sequence[Span], pos: int) -> bool:
    """Whether position `pos` lies inside a quotation."""
    return quote_depth(spans, pos) > 0


def depths_at(spans: Sequence[Span], positions: Sequence[int]) -> list[int]:
    """Quote depth at many positions in one sweep (linear after sorting).

    Spans come from a stack, so they nest: the spans open at any position form
    a chain, and the innermost one (last pushed) has the greatest depth.
    """
    result = [0] * len(positions)
    if not spans:
        return result
    order = sorted(range(len(positions)), key=positions.__getitem__)
    chain: list[tuple[int, int]] = []  # (end, depth), innermost last
    index = 0
    for slot in order:
        pos = positions[slot]
        while index < len(spans) and spans[index][0] <= pos:
            start, end, level = spans[index]
            while chain and chain[-1][0] <= start:
                chain.pop()
            chain.append((end, level))
            index += 1
        while chain and chain[-1][0] <= pos:
            chain.pop()
        result[slot] = chain[-1][1] if chain else 0
    return result
