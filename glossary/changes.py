"""Proposed edits to a glossary file, and applying them without reformatting it.

Every import (TBX, CSV, PO) produces a list of `Change` records first; a person
reads them and only then applies them. Applying edits the YAML file in place
with ruamel's round-trip mode, so comments, key order, quoting and layout are
kept and `git diff` shows only the change, and replaces the file atomically
under the glossary's lock (the merge, tree helpers, lock and writes are those
of `glossary.yaml_edit`, shared with the review workflow).

Change fields (`concept` is None for a top-level field, `locale` is None for a
concept-level field):

| field | locale | old / new |
|---|---|---|
| `preferred` | yes | text of the preferred rendering (None: none yet). Applying makes `new` the preferred rendering (adding it if needed) and every other preferred one admitted |
| `renderings` | yes | list of rendering mappings (None: the locale has none) |
| `first_mention` | yes | text or None |
| `subject`, `policy`, `quotation`, `use_instead`, `definition`, `note` | no | text or None |
| `concept` | no | whole concept mapping (None: absent): adds or removes a concept |
| `source`, `locales` | no (concept None) | top-level values |
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

from glossary.errors import GlossaryError, GlossaryInvalid, Problem
from glossary.load import CONCEPT_KEYS, RENDERING_KEYS, load_glossary
from glossary.model import Glossary, Status
from glossary.yaml_edit import (
    ReviewFileError,
    dump,
    find_concept,
    find_locale_key,
    glossary_lock,
    insert_key,
    load_glossary_text,
    locale_order,
    minimal_merge,
    write_atomic,
)
from glossary.yaml_write import (
    concept_to_mapping,
    new_yaml,
    rendering_to_mapping,
    to_commented,
)

SCALAR_FIELDS = ("subject", "policy", "quotation", "use_instead", "definition", "note")
LOCALE_FIELDS = ("preferred", "renderings", "first_mention")
TOP_FIELDS = ("source", "locales")


class ExchangeError(GlossaryError):
    """A failure of an exchange format that is not about the input's content."""


class ExchangeInvalid(GlossaryInvalid, ExchangeError):
    """An exchange file (TBX, CSV, PO) is bad input; `problems` lists every problem."""


class ApplyConflict(ExchangeError):
    """The glossary file changed since the changes were computed; nothing was written."""


@dataclass(frozen=True)
class Change:
    """One edit an import would make to the glossary."""

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
        """The change as JSON-ready data (for `--json`)."""
        return {
            "concept": self.concept,
            "locale": self.locale,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "description": self.describe(),
        }


class ChangeList(list[Change]):
    """The changes an import proposes, plus notes about what it left alone.

    A plain `list[Change]`; `notes` carries the messages that are not problems
    (fuzzy PO entries skipped, a msgid that no longer matches, ...).
    """

    def __init__(self, changes: Iterable[Change] = (), notes: Iterable[str] = ()) -> None:
        super().__init__(changes)
        self.notes: list[str] = list(notes)


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


# -- reading a value out of a glossary -----------------------------------------


def value_of(glossary: Glossary, concept_id: str | None, locale: str | None, field_name: str) -> Any:
    """The current value a change of this field compares against (see the table above)."""
    if concept_id is None:
        if field_name == "source":
            return glossary.source
        if field_name == "locales":
            return list(glossary.locales)
        raise ExchangeError(f"unknown top-level field {field_name!r}")
    concept = glossary.concepts.get(concept_id)
    if field_name == "concept":
        return concept_to_mapping(concept) if concept is not None else None
    if concept is None:
        return None
    if field_name in SCALAR_FIELDS:
        value = getattr(concept, field_name)
        return value.value if hasattr(value, "value") else value
    if locale is None:
        raise ExchangeError(f"field {field_name!r} needs a locale")
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
    raise ExchangeError(f"unknown field {field_name!r}")


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


# -- applying changes to the YAML file -----------------------------------------

_DASH = re.compile(r"^( *)- ")
_KEY = re.compile(r"^( *)[^\s#-][^:]*:\s*(#.*)?$")


