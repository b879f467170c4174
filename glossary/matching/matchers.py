"""The two matchers: concepts in English sources, renderings of concepts in translations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from glossary.matching.index import Index, Payload
from glossary.matching.morphology import morphology_for
from glossary.matching.proper_names import modifies_name
from glossary.matching.quotes import depths_at, quoted_spans
from glossary.matching.tokens import APOSTROPHES, fold_for
from glossary.termbase.locales import language_of, normalize_locale
from glossary.termbase.model import Glossary, Policy, Rendering, Status

__all__ = ["SourceMatcher", "SourceOccurrence", "TargetHit", "TargetMatcher"]

# Locales in which a suffix follows a proper noun after an apostrophe.
_APOSTROPHE_SUFFIX = frozenset({"tr", "az"})


def _extend_suffix(text: str, end: int, possessive_only: bool) -> int:
    """Extend a match over an apostrophe suffix (`'s`, or Turkish `'da`)."""
    if end >= len(text) or text[end] not in APOSTROPHES:
        return end
    stop = end + 1
    while stop < len(text) and text[stop].isalpha():
        stop += 1
    if stop == end + 1:
        return end
    if possessive_only and text[end + 1 : stop].lower() != "s":
        return end
    return stop


@dataclass(frozen=True)
class SourceOccurrence:
    """A concept found in an English source text."""

    concept_id: str
    start: int
    end: int
    text: str
    quoted: bool
    depth: int
    rendering: Rendering | None = None

    @property
    def status(self) -> Status | None:
        """Status of the English term that was found (deprecated for Artsakh...)."""
        return self.rendering.status if self.rendering else None


@dataclass(frozen=True)
class TargetHit:
    """A rendering of a concept found in a translation."""

    concept_id: str
    rendering: Rendering
    status: Status
    start: int
    end: int
    text: str
    quoted: bool
    depth: int = 0


def _unique_by_concept(payloads: Iterable[Payload]) -> list[Payload]:
    # One span is one occurrence per concept; if several renderings of one
    # concept share a surface, the first (file order) stands for it.
    seen: set[str] = set()
    result: list[Payload] = []
    for concept_id, rendering in payloads:
        if concept_id not in seen:
            seen.add(concept_id)
            result.append((concept_id, rendering))
    return result


class SourceMatcher:
    """Finds concept occurrences in source-locale (English) text.

    Every source rendering is indexed, deprecated and forbidden ones included:
    they still identify the concept (Artsakh).
    """

    def __init__(self, glossary: Glossary, *, morphology: bool = True) -> None:
        self.glossary = glossary
        self.locale = glossary.source
        self._names = morphology  # a term inside a name is not the term
        self._index = Index(fold_for(self.locale))
        for concept in glossary.concepts.values():
            for rendering in concept.terms.get(self.locale, ()):
                self._index.add_rendering(concept.id, rendering)
        self._index.freeze()

    def find(self, text: str) -> list[SourceOccurrence]:
        """Occurrences in text order; a text may hold several paragraphs (lines)."""
        matches = self._index.find(text)
        if matches and self._names:
            starts = {m.start for m in matches}
            matches = [m for m in matches if not modifies_name(text, m.start, m.end, starts)]
        if not matches:
            return []
        spans = quoted_spans(text)
        depths = depths_at(spans, [m.start for m in matches])
        found: list[SourceOccurrence] = []
        for match, depth in zip(matches, depths):
            end = _extend_suffix(text, match.end, possessive_only=True)
            for concept_id, rendering in _unique_by_concept(match.payloads):
                found.append(
                    SourceOccurrence(concept_id, match.start, end, text[match.start : end], depth > 0, depth, rendering)
                )
        return found


class TargetMatcher:
    """Finds renderings of concepts in a translation into `locale`.

    For a `keep` concept with no renderings in the locale, the source
    renderings stand in: kept means written as in the source.
    """

    def __init__(self, glossary: Glossary, locale: str, *, morphology: bool = True) -> None:
        self.glossary = glossary
        self.locale = normalize_locale(locale)
        self._suffixes = language_of(self.locale) in _APOSTROPHE_SUFFIX
        # Inflected, derived and compound forms (glossary/matching/morphology.py).
        self._index = Index(fold_for(self.locale), morphology_for(self.locale) if morphology else None)
        for concept in glossary.concepts.values():
            renderings = concept.terms.get(self.locale, ())
            if not renderings and concept.policy is Policy.KEEP:
                renderings = concept.terms.get(glossary.source, ())
            for rendering in renderings:
                self._index.add_rendering(concept.id, rendering)
        self._index.freeze()

    def find(self, text: str) -> list[TargetHit]:
        """Hits in text order; one span may stand for several concepts."""
        matches = self._index.find(text)
        if not matches:
            return []
        spans = quoted_spans(text)
        depths = depths_at(spans, [m.start for m in matches])
        found: list[TargetHit] = []
        for match, depth in zip(matches, depths):
            end = _extend_suffix(text, match.end, possessive_only=False) if self._suffixes else match.end
            for concept_id, rendering in _unique_by_concept(match.payloads):
                found.append(
                    TargetHit(
                        concept_id,
                        rendering,
                        rendering.status,
                        match.start,
                        end,
                        text[match.start : end],
                        depth > 0,
                        depth,
                    )
                )
        return found
