"""The parsed-glossary cache: validated glossaries by the sha256 of their file's bytes.

Keyed by content and by the code that builds the objects, so an upgrade gets
a cache of its own. Any problem with the cache is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path

from glossary.termbase.model import Glossary

__all__ = ["cache_dir", "cache_get", "cache_put", "code_digest", "read_entry", "write_entry"]

# The modules whose code shapes the cached objects (what a load of the same bytes gives).
_CODE = ("model.py", "locales.py", "schema.py", "load.py", "parse.py", "validate.py", "validate_terms.py", "validate_fields.py")


def code_digest(files: Iterable[Path], *, seed: bytes = b"") -> str:
    """The sha256 of ``seed`` and the bytes of each file that can be read, in order."""
    code = hashlib.sha256(seed)
    for path in files:
        with contextlib.suppress(OSError):
            code.update(path.read_bytes())
    return code.hexdigest()


def _code_version() -> str:
    """What the cached objects depend on besides the file: the code that builds them, and Python.

    The code itself rather than the release number: an upgrade (or an edited
    checkout) that changes how a glossary loads gets a cache of its own, one
    that does not shares it. (importlib.metadata, for the release, costs more
    to import than a cache hit saves.)
    """
    return code_digest((Path(__file__).with_name(module) for module in _CODE), seed=sys.version.encode())[:16]


_CACHE_VERSION: str | None = None


def cache_dir() -> Path:
    """The cache folder of this code (under $XDG_CACHE_HOME or ~/.cache)."""
    global _CACHE_VERSION
    if _CACHE_VERSION is None:
        _CACHE_VERSION = _code_version()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "termguard" / "glossary" / _CACHE_VERSION


def read_entry(name: str) -> bytes | None:
    """The bytes kept under ``name`` in this code's cache folder, or None (any problem is a miss)."""
    try:
        return (cache_dir() / name).read_bytes()
    except OSError:
        return None


def write_entry(name: str, data: bytes) -> None:
    """Keep ``data`` under ``name`` in this code's cache folder, if it can be written."""
    from glossary.files import write_bytes

    try:
        write_bytes(cache_dir() / name, data, parents=True)
    except OSError:
        pass  # a read-only home still works, only slower


def cache_get(digest: str, name: str) -> Glossary | None:
    """A glossary validated before, by the sha256 of its bytes.

    Parsing YAML with line numbers is pure Python and takes most of a second
    for the curated file; a content-addressed cache makes every later command
    start at once. Any problem with the cache means a normal load.
    """
    data = read_entry(f"{digest}.pickle")
    if data is None:
        return None
    try:
        glossary = pickle.loads(data)
    except Exception:  # noqa: BLE001 - a bad cache entry is just a miss
        return None
    if not isinstance(glossary, Glossary) or glossary.digest != digest:
        return None
    return dataclasses.replace(glossary, path=name)


def cache_put(digest: str, glossary: Glossary) -> None:
    write_entry(f"{digest}.pickle", pickle.dumps(glossary, protocol=pickle.HIGHEST_PROTOCOL))
