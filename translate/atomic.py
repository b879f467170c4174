"""Atomic file replacement: a reader sees the old bytes or the new ones, never a mix.

The bytes go to a temporary file in the target's folder (same file system, so
``os.replace`` is a rename), are fsynced, then renamed over the target; the
folder is fsynced so the rename survives a crash. On any error the temporary
file is removed and the target is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

__all__ = ["AtomicWriteError", "atomic_write_bytes", "temp_prefix", "remove_stale_temps"]


class AtomicWriteError(OSError):
    """Writing or renaming the temporary file failed; the target is untouched."""


def temp_prefix(path: Path) -> str:
    """Name prefix of the temporary files used for ``path`` (hidden, recognisable)."""
    return f".{path.name}."


_TEMP_SUFFIX = ".tmp"


def _current_umask() -> int:
    # os.umask can only be read by setting it; restore it at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``, keeping the old file's permission bits.

    A new file gets ``0o666 & ~umask`` like ``open()`` would give it, not the
    ``0o600`` of ``mkstemp``.
    """
    path = Path(path)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_current_umask()
    except OSError as error:
        raise AtomicWriteError(error.errno, f"cannot write {path}: {error.strerror}") from error
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=temp_prefix(path), suffix=_TEMP_SUFFIX)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
        _fsync_dir(path.parent)
    except OSError as error:
        raise AtomicWriteError(
            error.errno, f"cannot write {path}: {error.strerror or error}"
        ) from error
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _fsync_dir(folder: Path) -> None:
    # Durability only: some file systems refuse fsync on a folder; the data is
    # already in place, so that is not an error.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_stale_temps(path: Path) -> list[Path]:
    """Delete temporary files left for ``path`` by a writer that was killed.

    Only safe while holding the lock that every writer of ``path`` takes.
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