def _guess_layout(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) of a glossary file.

    Read from the first list item under `concepts:` and the first nested
    mapping, the documented layout (2, 4, 2) otherwise. Parsing the file once
    per candidate layout would cost seconds on the curated glossary.
    """
    mapping, offset = 2, 2
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("concepts:"):
            for follow in lines[index + 1 :]:
                match = _DASH.match(follow)
                if match:
                    offset = len(match.group(1))
                    break
                if follow.strip() and not follow.lstrip().startswith("#"):
                    break
            break
    for index, line in enumerate(lines[:-1]):
        match = _KEY.match(line)
        if match and line.strip().rstrip(":") in ("terms", "first_mention"):
            nxt = lines[index + 1]
            width = len(nxt) - len(nxt.lstrip(" "))
            if nxt.strip() and width > len(match.group(1)):
                mapping = width - len(match.group(1))
            break
    return mapping, offset + 2, offset


def _yaml_for(text: str) -> Any:
    yaml = new_yaml()
    yaml.preserve_quotes = True
    mapping, sequence, offset = _guess_layout(text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _same_content(left: Glossary, right: Glossary) -> bool:
    return _comparable(left) == _comparable(right)


def _comparable(glossary: Glossary) -> Any:
    return (glossary.source, glossary.locales, [concept_to_mapping(c) for c in glossary.concepts.values()])


# ruamel keeps the blank line that separates two concepts as a comment token
# on the last scalar of the first one (or in a collection's end list). An edit
# at the tail of a concept would otherwise leave that blank line above the
# new content, so it is taken off the old tail and put on the new one.


def _tail(node: Any, block_only: bool = False) -> list[tuple[Any, Any]]:
    chain: list[tuple[Any, Any]] = []
    current = node
    while isinstance(current, (CommentedMap, CommentedSeq)) and len(current):
        if block_only and current.fa.flow_style():
            break
        last = next(reversed(current)) if isinstance(current, CommentedMap) else len(current) - 1
        chain.append((current, last))
        current = current[last]
    return chain


def _pop_blank(node: Any) -> int:
    """Remove the blank lines that end `node`'s text; return how many there were."""
    for container, last in reversed(_tail(node)):
        slot = 2 if isinstance(container, CommentedMap) else 0
        entry = container.ca.items.get(last)
        if entry and len(entry) > slot and isinstance(entry[slot], CommentToken):
            token = entry[slot]
            head, newline, rest = token.value.partition("\n")
            if rest and not rest.strip():
                if head:
                    token.value = head + newline
                else:
                    entry[slot] = None
                return rest.count("\n")
        end = getattr(container.ca, "end", None)
        if end:
            blanks = [t for t in end if isinstance(t, CommentToken) and not t.value.strip()]
            if blanks:
                for token in blanks:
                    end.remove(token)
                return sum(t.value.count("\n") for t in blanks)
    return 0


def _push_blank(node: Any, count: int) -> None:
    """Put `count` blank lines after `node`'s text."""
    chain = _tail(node, block_only=True)
    if not count or not chain:
        return
    container, last = chain[-1]
    slot = 2 if isinstance(container, CommentedMap) else 0
    entry = container.ca.items.setdefault(last, [None, None, None, None] if slot == 2 else [None, None])
    token = entry[slot]
    if isinstance(token, CommentToken):
        token.value = token.value + "\n" * count
    else:
        entry[slot] = CommentToken("\n" * (count + 1), CommentMark(0), None)


def _set_key(node: CommentedMap, key: str, value: Any, order: Sequence[str]) -> None:
    """Set `key`, or insert it after the keys that precede it in the documented order."""
    if key in node:
        node[key] = value
        return
    rank = order.index(key) if key in order else len(order)
    position = 0
    for index, existing in enumerate(node):
        if existing in order and order.index(existing) < rank:
            position = index + 1
    insert_key(node, position, key, value)


def _rendering_node(data: dict[str, Any]) -> CommentedMap:
    ordered = {key: data[key] for key in RENDERING_KEYS if key in data}
    return to_commented(ordered)


def _apply_one(tree: Any, change: Change) -> None:
    if change.concept is None:
        if change.field == "locales":
            node = CommentedSeq(change.new)
            old = tree.get("locales")
            if isinstance(old, CommentedSeq) and old.fa.flow_style():
                node.fa.set_flow_style()
            tree["locales"] = node
        else:
            tree[change.field] = change.new
        return
    found = find_concept(tree, change.concept)
    concepts = tree["concepts"]
    if change.field == "concept":
        if change.new is None:
            if found is not None:
                at_end = found[0] == len(concepts) - 1
                end_blank = _pop_blank(concepts) if at_end else 0
                del concepts[found[0]]
                if at_end:
                    _pop_blank(concepts)
                    _push_blank(concepts, end_blank)
        elif found is not None:
            blank = _pop_blank(found[1])
            concepts[found[0]] = to_commented(change.new)
            _push_blank(concepts[found[0]], blank)
        else:
            end_blank = _pop_blank(concepts)
            _push_blank(concepts, 1)
            concepts.append(to_commented(change.new))
            _push_blank(concepts, end_blank)
        return
    if found is None:
        raise ApplyConflict(f"concept {change.concept!r} is no longer in the glossary file")
    node = found[1]
    blank = _pop_blank(node)
    try:
        _apply_to_concept(node, change, locale_order(tree))
    finally:
        _push_blank(node, blank)


