"""Edit records of imports, and applying them through the review workflow.

Every import (TBX, CSV, PO) produces a list of `Change` records first (the
records of `glossary.edit.records`, the same an approval makes); a person
reads them, and applying them makes a proposal that is approved at once
(`apply_changes`) or left for an editor (`glossary import --apply` without
`--by`/`--reason`). Either way the one applier of `glossary.edit` writes the
file, keeping comments and layout, and the change is in the history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from glossary.edit.records import (
    LOCALE_FIELDS,
    SCALAR_FIELDS,
    TOP_FIELDS,
    ApplyConflict,
    Change,
    ChangeList,
    EditError,
    value_of,
)
from glossary.errors import GlossaryInvalid, Problem
from glossary.review.semantic_diff import CONCEPT_ADDED, CONCEPT_REMOVED, FIELD_CHANGED, diff_glossaries
from glossary.termbase.model import Glossary


class ExchangeError(EditError):
    """An exchange request the format cannot take (a locale, a CSV shape, a clash): bad input."""

    exit_code = 2


class ExchangeInvalid(GlossaryInvalid, ExchangeError):
    """An exchange file (TBX, CSV, PO) is bad input; `problems` lists every problem."""


def edits_between(old: Glossary, new: Glossary) -> list[Change]:
    """Every edit that turns `old` into `new`: the one glossary diff, as edit records.

    `glossary.review.semantic_diff.diff_glossaries` finds the differences; each
    becomes the record that rewrites its field, with `old` read from the file's
    current values (apply's precondition). Differences of one locale's
    renderings become one record replacing that list, since the file holds them
    as one list; the glossary's locales likewise.
    """
    changes: list[Change] = []
    seen: set[tuple[str | None, str | None, str]] = set()
    for entry in diff_glossaries(old, new):
        if entry.concept is None:
            key: tuple[str | None, str | None, str] = (None, None, "source" if entry.field == "source" else "locales")
        elif entry.kind in (CONCEPT_ADDED, CONCEPT_REMOVED):
            key = (entry.concept, None, "concept")
        elif entry.field in SCALAR_FIELDS and entry.kind == FIELD_CHANGED:
            key = (entry.concept, None, entry.field)
        elif entry.field == "first_mention":
            key = (entry.concept, entry.locale, "first_mention")
        else:  # anything about one locale's renderings
            key = (entry.concept, entry.locale, "renderings")
        if key in seen:
            continue
        seen.add(key)
        concept, locale, name = key
        before, after = value_of(old, concept, locale, name), value_of(new, concept, locale, name)
        if before != after:
            changes.append(Change(concept, locale, name, before, after))
    return changes


def apply_changes(yaml_path: str | Path, changes: Sequence[Change], *, by: str | None = None,
                  reason: str = "", source: str = "") -> None:
    """Apply import changes now, as a proposal approved at once and recorded in the history.

    All changes or none: each change's `old` must still be the file's value
    (else ApplyConflict), the result must load (else GlossaryInvalid), and the
    glossary, proposals and history are written as one change.
    """
    from glossary.review.errors import MissingField, ProposalInvalid
    from glossary.review.proposals import default_user
    from glossary.review.workflow import GlossaryReview

    if not changes:
        return
    who = by
    if who is None:
        try:
            who = default_user()
        except MissingField:
            who = "termguard"  # no login name: the record still says what made the change
    try:
        GlossaryReview(Path(yaml_path)).propose_edits(
            list(changes), reason or "imported", by=who, source=source, approve_reason=reason or "imported",
        )
    except ProposalInvalid as error:
        if not error.problems:
            raise
        raise GlossaryInvalid(error.problems) from None


def problems_text(problems: Iterable[Problem]) -> list[str]:
    """One line per problem, for callers that print them."""
    return [str(problem) for problem in problems]


__all__ = [
    "LOCALE_FIELDS",
    "SCALAR_FIELDS",
    "TOP_FIELDS",
    "ApplyConflict",
    "Change",
    "ChangeList",
    "ExchangeError",
    "ExchangeInvalid",
    "apply_changes",
    "edits_between",
    "problems_text",
    "value_of",
]
