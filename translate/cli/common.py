"""What the command modules share: printing (JSON, progress, outside text) and reading a language code."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

__all__ = ["Progress", "emit_json", "human_size", "language_code", "printable"]


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


class Progress:
    """A click progress bar on stderr, shown only when stderr is a terminal."""

    def __init__(self, total: int | None, label: str, min_items: int = 1) -> None:
        self.enabled = sys.stderr.isatty() and (total is None or total >= min_items)
        self.total = total
        self.label = label
        self._bar: Any = None
        self._done = 0

    def __enter__(self) -> "Progress":
        if self.enabled:
            self._bar = click.progressbar(length=self.total, label=self.label, file=sys.stderr)
            self._bar.__enter__()
        return self

    def update_to(self, done: int, total: int | None = None) -> None:
        if self._bar is None:
            return
        if total and self._bar.length != total:
            self._bar.length = total
        self._bar.update(done - self._done)
        self._done = done

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


def printable(text: str) -> str:
    """Outside text (a remote index, a package's metadata) made safe for a one-line terminal message."""
    from glossary.matching.normalize import visible

    return visible(text, one_line=True)


def language_code(value: str, available: set[str], hint: str) -> str:
    """A locale or Argos code typed by the user -> the Argos code (pt_BR -> pb, zh-TW -> zt)."""
    from glossary.errors import UnknownLocale
    from translate.argos.codes import resolve
    from translate.argos.index import CODE
    from translate.cli.errors import bad_value

    try:
        return resolve(value, available)
    except UnknownLocale as exc:
        if CODE.fullmatch(value.strip()):
            return value.strip()  # an Argos code Babel does not know: the index will tell
        raise bad_value(exc, hint) from None
