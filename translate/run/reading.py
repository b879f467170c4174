"""Reading input documents: UTF-8 text only, with one clear error otherwise."""

from __future__ import annotations

import os
from pathlib import Path

from glossary.files import FileInputError, read_bytes
from glossary.files.names import display_name
from translate.errors import InputError

MAX_INPUT_BYTES = 64 * 1024 * 1024  # far above any article; stops /dev/zero and endless FIFOs

STDIN = "-"


def read_text(path: Path | str, *, stdin: bytes | None = None) -> str:
    """Read a text file as UTF-8 (a BOM is dropped, CRLF/CR become LF).

    ``path`` ``-`` is standard input, whose bytes the caller passes as ``stdin``
    (already bounded); a FIFO or device is read up to the limit, never for ever.
    """
    name = display_name(path)
    if os.fspath(path) == STDIN and stdin is not None:
        data = stdin
        name = "standard input"
        if len(data) > MAX_INPUT_BYTES:
            raise InputError(f"{name}: more than {MAX_INPUT_BYTES} bytes, too much for an article")
    else:
        try:
            data = read_bytes(path, limit=MAX_INPUT_BYTES, what="text file")
        except FileInputError as exc:
            raise InputError(str(exc)) from None
    if b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file (contains NUL bytes); give a UTF-8 text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it, e.g. iconv -f LATIN1 -t UTF-8"
        ) from None
    if not text.strip():
        raise InputError(f"{name}: the file is empty; nothing to translate")
    return text.replace("\r\n", "\n").replace("\r", "\n")
