"""Helpers on the ruamel round-trip tree of a glossary file: finding nodes, inserting keys, keeping comments."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

from glossary.edit.records import EditError
from glossary.errors import UnknownLocale
from glossary.termbase.locales import normalize_locale

__all__ = [
    "append_item",
    "find_concept",
    "find_locale_key",
    "flow_seq",
    "insert_key",
    "locale_order",
    "pop_blank",
    "push_blank",
    "set_key",
    "set_locale_key",
]


def find_concept(tree: Any, concept_id: str) -> tuple[int, CommentedMap] | None:
    """The index and node of a concept in the tree's `concepts` list, or None."""
    concepts = tree.get("concepts") if isinstance(tree, dict) else None
    if not isinstance(concepts, list):
        raise EditError("the glossary file has no 'concepts' list")
    for index, node in enumerate(concepts):
        if isinstance(node, dict) and node.get("id") == concept_id:
            return index, node  # type: ignore[return-value]  # ruamel gives CommentedMap for mappings
    return None


def find_locale_key(mapping: Any, locale: str) -> Any:
    """The key under which `locale` is written (`pt_BR`, `pt-BR`, ...), or None."""
    for key in mapping:
        try:
            if isinstance(key, str) and normalize_locale(key) == locale:
                return key
        except UnknownLocale:
            continue
    return None


def locale_order(tree: Any) -> list[str]:
    """The tree's top `locales` list, normalized (unknown codes left out)."""
    order: list[str] = []
    for value in tree.get("locales") or ():
        with contextlib.suppress(UnknownLocale):
            order.append(normalize_locale(str(value)))
    return order


def is_flow(node: Any) -> bool:
    # A flow collection (`[a, b]`, `{text: x}`) is written on one line: what
    # follows it belongs to the key or item that holds it, not to its items.
    return isinstance(node, (CommentedMap, CommentedSeq)) and bool(node.fa.flow_style())


def _post_comment_slot(node: Any) -> tuple[Any, Any, int] | None:
    """Where the comment after a node's last line is kept: (owner, key, index).

    ruamel attaches the blank lines and comments that follow a block to the
    deepest last scalar in it; appending after that block would otherwise push
    them above the new lines.
    """
    if isinstance(node, CommentedMap) and node:
        key = list(node.keys())[-1]
        deeper = None if is_flow(node[key]) else _post_comment_slot(node[key])
        if deeper is not None:
            return deeper
        return (node, key, 2)
    if isinstance(node, CommentedSeq) and node:
        index = len(node) - 1
        deeper = None if is_flow(node[index]) else _post_comment_slot(node[index])
        if deeper is not None:
            return deeper
        return (node, index, 0)
    return None


def _take_comment(slot: tuple[Any, Any, int] | None) -> Any:
    if slot is None:
        return None
    owner, key, index = slot
    entry = owner.ca.items.get(key)
    if not entry or len(entry) <= index or entry[index] is None:
        return None
    token = entry[index]
    entry[index] = None
    return token


def _put_comment(slot: tuple[Any, Any, int] | None, token: Any) -> None:
    if slot is None or token is None:
        return
    owner, key, index = slot
    entry = owner.ca.items.setdefault(key, [None, None, None, None])
    while len(entry) <= index:
        entry.append(None)
    entry[index] = token


def append_item(seq: CommentedSeq, item: Any) -> None:
    """Append to a block list, keeping what followed the list after it."""
    token = _take_comment(_post_comment_slot(seq))
    seq.append(item)
    _put_comment(_post_comment_slot(seq), token)


def insert_key(node: CommentedMap, position: int, key: str, value: Any) -> None:
    """Insert a key; at the end of the mapping, keep what followed it after it."""
    if position < len(node):
        node.insert(position, key, value)
        return
    token = _take_comment(_post_comment_slot(node))
    node.insert(position, key, value)
    _put_comment(_post_comment_slot(node), token)


def flow_seq(values: Sequence[str]) -> CommentedSeq:
    seq = CommentedSeq(list(values))
    seq.fa.set_flow_style()  # `forms: [a, b]`, as the documented layout writes it
    return seq


def set_key(node: CommentedMap, key: str, value: Any, order: Sequence[str]) -> None:
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


def set_locale_key(node: CommentedMap, locale: str, value: Any, order: Sequence[str]) -> None:
    """Set the entry of `locale` (under the key it is written as), new ones in the order of `locales`."""
    key = find_locale_key(node, locale)
    if key is not None:
        node[key] = value
        return
    position = len(node)
    if locale in order:
        rank = order.index(locale)
        position = 0
        for index, existing in enumerate(node.keys()):
            try:
                other = normalize_locale(existing)
            except (UnknownLocale, TypeError, AttributeError):
                continue
            if other in order and order.index(other) < rank:
                position = index + 1
    insert_key(node, position, locale, value)


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


def pop_blank(node: Any) -> int:
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
                return rest.count("\n")  # type: ignore[no-any-return]  # ruamel is untyped here
        end = getattr(container.ca, "end", None)
        if end:
            blanks = [t for t in end if isinstance(t, CommentToken) and not t.value.strip()]
            if blanks:
                for token in blanks:
                    end.remove(token)
                return sum(t.value.count("\n") for t in blanks)
    return 0


def push_blank(node: Any, count: int) -> None:
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
