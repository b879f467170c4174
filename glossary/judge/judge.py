"""The one judge: the verdict of every glossary occurrence in a document (rules: glossary.judge.verdicts)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from glossary.errors import UnknownLocale
from glossary.judge.mentions import Mentions
from glossary.judge.pairing import (
    STATUS_RANK,
    HitPool,
    related_occurrence,
    resolve_shared_spans,
    rivals,
    source_at,
    source_names_by_target,
)
from glossary.judge.verdicts import (
    DEPRECATED,
    ERROR_KINDS,
    FORBIDDEN,
    INCONSISTENT,
    KEEP,
    MISMATCH,
    MISSING,
    OK,
    QUOTED,
    REVIEW,
    UNRENDERED,
    Verdict,
)
from glossary.matching import SourceMatcher, SourceOccurrence, TargetHit, TargetMatcher, fold_for
from glossary.termbase.lint import two_name_concepts
from glossary.termbase.locales import normalize_locale
from glossary.termbase.model import Concept, Glossary, Policy, Quotation, Rendering, Status

__all__ = ["DocumentState", "Judge"]


@dataclass
class _Choice:
    rendering: Rendering
    paragraph: int


@dataclass
class DocumentState:
    """What consistency needs to remember across the paragraphs of one document."""

    choice: dict[tuple[str, str], _Choice] = field(default_factory=dict)

class Judge:
    """Judges translations into one locale against one glossary."""

    def __init__(
        self,
        glossary: Glossary,
        locale: str,
        *,
        source_matcher: SourceMatcher | None = None,
        target_matcher: TargetMatcher | None = None,
    ) -> None:
        self.glossary = glossary
        self.locale = normalize_locale(locale)
        if self.locale not in glossary.locales:
            raise UnknownLocale(
                f"the glossary has no locale {self.locale!r}; it covers {', '.join(glossary.locales)}"
            )
        self.source_matcher = source_matcher or SourceMatcher(glossary)
        self.target_matcher = target_matcher or TargetMatcher(glossary, self.locale)
        self._fold = fold_for(self.locale)
        self.mentions = Mentions(glossary.mentions)
        # concept -> the quotation-only concepts that name it in `use_instead`
        self._quotation_only: dict[str, list[str]] = {}
        for concept in glossary.concepts.values():
            if concept.quotation is Quotation.ONLY and concept.use_instead:
                self._quotation_only.setdefault(concept.use_instead, []).append(concept.id)
        # Only places with two names pair names ("treaty" / "peace treaty" are one concept's synonyms).
        self._counterparts = {c.id: source_names_by_target(glossary, c, self.locale) for c in two_name_concepts(glossary)}
        self._first_mentions = {
            c.id: self._fold(" ".join(c.first_mention[self.locale].split()))
            for c in glossary.concepts.values()
            if self.locale in c.first_mention
        }

    # -- occurrences

    def occurrences(self, source: str) -> list[SourceOccurrence]:
        """Source occurrences as the judge sees them (mentions count as quoted)."""
        if not source.strip():
            return []
        found = self.source_matcher.find(source)
        return [
            replace(o, quoted=True, depth=max(o.depth, 1))
            if not o.quoted and self.mentions.mentioned(source, o.start, o.end) else o
            for o in found
        ]

    def renderings_for(self, target_id: str, occurrence: SourceOccurrence) -> list[Rendering]:
        """The renderings that settle this occurrence, the one to write first.

        For a place with two names, the names the glossary gives for this
        source name (preferred first); otherwise the preferred rendering, or
        every acceptable one when the locale has no preferred one.
        """
        acceptable = list(self.glossary.acceptable(target_id, self.locale))
        own = set(self._own_names(target_id, occurrence))
        if own:
            return sorted((r for r in acceptable if r.text in own), key=lambda r: STATUS_RANK[r.status])
        preferred = self.glossary.preferred(target_id, self.locale)
        return [preferred] if preferred is not None else acceptable

    # -- judging

    def pair(self, source: str, target: str, number: int = 1) -> list[Verdict]:
        """Verdicts of one paragraph judged on its own."""
        return self.paragraph(number, source, target, DocumentState())

    def document(
        self, pairs: Iterable[tuple[int, str, str]], waivers: dict[int, Sequence[Any]] | None = None
    ) -> list[Verdict]:
        """Verdicts of a document: (line number, source, translation) in line order.

        `waivers` maps a line number to the waivers (objects with `accepts(verdict)`
        and `label`) that hold for that paragraph.
        """
        state = DocumentState()
        verdicts: list[Verdict] = []
        for number, source, target in pairs:
            found = self.paragraph(number, source, target, state)
            accepted = (waivers or {}).get(number, ())
            verdicts.extend([_apply_waivers(v, accepted) for v in found] if accepted else found)
        return verdicts

    def paragraph(self, number: int, source: str, target: str, state: DocumentState) -> list[Verdict]:
        """Verdicts of one paragraph of a document, updating its consistency state."""
        glossary = self.glossary
        occurrences = self.occurrences(source)
        hits = self.target_matcher.find(target) if target.strip() else []
        hits = resolve_shared_spans(hits, occurrences)
        mention_spans = self._first_mention_spans(target) if self._first_mentions else {}
        pool = HitPool(hits)
        used_spans: set[tuple[int, int]] = set()
        # Concepts whose source names differ within this paragraph (both names of a place).
        names: dict[str, set[str]] = {}
        for occurrence in occurrences:
            if occurrence.rendering is not None:
                names.setdefault(occurrence.concept_id, set()).add(occurrence.rendering.text)
        # A place with two names: each source name first takes its own name, so
        # that "Stepanakert (Khankendi)" rendered "Chankendi" leaves Chankendi to
        # Khankendi and Stepanakert missing, not the other way round.
        reserved: dict[int, TargetHit] = {}
        cursors: dict[tuple[str, str], int] = {}
        for index, occurrence in enumerate(occurrences):
            own_hit = self._own_hit(occurrence, pool, cursors)
            if own_hit is not None:
                pool.take(own_hit)
                reserved[index] = own_hit
        verdicts: list[Verdict] = []
        for index, occurrence in enumerate(occurrences):
            concept = glossary.concepts[occurrence.concept_id]
            target_id = concept.id
            if concept.quotation is Quotation.ONLY and not occurrence.quoted and concept.use_instead:
                target_id = concept.use_instead
            wanted = [target_id]
            if concept.quotation is Quotation.ONLY and concept.use_instead and occurrence.quoted:
                wanted.append(concept.use_instead)
            if concept.policy is Policy.KEEP:
                expected = [r.text for r in (concept.terms.get(self.locale) or concept.terms.get(glossary.source, ()))
                            if r.status.acceptable]
            else:
                expected = [r.text for r in glossary.acceptable(target_id, self.locale)]
            hit = reserved.get(index) or self._pair(occurrence, concept, pool, wanted)
            if hit is None and target_id != concept.id:
                hit = self._pair(occurrence, concept, pool, [concept.id])
            if hit is None and self._quotation_only.get(target_id):
                # Karabakh written as Artsakh in our voice: one wrong rendering of this occurrence.
                hit = self._pair(occurrence, concept, pool, self._quotation_only[target_id], in_voice_only=True)
            if hit is not None:
                pool.take(hit)
                used_spans.add((hit.start, hit.end))
            both_names = len(names.get(concept.id, ())) > 1
            kind, hint = self._kind(occurrence, concept, target_id, hit, expected, mention_spans, state, number,
                                    both_names)
            # Karabakh written as Artsakh: the record is the quotation-only
            # concept's (its rendering is what is wrong), naming this source.
            named = hit.concept_id if hit is not None and kind == FORBIDDEN and hit.concept_id not in (
                concept.id, target_id) else concept.id
            verdicts.append(Verdict(
                paragraph=number,
                concept=named,
                kind=kind,
                source=occurrence.text,
                found=hit.text if hit else None,
                expected=(
                    [state.choice[self._key(target_id, occurrence)].rendering.text] if kind == INCONSISTENT
                    else (self._own_names(target_id, occurrence) or expected) if kind == MISMATCH
                    else expected),
                note=(hit.rendering.note if hit and kind in (DEPRECATED, FORBIDDEN) and hit.rendering.note else None)
                or glossary.concepts[named].note,
                quoted=occurrence.quoted,
                hint=hint,
                occurrence=index,
                source_span=(occurrence.start, occurrence.end),
                found_span=(hit.start, hit.end) if hit else None,
            ))
        related_cache: dict[str, SourceOccurrence | None] = {}
        for hit in hits:
            if (hit.start, hit.end) in used_spans:
                continue
            verdict = self._stray(number, hit, occurrences, source, target, related_cache)
            if verdict is not None:
                used_spans.add((hit.start, hit.end))
                verdicts.append(verdict)
        return verdicts

    # -- helpers

    @staticmethod
    def _key(target_id: str, occurrence: SourceOccurrence) -> tuple[str, str]:
        # One source term (any of its forms) keeps one rendering; another
        # source term of the concept may have its own.
        name = occurrence.rendering.text if occurrence.rendering is not None else occurrence.text
        return target_id, " ".join(name.split()).casefold()

    def _pair(
        self,
        occurrence: SourceOccurrence,
        concept: Concept,
        pool: HitPool,
        wanted: Sequence[str],
        in_voice_only: bool = False,
    ) -> TargetHit | None:
        """The rendering in the translation that answers this occurrence.

        Free hits of the wanted concepts, preferring an acceptable rendering
        that is this source name's own (places with two names), then any
        acceptable one, then a wrong one (which is why the occurrence fails);
        text order breaks ties. The scan of a concept's hits starts at its
        first free one and stops at the first best possible one, so a
        paragraph with thousands of occurrences stays linear.
        """
        best: tuple[int, int, int, int] | None = None
        chosen: TargetHit | None = None
        for concept_id in wanted:
            hits = pool.by_concept.get(concept_id, ())
            index = pool.first_free(concept_id)
            for hit in hits[index:]:
                if pool.taken(hit) or (in_voice_only and hit.quoted):
                    continue
                own = 0 if self._own_name(occurrence, hit) else 1
                # A word that also renders another concept of the paragraph is
                # taken last: that concept may need it (Armenia / Armenian).
                shared = 1 if (hit.start, hit.end) in pool.shared else 0
                rank = (0, own, shared, hit.start) if hit.status.acceptable else (1, 1, shared, hit.start)
                if best is None or rank < best:
                    best, chosen = rank, hit
                if rank[:3] == (0, 0, 0):
                    break  # nothing later in this concept's hits ranks higher
        return chosen

    def _own_hit(
        self, occurrence: SourceOccurrence, pool: HitPool, cursors: dict[tuple[str, str], int]
    ) -> TargetHit | None:
        """The first free acceptable hit that the glossary pairs with this occurrence's source name.

        `cursors` remembers per source name where the last scan stopped: hits
        before it are taken or another name's, so the pre-pass stays linear.
        """
        counterparts = self._counterparts.get(occurrence.concept_id)
        if not counterparts or occurrence.rendering is None:
            return None
        name = occurrence.rendering.text
        key = (occurrence.concept_id, name)
        hits = pool.by_concept.get(occurrence.concept_id, ())
        index = max(cursors.get(key, 0), pool.first_free(occurrence.concept_id))
        while index < len(hits):
            hit = hits[index]
            index += 1
            if not pool.taken(hit) and hit.status.acceptable and name in counterparts.get(hit.rendering.text, ()):
                cursors[key] = index
                return hit
        cursors[key] = index
        return None

    def _own_name(self, occurrence: SourceOccurrence, hit: TargetHit) -> bool:
        counterparts = self._counterparts.get(hit.concept_id, {})
        if not counterparts or occurrence.rendering is None:
            return True
        source_names = counterparts.get(hit.rendering.text)
        return source_names is None or occurrence.rendering.text in source_names

    def _own_names(self, target_id: str, occurrence: SourceOccurrence) -> list[str]:
        """The target names the glossary gives for this occurrence's source name (places with two names)."""
        if occurrence.rendering is None:
            return []
        return [t for t, names in self._counterparts.get(target_id, {}).items() if occurrence.rendering.text in names]

    def _kind(
        self,
        occurrence: SourceOccurrence,
        concept: Concept,
        target_id: str,
        hit: TargetHit | None,
        expected: list[str],
        mention_spans: dict[str, list[tuple[int, int]]],
        state: DocumentState,
        number: int,
        both_names: bool = False,
    ) -> tuple[str, str]:
        if concept.policy is Policy.REVIEW:
            return REVIEW, "render faithfully; an editor decides"
        if occurrence.quoted and concept.quotation in (Quotation.EXEMPT, Quotation.ONLY):
            return QUOTED, "inside a quotation (or a mention): the speaker's word stands"
        if concept.policy is Policy.KEEP:
            if hit is not None and hit.status.acceptable:
                return OK, ""
            return KEEP, f"keep it as {', '.join(expected)}" if expected else "do not translate it"
        if not expected:
            return UNRENDERED, f"the glossary has no rendering of {target_id} for {self.locale}; an editor decides"
        use = ", ".join(expected)
        if hit is None:
            return MISSING, f"the translation needs {use} (inflected forms count)"
        if hit.concept_id != target_id:
            return FORBIDDEN, f"outside quotations use the concept '{target_id}': {use}"
        if hit.status is Status.FORBIDDEN:
            return FORBIDDEN, f"use {use}"
        if hit.status is Status.DEPRECATED:
            return DEPRECATED, f"use {use}"
        in_first_mention = any(a <= hit.start and hit.end <= b for a, b in mention_spans.get(target_id, ()))
        if not in_first_mention and not self._own_name(occurrence, hit):
            own = self._own_names(target_id, occurrence)
            return MISMATCH, f"{hit.text!r} is the other name; for {occurrence.text!r} write {', '.join(own) or use}"
        key = self._key(target_id, occurrence)
        if in_first_mention:
            # After the first mention the preferred name follows, unless the
            # source itself names both (then each keeps its own).
            preferred = self.glossary.preferred(target_id, self.locale)
            own = hit.rendering if both_names else (preferred or hit.rendering)  # type: ignore[assignment]  # a Rendering, reusing the name
            state.choice.setdefault(key, _Choice(own, number))  # type: ignore[arg-type]  # see above
            return OK, ""
        first = state.choice.setdefault(key, _Choice(hit.rendering, number))
        if first.rendering.text != hit.rendering.text and rivals(first.rendering, hit.rendering, self._fold):
            return INCONSISTENT, (f"for {occurrence.text!r} the document first writes "
                                  f"{first.rendering.text!r} (paragraph {first.paragraph}); keep one rendering")
        return OK, ""

    def _first_mention_spans(self, target: str) -> dict[str, list[tuple[int, int]]]:
        """Where the locale's first_mention text of each concept stands in the translation."""
        if not target.strip():
            return {}
        # Offsets survive the fold only when it keeps the length (it nearly always does).
        folded = self._fold(target)
        if len(folded) != len(target):
            return {}
        spans: dict[str, list[tuple[int, int]]] = {}
        collapsed = folded
        for concept_id, text in self._first_mentions.items():
            start = collapsed.find(text)
            while start >= 0:
                spans.setdefault(concept_id, []).append((start, start + len(text)))
                start = collapsed.find(text, start + 1)
        return spans

    def _stray(
        self, number: int, hit: TargetHit, occurrences: Sequence[SourceOccurrence], source: str, target: str,
        related_cache: dict[str, SourceOccurrence | None],
    ) -> Verdict | None:
        """A wrong rendering that no source occurrence answers, or None if it is not wrong here."""
        glossary = self.glossary
        concept = glossary.concepts.get(hit.concept_id)
        if concept is None or concept.policy is Policy.REVIEW:
            return None
        if concept.quotation is Quotation.ONLY:
            if hit.quoted:
                return None
            other = concept.use_instead or ""
            expected = [r.text for r in glossary.acceptable(other, self.locale)] if other in glossary.concepts else []
            kind, hint = FORBIDDEN, f"outside quotations use the concept '{other}'" + (
                f": {', '.join(expected)}" if expected else "")
        elif hit.status in (Status.DEPRECATED, Status.FORBIDDEN):
            if hit.quoted and concept.quotation is Quotation.EXEMPT:
                return None
            expected = [r.text for r in glossary.acceptable(concept.id, self.locale)]
            hint = f"use {', '.join(expected)}" if expected else "rephrase"
            kind = FORBIDDEN if hit.status is Status.FORBIDDEN else DEPRECATED
        else:
            return None
        if concept.id not in related_cache:
            related_cache[concept.id] = related_occurrence(glossary, concept, occurrences)
        related = related_cache[concept.id]
        if related is not None:
            source_text, span = related.text, (related.start, related.end)
        else:
            source_text, span = source_at(source, target, hit.start)  # type: ignore[assignment]  # None when no source text is found
        return Verdict(
            paragraph=number, concept=concept.id, kind=kind, source=source_text, found=hit.text,
            expected=expected, note=hit.rendering.note or concept.note, quoted=hit.quoted, hint=hint,
            occurrence=None, source_span=span, found_span=(hit.start, hit.end),
        )


def _apply_waivers(verdict: Verdict, waivers: Sequence[Any]) -> Verdict:
    if verdict.kind not in ERROR_KINDS:
        return verdict
    for waiver in waivers:
        if waiver.accepts(verdict):
            return replace(verdict, waived=waiver.label)
    return verdict
