"""Source documents and machine translations as the catalog layer sees them.

A document is split into paragraphs = its lines; each non-blank line is one
catalog message. The layout (blank lines, trailing newline) is kept so a
translated document can be rebuilt line for line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from translate.errors import TermguardError

__all__ = ["DocumentError", "MachineTranslation", "SourceDocument"]

_BOM = "\ufeff"


class DocumentError(TermguardError, ValueError):
    """A source document that cannot be represented in a catalog."""

    exit_code = 2  # bad input


@dataclass(frozen=True)
class SourceDocument:
    """One source file: its name (used in ``#:`` references) and its lines."""

    name: str
    lines: tuple[str, ...]
    trailing_newline: bool

    def __post_init__(self) -> None:
        # The name ends up in a one-line header and in references: a line break
        # there would corrupt the catalog.
        if not self.name or any(ord(c) < 0x20 or c == "\x7f" for c in self.name):
            raise DocumentError(f"invalid document name: {self.name!r}")
        for number, line in enumerate(self.lines, start=1):
            if "\n" in line or "\r" in line:
                raise DocumentError(f"{self.name}:{number}: a line may not contain a line break")

    @classmethod
    def from_text(cls, name: str, text: str) -> SourceDocument:
        """Split ``text`` into lines; CRLF and CR count as LF, a BOM is dropped."""
        if text.startswith(_BOM):
            text = text[len(_BOM):]
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if text == "":
            return cls(name=name, lines=(), trailing_newline=False)
        trailing = text.endswith("\n")
        body = text[:-1] if trailing else text
        return cls(name=name, lines=tuple(body.split("\n")), trailing_newline=trailing)

    def paragraphs(self) -> list[tuple[int, str]]:
        """(1-based line number, text) of every non-blank line, in order."""
        return [(n, line) for n, line in enumerate(self.lines, start=1) if line.strip()]

    def to_text(self, lines: Iterable[str] | None = None) -> str:
        """Join ``lines`` (default: the source lines) with this document's layout."""
        out = tuple(self.lines if lines is None else lines)
        if len(out) != len(self.lines):
            raise DocumentError(
                f"{self.name}: expected {len(self.lines)} lines, got {len(out)}"
            )
        text = "\n".join(out)
        return text + "\n" if self.trailing_newline and out else text


@dataclass(frozen=True)
class MachineTranslation:
    """The decoder's output for one paragraph."""

    msgstr: str
    # Extracted comments (#.): glossary concepts in the segment, their notes,
    # the enforcement outcome.
    comments: tuple[str, ...] = ()
    # An enforce-glossary occurrence could not be settled.
    unresolved: bool = False
