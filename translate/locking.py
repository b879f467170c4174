"""An exclusive advisory lock held on a lock file next to the file it guards.

``fcntl.flock`` locks belong to an open file description, so two threads of
one process that each open the lock file exclude each other just like two
processes do, and the kernel drops the lock when a holder dies (even SIGKILL).
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

__all__ = ["FileLock", "LockError", "LockTimeout"]


class LockError(OSError):
    """The lock file cannot be created or opened."""


class LockTimeout(TimeoutError):
    """Another holder kept the lock longer than the timeout."""


class FileLock:
    """``with FileLock(path, timeout=30):`` -- blocks, polling, up to ``timeout`` seconds."""

    def __init__(self, path: Path, timeout: float = 60.0, poll_interval: float = 0.05) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.poll_interval = poll_interval
        self._fd: int | None = None

    @property
    def locked(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        if self._fd is not None:
            raise RuntimeError(f"{self.path} is already locked by this object")
        try:
            # 0o666 & ~umask: the lock file is shared by every user who may run an update.
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        except OSError as error:
            raise LockError(error.errno, f"cannot create lock file {self.path}: {error.strerror}") from error
        deadline = time.monotonic() + self.timeout
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LockTimeout(
                            f"{self.path} is held by another process (waited {self.timeout:g} s)"
                        ) from None
                    time.sleep(self.poll_interval)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        # The lock file itself stays: unlinking it would let a waiter lock a
        # file that a newcomer no longer sees.
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

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
