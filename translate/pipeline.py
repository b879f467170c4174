"""Paragraph translation: paragraphs -> sentences -> one batched decode -> paragraphs back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from translate.engine import DecodeOptions, Engine
from translate.segment import Sentence, fit_sentences, join_sentences, split_sentences

if TYPE_CHECKING:
    from translate.enforce import Enforcer, Occurrence


@dataclass
class ParagraphResult:
    """One translated paragraph and what the glossary enforcement did in it."""

    source: str
    target: str
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def unresolved(self) -> bool:
        return any(o.unresolved for o in self.occurrences)


def split_paragraphs(paragraphs: Sequence[str], language: str = "en") -> list[list[Sentence]]:
    return [split_sentences(p, language) for p in paragraphs]


def translate_paragraphs(
    engine: Engine,
    paragraphs: Sequence[str],
    options: DecodeOptions = DecodeOptions(),
    enforcer: Enforcer | None = None,
    progress: Callable[[int], None] | None = None,
    language: str | None = None,
) -> list[ParagraphResult]:
    """Translate paragraphs; all their sentences go to the decoder together.

    Sentences are split with the rules of ``language`` (default: the
    package's source language), and a sentence longer than the model can
    take is split into parts that fit, each translated.
    """
    language = language or engine.source_language
    limit = engine.max_source_tokens
    split = [fit_sentences(sentences, lambda text: len(engine.tokenize(text)), limit)
             for sentences in split_paragraphs(paragraphs, language)]
    flat = [s.text for sentences in split for s in sentences]
    if enforcer is not None:
        outcome = enforcer.translate(engine, flat, options, progress=progress)
        targets, per_sentence = outcome.texts, outcome.occurrences
    else:
        hyps = engine.translate(flat, options, progress=progress)
        targets = [h[0].text for h in hyps]
        per_sentence = [[] for _ in flat]
    results: list[ParagraphResult] = []
    pos = 0
    for paragraph, sentences in zip(paragraphs, split):
        n = len(sentences)
        text = join_sentences(sentences, targets[pos : pos + n]) if n else paragraph
        occurrences = [o for occ in per_sentence[pos : pos + n] for o in occ]
        results.append(ParagraphResult(paragraph, text, occurrences))
        pos += n
    return results


def sentence_count(paragraphs: Sequence[str]) -> int:
    return sum(len(s) for s in split_paragraphs(paragraphs))
