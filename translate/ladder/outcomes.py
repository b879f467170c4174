"""What became of each glossary occurrence: outcomes, the ladder's steps, the records.

The outcomes are those shown in reports and catalogs; the steps say which rung
of the ladder (translate.ladder.enforce) settled an occurrence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Outcomes, as shown in reports and catalogs.
SETTLED, FORCED, SUBSTITUTED, UNRESOLVED, REVIEW, QUOTED = (
    "settled", "forced", "substituted", "unresolved", "review", "quoted")
# Ladder steps that settle an occurrence.
STEP_DECODE, STEP_BAN, STEP_CHOOSE, STEP_FORCE, STEP_SUBSTITUTE, STEP_GIVE_UP, STEP_NONE = (
    "decode", "ban", "choose", "force", "substitute", "give-up", "none")

LADDER = frozenset({STEP_BAN, STEP_CHOOSE, STEP_FORCE, STEP_SUBSTITUTE})


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
class EnforcedBatch:
    texts: list[str]
    occurrences: list[list[Occurrence]]
    decode_calls: int
