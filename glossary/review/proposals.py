"""Propose, approve and reject changes to a glossary file.

A proposal says: in concept C, locale L, the rendering TEXT should have status
S (optionally with more inflected forms), because REASON; or, for an import,
it carries the import's edit records. It is checked when made (the concept
and locale exist, the status is valid, and the glossary would still load with
it applied), kept in `<name>.proposals.yaml` next to the glossary until an
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

import getpass
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from glossary import files
from glossary.edit.apply import apply_edits
from glossary.edit.plan import expand_edits, rendering_edit
from glossary.edit.records import Change, RenderingChange, rendering_changes
from glossary.edit.store import GlossaryFile, encode_like, read_glossary_file
from glossary.edit.yaml_edit import DEFAULT_LOCK_TIMEOUT, ReviewFileError, glossary_lock
from glossary.errors import GlossaryError, GlossaryInvalid, Problem, UnknownLocale
from glossary.review.history import (
    APPROVED,
    PROPOSED,
    REJECTED,
    HistoryEvent,
    dump_history,
    dump_yaml_list,
    history_path,
    read_yaml_list,
    side_path,
)
from glossary.termbase.load import default_glossary_path
from glossary.termbase.locales import normalize_locale
from glossary.termbase.model import Glossary, Status

__all__ = [
    "APPROVED_STATE",
    "OPEN",
    "REJECTED_STATE",
    "GlossaryReview",
    "InvalidStatus",
    "MissingField",
    "NothingToChange",
    "Plan",
    "Proposal",
    "ProposalClosed",
    "ProposalInvalid",
    "ReviewConflict",
    "ReviewInputError",
    "UnknownProposal",
    "default_user",
    "proposals_path",
    "utc_now",
]

OPEN = "open"
APPROVED_STATE = "approved"
REJECTED_STATE = "rejected"
STATES = (OPEN, APPROVED_STATE, REJECTED_STATE)
_ID = re.compile(r"^P([1-9][0-9]*)$")

_HEADER = (
    "# Change proposals for {name}, kept until an editor approves or rejects them.\n"
    "# Written by `termguard glossary propose/approve/reject`; do not edit by hand.\n"
)


# --------------------------------------------------------------------------- errors


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

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        self.problems: list[Problem] = list(problems or [])
        details = "".join(f"\n  {p}" for p in self.problems)
        super().__init__(message + details)


class NothingToChange(ProposalInvalid):
    """The glossary already says what the proposal asks for."""


class ReviewConflict(ReviewFileError):
    """The files kept changing under the command (editors saving); nothing was written."""


T = TypeVar("T")
# How often a command plans again on a newer save before it gives up.
_ATTEMPTS = 5


# --------------------------------------------------------------------------- records


def utc_now() -> datetime:
    """The current time in UTC (the default clock)."""
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    # Seconds are precise enough for a person; UTC so two editors' clocks agree.
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def default_user() -> str:
    """The login name of whoever runs the command (what `--by` defaults to)."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):
        name = ""
    if not name.strip():
        raise MissingField("cannot tell who you are from the environment; pass --by NAME")
    return name.strip()


def proposals_path(glossary_path: Path) -> Path:
    """Where the proposals of a glossary file are kept (`curated.proposals.yaml`)."""
    return side_path(glossary_path, "proposals")


