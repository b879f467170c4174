"""The glossary's change history: who changed a rule, when, what, and why.

The history lives next to the glossary as `<name>.history.yaml` (for
`curated.yaml`: `curated.history.yaml`), a YAML file a person can read and
that `git diff` shows sensibly. Events are appended, oldest first; the file is
rewritten atomically by the review workflow (`glossary.review.workflow`) while it
holds the glossary's lock, never edited in place.

Three kinds of event are recorded: `proposed`, `approved` and `rejected`.
Only an approval changes the glossary; its `changes` list every rendering it
touched, and `glossary_before` / `glossary_after` are the sha256 digests of
the file (the digest a catalog header records), so a translation can be tied
to the rules it was made with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from glossary.edit.records import RenderingChange, plain
from glossary.edit.yaml_edit import ReviewFileError
from glossary.review.side_files import SideList, dump_side_list, read_side_list, side_path

__all__ = [
    "APPROVED",
    "EVENT_KINDS",
    "PROPOSED",
    "REJECTED",
    "HistoryEvent",
    "dump_history",
    "history_path",
    "read_history",
    "read_history_file",
    "side_path",
]

PROPOSED = "proposed"
APPROVED = "approved"
REJECTED = "rejected"
EVENT_KINDS = (PROPOSED, APPROVED, REJECTED)

_HEADER = (
    "# Change history of {name}: who changed which rule, when, and why. Newest last.\n"
    "# Written by `termguard glossary propose/approve/reject`; do not edit by hand.\n"
)


def history_path(glossary_path: Path) -> Path:
    """Where the history of a glossary file is kept."""
    return side_path(glossary_path, "history")


@dataclass(frozen=True)
class HistoryEvent:
    """One recorded step of the review workflow.

    `by`/`when`/`reason` are the person who acted, the UTC time (ISO 8601)
    and their reason. For an approval, `proposed_by`, `proposed_when` and
    `proposal_reason` repeat the proposal, so the history alone answers
    "who changed the rule, when, and why" even if the proposals file is lost.
    """

    event: str
    proposal: str
    concept: str
    locale: str
    by: str
    when: str
    reason: str
    text: str = ""
    status: str = ""
    changes: tuple[RenderingChange, ...] = ()
    proposed_by: str = ""
    proposed_when: str = ""
    proposal_reason: str = ""
    glossary_before: str = ""
    glossary_after: str = ""
    # Every edit record an approval applied (glossary.edit.records.Change.to_json);
    # `changes` is their per-rendering reading.
    edits: tuple[dict[str, Any], ...] = ()
    source: str = ""  # the file an import came from
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        """What happened, on one line."""
        if self.event == APPROVED:
            what = "; ".join(c.describe() for c in self.changes)
            other = [e for e in self.edits if e.get("field") != "renderings"]
            what = "; ".join(x for x in (what, *(str(e.get("description", "")) for e in other)) if x)
            what = what or "no change"
        elif self.source:
            what = f"import from {self.source}: {len(self.edits)} change(s)"
        else:
            what = f"{self.concept}/{self.locale}: {self.text!r} as {self.status}"
        return f"{self.event} {self.proposal}: {what}"

    def to_dict(self) -> dict[str, Any]:
        """The record as written to the file and printed by `--json`."""
        record: dict[str, Any] = {
            "event": self.event,
            "proposal": self.proposal,
            "concept": self.concept,
            "locale": self.locale,
            "text": self.text,
            "status": self.status,
            "by": self.by,
            "when": self.when,
            "reason": self.reason,
        }
        if self.event == APPROVED:
            record["changes"] = [c.to_dict() for c in self.changes]
            record["proposed_by"] = self.proposed_by
            record["proposed_when"] = self.proposed_when
            record["proposal_reason"] = self.proposal_reason
            record["glossary_before"] = self.glossary_before
            record["glossary_after"] = self.glossary_after
        if self.edits:
            record["edits"] = [dict(e) for e in self.edits]
        if self.source:
            record["source"] = self.source
        record.update(self.extra)
        return record

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> HistoryEvent:
        """Read one record; unknown keys are kept in `extra` so nothing is lost on rewrite."""
        known = {
            "event", "proposal", "concept", "locale", "text", "status", "by", "when", "reason",
            "changes", "proposed_by", "proposed_when", "proposal_reason", "glossary_before",
            "glossary_after", "edits", "source",
        }

        def text(key: str) -> str:
            value = record.get(key)
            return "" if value is None else str(value)

        changes = record.get("changes") or []
        if not isinstance(changes, list):
            raise TypeError("'changes' must be a list")
        edits = record.get("edits") or []
        if not isinstance(edits, list) or not all(isinstance(e, dict) for e in edits):
            raise TypeError("'edits' must be a list of mappings")
        return cls(
            event=text("event"),
            proposal=text("proposal"),
            concept=text("concept"),
            locale=text("locale"),
            by=text("by"),
            when=text("when"),
            reason=text("reason"),
            text=text("text"),
            status=text("status"),
            changes=tuple(RenderingChange.from_dict(c) for c in changes if isinstance(c, dict)),
            proposed_by=text("proposed_by"),
            proposed_when=text("proposed_when"),
            proposal_reason=text("proposal_reason"),
            glossary_before=text("glossary_before"),
            glossary_after=text("glossary_after"),
            edits=tuple(plain(e) for e in edits),
            source=text("source"),
            extra={k: v for k, v in record.items() if k not in known},
        )

    def concerns(self, concept_id: str) -> bool:
        """Whether the event is about this concept (directly or through a change)."""
        return (self.concept == concept_id or any(c.concept == concept_id for c in self.changes)
                or any(e.get("concept") == concept_id for e in self.edits))


def read_history(glossary_path: Path) -> list[HistoryEvent]:
    """Every recorded event of a glossary, oldest first."""
    return read_history_file(glossary_path)[0]


def read_history_file(glossary_path: Path) -> tuple[list[HistoryEvent], SideList]:
    """Every recorded event of a glossary, oldest first, and the file as read (for its rewrite)."""
    path = history_path(glossary_path)
    read = read_side_list(path, "events")
    events: list[HistoryEvent] = []
    for index, record in enumerate(read.items):
        try:
            events.append(HistoryEvent.from_dict(record))
        except (ValueError, TypeError) as error:
            raise ReviewFileError(f"{path}: event {index + 1}: {error}") from None
    return events, read


def dump_history(glossary_path: Path, events: list[HistoryEvent], previous: SideList | None = None) -> str:
    """The text of the history file holding `events`; `previous`: the file as read, whose unchanged text is kept."""
    return dump_side_list(_HEADER, Path(glossary_path).name, "events", [e.to_dict() for e in events], previous)
