"""The parsed-glossary cache is keyed by the code that shapes the cached objects."""

from __future__ import annotations

from pathlib import Path

from glossary.termbase import cache


def test_every_module_the_cache_key_reads_exists() -> None:
    # The key reads these files beside cache.py and skips a missing one
    # silently; a module moved elsewhere would drop out of the key unseen.
    here = Path(cache.__file__).resolve().parent
    missing = [name for name in cache._CODE if not (here / name).is_file()]
    assert missing == []
