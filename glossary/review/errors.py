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
    "ProposalMoot",
    "ProposalStale",
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
        self.message = message
        self.problems: list[Problem] = list(problems or [])
        # Like GlossaryInvalid: the first few problems, then how many more.
        details = "".join(f"\n  {p}" for p in self.problems[:SHOWN_PROBLEMS])
        if len(self.problems) > SHOWN_PROBLEMS:
            details += f"\n  ... and {len(self.problems) - SHOWN_PROBLEMS} more"
        super().__init__(message + details)


class NothingToChange(ProposalInvalid):
    """The glossary already says what the proposal asks for."""


class ProposalStale(ProposalInvalid):
    """An open proposal the glossary, as it is now, cannot take (it was edited since)."""

    exit_code = 1  # a failure: the proposal was fine when made; it stays open, to be rejected


class ProposalMoot(NothingToChange, ProposalStale):
    """An open proposal whose change the glossary already has (another approval made it pointless)."""

    exit_code = 1


class ReviewConflict(ReviewFileError):
    """The files kept changing under the command (editors saving); nothing was written."""

