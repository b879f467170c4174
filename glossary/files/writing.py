"""Writes that never destroy what they write over.

- A regular file (or a missing one) is replaced atomically: the bytes go to a
  temporary file in the same folder, are fsynced, and are renamed over the
  target, which keeps its mode and owner. A reader sees the old bytes or the
  new ones, never a mix.
- A symlink is written through to its target by the same rules; the link stays.
- A character device or FIFO is opened and written, never replaced
  (`-o /dev/null` must not turn the machine's /dev/null into a file).
- Anything else (a folder, a socket, a block device) is refused in one line.
- `expect` is the Snapshot taken when the caller read the file: if the file
  changed since (an editor saved it), nothing is written.
- `write_group` (glossary.files.groups) changes several files as one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from glossary.errors import FileWriteError
from glossary.files import atomic  # atomic.write_temp by its module: tests replace it to fail every write
from glossary.files.atomic import MISSING, STREAM, fsync_dir, resolve, umask
from glossary.files.groups import recover
from glossary.files.names import display_name
from glossary.files.snapshots import BOM, Snapshot, check_expect, newline_of, snapshot_now

__all__ = ["open_for_replace", "snapshot", "write_bytes", "write_text"]


def snapshot(path: str | os.PathLike[str]) -> Snapshot:
    """The Snapshot of `path` now (symlinks followed; a missing file is `exists=False`)."""
    recover(path)
    return snapshot_now(path)


def _write_through(target: Path, data: bytes, shown: str) -> None:
    flags = os.O_WRONLY | os.O_CLOEXEC
    if stat.S_ISFIFO(os.stat(target).st_mode):
        flags |= os.O_NONBLOCK  # no reader: ENXIO at once instead of a hang
    try:
        fd = os.open(target, flags)
    except OSError as error:
        if error.errno == errno.ENXIO:
            raise FileWriteError(f"{shown}: a FIFO that nobody reads; nothing was written") from None
        raise FileWriteError(f"{shown}: cannot write it ({error.strerror or error})") from None
    try:
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except OSError as error:
        raise FileWriteError(f"{shown}: cannot write it ({error.strerror or error})") from None
    finally:
        os.close(fd)


def write_bytes(
    path: str | os.PathLike[str], data: bytes, *, expect: Snapshot | None = None, parents: bool = False
) -> None:
    """Write `data` to `path` by the rules of this module; FileWriteError or ConcurrentEditError.

    `parents`: create missing folders (else a missing folder is an error, so a
    mistyped path does not silently create one).
    """
    shown = display_name(path)
    recover(path)
    target, kind, info = resolve(path)
    if parents and kind == MISSING:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise FileWriteError(f"{shown}: cannot create its folder ({error.strerror or error})") from None
    check_expect(path, expect)
    if kind == STREAM:
        _write_through(target, data, shown)
        return
    temp: Path | None = None
    try:
        temp = atomic.write_temp(target, data, info)
        # Checked again at the last moment: the window for a lost save is the rename alone.
        check_expect(path, expect)
        os.replace(temp, target)
        temp = None
        fsync_dir(target.parent)
    except OSError as error:
        if isinstance(error, FileWriteError):
            raise
        raise FileWriteError(f"{shown}: cannot write it ({error.strerror or error}); it is unchanged") from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


@contextlib.contextmanager
def open_for_replace(path: str | os.PathLike[str], *, parents: bool = False) -> Iterator[BinaryIO]:
    """A binary file to stream into; on a clean exit it replaces `path` by the rules
    of `write_bytes` (regular or missing files only), on an error `path` is untouched."""
    shown = display_name(path)
    recover(path)
    target, kind, info = resolve(path)
    if kind == STREAM:
        raise FileWriteError(f"{shown}: a device or FIFO cannot be replaced by a download")
    if parents:
        target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    except OSError as error:
        raise FileWriteError(f"{shown}: cannot write it ({error.strerror or error})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fchmod(handle.fileno(), stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~umask())
            os.fsync(handle.fileno())
        os.replace(temp, target)
        fsync_dir(target.parent)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


def _encode(text: str, newline_like: Snapshot | str | None) -> bytes:
    if newline_like is None:
        return text.encode("utf-8")
    if isinstance(newline_like, Snapshot):
        newline, bom = newline_like.newline, newline_like.bom
    elif newline_like in ("\n", "\r\n", "\r"):
        newline, bom = newline_like, False
    else:
        newline, bom = newline_of(newline_like.encode("utf-8")), newline_like.startswith("\ufeff")
    if newline != "\n":
        text = text.replace("\r\n", "\n").replace("\n", newline)
    data = text.encode("utf-8")
    if bom and not data.startswith(BOM):
        data = BOM + data
    return data


def write_text(
    path: str | os.PathLike[str],
    text: str,
    *,
    expect: Snapshot | None = None,
    newline_like: Snapshot | str | None = None,
    parents: bool = False,
) -> None:
    """Write `text` as UTF-8. `newline_like` (a Snapshot, the old text, or a line ending)
    gives the line endings and BOM to keep; None writes the text as it is."""
    write_bytes(path, _encode(text, newline_like), expect=expect, parents=parents)
