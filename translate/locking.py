"""Old interface of the file lock, now `glossary.files.locked` (filelock, lock files kept out of user folders).

``FileLock(path_of_x + ".lock")`` guards ``x``: the ``.lock`` name is only a
key, no file is created next to ``x``.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType

from glossary.errors import FileLockTimeout as LockTimeout
from glossary.errors import FileWriteError as LockError
from glossary.files import locked

__all__ = ["FileLock", "LockError", "LockTimeout"]


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
