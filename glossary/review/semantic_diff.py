"""What changed between two glossaries, in the glossary's own terms.

A text diff of the YAML shows lines; an editor asks "which concepts and
renderings were added or removed, and whose status changed". `diff_glossaries`
compares two loaded glossaries concept by concept, locale by locale, and
rendering by rendering (renderings are matched by their text, compared
case-insensitively as the matcher compares). `glossary_at_revision` loads the
glossary as it was at a git revision, so `termguard glossary diff HEAD~3`
shows what the desk changed since.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from glossary.errors import GlossaryError, GlossaryInvalid
from glossary.termbase.load import load_glossary
from glossary.termbase.model import Concept, Glossary, Rendering

__all__ = [
    "CHECKED_KINDS",
    "DiffEntry",
    "ORDER_CHANGED",
    "RevisionError",
    "diff_glossaries",
    "glossary_at_revision",
    "touched_concepts",
]

# Kinds of difference.
SOURCE_CHANGED = "source-changed"
LOCALE_ADDED = "locale-added"
LOCALE_REMOVED = "locale-removed"
CONCEPT_ADDED = "concept-added"
CONCEPT_REMOVED = "concept-removed"
FIELD_CHANGED = "field-changed"  # policy, quotation, use_instead, definition, note, subject, first_mention
RENDERING_ADDED = "rendering-added"
RENDERING_REMOVED = "rendering-removed"
STATUS_CHANGED = "status-changed"
RENDERING_CHANGED = "rendering-changed"  # forms, stem, stem_max, for, note, or the text's spelling
# The same members in another order (locales of the glossary, or one locale's renderings):
# shown, and an edit, but no verdict changes with it.
ORDER_CHANGED = "order-changed"

# Concept fields whose change alters what the checks report; the others
# (definition, note, subject, first_mention) are shown but change no verdict.
_CHECKED_FIELDS = frozenset({"policy", "quotation", "use_instead"})
CHECKED_KINDS = frozenset({
    SOURCE_CHANGED, CONCEPT_ADDED, CONCEPT_REMOVED, RENDERING_ADDED, RENDERING_REMOVED,
    STATUS_CHANGED, RENDERING_CHANGED,
})


class RevisionError(GlossaryError):
    """A git revision (or the file at it) cannot be read."""

    exit_code = 2  # bad input


@dataclass(frozen=True)
class DiffEntry:
    """One difference. `locale` and `text` are set for rendering-level entries."""

    kind: str
    concept: str | None
    locale: str | None = None
    text: str | None = None
    field: str | None = None
    old: Any = None
    new: Any = None

    @property
    def checked(self) -> bool:
        """Whether this difference can change what the glossary checks report."""
        return self.kind in CHECKED_KINDS or (self.kind == FIELD_CHANGED and self.field in _CHECKED_FIELDS)

    def describe(self) -> str:
        """One line for a person."""
        where = self.concept or "glossary"
        if self.locale:
            where += f"/{self.locale}"
        if self.kind == CONCEPT_ADDED:
            return f"+ concept {self.concept} ({self.new})"
        if self.kind == CONCEPT_REMOVED:
            return f"- concept {self.concept} ({self.old})"
        if self.kind == LOCALE_ADDED:
            return f"+ locale {self.locale}"
        if self.kind == LOCALE_REMOVED:
            return f"- locale {self.locale}"
        if self.kind == SOURCE_CHANGED:
            return f"~ source locale {self.old} -> {self.new}"
        if self.kind == RENDERING_ADDED:
            return f"+ {where}: {self.text!r} {self.new}"
        if self.kind == RENDERING_REMOVED:
            return f"- {where}: {self.text!r} (was {self.old})"
        if self.kind == STATUS_CHANGED:
            return f"~ {where}: {self.text!r} {self.old} -> {self.new}"
        if self.kind == ORDER_CHANGED:
            return f"~ {where}: {self.field} reordered: {', '.join(self.old)} -> {', '.join(self.new)}"
        if self.kind == RENDERING_CHANGED:
            return f"~ {where}: {self.text!r} {self.field}: {self.old!r} -> {self.new!r}"
        return f"~ {where}: {self.field}: {self.old!r} -> {self.new!r}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record (tuples become lists)."""
        def plain(value: Any) -> Any:
            return list(value) if isinstance(value, tuple) else value

        return {
            "kind": self.kind,
            "concept": self.concept,
            "locale": self.locale,
            "text": self.text,
            "field": self.field,
            "old": plain(self.old),
            "new": plain(self.new),
        }


