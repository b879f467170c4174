"""File names as termguard prints them."""

from __future__ import annotations

import os

__all__ = ["display_name"]


def display_name(path: str | os.PathLike[str]) -> str:
    """A file name safe to print on one line: control characters and undecodable bytes escaped."""
    raw = os.fsencode(path)
    text = raw.decode("utf-8", errors="backslashreplace")
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
