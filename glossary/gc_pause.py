"""Pausing Python's cyclic garbage collector while large acyclic structures are built."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["gc_paused"]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: building a large glossary or catalog allocates
    hundreds of thousands of objects, none of them cyclic garbage, and each full collection
    in between would traverse them all again (a fifth of a catalog re-run's time).

    On the way out the objects made inside join the oldest generation unscanned
    (`gc.freeze` then `gc.unfreeze`): re-enabled as they were, the first young
    collection would traverse them all at once, and again as they age (a sixth
    of a re-run). Refcounting still frees them; a full collection still scans
    them. Skipped when something else in the process keeps objects frozen.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
