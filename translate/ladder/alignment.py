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
from dataclasses import dataclass, field, replace

from translate.argos.engine import Hypothesis

MIN_WEIGHT = 0.3


@dataclass(frozen=True)
class Alignment:
    """Per target token the strongest source token; per source token its summed attention."""

    argmax: array[int]  # one per target token
    coverage: array[float]  # one per source token
    weight: array[float] = field(default_factory=lambda: array("f"))  # the argmax's attention

    def aligned(self, t: int, first: int, last: int) -> bool:
        """Target token t looks clearly at a source token in [first, last].

        Clearly: its strongest source token is there with at least MIN_WEIGHT of its
        attention. The margin keeps the decision the same whatever batch the sentence
        was decoded in (batching changes attention in its last digits).
        """
        if t >= len(self.argmax) or not first <= self.argmax[t] <= last:
            return False
        return t >= len(self.weight) or self.weight[t] >= MIN_WEIGHT

    @classmethod
    def from_attention(cls, attention: Sequence[Sequence[float]] | None, tokens: Sequence[str],
                       n_source: int) -> Alignment | None:
        """Built from CTranslate2's attention rows, one per target token.

        The first row is not used: CTranslate2 (4.x) returns for the first decoding
        step of a batched beam search attention that depends on the other sentences
        of the batch (measured: 22 of the article's 26 sentences differ alone and in
        the article; later steps agree). The first token takes the alignment of the
        next piece of its word, or none.
        """
        if not attention or n_source == 0:
            return None
        argmax = array("i")
        weights = array("f")
        coverage = array("f", [0.0] * n_source)
        rows: list[Sequence[float]] = list(attention[: len(tokens)])
        if rows:
            same_word = len(rows) > 1 and not tokens[1].startswith("\u2581")
            rows[0] = rows[1] if same_word else []
        for row in rows:
            usable = row[:n_source]
            if not usable:
                argmax.append(-1)
                weights.append(0.0)
                continue
            best = max(range(len(usable)), key=usable.__getitem__)
            argmax.append(best)
            weights.append(usable[best])
            for k, weight in enumerate(usable):
                coverage[k] += weight
        return cls(argmax, coverage, weights)

    def first_target_on(self, first: int, last: int) -> int | None:
        """Index of the first target token whose strongest source token lies in [first, last]."""
        for t in range(len(self.argmax)):
            if self.aligned(t, first, last):
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

    def cut_short(self, tail: int = 3, lost: float = 0.1) -> bool:
        """Whether the hypothesis ended before translating the source's last ``tail`` tokens.

        A model that stops early leaves the end of the source (its final
        punctuation included) without attention; a complete hypothesis attends
        to the sentence's end. The mean over a few tokens, so that one weakly
        attended token is not taken for a cut, nor one stray glance for an end.
        """
        if len(self.coverage) < tail:
            return False
        return sum(self.coverage[-tail:]) / tail < lost


def aligned_words(hyp: Hypothesis, alignment: Alignment | None, term: range,
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


def compact(hyp: Hypothesis) -> tuple[Hypothesis, Alignment | None]:
    """The hypothesis without its attention, and the small alignment the ladder keeps of it."""
    if hyp.attention is None:
        return hyp, None
    alignment = Alignment.from_attention(hyp.attention, hyp.tokens, len(hyp.source_tokens))
    return replace(hyp, attention=None), alignment
