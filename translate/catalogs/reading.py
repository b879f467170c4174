"""Reading a catalog strictly: charset, line ends, syntax, duplicate messages; what its bytes were."""

from __future__ import annotations

import codecs
import hashlib
import operator
import re
from pathlib import Path

import polib

from glossary import files
from glossary.gc_pause import gc_paused
from translate.catalogs.errors import CatalogParseError, CatalogReadError
from translate.catalogs.po_text import PoSyntaxError, parse_po

__all__ = [
    "NO_WRAP", "empty_catalog", "load_catalog", "meaning", "parse_bytes", "read_bytes", "snapshot_of",
]

# Catalogs are written without line wrapping, so a changed paragraph is one
# changed line in a diff and comments keep the exact lines written.
NO_WRAP = 0


def parse_bytes(path: Path, data: bytes) -> polib.POFile:
    charset = "utf-8"
    header_line: int | None = None
    header = re.search(rb"charset=([A-Za-z0-9_.:-]+)", data[:4096])
    if header:
        header_line = data[: header.start()].count(b"\n") + 1
        charset = header.group(1).decode("ascii").lower()
        if charset == "charset":  # the template placeholder "CHARSET"
            charset = "utf-8"
    try:
        declared = codecs.lookup(charset).name
    except LookupError:
        raise CatalogParseError(path, header_line, f"unknown charset {charset!r} in the header") from None
    if declared != "utf-8" and not data.isascii():
        # A header that names a single-byte charset over UTF-8 bytes decodes
        # without error into mojibake, which the next write would make
        # permanent. Real text in Latin-1 & co. is almost never valid UTF-8.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise CatalogParseError(
                path, header_line,
                f"the header declares charset {charset!r} but the file is UTF-8; fix the Content-Type header",
            )
    try:
        text = data.decode(charset)
    except LookupError:
        raise CatalogParseError(path, header_line, f"unknown charset {charset!r} in the header") from None
    except UnicodeDecodeError as error:
        bad_line = data[: error.start].count(b"\n") + 1
        raise CatalogParseError(path, bad_line, f"invalid {charset} byte sequence") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    # CRLF and old-Mac CR line ends both count as LF; PO writers escape a CR
    # inside a string, so a raw one can only be a line end.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    with gc_paused():
        return _parsed(path, text)


_CONTEXT = operator.attrgetter("msgctxt")
_MSGID = operator.attrgetter("msgid")


def _parsed(path: Path, text: str) -> polib.POFile:
    """The catalog in `text` (LF line ends, no BOM), its messages checked for duplicates."""
    try:
        po = parse_po(text)
    except PoSyntaxError as error:
        raise CatalogParseError(path, error.line, error.reason) from None
    active = [entry for entry in po if not entry.obsolete]
    keys = list(zip(map(_CONTEXT, active), map(_MSGID, active)))
    if len(set(keys)) != len(keys):  # the usual catalog has none: found without a loop in Python
        seen: dict[tuple[str | None, str], int] = {}
        for entry, key in zip(active, keys):
            if key in seen:
                raise CatalogParseError(
                    path, entry.linenum or None,
                    f"duplicate message definition (first at line {seen[key]})",
                )
            seen[key] = entry.linenum or 0
    po.wrapwidth = NO_WRAP
    po.encoding = "utf-8"
    return po


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CatalogReadError(f"cannot read {path}: {error.strerror or error}") from None


def load_catalog(path: Path | str) -> polib.POFile:
    """Parse a catalog strictly; raises CatalogParseError with file and line."""
    path = Path(path)
    return parse_bytes(path, read_bytes(path))


def empty_catalog() -> polib.POFile:
    """The catalog a session starts from when there is no file yet."""
    po = polib.POFile(wrapwidth=NO_WRAP, encoding="utf-8")
    po.metadata = {}
    return po


# The plain fields of an entry, read in C; the lists and the dict are copied beside them.
_ENTRY_FIELDS = operator.attrgetter(
    "obsolete", "msgctxt", "msgid", "msgid_plural", "msgstr", "comment", "tcomment",
    "previous_msgctxt", "previous_msgid", "previous_msgid_plural",
)


def meaning(po: polib.POFile) -> tuple[object, ...]:
    """Everything the serialised catalog is made from, in order: equal meanings, equal bytes."""
    fields = _ENTRY_FIELDS
    return (
        po.header, sorted(po.metadata.items()), bool(po.metadata_is_fuzzy),
        [(fields(e), tuple(e.occurrences), tuple(e.flags),
          sorted(e.msgstr_plural.items()) if e.msgstr_plural else None) for e in po],
    )


def snapshot_of(data: bytes) -> files.Snapshot:
    """What the catalog's bytes were when read: the write compares against it, and keeps its form."""
    crlf = data.count(b"\r\n")
    return files.Snapshot(
        exists=True, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        newline="\r\n" if crlf and crlf >= data.count(b"\n") - crlf else "\n",
        bom=data.startswith(codecs.BOM_UTF8),
    )
