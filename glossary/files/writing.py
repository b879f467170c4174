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
- `write_group` changes several files as one: a journal next to the first
  file makes a kill at any point roll back (before the commit point) or
  forward (after it) on the next access.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import secrets
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from glossary.errors import ConcurrentEditError, FileLockTimeout, FileWriteError
from glossary.files.locks import locked
from glossary.files.reading import display_name

_BOM = b"\xef\xbb\xbf"
_JOURNAL_SUFFIX = ".termguard-journal"

# Tests set this to kill the process at a named step of a group write.
_fault: Callable[[str], None] | None = None


def _step(name: str) -> None:
    if _fault is not None:
        _fault(name)


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


def _newline_of(data: bytes) -> str:
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
        newline=_newline_of(data),
        bom=data.startswith(_BOM),
    )


def snapshot(path: str | os.PathLike[str]) -> Snapshot:
    """The Snapshot of `path` now (symlinks followed; a missing file is `exists=False`)."""
    recover(path)
    return _snapshot_now(path)


def _snapshot_now(path: str | os.PathLike[str]) -> Snapshot:
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


def _check_expect(path: str | os.PathLike[str], expect: Snapshot | None) -> None:
    if expect is None:
        return
    if _changed(expect, _snapshot_now(path)):
        raise ConcurrentEditError(
            f"{display_name(path)} changed since it was read (saved by someone else?); "
            "nothing was written, run the command again"
        )


# --------------------------------------------------------------------------- targets

_REGULAR, _MISSING, _STREAM = "regular", "missing", "stream"


def _resolve(path: str | os.PathLike[str]) -> tuple[Path, str, os.stat_result | None]:
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
        return target, _MISSING, None
    except OSError as error:
        raise FileWriteError(f"{shown}: cannot write it ({error.strerror or error})") from None
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return target, _REGULAR, info
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return target, _STREAM, info
    if stat.S_ISDIR(mode):
        raise FileWriteError(f"{shown}: is a folder; give a file name")
    if stat.S_ISLNK(mode):
        raise FileWriteError(f"{shown}: a symlink loop; nothing was written")
    kind = "a socket" if stat.S_ISSOCK(mode) else "a block device" if stat.S_ISBLK(mode) else "not a file"
    raise FileWriteError(f"{shown}: is {kind}; termguard writes only files, character devices and FIFOs")


def _umask() -> int:
    # os.umask can only be read by setting it; restore it at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_temp(target: Path, data: bytes, info: os.stat_result | None, temp: Path | None = None) -> Path:
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
                os.fchmod(handle.fileno(), 0o666 & ~_umask())
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return temp


def _fsync_dir(folder: Path) -> None:
    # Durability of the rename; some file systems refuse fsync on a folder.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


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
    target, kind, info = _resolve(path)
    if parents and kind == _MISSING:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise FileWriteError(f"{shown}: cannot create its folder ({error.strerror or error})") from None
    _check_expect(path, expect)
    if kind == _STREAM:
        _write_through(target, data, shown)
        return
    temp: Path | None = None
    try:
        temp = _write_temp(target, data, info)
        # Checked again at the last moment: the window for a lost save is the rename alone.
        _check_expect(path, expect)
        os.replace(temp, target)
        temp = None
        _fsync_dir(target.parent)
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
    target, kind, info = _resolve(path)
    if kind == _STREAM:
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
            os.fchmod(handle.fileno(), stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask())
            os.fsync(handle.fileno())
        os.replace(temp, target)
        _fsync_dir(target.parent)
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
        newline, bom = _newline_of(newline_like.encode("utf-8")), newline_like.startswith("\ufeff")
    if newline != "\n":
        text = text.replace("\r\n", "\n").replace("\n", newline)
    data = text.encode("utf-8")
    if bom and not data.startswith(_BOM):
        data = _BOM + data
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


# --------------------------------------------------------------------------- groups


def _journal_path(target: Path) -> Path:
    return target.with_name(f".{target.name}{_JOURNAL_SUFFIX}")


def _write_journal(journal: Path, state: str, pairs: list[tuple[Path, Path]]) -> None:
    journal.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps({"state": state, "files": [[os.fsdecode(t), os.fsdecode(p)] for t, p in pairs]})
    temp = _write_temp(journal, body.encode("utf-8"), None)
    os.replace(temp, journal)
    _fsync_dir(journal.parent)


