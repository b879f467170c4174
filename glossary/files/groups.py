"""Group writes: several files changed as one, all or none, even on a kill.

A journal next to the first file marks the commit point of the renames: a
kill at any point rolls back (before it) or forward (after it) on the next
access, which `recover` settles.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path

from glossary.errors import FileLockTimeout, FileWriteError
from glossary.files import atomic  # atomic.write_temp by its module: tests replace it to fail every write
from glossary.files.atomic import STREAM, fsync_dir, resolve
from glossary.files.locks import locked
from glossary.files.names import display_name
from glossary.files.snapshots import Snapshot, check_expect

__all__ = ["recover", "write_group"]

_JOURNAL_SUFFIX = ".termguard-journal"

# Tests set this to kill the process at a named step of a group write.
_fault: Callable[[str], None] | None = None


def _step(name: str) -> None:
    if _fault is not None:
        _fault(name)


def _journal_path(target: Path) -> Path:
    return target.with_name(f".{target.name}{_JOURNAL_SUFFIX}")


def _write_journal(journal: Path, state: str, pairs: list[tuple[Path, Path]]) -> None:
    journal.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps({"state": state, "files": [[os.fsdecode(t), os.fsdecode(p)] for t, p in pairs]})
    temp = atomic.write_temp(journal, body.encode("utf-8"), None)
    os.replace(temp, journal)
    fsync_dir(journal.parent)


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
                    fsync_dir(final.parent)
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp)
        journal.unlink()
        fsync_dir(journal.parent)
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
    first = resolve(items[0][0])[0]
    with locked(first):
        _write_group(items)


def _write_group(items: Sequence[tuple[str | os.PathLike[str], bytes | str, Snapshot | None]]) -> None:
    resolved: list[tuple[Path, bytes, os.stat_result | None, str]] = []
    seen: set[Path] = set()
    for path, data, _expect in items:
        target, kind, info = resolve(path)
        if kind == STREAM:
            raise FileWriteError(f"{display_name(path)}: a device or FIFO cannot take part in a change of several files")
        if target in seen:
            raise FileWriteError(f"{display_name(path)}: named twice in one change")
        seen.add(target)
        resolved.append((target, data.encode("utf-8") if isinstance(data, str) else data, info, display_name(path)))
    for path, _, expect in items:
        check_expect(path, expect)

    journal = _journal_path(resolved[0][0])
    token = secrets.token_hex(6)
    pairs = [(target, target.with_name(f".{target.name}.{token}.tmp")) for target, _, _, _ in resolved]
    committed = False
    try:
        _write_journal(journal, "prepare", pairs)
        _step("journal-prepare")
        for (target, data, info, _), (_, temp) in zip(resolved, pairs, strict=True):
            atomic.write_temp(target, data, info, temp)
            _step(f"temp:{target.name}")
        for path, _, expect in items:
            check_expect(path, expect)
        _write_journal(journal, "commit", pairs)
        committed = True
        _step("journal-commit")
        for target, temp in pairs:
            os.replace(temp, target)
            fsync_dir(target.parent)
            _step(f"replace:{target.name}")
        journal.unlink()
        fsync_dir(journal.parent)
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
