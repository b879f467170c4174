"""Load and validate a glossary YAML file (schema in docs/glossary-format.md).

Reading is bounded, parsing is done once (`parse`), validation collects
every problem (`validate`), and the result is cached by content (`cache`).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from glossary.errors import GlossaryInvalid, Problem
from glossary.gc_pause import gc_paused
from glossary.termbase.cache import cache_get, cache_put
from glossary.termbase.model import Glossary

__all__ = [
    "MAX_FILE_BYTES",
    "default_glossary_path",
    "load_glossary",
    "load_glossary_data",
    "load_glossary_text",
    "read_glossary_bytes",
]

# A termbase of a few thousand concepts is well under a megabyte; the cap keeps
# a mistaken or hostile file from exhausting memory before validation starts.
MAX_FILE_BYTES = 16 * 1024 * 1024


def default_glossary_path() -> Path:
    """The curated glossary shipped as package data (`glossary/data/curated.yaml`)."""
    return Path(str(resources.files("glossary").joinpath("data", "curated.yaml")))


def load_glossary(path: str | Path | None = None) -> Glossary:
    """Load and validate a glossary; None means the curated one.

    Raises GlossaryInvalid listing every problem found.
    """
    file = Path(path) if path is not None else default_glossary_path()
    return load_glossary_data(_read_bytes(file), str(file))


def read_glossary_bytes(path: str | Path) -> bytes:
    """The bytes of a glossary file (bounded), or GlossaryInvalid saying why not."""
    return _read_bytes(Path(path))


def load_glossary_data(data: bytes, name: str) -> Glossary:
    """Load and validate a glossary from the bytes of its file; problems name `name`.

    The result is cached by the sha256 of the bytes, so the next command
    (after an edit termguard made, too) starts without parsing.
    """
    digest = hashlib.sha256(data).hexdigest()
    cached = cache_get(digest, name)
    if cached is not None:
        return cached
    # The parsers and the validator are imported only on a miss: a hit needs none of them.
    from glossary.termbase.parse import parse_fast, parse_yaml
    from glossary.termbase.validate import validate_tree

    # The tree and the model hold no reference cycles: see gc_paused.
    with gc_paused():
        glossary = None
        tree = _fast_tree(data, parse_fast)
        if tree is not None:
            with contextlib.suppress(GlossaryInvalid):  # ruamel's read below names the problems
                glossary = validate_tree(tree, name, digest)
        if glossary is None:
            glossary = validate_tree(parse_yaml(data, name), name, digest)
    cache_put(digest, glossary)
    return glossary


def _fast_tree(data: bytes, parse_fast: Callable[[str], Any]) -> Any:
    try:
        return parse_fast(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None


def load_glossary_text(text: str, name: str, folder: Path | None = None) -> Glossary:
    """Validate a glossary given as text (stored as UTF-8), reporting problems against `name`.

    `folder` is accepted for older callers and not used: nothing is written.
    """
    del folder
    return load_glossary_data(text.encode("utf-8"), name)


def _read_bytes(file: Path) -> bytes:
    from glossary.files import FileInputError, read_bytes

    name = str(file)
    try:
        # Bounded: /dev/zero or a FIFO given as a glossary is refused, not read for ever.
        return read_bytes(file, limit=MAX_FILE_BYTES, what="glossary file")
    except FileInputError as error:
        message = str(error).removeprefix(f"{name}: ")
        if message == "no such file":
            message = "the glossary file does not exist"
        raise GlossaryInvalid([Problem(name, None, message, "check the path")]) from None

