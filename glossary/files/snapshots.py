"""Snapshots: what a file was when it was read, compared before writing to catch a save in between."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass

from glossary.errors import ConcurrentEditError, FileWriteError
from glossary.files.names import display_name

__all__ = ["BOM", "Snapshot", "check_expect", "newline_of", "snapshot_now", "snapshot_of"]

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Snapshot:
    """What a file was when it was read: compared before writing to catch a save in between."""

    exists: bool
    size: int = 0
    mtime_ns: int = 0
    inode: int = 0
    sha256: str = ""
    # The form of the text, so a rewrite can keep it.
    newline: str = "\n"
    bom: bool = False


def newline_of(data: bytes) -> str:
    crlf = data.count(b"\r\n")
    lf = data.count(b"\n") - crlf
    cr = data.count(b"\r") - crlf
    if crlf > lf and crlf >= cr:
        return "\r\n"
    if cr > lf:
        return "\r"
    return "\n"


def snapshot_of(data: bytes, info: os.stat_result | None = None) -> Snapshot:
    """The Snapshot of bytes just read (with the stat of the file they came from)."""
    return Snapshot(
        exists=True,
        size=len(data),
        mtime_ns=info.st_mtime_ns if info else 0,
        inode=info.st_ino if info else 0,
        sha256=hashlib.sha256(data).hexdigest(),
        newline=newline_of(data),
        bom=data.startswith(BOM),
    )


def snapshot_now(path: str | os.PathLike[str]) -> Snapshot:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return Snapshot(exists=False)
    except OSError as error:
        raise FileWriteError(f"{display_name(path)}: cannot read it ({error.strerror or error})") from None
    if not stat.S_ISREG(info.st_mode):
        # A device or FIFO has no content to compare; it is written through.
        return Snapshot(exists=True, mtime_ns=info.st_mtime_ns, inode=info.st_ino)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise FileWriteError(f"{display_name(path)}: cannot read it ({error.strerror or error})") from None
    return snapshot_of(data, info)


def _changed(expect: Snapshot, now: Snapshot) -> bool:
    if expect.exists != now.exists:
        return True
    return bool(expect.exists and expect.sha256 and expect.sha256 != now.sha256)


def check_expect(path: str | os.PathLike[str], expect: Snapshot | None) -> None:
    if expect is None:
        return
    if _changed(expect, snapshot_now(path)):
        raise ConcurrentEditError(
            f"{display_name(path)} changed since it was read (saved by someone else?); "
            "nothing was written, run the command again"
        )
