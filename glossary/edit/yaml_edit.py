"""Editing a glossary YAML file so that a `git diff` shows only the change.

The engine lives in `glossary.edit` (edit records, the one applier, the line
merge); this module keeps the names the review workflow and older callers
use, and the file helpers every writer of a glossary and its side files
shares, all on the one file layer (`glossary.files`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from glossary import files
from glossary.edit.apply import apply_edits
from glossary.edit.layout import dump, minimal_merge
from glossary.edit.plan import rendering_edit
from glossary.edit.records import EditError, RenderingChange, rendering_changes
from glossary.edit.tree import find_concept, find_locale_key, insert_key, locale_order
from glossary.edit.yaml_write import write_atomic
from glossary.errors import GlossaryError
from glossary.termbase.load import load_glossary_text
from glossary.termbase.locales import normalize_locale
from glossary.termbase.model import Status

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "RenderingChange",
    "ReviewFileError",
    "ReviewLockTimeout",
    "YamlEditError",
    "atomic_write_bytes",
    "atomic_write_text",
    "dump",
    "edit_text",
    "find_concept",
    "find_locale_key",
    "glossary_lock",
    "insert_key",
    "load_glossary_text",
    "locale_order",
    "minimal_merge",
    "read_text",
    "write_all_or_nothing",
    "write_atomic",
]

DEFAULT_LOCK_TIMEOUT = 30.0

YamlEditError = EditError  # the name older callers catch


class ReviewFileError(GlossaryError):
    """A glossary, proposals or history file cannot be read or written."""


class ReviewLockTimeout(ReviewFileError):
    """Another command held the glossary's lock for longer than the timeout."""


def edit_text(text: str, name: str, concept_id: str, locale: str, rendering_text: str,
              status: Status, forms: tuple[str, ...] = ()) -> tuple[str, list[RenderingChange]]:
    """The file's text with one rendering set, and what changed (see `glossary.edit`)."""
    glossary = load_glossary_text(text, name)
    change = rendering_edit(glossary, concept_id, normalize_locale(locale), rendering_text, status, forms)
    applied = apply_edits(text, name, [change], before=glossary)
    return applied.text, rendering_changes(change, first=rendering_text)


def read_text(path: Path) -> str:
    """A UTF-8 text file, or ReviewFileError."""
    try:
        return files.read_text(path)
    except files.FileInputError as error:
        raise ReviewFileError(str(error)) from None


def atomic_write_text(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8); see `atomic_write_bytes`."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` through glossary.files, or ReviewFileError."""
    try:
        files.write_bytes(path, data)
    except files.FileWriteError as error:
        raise ReviewFileError(str(error)) from None


def write_all_or_nothing(writes: list[tuple[Path, str]]) -> None:
    """Write several files as one change (glossary.files.write_group): all or none, even on a kill."""
    try:
        files.write_group([(path, text, None) for path, text in writes])
    except files.FileWriteError as error:
        raise ReviewFileError(str(error)) from None


@contextlib.contextmanager
def glossary_lock(glossary_path: Path, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the lock of the glossary (glossary.files.locked) for the glossary and its side files.

    One lock covers the glossary, its proposals and its history, so an
    approval changes all three as one step and proposal ids stay unique.
    """
    try:
        with files.locked(glossary_path, timeout=timeout):
            yield
    except files.FileLockTimeout:
        raise ReviewLockTimeout(
            f"{glossary_path} is being changed by another termguard command (waited {timeout:g} s); try again"
        ) from None