def _by_text(renderings: tuple[Rendering, ...]) -> dict[str, Rendering]:
    # The first rendering of a text stands for it, as in the matcher.
    found: dict[str, Rendering] = {}
    for rendering in renderings:
        found.setdefault(rendering.text.casefold(), rendering)
    return found


def _diff_rendering(concept: str, locale: str, old: Rendering, new: Rendering) -> list[DiffEntry]:
    entries: list[DiffEntry] = []
    if old.status != new.status:
        entries.append(DiffEntry(STATUS_CHANGED, concept, locale, new.text, "status", old.status.value, new.status.value))
    # `source_names` is the file's `for`: the diff names the key an editor writes.
    for name, label in (("text", "text"), ("forms", "forms"), ("stem", "stem"), ("stem_max", "stem_max"),
                        ("source_names", "for"), ("note", "note")):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            entries.append(DiffEntry(RENDERING_CHANGED, concept, locale, new.text, label, before, after))
    return entries


def _diff_concept(old: Concept, new: Concept) -> list[DiffEntry]:
    entries: list[DiffEntry] = []
    for name in ("subject", "policy", "quotation", "use_instead", "definition", "note"):
        before, after = getattr(old, name), getattr(new, name)
        before = getattr(before, "value", before)
        after = getattr(after, "value", after)
        if before != after:
            entries.append(DiffEntry(FIELD_CHANGED, new.id, None, None, name, before, after))
    for locale in sorted(set(old.first_mention) | set(new.first_mention)):
        before, after = old.first_mention.get(locale), new.first_mention.get(locale)
        if before != after:
            entries.append(DiffEntry(FIELD_CHANGED, new.id, locale, None, "first_mention", before, after))
    locales = list(old.terms) + [loc for loc in new.terms if loc not in old.terms]
    for locale in locales:
        found = len(entries)
        before = _by_text(old.terms.get(locale, ()))
        after = _by_text(new.terms.get(locale, ()))
        for key, rendering in before.items():
            if key not in after:
                entries.append(DiffEntry(RENDERING_REMOVED, new.id, locale, rendering.text, "status", rendering.status.value, None))
            else:
                entries.extend(_diff_rendering(new.id, locale, rendering, after[key]))
        for key, rendering in after.items():
            if key not in before:
                entries.append(DiffEntry(RENDERING_ADDED, new.id, locale, rendering.text, "status", None, rendering.status.value))
        if len(entries) == found and _unplaced(old.terms.get(locale, ())) != _unplaced(new.terms.get(locale, ())):
            # Nothing differs rendering by rendering, yet the lists do: their order (or a repeated text).
            entries.append(DiffEntry(ORDER_CHANGED, new.id, locale, None, "renderings",
                                     tuple(r.text for r in old.terms.get(locale, ())),
                                     tuple(r.text for r in new.terms.get(locale, ()))))
    return entries


def _unplaced(renderings: tuple[Rendering, ...]) -> list[Rendering]:
    # Where a rendering stands in the file is not part of what it says.
    return [replace(rendering, line=None) for rendering in renderings]


