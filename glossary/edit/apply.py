"""The one applier: edit records -> the glossary file's new text, comments and layout kept.

The file is parsed once into a ruamel round-trip tree; every change is
applied to the tree in place (a rendering list is edited item by item, so
comments, flow style and key order of untouched renderings stay), the tree
is dumped and merged into the original text line by line (`minimal_merge`).
The result is validated once; where the line merge cannot guarantee the
meaning, the dumper's full output is used instead: a larger diff, never a
wrong file.

Changes that touch only existing concepts take a fast path with the same
result: each touched concept's block (`glossary.edit.blocks`) is edited as a
document of its own, the file's header followed by that block, and the
merged block is spliced into the untouched text; only the whole result is
parsed again, by the validating loader. Where the path cannot be sure (a
block that does not stand alone, a merge that changes the meaning, a result
that does not load), the whole document is edited as above.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from glossary.edit.blocks import concept_blocks
from glossary.edit.layout import dump, minimal_merge, plain_data, round_trip_yaml, safe_load
from glossary.edit.records import SCALAR_FIELDS, Change, EditError
from glossary.edit.tree import (
    append_item,
    find_concept,
    find_locale_key,
    flow_seq,
    insert_key,
    locale_order,
    pop_blank,
    push_blank,
    set_key,
    set_locale_key,
)
from glossary.edit.yaml_write import concept_to_mapping, to_commented
from glossary.errors import GlossaryInvalid
from glossary.termbase.load import load_glossary_data
from glossary.termbase.model import DEFAULT_STEM_MAX, Glossary
from glossary.termbase.schema import CONCEPT_KEYS, RENDERING_KEYS
from glossary.termbase.validate import validate_tree

__all__ = ["Applied", "apply_edits"]


@dataclass(frozen=True)
class Applied:
    """The new text of the file and the glossary it loads as (validated)."""

    text: str
    glossary: Glossary


def apply_edits(text: str, name: str, changes: Sequence[Change], *, encode: Any = None,
                before: Glossary | None = None, whole: bool = False) -> Applied:
    """Apply expanded changes (no `preferred`: see `expand_edits`) to a glossary file's text.

    `encode(text) -> bytes` gives the bytes the file will hold (line endings,
    BOM), so the returned glossary's digest is that of the file as written.
    `before` is the glossary `text` loads as, if the caller has it (it gives
    the concepts' lines); `whole` skips the fast path (the tests compare the two).
    Raises EditError (the file is not the expected shape) or GlossaryInvalid
    (the result would not load; problems name `name`).
    """
    to_bytes = encode or (lambda value: value.encode("utf-8"))
    if not whole:
        fast = _apply_blocks(text, name, changes, to_bytes, before)
        if fast is not None:
            return fast
    yaml = round_trip_yaml(text)
    try:
        tree = yaml.load(text)
    except YAMLError as error:
        raise EditError(f"{name}: cannot parse the YAML: {error}") from None
    if not isinstance(tree, CommentedMap):
        raise EditError(f"{name}: the top level is not a mapping")
    base = dump(yaml, tree)
    for change in changes:
        _apply_one(tree, change)
    changed = dump(yaml, tree)
    # What the edited tree means, validated without parsing anything again.
    expected = validate_tree(tree, name)
    merged = minimal_merge(text, base, changed)
    try:
        result = load_glossary_data(to_bytes(merged), name)
        if _comparable(result) == _comparable(expected):
            return Applied(merged, result)
    except GlossaryInvalid:
        pass
    # The line merge met formatting it cannot line up; the dumper's output is right.
    return Applied(changed, load_glossary_data(to_bytes(changed), name))


def _apply_blocks(text: str, name: str, changes: Sequence[Change], to_bytes: Any,
                  before: Glossary | None) -> Applied | None:
    """The fast path: edit each touched concept's block alone; None where it cannot be sure."""
    touched: dict[str, list[Change]] = {}
    for change in changes:
        if change.concept is None or (change.field == "concept" and (change.old is None or change.new is None)):
            return None  # file-level keys, concepts added or removed: the list itself changes
        touched.setdefault(change.concept, []).append(change)
    if before is None:
        try:
            before = load_glossary_data(to_bytes(text), name)
        except GlossaryInvalid:
            return None
    blocks = concept_blocks(text, before, touched)
    if blocks is None:
        return None
    header = blocks.header_text()
    yaml = round_trip_yaml(text)  # the indentation of the whole file, not of one block
    edited: dict[str, str] = {}
    for concept_id, edits in touched.items():
        alone = header + blocks.block_text(concept_id)
        try:
            tree = yaml.load(alone)
        except YAMLError:
            return None
        if not isinstance(tree, CommentedMap):
            return None
        base = dump(yaml, tree)
        for change in edits:
            _apply_one(tree, change)
        merged = minimal_merge(alone, base, dump(yaml, tree))
        # Where the merge is not sure, the whole path takes the dumper's output of the whole file.
        try:
            if not merged.startswith(header) or safe_load(merged) != plain_data(tree):
                return None
        except YAMLError:
            return None
        edited[concept_id] = merged[len(header):]
    result = blocks.splice(edited)
    try:
        return Applied(result, load_glossary_data(to_bytes(result), name))
    except GlossaryInvalid:
        return None  # the whole path names the problems against the edited tree


def _comparable(glossary: Glossary) -> Any:
    return (glossary.source, glossary.locales, [concept_to_mapping(c) for c in glossary.concepts.values()])


def _apply_one(tree: CommentedMap, change: Change) -> None:
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
        _apply_concept(concepts, found, change)
        return
    if found is None:
        raise EditError(f"concept {change.concept!r} is not in the glossary file")
    node = found[1]  # type: ignore[assignment]  # ruamel node types
    blank = pop_blank(node)
    try:
        _apply_to_concept(node, change, locale_order(tree))  # type: ignore[arg-type]  # ruamel node types
    finally:
        push_blank(node, blank)


def _apply_concept(concepts: CommentedSeq, found: tuple[int, CommentedMap] | None, change: Change) -> None:
    if change.new is None:
        if found is not None:
            at_end = found[0] == len(concepts) - 1
            end_blank = pop_blank(concepts) if at_end else 0
            del concepts[found[0]]
            if at_end:
                pop_blank(concepts)
                push_blank(concepts, end_blank)
    elif found is not None:
        blank = pop_blank(found[1])
        concepts[found[0]] = to_commented(change.new)
        push_blank(concepts[found[0]], blank)
    else:
        end_blank = pop_blank(concepts)
        push_blank(concepts, 1)
        concepts.append(to_commented(change.new))
        push_blank(concepts, end_blank)


def _apply_to_concept(node: CommentedMap, change: Change, order: list[str]) -> None:
    """Apply a concept-level change; new locale keys follow the order of `locales`."""
    if change.field in SCALAR_FIELDS:
        if change.new is None:
            node.pop(change.field, None)
        else:
            set_key(node, change.field, change.new, CONCEPT_KEYS)
        return
    if change.locale is None:
        raise EditError(f"a change of {change.field!r} needs a locale")
    if change.field == "first_mention":
        mentions = node.get("first_mention")
        if mentions is None:
            if change.new is None:
                return
            mentions = CommentedMap()
            set_key(node, "first_mention", mentions, CONCEPT_KEYS)
        if change.new is None:
            key = find_locale_key(mentions, change.locale)
            if key is not None:
                del mentions[key]
            if not mentions:
                del node["first_mention"]
        else:
            set_locale_key(mentions, change.locale, change.new, order)
        return
    if change.field == "renderings":
        terms = node.get("terms")
        if terms is None:
            terms = CommentedMap()
            set_key(node, "terms", terms, CONCEPT_KEYS)
        if not isinstance(terms, CommentedMap):
            raise EditError(f"'terms' of concept {change.concept!r} is not a mapping")
        _set_renderings(terms, change.locale, change.new, order)
        return
    raise EditError(f"cannot apply a change of field {change.field!r} (expand it first)")


def _key(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


def _rendering_node(data: dict[str, Any], flow: bool = False) -> CommentedMap:
    node = CommentedMap()
    for key in RENDERING_KEYS:
        if key in data:
            node[key] = flow_seq(data[key]) if key == "forms" else data[key]
    if flow:
        node.fa.set_flow_style()  # match `- {text: ..., status: ...}` neighbours
    return node


def _set_renderings(terms: CommentedMap, locale: str, items: list[dict[str, Any]] | None,
                    order: list[str]) -> None:
    """Make the locale's renderings `items`, editing the existing list item by item."""
    key = find_locale_key(terms, locale)
    if items is None:
        if key is not None:
            del terms[key]
        return
    seq = terms.get(key) if key is not None else None
    if not isinstance(seq, CommentedSeq):
        set_locale_key(terms, locale, CommentedSeq(_rendering_node(item) for item in items), order)
        return
    flow = bool(len(seq)) and isinstance(seq[-1], CommentedMap) and bool(seq[-1].fa.flow_style())
    by_text: dict[str, CommentedMap] = {}
    for node in seq:
        if isinstance(node, CommentedMap):
            by_text.setdefault(_key(node.get("text", "")), node)
    wanted: list[Any] = []
    for item in items:
        node = by_text.pop(_key(item.get("text", "")), None)
        if node is None:
            node = _rendering_node(item, flow)
        else:
            _update_rendering(node, item)
        wanted.append(node)
    keep = {id(node) for node in wanted}
    for index in reversed(range(len(seq))):
        if id(seq[index]) not in keep:
            del seq[index]
    present = {id(node) for node in seq}
    if [id(n) for n in seq] != [id(n) for n in wanted if id(n) in present]:
        # Reordered (rare): the list is rebuilt; comments inside it may move.
        del seq[:]
        seq.extend(wanted)
        return
    for position, node in enumerate(wanted):
        if position < len(seq) and seq[position] is node:
            continue
        if position >= len(seq):
            append_item(seq, node)
        else:
            seq.insert(position, node)


def _normal(value: Any) -> Any:
    return " ".join(value.split()) if isinstance(value, str) else value


def _update_rendering(node: CommentedMap, item: dict[str, Any]) -> None:
    """Give an existing rendering node the values of `item`, touching only what differs."""
    for key in RENDERING_KEYS:
        if key not in item:
            value = node.get(key)
            if key in node and value not in (None, [], "") and not (key == "stem_max" and value == DEFAULT_STEM_MAX):
                del node[key]
            continue
        new = item[key]
        if key == "forms":
            present = node.get("forms")
            if isinstance(present, CommentedSeq):
                if [_normal(f) for f in present] != list(new):
                    if [_normal(f) for f in present] == list(new[: len(present)]):
                        present.extend(new[len(present):])
                    else:
                        del present[:]
                        present.extend(new)
            elif new:
                keys = list(node.keys())
                where = keys.index("status") + 1 if "status" in keys else len(keys)
                insert_key(node, where, "forms", flow_seq(new))
            continue
        if key == "stem_max" and key not in node and new == DEFAULT_STEM_MAX:
            continue  # the default, not written by the editor: leave it unwritten
        if _normal(node.get(key)) != new:
            if key in node:
                node[key] = new
            else:
                set_key(node, key, new, RENDERING_KEYS)
