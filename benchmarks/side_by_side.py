"""What the old-versus-new benchmarks share: a worktree of the old code, and the load of each measurement.

    with old_tree(REPO, "9116468") as (old, scratch):
        with Measured(results, "edit/old"):
            ...

`old_tree` checks the old commit out with `git worktree` into a temporary
folder (removed afterwards, with the worktree's record). `Measured` records
the machine's load average (1, 5, 15 min) before and after the block, so a
figure can be read against how busy the shared machine was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any


@contextlib.contextmanager
def old_tree(repo: Path, ref: str, prefix: str = "tg-bench-") -> Iterator[tuple[Path, Path]]:
    """(the old code's worktree, a scratch folder beside it); both removed on exit."""
    scratch = Path(tempfile.mkdtemp(prefix=prefix))
    tree = scratch / "old"
    try:
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), ref], cwd=repo, check=True,
                       capture_output=True)
        yield tree, scratch
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=repo, capture_output=True,
                       check=False)
        shutil.rmtree(scratch, ignore_errors=True)


class Measured:
    """Appends {"name", "load_before", "load_after"} to `log` around one measurement."""

    def __init__(self, log: list[dict[str, Any]], name: str) -> None:
        self.log = log
        self.name = name

    def __enter__(self) -> Measured:
        self.record: dict[str, Any] = {"name": self.name, "load_before": list(os.getloadavg())}
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.record["load_after"] = list(os.getloadavg())
        self.log.append(self.record)


def load_range(log: list[dict[str, Any]]) -> tuple[float, float]:
    """The lowest and highest 1-minute load seen before or after any measurement."""
    seen = [entry[key][0] for entry in log for key in ("load_before", "load_after")]
    return (min(seen), max(seen)) if seen else (0.0, 0.0)
