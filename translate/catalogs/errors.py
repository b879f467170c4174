"""The errors of catalog work: reading, parsing, writing, locking, rendering."""

from __future__ import annotations

from pathlib import Path

from translate.errors import TermguardError

__all__ = [
    "CatalogEntryNotFound",
    "CatalogError",
    "CatalogLayoutError",
    "CatalogLockTimeout",
    "CatalogNotFound",
    "CatalogParseError",
    "CatalogReadError",
    "CatalogWriteError",
]


class CatalogError(TermguardError):
    """Base of every error the catalog modules raise."""


class CatalogReadError(CatalogError):
    """The catalog file exists but cannot be read."""


class CatalogParseError(CatalogError):
    """The catalog is not valid PO; it is reported and never overwritten."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.reason = message
        where = f"{path}:{line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {message}")


class CatalogWriteError(CatalogError):
    """Writing failed (no space, read-only folder, ...); the old file is intact."""


class CatalogLockTimeout(CatalogError):
    """Another update held the catalog's lock for longer than the timeout."""


class CatalogEntryNotFound(CatalogError, KeyError):
    """No active entry has this msgid."""

    exit_code = 2  # bad input

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class CatalogNotFound(CatalogError):
    """No catalog (or more than one) answers the locale and domain asked for."""

    exit_code = 2  # bad input


class CatalogLayoutError(CatalogError):
    """The catalog cannot be rendered: no or inconsistent source-layout header."""
