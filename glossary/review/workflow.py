"""The editors' workflow: propose, approve and reject changes to a glossary file.

A proposal (`glossary.review.proposals`) is checked when made (the concept
and locale exist, the status is valid, and the glossary would still load with
it applied: `glossary.review.planning`), kept next to the glossary until an
editor decides, and on approval applied by the one edit engine
(`glossary.edit`), so the file keeps its comments, layout, line endings and
BOM and a `git diff` shows only the change. Every step is recorded in
`<name>.history.yaml` (see `glossary.review.history`).

Every command reads each file once, with a snapshot of the bytes it read, and
writes through `glossary.files.write_group`: all of glossary, proposals and
history or none of them, even when killed at any point, and never over a save
that landed after the read. Such a save is merged: the command plans again on
the newer file and writes then (or refuses, if the change no longer applies).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from glossary import files
from glossary.edit.records import Change
from glossary.edit.store import GlossaryFile, encode_like, read_glossary_file
from glossary.edit.yaml_edit import DEFAULT_LOCK_TIMEOUT, ReviewFileError, glossary_lock
from glossary.review.errors import (
    MissingField,
    NothingToChange,
    ProposalClosed,
    ProposalInvalid,
    ProposalMoot,
    ProposalStale,
    ReviewConflict,
    ReviewInputError,
    UnknownProposal,
)
from glossary.review.history import (
    APPROVED,
    PROPOSED,
    REJECTED,
    HistoryEvent,
    dump_history,
    history_path,
    read_history_file,
)
from glossary.review.planning import Plan, clean, plan_edits, plan_proposal, plan_rendering
from glossary.review.proposals import (
    APPROVED_STATE,
    OPEN,
    PROPOSAL_ID,
    REJECTED_STATE,
    STATES,
    Proposal,
    default_user,
    dump_proposals,
    iso,
    proposals_path,
    read_proposals,
    utc_now,
)
from glossary.review.side_files import SideList
from glossary.termbase.load import default_glossary_path
from glossary.termbase.model import Status

__all__ = ["GlossaryReview"]

T = TypeVar("T")
# How often a command plans again on a newer save before it gives up.
_ATTEMPTS = 5

# --------------------------------------------------------------------------- the workflow


@dataclass
class _State:
    """One read of the three files, each as read: its rewrite is checked against that snapshot."""

    glossary: GlossaryFile
    proposals: list[Proposal]
    proposals_file: SideList
    history: list[HistoryEvent]
    history_file: SideList


class GlossaryReview:
    """The review workflow of one glossary file (None: the curated glossary).

    `clock` returns the current time (tests pass a fixed one); `lock_timeout`
    is how long a command waits for another one working on the same glossary.
    """

    def __init__(
        self,
        glossary_path: Path | str | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ) -> None:
        self.glossary_path = Path(glossary_path) if glossary_path is not None else default_glossary_path()
        self.proposals_path = proposals_path(self.glossary_path)
        self.history_path = history_path(self.glossary_path)
        self.clock = clock
        self.lock_timeout = lock_timeout

    # -- reading ---------------------------------------------------------------

    def _read_proposals(self) -> tuple[list[Proposal], SideList]:
        return read_proposals(self.proposals_path)

    def _read_history(self) -> tuple[list[HistoryEvent], SideList]:
        return read_history_file(self.glossary_path)

    def _settle(self) -> None:
        # A change a killed command left half done is finished or undone first.
        try:
            files.recover(self.glossary_path)
        except files.FileWriteError as error:
            raise ReviewFileError(str(error)) from None

    def _state(self) -> _State:
        glossary = read_glossary_file(self.glossary_path)
        proposals, proposals_file = self._read_proposals()
        history, history_file = self._read_history()
        return _State(glossary, proposals, proposals_file, history, history_file)

    def proposals(self, state: str | None = None) -> list[Proposal]:
        """Every proposal (or those in one state), by id."""
        if state is not None and state not in STATES:
            raise ReviewInputError(f"unknown proposal state {state!r}; use one of: {', '.join(STATES)}")
        self._settle()
        found, _ = self._read_proposals()
        return [p for p in found if state is None or p.state == state]

    def get(self, proposal_id: str) -> Proposal:
        """The proposal with this id (`P3`, `p3` and `3` all name it)."""
        return self._find(self.proposals(), proposal_id)

    def _find(self, proposals: list[Proposal], proposal_id: str) -> Proposal:
        wanted = self._normal_id(proposal_id)
        for proposal in proposals:
            if proposal.id == wanted:
                return proposal
        raise UnknownProposal(
            f"no proposal {proposal_id!r} for {self.glossary_path.name}; "
            "`termguard glossary proposals` lists the open ones"
        )

    def history(self, concept: str | None = None) -> list[HistoryEvent]:
        """Recorded events, oldest first; only those about `concept` if given."""
        self._settle()
        events, _ = self._read_history()
        return [e for e in events if concept is None or e.concerns(concept)]

    # -- planning --------------------------------------------------------------

    def plan(self, concept: str, locale: str, text: str, status: str | Status,
             forms: tuple[str, ...] | list[str] = ()) -> Plan:
        """Apply a change in memory and prove the result loads; nothing is written.

        Raises UnknownConcept, UnknownLocale, InvalidStatus, MissingField,
        NothingToChange or ProposalInvalid.
        """
        return plan_rendering(self.glossary_path, read_glossary_file(self.glossary_path), concept, locale,
                              text, status, forms)

    def preview(self, proposal_id: str) -> tuple[Proposal, Plan]:
        """An open proposal and what approving it now would do (nothing is written)."""
        proposal = self.get(proposal_id)
        self._require_open(proposal)
        return proposal, plan_proposal(self.glossary_path, read_glossary_file(self.glossary_path), proposal)

    # -- acting ----------------------------------------------------------------

    def propose(self, concept: str, locale: str, text: str, status: str | Status, reason: str,
                by: str | None = None, forms: tuple[str, ...] | list[str] = ()) -> tuple[Proposal, Plan]:
        """Check and record a proposal; returns it with what approving it would do."""
        reason = self._required(reason, "--reason: say why the rule should change")
        who = self._who(by)

        def attempt() -> tuple[Proposal, Plan]:
            state = self._state()
            plan = plan_rendering(self.glossary_path, state.glossary, concept, locale, text, status, forms)
            requested = plan.changes[0]
            proposal = Proposal(
                id=self._next_id(state.proposals),
                concept=concept,
                locale=requested.locale,
                text=requested.text,
                status=str(requested.new_status),
                reason=reason,
                by=who,
                when=iso(self.clock()),
                forms=tuple(dict.fromkeys(clean(f) for f in forms if clean(f))),
                changes=tuple(c.describe() for c in plan.changes),
            )
            event = HistoryEvent(
                event=PROPOSED, proposal=proposal.id, concept=concept, locale=proposal.locale,
                by=who, when=proposal.when, reason=reason, text=proposal.text, status=proposal.status,
            )
            self._commit(state, proposals=[*state.proposals, proposal], events=[event])
            return proposal, plan

        return self._locked(attempt)

    def propose_edits(self, edits: Sequence[Change], reason: str, by: str | None = None, *,
                      source: str = "", approve_reason: str | None = None) -> tuple[Proposal, Plan]:
        """Record an import's edit records as one proposal; with `approve_reason`, approve it at once.

        Approving at once writes the glossary, the proposal (approved) and both
        history events as one change.
        """
        reason = self._required(reason, "--reason: say why the import should be made")
        who = self._who(by)
        if not edits:
            raise NothingToChange("the import changes nothing")

        def attempt() -> tuple[Proposal, Plan]:
            state = self._state()
            plan = plan_edits(self.glossary_path, state.glossary, edits)
            when = iso(self.clock())
            concepts = list(dict.fromkeys(e.concept for e in edits if e.concept))
            proposal = Proposal(
                id=self._next_id(state.proposals), concept=", ".join(concepts), locale="", text="",
                status="", reason=reason, by=who, when=when,
                changes=tuple(e.describe() for e in edits), edits=tuple(edits), source=source,
            )
            proposed = HistoryEvent(
                event=PROPOSED, proposal=proposal.id, concept=proposal.concept, locale="", by=who,
                when=when, reason=reason, edits=tuple(e.to_json() for e in edits), source=source,
            )
            if approve_reason is None:
                self._commit(state, proposals=[*state.proposals, proposal], events=[proposed])
                return proposal, plan
            decided, approved = self._decide_approved(proposal, plan, who, approve_reason, when)
            self._commit(state, proposals=[*state.proposals, decided], events=[proposed, approved], plan=plan)
            return decided, plan

        return self._locked(attempt)

    def approve(self, proposal_id: str, by: str | None = None, reason: str = "") -> tuple[Proposal, HistoryEvent]:
        """Apply an open proposal to the glossary file and record who, when and why.

        The edited file is validated before anything is written; glossary,
        proposals and history change together or not at all. A save that lands
        after the read is merged: the approval is planned again on it.
        """
        who = self._who(by)

        def attempt() -> tuple[Proposal, HistoryEvent]:
            state = self._state()
            proposal = self._find(state.proposals, proposal_id)
            self._require_open(proposal)
            try:
                plan = plan_proposal(self.glossary_path, state.glossary, proposal)
            except NothingToChange as error:
                raise ProposalMoot(error.message, error.problems) from None
            except ProposalInvalid as error:
                raise ProposalStale(error.message, error.problems) from None
            decided, event = self._decide_approved(proposal, plan, who, reason, iso(self.clock()))
            self._commit(state, proposals=[decided if p.id == proposal.id else p for p in state.proposals],
                         events=[event], plan=plan)
            return decided, event

        return self._locked(attempt)

    def reject(self, proposal_id: str, reason: str, by: str | None = None) -> Proposal:
        """Close an open proposal without changing the glossary; the reason is required."""
        reason = self._required(reason, "--reason: say why the proposal is rejected")
        who = self._who(by)

        def attempt() -> Proposal:
            self._settle()
            proposals, proposals_file = self._read_proposals()
            history, history_file = self._read_history()
            proposal = self._find(proposals, proposal_id)
            self._require_open(proposal)
            when = iso(self.clock())
            decided = replace(proposal, state=REJECTED_STATE, decided_by=who, decided_when=when,
                              decision_reason=reason)
            event = HistoryEvent(
                event=REJECTED, proposal=proposal.id, concept=proposal.concept, locale=proposal.locale,
                by=who, when=when, reason=reason, text=proposal.text, status=proposal.status,
                proposed_by=proposal.by, proposed_when=proposal.when, proposal_reason=proposal.reason,
                source=proposal.source,
            )
            self._write(self._side_writes(proposals_file, [decided if p.id == proposal.id else p for p in proposals],
                                          history_file, [*history, event]))
            return decided

        return self._locked(attempt)

    # -- helpers ---------------------------------------------------------------

    def _decide_approved(self, proposal: Proposal, plan: Plan, who: str, reason: str,
                         when: str) -> tuple[Proposal, HistoryEvent]:
        decided = replace(
            proposal, state=APPROVED_STATE, decided_by=who, decided_when=when,
            decision_reason=clean(reason) or None,
            changes=tuple(c.describe() for c in plan.changes) if not proposal.edits else proposal.changes,
        )
        event = HistoryEvent(
            event=APPROVED, proposal=proposal.id, concept=proposal.concept, locale=proposal.locale,
            by=who, when=when, reason=clean(reason), text=proposal.text, status=proposal.status,
            changes=plan.changes, proposed_by=proposal.by, proposed_when=proposal.when,
            proposal_reason=proposal.reason, glossary_before=plan.before.digest,
            glossary_after=plan.after.digest, edits=tuple(e.to_json() for e in plan.edits),
            source=proposal.source,
        )
        return decided, event

    def _commit(self, state: _State, *, proposals: list[Proposal], events: list[HistoryEvent],
                plan: Plan | None = None) -> None:
        """Write what one command changed as one group, each file checked against its read."""
        writes: list[tuple[Path, bytes | str, files.Snapshot | None]] = []
        if plan is not None:
            # The glossary first: the group's journal lives next to it, where every reader looks.
            writes.append((self.glossary_path, plan.data_after, state.glossary.snapshot))
        writes += self._side_writes(state.proposals_file, proposals, state.history_file, [*state.history, *events])
        self._write(writes)

    def _side_writes(self, proposals_file: SideList, proposals: list[Proposal], history_file: SideList,
                     history: list[HistoryEvent]) -> list[tuple[Path, bytes | str, files.Snapshot | None]]:
        """The proposals and history files' new bytes, each checked against its read.

        The text of every record that did not change is kept; the files keep
        their line endings and BOM too, if an editor's tool changed them.
        """
        return [
            (self.proposals_path, encode_like(proposals_file.snapshot, self._dump_proposals(proposals, proposals_file)),
             proposals_file.snapshot),
            (self.history_path, encode_like(history_file.snapshot,
                                            dump_history(self.glossary_path, history, history_file)),
             history_file.snapshot),
        ]

    def _write(self, writes: list[tuple[Path, bytes | str, files.Snapshot | None]]) -> None:
        try:
            files.write_group(writes)
        except files.ConcurrentEditError:
            raise
        except files.FileWriteError as error:
            raise ReviewFileError(str(error)) from None

    def _locked(self, attempt: Callable[[], T]) -> T:
        """Run `attempt` under the glossary's lock, again on a newer save (up to _ATTEMPTS times)."""
        with glossary_lock(self.glossary_path, self.lock_timeout):
            for _ in range(_ATTEMPTS):
                try:
                    return attempt()
                except files.ConcurrentEditError:
                    continue  # someone saved one of the files since it was read: plan on their save
        raise ReviewConflict(
            f"{self.glossary_path} or its side files kept changing while the command ran "
            f"({_ATTEMPTS} tries); nothing was written, run it again"
        )

    @staticmethod
    def _next_id(existing: list[Proposal]) -> str:
        return f"P{max((p.number for p in existing), default=0) + 1}"

    @staticmethod
    def _normal_id(proposal_id: str) -> str:
        value = clean(proposal_id).upper()
        if value.isdigit():
            value = f"P{int(value)}"
        if not PROPOSAL_ID.match(value):
            raise UnknownProposal(f"{proposal_id!r} is not a proposal id; ids look like P1, P2, ...")
        return value

    @staticmethod
    def _require_open(proposal: Proposal) -> None:
        if proposal.state != OPEN:
            raise ProposalClosed(
                f"proposal {proposal.id} was already {proposal.state} by {proposal.decided_by} "
                f"on {proposal.decided_when}"
            )

    @staticmethod
    def _required(value: str | None, hint: str) -> str:
        cleaned = clean(value or "")
        if not cleaned:
            raise MissingField(f"a reason is required ({hint})")
        return cleaned

    @staticmethod
    def _who(by: str | None) -> str:
        if by is None:
            return default_user()
        cleaned = clean(by)
        if not cleaned:
            raise MissingField("--by is empty; give a name")
        return cleaned

    def _dump_proposals(self, proposals: list[Proposal], previous: SideList | None = None) -> str:
        return dump_proposals(self.glossary_path, proposals, previous)