@dataclass(frozen=True)
class Proposal:
    """One proposed change and, once decided, the decision.

    `changes` describes, one line each, what the proposal does to the
    glossary: as predicted when it was made, and as applied once approved.
    """

    id: str
    concept: str
    locale: str
    text: str
    status: str
    reason: str
    by: str
    when: str
    forms: tuple[str, ...] = ()
    state: str = OPEN
    decided_by: str | None = None
    decided_when: str | None = None
    decision_reason: str | None = None
    changes: tuple[str, ...] = ()
    # An import's edit records (glossary.edit.records); empty for a rendering proposal.
    edits: tuple[Change, ...] = ()
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def number(self) -> int:
        """The numeric part of the id (P12 -> 12), for ordering and the next id."""
        match = _ID.match(self.id)
        return int(match.group(1)) if match else 0

    def to_dict(self) -> dict[str, Any]:
        """The record as written to the proposals file and printed by `--json`."""
        record: dict[str, Any] = {
            "id": self.id,
            "state": self.state,
            "concept": self.concept,
            "locale": self.locale,
            "text": self.text,
            "status": self.status,
            "forms": list(self.forms),
            "reason": self.reason,
            "by": self.by,
            "when": self.when,
            "changes": list(self.changes),
            "decided_by": self.decided_by,
            "decided_when": self.decided_when,
            "decision_reason": self.decision_reason,
        }
        if self.edits:
            record["source"] = self.source
            record["edits"] = [{k: v for k, v in e.to_json().items() if k != "description"} for e in self.edits]
        record.update(self.extra)
        return record

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Proposal:
        """Read one record, checking the fields the workflow relies on."""
        known = {
            "id", "state", "concept", "locale", "text", "status", "forms", "reason", "by",
            "when", "changes", "decided_by", "decided_when", "decision_reason", "edits", "source",
        }

        def text(key: str) -> str:
            value = record.get(key)
            return "" if value is None else str(value)

        def optional(key: str) -> str | None:
            value = record.get(key)
            return None if value is None else str(value)

        proposal = cls(
            id=text("id"),
            concept=text("concept"),
            locale=text("locale"),
            text=text("text"),
            status=text("status"),
            reason=text("reason"),
            by=text("by"),
            when=text("when"),
            forms=tuple(str(f) for f in record.get("forms") or ()),
            state=text("state") or OPEN,
            decided_by=optional("decided_by"),
            decided_when=optional("decided_when"),
            decision_reason=optional("decision_reason"),
            changes=tuple(str(c) for c in record.get("changes") or ()),
            edits=tuple(Change.from_json(e) for e in record.get("edits") or ()),
            source=text("source"),
            extra={k: v for k, v in record.items() if k not in known},
        )
        if not _ID.match(proposal.id):
            raise ValueError(f"bad proposal id {proposal.id!r}")
        if proposal.state not in STATES:
            raise ValueError(f"proposal {proposal.id} has unknown state {proposal.state!r}")
        return proposal


@dataclass(frozen=True)
class Plan:
    """What applying a proposal to the current glossary file gives.

    `before` and `after` are the validated glossaries, `text_before` and
    `text_after` the file's text; `changes` lists every rendering touched, the
    requested change first.
    """

    before: Glossary
    after: Glossary
    text_before: str
    text_after: str
    changes: tuple[RenderingChange, ...]
    edits: tuple[Change, ...] = ()  # the records the applier wrote
    data_after: bytes = b""  # the file's bytes after (its line endings and BOM kept)


# --------------------------------------------------------------------------- planning


def _clean(value: str) -> str:
    return " ".join(str(value).split())


def _parse_status(value: str) -> Status:
    try:
        return Status(_clean(value).lower())
    except ValueError:
        choices = " | ".join(s.value for s in Status)
        raise InvalidStatus(f"unknown status {value!r}; use one of: {choices}") from None


def _check_clash(after: Glossary, concept_id: str, locale: str, text: str) -> None:
    """Refuse a rendering whose words another rendering gives the opposite verdict.

    The loader refuses a text that is both preferred and forbidden; a form
    shared by an acceptable and an unacceptable rendering is the same
    contradiction one level down (`Karabachs` forbidden while it is a form of
    the preferred `Karabach`), and the checks could not tell which applies.
    """
    renderings = after.renderings(concept_id, locale)
    mine = next((r for r in renderings if r.text.casefold() == text.casefold()), None)
    if mine is None:
        return
    surfaces = {s.casefold(): s for s in mine.surfaces}
    for other in renderings:
        if other is mine or other.status.acceptable == mine.status.acceptable:
            continue
        shared = sorted(surfaces[s.casefold()] for s in other.surfaces if s.casefold() in surfaces)
        if shared:
            raise ProposalInvalid(
                f"{concept_id}/{locale}: {', '.join(repr(s) for s in shared)} would be "
                f"{mine.status.value} (as {mine.text!r}) and {other.status.value} (as {other.text!r}) "
                "at once; change the status of the existing rendering instead, or drop the form"
            )


# --------------------------------------------------------------------------- the workflow


