"""The steps every replacing write shares: what the target really is, a fsynced temporary file beside it,
a fsynced folder after the rename."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from glossary.errors import FileWriteError
from glossary.files.names import display_name

__all__ = ["MISSING", "REGULAR", "STREAM", "fsync_dir", "resolve", "umask", "write_temp"]

REGULAR, MISSING, STREAM = "regular", "missing", "stream"


def resolve(path: str | os.PathLike[str]) -> tuple[Path, str, os.stat_result | None]:
    """The file really written (symlinks followed), its kind, and its stat."""
    shown = display_name(path)
    if "\x00" in os.fsdecode(path):  # the OS would raise ValueError, not OSError
        raise FileWriteError(f"{shown}: a file name cannot hold a NUL character")
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return target, MISSING, None
    except OSError as error:
        raise FileWriteError(f"{shown}: cannot write it ({error.strerror or error})") from None
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return target, REGULAR, info
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return target, STREAM, info
    if stat.S_ISDIR(mode):
        raise FileWriteError(f"{shown}: is a folder; give a file name")
    if stat.S_ISLNK(mode):
        raise FileWriteError(f"{shown}: a symlink loop; nothing was written")
    kind = "a socket" if stat.S_ISSOCK(mode) else "a block device" if stat.S_ISBLK(mode) else "not a file"
    raise FileWriteError(f"{shown}: is {kind}; termguard writes only files, character devices and FIFOs")


def umask() -> int:
    # os.umask can only be read by setting it; restore it at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_temp(target: Path, data: bytes, info: os.stat_result | None, temp: Path | None = None) -> Path:
    """Write `data` to a fsynced temporary file next to `target`, with target's mode and owner."""
    if temp is None:
        temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if info is not None:
                os.fchmod(handle.fileno(), stat.S_IMODE(info.st_mode))
                if (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
                    # Keep the owner (a run as root must not take an editor's file);
                    # a normal user may not give files away, then the mode still holds.
                    with contextlib.suppress(PermissionError):
                        os.fchown(handle.fileno(), info.st_uid, info.st_gid)
            else:
                os.fchmod(handle.fileno(), 0o666 & ~umask())
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return temp


def fsync_dir(folder: Path) -> None:
    # Durability of the rename; some file systems refuse fsync on a folder.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
