"""The one judge: the verdict of every glossary occurrence in a (source, translation) pair."""

from glossary.judge.judge import Judge
from glossary.judge.verdicts import (
    ERROR_KINDS,
    KINDS,
    Verdict,
    outcome_of,
)

__all__ = ["ERROR_KINDS", "KINDS", "Judge", "Verdict", "outcome_of"]
