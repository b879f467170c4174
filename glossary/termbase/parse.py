"""Parsing a glossary's YAML once, safely: line numbers kept, no aliases, bounded depth."""

from __future__ import annotations

import functools
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent, NodeEvent
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import VersionedResolver

from glossary.errors import GlossaryInvalid, Problem

__all__ = ["MAX_YAML_DEPTH", "parse_fast", "parse_yaml", "plain_is_text"]

# A glossary nests about six levels deep; the composer recurses once per level,
# so a deeper document ([[[[...) would end in a RecursionError instead of a problem.
MAX_YAML_DEPTH = 64


class _Refused(Exception):
    """An anchor, an alias (`anchor` set) or nesting too deep (`anchor` None), met while composing."""

    def __init__(self, line: int, anchor: str | None) -> None:
        super().__init__(line, anchor)
        self.line = line
        self.anchor = anchor


class _GuardedComposer(Composer):
    """ruamel's composer, refusing anchors and aliases and nesting beyond MAX_YAML_DEPTH.

    Checked while the one parse composes the document: refusing an alias
    before it is expanded makes an alias bomb cost no more than reading its
    events, and the depth check comes before the recursion that would end in
    a RecursionError.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent) or (isinstance(event, NodeEvent) and event.anchor is not None):
            raise _Refused(event.start_mark.line + 1, str(event.anchor))
        if isinstance(event, CollectionStartEvent) and self.depth >= MAX_YAML_DEPTH:
            raise _Refused(event.start_mark.line + 1, None)
        return super().compose_node(parent, index)


def parse_yaml(data: bytes, name: str) -> Any:
    """Parse YAML safely: round-trip loader (line numbers), no aliases at all.

    Anchors and aliases are refused outright rather than expanded under a cap:
    a glossary never needs them, and refusing them before composing the
    document makes an alias bomb cost no more than reading its events.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise GlossaryInvalid(
            [Problem(name, line, "the file is not valid UTF-8", "save it as UTF-8")]
        ) from None
    yaml = YAML(typ="rt")
    yaml.Composer = _GuardedComposer
    try:
        try:
            return yaml.load(text)
        except _Refused as refused:
            if refused.anchor is None:
                problem = Problem(name, refused.line, f"the YAML nests more than {MAX_YAML_DEPTH} levels deep",
                                  "a glossary needs only a few levels; check that this is the right file")
            else:
                problem = Problem(name, refused.line, f"YAML anchor or alias {refused.anchor!r} is not allowed",
                                  "write the value out in full instead of using &anchor / *alias")
            raise GlossaryInvalid([problem]) from None
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None  # type: ignore[assignment]  # None: no position known
        what = error.problem or error.context or "invalid YAML"
        if "duplicate key" in str(what):
            hint = "each key may appear once in a mapping; remove or rename one"
        else:
            hint = "fix the YAML syntax (indentation, quotes, brackets, colons)"
        raise GlossaryInvalid([Problem(name, line, f"YAML syntax error: {what}", hint)]) from None
    except ReaderError as error:
        # A control character YAML does not allow: name it and its line, on one line.
        line = text[: error.position].count("\n") + 1 if isinstance(error.position, int) else None  # type: ignore[assignment]  # None: no position known
        character = error.character
        what = f"U+{character:04X}" if isinstance(character, int) else repr(character)
        raise GlossaryInvalid(
            [Problem(name, line, f"the character {what} is not allowed in YAML ({error.reason})",
                     "remove it, or write it as an escape inside a double-quoted string")]
        ) from None
    except YAMLError as error:
        message = " ".join(str(error).split())  # keep the problem on one line
        raise GlossaryInvalid(
            [Problem(name, None, f"YAML error: {message}", "fix the YAML syntax")]
        ) from None



# --------------------------------------------------------------------------- the fast path
# ruamel's parser is pure Python: most of a second for the curated file, many
# seconds for a termbase of thousands of concepts. libyaml (PyYAML's C parser)
# reads the same file in a few percent of that. It speaks YAML 1.1 where
# ruamel speaks 1.2, so it is trusted only with what both read alike: plain
# text, quoted text, decimal integers, nulls, block and flow collections with
# text keys, nothing tagged, anchored or directed. Anything else (and any
# error) returns None, and the caller takes ruamel, whose messages name the
# problems. Line numbers are those ruamel gives (both count from the same marks).

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
# A plain scalar starting with one of these may be a number, a bool, a
# timestamp, a merge or a value key in one YAML version or the other.
_UNSURE_START = frozenset("-+.0123456789<=tTfFyYnNoO")
# ruamel's implicit resolvers of YAML 1.1 and 1.2 (its default), by first character:
# a plain scalar none of them matches is text in both versions.
_RESOLVER_TABLES = tuple(VersionedResolver(version=v).versioned_resolver for v in ((1, 1), (1, 2)))
# Line breaks in YAML 1.1 only: they would move every later line number.
_OLD_BREAKS = ("\x85", "\u2028", "\u2029")


