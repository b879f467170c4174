"""The renderings of one locale indexed for word formation: inflected and derived forms of their words."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from glossary.matching.morphology import Morphology, Word
from glossary.matching.tokens import TOKEN

__all__ = ["MorphIndex"]

Payload = Any  # the matcher's (concept id, rendering); opaque here


class _Pattern:
    __slots__ = ("gaps", "payloads", "words")

    def __init__(self, words: tuple[Word, ...], gaps: tuple[str, ...]) -> None:
        self.words = words
        self.gaps = gaps
        self.payloads: list[Payload] = []


class MorphIndex:
    """Renderings of one locale, matched through their inflected and derived forms."""

    _HEAD = 3

    def __init__(self, morphology: Morphology) -> None:
        self.morphology = morphology
        self._by_head: dict[str, list[_Pattern]] = {}
        self._seen: dict[tuple[object, ...], _Pattern] = {}

    def add(self, surface: str, keys: tuple[str, ...], gaps: tuple[str, ...], payload: Payload) -> None:
        """Index one surface of a rendering (its casefolded words and gaps)."""
        words = [m.group() for m in TOKEN.finditer(surface)]
        capitalised = [w[:1].isupper() for w in words] if len(words) == len(keys) else [False] * len(keys)
        signature = (keys, gaps)
        pattern = self._seen.get(signature)
        if pattern is None:
            prepared = tuple(self.morphology.word(key, proper) for key, proper in zip(keys, capitalised))
            head = prepared[0].root[: self._HEAD]
            if len(head) < self._HEAD:
                return  # a root this short is matched only as listed
            pattern = _Pattern(prepared, gaps)
            self._seen[signature] = pattern
            self._by_head.setdefault(head, []).append(pattern)
        if payload not in pattern.payloads:
            pattern.payloads.append(payload)

    def _heads(self, key: str) -> list[str]:
        heads = [key[: self._HEAD]]
        for prefix in self.morphology.language.verb_prefixes:
            if key.startswith(prefix):
                heads.append(key[len(prefix) : len(prefix) + self._HEAD])
        return heads

    def find(
        self, keys: Sequence[str], gap: Callable[[int], str], capitalised: Callable[[int], bool]
    ) -> list[tuple[int, int, list[Payload]]]:
        """(first token, last token, payloads) of every match, longest per start.

        `gap(i)` is the gap class between token i and token i + 1, as the
        matcher computes it; `capitalised(i)` whether token i is capitalised.
        """
        found: list[tuple[int, int, list[Payload]]] = []
        table = self._by_head
        size = self._HEAD
        prefixes = self.morphology.language.verb_prefixes
        # One set probe per word in the common case (no root starts so).
        where = [
            i
            for i, key in enumerate(keys)
            if key[:size] in table or (prefixes and key[:1] in prefixes and key[1 : 1 + size] in table)
        ]
        for i in where:
            key = keys[i]
            candidates: list[_Pattern] = []
            for head in dict.fromkeys(self._heads(key)):
                candidates.extend(table.get(head, ()))
            best = -1
            payloads: list[Payload] = []
            for pattern in candidates:
                count = len(pattern.words)
                last = i + count - 1
                if last >= len(keys) or last < best:
                    continue
                alone = count == 1
                if not all(
                    self.morphology.accepts(word, keys[i + k], alone=alone, capitalised=capitalised(i + k))
                    and (k == 0 or gap(i + k - 1) == pattern.gaps[k - 1])
                    for k, word in enumerate(pattern.words)
                ):
                    continue
                if last > best:
                    best, payloads = last, []
                payloads.extend(p for p in pattern.payloads if p not in payloads)
            if best >= 0:
                found.append((i, best, payloads))
        return found
