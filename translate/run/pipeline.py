"""Paragraph translation: paragraphs -> sentences -> one batched decode -> paragraphs back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from translate.argos.engine import Chain, DecodeOptions, Engine
from translate.run.segment import Sentence, fit_sentences, join_sentences, split_sentences

if TYPE_CHECKING:
    from translate.ladder.enforce import Enforcer
    from translate.ladder.outcomes import Occurrence


@dataclass
class ParagraphResult:
    """One translated paragraph and what the glossary enforcement did in it."""

    source: str
    target: str
    occurrences: list[Occurrence] = field(default_factory=list)
    pivot: str | None = None  # the paragraph in the intermediate language, when translated through one

    @property
    def unresolved(self) -> bool:
        return any(o.unresolved for o in self.occurrences)


def split_paragraphs(paragraphs: Sequence[str], language: str = "en") -> list[list[Sentence]]:
    return [split_sentences(p, language) for p in paragraphs]


def _tokens(engine: Engine) -> Callable[[str], int]:
    return lambda text: len(engine.tokenize(text))


def translate_paragraphs(
    engine: Engine | Chain,
    paragraphs: Sequence[str],
    options: DecodeOptions = DecodeOptions(),
    enforcer: Enforcer | None = None,
    progress: Callable[[int], None] | None = None,
    language: str | None = None,
) -> list[ParagraphResult]:
    """Translate paragraphs; all their sentences go to the decoder together.

    Sentences are split with the rules of ``language`` (default: the
    package's source language), and a sentence longer than the model can
    take is split into parts that fit, each translated. Through a Chain, the
    sentences are first decoded into the intermediate language, then
    enforced on the way into the target.
    """
    first = engine.first if isinstance(engine, Chain) else engine
    last = engine.second if isinstance(engine, Chain) else engine
    language = language or first.source_language
    split = [fit_sentences(sentences, _tokens(first), first.max_source_tokens)
             for sentences in split_paragraphs(paragraphs, language)]
    flat = [s.text for sentences in split for s in sentences]
    pivots: list[str] | None = None
    if first is not last:
        flat = pivots = [hyps[0].text for hyps in first.translate(flat, options)]
    targets, per_sentence = _decode(last, flat, options, enforcer, progress)
    results: list[ParagraphResult] = []
    pos = 0
    for paragraph, sentences in zip(paragraphs, split, strict=True):
        n = len(sentences)
        text = join_sentences(sentences, targets[pos : pos + n]) if n else paragraph
        occurrences = [o for occ in per_sentence[pos : pos + n] for o in occ]
        pivot = join_sentences(sentences, pivots[pos : pos + n]) if pivots is not None and n else None
        results.append(ParagraphResult(paragraph, text, occurrences, pivot))
        pos += n
    return results


def _decode(engine: Engine, texts: list[str], options: DecodeOptions, enforcer: Enforcer | None,
            progress: Callable[[int], None] | None) -> tuple[list[str], list[list[Occurrence]]]:
    """Decode texts (fitted to the model: an intermediate text may be longer than its source)."""
    parts = [fit_sentences([Sentence("", t, "")], _tokens(engine), engine.max_source_tokens) if t else []
             for t in texts]
    flat = [p.text for group in parts for p in group]
    if enforcer is not None:
        outcome = enforcer.translate(engine, flat, options, progress=progress)
        decoded, occurrences = outcome.texts, outcome.occurrences
    else:
        decoded = [h[0].text for h in engine.translate(flat, options, progress=progress)]
        occurrences = [[] for _ in flat]
    targets: list[str] = []
    per_text: list[list[Occurrence]] = []
    pos = 0
    for group in parts:
        n = len(group)
        targets.append(join_sentences(group, decoded[pos : pos + n]) if n else "")
        per_text.append([o for occ in occurrences[pos : pos + n] for o in occ])
        pos += n
    return targets, per_text


def sentence_count(paragraphs: Sequence[str]) -> int:
    return sum(len(s) for s in split_paragraphs(paragraphs))