@dataclass
class _State:
    """One read of the three files, each with the snapshot its rewrite is checked against."""

    glossary: GlossaryFile
    proposals: list[Proposal]
    proposals_snapshot: files.Snapshot
    history: list[HistoryEvent]
    history_snapshot: files.Snapshot


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

    def _read_proposals(self) -> tuple[list[Proposal], files.Snapshot]:
        records, snap = read_yaml_list(self.proposals_path, "proposals")
        found: list[Proposal] = []
        for index, record in enumerate(records):
            try:
                found.append(Proposal.from_dict(record))
            except (ValueError, TypeError) as error:
                raise ReviewFileError(f"{self.proposals_path}: proposal {index + 1}: {error}") from None
        found.sort(key=lambda p: p.number)
        return found, snap

    def _read_history(self) -> tuple[list[HistoryEvent], files.Snapshot]:
        records, snap = read_yaml_list(self.history_path, "events")
        events: list[HistoryEvent] = []
        for index, record in enumerate(records):
            try:
                events.append(HistoryEvent.from_dict(record))
            except (ValueError, TypeError) as error:
                raise ReviewFileError(f"{self.history_path}: event {index + 1}: {error}") from None
        return events, snap

    def _settle(self) -> None:
        # A change a killed command left half done is finished or undone first.
        try:
            files.recover(self.glossary_path)
        except files.FileWriteError as error:
            raise ReviewFileError(str(error)) from None

    def _state(self) -> _State:
        glossary = read_glossary_file(self.glossary_path)
        proposals, proposals_snapshot = self._read_proposals()
        history, history_snapshot = self._read_history()
        return _State(glossary, proposals, proposals_snapshot, history, history_snapshot)

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
        return self._plan(read_glossary_file(self.glossary_path), concept, locale, text, status, forms)

    def _plan(self, current: GlossaryFile, concept: str, locale: str, text: str,
              status: str | Status, forms: tuple[str, ...] | list[str]) -> Plan:
        before = current.glossary
        wanted = status if isinstance(status, Status) else _parse_status(status)
        locale = normalize_locale(locale)
        if locale not in before.locales:
            raise UnknownLocale(
                f"the glossary does not list locale {locale!r} (it lists {', '.join(before.locales)}); "
                "add it to 'locales' first"
            )
        before.concept(concept)  # UnknownConcept, with a hint
        text = _clean(text)
        if not text or not any(c.isalnum() for c in text):
            raise MissingField("the rendering text is empty; give the term as written in running text")
        cleaned_forms = tuple(dict.fromkeys(_clean(f) for f in forms if _clean(f)))
        change = rendering_edit(before, concept, locale, text, wanted, cleaned_forms)
        if change.old == change.new:
            raise NothingToChange(
                f"{concept}/{locale}: {text!r} is already {wanted.value}"
                + (" with those forms" if cleaned_forms else "")
            )
        plan = self._apply(current, [change], first=text,
                           refusal=f"{concept}/{locale}: with {text!r} as {wanted.value} the glossary would not load")
        _check_clash(plan.after, concept, locale, text)
        return plan

    def _apply(self, current: GlossaryFile, edits: Sequence[Change], *, first: str | None = None,
               refusal: str = "with these changes the glossary would not load") -> Plan:
        try:
            applied = apply_edits(current.text, str(self.glossary_path), edits, encode=current.encode)
        except GlossaryInvalid as error:
            raise ProposalInvalid(refusal, error.problems) from None
        described = [c for edit in edits for c in rendering_changes(edit, first=first)]
        return Plan(current.glossary, applied.glossary, current.text, applied.text, tuple(described),
                    tuple(edits), current.encode(applied.text))

    def _plan_edits(self, current: GlossaryFile, edits: Sequence[Change]) -> Plan:
        """An import's records applied to the file as it is now (ApplyConflict if they no longer fit)."""
        expanded = expand_edits(current.glossary, edits, str(self.glossary_path))
        if not expanded:
            raise NothingToChange("the import changes nothing")
        return self._apply(current, expanded)

    def _plan_proposal(self, current: GlossaryFile, proposal: Proposal) -> Plan:
        if proposal.edits:
            return self._plan_edits(current, proposal.edits)
        return self._plan(current, proposal.concept, proposal.locale, proposal.text, proposal.status,
                          proposal.forms)

    def preview(self, proposal_id: str) -> tuple[Proposal, Plan]:
        """An open proposal and what approving it now would do (nothing is written)."""
        proposal = self.get(proposal_id)
        self._require_open(proposal)
        return proposal, self._plan_proposal(read_glossary_file(self.glossary_path), proposal)

    # -- acting ----------------------------------------------------------------

    def propose(self, concept: str, locale: str, text: str, status: str | Status, reason: str,
                by: str | None = None, forms: tuple[str, ...] | list[str] = ()) -> tuple[Proposal, Plan]:
        """Check and record a proposal; returns it with what approving it would do."""
        reason = self._required(reason, "--reason: say why the rule should change")
        who = self._who(by)

        def attempt() -> tuple[Proposal, Plan]:
            state = self._state()
            plan = self._plan(state.glossary, concept, locale, text, status, forms)
            requested = plan.changes[0]
            proposal = Proposal(
                id=self._next_id(state.proposals),
                concept=concept,
                locale=requested.locale,
                text=requested.text,
                status=str(requested.new_status),
                reason=reason,
                by=who,
                when=_iso(self.clock()),
                forms=tuple(dict.fromkeys(_clean(f) for f in forms if _clean(f))),
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
            plan = self._plan_edits(state.glossary, edits)
            when = _iso(self.clock())
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
            plan = self._plan_proposal(state.glossary, proposal)
            decided, event = self._decide_approved(proposal, plan, who, reason, _iso(self.clock()))
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
            proposals, proposals_snapshot = self._read_proposals()
            history, history_snapshot = self._read_history()
            proposal = self._find(proposals, proposal_id)
            self._require_open(proposal)
            when = _iso(self.clock())
            decided = replace(proposal, state=REJECTED_STATE, decided_by=who, decided_when=when,
                              decision_reason=reason)
            event = HistoryEvent(
                event=REJECTED, proposal=proposal.id, concept=proposal.concept, locale=proposal.locale,
                by=who, when=when, reason=reason, text=proposal.text, status=proposal.status,
                proposed_by=proposal.by, proposed_when=proposal.when, proposal_reason=proposal.reason,
                source=proposal.source,
            )
            self._write([
                (self.history_path, dump_history(self.glossary_path, [*history, event]), history_snapshot),
                (self.proposals_path, self._dump_proposals(
                    [decided if p.id == proposal.id else p for p in proposals]), proposals_snapshot),
            ])
            return decided

        return self._locked(attempt)

    # -- helpers ---------------------------------------------------------------

    def _decide_approved(self, proposal: Proposal, plan: Plan, who: str, reason: str,
                         when: str) -> tuple[Proposal, HistoryEvent]:
        decided = replace(
            proposal, state=APPROVED_STATE, decided_by=who, decided_when=when,
            decision_reason=_clean(reason) or None,
            changes=tuple(c.describe() for c in plan.changes) if not proposal.edits else proposal.changes,
        )
        event = HistoryEvent(
            event=APPROVED, proposal=proposal.id, concept=proposal.concept, locale=proposal.locale,
            by=who, when=when, reason=_clean(reason), text=proposal.text, status=proposal.status,
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
        # Side files keep their line endings and BOM too, if an editor's tool changed them.
        writes.append((self.proposals_path, encode_like(state.proposals_snapshot, self._dump_proposals(proposals)),
                       state.proposals_snapshot))
        writes.append((self.history_path,
                       encode_like(state.history_snapshot, dump_history(self.glossary_path, [*state.history, *events])),
                       state.history_snapshot))
        self._write(writes)

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
        value = _clean(proposal_id).upper()
        if value.isdigit():
            value = f"P{int(value)}"
        if not _ID.match(value):
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
        cleaned = _clean(value or "")
        if not cleaned:
            raise MissingField(f"a reason is required ({hint})")
        return cleaned

    @staticmethod
    def _who(by: str | None) -> str:
        if by is None:
            return default_user()
        cleaned = _clean(by)
        if not cleaned:
            raise MissingField("--by is empty; give a name")
        return cleaned

    def _dump_proposals(self, proposals: list[Proposal]) -> str:
        return dump_yaml_list(_HEADER, self.glossary_path.name, "proposals", [p.to_dict() for p in proposals])
