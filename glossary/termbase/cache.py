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
from pathlib import Path

from glossary.termbase.model import Glossary

__all__ = ["cache_dir", "cache_get", "cache_put"]

# The modules whose code shapes the cached objects (what a load of the same bytes gives).
_CODE = ("model.py", "locales.py", "schema.py", "load.py", "parse.py", "validate.py", "validate_terms.py", "validate_fields.py")


def _code_version() -> str:
    """What the cached objects depend on besides the file: the code that builds them, and Python.

    The code itself rather than the release number: an upgrade (or an edited
    checkout) that changes how a glossary loads gets a cache of its own, one
    that does not shares it. (importlib.metadata, for the release, costs more
    to import than a cache hit saves.)
    """
    code = hashlib.sha256(sys.version.encode())
    for module in _CODE:
        with contextlib.suppress(OSError):
            code.update((Path(__file__).with_name(module)).read_bytes())
    return code.hexdigest()[:16]


_CACHE_VERSION: str | None = None


def cache_dir() -> Path:
    """The cache folder of this code (under $XDG_CACHE_HOME or ~/.cache)."""
    global _CACHE_VERSION
    if _CACHE_VERSION is None:
        _CACHE_VERSION = _code_version()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "termguard" / "glossary" / _CACHE_VERSION


def cache_get(digest: str, name: str) -> Glossary | None:
    """A glossary validated before, by the sha256 of its bytes.

    Parsing YAML with line numbers is pure Python and takes most of a second
    for the curated file; a content-addressed cache makes every later command
    start at once. Any problem with the cache means a normal load.
    """
    try:
        with open(cache_dir() / f"{digest}.pickle", "rb") as handle:
            glossary = pickle.load(handle)
    except Exception:  # noqa: BLE001 - a bad cache entry is just a miss
        return None
    if not isinstance(glossary, Glossary) or glossary.digest != digest:
        return None
    return dataclasses.replace(glossary, path=name)


def cache_put(digest: str, glossary: Glossary) -> None:
    from glossary.files import write_bytes

    try:
        write_bytes(cache_dir() / f"{digest}.pickle", pickle.dumps(glossary, protocol=pickle.HIGHEST_PROTOCOL), parents=True)
    except OSError:
        pass  # a read-only home still works, only slower

