"""Reading files: UTF-8 with one clear error, bounded even when the file is an endless stream."""

from __future__ import annotations

import errno
import os
import select
import stat

from glossary.errors import FileInputError
from glossary.files.groups import recover
from glossary.files.names import display_name

# Far above any article, glossary or catalog; stops /dev/zero and its kind.
DEFAULT_LIMIT = 256 * 1024 * 1024
# How long a FIFO or terminal may stay silent before the read gives up.
DEFAULT_STREAM_TIMEOUT = 60.0
_CHUNK = 1 << 20


def _size_text(count: int) -> str:
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if count >= size:
            return f"{count / size:.4g} {unit}"
    return f"{count} bytes"


def read_bytes(
    path: str | os.PathLike[str],
    *,
    limit: int | None = DEFAULT_LIMIT,
    what: str = "file",
    timeout: float = DEFAULT_STREAM_TIMEOUT,
) -> bytes:
    """The bytes of `path`; FileInputError (one line) for a missing file, a folder, too much data.

    A regular file is checked against `limit` before it is read; a stream
    (FIFO, device, pipe) is read up to `limit` bytes and refused beyond that,
    and refused if it stays silent for `timeout` seconds.
    """
    name = display_name(path)
    if "\x00" in os.fsdecode(path):  # the OS would raise ValueError, not OSError
        raise FileInputError(f"{name}: a file name cannot hold a NUL character")
    recover(path)  # a killed group write is settled first
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise FileInputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise FileInputError(f"{name}: is a folder, not a {what}") from None
    except OSError as error:
        raise FileInputError(f"{name}: cannot read the {what} ({error.strerror or error})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileInputError(f"{name}: is a folder, not a {what}")
        if stat.S_ISREG(info.st_mode):
            if limit is not None and info.st_size > limit:
                raise FileInputError(
                    f"{name}: {_size_text(info.st_size)} is too large for a {what} (limit {_size_text(limit)})"
                )
            os.set_blocking(fd, True)
            return _read_all(fd, name, what, limit, None)
        if stat.S_ISSOCK(info.st_mode):
            raise FileInputError(f"{name}: is a socket, not a {what}")
        return _read_all(fd, name, what, limit, timeout)
    finally:
        os.close(fd)


def _read_all(fd: int, name: str, what: str, limit: int | None, timeout: float | None) -> bytes:
    parts: list[bytes] = []
    total = 0
    cap = None if limit is None else limit + 1
    while True:
        if timeout is not None:
            # Waiting for data with a deadline: a FIFO nobody writes to, or a
            # writer that stalls, must not hang the command.
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                raise FileInputError(
                    f"{name}: no data arrived for {timeout:g} s; give a regular {what} "
                    "(or end the input with Ctrl-D)"
                )
        want = _CHUNK if cap is None else min(_CHUNK, cap - total)
        try:
            chunk = os.read(fd, want)
        except BlockingIOError:
            continue
        except OSError as error:
            if error.errno == errno.EINTR:
                continue
            raise FileInputError(f"{name}: cannot read the {what} ({error.strerror or error})") from None
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
        if limit is not None and total > limit:
            raise FileInputError(
                f"{name}: more than {_size_text(limit)} of data, too much for a {what} "
                "(an endless stream such as /dev/zero?)"
            )
    return b"".join(parts)


def read_text(
    path: str | os.PathLike[str],
    *,
    limit: int | None = DEFAULT_LIMIT,
    what: str = "file",
    timeout: float = DEFAULT_STREAM_TIMEOUT,
) -> str:
    """`path` decoded as UTF-8 (a leading BOM dropped); line endings are left as they are.

    Raises FileInputError with one line naming the file and what is wrong.
    """
    data = read_bytes(path, limit=limit, what=what, timeout=timeout)
    name = display_name(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileInputError(
            f"{name}: not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "convert it, e.g. iconv -f LATIN1 -t UTF-8"
        ) from None
