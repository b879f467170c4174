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
from glossary.termbase.model import Glossary


class ExchangeError(EditError):
    """A failure of an exchange format that is not about the input's content."""


class ExchangeInvalid(GlossaryInvalid, ExchangeError):
    """An exchange file (TBX, CSV, PO) is bad input; `problems` lists every problem."""


# Not derived from semantic_diff.diff_glossaries: these are edit instructions (whole rendering lists, order-sensitive, `old` as apply's precondition), not per-rendering review entries.
def diff_glossaries(old: Glossary, new: Glossary) -> list[Change]:
    """Every change that turns `old` into `new`, in file order.

    Concept order is not compared: a TBX tool that sorts entries should not
    produce a wall of moves.
    """
    changes: list[Change] = []
    for name in TOP_FIELDS:
        before, after = value_of(old, None, None, name), value_of(new, None, None, name)
        if before != after:
            changes.append(Change(None, None, name, before, after))
    for concept_id in old.concepts:
        if concept_id not in new.concepts:
            changes.append(Change(concept_id, None, "concept", value_of(old, concept_id, None, "concept"), None))
    for concept_id, concept in new.concepts.items():
        if concept_id not in old.concepts:
            changes.append(Change(concept_id, None, "concept", None, value_of(new, concept_id, None, "concept")))
            continue
        before_concept = old.concepts[concept_id]
        for name in SCALAR_FIELDS:
            before, after = value_of(old, concept_id, None, name), value_of(new, concept_id, None, name)
            if before != after:
                changes.append(Change(concept_id, None, name, before, after))
        locales = list(dict.fromkeys([*before_concept.first_mention, *concept.first_mention]))
        for locale in locales:
            before, after = before_concept.first_mention.get(locale), concept.first_mention.get(locale)
            if before != after:
                changes.append(Change(concept_id, locale, "first_mention", before, after))
        for locale in dict.fromkeys([*before_concept.terms, *concept.terms]):
            before, after = (
                value_of(old, concept_id, locale, "renderings"),
                value_of(new, concept_id, locale, "renderings"),
            )
            if before != after:
                changes.append(Change(concept_id, locale, "renderings", before, after))
    return changes


def apply_changes(yaml_path: str | Path, changes: Sequence[Change], *, by: str | None = None,
                  reason: str = "", source: str = "") -> None:
    """Apply import changes now, as a proposal approved at once and recorded in the history.

    All changes or none: each change's `old` must still be the file's value
    (else ApplyConflict), the result must load (else GlossaryInvalid), and the
    glossary, proposals and history are written as one change.
    """
    from glossary.review.proposals import (
        GlossaryReview,
        MissingField,
        ProposalInvalid,
        default_user,
    )

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
    "diff_glossaries",
    "problems_text",
    "value_of",
]
