"""The enforcement ladder: ban, choose, force, substitute, give up visibly.

Per sentence and per glossary occurrence (see docs/enforcement.md):

1. Ban: forbidden renderings go to ``suppress_sequences``.
2. Choose: decode n-best; take the best-scoring hypothesis that satisfies
   every constraint.
3. Force: align the source term to the target span by attention; decode again
   with ``target_prefix`` = tokens before the span + the approved rendering.
4. Substitute: replace a known wrong rendering with the approved one.
5. Give up visibly: keep the best hypothesis and mark the occurrence.

Sentences are grouped so that each step is one batched decode call for all
sentences that need it, not one call per sentence.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Sequence

from glossary.judge import ERROR_KINDS, Judge, Verdict
from glossary.judge.verdicts import DEPRECATED, OK, UNRENDERED
from glossary.judge.verdicts import QUOTED as QUOTED_KIND
from glossary.judge.verdicts import REVIEW as REVIEW_KIND
from glossary.matching import SourceMatcher, SourceOccurrence, TargetHit, TargetMatcher
from glossary.model import Concept, Glossary, Policy, Quotation, Status

from translate.engine import DecodeOptions, Engine, Hypothesis

# Outcomes, as shown in reports and catalogs.
SETTLED, FORCED, SUBSTITUTED, UNRESOLVED, REVIEW, QUOTED = (
    "settled", "forced", "substituted", "unresolved", "review", "quoted")
# Ladder steps that settle an occurrence.
STEP_DECODE, STEP_BAN, STEP_CHOOSE, STEP_FORCE, STEP_SUBSTITUTE, STEP_GIVE_UP, STEP_NONE = (
    "decode", "ban", "choose", "force", "substitute", "give-up", "none")

LADDER = frozenset({STEP_BAN, STEP_CHOOSE, STEP_FORCE, STEP_SUBSTITUTE})
MAX_FORCE_ROUNDS = 3  # one per unmet occurrence, at most
MAX_FORCE_CANDIDATES = 4  # inflected forms tried per forced occurrence


@dataclass
class Occurrence:
    """One glossary occurrence in a source sentence and what became of it."""

    concept: str
    source: str
    quoted: bool
    policy: str
    outcome: str = SETTLED
    step: str = STEP_DECODE
    found: str | None = None
    expected: tuple[str, ...] = ()
    note: str = ""
    reason: str = ""
    index: int | None = None  # the judge's occurrence index in the sentence; None: a stray rendering

    @property
    def unresolved(self) -> bool:
        return self.outcome == UNRESOLVED

    def to_dict(self) -> dict[str, Any]:
        return {
            "concept": self.concept, "source": self.source, "quoted": self.quoted,
            "policy": self.policy, "outcome": self.outcome, "step": self.step,
            "found": self.found, "expected": list(self.expected), "note": self.note,
            "reason": self.reason,
        }


@dataclass
class _Need:
    """A source occurrence that the translation must honour."""

    occurrence: SourceOccurrence
    concept: Concept
    target: str  # the concept whose renderings satisfy this need
    enforced: bool  # False: review or quoted, never rewritten


@dataclass
class _Plan:
    """What the ladder must do for one sentence."""

    needs: list[_Need] = field(default_factory=list)
    sentence: str = ""
    bans: frozenset[str] = frozenset()
    forbidden: frozenset[str] = frozenset()  # concept ids whose renderings are out in our voice

    @property
    def enforced(self) -> list[_Need]:
        return [n for n in self.needs if n.enforced]


@dataclass
class EnforcedBatch:
    texts: list[str]
    occurrences: list[list[Occurrence]]
    decode_calls: int


class Enforcer:
    """Applies one glossary to translations into one locale."""

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

    # ------------------------------------------------------------ planning

    def plan(self, sentence: str) -> _Plan:
        plan = _Plan(sentence=sentence)
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
            plan.needs.append(_Need(occ, concept, target, enforced))
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

    def _hits(self, text: str) -> list[TargetHit]:
        return self.target_matcher.find(text)

    def verdicts(self, plan: _Plan, text: str) -> list[Verdict]:
        """The judge's verdicts on one candidate translation of the plan's sentence."""
        return self.judge.pair(plan.sentence, text)

    def violations(self, plan: _Plan, text: str) -> tuple[int, int]:
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

    # ------------------------------------------------------------- the ladder

    def translate(
        self,
        engine: Engine,
        sentences: Sequence[str],
        options: DecodeOptions = DecodeOptions(),
        progress: Callable[[int], None] | None = None,
    ) -> EnforcedBatch:
        calls_before = engine.decode_calls
        plans = [self.plan(s) for s in sentences]
        best: list[Hypothesis | None] = [None] * len(sentences)
        steps: list[str] = [STEP_DECODE] * len(sentences)

        # Steps 1-2: one decode per group of sentences sharing the same bans
        # (usually one group). A batch costs as much as its longest output, so
        # sentences with nothing to enforce ride along in the n-best call: their
        # first hypothesis is the one a plain beam search gives.
        groups: dict[frozenset[str], list[int]] = defaultdict(list)
        for i, plan in enumerate(plans):
            groups[plan.bans].append(i)
        done = 0
        for bans, indices in sorted(groups.items(), key=lambda kv: len(kv[1])):
            group_options = options
            if any(plans[i].enforced for i in indices):
                n = max(self.n_best, options.num_hypotheses)
                group_options = replace(options, num_hypotheses=n, beam_size=max(options.beam_size, n),
                                        return_attention=True)
            offset = done

            def group_progress(k: int, offset: int = offset) -> None:
                if progress:
                    progress(offset + k)

            results = engine.translate([sentences[i] for i in indices], group_options,
                                       suppress=self._ban_tokens(engine, bans),
                                       progress=group_progress)
            done += len(indices)
            for i, hyps in zip(indices, results):
                if not plans[i].enforced:
                    best[i] = hyps[0]
                    continue
                chosen, rank = self._choose(plans[i], hyps)
                best[i] = chosen
                if rank is None:
                    steps[i] = STEP_FORCE  # provisional: needs forcing
                elif rank > 0:
                    steps[i] = STEP_CHOOSE
                elif bans:
                    steps[i] = STEP_BAN

        first_pass = [self._satisfied(plan, hyp.text) if plan.enforced else set()  # type: ignore[union-attr]
                      for plan, hyp in zip(plans, best)]

        # Step 3: force, a batched decode per round over every unmet sentence.
        attempted: set[tuple[int, str]] = set()  # the same hypothesis forced again gives the same result
        for _ in range(MAX_FORCE_ROUNDS if STEP_FORCE in self.ladder else 0):
            pending = [i for i, s in enumerate(steps) if s == STEP_FORCE
                       and (i, best[i].text) not in attempted  # type: ignore[union-attr]
                       and self.violations(plans[i], best[i].text)[0] > 0]  # type: ignore[union-attr]
            if not pending:
                break
            attempted.update((i, best[i].text) for i in pending)  # type: ignore[union-attr]
            self._force_round(engine, sentences, plans, best, pending, options)

        # Steps 4-5 and the record of every occurrence.
        texts: list[str] = []
        occurrences: list[list[Occurrence]] = []
        for i, plan in enumerate(plans):
            hyp = best[i]
            assert hyp is not None
            text = hyp.text
            # Which step settled each need: the first-pass step for those the
            # first pass met, force for those met since.
            first_step = steps[i] if steps[i] != STEP_FORCE else (STEP_BAN if plan.bans else STEP_DECODE)
            settled = {k: first_step for k in first_pass[i]}
            for k in self._satisfied(plan, text) - first_pass[i]:
                settled[k] = STEP_FORCE
            if STEP_SUBSTITUTE in self.ladder and plan.enforced and self.violations(plan, text)[0] > 0:
                substituted = self._substitute(plan, text)
                if self.violations(plan, substituted)[0] < self.violations(plan, text)[0]:
                    for k in self._satisfied(plan, substituted) - self._satisfied(plan, text):
                        settled[k] = STEP_SUBSTITUTE
                    text = substituted
            texts.append(text)
            occurrences.append(self._record(plan, text, settled))
        return EnforcedBatch(texts, occurrences, engine.decode_calls - calls_before)

    def _ban_tokens(self, engine: Engine, bans: frozenset[str]) -> list[list[str]]:
        sequences: set[tuple[str, ...]] = set()
        for surface in bans:
            for variant in {surface, surface.lower(), surface[:1].upper() + surface[1:]}:
                # Every way the model can write it, in its own target pieces; a
                # rendering it cannot write needs no ban.
                sequences.update(engine.target_pieces(variant))
        return [list(s) for s in sorted(sequences)]

    def _choose(self, plan: _Plan, hyps: list[Hypothesis]) -> tuple[Hypothesis, int | None]:
        """Best-scoring hypothesis with no hard violation (fewest deprecated)."""
        ranked = []
        for rank, hyp in enumerate(hyps):
            hard, deprecated = self.violations(plan, hyp.text)
            if hard == 0:
                ranked.append((deprecated, -hyp.score, rank, hyp))
        if ranked:
            _, _, rank, hyp = min(ranked, key=lambda r: r[:3])
            return hyp, rank
        return hyps[0], None

    def _satisfied(self, plan: _Plan, text: str) -> set[int]:
        """Indices of the plan's enforced needs that the judge settles in the text."""
        return {v.occurrence for v in self.verdicts(plan, text)
                if v.occurrence is not None and v.kind == OK and plan.needs[v.occurrence].enforced}

    def _unmet(self, plan: _Plan, text: str) -> _Need | None:
        """The leftmost enforced need the text does not satisfy."""
        done = self._satisfied(plan, text)
        for index, need in sorted(enumerate(plan.needs), key=lambda p: p[1].occurrence.start):
            if need.enforced and index not in done:
                return need
        return None

    def _force_round(self, engine: Engine, sentences: Sequence[str], plans: list[_Plan],
                     best: list[Hypothesis | None], pending: list[int], options: DecodeOptions) -> None:
        owners: list[int] = []
        prefixes: list[list[str]] = []
        bans: set[str] = set()
        for i in pending:
            hyp = best[i]
            assert hyp is not None
            need = self._unmet(plans[i], hyp.text)
            if need is None:
                continue
            start = self._aligned_start(engine, sentences[i], need.occurrence, hyp)
            head = list(hyp.tokens[:start])
            for candidate in self._candidates(need, capitalise=start == 0 and
                                              sentences[i][need.occurrence.start:][:1].isupper()):
                writable = engine.target_pieces(candidate)
                if not writable:
                    continue  # the model cannot write this form; another may do
                owners.append(i)
                prefixes.append(head + list(writable[0]))
            bans |= plans[i].bans
        if not owners:
            return
        forced_options = replace(options, num_hypotheses=1, return_attention=True)
        results = engine.translate([sentences[i] for i in owners], forced_options,
                                   prefixes=prefixes, suppress=self._ban_tokens(engine, frozenset(bans)))
        by_sentence: dict[int, list[Hypothesis]] = defaultdict(list)
        for i, hyps in zip(owners, results):
            by_sentence[i].append(hyps[0])
        for i, candidates in by_sentence.items():
            current = best[i]
            assert current is not None
            before = self.violations(plans[i], current.text)
            scored = sorted(candidates, key=lambda h: (self.violations(plans[i], h.text), -h.score))
            if self.violations(plans[i], scored[0].text) < before:
                best[i] = scored[0]

    def _candidates(self, need: _Need, capitalise: bool) -> list[str]:
        preferred = self.glossary.preferred(need.target, self.locale)
        renderings = [preferred] if preferred else list(self.glossary.acceptable(need.target, self.locale))
        out: list[str] = []
        for rendering in renderings:
            for surface in rendering.surfaces[:MAX_FORCE_CANDIDATES]:
                text = surface[:1].upper() + surface[1:] if capitalise else surface
                if text not in out:
                    out.append(text)
        return out

    def _aligned_start(self, engine: Engine, sentence: str, occ: SourceOccurrence, hyp: Hypothesis) -> int:
        """Index of the first target token aligned (by attention) to the source term."""
        if not hyp.attention or not hyp.tokens:
            return len(hyp.tokens)
        spans = engine.token_spans(sentence)
        term = [k for k, (b, e) in enumerate(spans) if b < occ.end and e > occ.start]
        if not term:
            return len(hyp.tokens)
        first, last = term[0], term[-1]
        start = None
        for t, row in enumerate(hyp.attention[: len(hyp.tokens)]):
            usable = row[: len(spans)]
            if usable and first <= max(range(len(usable)), key=usable.__getitem__) <= last:
                start = t
                break
        if start is None:  # no token points at the term: use the strongest one
            mass = [sum(row[first : last + 1]) for row in hyp.attention[: len(hyp.tokens)]]
            start = max(range(len(mass)), key=mass.__getitem__)
        # Back up to the start of the target word.
        while start > 0 and not hyp.tokens[start].startswith("\u2581"):
            start -= 1
        return start

    def _substitute(self, plan: _Plan, text: str) -> str:
        """Replace known wrong renderings of needed concepts, keeping case."""
        needed = {n.target for n in plan.enforced}
        hits = sorted(self._hits(text), key=lambda h: h.start, reverse=True)
        for hit in hits:
            wrong = hit.status in (Status.FORBIDDEN, Status.DEPRECATED) or hit.concept_id in plan.forbidden
            target = hit.concept_id
            if hit.concept_id in plan.forbidden:
                target = next((n.target for n in plan.enforced if n.concept.id == hit.concept_id), target)
            if not wrong or hit.quoted or target not in needed:
                continue
            preferred = self.glossary.preferred(target, self.locale)
            if preferred is None:
                continue
            text = text[: hit.start] + _match_case(hit.text, preferred.text) + text[hit.end :]
        return text

    def _record(self, plan: _Plan, text: str, settled: dict[int, str]) -> list[Occurrence]:
        """One record per verdict of the judge, with the step that settled it."""
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
