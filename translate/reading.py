"""Reading input documents: UTF-8 text only, with one clear error otherwise."""

from __future__ import annotations

from pathlib import Path

from translate.errors import InputError

MAX_INPUT_BYTES = 64 * 1024 * 1024  # far above any article; guards against a wrong file


def read_text(path: Path) -> str:
    """Read a text file as UTF-8 (a BOM is dropped, CRLF/CR become LF)."""
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(f"{path}: {size} bytes is too large for an article (limit {MAX_INPUT_BYTES})")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a text file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror})") from None
    if b"\x00" in data:
        raise InputError(f"{path}: looks like a binary file (contains NUL bytes); give a UTF-8 text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it, e.g. iconv -f LATIN1 -t UTF-8"
        ) from None
    if not text.strip():
        raise InputError(f"{path}: the file is empty; nothing to translate")
    return text.replace("\r\n", "\n").replace("\r", "\n")