def _apply_to_concept(node: CommentedMap, change: Change, order: list[str]) -> None:
    """Apply a concept-level change; new locale keys follow the order of `locales`."""
    if change.field in SCALAR_FIELDS:
        if change.new is None:
            node.pop(change.field, None)
        else:
            _set_key(node, change.field, change.new, CONCEPT_KEYS)
        return
    assert change.locale is not None
    if change.field == "first_mention":
        mentions = node.get("first_mention")
        if mentions is None:
            if change.new is None:
                return
            mentions = CommentedMap()
            _set_key(node, "first_mention", mentions, CONCEPT_KEYS)
        key = find_locale_key(mentions, change.locale)
        if change.new is None:
            if key is not None:
                del mentions[key]
            if not mentions:
                del node["first_mention"]
        else:
            _set_key(mentions, key if key is not None else change.locale, change.new, order)
        return
    terms = node.get("terms")
    if terms is None:
        terms = CommentedMap()
        _set_key(node, "terms", terms, CONCEPT_KEYS)
    key = find_locale_key(terms, change.locale)
    if change.field == "renderings":
        if change.new is None:
            if key is not None:
                del terms[key]
            return
        seq = CommentedSeq(_rendering_node(item) for item in change.new)
        _set_key(terms, key if key is not None else change.locale, seq, order)
        return
    if change.field == "preferred":
        if key is None:
            seq = CommentedSeq([_rendering_node({"text": change.new, "status": "preferred"})])
            _set_key(terms, change.locale, seq, order)
            return
        items = terms[key]
        target = None
        first_preferred = None
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            if item.get("text") == change.new:
                target = item
            elif item.get("status") == Status.PREFERRED.value:
                if first_preferred is None:
                    first_preferred = index
                # The PO and CSV shapes carry one preferred rendering; the
                # one they name wins and the others stay acceptable.
                item["status"] = Status.ADMITTED.value
        if target is not None:
            target["status"] = Status.PREFERRED.value
        else:
            position = first_preferred if first_preferred is not None else 0
            items.insert(position, _rendering_node({"text": change.new, "status": "preferred"}))
        return
    raise ExchangeError(f"cannot apply a change of field {change.field!r}")


def apply_changes(yaml_path: str | Path, changes: Sequence[Change]) -> None:
    """Edit the glossary file in place; all changes or none.

    Each change's `old` must still be the file's current value, else
    ApplyConflict (someone edited the file since the import was computed).
    The edited text must load as a valid glossary and show every `new` value
    before it replaces the file. Holds the glossary's lock (`glossary_lock`)
    from the check to the write, as an approval does. Raises GlossaryInvalid,
    ApplyConflict, ExchangeError (also for a lock held too long).
    """
    path = Path(yaml_path)
    if not changes:
        return
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(glossary_lock(path))
        except ReviewFileError as error:
            # Another command holds the file (an approval, another import):
            # a failure to retry, not bad input.
            raise ExchangeError(str(error)) from None
        _apply_locked(path, changes)


def _apply_locked(path: Path, changes: Sequence[Change]) -> None:
    current = load_glossary(path)
    for change in changes:
        now = value_of(current, change.concept, change.locale, change.field)
        if now != change.old:
            raise ApplyConflict(
                f"{path}: {change.describe()}: the file now has {json.dumps(now, ensure_ascii=False)}; "
                "run the import again"
            )
    text = path.read_bytes().decode("utf-8-sig")
    yaml = _yaml_for(text)
    tree = yaml.load(text)
    # ruamel's rendering of the unchanged file: the common base of the merge.
    base = dump(yaml, tree)
    for change in changes:
        _apply_one(tree, change)
    changed = dump(yaml, tree)
    expected = load_glossary_text(changed, str(path))
    result = minimal_merge(text, base, changed)
    try:
        merged = load_glossary_text(result, str(path))
    except GlossaryInvalid:
        merged = None
    if merged is None or not _same_content(merged, expected):
        # The line merge met formatting it cannot line up; the plain
        # re-emission is correct, only noisier in a diff.
        result = changed
    for change in changes:
        now = value_of(expected, change.concept, change.locale, change.field)
        if now != change.new:
            raise ExchangeError(
                f"{path}: applying {change.describe()!r} gave {json.dumps(now, ensure_ascii=False)}; nothing was written"
            )
    write_atomic(path, result)


def problems_text(problems: Iterable[Problem]) -> list[str]:
    """One line per problem, for callers that print them."""
    return [str(problem) for problem in problems]


__all__ = [
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
