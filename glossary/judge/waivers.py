"""Waivers: an editor accepts one finding on one paragraph, saying who and why.

A waiver names a concept and a verdict kind and holds the hash of the
translation it was given for; it accepts a verdict of that concept and kind
only while the text is unchanged (`holds_for`), so editing the text drops it.
Where waivers are stored (a catalog entry's translator comments) is up to the
caller; the judge only asks `accepts`.
"""

from __future__ import annotations

from dataclasses import dataclass

from glossary.judge.verdicts import Verdict, text_hash


@dataclass(frozen=True)
class Waiver:
    """One accepted finding."""

    concept: str
    kind: str
    text_hash: str  # text_hash() of the translation the editor accepted
    by: str
    why: str

    @property
    def label(self) -> str:
        return f"{self.by}: {self.why}"

    def holds_for(self, translation: str) -> bool:
        """Whether the translation is still the one the editor accepted."""
        return self.text_hash == text_hash(translation)

    def accepts(self, verdict: Verdict) -> bool:
        return verdict.concept == self.concept and verdict.kind == self.kind
