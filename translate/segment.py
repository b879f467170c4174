"""Sentence segmentation that loses nothing: joining the pieces gives the text back."""

from __future__ import annotations

from dataclasses import dataclass

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
    for piece in segment(language, paragraph):
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
