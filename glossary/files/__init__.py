"""The one file layer: UTF-8 reading, writes that never destroy what they write over, groups, locks."""

from __future__ import annotations

from glossary.errors import ConcurrentEditError, FileInputError, FileLockTimeout, FileWriteError
from glossary.files.groups import recover, write_group
from glossary.files.locks import lock_path, locked
from glossary.files.reading import DEFAULT_LIMIT, read_bytes, read_text
from glossary.files.snapshots import Snapshot
from glossary.files.writing import open_for_replace, snapshot, write_bytes, write_text

__all__ = [
    "DEFAULT_LIMIT",
    "ConcurrentEditError",
    "FileInputError",
    "FileLockTimeout",
    "FileWriteError",
    "Snapshot",
    "lock_path",
    "locked",
    "open_for_replace",
    "read_bytes",
    "read_text",
    "recover",
    "snapshot",
    "write_bytes",
    "write_group",
    "write_text",
]
