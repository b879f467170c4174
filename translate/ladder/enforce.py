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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from glossary.judge import ERROR_KINDS, Judge, Verdict
from glossary.judge.verdicts import DEPRECATED, OK, UNRENDERED
from glossary.judge.verdicts import QUOTED as QUOTED_KIND
from glossary.judge.verdicts import REVIEW as REVIEW_KIND
from glossary.matching import SourceMatcher, SourceOccurrence, TargetHit, TargetMatcher
from glossary.termbase.model import Concept, Glossary, Policy, Quotation, Status
from translate.argos.engine import DecodeOptions, Engine, Hypothesis
from translate.ladder import forms, guard
from translate.ladder.alignment import Alignment

# Outcomes, as shown in reports and catalogs.
SETTLED, FORCED, SUBSTITUTED, UNRESOLVED, REVIEW, QUOTED = (
    "settled", "forced", "substituted", "unresolved", "review", "quoted")
# Ladder steps that settle an occurrence.
STEP_DECODE, STEP_BAN, STEP_CHOOSE, STEP_FORCE, STEP_SUBSTITUTE, STEP_GIVE_UP, STEP_NONE = (
    "decode", "ban", "choose", "force", "substitute", "give-up", "none")

LADDER = frozenset({STEP_BAN, STEP_CHOOSE, STEP_FORCE, STEP_SUBSTITUTE})
MAX_FORCE_ROUNDS = 6  # one per unmet occurrence, at most (a continued long sentence may have five)
MAX_FORCE_CANDIDATES = 2  # inflected forms tried per forced occurrence without evidence of the form
FORCE_FORMS = 2  # forced decodes per occurrence and round
FORCE_BEAM = 2  # the prefix holds the rendering; the rest is a continuation
PLACE_WINDOW = 3  # word boundaries each side of the attention point scored for a dropped term
PLACE_FORMS = 8  # forms of the rendering scored there
REPLACED_WEIGHT = 0.8  # attention that marks a word as the model's rendering of the term
CONTINUE_PER_BATCH = 1  # continuations carry prefixes of different lengths: one per call, same result alone or in an article
CHUNK = 128  # sentences per ladder pass: bounds the memory of n-best hypotheses


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
class _State:
    """One sentence on its way down the ladder."""

    best: Hypothesis = field(default_factory=lambda: Hypothesis("", (), 0.0))
    alignment: Alignment | None = None
    step: str = STEP_DECODE
    first_pass: set[int] = field(default_factory=set)
    refused: dict[int, str] = field(default_factory=dict)  # need index (-1: substitution) -> why not


def _aligned_words(hyp: Hypothesis, alignment: Alignment | None, term: range,
                   min_weight: float | None = None) -> list[str]:
    """Words of the hypothesis whose tokens look (by attention) at the source term."""
    if alignment is None or not term:
        return []
    words: list[list[str]] = []
    marked: set[int] = set()
    for t, token in enumerate(hyp.tokens):
        if token.startswith("\u2581") or not words:
            words.append([])
        words[-1].append(token)
        if alignment.aligned(t, term.start, term.stop - 1) and (
                min_weight is None or t < len(alignment.weight) and alignment.weight[t] >= min_weight):
            marked.add(len(words) - 1)
    return ["".join(words[k]).replace("\u2581", " ").strip() for k in sorted(marked)]


def _drops(before: list[str], after: list[str]) -> bool:
    """Whether ``after`` is two or more words shorter than ``before`` (content left out).

    One word of slack: a rendering may have one word less than the model's own.
    """
    return len(after) < len(before) - 1


