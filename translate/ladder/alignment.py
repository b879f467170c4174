"""What the ladder keeps of a hypothesis's attention: small, and computed once.

CTranslate2 returns attention as a list of rows of floats per hypothesis; kept
for every n-best hypothesis of a whole document that grows with the document.
The ladder needs only two things from it: which source token each target token
looks at most (to place a forced prefix), and how much attention each source
token received in all (to see whether a forced hypothesis still translates the
rest of the source). Both are kept here as compact arrays.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Alignment:
    """Per target token the strongest source token; per source token its summed attention."""

    argmax: array  # of int, one per target token
    coverage: array  # of float, one per source token

    @classmethod
    def from_attention(cls, attention: Sequence[Sequence[float]] | None, n_target: int,
                       n_source: int) -> Alignment | None:
        if not attention or n_source == 0:
            return None
        argmax = array("i")
        coverage = array("f", [0.0] * n_source)
        for row in attention[:n_target]:
            usable = row[:n_source]
            if not usable:
                argmax.append(-1)
                continue
            best = max(range(len(usable)), key=usable.__getitem__)
            argmax.append(best)
            for k, weight in enumerate(usable):
                coverage[k] += weight
        return cls(argmax, coverage)

    def first_target_on(self, first: int, last: int) -> int | None:
        """Index of the first target token whose strongest source token lies in [first, last]."""
        for t, s in enumerate(self.argmax):
            if first <= s <= last:
                return t
        return None

    def dropped_sources(self, other: Alignment, outside: range, seen: float = 0.35,
                        lost: float = 0.1) -> list[int]:
        """Source tokens outside ``outside`` this alignment covered and ``other`` no longer does."""
        out = []
        for k, weight in enumerate(self.coverage):
            if k in outside or k >= len(other.coverage):
                continue
            if weight >= seen and other.coverage[k] < lost:
                out.append(k)
        return out
