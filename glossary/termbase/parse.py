"""Parsing a glossary's YAML once, safely: line numbers kept, no aliases, bounded depth."""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent, NodeEvent
from ruamel.yaml.reader import ReaderError

from glossary.errors import GlossaryInvalid, Problem

__all__ = ["MAX_YAML_DEPTH", "parse_yaml"]

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

