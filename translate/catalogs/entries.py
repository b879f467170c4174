"""The state of one catalog entry: machine output, human work, flags, and the marks termguard writes.

Conventions (see docs/design.md, "Catalog conventions"):

- msgid is one paragraph (one non-blank source line, exactly as in the file);
  ``#: <name>:<line>`` references every line where it occurs.
- ``#, fuzzy`` marks text nobody has reviewed. An entry that is not fuzzy and
  has a msgstr was reviewed by an editor and is never overwritten.
- Machine output carries one extracted comment
  ``#. termguard:machine;glossary=sha256:<digest>;msgstr=<hash>``: the glossary
  it was made with and a hash of the text. A fuzzy entry whose msgstr no longer
  matches that hash was edited by a person (e.g. "needs work" in Poedit) and is
  treated like human work: kept, never re-translated.
- ``#, termguard-unresolved`` (a flag of its own, next to ``fuzzy``) marks an
  entry where a glossary occurrence could not be settled, or a reviewed entry
  that now violates the glossary (``mark``). It counts as a violation while
  the entry is fuzzy; an editor settles it by reviewing the entry.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable

import polib

from translate.catalogs.errors import CatalogError
from translate.run.document import MachineTranslation

__all__ = [
    "LINE_BREAK",
    "LINE_BREAK_NOTE",
    "MACHINE_MARK",
    "UNRESOLVED_FLAG",
    "Signature",
    "clean_machine_text",
    "digest_value",
    "entry_is_reviewed",
    "fill",
    "is_fuzzy",
    "is_human",
    "is_machine",
    "is_ours",
    "machine_mark",
    "mark",
    "one_line",
    "set_flag",
    "signer",
    "text_hash",
    "without_mark",
]

UNRESOLVED_FLAG = "termguard-unresolved"
# No space or hyphen: PO tools that wrap comments (polib, Babel) break lines there.
MACHINE_MARK = "termguard:machine"
# The mark on a comment line of its own, blanks around it allowed: one search over the
# whole comment (`[^\S\n]` is a blank that does not end the line).
_MARK_RE = re.compile(
    r"^[^\S\n]*" + re.escape(MACHINE_MARK)
    + r";glossary=sha256:(?P<digest>[^;\s]+);msgstr=(?P<hash>[0-9a-f]{16})[^\S\n]*$",
    re.MULTILINE,
)
# Every character `str.splitlines` breaks on: a msgstr holding one would add a
# line to the rebuilt document in some reader.
LINE_BREAK = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
LINE_BREAK_NOTE = "the translation holds a line break; one paragraph is one line of the document"

Signature = Callable[[str], str]


def digest_value(digest: str) -> str:
    value = digest.strip()
    if value.startswith("sha256:"):
        value = value[len("sha256:"):]
    if not value or any(c.isspace() or c == ";" for c in value):
        raise CatalogError(f"invalid glossary digest: {digest!r}")
    return value


def signer(glossary_digest: str, signature: Signature | None) -> Signature:
    """`signature`, checked to give mark-safe words, or the glossary digest for every paragraph."""
    digest = digest_value(glossary_digest)
    if signature is None:
        return lambda _paragraph: digest
    given = signature
    return lambda paragraph: digest_value(given(paragraph))


def one_line(text: str) -> str:
    return " ".join(text.split())


def is_fuzzy(entry: polib.POEntry) -> bool:
    return "fuzzy" in entry.flags


def entry_is_reviewed(entry: polib.POEntry) -> bool:
    """True for an entry an editor reviewed: not fuzzy, non-empty msgstr."""
    return bool(entry.msgstr) and not is_fuzzy(entry)


@functools.lru_cache(maxsize=1 << 16)  # asked per entry by the plan and again by the apply
def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def machine_mark(entry: polib.POEntry) -> re.Match[str] | None:
    comment = entry.comment
    return _MARK_RE.search(comment) if MACHINE_MARK in comment else None


def is_machine(entry: polib.POEntry) -> bool:
    """Fuzzy machine output nobody has touched since it was written."""
    if not entry.msgstr or not is_fuzzy(entry):
        return False
    found = machine_mark(entry)
    return found is not None and found.group("hash") == text_hash(entry.msgstr)


def is_human(entry: polib.POEntry) -> bool:
    """Text a person wrote or accepted: reviewed, or fuzzy but edited by hand."""
    return bool(entry.msgstr) and not is_machine(entry)


def without_mark(comment: str) -> str:
    return "\n".join(line for line in comment.split("\n") if not line.strip().startswith(MACHINE_MARK))


def set_flag(entry: polib.POEntry, flag: str, on: bool) -> None:
    if on and flag not in entry.flags:
        entry.flags.append(flag)
    elif not on:
        entry.flags = [f for f in entry.flags if f != flag]


def is_ours(entry: polib.POEntry) -> bool:
    # Entries with a context or plural forms were not written by termguard.
    return entry.msgctxt is None and not entry.msgid_plural and entry.msgid != ""


def clean_machine_text(text: str) -> str:
    # One paragraph is one line of the rebuilt document, and msgfmt --check
    # rejects a msgstr that starts/ends with a newline its msgid lacks.
    return re.sub(LINE_BREAK.pattern + "+", " ", text)


def fill(entry: polib.POEntry, translation: MachineTranslation, digest: str) -> None:
    """Put fresh machine output into `entry`, marked with `digest` and a hash of the text."""
    msgstr = clean_machine_text(translation.msgstr)
    if not msgstr:
        entry.msgstr = ""
        set_flag(entry, "fuzzy", False)
        set_flag(entry, UNRESOLVED_FLAG, False)
        entry.comment = "\n".join(one_line(c) for c in translation.comments if c.strip())
        return
    entry.msgstr = msgstr
    comments = [one_line(c) for c in translation.comments if c.strip()]
    comments = [c for c in comments if not c.startswith(MACHINE_MARK)]
    comments.append(f"{MACHINE_MARK};glossary=sha256:{digest};msgstr={text_hash(msgstr)}")
    entry.comment = "\n".join(comments)
    set_flag(entry, "fuzzy", True)
    set_flag(entry, UNRESOLVED_FLAG, translation.unresolved)


def mark(entry: polib.POEntry, reason: str) -> None:
    """Flag `entry` as violating the glossary: fuzzy + termguard-unresolved + reason; msgstr unchanged.

    A reviewed entry loses its machine mark, so no later run re-translates it:
    the editor decides.
    """
    if entry_is_reviewed(entry):
        entry.comment = without_mark(entry.comment)
    if entry.msgstr:
        set_flag(entry, "fuzzy", True)
    set_flag(entry, UNRESOLVED_FLAG, True)
    note = f"{UNRESOLVED_FLAG}: {one_line(reason)}"
    lines = [line for line in entry.comment.split("\n") if line]
    if note not in lines:
        lines.append(note)
    entry.comment = "\n".join(lines)
