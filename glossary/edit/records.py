"""Edit records: what a change to the glossary does, the same for approvals and imports.

A `Change` names one field of the glossary and its value before and after
(`concept` is None for a top-level field, `locale` is None for a
concept-level field):

| field | locale | old / new |
|---|---|---|
| `renderings` | yes | list of rendering mappings (None: the locale has none) |
| `preferred` | yes | text of the preferred rendering (None: none yet); `expand_edits` turns it into a `renderings` change |
| `first_mention` | yes | text or None |
| `subject`, `policy`, `quotation`, `use_instead`, `definition`, `note` | no | text or None |
| `concept` | no | whole concept mapping (None: absent): adds or removes a concept |
| `source`, `locales` | no (concept None) | top-level values |

`old` is the precondition: applying refuses a change whose field no longer
holds `old` (someone edited the file since the change was computed).
`RenderingChange` is the per-rendering reading of a `renderings` change, for
people and the history: "karabakh/de: 'Bergkarabach' admitted -> preferred".
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from glossary.edit.yaml_write import concept_to_mapping, rendering_to_mapping
from glossary.errors import GlossaryError
from glossary.termbase.model import Glossary, Status

__all__ = [
    "LOCALE_FIELDS",
    "SCALAR_FIELDS",
    "TOP_FIELDS",
    "ApplyConflict",
    "Change",
    "ChangeList",
    "EditError",
    "RenderingChange",
    "check_preconditions",
    "plain",
    "rendering_changes",
    "value_of",
]

SCALAR_FIELDS = ("subject", "policy", "quotation", "use_instead", "definition", "note")
LOCALE_FIELDS = ("preferred", "renderings", "first_mention")
TOP_FIELDS = ("source", "locales")


class EditError(GlossaryError):
    """The glossary file cannot be edited (not the expected shape, or unparsable)."""


class ApplyConflict(EditError):
    """The glossary file changed since the changes were computed; nothing was written."""


@dataclass(frozen=True)
class Change:
    """One edit to one field of the glossary."""

    concept: str | None
    locale: str | None
    field: str
    old: Any
    new: Any

    def describe(self) -> str:
        """One line for a person: where, what, from what to what."""
        where = self.concept or "glossary"
        if self.locale is not None:
            where = f"{where} [{self.locale}]"
        if self.field == "concept":
            if self.old is None:
                return f"{where}: add concept ({_concept_summary(self.new)})"
            if self.new is None:
                return f"{where}: remove concept ({_concept_summary(self.old)})"
            return f"{where}: replace concept"
        if self.field == "preferred":
            if self.old is None:
                return f"{where}: preferred rendering: (none) -> {self.new!r}"
            return f"{where}: preferred rendering: {self.old!r} -> {self.new!r} ({self.old!r} becomes admitted)"
        return f"{where}: {self.field}: {_show(self.field, self.old)} -> {_show(self.field, self.new)}"

    def to_json(self) -> dict[str, Any]:
        """The change as JSON-ready data (for `--json`, proposals and the history)."""
        return {
            "concept": self.concept,
            "locale": self.locale,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "description": self.describe(),
        }

    @classmethod
    def from_json(cls, record: Any) -> Change:
        """Inverse of `to_json` (reading a proposal); ValueError for a record of another shape."""
        if not isinstance(record, dict) or not isinstance(record.get("field"), str):
            raise TypeError("an edit must be a mapping with a 'field'")
        field_name = record["field"]
        if field_name not in (*SCALAR_FIELDS, *LOCALE_FIELDS, *TOP_FIELDS, "concept"):
            raise ValueError(f"unknown edit field {field_name!r}")
        concept, locale = record.get("concept"), record.get("locale")
        for label, value in (("concept", concept), ("locale", locale)):
            if value is not None and not isinstance(value, str):
                raise ValueError(f"the {label} of an edit must be text")
        return cls(concept, locale, field_name, plain(record.get("old")), plain(record.get("new")))


def plain(value: Any) -> Any:
    """Dicts, lists and scalars only: YAML's own types (CommentedMap, ...) and tuples made plain.

    So records compare equal to what `value_of` returns, and are written as plain YAML.
    """
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


class ChangeList(list[Change]):
    """The changes an import proposes, plus notes about what it left alone.

    A plain `list[Change]`; `notes` carries the messages that are not problems
    (fuzzy PO entries skipped, a msgid that no longer matches, ...).
    """

    def __init__(self, changes: Iterable[Change] = (), notes: Iterable[str] = ()) -> None:
        super().__init__(changes)
        self.notes: list[str] = list(notes)


@dataclass(frozen=True)
class RenderingChange:
    """What one edit does to one rendering of one concept in one locale.

    `old_status` is None for a rendering the edit adds, `new_status` None for
    one it removes. `forms_added` lists inflected forms the edit appends.
    """

    concept: str
    locale: str
    text: str
    old_status: str | None
    new_status: str | None
    forms_added: tuple[str, ...] = ()
    why: str = ""  # set for consequential changes, e.g. a demoted preferred

    def describe(self) -> str:
        """One line for a person: `karabakh/de: 'Bergkarabach' admitted -> preferred`."""
        where = f"{self.concept}/{self.locale}: {self.text!r}"
        if self.old_status is None:
            text = f"{where} added as {self.new_status}"
        elif self.new_status is None:
            text = f"{where} removed (was {self.old_status})"
        elif self.old_status != self.new_status:
            text = f"{where} {self.old_status} -> {self.new_status}"
        else:
            text = f"{where} stays {self.new_status}"
        if self.forms_added:
            text += f", forms added: {', '.join(self.forms_added)}"
        if self.why:
            text += f" ({self.why})"
        return text

    def to_dict(self) -> dict[str, Any]:
        """A record for the history file and `--json`."""
        record: dict[str, Any] = {
            "concept": self.concept,
            "locale": self.locale,
            "text": self.text,
            "from": self.old_status,
            "to": self.new_status,
        }
        if self.forms_added:
            record["forms_added"] = list(self.forms_added)
        if self.why:
            record["why"] = self.why
        return record

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> RenderingChange:
        """Inverse of `to_dict` (reading the history file)."""
        return cls(
            concept=str(record.get("concept", "")),
            locale=str(record.get("locale", "")),
            text=str(record.get("text", "")),
            old_status=None if record.get("from") is None else str(record["from"]),
            new_status=None if record.get("to") is None else str(record["to"]),
            forms_added=tuple(str(f) for f in record.get("forms_added") or ()),
            why=str(record.get("why") or ""),
        )


def _key(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


def rendering_changes(change: Change, first: str | None = None) -> list[RenderingChange]:
    """The per-rendering reading of a `renderings` change (empty for other fields).

    `first` names the rendering the change was made for: it is listed first,
    and a preferred rendering it displaced is marked as demoted.
    """
    if change.field != "renderings" or change.concept is None or change.locale is None:
        return []
    old = {_key(item.get("text")): item for item in change.old or ()}
    new = {_key(item.get("text")): item for item in change.new or ()}
    found: list[RenderingChange] = []
    for key, item in new.items():
        before = old.get(key)
        forms_before = {_key(f) for f in (before or {}).get("forms") or ()}
        added = tuple(f for f in item.get("forms") or () if _key(f) not in forms_before)
        old_status = None if before is None else str(before.get("status"))
        if before is not None and old_status == item.get("status") and not added and before == item:
            continue
        why = ""
        if (first is not None and key != _key(first) and old_status == Status.PREFERRED.value
                and item.get("status") == Status.ADMITTED.value):
            why = "demoted: a locale has one preferred rendering"
        found.append(RenderingChange(change.concept, change.locale, str(item.get("text")), old_status,
                                     str(item.get("status")), added, why))
    for key, item in old.items():
        if key not in new:
            found.append(RenderingChange(change.concept, change.locale, str(item.get("text")),
                                         str(item.get("status")), None))
    if first is not None:
        found.sort(key=lambda c: _key(c.text) != _key(first))
    return found


def value_of(glossary: Glossary, concept_id: str | None, locale: str | None, field_name: str) -> Any:
    """The current value a change of this field compares against (see the table above)."""
    if concept_id is None:
        if field_name == "source":
            return glossary.source
        if field_name == "locales":
            return list(glossary.locales)
        raise EditError(f"unknown top-level field {field_name!r}")
    concept = glossary.concepts.get(concept_id)
    if field_name == "concept":
        return concept_to_mapping(concept) if concept is not None else None
    if concept is None:
        return None
    if field_name in SCALAR_FIELDS:
        value = getattr(concept, field_name)
        return value.value if hasattr(value, "value") else value
    if locale is None:
        raise EditError(f"field {field_name!r} needs a locale")
    if field_name == "first_mention":
        return concept.first_mention.get(locale)
    renderings = concept.terms.get(locale)
    if field_name == "renderings":
        return [rendering_to_mapping(r) for r in renderings] if renderings else None
    if field_name == "preferred":
        for rendering in renderings or ():
            if rendering.status is Status.PREFERRED:
                return rendering.text
        return None
    raise EditError(f"unknown field {field_name!r}")


def check_preconditions(glossary: Glossary, changes: Sequence[Change], name: str) -> None:
    """ApplyConflict unless every change's `old` is what the glossary holds now."""
    for change in changes:
        now = value_of(glossary, change.concept, change.locale, change.field)
        if now != change.old:
            raise ApplyConflict(
                f"{name}: {change.describe()}: the file now has {json.dumps(now, ensure_ascii=False)}; "
                "the glossary changed since the change was computed: run the import again"
            )


def _concept_summary(mapping: Any) -> str:
    if not isinstance(mapping, dict):
        return "?"
    locales = mapping.get("terms", {})
    return f"policy {mapping.get('policy')}, {len(locales)} locale{'s' if len(locales) != 1 else ''}"


def _rendering_summary(item: dict[str, Any]) -> str:
    extras = [str(item.get("status"))]
    if item.get("forms"):
        extras.append("forms " + ", ".join(item["forms"]))
    if item.get("stem") is not None:
        extras.append(f"stem {item['stem']}+{item.get('stem_max')}")
    if item.get("note") is not None:
        extras.append(f"note {item['note']!r}")
    return f"{item.get('text')} ({'; '.join(extras)})"


def _show(field_name: str, value: Any) -> str:
    if value is None:
        return "(none)"
    if field_name == "renderings" and isinstance(value, list):
        return " | ".join(_rendering_summary(item) for item in value)
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return repr(value)
