"""The errors of the review workflow, each saying bad input (exit 2) or failure (exit 1)."""

from __future__ import annotations

from glossary.edit.yaml_edit import ReviewFileError
from glossary.errors import SHOWN_PROBLEMS, GlossaryError, Problem

__all__ = [
    "InvalidStatus",
    "MissingField",
    "NothingToChange",
    "ProposalClosed",
    "ProposalInvalid",
    "ReviewConflict",
    "ReviewInputError",
    "UnknownProposal",
]


class ReviewInputError(GlossaryError):
    """A request the workflow cannot act on as given (bad status, id, missing reason...)."""

    exit_code = 2  # bad input


class InvalidStatus(ReviewInputError):
    """A status that is not one of the TBX statuses."""


class MissingField(ReviewInputError):
    """A required value (text, reason, who) is empty."""


class UnknownProposal(ReviewInputError):
    """No proposal has this id."""


class ProposalClosed(ReviewInputError):
    """The proposal was already approved or rejected."""


class ProposalInvalid(GlossaryError):
    """Applying the proposal would leave a glossary that does not load, or contradicts itself."""

    exit_code = 2  # bad input: the proposal asks for what the glossary cannot take

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        self.problems: list[Problem] = list(problems or [])
        # Like GlossaryInvalid: the first few problems, then how many more.
        details = "".join(f"\n  {p}" for p in self.problems[:SHOWN_PROBLEMS])
        if len(self.problems) > SHOWN_PROBLEMS:
            details += f"\n  ... and {len(self.problems) - SHOWN_PROBLEMS} more"
        super().__init__(message + details)


class NothingToChange(ProposalInvalid):
    """The glossary already says what the proposal asks for."""


class ReviewConflict(ReviewFileError):
    """The files kept changing under the command (editors saving); nothing was written."""