def recover(path: str | os.PathLike[str]) -> None:
    """Settle a group write that was killed, if `path` was the first file of one."""
    try:
        target = Path(os.path.realpath(path))
    except (OSError, ValueError):
        return
    journal = _journal_path(target)
    if not os.path.lexists(journal):
        return
    try:
        # The writer holds the lock while its group is in progress: then there is
        # nothing to settle, it is still being written.
        with locked(target, timeout=0):
            _settle(path, journal)
    except FileLockTimeout:
        return


def _settle(path: str | os.PathLike[str], journal: Path) -> None:
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
        state = record["state"]
        pairs = [(Path(t), Path(p)) for t, p in record["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        # Not a journal we can read: written by no complete step, so nothing was replaced.
        with contextlib.suppress(OSError):
            journal.unlink()
        return
    try:
        for final, temp in pairs:
            if state == "commit":
                if os.path.lexists(temp):
                    os.replace(temp, final)
                    _fsync_dir(final.parent)
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp)
        journal.unlink()
        _fsync_dir(journal.parent)
    except OSError as error:
        raise FileWriteError(
            f"{display_name(path)}: an interrupted change could not be completed ({error.strerror or error}); "
            f"see {display_name(journal)}"
        ) from None


def write_group(items: Sequence[tuple[str | os.PathLike[str], bytes | str, Snapshot | None]]) -> None:
    """Write every (path, data, expect) or none: all expects are checked first, then a journal
    next to the first file marks the commit point of the renames."""
    if not items:
        return
    for path, _, _ in items:
        recover(path)
    first = _resolve(items[0][0])[0]
    with locked(first):
        _write_group(items)


def _write_group(items: Sequence[tuple[str | os.PathLike[str], bytes | str, Snapshot | None]]) -> None:
    resolved: list[tuple[Path, bytes, os.stat_result | None, str]] = []
    seen: set[Path] = set()
    for path, data, _expect in items:
        target, kind, info = _resolve(path)
        if kind == _STREAM:
            raise FileWriteError(f"{display_name(path)}: a device or FIFO cannot take part in a change of several files")
        if target in seen:
            raise FileWriteError(f"{display_name(path)}: named twice in one change")
        seen.add(target)
        resolved.append((target, data.encode("utf-8") if isinstance(data, str) else data, info, display_name(path)))
    for path, _, expect in items:
        _check_expect(path, expect)

    journal = _journal_path(resolved[0][0])
    token = secrets.token_hex(6)
    pairs = [(target, target.with_name(f".{target.name}.{token}.tmp")) for target, _, _, _ in resolved]
    committed = False
    try:
        _write_journal(journal, "prepare", pairs)
        _step("journal-prepare")
        for (target, data, info, _), (_, temp) in zip(resolved, pairs, strict=True):
            _write_temp(target, data, info, temp)
            _step(f"temp:{target.name}")
        for path, _, expect in items:
            _check_expect(path, expect)
        _write_journal(journal, "commit", pairs)
        committed = True
        _step("journal-commit")
        for target, temp in pairs:
            os.replace(temp, target)
            _fsync_dir(target.parent)
            _step(f"replace:{target.name}")
        journal.unlink()
        _fsync_dir(journal.parent)
        _step("done")
    except OSError as error:
        if committed:
            # Past the commit point the change must land: finish it now (or on the next access).
            with contextlib.suppress(OSError):
                _settle(resolved[0][0], journal)
            if isinstance(error, FileWriteError):
                raise
            raise FileWriteError(
                f"{resolved[0][3]}: the change was committed but not finished ({error.strerror or error}); "
                "the next command completes it"
            ) from None
        _roll_back(journal, pairs)
        if isinstance(error, FileWriteError):
            raise
        failed = next((shown for (t, _, _, shown) in resolved if os.fsdecode(t) in str(error.filename)), resolved[0][3])
        raise FileWriteError(f"{failed}: cannot write it ({error.strerror or error}); no file was changed") from None
    except BaseException:
        if committed:
            with contextlib.suppress(OSError):
                _settle(resolved[0][0], journal)
        else:
            _roll_back(journal, pairs)
        raise


def _roll_back(journal: Path, pairs: list[tuple[Path, Path]]) -> None:
    for _, temp in pairs:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    with contextlib.suppress(OSError):
        journal.unlink()
