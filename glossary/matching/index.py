"""The matching engine both matchers share.

A glossary and a locale are compiled once into an index of word patterns
keyed by their first (casefolded) word, plus a dictionary of stems keyed by
the stem itself. Matching a text tokenises it once and looks each word up in
those dictionaries, so the cost grows with the length of the text and not
with the number of concepts.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from glossary.matching.morph_index import MorphIndex
from glossary.matching.morphology import Morphology
from glossary.matching.normalize import for_matching, needs_normalizing
from glossary.matching.proper_names import bound_head
from glossary.matching.tokens import Fold, Tokens, gap_class, tokenize
from glossary.termbase.model import Rendering

__all__ = ["Index", "Payload"]

# Length of the stem prefix filter (see Index.freeze).
_HEAD = 3

Payload = tuple[str, Rendering]  # (concept id, rendering)


class _Pattern:
    """One surface (or stem) to look for, and every rendering it stands for."""

    __slots__ = ("chars", "gaps", "keys", "payloads", "stem_max")

    def __init__(self, keys: tuple[str, ...], gaps: tuple[str, ...], stem_max: int | None) -> None:
        self.keys = keys
        self.gaps = gaps
        self.stem_max = stem_max  # None: exact words
        self.payloads: list[Payload] = []
        self.chars = sum(len(k) for k in keys)


@dataclass(frozen=True)
class _Match:
    first: int  # token indexes, inclusive
    last: int
    start: int  # character offsets
    end: int
    payloads: tuple[Payload, ...]
    morph: bool = False  # found through word formation; listed forms win at equal length


class Index:
    """Patterns keyed by first word; stems keyed by the stem of the first word."""

    def __init__(self, fold: Fold, morphology: Morphology | None = None) -> None:
        self.fold = fold
        self.morph = MorphIndex(morphology) if morphology is not None else None
        self.exact: dict[str, list[_Pattern]] = {}
        self.stems: dict[str, list[_Pattern]] = {}
        self._seen: dict[tuple[object, ...], _Pattern] = {}
        self.min_stem = 0
        self.max_extra = 0
        # stem_heads[n - 1]: the stems of n characters, for n < _HEAD; last:
        # the first _HEAD characters of every longer stem
        self.stem_heads: list[set[str]] = [set() for _ in range(_HEAD)]

    def _split(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        tokens = tokenize(text, self.fold)
        keys = tuple(key for _, _, key in tokens)
        gaps = tuple(gap_class(text[a[1] : b[0]]) for a, b in zip(tokens, tokens[1:]))
        return keys, gaps

    def add(self, surface: str, payload: Payload, stem_max: int | None = None) -> None:
        if needs_normalizing(surface):  # the glossary's side is read like the text's
            surface = for_matching(surface)[0]
        keys, gaps = self._split(surface)
        if not keys:
            return
        signature = (keys, gaps, stem_max)
        pattern = self._seen.get(signature)
        if pattern is None:
            pattern = _Pattern(keys, gaps, stem_max)
            self._seen[signature] = pattern
            table = self.exact if stem_max is None else self.stems
            table.setdefault(keys[0], []).append(pattern)
        if payload not in pattern.payloads:
            pattern.payloads.append(payload)
        if self.morph is not None and stem_max is None:
            self.morph.add(surface, keys, gaps, payload)

    def add_rendering(self, concept_id: str, rendering: Rendering) -> None:
        payload = (concept_id, rendering)
        for surface in rendering.surfaces:
            self.add(surface, payload)
        if rendering.stem:
            self.add(rendering.stem, payload, rendering.stem_max)

    def freeze(self) -> None:
        """Sort candidates longest first and prepare the stem filters."""
        for table in (self.exact, self.stems):
            for patterns in table.values():
                patterns.sort(key=lambda p: (-len(p.keys), -p.chars))
        self.min_stem = min((len(key) for key in self.stems), default=0)
        self.max_extra = max(
            (p.stem_max or 0 for patterns in self.stems.values() for p in patterns), default=0
        )
        # Cheap filter before the prefix lookups: the first characters of
        # every stem (stems shorter than the head length are checked whole).
        self.stem_heads = [{key for key in self.stems if len(key) == size} for size in range(1, _HEAD)]
        self.stem_heads.append({key[:_HEAD] for key in self.stems if len(key) >= _HEAD})
        self._seen.clear()

    # -- matching --------------------------------------------------------------

    def _fits(self, pattern: _Pattern, tokens: Tokens, i: int, text: str) -> bool:
        count = len(pattern.keys)
        if i + count > len(tokens):
            return False
        keys = tokens.keys
        stem_max = pattern.stem_max
        for k in range(count):
            key = keys[i + k]
            want = pattern.keys[k]
            if stem_max is None:
                if key != want:
                    return False
            elif not (key.startswith(want) and len(key) - len(want) <= stem_max):
                return False
            if k and gap_class(text[tokens.end(i + k - 1) : tokens.start(i + k)]) != pattern.gaps[k - 1]:
                return False
        return True

    def _candidates(self, key: str) -> list[_Pattern]:
        found: list[_Pattern] = list(self.exact.get(key, ()))
        length = len(key)
        for size in range(max(self.min_stem, length - self.max_extra), length + 1):
            patterns = self.stems.get(key[:size])
            if patterns:
                found.extend(patterns)
        return found

    def _best_at(self, tokens: Tokens, i: int, text: str, candidates: list[_Pattern]) -> _Match | None:
        best_last = -1
        payloads: list[Payload] = []
        for pattern in candidates:
            last = i + len(pattern.keys) - 1
            if last < best_last or not self._fits(pattern, tokens, i, text):
                continue
            if last > best_last:
                best_last = last
                payloads = []
            for payload in pattern.payloads:
                if payload not in payloads:
                    payloads.append(payload)
        if best_last < 0:
            return None
        return _Match(i, best_last, tokens.start(i), tokens.end(best_last), tuple(payloads))

    def find(self, text: str) -> list[_Match]:
        """Non-overlapping matches, longest first, returned in text order.

        Hidden and look-alike characters are normalised first
        (glossary/matching/normalize.py); offsets are the original text's.
        """
        if not needs_normalizing(text):
            return self._find(text)
        normal, starts, ends = for_matching(text)
        # min/max: under a right-to-left override the characters run backwards.
        return [
            dataclasses.replace(m, start=min(starts[m.start : m.end]), end=max(ends[m.start : m.end]))
            if m.end > m.start else m
            for m in self._find(normal)
        ]

    def _find(self, text: str) -> list[_Match]:
        tokens = Tokens(text, self.fold)
        keys = tokens.keys
        exact = self.exact
        one, two, heads = self.stem_heads  # _HEAD == 3
        # One set probe per word in the common case (list comprehensions run
        # these loops at C speed); prefix lookups only run for words whose
        # first letters start some stem.
        where = [i for i, key in enumerate(keys) if key in exact]
        if heads or two or one:
            where += [
                i
                for i, key in enumerate(keys)
                if (heads and key[:3] in heads) or (two and key[:2] in two) or (one and key[:1] in one)
            ]
            where = sorted(set(where))
        matches: list[_Match] = []
        for i in where:
            match = self._best_at(tokens, i, text, self._candidates(keys[i]))
            if match is not None:
                matches.append(match)
        if self.morph is not None:
            return self._with_morphology(tokens, text, matches)
        if len(matches) < 2:
            return matches
        matches.sort(key=lambda m: (m.start - m.end, m.start))
        chosen, _ = _non_overlapping(matches, len(tokens))
        chosen.sort(key=lambda m: m.start)
        return chosen

    def _with_morphology(self, tokens: Tokens, text: str, matches: list[_Match]) -> list[_Match]:
        """Add the forms word formation finds, then drop heads of hyphenated names."""
        assert self.morph is not None

        def gap(i: int) -> str:
            return gap_class(text[tokens.end(i) : tokens.start(i + 1)])

        def capitalised(i: int) -> bool:
            return text[tokens.start(i)].isupper()

        for first, last, payloads in self.morph.find(tokens.keys, gap, capitalised):
            matches.append(_Match(first, last, tokens.start(first), tokens.end(last), tuple(payloads), True))
        matches.sort(key=lambda m: (m.start - m.end, m.morph, m.start))
        chosen, taken = _non_overlapping(matches, len(tokens))
        kept = [
            m
            for m in chosen
            if not (
                m.first > 0
                and bound_head(text, m.start, (tokens.start(m.first - 1), tokens.end(m.first - 1)), bool(taken[m.first - 1]))
            )
        ]
        kept.sort(key=lambda m: m.start)
        return kept


def _non_overlapping(matches: list[_Match], count: int) -> tuple[list[_Match], bytearray]:
    """The matches, in their order of preference, that overlap no earlier one; and the tokens taken."""
    taken = bytearray(count)
    chosen: list[_Match] = []
    for match in matches:
        if any(taken[match.first : match.last + 1]):
            continue
        taken[match.first : match.last + 1] = b"\x01" * (match.last - match.first + 1)
        chosen.append(match)
    return chosen, taken