def _compact(hyp: Hypothesis) -> tuple[Hypothesis, Alignment | None]:
    """The hypothesis without its attention, and the small alignment the ladder keeps of it."""
    if hyp.attention is None:
        return hyp, None
    alignment = Alignment.from_attention(hyp.attention, hyp.tokens, len(hyp.source_tokens))
    return replace(hyp, attention=None), alignment


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
        options: DecodeOptions | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> EnforcedBatch:
        """The ladder over sentences, in chunks of CHUNK so memory stays flat on long documents.

        A sentence's result depends on nothing but the sentence: each decode
        call carries only the sentence's own constraints, so chunking (or any
        other batch composition) gives the same text and verdicts.
        """
        options = options or DecodeOptions()
        calls_before = engine.decode_calls
        texts: list[str] = []
        occurrences: list[list[Occurrence]] = []
        for offset in range(0, len(sentences), CHUNK):
            def chunk_progress(k: int, offset: int = offset) -> None:
                if progress:
                    progress(offset + k)

            chunk_texts, chunk_occurrences = self._translate_chunk(
                engine, sentences[offset : offset + CHUNK], options, chunk_progress)
            texts += chunk_texts
            occurrences += chunk_occurrences
        return EnforcedBatch(texts, occurrences, engine.decode_calls - calls_before)

    def _translate_chunk(self, engine: Engine, sentences: Sequence[str], options: DecodeOptions,
                         progress: Callable[[int], None]) -> tuple[list[str], list[list[Occurrence]]]:
        plans = [self.plan(s) for s in sentences]
        states = [_State() for _ in sentences]

        # Steps 1-2: one n-best decode of every sentence, without bans, then choose.
        # Sentences with nothing to enforce ride along: their first hypothesis is
        # the one a plain beam search gives.
        first_options = options
        if any(plan.enforced for plan in plans):
            n = max(self.n_best, options.num_hypotheses)
            first_options = replace(options, num_hypotheses=n, beam_size=max(options.beam_size, n),
                                    return_attention=True)
        # The n-best decodes batch only sentences of one source length: padding
        # changes scores and attention in their last digits and that flips beam
        # search on close calls (1 of the article's 26 sentences on the qtr model);
        # unpadded, a sentence's result is its own. Forced decodes (a prefix leaves
        # little to search) measured the same in and out of a batch and stay
        # batched. Cost: benchmarks/ladder_cost.py.
        results = engine.translate(list(sentences), first_options, progress=progress, equal_lengths=True)
        for i, hyps in enumerate(results):
            self._take_first(plans[i], states[i], hyps, STEP_CHOOSE)

        # Step 1 proper, only where needed: a decode with the sentence's bans,
        # one call per set of bans (a ban never reaches another sentence).
        self._ban_pass(engine, sentences, plans, states, first_options)
        self._complete(engine, sentences, plans, states, options)
        for plan, state in zip(plans, states):
            state.first_pass = self._satisfied(plan, state.best.text) if plan.enforced else set()

        # Step 3: force, batched per round and per set of bans.
        for _ in range(MAX_FORCE_ROUNDS if STEP_FORCE in self.ladder else 0):
            pending = [i for i, state in enumerate(states) if state.step == STEP_FORCE
                       and self._next_need(plans[i], state) is not None]
            if not pending:
                break
            self._force_round(engine, sentences, plans, states, pending, options)
            self._complete(engine, sentences, plans, states, options, pending)

        # Steps 4-5 and the record of every occurrence.
        texts: list[str] = []
        occurrences: list[list[Occurrence]] = []
        for plan, state in zip(plans, states):
            text = state.best.text
            # Which step settled each need: the first-pass step for those the
            # first pass met, force for those met since.
            first_step = state.step if state.step != STEP_FORCE else STEP_DECODE
            settled = {k: first_step for k in state.first_pass}
            for k in self._satisfied(plan, text) - state.first_pass:
                settled[k] = STEP_FORCE
            if STEP_SUBSTITUTE in self.ladder and self.violations(plan, text)[0] > 0:
                substituted, changed = self._substitute(plan, text)
                damage = guard.check(self._rest(plan, text, changed), self._rest(plan, substituted, changed))
                if substituted != text and damage is not None:
                    state.refused.setdefault(-1, f"substituting would change the sentence: {damage}")
                elif self.violations(plan, substituted)[0] < self.violations(plan, text)[0]:
                    for k in self._satisfied(plan, substituted) - self._satisfied(plan, text):
                        settled[k] = STEP_SUBSTITUTE
                    text = substituted
            texts.append(text)
            occurrences.append(self._record(plan, text, settled, state.refused))
        return texts, occurrences

    def _take_first(self, plan: _Plan, state: _State, hyps: list[Hypothesis], step: str) -> None:
        """Keep the chosen hypothesis (and only its alignment) of a first-pass or ban decode."""
        if not plan.enforced:
            state.best, state.alignment = _compact(hyps[0])
            return
        chosen, rank = self._choose(plan, hyps)
        if rank != 0 and step == STEP_CHOOSE and self._substitutes_cleanly(plan, hyps[0].text) and (
                rank is None and not self._writes_banned(plan, hyps[0].text)
                or rank and guard.check(self._rest(plan, hyps[0].text), self._rest(plan, chosen.text))):
            # Swapping the wrong word in the best hypothesis keeps its every other word,
            # where a lower-ranked one words the rest otherwise (a word the best one does
            # not have, say) and a forced decode may move the term: keep the best, the
            # substitute step fixes it. Forbidden words go to the bans first.
            chosen, rank = hyps[0], 0
        state.best, state.alignment = _compact(chosen)
        if rank is None:
            state.step = STEP_FORCE  # provisional: needs forcing
        elif step == STEP_BAN:
            state.step = STEP_BAN
        else:
            state.step = STEP_CHOOSE if rank > 0 else STEP_DECODE

    def _substitutes_cleanly(self, plan: _Plan, text: str) -> bool:
        """Whether substitution alone leaves ``text`` without a hard violation, the rest unchanged."""
        if STEP_SUBSTITUTE not in self.ladder:
            return False
        substituted, changed = self._substitute(plan, text)
        return substituted != text and self.violations(plan, substituted)[0] == 0 and guard.check(
            self._rest(plan, text, changed), self._rest(plan, substituted, changed)) is None

    def _ban_pass(self, engine: Engine, sentences: Sequence[str], plans: list[_Plan],
                  states: list[_State], options: DecodeOptions) -> None:
        groups: dict[frozenset[str], list[int]] = defaultdict(list)
        for i, (plan, state) in enumerate(zip(plans, states)):
            # Only where the model did write a banned rendering: elsewhere a ban changes nothing.
            if plan.bans and state.step == STEP_FORCE and self._writes_banned(plan, state.best.text):
                groups[plan.bans].append(i)
        for bans, indices in sorted(groups.items(), key=lambda kv: kv[1]):
            suppress = self._ban_tokens(engine, bans)
            if not suppress:
                continue
            results = engine.translate([sentences[i] for i in indices], options, suppress=suppress,
                                       equal_lengths=True)
            for i, hyps in zip(indices, results):
                before, before_alignment = states[i].best, states[i].alignment
                self._take_first(plans[i], states[i], hyps, STEP_BAN)
                if states[i].step == STEP_FORCE:
                    # The bans did not give a good hypothesis: force (or substitute)
                    # from the unbanned best, whose wrong rendering shows where and how.
                    states[i].best, states[i].alignment = before, before_alignment

    def _complete(self, engine: Engine, sentences: Sequence[str], plans: list[_Plan], states: list[_State],
                  options: DecodeOptions, among: Sequence[int] | None = None) -> None:
        """Continue a best hypothesis the model cut short (the source's end left without attention).

        A model that stops early drops the end of a long sentence, and with it
        the terms there: nothing can be chosen, forced or substituted in words
        that were never written. The hypothesis is decoded again as a prefix
        that may not end at once; the model then translates the rest of the
        source. The continuation is kept only where it reaches the source's end.
        One call per prefix length and set of bans (the minimum length is one
        number per call), one sentence per CTranslate2 batch, as in the first pass.
        """
        groups: dict[tuple[int, frozenset[str]], list[int]] = defaultdict(list)
        if not self.ladder:
            return  # the plain decode, as the model gives it
        for i in among if among is not None else range(len(states)):
            state = states[i]
            if plans[i].enforced and state.alignment is not None and state.alignment.cut_short() \
                    and state.best.tokens:
                groups[(len(state.best.tokens), plans[i].bans)].append(i)
        for (length, bans), indices in sorted(groups.items(), key=lambda kv: kv[1][0]):
            continued = replace(options, num_hypotheses=1, beam_size=min(options.beam_size, FORCE_BEAM),
                                return_attention=True, min_decoding_length=length + 1,
                                max_batch_size=CONTINUE_PER_BATCH)
            results = engine.translate([sentences[i] for i in indices], continued,
                                       prefixes=[list(states[i].best.tokens) for i in indices],
                                       suppress=self._ban_tokens(engine, bans))
            for i, hyps in zip(indices, results):
                hyp, alignment = _compact(hyps[0])
                if alignment is None or alignment.cut_short():
                    continue
                state = states[i]
                state.best, state.alignment = hyp, alignment
                if among is not None:
                    continue  # within forcing: the record tells forced from first-pass needs
                if self.violations(plans[i], hyp.text)[0] > 0:
                    state.step = STEP_FORCE
                elif state.step == STEP_FORCE:
                    state.step = STEP_DECODE  # the model's own decode, only longer

    def _writes_banned(self, plan: _Plan, text: str) -> bool:
        return any(not h.quoted and (h.status is Status.FORBIDDEN or h.concept_id in plan.forbidden)
                   for h in self._hits(text))

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

    def _satisfied(self, plan: _Plan, text: str) -> set[int]:
        """Indices of the plan's enforced needs that the judge settles in the text."""
        return {v.occurrence for v in self.verdicts(plan, text)
                if v.occurrence is not None and v.kind == OK and plan.needs[v.occurrence].enforced}

    def _next_need(self, plan: _Plan, state: _State) -> tuple[int, _Need] | None:
        """The leftmost enforced need the best text does not satisfy and forcing has not given up on."""
        if self.violations(plan, state.best.text)[0] == 0:
            return None
        done = self._satisfied(plan, state.best.text)
        for index, need in sorted(enumerate(plan.needs), key=lambda p: p[1].occurrence.start):
            if need.enforced and index not in done and index not in state.refused:
                return index, need
        return None

    # ------------------------------------------------------------- forcing

    def _rest(self, plan: _Plan, text: str, also: frozenset[str] = frozenset()) -> list[str]:
        """The words of a translation outside every rendering of the plan's concepts (and ``also``)."""
        concepts = {n.target for n in plan.needs} | {n.concept.id for n in plan.needs} | also
        spans = [(h.start, h.end) for h in self._hits(text) if h.concept_id in concepts]
        return guard.words_outside(text, spans)

    def _force_round(self, engine: Engine, sentences: Sequence[str], plans: list[_Plan],
                     states: list[_State], pending: list[int], options: DecodeOptions) -> None:
        # One forced decode per candidate, grouped by the sentence's own bans.
        jobs: dict[frozenset[str], list[tuple[int, int, list[str]]]] = defaultdict(list)
        placing: list[tuple[int, int, int, list[list[str]]]] = []  # dropped terms: where to put them
        for i in pending:
            state = states[i]
            found = self._next_need(plans[i], state)
            if found is None:
                continue
            index, need = found
            start = self._aligned_start(engine, sentences[i], need.occurrence, state)
            capitalise = start == 0 and sentences[i][need.occurrence.start:][:1].isupper()
            # A form the model cannot write in its target pieces is no use.
            candidates = [list(pieces[0]) for pieces in (engine.target_pieces(c) for c in
                                                         self._candidates(plans[i], need, state, capitalise))
                          if pieces]
            if not candidates:
                state.refused[index] = "no form of the rendering is in the model's vocabulary"
                continue
            term = self._term_tokens(engine, sentences[i], need.occurrence)
            if not _aligned_words(state.best, state.alignment, term) and not self._wrong_hits(plans[i], need, state):
                # The model dropped the term: nothing marks its place, so the model's
                # own score of the sentence with the term inserted picks the place.
                every_form = [engine.target_pieces(t) for t in
                              self._candidates(plans[i], need, state, False, PLACE_FORMS)]
                placing.append((i, index, start, [list(t[0]) for t in every_form if t]))
                continue
            head = list(state.best.tokens[:start])
            for tokens in candidates[:FORCE_FORMS]:
                jobs[plans[i].bans].append((i, index, head + tokens))
        for i, index, prefix in self._place(engine, sentences, states, placing):
            jobs[plans[i].bans].append((i, index, prefix))
        forced_options = replace(options, num_hypotheses=1, beam_size=min(options.beam_size, FORCE_BEAM),
                                 return_attention=True)
        tried: dict[int, list[tuple[int, Hypothesis]]] = defaultdict(list)
        for bans, items in sorted(jobs.items(), key=lambda kv: kv[1][0][0]):
            results = engine.translate([sentences[i] for i, _, _ in items], forced_options,
                                       prefixes=[prefix for _, _, prefix in items],
                                       suppress=self._ban_tokens(engine, bans))
            for (i, index, _), hyps in zip(items, results):
                tried[i].append((index, hyps[0]))
        for i, attempts in tried.items():
            plan, state = plans[i], states[i]
            index = attempts[0][0]
            before = self.violations(plan, state.best.text)
            term = self._term_tokens(engine, sentences[i], plan.needs[index].occurrence)
            best: tuple[Any, Hypothesis, Alignment | None] | None = None
            reason = ""
            for _, attempt in attempts:
                hyp, alignment = _compact(attempt)
                violations = self.violations(plan, hyp.text)
                if not violations < before:
                    reason = reason or "forcing did not give an acceptable rendering"
                    continue
                # Every word outside the renderings must survive, except the model's own
                # word for the term where attention says so clearly (weight >= 0.8; where a
                # model drops a term, attention points at a neighbour, weakly): that one
                # must go, or the sentence says the term twice.
                replaced = _aligned_words(state.best, state.alignment, term, REPLACED_WEIGHT)
                damage = guard.check(guard.without(self._rest(plan, state.best.text), replaced),
                                     self._rest(plan, hyp.text),
                                     state.alignment, alignment, term, list(hyp.source_tokens))
                if damage is not None:
                    reason = f"forcing would change the rest of the sentence: {damage}"
                    continue
                key = (violations, -round(hyp.score, 3))
                if best is None or key < best[0]:
                    best = (key, hyp, alignment)
            if best is None:
                state.refused[index] = reason
            else:
                state.best, state.alignment = best[1], best[2]

    def _wrong_hits(self, plan: _Plan, need: _Need, state: _State) -> list[TargetHit]:
        """Wrong renderings of the needed concept in the best text (a deprecated synonym, a forbidden word)."""
        return [hit for hit in self._hits(state.best.text)
                if (not hit.status.acceptable or hit.concept_id in plan.forbidden) and not hit.quoted
                and hit.concept_id in (need.target, need.concept.id)]

    def _place(self, engine: Engine, sentences: Sequence[str], states: list[_State],
               placing: list[tuple[int, int, int, list[list[str]]]]) -> list[tuple[int, int, list[str]]]:
        """Forced prefixes for dropped terms: the best-scoring place and form.

        Every form of the rendering is inserted at every word boundary of the
        unforced hypothesis within PLACE_WINDOW words of where attention points,
        and a score call over them (one per sentence) tells which sentences the model finds
        most likely (the form the context needs, at the place the grammar wants);
        the prefixes end after the form.
        """
        out = []
        for i, index, start, candidates in placing:
            tokens = list(states[i].best.tokens)
            # The end of the sentence is before its closing punctuation: a term placed
            # after the full stop would start a sentence of its own.
            end = len(tokens)
            while end > 0 and not tokens[end - 1].startswith("\u2581") and \
                    not any(c.isalnum() for c in tokens[end - 1]):
                end -= 1
            starts = sorted({t for t, tok in enumerate(tokens) if tok.startswith("\u2581")} | {end})
            near = min(range(len(starts)), key=lambda k: abs(starts[k] - start))
            window = starts[max(0, near - PLACE_WINDOW) : near + PLACE_WINDOW + 1]
            prefixes = [tokens[:b] + form for form in candidates for b in window]
            if not prefixes:
                continue
            # One call per sentence: a batch of other sentences would change the
            # scores in their last digits, and with them the choice.
            targets = [engine.detokenize(tokens[:b] + form + tokens[b:]) for form in candidates for b in window]
            scores = engine.score([sentences[i]] * len(targets), targets)
            ranked = sorted(zip(scores, range(len(prefixes))), key=lambda x: (-round(x[0], 3), x[1]))
            out += [(i, index, prefixes[k]) for _, k in ranked[:FORCE_FORMS]]
        return out

    def _candidates(self, plan: _Plan, need: _Need, state: _State, capitalise: bool,
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

    def _term_tokens(self, engine: Engine, sentence: str, occ: SourceOccurrence) -> range:
        spans = engine.token_spans(sentence)
        term = [k for k, (b, e) in enumerate(spans) if b < occ.end and e > occ.start]
        return range(term[0], term[-1] + 1) if term else range(0)

    def _aligned_start(self, engine: Engine, sentence: str, occ: SourceOccurrence, state: _State) -> int:
        """Index of the first target token aligned (by attention) to the source term, at a word start."""
        tokens = state.best.tokens
        term = self._term_tokens(engine, sentence, occ)
        if state.alignment is None or not tokens or not term:
            return len(tokens)
        start = state.alignment.first_target_on(term.start, term.stop - 1)
        if start is None:  # no token points at the term: insert where the next source word is rendered
            later = [t for t, s in enumerate(state.alignment.argmax) if s >= term.stop]
            start = later[0] if later else len(tokens)
        start = min(start, len(tokens))
        # Back up to the start of the target word: a prefix never ends inside a word.
        while 0 < start < len(tokens) and not tokens[start].startswith("\u2581"):
            start -= 1
        return start
    def _substitute(self, plan: _Plan, text: str) -> tuple[str, frozenset[str]]:
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

    def _record(self, plan: _Plan, text: str, settled: dict[int, str],
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
