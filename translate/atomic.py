"""Old names of the one file layer (glossary.files), kept for the modules that import them."""

from __future__ import annotations

import contextlib
from pathlib import Path

from glossary.errors import FileWriteError as AtomicWriteError
from glossary.files import write_bytes as atomic_write_bytes

__all__ = ["AtomicWriteError", "atomic_write_bytes", "temp_prefix", "remove_stale_temps"]

_TEMP_SUFFIX = ".tmp"


def temp_prefix(path: Path) -> str:
    """Name prefix of the temporary files glossary.files uses for ``path``."""
    return f".{path.name}."


def remove_stale_temps(path: Path) -> list[Path]:
    """Delete temporary files left for ``path`` by a writer that was killed.

    Only safe while holding ``glossary.files.locked(path)``.
    """
    path = Path(path)
    removed: list[Path] = []
    prefix = temp_prefix(path)
    try:
        candidates = list(path.parent.iterdir())
    except OSError:
        return removed
    for candidate in candidates:
        if candidate.name.startswith(prefix) and candidate.name.endswith(_TEMP_SUFFIX):
            with contextlib.suppress(OSError):
                candidate.unlink()
                removed.append(candidate)
    return removed
