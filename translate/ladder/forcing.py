"""Step 3 of the ladder: force the approved rendering into a sentence.

The source term is aligned to its place in the best hypothesis by attention;
the sentence is decoded again with ``target_prefix`` = the tokens before that
place + a form of the approved rendering. Where the model dropped the term,
the model's own score picks the place. A forced hypothesis is kept only where
it meets more of the glossary and keeps the rest of the sentence (guard).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from glossary.matching import SourceOccurrence
from translate.argos.engine import DecodeOptions, Engine, Hypothesis
from translate.ladder import guard
from translate.ladder.alignment import Alignment, aligned_words, compact
from translate.ladder.rules import Plan, Rules, State

FORCE_FORMS = 2  # forced decodes per occurrence and round
FORCE_BEAM = 2  # the prefix holds the rendering; the rest is a continuation
PLACE_WINDOW = 3  # word boundaries each side of the attention point scored for a dropped term
PLACE_FORMS = 8  # forms of the rendering scored there
REPLACED_WEIGHT = 0.8  # attention that marks a word as the model's rendering of the term


class Forcing(Rules):
    """The forced decodes of the ladder, on top of its rules."""

    def _ban_tokens(self, engine: Engine, bans: frozenset[str]) -> list[list[str]]:
        sequences: set[tuple[str, ...]] = set()
        for surface in bans:
            for variant in {surface, surface.lower(), surface[:1].upper() + surface[1:]}:
                # Every way the model can write it, in its own target pieces; a
                # rendering it cannot write needs no ban.
                sequences.update(engine.target_pieces(variant))
        return [list(s) for s in sorted(sequences)]

    def _force_round(self, engine: Engine, sentences: Sequence[str], plans: list[Plan],
                     states: list[State], pending: list[int], options: DecodeOptions) -> None:
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
            if not aligned_words(state.best, state.alignment, term) and not self._wrong_hits(plans[i], need, state):
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
                hyp, alignment = compact(attempt)
                violations = self.violations(plan, hyp.text)
                if not violations < before:
                    reason = reason or "forcing did not give an acceptable rendering"
                    continue
                # Every word outside the renderings must survive, except the model's own
                # word for the term where attention says so clearly (weight >= 0.8; where a
                # model drops a term, attention points at a neighbour, weakly): that one
                # must go, or the sentence says the term twice.
                replaced = aligned_words(state.best, state.alignment, term, REPLACED_WEIGHT)
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

    def _place(self, engine: Engine, sentences: Sequence[str], states: list[State],
               placing: list[tuple[int, int, int, list[list[str]]]]) -> list[tuple[int, int, list[str]]]:
        """Forced prefixes for dropped terms: the best-scoring place and form.

        Every form of the rendering is inserted at every word boundary of the
        unforced hypothesis within PLACE_WINDOW words of where attention
        points; the model's scores tell which sentences it finds most likely
        (the form the context needs, at the place the grammar wants). The
        prefixes end after the form. Every pair is scored: ranking places by
        the first form alone lost an occurrence on each trained test model
        (a form the context needs can be best where the base form is not).
        """
        jobs: list[tuple[int, int, list[str], list[int], list[list[str]]]] = []
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
            if candidates and window:
                jobs.append((i, index, tokens, window, candidates))
        # The places and forms of every dropped term of the round in one score call.
        pairs = [[(f, p) for f in range(len(forms)) for p in range(len(window))]
                 for _, _, _, window, forms in jobs]
        scores = self._score_places(engine, sentences, [
            (i, tokens, [(forms[f], window[p]) for f, p in own])
            for (i, _, tokens, window, forms), own in zip(jobs, pairs)])
        out = []
        for (i, index, tokens, window, forms), own, scored in zip(jobs, pairs, scores):
            # Ties go to the earlier form, then the earlier place.
            ranked = sorted(zip(scored, own), key=lambda x: (-round(x[0], 3), x[1]))
            out += [(i, index, tokens[:window[p]] + forms[f]) for _, (f, p) in ranked[:FORCE_FORMS]]
        return out

    def _score_places(self, engine: Engine, sentences: Sequence[str],
                      jobs: list[tuple[int, list[str], list[tuple[list[str], int]]]]) -> list[list[float]]:
        """Per job, the score of sentence i's hypothesis with each form inserted at its boundary.

        One call for all jobs: fixed padding keeps each score what it is with
        the sentence scored alone (a batch of other sentences would otherwise
        change the scores in their last digits, and with them the choice).
        """
        sources = [sentences[i] for i, _, inserts in jobs for _ in inserts]
        targets = [engine.detokenize(tokens[:b] + form + tokens[b:]) for _, tokens, inserts in jobs
                   for form, b in inserts]
        scores = engine.score(sources, targets, fixed_padding=True) if targets else []
        out = []
        for _, _, inserts in jobs:
            out.append(scores[: len(inserts)])
            scores = scores[len(inserts):]
        return out

    def _term_tokens(self, engine: Engine, sentence: str, occ: SourceOccurrence) -> range:
        spans = engine.token_spans(sentence)
        term = [k for k, (b, e) in enumerate(spans) if b < occ.end and e > occ.start]
        return range(term[0], term[-1] + 1) if term else range(0)

    def _aligned_start(self, engine: Engine, sentence: str, occ: SourceOccurrence, state: State) -> int:
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
