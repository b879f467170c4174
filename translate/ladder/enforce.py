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
sentences that need it, not one call per sentence. What the glossary asks
and how a candidate fares: translate.ladder.rules; forcing:
translate.ladder.forcing; the records: translate.ladder.outcomes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace

from translate.argos.engine import DecodeOptions, Engine, Hypothesis
from translate.ladder import guard
from translate.ladder.alignment import compact
from translate.ladder.forcing import FORCE_BEAM, Forcing
from translate.ladder.outcomes import (
    STEP_BAN,
    STEP_CHOOSE,
    STEP_DECODE,
    STEP_FORCE,
    STEP_SUBSTITUTE,
    EnforcedBatch,
    Occurrence,
)
from translate.ladder.rules import Plan, State

MAX_FORCE_ROUNDS = 6  # one per unmet occurrence, at most (a continued long sentence may have five)
CONTINUE_PER_BATCH = 1  # continuations carry prefixes of different lengths: one per call, same result alone or in an article
CHUNK = 128  # sentences per ladder pass: bounds the memory of n-best hypotheses


class Enforcer(Forcing):
    """Applies one glossary to translations into one locale."""

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
        states = [State() for _ in sentences]

        # Steps 1-2: one n-best decode of every sentence, without bans, then choose.
        # Sentences with nothing to enforce ride along: their first hypothesis is
        # the one a plain beam search gives.
        first_options = options
        if any(plan.enforced for plan in plans):
            n = max(self.n_best, options.num_hypotheses)
            first_options = replace(options, num_hypotheses=n, beam_size=max(options.beam_size, n),
                                    return_attention=True)
        # The n-best decodes pad every sentence to a length fixed by its own: padding
        # to a batch's longest sentence changes scores and attention and that flips
        # beam search on close calls (2 best hypotheses of 872 test sentences);
        # with fixed padding a sentence's result is its own. Forced decodes (a prefix
        # leaves little to search) measured the same in and out of a batch and stay
        # batched. Cost: benchmarks/ladder_cost.py.
        results = engine.translate(list(sentences), first_options, progress=progress, fixed_padding=True)
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

    def _take_first(self, plan: Plan, state: State, hyps: list[Hypothesis], step: str) -> None:
        """Keep the chosen hypothesis (and only its alignment) of a first-pass or ban decode."""
        if not plan.enforced:
            state.best, state.alignment = compact(hyps[0])
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
        state.best, state.alignment = compact(chosen)
        if rank is None:
            state.step = STEP_FORCE  # provisional: needs forcing
        elif step == STEP_BAN:
            state.step = STEP_BAN
        else:
            state.step = STEP_CHOOSE if rank > 0 else STEP_DECODE

    def _ban_pass(self, engine: Engine, sentences: Sequence[str], plans: list[Plan],
                  states: list[State], options: DecodeOptions) -> None:
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
                                       fixed_padding=True)
            for i, hyps in zip(indices, results):
                before, before_alignment = states[i].best, states[i].alignment
                self._take_first(plans[i], states[i], hyps, STEP_BAN)
                if states[i].step == STEP_FORCE:
                    # The bans did not give a good hypothesis: force (or substitute)
                    # from the unbanned best, whose wrong rendering shows where and how.
                    states[i].best, states[i].alignment = before, before_alignment

    def _complete(self, engine: Engine, sentences: Sequence[str], plans: list[Plan], states: list[State],
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
                hyp, alignment = compact(hyps[0])
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
