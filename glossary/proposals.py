"""Propose, approve and reject changes to a glossary file.

A proposal says: in concept C, locale L, the rendering TEXT should have status
S (optionally with more inflected forms), because REASON. It is checked when
made (the concept and locale exist, the status is valid, and the glossary
would still load with it applied), kept in `<name>.proposals.yaml` next to the
glossary until an editor decides, and on approval applied to the YAML with
`glossary.yaml_edit`, so the file keeps its comments and layout and a
`git diff` shows only the change. Every step is recorded in
`<name>.history.yaml` (see `glossary.history`).

All three files are written atomically while the glossary's lock file is
held; an approval writes them as one step and undoes the ones written if a
later write fails.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from glossary.errors import GlossaryError, GlossaryInvalid, Problem, UnknownLocale
from glossary.history import (
    APPROVED,
    PROPOSED,
    REJECTED,
    HistoryEvent,
    dump_history,
    dump_yaml_list,
    history_path,
    load_yaml_list,
    read_history,
    side_path,
)
from glossary.load import default_glossary_path, load_glossary
from glossary.locales import normalize_locale
from glossary.model import Glossary, Status
from glossary.yaml_edit import (
    DEFAULT_LOCK_TIMEOUT,
    RenderingChange,
    ReviewFileError,
    atomic_write_bytes,
    edit_text,
    glossary_lock,
    load_glossary_text,
    read_text,
    write_all_or_nothing,
)

__all__ = [
    "APPROVED_STATE",
    "GlossaryReview",
    "InvalidStatus",
    "MissingField",
    "NothingToChange",
    "OPEN",
    "Plan",
    "Proposal",
    "ProposalClosed",
    "ProposalInvalid",
    "REJECTED_STATE",
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


# --------------------------------------------------------------------------- records


def utc_now() -> datetime:
    """The current time in UTC (the default clock)."""
    return datetime.now(timezone.utc)


def _iso(moment: datetime) -> str:
    # Seconds are precise enough for a person; UTC so two editors' clocks agree.
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


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
        record.update(self.extra)
        return record

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Proposal:
        """Read one record, checking the fields the workflow relies on."""
        known = {
            "id", "state", "concept", "locale", "text", "status", "forms", "reason", "by",
            "when", "changes", "decided_by", "decided_when", "decision_reason",
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

    def proposals(self, state: str | None = None) -> list[Proposal]:
        """Every proposal (or those in one state), by id."""
        if state is not None and state not in STATES:
            raise ReviewInputError(f"unknown proposal state {state!r}; use one of: {', '.join(STATES)}")
        found: list[Proposal] = []
        for index, record in enumerate(load_yaml_list(self.proposals_path, "proposals")):
            try:
                found.append(Proposal.from_dict(record))
            except (ValueError, TypeError) as error:
                raise ReviewFileError(f"{self.proposals_path}: proposal {index + 1}: {error}") from None
        found.sort(key=lambda p: p.number)
        return [p for p in found if state is None or p.state == state]

    def get(self, proposal_id: str) -> Proposal:
        """The proposal with this id (`P3`, `p3` and `3` all name it)."""
        wanted = self._normal_id(proposal_id)
        for proposal in self.proposals():
            if proposal.id == wanted:
                return proposal
        raise UnknownProposal(
            f"no proposal {proposal_id!r} for {self.glossary_path.name}; "
            "`termguard glossary proposals` lists the open ones"
        )

    def history(self, concept: str | None = None) -> list[HistoryEvent]:
        """Recorded events, oldest first; only those about `concept` if given."""
        events = read_history(self.glossary_path)
        return [e for e in events if concept is None or e.concerns(concept)]

    # -- planning --------------------------------------------------------------

    def plan(self, concept: str, locale: str, text: str, status: str | Status,
             forms: tuple[str, ...] | list[str] = ()) -> Plan:
        """Apply a change in memory and prove the result loads; nothing is written.

        Raises UnknownConcept, UnknownLocale, InvalidStatus, MissingField,
        NothingToChange or ProposalInvalid.
        """
        text_before = read_text(self.glossary_path)
        before = load_glossary(self.glossary_path)
        return self._plan(text_before, before, concept, locale, text, status, forms)

    def _plan(self, text_before: str, before: Glossary, concept: str, locale: str, text: str,
              status: str | Status, forms: tuple[str, ...] | list[str]) -> Plan:
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
        text_after, changes = edit_text(
            text_before, str(self.glossary_path), concept, locale, text, wanted, cleaned_forms
        )
        if all(c.old_status == c.new_status and not c.forms_added for c in changes):
            raise NothingToChange(
                f"{concept}/{locale}: {text!r} is already {wanted.value}"
                + (" with those forms" if cleaned_forms else "")
            )
        try:
            after = load_glossary_text(text_after, str(self.glossary_path), self.glossary_path.parent)
        except GlossaryInvalid as error:
            raise ProposalInvalid(
                f"{concept}/{locale}: with {text!r} as {wanted.value} the glossary would not load",
                error.problems,
            ) from None
        _check_clash(after, concept, locale, text)
        return Plan(before, after, text_before, text_after, tuple(changes))

    def preview(self, proposal_id: str) -> tuple[Proposal, Plan]:
        """An open proposal and what approving it now would do (nothing is written)."""
        proposal = self.get(proposal_id)
        self._require_open(proposal)
        return proposal, self.plan(proposal.concept, proposal.locale, proposal.text,
                                   proposal.status, proposal.forms)

    # -- acting ----------------------------------------------------------------

    def propose(self, concept: str, locale: str, text: str, status: str | Status, reason: str,
                by: str | None = None, forms: tuple[str, ...] | list[str] = ()) -> tuple[Proposal, Plan]:
        """Check and record a proposal; returns it with what approving it would do."""
        reason = self._required(reason, "--reason: say why the rule should change")
        who = self._who(by)
        with glossary_lock(self.glossary_path, self.lock_timeout):
            plan = self.plan(concept, locale, text, status, forms)
            existing = self.proposals()
            requested = plan.changes[0]
            proposal = Proposal(
                id=f"P{max((p.number for p in existing), default=0) + 1}",
                concept=concept,
                locale=requested.locale,
                text=requested.text,
                status=requested.new_status,
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
            write_all_or_nothing([
                (self.history_path, dump_history(self.glossary_path, [*self.history(), event])),
                (self.proposals_path, self._dump_proposals([*existing, proposal])),
            ])
        return proposal, plan

    def approve(self, proposal_id: str, by: str | None = None, reason: str = "") -> tuple[Proposal, HistoryEvent]:
        """Apply an open proposal to the glossary file and record who, when and why.

        The edited file is validated before it replaces the old one, and
        loaded again afterwards; if anything fails, the glossary, proposals
        and history are left (or put back) as they were.
        """
        who = self._who(by)
        with glossary_lock(self.glossary_path, self.lock_timeout):
            proposal = self.get(proposal_id)
            self._require_open(proposal)
            plan = self.plan(proposal.concept, proposal.locale, proposal.text, proposal.status, proposal.forms)
            when = _iso(self.clock())
            decided = replace(
                proposal, state=APPROVED_STATE, decided_by=who, decided_when=when,
                decision_reason=_clean(reason) or None,
                changes=tuple(c.describe() for c in plan.changes),
            )
            event = HistoryEvent(
                event=APPROVED, proposal=proposal.id, concept=proposal.concept, locale=proposal.locale,
                by=who, when=when, reason=_clean(reason), text=proposal.text, status=proposal.status,
                changes=plan.changes, proposed_by=proposal.by, proposed_when=proposal.when,
                proposal_reason=proposal.reason, glossary_before=plan.before.digest,
                glossary_after=plan.after.digest,
            )
            old_texts = self._snapshot()
            # History first: a crash between writes then leaves a record of an
            # approval that did not land (visible by its digests), never a
            # changed rule that nobody recorded.
            write_all_or_nothing([
                (self.history_path, dump_history(self.glossary_path, [*self.history(), event])),
                (self.glossary_path, plan.text_after),
                (self.proposals_path, self._dump_proposals(
                    [decided if p.id == proposal.id else p for p in self.proposals()])),
            ])
            try:
                written = load_glossary(self.glossary_path)
            except GlossaryInvalid as error:
                self._restore(old_texts)
                raise ProposalInvalid("the approved glossary did not load; nothing was changed",
                                      error.problems) from None
            if written.digest != plan.after.digest:
                self._restore(old_texts)
                raise ReviewFileError(
                    f"{self.glossary_path} changed while it was written; nothing was changed, try again"
                )
        return decided, replace(event, glossary_after=written.digest)

    def reject(self, proposal_id: str, reason: str, by: str | None = None) -> Proposal:
        """Close an open proposal without changing the glossary; the reason is required."""
        reason = self._required(reason, "--reason: say why the proposal is rejected")
        who = self._who(by)
        with glossary_lock(self.glossary_path, self.lock_timeout):
            proposal = self.get(proposal_id)
            self._require_open(proposal)
            when = _iso(self.clock())
            decided = replace(proposal, state=REJECTED_STATE, decided_by=who, decided_when=when,
                              decision_reason=reason)
            event = HistoryEvent(
                event=REJECTED, proposal=proposal.id, concept=proposal.concept, locale=proposal.locale,
                by=who, when=when, reason=reason, text=proposal.text, status=proposal.status,
                proposed_by=proposal.by, proposed_when=proposal.when, proposal_reason=proposal.reason,
            )
            write_all_or_nothing([
                (self.history_path, dump_history(self.glossary_path, [*self.history(), event])),
                (self.proposals_path, self._dump_proposals(
                    [decided if p.id == proposal.id else p for p in self.proposals()])),
            ])
        return decided

    # -- helpers ---------------------------------------------------------------

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

    def _snapshot(self) -> dict[Path, bytes | None]:
        saved: dict[Path, bytes | None] = {}
        for path in (self.glossary_path, self.proposals_path, self.history_path):
            try:
                saved[path] = path.read_bytes()
            except FileNotFoundError:
                saved[path] = None
            except OSError as error:
                raise ReviewFileError(f"{path}: cannot read it: {error.strerror or error}") from None
        return saved

    @staticmethod
    def _restore(saved: dict[Path, bytes | None]) -> None:
        for path, data in saved.items():
            if data is None:
                path.unlink(missing_ok=True)
            else:
                atomic_write_bytes(path, data)
