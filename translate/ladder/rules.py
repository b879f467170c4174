"""What the glossary asks of one sentence, and how a candidate translation fares.

Planning (which occurrences must be rendered, which renderings are banned),
the judge's verdicts on a candidate, choosing among n-best hypotheses, the
forms to force, substitution of a known wrong rendering, and the record of
every occurrence. Nothing here decodes: translate.ladder.forcing and
translate.ladder.enforce call the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from glossary.judge import ERROR_KINDS, Judge, Verdict
from glossary.judge.verdicts import DEPRECATED, OK, UNRENDERED
from glossary.judge.verdicts import QUOTED as QUOTED_KIND
from glossary.judge.verdicts import REVIEW as REVIEW_KIND
from glossary.matching import SourceMatcher, SourceOccurrence, TargetHit, TargetMatcher
from glossary.termbase.model import Concept, Glossary, Policy, Quotation, Status
from translate.argos.engine import Hypothesis
from translate.ladder import forms, guard
from translate.ladder.alignment import Alignment
from translate.ladder.outcomes import (
    FORCED,
    LADDER,
    SETTLED,
    STEP_BAN,
    STEP_CHOOSE,
    STEP_DECODE,
    STEP_FORCE,
    STEP_GIVE_UP,
    STEP_NONE,
    STEP_SUBSTITUTE,
    SUBSTITUTED,
    UNRESOLVED,
    Occurrence,
)

CACHE_SIZE = 4096  # judged texts kept (and matched ones): a chunk's n-best lists and forced decodes
MAX_FORCE_CANDIDATES = 2  # inflected forms tried per forced occurrence without evidence of the form


@dataclass
class Need:
    """A source occurrence that the translation must honour."""

    occurrence: SourceOccurrence
    concept: Concept
    target: str  # the concept whose renderings satisfy this need
    enforced: bool  # False: review or quoted, never rewritten


@dataclass
class Plan:
    """What the ladder must do for one sentence."""

    needs: list[Need] = field(default_factory=list)
    sentence: str = ""
    bans: frozenset[str] = frozenset()
    forbidden: frozenset[str] = frozenset()  # concept ids whose renderings are out in our voice

    @property
    def enforced(self) -> list[Need]:
        return [n for n in self.needs if n.enforced]


@dataclass
class State:
    """One sentence on its way down the ladder."""

    best: Hypothesis = field(default_factory=lambda: Hypothesis("", (), 0.0))
    alignment: Alignment | None = None
    step: str = STEP_DECODE
    first_pass: set[int] = field(default_factory=set)
    refused: dict[int, str] = field(default_factory=dict)  # need index (-1: substitution) -> why not


def _drops(before: list[str], after: list[str]) -> bool:
    """Whether ``after`` is two or more words shorter than ``before`` (content left out).

    One word of slack: a rendering may have one word less than the model's own.
    """
    return len(after) < len(before) - 1


class Rules:
    """One glossary's demands on translations into one locale, and the judge of candidates."""

    def __init__(self, glossary: Glossary, locale: str, n_best: int = 4,
                 ladder: frozenset[str] = LADDER) -> None:
        """``ladder`` names the steps in use (all by default); a step left out is skipped."""
        unknown = set(ladder) - LADDER
        if unknown:
            raise ValueError(f"unknown ladder steps: {sorted(unknown)}")
        self.glossary = glossary
        self.locale = locale
        self.n_best = n_best if STEP_CHOOSE in ladder else 1
        self.ladder = ladder
        self.source_matcher = SourceMatcher(glossary)
        self.target_matcher = TargetMatcher(glossary, locale)
        # Every verdict comes from the one judge (glossary.judge).
        self.judge = Judge(glossary, locale, source_matcher=self.source_matcher,
                           target_matcher=self.target_matcher)
        self._verdict_cache: dict[tuple[str, str], tuple[Verdict, ...]] = {}
        self._hit_cache: dict[str, tuple[TargetHit, ...]] = {}

    # ------------------------------------------------------------ planning

    def plan(self, sentence: str) -> Plan:
        plan = Plan(sentence=sentence)
        bans: set[str] = set()
        forbidden: set[str] = set()
        for occ in self.judge.occurrences(sentence):
            concept = self.glossary.concept(occ.concept_id)
            exempt = occ.quoted and concept.quotation in (Quotation.EXEMPT, Quotation.ONLY)
            target = concept.id
            if concept.quotation is Quotation.ONLY and not occ.quoted:
                # A quotation-only term in our voice: render the concept to use instead.
                target = concept.use_instead or concept.id
                forbidden.add(concept.id)
            # Nothing to enforce where the glossary gives no rendering for this
            # locale: the occurrence is recorded as unresolved, not forced.
            renderable = bool(self.glossary.acceptable(target, self.locale))
            enforced = concept.policy is not Policy.REVIEW and not exempt and renderable
            plan.needs.append(Need(occ, concept, target, enforced))
            if enforced:
                forbidden_renderings = [
                    r for r in self.glossary.renderings(target, self.locale)
                    if r.status is Status.FORBIDDEN
                ]
                if target != concept.id:
                    forbidden_renderings += list(self.glossary.renderings(concept.id, self.locale))
                for rendering in forbidden_renderings:
                    bans.update(rendering.surfaces)
        plan.bans = frozenset(bans) if STEP_BAN in self.ladder else frozenset()
        plan.forbidden = frozenset(forbidden)
        return plan

    # ---------------------------------------------------------- evaluation

    def _hits(self, text: str) -> tuple[TargetHit, ...]:
        hits = self._hit_cache.get(text)
        if hits is None:
            hits = tuple(self.target_matcher.find(text))
            self._remember(self._hit_cache, text, hits)
        return hits

    def verdicts(self, plan: Plan, text: str) -> tuple[Verdict, ...]:
        """The judge's verdicts on one candidate translation of the plan's sentence.

        The ladder asks about one text many times (choosing, the first-pass
        record, forcing, the final record): the judge sees each pair once.
        """
        key = (plan.sentence, text)
        verdicts = self._verdict_cache.get(key)
        if verdicts is None:
            verdicts = tuple(self.judge.pair(plan.sentence, text))
            self._remember(self._verdict_cache, key, verdicts)
        return verdicts

    @staticmethod
    def _remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
        # Bounded, so memory stays flat on long documents; worker threads may share
        # the rules, and a lost entry is only computed again.
        if len(cache) >= CACHE_SIZE:
            cache.clear()
        cache[key] = value

    def violations(self, plan: Plan, text: str) -> tuple[int, int]:
        """(hard violations, deprecated renderings) of one candidate translation.

        A deprecated rendering is hard where it stands for an occurrence the
        translation must render, soft where nothing asked for it.
        """
        hard = deprecated = 0
        for verdict in self.verdicts(plan, text):
            if verdict.kind == DEPRECATED:
                deprecated += 1
                hard += verdict.occurrence is not None
            elif verdict.kind in ERROR_KINDS:
                hard += 1
        return hard, deprecated

    def _substitutes_cleanly(self, plan: Plan, text: str) -> bool:
        """Whether substitution alone leaves ``text`` without a hard violation, the rest unchanged."""
        if STEP_SUBSTITUTE not in self.ladder:
            return False
        substituted, changed = self._substitute(plan, text)
        return substituted != text and self.violations(plan, substituted)[0] == 0 and guard.check(
            self._rest(plan, text, changed), self._rest(plan, substituted, changed)) is None

    def _writes_banned(self, plan: Plan, text: str) -> bool:
        return any(not h.quoted and (h.status is Status.FORBIDDEN or h.concept_id in plan.forbidden)
                   for h in self._hits(text))

    def _choose(self, plan: Plan, hyps: list[Hypothesis]) -> tuple[Hypothesis, int | None]:
        """Best-scoring hypothesis with no hard violation (fewest deprecated)."""
        ranked = []
        first = hyps[0].text.split() if hyps else []
        for rank, hyp in enumerate(hyps):
            hard, deprecated = self.violations(plan, hyp.text)
            # A lower-ranked hypothesis may word the sentence differently, but not
            # leave out what the best one says (n-best lists hold truncated ones).
            if hard == 0 and rank > 0 and _drops(first, hyp.text.split()):
                continue
            if hard == 0:
                # The model's own rank breaks ties, not the score: its last digits
                # depend on the batch a sentence shares.
                ranked.append((deprecated, rank, hyp))
        if ranked:
            _, rank, hyp = min(ranked, key=lambda r: r[:2])
            return hyp, rank
        return hyps[0], None

    def _satisfied(self, plan: Plan, text: str) -> set[int]:
        """Indices of the plan's enforced needs that the judge settles in the text."""
        return {v.occurrence for v in self.verdicts(plan, text)
                if v.occurrence is not None and v.kind == OK and plan.needs[v.occurrence].enforced}

    def _next_need(self, plan: Plan, state: State) -> tuple[int, Need] | None:
        """The leftmost enforced need the best text does not satisfy and forcing has not given up on."""
        if self.violations(plan, state.best.text)[0] == 0:
            return None
        done = self._satisfied(plan, state.best.text)
        for index, need in sorted(enumerate(plan.needs), key=lambda p: p[1].occurrence.start):
            if need.enforced and index not in done and index not in state.refused:
                return index, need
        return None

    def _rest(self, plan: Plan, text: str, also: frozenset[str] = frozenset()) -> list[str]:
        """The words of a translation outside every rendering of the plan's concepts (and ``also``)."""
        concepts = {n.target for n in plan.needs} | {n.concept.id for n in plan.needs} | also
        spans = [(h.start, h.end) for h in self._hits(text) if h.concept_id in concepts]
        return guard.words_outside(text, spans)

    def _wrong_hits(self, plan: Plan, need: Need, state: State) -> list[TargetHit]:
        """Wrong renderings of the needed concept in the best text (a deprecated synonym, a forbidden word)."""
        return [hit for hit in self._hits(state.best.text)
                if (not hit.status.acceptable or hit.concept_id in plan.forbidden) and not hit.quoted
                and hit.concept_id in (need.target, need.concept.id)]

    # ------------------------------------------- forms to force, substitution, records

    def _candidates(self, plan: Plan, need: Need, state: State, capitalise: bool,
                    limit: int = MAX_FORCE_CANDIDATES) -> list[str]:
        """Forms of the approved rendering to force, the one the context needs first."""
        # What the judge will accept for this occurrence (a place's own name for its source name).
        renderings = self.judge.renderings_for(need.target, need.occurrence)
        # Evidence: the form in which the model wrote a wrong rendering of the concept.
        evidence: list[str] = []
        for hit in self._wrong_hits(plan, need, state):
            for rendering in renderings:
                form = forms.same_form(hit.text, hit.rendering, rendering)
                if form:
                    evidence.append(form)
        if evidence:
            ordered = list(dict.fromkeys(evidence))
        else:
            # No evidence of the form: the base form of each acceptable rendering
            # (the source may have used the longer one), then the other forms.
            acceptable = list(self.glossary.acceptable(need.target, self.locale))
            ordered = [r.text for r in renderings] + [r.text for r in acceptable] + [
                f for r in renderings for f in forms.ordered_forms(r, [])]
        out = list(dict.fromkeys(s[:1].upper() + s[1:] if capitalise else s for s in ordered))
        return out[:limit]

    def _substitute(self, plan: Plan, text: str) -> tuple[str, frozenset[str]]:
        """Replace known wrong renderings of needed concepts, keeping case.

        Also a quotation-only word the model wrote in our voice where no source
        occurrence asked for its concept (its source term lies inside a longer
        one, say): the judge flags it, and its ``use_instead`` concept says what
        our voice writes. Returns the text and the concepts whose words changed.
        """
        needed = {n.target for n in plan.enforced}
        asked = {n.concept.id for n in plan.needs}
        changed: set[str] = set()
        hits = sorted(self._hits(text), key=lambda h: h.start, reverse=True)
        for hit in hits:
            wrong = hit.status in (Status.FORBIDDEN, Status.DEPRECATED) or hit.concept_id in plan.forbidden
            target = hit.concept_id
            if hit.concept_id in plan.forbidden:
                target = next((n.target for n in plan.enforced if n.concept.id == hit.concept_id), target)
            concept = self.glossary.concept(hit.concept_id)
            if not hit.quoted and hit.concept_id not in asked and concept.quotation is Quotation.ONLY \
                    and concept.use_instead:
                wrong, target = True, concept.use_instead
                needed = needed | {target}
            if not wrong or hit.quoted or target not in needed:
                continue
            changed |= {hit.concept_id, target}
            preferred = self.glossary.preferred(target, self.locale)
            if preferred is None:
                continue
            # The same inflected form as the wrong one (a case ending stays a case ending).
            form = forms.same_form(hit.text, hit.rendering, preferred) or preferred.text
            text = text[: hit.start] + _match_case(hit.text, form) + text[hit.end :]
        return text, frozenset(changed)

    def _record(self, plan: Plan, text: str, settled: dict[int, str],
                refused: dict[int, str] | None = None) -> list[Occurrence]:
        """One record per verdict of the judge, with the step that settled it (and why not)."""
        refused = refused or {}
        out: list[Occurrence] = []
        for verdict in self.verdicts(plan, text):
            concept = self.glossary.concept(verdict.concept)
            occ = Occurrence(
                concept=verdict.concept, source=verdict.source or "", quoted=verdict.quoted,
                policy=concept.policy.value, note=concept.note, expected=tuple(verdict.expected),
                found=verdict.found, reason=verdict.hint,
            )
            occ.index = verdict.occurrence
            if verdict.kind == OK:
                occ.step = settled.get(verdict.occurrence, STEP_DECODE) if verdict.occurrence is not None \
                    else STEP_DECODE
                occ.outcome = {STEP_FORCE: FORCED, STEP_SUBSTITUTE: SUBSTITUTED}.get(occ.step, SETTLED)
            elif verdict.kind in (QUOTED_KIND, REVIEW_KIND, UNRENDERED):
                occ.outcome, occ.step = verdict.outcome, STEP_NONE
            else:
                occ.outcome, occ.step = UNRESOLVED, STEP_GIVE_UP
                index = verdict.occurrence
                if index is not None and index in refused:
                    occ.reason = refused[index]
                elif -1 in refused:
                    occ.reason = refused[-1]
                else:
                    occ.reason = f"{verdict.kind}: {verdict.hint}" if verdict.hint else verdict.kind
            out.append(occ)
        return out


def _match_case(model: str, text: str) -> str:
    """Write ``text`` in the case pattern of ``model`` (upper, title, lower)."""
    if model.isupper() and len(model) > 1:
        return text.upper()
    if model[:1].isupper():
        return text[:1].upper() + text[1:]
    return text
