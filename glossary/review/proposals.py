"""A change proposal: its record, its id, and the file that keeps the open and decided ones.

A proposal says: in concept C, locale L, the rendering TEXT should have status
S (optionally with more inflected forms), because REASON; or, for an import,
it carries the import's edit records. It is kept in `<name>.proposals.yaml`
next to the glossary until an editor decides (`glossary.review.workflow`).
"""

from __future__ import annotations

import getpass
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from glossary.edit.records import Change
from glossary.edit.yaml_edit import ReviewFileError
from glossary.review.errors import MissingField
from glossary.review.side_files import SideList, dump_side_list, read_side_list, side_path

__all__ = [
    "APPROVED_STATE",
    "OPEN",
    "PROPOSAL_ID",
    "REJECTED_STATE",
    "STATES",
    "Proposal",
    "default_user",
    "dump_proposals",
    "iso",
    "proposals_path",
    "read_proposals",
    "utc_now",
]

OPEN = "open"
APPROVED_STATE = "approved"
REJECTED_STATE = "rejected"
STATES = (OPEN, APPROVED_STATE, REJECTED_STATE)
PROPOSAL_ID = re.compile(r"^P([1-9][0-9]*)$")

_HEADER = (
    "# Change proposals for {name}, kept until an editor approves or rejects them.\n"
    "# Written by `termguard glossary propose/approve/reject`; do not edit by hand.\n"
)


def utc_now() -> datetime:
    """The current time in UTC (the default clock)."""
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
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
        match = PROPOSAL_ID.match(self.id)
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
        if not PROPOSAL_ID.match(proposal.id):
            raise ValueError(f"bad proposal id {proposal.id!r}")
        if proposal.state not in STATES:
            raise ValueError(f"proposal {proposal.id} has unknown state {proposal.state!r}")
        return proposal




def read_proposals(path: Path) -> tuple[list[Proposal], SideList]:
    """The proposals kept at `path`, by id, and the file as read (its rewrite is checked against it)."""
    read = read_side_list(path, "proposals")
    found: list[Proposal] = []
    for index, record in enumerate(read.items):
        try:
            found.append(Proposal.from_dict(record))
        except (ValueError, TypeError) as error:
            raise ReviewFileError(f"{path}: proposal {index + 1}: {error}") from None
    found.sort(key=lambda p: p.number)
    return found, read


def dump_proposals(glossary_path: Path, proposals: list[Proposal], previous: SideList | None = None) -> str:
    """The text of the proposals file of `glossary_path`; `previous`: the file as read, whose unchanged text is kept."""
    return dump_side_list(_HEADER, glossary_path.name, "proposals", [p.to_dict() for p in proposals], previous)
