"""Sentence segmentation that loses nothing: joining the pieces gives the text back."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# Argos codes that sentencex knows under another name.
_SEGMENTER_LANGUAGE = {"pb": "pt", "zt": "zh", "nb": "no"}
# Where a long sentence is best cut: after a clause mark, then at any space.
_CLAUSE_END = re.compile(r"[,;:\u2013\u2014)\]»”]\s+|\s+(?=[(\[«“])")
_SPACE = re.compile(r"\s+")
# Languages that write ordinals with a dot ("am 3. Okt.", "1. FC"): a number
# and its dot never end a sentence when a word follows.
_ORDINAL_DOT = frozenset(["de", "da", "nb", "no", "nn", "fi", "et", "lv", "lt", "cs", "sk", "sl", "hr", "sr", "bs", "hu", "tr", "is", "fo", "pl"])
_ENDS_IN_ORDINAL = re.compile(r"(?:^|\s)\d{1,3}\.$")

@dataclass(frozen=True)
class Sentence:
    """One sentence of a paragraph, with the whitespace around it kept aside."""

    lead: str  # whitespace before the sentence
    text: str  # what the model sees
    trail: str  # whitespace after the sentence

    def join(self, translated: str) -> str:
        return f"{self.lead}{translated}{self.trail}"


def split_sentences(paragraph: str, language: str = "en") -> list[Sentence]:
    """Split one paragraph into sentences offline.

    sentencex is rule-based (no model, no download) and keeps abbreviations
    such as "U.S.", decimals and ellipses inside their sentence. Its pieces
    keep their whitespace, so ``"".join`` of them is the paragraph; we still
    re-anchor each piece in the paragraph so the guarantee does not depend on
    the segmenter.
    """
    from sentencex import segment

    if not paragraph.strip():
        return []
    sentences: list[Sentence] = []
    pos = 0
    language = _SEGMENTER_LANGUAGE.get(language, language).replace("_", "-")
    try:
        pieces = list(segment(language, paragraph))
    except (KeyError, ValueError, LookupError):  # a language sentencex has no rules for
        pieces = list(segment("en", paragraph))
    if language.split("-")[0] in _ORDINAL_DOT:
        merged: list[str] = []
        for piece in pieces:
            if merged and _ENDS_IN_ORDINAL.search(merged[-1].rstrip()) and piece.strip()[:1].isalpha():
                merged[-1] += piece
            else:
                merged.append(piece)
        pieces = merged
    for piece in pieces:
        core = piece.strip()
        if not core:
            continue
        start = paragraph.find(core, pos)
        if start < 0:  # the segmenter altered the text: keep the paragraph whole
            return [_whole(paragraph)]
        gap = paragraph[pos:start]
        if gap.strip():  # text the segmenter skipped: keep the paragraph whole
            return [_whole(paragraph)]
        if sentences:  # whitespace between sentences stays with the earlier one
            prev = sentences[-1]
            sentences[-1] = Sentence(prev.lead, prev.text, gap)
            gap = ""
        sentences.append(Sentence(gap, core, ""))
        pos = start + len(core)
    tail = paragraph[pos:]
    if tail.strip() or not sentences:
        return [_whole(paragraph)]
    last = sentences[-1]
    sentences[-1] = Sentence(last.lead, last.text, tail)
    return sentences


def _whole(paragraph: str) -> Sentence:
    stripped = paragraph.strip()
    start = paragraph.find(stripped)
    return Sentence(paragraph[:start], stripped, paragraph[start + len(stripped):])


def join_sentences(sentences: list[Sentence], translations: list[str]) -> str:
    """Put translated sentences back with the original whitespace between them."""
    return "".join(s.join(t) for s, t in zip(sentences, translations, strict=True))


def fit_sentences(sentences: list[Sentence], count: Callable[[str], int], limit: int | None) -> list[Sentence]:
    """Split sentences longer than ``limit`` tokens into parts that fit, losing nothing.

    A model has a fixed number of positions; a 300-word sentence without a
    full stop would otherwise crash the decoder or be cut. Parts end after a
    clause mark where one is near, else at a space, else (a script without
    spaces) anywhere; the whitespace between parts is kept, so joining the
    translated parts keeps the layout.
    """
    if limit is None:
        return list(sentences)
    out: list[Sentence] = []
    for sentence in sentences:
        parts = _fit(sentence.text, count, limit)
        for k, (text, gap) in enumerate(parts):
            lead = sentence.lead if k == 0 else ""
            trail = sentence.trail if k == len(parts) - 1 else gap
            out.append(Sentence(lead, text, trail))
    return out


def _fit(text: str, count: Callable[[str], int], limit: int) -> list[tuple[str, str]]:
    """(part, whitespace after it) pieces of ``text``, each at most ``limit`` tokens."""
    if count(text) <= limit:
        return [(text, "")]
    # Candidate cuts: (end of part, start of next part); clause ends preferred.
    clause = [(m.start() if m.group()[0].isspace() else m.start() + 1, m.end())
              for m in _CLAUSE_END.finditer(text)]
    spaces = [(m.start(), m.end()) for m in _SPACE.finditer(text)]
    cuts = clause or spaces
    best: tuple[int, int] | None = None
    for end, start in cuts:
        if 0 < end < len(text) and count(text[:end]) <= limit:
            best = (end, start)
    if best is None and cuts is clause:
        for end, start in spaces:
            if 0 < end < len(text) and count(text[:end]) <= limit:
                best = (end, start)
    if best is None:
        # No space where one is needed: cut by characters, as many as fit.
        low, high = 1, len(text) - 1
        while low < high:
            mid = (low + high + 1) // 2
            if count(text[:mid]) <= limit:
                low = mid
            else:
                high = mid - 1
        best = (low, low)
    end, start = best
    return [(text[:end], text[end:start])] + _fit(text[start:], count, limit)
