"""Reading a glossary file once for an edit: its bytes, text, form, snapshot and model.

Everything an edit needs comes from one read: the text the applier edits,
the `Snapshot` that the write compares against (an editor's save in between
is noticed, never overwritten), the line endings and BOM the rewrite keeps,
and the validated glossary (from the cache when termguard has seen the bytes).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from glossary import files
from glossary.termbase.load import load_glossary_data, read_glossary_bytes
from glossary.termbase.model import Glossary

__all__ = ["GlossaryFile", "encode_like", "read_glossary_file"]

_BOM = "\ufeff"


@dataclass(frozen=True)
class GlossaryFile:
    """One read of a glossary file."""

    path: Path
    text: str  # BOM dropped, every line end LF: what the applier edits
    snapshot: files.Snapshot
    glossary: Glossary

    def encode(self, text: str) -> bytes:
        """`text` as the bytes of this file: its line endings and BOM kept."""
        return encode_like(self.snapshot, text)


def encode_like(snapshot: files.Snapshot, text: str) -> bytes:
    """UTF-8 bytes of LF `text` with the line endings and BOM recorded in `snapshot`."""
    if snapshot.newline != "\n":
        text = text.replace("\n", snapshot.newline)
    if snapshot.bom and not text.startswith(_BOM):
        text = _BOM + text
    return text.encode("utf-8")


def _lf(data: bytes) -> str:
    text = data.decode("utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_glossary_file(path: str | Path, attempts: int = 5) -> GlossaryFile:
    """Read and validate a glossary file, with the snapshot of exactly the bytes read.

    Raises GlossaryInvalid (missing, unreadable or invalid file) or
    ConcurrentEditError if the file keeps changing while it is read.
    """
    target = Path(path)
    for _ in range(attempts):
        snap = files.snapshot(target)  # also settles a change a killed command left half done
        data = read_glossary_bytes(target)
        if snap.exists and hashlib.sha256(data).hexdigest() == snap.sha256:
            glossary = load_glossary_data(data, str(target))
            return GlossaryFile(target, _lf(data), snap, glossary)
    raise files.ConcurrentEditError(f"{target}: the file keeps changing while it is read; try again")