class _MapLines:
    """The line numbers (0-based) of a mapping, its keys and values: what ruamel's `lc` gives."""

    __slots__ = ("keys", "line", "values")

    def __init__(self, line: int) -> None:
        self.line = line
        self.keys: dict[str, int] = {}
        self.values: dict[str, int] = {}

    def key(self, key: str) -> tuple[int, int]:
        return self.keys[key], 0

    def value(self, key: str) -> tuple[int, int]:
        return self.values[key], 0


class _SeqLines:
    """The line numbers (0-based) of a sequence and its items: what ruamel's `lc` gives."""

    __slots__ = ("items", "line")

    def __init__(self, line: int) -> None:
        self.line = line
        self.items: list[int] = []

    def item(self, index: int) -> tuple[int, int]:
        return self.items[index], 0


class _Map(dict[str, Any]):
    __slots__ = ("lc",)
    lc: _MapLines


class _Seq(list[Any]):
    __slots__ = ("lc",)
    lc: _SeqLines


class _Unsure(Exception):
    """The file uses something the two YAML versions may read differently."""


@functools.lru_cache(maxsize=4096)  # keys and statuses repeat in every record
def plain_is_text(value: str) -> bool:
    """Whether ruamel reads `value`, written as a plain scalar, as text in YAML 1.1 and 1.2 alike.

    What ruamel's resolve() does for a plain scalar, without its per-call
    version lookups: text is what none of the implicit resolvers (bool,
    int, float, null, timestamp, merge, value) matches.
    """
    if not value:
        return False
    for table in _RESOLVER_TABLES:
        for _tag, regexp in (*table.get(value[0], ()), *table.get(None, ())):
            if regexp.match(value):
                return False
    return True


def _unsure_plain(value: str) -> Any:
    """A plain scalar starting with one of _UNSURE_START: a decimal integer, text, or _Unsure.

    Text where both YAML versions read it so (a digest such as 0a3f...,
    "2nd Army"); a bool, a float, a timestamp, an octal or sexagesimal
    number in either version is left to ruamel.
    """
    if value.isascii() and value.isdigit() and (value == "0" or value[0] != "0"):
        return int(value)
    if plain_is_text(value):
        return value
    raise _Unsure


def parse_fast(text: str) -> Any:
    """The tree of a glossary's text, read by libyaml, or None where only ruamel may read it."""
    if any(mark in text for mark in _OLD_BREAKS):
        return None
    try:
        from yaml._yaml import CParser  # type: ignore[import-untyped]
    except ImportError:  # PyYAML without libyaml: ruamel reads everything
        return None
    try:
        return _build(CParser(text))
    except _Unsure:
        return None
    except Exception:  # noqa: BLE001 - any error of libyaml: ruamel reads it and names the problem
        return None


def _build(parser: Any) -> Any:
    """The tree of the parser's events, built in one pass.

    The innermost open collection and, for a mapping, the key waiting for its
    value are kept in locals (a stack holds the outer ones): this loop runs
    once per event, a few hundred thousand times for a large termbase.
    """
    from yaml import events  # type: ignore[import-untyped]

    scalar_event, alias_event = events.ScalarEvent, events.AliasEvent
    map_start, seq_start = events.MappingStartEvent, events.SequenceStartEvent
    map_end, seq_end = events.MappingEndEvent, events.SequenceEndEvent
    document_start, stream_end = events.DocumentStartEvent, events.StreamEndEvent
    get_event = parser.get_event
    nulls, unsure_start = _NULLS, _UNSURE_START

    root: Any = None
    documents = 0
    # The open collection (None at the top), whether it is a sequence, its
    # line table, and the key waiting for its value (mappings only).
    parent: Any = None
    in_seq = False
    lines: Any = None
    key: str | None = None
    outer: list[tuple[Any, bool, Any, str | None]] = []
    while True:
        event = get_event()
        kind = type(event)
        if kind is scalar_event:
            if event.tag is not None or event.anchor is not None:
                raise _Unsure
            node = value = event.value
            if not event.style:  # plain: maybe a null or a number
                if value in nulls:
                    node = None
                elif value[0] in unsure_start:
                    node = _unsure_plain(value)
            line = event.start_mark.line
        elif kind is map_start or kind is seq_start:
            if event.tag is not None or event.anchor is not None or len(outer) >= MAX_YAML_DEPTH:
                raise _Unsure
            line = event.start_mark.line
            if kind is map_start:
                node = _Map()
                node.lc = _MapLines(line)
            else:
                node = _Seq()
                node.lc = _SeqLines(line)
        elif kind is map_end or kind is seq_end:
            parent, in_seq, lines, key = outer.pop()
            continue
        elif kind is document_start:
            documents += 1
            if documents > 1 or event.version is not None or event.tags:
                raise _Unsure
            continue
        elif kind is stream_end:
            return root
        elif kind is alias_event:
            raise _Unsure
        else:
            continue
        if parent is None:
            root = node
        elif in_seq:
            parent.append(node)
            lines.items.append(line)
        elif key is None:
            # A key: text only, each once, no merge key.
            if not isinstance(node, str) or node in parent or node == "<<":
                raise _Unsure
            lines.keys[node] = line
            key = node
            continue
        else:
            parent[key] = node
            lines.values[key] = line
            key = None
        if kind is not scalar_event:
            outer.append((parent, in_seq, lines, key))
            parent, in_seq, lines, key = node, kind is seq_start, node.lc, None
