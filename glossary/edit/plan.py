"""Turning a request into edit records, on the loaded glossary (no YAML involved).

`rendering_edit` is what a proposal asks ("in concept C, locale L, TEXT gets
status S, with these forms"); `expand_edits` rewrites an import's
`preferred` changes into the `renderings` changes the applier writes, so both
go through the same records and the same applier.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from glossary.edit.records import Change, check_preconditions, value_of
from glossary.errors import UnknownConcept
from glossary.termbase.model import Glossary, Status

__all__ = ["expand_edits", "rendering_edit"]


def _normal(text: Any) -> str:
    return " ".join(str(text).split())


def _demote_others(items: list[dict[str, Any]], keep: dict[str, Any]) -> None:
    # A locale has one first choice: every other preferred rendering becomes admitted.
    for item in items:
        if item is not keep and item.get("status") == Status.PREFERRED.value:
            item["status"] = Status.ADMITTED.value


def rendering_edit(glossary: Glossary, concept_id: str, locale: str, text: str, status: Status,
                   forms: tuple[str, ...] = ()) -> Change:
    """The `renderings` change that gives `text` the status `status` in one concept and locale.

    An existing rendering with the same text (compared case-insensitively, as
    the matcher compares) changes status and gains the missing `forms`;
    otherwise a new rendering is appended. A new preferred rendering demotes
    the locale's other preferred ones to admitted.
    """
    if concept_id not in glossary.concepts:
        raise UnknownConcept(f"no concept {concept_id!r} in the glossary")
    old = value_of(glossary, concept_id, locale, "renderings")
    items: list[dict[str, Any]] = [dict(item) for item in old or ()]
    text = _normal(text)
    target = next((item for item in items if _normal(item["text"]).casefold() == text.casefold()), None)
    if target is None:
        target = {"text": text, "status": status.value}
        if forms:
            target["forms"] = list(forms)
        items.append(target)
    else:
        target["status"] = status.value
        listed = {_normal(f).casefold() for f in target.get("forms") or ()} | {text.casefold()}
        added = []
        for form in forms:
            if form.casefold() not in listed:
                listed.add(form.casefold())
                added.append(form)
        if added:
            target["forms"] = [*(target.get("forms") or ()), *added]
    if status is Status.PREFERRED:
        _demote_others(items, target)
    return Change(concept_id, locale, "renderings", old, items)


def _preferred_as_renderings(glossary: Glossary, change: Change) -> Change:
    """A `preferred` change as the `renderings` change it makes.

    The named text becomes preferred (added in the place of the old preferred
    one, or first, if it is new) and every other preferred rendering admitted:
    the PO and CSV shapes carry one preferred rendering, the one they name wins.
    """
    assert change.concept is not None and change.locale is not None
    old = value_of(glossary, change.concept, change.locale, "renderings")
    items: list[dict[str, Any]] = [dict(item) for item in old or ()]
    target = next((item for item in items if item.get("text") == change.new), None)
    if target is None:
        first = next((i for i, item in enumerate(items) if item.get("status") == Status.PREFERRED.value), 0)
        target = {"text": change.new, "status": Status.PREFERRED.value}
        items.insert(first, target)
    else:
        target["status"] = Status.PREFERRED.value
    _demote_others(items, target)
    return Change(change.concept, change.locale, "renderings", old, items)


def expand_edits(glossary: Glossary, changes: Sequence[Change], name: str) -> list[Change]:
    """Check every change against `glossary` (ApplyConflict) and return what the applier writes."""
    check_preconditions(glossary, changes, name)
    expanded: list[Change] = []
    for change in changes:
        if change.field == "preferred" and change.new is not None:
            expanded.append(_preferred_as_renderings(glossary, change))
        else:
            expanded.append(change)
    return expanded
