"""Forcing that cannot damage: a rewritten hypothesis must keep the rest of the sentence.

Forcing a prefix or substituting a rendering changes one term; whatever else
changes is damage the ladder would publish as success (a sentence that lost its
opening words, a spurious word after the forced rendering). A candidate is
compared with the unforced hypothesis it replaces, outside the glossary
renderings of both:

* words: the words outside the renderings must be the same sequence; at most
  ``max_replaced`` words may differ by an ending (a case or number change next to
  the term), none may be dropped or inserted;
* coverage (when attention is known): no source token outside the term that
  the unforced hypothesis attended to may be left without attention.

``check`` returns the reason a candidate is refused, or None.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from translate.ladder.alignment import Alignment

_WORD = re.compile(r"\S+")
EDGE = "\"'“”‘’«»()[]{}.,;:!?-–—"


@dataclass(frozen=True)
class Limits:
    max_replaced: int = 1  # words outside the term that may change their ending
    min_shared_prefix: int = 3  # letters two words must share to count as forms of one word


def words_outside(text: str, spans: Iterable[tuple[int, int]]) -> list[str]:
    """The text's words that lie outside every span, without edge punctuation."""
    spans = list(spans)
    out = []
    for m in _WORD.finditer(text):
        if any(m.start() < e and m.end() > s for s, e in spans):
            continue
        word = m.group().strip(EDGE)
        if word:
            out.append(word.casefold())
    return out


def without(words: list[str], remove: Iterable[str]) -> list[str]:
    """``words`` minus one occurrence of each word in ``remove`` (compared as words_outside does)."""
    out = list(words)
    for word in remove:
        word = word.strip(EDGE).casefold()
        if word in out:
            out.remove(word)
    return out


def _related(a: str, b: str, limits: Limits) -> bool:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n >= min(limits.min_shared_prefix, len(a), len(b))


def check(before_words: list[str], after_words: list[str], before: Alignment | None = None,
          after: Alignment | None = None, term_tokens: range = range(0),
          source_tokens: list[str] | None = None, limits: Limits = Limits()) -> str | None:
    """Why ``after`` (the rewritten hypothesis) damages ``before``, or None if it keeps it."""
    dropped: list[str] = []
    inserted: list[str] = []
    replaced = 0
    matcher = difflib.SequenceMatcher(a=before_words, b=after_words, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        a, b = before_words[i1:i2], after_words[j1:j2]
        pairs = min(len(a), len(b))
        for x, y in zip(a[:pairs], b[:pairs]):
            if _related(x, y, limits):
                replaced += 1
            else:
                dropped.append(x)
                inserted.append(y)
        dropped += a[pairs:]
        inserted += b[pairs:]
    reasons = []
    if dropped:
        reasons.append("drops " + " ".join(repr(w) for w in dropped[:3]))
    if inserted:
        reasons.append("inserts " + " ".join(repr(w) for w in inserted[:3]))
    if replaced > limits.max_replaced:
        reasons.append(f"changes {replaced} other words")
    if not reasons and before is not None and after is not None:
        lost = before.dropped_sources(after, term_tokens)
        if lost:
            names = [source_tokens[k] for k in lost[:3]] if source_tokens else [str(k) for k in lost[:3]]
            reasons.append("leaves " + " ".join(repr(n.lstrip("\u2581")) for n in names) + " untranslated")
    return "; ".join(reasons) or None
