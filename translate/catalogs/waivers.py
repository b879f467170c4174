"""Waivers in a catalog entry: translator comments an editor (or `catalog waive`) writes.

    # termguard-waiver: <concept> <kind> msgstr=<hash> by <who>: <why>

one line per accepted finding, in the entry's translator comments (``# ``),
which PO editors show and keep. ``<hash>`` is the first 16 hex digits of the
sha256 of the msgstr the editor accepted: once the text changes the waiver no
longer holds, and the next `catalog waive` or run drops it. The entry also
gets the flag ``termguard-waived`` (in the spirit of Weblate's ``ignore-*``
flags) so an editor's tool shows that something was accepted.
PO tools may re-wrap a long comment; the lines are joined back before reading.
"""

from __future__ import annotations

import re

import polib

from glossary.judge.verdicts import text_hash
from glossary.judge.waivers import Waiver

WAIVER_PREFIX = "termguard-waiver:"
WAIVED_FLAG = "termguard-waived"
_WAIVER = re.compile(
    r"^termguard-waiver:\s*(?P<concept>[a-z0-9]+(?:-[a-z0-9]+)*)\s+(?P<kind>[a-z]+)\s+"
    r"msgstr=(?P<hash>[0-9a-f]{16})\s+by\s+(?P<by>[^:]+?)\s*:\s*(?P<why>.*)$"
)


def _logical_lines(comment: str) -> list[str]:
    """Translator comment lines with re-wrapped waivers joined back."""
    out: list[str] = []
    joining = False
    for raw in comment.split("\n"):
        line = raw.strip()
        if line.startswith("termguard-"):
            out.append(line)
            joining = line.startswith(WAIVER_PREFIX)
        elif joining and line:
            out[-1] = out[-1] + ("" if out[-1].endswith("-") else " ") + line
        else:
            out.append(line)
            joining = False
    return out


def all_waivers(entry: polib.POEntry) -> list[Waiver]:
    """Every waiver written in the entry, whether it still holds or not."""
    found: list[Waiver] = []
    for line in _logical_lines(entry.tcomment or ""):
        match = _WAIVER.match(line)
        if match:
            found.append(Waiver(match["concept"], match["kind"], match["hash"], match["by"].strip(),
                                match["why"].strip()))
    return found


def entry_waivers(entry: polib.POEntry) -> list[Waiver]:
    """The waivers that hold for the entry's current text."""
    return [w for w in all_waivers(entry) if w.holds_for(entry.msgstr or entry.msgid)]


def add_waiver(entry: polib.POEntry, concept: str, kind: str, by: str, why: str) -> Waiver:
    """Write a waiver for the entry's current text; waivers for older texts are dropped."""
    by = " ".join(by.replace(":", " ").split())
    why = " ".join(why.split())
    waiver = Waiver(concept, kind, text_hash(entry.msgstr or entry.msgid), by, why)
    kept = [line for line in _logical_lines(entry.tcomment or "")
            if not line.startswith(WAIVER_PREFIX)]
    current = [w for w in entry_waivers(entry) if (w.concept, w.kind) != (concept, kind)]
    lines = [line for line in kept if line] + [_line(w) for w in [*current, waiver]]
    entry.tcomment = "\n".join(lines)
    if WAIVED_FLAG not in entry.flags:
        entry.flags.append(WAIVED_FLAG)
    return waiver


def _line(waiver: Waiver) -> str:
    return (f"{WAIVER_PREFIX} {waiver.concept} {waiver.kind} msgstr={waiver.text_hash} "
            f"by {waiver.by}: {waiver.why}")
