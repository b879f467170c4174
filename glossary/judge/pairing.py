"""Pairing target hits with source occurrences: the hit pool, shared spans, rival names, two-name places."""

from __future__ import annotations

from collections.abc import Sequence

from glossary.matching import Fold, SourceOccurrence, TargetHit, fold_for
from glossary.termbase.model import Concept, Glossary, Rendering, Status

__all__ = [
    "STATUS_RANK",
    "HitPool",
    "related_occurrence",
    "resolve_shared_spans",
    "rivals",
    "source_at",
    "source_names_by_target",
]

STATUS_RANK = {Status.PREFERRED: 0, Status.ADMITTED: 1, Status.DEPRECATED: 2, Status.FORBIDDEN: 3}


class HitPool:
    """The hits of a paragraph per concept, and which ones occurrences have taken."""

    def __init__(self, hits: Sequence[TargetHit]) -> None:
        self.by_concept: dict[str, list[TargetHit]] = {}
        spans: dict[tuple[int, int], int] = {}
        for hit in hits:
            self.by_concept.setdefault(hit.concept_id, []).append(hit)
            spans[(hit.start, hit.end)] = spans.get((hit.start, hit.end), 0) + 1
        self.shared = {span for span, count in spans.items() if count > 1}
        self._used: set[tuple[int, int, str]] = set()
        self._free: dict[str, int] = {}

    def taken(self, hit: TargetHit) -> bool:
        return (hit.start, hit.end, hit.concept_id) in self._used

    def take(self, hit: TargetHit) -> None:
        self._used.add((hit.start, hit.end, hit.concept_id))

    def first_free(self, concept_id: str) -> int:
        """Index of the concept's first hit not taken yet (taken ones are skipped for good)."""
        hits = self.by_concept.get(concept_id, ())
        index = self._free.get(concept_id, 0)
        while index < len(hits) and self.taken(hits[index]):
            index += 1
        self._free[concept_id] = index
        return index


# Two renderings that share a word stem this long are one name in two
# shapes (armenisch / Armenier, Bergkarabach / Autonomen Gebiets Bergkarabach).
_SHARED_STEM = 5


def rivals(first: Rendering, other: Rendering, fold: Fold) -> bool:
    """Whether two renderings of one concept are rival names, not two shapes of one name.

    Not rivals: a long and a short form where every word of the short one is
    in the long one (Autonomes Gebiet Bergkarabach / Bergkarabach), and
    words that share a stem (armenisch / Armenier: noun and adjective).
    """
    words_a = fold(first.text).split()
    words_b = fold(other.text).split()
    short, long = sorted((words_a, words_b), key=len)
    if all(word in long for word in short):
        return False
    for a in words_a:
        for b in words_b:
            common = 0
            for x, y in zip(a, b):
                if x != y:
                    break
                common += 1
            if common >= _SHARED_STEM:
                return False
    return True


def resolve_shared_spans(hits: list[TargetHit], occurrences: Sequence[SourceOccurrence]) -> list[TargetHit]:
    """Resolve spans that render several concepts.

    One surface can render two concepts (German `Bergkarabach` for Karabakh
    and Nagorno-Karabakh; Russian `Армения` for Armenia and, admitted, for
    Armenian). Every concept the source paragraph names keeps the span (one
    word satisfies both); with none named, the concepts for which the surface
    has the best status keep it.
    """
    in_source = {o.concept_id for o in occurrences}
    by_span: dict[tuple[int, int], list[TargetHit]] = {}
    for hit in hits:
        by_span.setdefault((hit.start, hit.end), []).append(hit)
    result: list[TargetHit] = []
    for group in by_span.values():
        if len(group) > 1:
            named = [h for h in group if h.concept_id in in_source]
            if named:
                group = named
            else:
                best = min(STATUS_RANK[h.status] for h in group)
                group = [h for h in group if STATUS_RANK[h.status] == best]
        result.extend(group)
    result.sort(key=lambda h: h.start)
    return result


def source_names_by_target(glossary: Glossary, concept: Concept, locale: str) -> dict[str, frozenset[str]]:
    """For a concept with two source names (a place with two names): target name -> its source names.

    The glossary says it with each rendering's `for`. Where it does not, by
    spelling: a target name written as a source name is that name's own, and
    when one name on each side is left, those two belong together. A target
    name absent from the map answers any source name (the pairing is not known).
    """
    source_names = [r.text for r in concept.terms.get(glossary.source, ()) if r.status.acceptable]
    targets = [r for r in concept.terms.get(locale, ()) if r.status.acceptable]
    if len(source_names) < 2 or len(targets) < 2:
        return {}
    pairs = {r.text: frozenset(r.source_names) for r in targets if r.source_names}
    unlinked = [r.text for r in targets if not r.source_names]
    if not unlinked:
        return pairs
    fold = fold_for(locale)
    claimed = {name for names in pairs.values() for name in names}
    guessed: dict[str, str] = {}
    for name in unlinked:
        same = [s for s in source_names if fold(s) == fold(name)]
        if len(same) == 1:
            guessed[name] = same[0]
    left_target = [t for t in unlinked if t not in guessed]
    left_source = [s for s in source_names if s not in guessed.values() and s not in claimed]
    if len(left_target) == 1 and len(left_source) == 1:
        guessed[left_target[0]] = left_source[0]
    if len(pairs) + len(guessed) < len(targets) and not pairs:
        return {}  # by spelling alone, all or nothing: a half-guessed pairing would mislead
    pairs.update({name: frozenset({source}) for name, source in guessed.items()})
    return pairs


def related_occurrence(
    glossary: Glossary, concept: Concept, occurrences: Sequence[SourceOccurrence]
) -> SourceOccurrence | None:
    """The source occurrence a wrong rendering stands for: the same concept, or its use_instead pair."""
    for occurrence in occurrences:
        other = glossary.concepts[occurrence.concept_id]
        if occurrence.concept_id == concept.id or other.use_instead == concept.id or concept.use_instead == other.id:
            return occurrence
    return None


def source_at(source: str, target: str, position: int) -> tuple[str | None, tuple[int, int] | None]:
    """The source sentence at the same relative place as `position` in the translation."""
    if not source.strip():
        return None, None
    share = position / max(len(target), 1)
    anchor = min(int(share * len(source)), len(source) - 1)
    start = max(source.rfind(". ", 0, anchor), source.rfind("? ", 0, anchor), source.rfind("! ", 0, anchor))
    start = 0 if start < 0 else start + 2
    ends = [i for i in (source.find(". ", anchor), source.find("? ", anchor), source.find("! ", anchor)) if i >= 0]
    end = min(ends) + 1 if ends else len(source)
    return source[start:end].strip() or None, (start, end)
