"""Locks through `flock(2)`, with the lock files kept out of the user's folders.

The lock file of `path` lives under the user cache folder, named by a hash of
the resolved path, so every command that writes one file takes one lock
whatever path spelling it was given, and no `.lock` is left beside catalogs
and glossaries. (The price: two different users sharing a folder do not
exclude each other; each user's own commands do.)

A small flock lock rather than the `filelock` package: importing that costs
more than a whole glossary command may take. POSIX only, as the rest of the
file layer (os.getuid, modes, O_NOFOLLOW).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import TracebackType

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


# Per thread: lock file -> [descriptor, depth]. flock excludes other open file
# descriptions, so another thread (its own descriptor) waits as another process
# does, while a nested `locked` of the same file in one thread only counts up.
_held = threading.local()
_POLL_INTERVAL = 0.05


def _held_here() -> dict[str, list[int]]:
    table: dict[str, list[int]] | None = getattr(_held, "table", None)
    if table is None:
        table = _held.table = {}
    return table


def _acquire(lock_file: str, timeout: float) -> int:
    """The descriptor of `lock_file`, flock-ed exclusively; TimeoutError after `timeout` s (< 0: no limit)."""
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                os.close(fd)
                raise
        if timeout >= 0 and time.monotonic() >= deadline:
            os.close(fd)
            raise TimeoutError(lock_file)
        time.sleep(_POLL_INTERVAL)


@contextmanager
def locked(path: str | os.PathLike[str], *, timeout: float = DEFAULT_TIMEOUT) -> Iterator[None]:
    """Hold the exclusive lock of `path` (re-entrant in one thread; excludes other threads and processes)."""
    lock_file = str(_usable_lock_file(path))
    table = _held_here()
    entry = table.get(lock_file)
    if entry is not None:
        entry[1] += 1
    else:
        try:
            fd = _acquire(lock_file, timeout)
        except TimeoutError:
            raise FileLockTimeout(
                f"{path} is being written by another termguard command (waited {timeout:g} s); try again"
            ) from None
        except OSError as error:
            raise FileWriteError(f"{path}: cannot take its lock: {error.strerror or error}") from None
        entry = table[lock_file] = [fd, 1]
    try:
        yield
    finally:
        entry[1] -= 1
        if entry[1] == 0:
            del table[lock_file]
            os.close(entry[0])  # closing the descriptor releases the flock


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
