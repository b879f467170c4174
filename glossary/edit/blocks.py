"""The lines of each concept in a glossary file's text, for editing one concept without the rest.

A concept's block runs from its `- ` line to the line before the next
concept's (the blank lines and comments after a concept belong to it, as
ruamel attaches them to its last value), the last one to the end of the file.
A block is clean when every line after its first is blank, a comment or
indented deeper than the dash: then the block means the same on its own,
after the file's header (everything above the first concept), as it does in
the whole file. Anything else (flow style, a concept not starting on its dash
line, keys after the list) makes `concept_blocks` answer None, and the caller
edits the whole document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from glossary.termbase.model import Glossary

__all__ = ["Blocks", "concept_blocks"]

# A block mapping begins on the dash line: `  - id: x`, not `  -`, `- {...}` or `- # note`.
_START = re.compile(r"( *)- +[^\s#\[{&*!|>'\"]")
# Line breaks that str.splitlines and YAML do not agree on: the line merge splits on them.
_ODD_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\t]")


@dataclass(frozen=True)
class Blocks:
    """A file's lines (each with its end), its header's length and each concept's line span."""

    lines: list[str]
    header: int  # lines[:header] is what precedes the first concept
    spans: dict[str, tuple[int, int]]  # concept id -> [start, end) of its lines
    dash: int  # the dash's column

    def header_text(self) -> str:
        return "".join(self.lines[: self.header])

    def block_text(self, concept_id: str) -> str:
        start, end = self.spans[concept_id]
        return "".join(self.lines[start:end])

    def clean(self, concept_id: str) -> bool:
        """Whether the concept's block stands on its own (see the module's note)."""
        start, end = self.spans[concept_id]
        for line in self.lines[start + 1 : end]:
            stripped = line.lstrip(" ")
            if stripped in ("", "\n") or stripped.startswith("#"):
                continue
            if len(line) - len(stripped) <= self.dash:
                return False
        return True

    def splice(self, blocks: dict[str, str]) -> str:
        """The file's text with the given concepts' blocks replaced by new text."""
        order = sorted(blocks, key=lambda cid: self.spans[cid][0])
        out: list[str] = []
        at = 0
        for concept_id in order:
            start, end = self.spans[concept_id]
            out.extend(self.lines[at:start])
            out.append(blocks[concept_id])
            at = end
        out.extend(self.lines[at:])
        return "".join(out)


def concept_blocks(text: str, glossary: Glossary, wanted: Iterable[str]) -> Blocks | None:
    """The blocks of `text`, whose model is `glossary`, if those of the `wanted` concepts are clean."""
    if _ODD_BREAKS.search(text):
        return None
    lines = text.split("\n")
    lines = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    starts: list[tuple[str, int]] = []
    dash: int | None = None
    previous = 0
    for concept in glossary.concepts.values():
        if concept.line is None or concept.line <= previous or concept.line > len(lines):
            return None
        found = _START.match(lines[concept.line - 1])
        if found is None or (dash is not None and len(found.group(1)) != dash):
            return None
        dash = len(found.group(1))
        previous = concept.line
        starts.append((concept.id, concept.line - 1))
    if dash is None:
        return None
    spans: dict[str, tuple[int, int]] = {}
    for index, (concept_id, start) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else len(lines)
        spans[concept_id] = (start, end)
    blocks = Blocks(lines, starts[0][1], spans, dash)
    for concept_id in wanted:
        if concept_id not in spans or not blocks.clean(concept_id):
            return None
    return blocks
