"""Locks through `filelock`, with the lock files kept out of the user's folders.

The lock file of `path` lives under the user cache folder, named by a hash of
the resolved path, so every command that writes one file takes one lock
whatever path spelling it was given, and no `.lock` is left beside catalogs
and glossaries. (The price: two different users sharing a folder do not
exclude each other; each user's own commands do.)
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import TracebackType

import filelock

from glossary.errors import FileLockTimeout, FileWriteError

DEFAULT_TIMEOUT = 60.0


def _lock_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "termguard" / "locks"


def lock_path(path: str | os.PathLike[str]) -> Path:
    """The lock file guarding `path` (not created here)."""
    resolved = os.path.realpath(os.fspath(path))
    digest = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:32]
    return _lock_folder() / f"{digest}.lock"


def _usable_lock_file(path: str | os.PathLike[str]) -> Path:
    target = lock_path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return target
    except OSError:
        # A read-only home: a per-user folder in the temporary folder still
        # serialises this user's commands.
        fallback = Path(tempfile.gettempdir()) / f"termguard-locks-{os.getuid()}"
        try:
            fallback.mkdir(mode=0o700, exist_ok=True)
        except OSError as error:
            raise FileWriteError(f"{path}: cannot create a lock file: {error.strerror or error}") from None
        return fallback / target.name


@contextmanager
def locked(path: str | os.PathLike[str], *, timeout: float = DEFAULT_TIMEOUT) -> Iterator[None]:
    """Hold the exclusive lock of `path` (re-entrant in one thread; excludes other threads and processes)."""
    lock_file = _usable_lock_file(path)
    # One object per lock file (is_singleton) makes a nested `locked` of the
    # same file in the same thread re-entrant instead of a self-deadlock.
    lock = filelock.FileLock(str(lock_file), is_singleton=True)
    try:
        lock.acquire(timeout=timeout)
    except filelock.Timeout:
        raise FileLockTimeout(
            f"{path} is being written by another termguard command (waited {timeout:g} s); try again"
        ) from None
    except OSError as error:
        raise FileWriteError(f"{path}: cannot take its lock: {error.strerror or error}") from None
    try:
        yield
    finally:
        lock.release()


# The object form of `locked`, for code that acquires and releases in separate calls.
# ``FileLock(path_of_x + ".lock")`` guards ``x``: the ``.lock`` name is only a key, no file is created next to ``x``.
class FileLock:
    """``with FileLock(path, timeout=30):`` -- blocks up to ``timeout`` seconds."""

    def __init__(self, path: Path, timeout: float = 60.0, poll_interval: float = 0.05) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._guarded = self.path.with_name(self.path.name[: -len(".lock")]) if self.path.name.endswith(".lock") else self.path
        self._held: AbstractContextManager[None] | None = None

    @property
    def locked(self) -> bool:
        return self._held is not None

    def acquire(self) -> None:
        if self._held is not None:
            raise RuntimeError(f"{self.path} is already locked by this object")
        held = locked(self._guarded, timeout=self.timeout)
        held.__enter__()
        self._held = held

    def release(self) -> None:
        if self._held is not None:
            held, self._held = self._held, None
            held.__exit__(None, None, None)

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