def diff_glossaries(old: Glossary, new: Glossary) -> list[DiffEntry]:
    """Every difference from `old` to `new`, in the new file's concept order.

    The one comparison of two glossaries: `glossary diff` and the catalog impact
    read these entries, and `glossary.edit.changes.edits_between` turns them into
    the edit records an import applies. Concept order is not compared (a TBX tool
    that sorts entries should not produce a wall of moves).
    """
    entries: list[DiffEntry] = []
    if old.source != new.source:
        entries.append(DiffEntry(SOURCE_CHANGED, None, None, None, "source", old.source, new.source))
    for locale in old.locales:
        if locale not in new.locales:
            entries.append(DiffEntry(LOCALE_REMOVED, None, locale))
    for locale in new.locales:
        if locale not in old.locales:
            entries.append(DiffEntry(LOCALE_ADDED, None, locale))
    if len(entries) == (old.source != new.source) and old.locales != new.locales:
        entries.append(DiffEntry(ORDER_CHANGED, None, None, None, "locales", old.locales, new.locales))
    for concept_id, concept in old.concepts.items():
        if concept_id not in new.concepts:
            entries.append(DiffEntry(CONCEPT_REMOVED, concept_id, old=concept.policy.value))
    for concept_id, concept in new.concepts.items():
        if concept_id not in old.concepts:
            entries.append(DiffEntry(CONCEPT_ADDED, concept_id, new=concept.policy.value))
        else:
            entries.extend(_diff_concept(old.concepts[concept_id], concept))
    return entries


def touched_concepts(entries: list[DiffEntry], old: Glossary, new: Glossary) -> dict[str, frozenset[str] | None]:
    """Concepts whose check results may change, each with the locales concerned.

    None means every locale: a change to a concept's policy or quotation rule,
    or to its source-locale renderings (which decide where it occurs), affects
    every translation. A concept whose `use_instead` names a touched concept
    is touched too, since its occurrences are checked against that one.
    """
    touched: dict[str, set[str] | None] = {}

    def add(concept: str, locale: str | None) -> None:
        if locale is None or locale in (old.source, new.source):
            touched[concept] = None
        elif concept not in touched:
            touched[concept] = {locale}
        elif touched[concept] is not None:
            touched[concept].add(locale)  # type: ignore[union-attr]

    everything = any(e.kind == SOURCE_CHANGED for e in entries)
    for entry in entries:
        if entry.concept is None or not entry.checked:
            continue
        add(entry.concept, entry.locale)
    if everything:
        for concept_id in set(old.concepts) | set(new.concepts):
            touched[concept_id] = None
    # Follow use_instead links until nothing more is added.
    concepts = [*old.concepts.values(), *new.concepts.values()]
    changed = True
    while changed:
        changed = False
        for concept in concepts:
            target = concept.use_instead
            if target is None or target not in touched:
                continue
            scope = touched[target]
            if concept.id not in touched:
                touched[concept.id] = None if scope is None else set(scope)
                changed = True
                continue
            current = touched[concept.id]
            if current is None:
                continue
            if scope is None:
                touched[concept.id] = None
                changed = True
            elif not scope <= current:
                current |= scope
                changed = True
    return {k: (None if v is None else frozenset(v)) for k, v in touched.items()}


def glossary_at_revision(revision: str, path: str | Path) -> Glossary:
    """The glossary file `path` as it was at git revision `revision`.

    Runs `git show REV:./<name>` in the file's folder (so the file may be
    anywhere inside a work tree). Raises RevisionError if git, the revision
    or the file at it is missing, and GlossaryInvalid if that version does
    not load.
    """
    path = Path(path)
    if not revision or revision.startswith("-") or any(c.isspace() for c in revision):
        raise RevisionError(f"{revision!r} is not a git revision")
    folder = path.parent if str(path.parent) else Path(".")
    label = f"{revision}:{path}"
    try:
        result = subprocess.run(
            ["git", "show", f"{revision}:./{path.name}"],
            cwd=folder, capture_output=True, check=False, timeout=60,
        )
    except FileNotFoundError as error:
        if error.filename == "git" or not folder.is_dir():
            raise RevisionError(
                "git is not installed" if error.filename == "git" else f"no folder {folder}"
            ) from None
        raise RevisionError(f"cannot run git: {error}") from None
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RevisionError(f"cannot run git: {error}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else f"git exited with {result.returncode}"
        raise RevisionError(f"cannot read {label}: {detail.removeprefix('fatal: ')}")
    with tempfile.TemporaryDirectory(prefix="termguard-rev-") as tmp:
        copy = Path(tmp) / path.name
        copy.write_bytes(result.stdout)
        try:
            glossary = load_glossary(copy)
        except GlossaryInvalid as error:
            raise GlossaryInvalid([replace(p, path=label) for p in error.problems]) from None
    return replace(glossary, path=label)
