"""Typed errors of the glossary library.

The library never prints or exits; the CLI turns these into messages and exit
codes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


class TermguardError(Exception):
    """Root of every error termguard raises on purpose (glossary and translate).

    `exit_code` says what kind of error it is: 2 for bad input (the user can
    fix the command or the file), 1 for a failure (the input was fine, the
    work could not be done). The CLI maps it in one place.
    """

    exit_code: int = 1


class BadInputError(TermguardError):
    """Mixin base of errors caused by what the user gave (exit 2)."""

    exit_code = 2


class GlossaryError(TermguardError):
    """Base of every error the glossary library raises on purpose."""


class FileInputError(BadInputError, OSError):
    """A file cannot be read as what it should be (missing, a folder, not UTF-8, endless)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class FileWriteError(TermguardError, OSError):
    """A file cannot be written; what was there is unchanged."""

    def __init__(self, message: str) -> None:
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

    @property
    def strerror(self) -> str:  # type: ignore[override]  # callers of the old OSError use it
        return str(self)


class ConcurrentEditError(FileWriteError):
    """The file changed since the caller read it; nothing was written."""


class FileLockTimeout(FileWriteError):
    """Another termguard command held the file's lock longer than the timeout."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a glossary file, precise enough to fix it.

    `line` is 1-based, or None when the problem concerns the whole file
    (unreadable, empty, ...).
    """

    path: str
    line: int | None
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        text = f"{where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


SHOWN_PROBLEMS = 5


class GlossaryInvalid(GlossaryError, BadInputError):
    """A glossary file failed validation; `problems` lists every problem found.

    Every command reports it the same way (`str(error)`, exit 2): one line for
    one problem, else a head line and the first few problems with how many
    more there are.
    """

    exit_code = 2

    def __init__(self, problems: list[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self.summary())

    def summary(self, shown: int = SHOWN_PROBLEMS) -> str:
        problems = self.problems
        if len(problems) == 1:
            # One problem is one line, with its file and line.
            problem = problems[0]
            if problem.line is None:  # missing, a folder, unreadable: not a matter of content
                return str(problem)
            return str(replace(problem, message=f"invalid glossary: {problem.message}"))
        count = len(problems)
        path = problems[0].path if problems else "glossary"
        lines = [f"{path}: invalid glossary, {count} problem{'s' if count != 1 else ''}"]
        lines += [f"  {p}" for p in problems[:shown]]
        if count > shown:
            lines.append(f"  ... and {count - shown} more (termguard glossary lint --glossary {path} lists them all)")
        return "\n".join(lines)


class UnknownLocale(GlossaryError):
    """A locale identifier that Babel (and the test language `qtc`) do not know."""

    exit_code = 2


class UnknownConcept(GlossaryError):
    """A concept id that the glossary does not define."""

    exit_code = 2


class LineCountMismatch(GlossaryError):
    """A translation does not have one line per line of its source."""

    exit_code = 2

    def __init__(self, source_lines: int, target_lines: int) -> None:
        self.source_lines = source_lines
        self.target_lines = target_lines
        super().__init__(
            f"the source has {source_lines} lines but the translation has {target_lines}; "
            "line i of the translation must translate line i of the source (keep blank lines)"
        )
