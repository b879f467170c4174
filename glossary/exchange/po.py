"""PO files per locale, so a language desk can review its renderings in Poedit.

One entry per concept that has a preferred source term: msgctxt = concept id,
msgid = preferred source term, msgstr = preferred rendering in the locale
(empty when there is none yet). Extracted comments (`#.`, shown by Poedit as
"Notes for translators") carry the definition, the editorial note, the policy,
the forms or stem rule of the preferred rendering, the first mention, and every
other rendering with its status and note.

Import reads the msgstr of each entry back: a changed msgstr proposes "make
this the preferred rendering; the old preferred one becomes admitted". Fuzzy
entries are skipped with a note (a reviewer marked them unsure), empty and
obsolete ones are skipped, and an msgctxt that names no concept is a problem.
"""

from __future__ import annotations

import codecs
import re
from datetime import datetime, timezone
from pathlib import Path

import polib

from glossary.edit.changes import Change, ChangeList, ExchangeError, ExchangeInvalid
from glossary.edit.yaml_write import write_atomic
from glossary.errors import Problem, UnknownLocale
from glossary.exchange.limits import export_problem
from glossary.termbase.locales import display_name, normalize_locale, plural_forms
from glossary.termbase.model import Concept, Glossary, Rendering

DOMAIN = "glossary"
MAX_PO_BYTES = 16 * 1024 * 1024


def po_path(root: str | Path, locale: str) -> Path:
    """`<root>/<locale>/LC_MESSAGES/glossary.po`, the gettext layout."""
    return Path(root) / normalize_locale(locale) / "LC_MESSAGES" / f"{DOMAIN}.po"


def _rule(rendering: Rendering) -> str:
    parts = []
    if rendering.forms:
        parts.append("forms " + ", ".join(rendering.forms))
    if rendering.stem is not None:
        parts.append(f"stem {rendering.stem} (+ up to {rendering.stem_max} letters)")
    return "; ".join(parts)


def _comments(concept: Concept, locale: str, preferred: Rendering | None) -> str:
    lines = [f"definition: {concept.definition}", f"note: {concept.note}"]
    policy = f"policy: {concept.policy.value}; quotation: {concept.quotation.value}"
    if concept.use_instead is not None:
        policy += f" (in our own voice use {concept.use_instead!r})"
    lines.append(policy)
    if preferred is not None:
        if _rule(preferred):
            lines.append(f"preferred also counts as: {_rule(preferred)}")
        if preferred.note is not None:
            lines.append(f"preferred note: {preferred.note}")
    if locale in concept.first_mention:
        lines.append(f"first mention: {concept.first_mention[locale]}")
    for rendering in concept.terms.get(locale, ()):
        if rendering is preferred:
            continue
        line = f"{rendering.status.value}: {rendering.text}"
        if _rule(rendering):
            line += f" [{_rule(rendering)}]"
        if rendering.note is not None:
            line += f" - {rendering.note}"
        lines.append(line)
    return "\n".join(lines)


def _check_locale(glossary: Glossary, locale: str) -> str:
    target = normalize_locale(locale)
    if target == glossary.source:
        raise ExchangeError(f"{target} is the source locale; give a target locale")
    if target not in glossary.locales:
        raise ExchangeError(f"locale {target} is not one of the glossary's locales ({', '.join(glossary.locales)})")
    return target


def export_po(glossary: Glossary, locale: str) -> polib.POFile:
    """The glossary's renderings in one locale as a PO catalog.

    Raises ExchangeError for the source locale or one the glossary does not
    list, UnknownLocale for an unknown identifier.
    """
    target = _check_locale(glossary, locale)
    po = polib.POFile(wrapwidth=0)
    po.header = (
        f"Glossary renderings in {display_name(target)}: msgctxt is the concept id, msgid the\n"
        "preferred source term, msgstr the preferred rendering. Change a msgstr to\n"
        "propose a new preferred rendering; the comments list the other renderings."
    )
    po.metadata = {
        "Project-Id-Version": "termguard glossary",
        "PO-Revision-Date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M+0000"),
        "Last-Translator": "",
        "Language-Team": display_name(target),
        "Language": target,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(target),
        # Which rules this file was exported from, so a reviewer's import
        # can be traced back to the glossary version it started from.
        "X-Glossary-Digest": glossary.digest or "unknown",
    }
    for concept in glossary.concepts.values():
        source = glossary.preferred(concept.id, glossary.source)
        if source is None:
            continue
        preferred = glossary.preferred(concept.id, target)
        po.append(
            polib.POEntry(
                msgctxt=concept.id,
                msgid=source.text,
                msgstr=preferred.text if preferred is not None else "",
                comment=_comments(concept, target, preferred),
            )
        )
    return po


def write_po(po: polib.POFile, path: str | Path) -> Path:
    """Write a catalog atomically (creating the folders); returns the path."""
    target = Path(path)
    write_atomic(target, str(po))
    return target


class _PoText(str):
    """PO content whose lines end at LF only.

    polib splits content with ``str.splitlines``, which also breaks at form
    feed, U+2028 and other characters a msgstr may hold raw: the entry would
    be cut in two and every later line number would be off.
    """

    def splitlines(self, keepends: bool = False) -> list[str]:
        return self.split("\n")


def import_po(path: str | Path, glossary: Glossary, locale: str | None = None) -> ChangeList:
    """The changes a reviewed PO file proposes; nothing is written.

    `locale` defaults to the file's Language header; when both are given they
    must agree. Raises ExchangeInvalid listing every problem (file:line).
    """
    file = Path(path)
    name = str(file)
    try:
        data = file.read_bytes()
    except OSError as error:
        raise ExchangeInvalid([Problem(name, None, f"cannot read the file: {error.strerror}")]) from None
    if len(data) > MAX_PO_BYTES:
        raise ExchangeInvalid([Problem(name, None, f"the file is {len(data)} bytes, more than the limit of {MAX_PO_BYTES}")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ExchangeInvalid([Problem(name, line, "the file is not valid UTF-8", "save it as UTF-8")]) from None
    try:
        # polib takes either a path or the content; a trailing newline makes
        # sure it never mistakes the content for a path.
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # a raw CR can only be a line end
        po = polib.pofile(_PoText(text if text.endswith("\n") else text + "\n"), encoding="utf-8", wrapwidth=0)
    except (OSError, ValueError) as error:
        raise ExchangeInvalid([Problem(name, _line_in(str(error)), f"not a valid PO file: {error}")]) from None

    problems: list[Problem] = []
    declared = re.search(r"charset=([A-Za-z0-9_.:-]+)", po.metadata.get("Content-Type", ""))
    if declared and declared.group(1).lower() != "charset" and not data.isascii():
        # The bytes were read as UTF-8; a header naming another charset means
        # one of the two is wrong, and guessing could corrupt the glossary.
        try:
            is_utf8 = codecs.lookup(declared.group(1)).name == "utf-8"
        except LookupError:
            is_utf8 = False
        if not is_utf8:
            header_line = text[: text.find("charset=")].count("\n") + 1 if "charset=" in text else 1
            problems.append(Problem(name, header_line, f"the header declares charset {declared.group(1)!r} but the file is read as UTF-8", "save it as UTF-8 with charset=UTF-8"))
    header_language = po.metadata.get("Language", "").strip() or None
    target: str | None = None
    try:
        given = normalize_locale(locale) if locale else None
        from_header = normalize_locale(header_language) if header_language else None
    except UnknownLocale as error:
        raise ExchangeInvalid([Problem(name, 1, str(error))]) from None
    if given and from_header and given != from_header:
        problems.append(Problem(name, 1, f"the file is for locale {from_header}, not {given}", "pass the file of that locale"))
    target = given or from_header
    if target is None:
        raise ExchangeInvalid([Problem(name, 1, "the file has no Language header", "pass --locale")])
    try:
        _check_locale(glossary, target)
    except ExchangeError as error:
        raise ExchangeInvalid([Problem(name, 1, str(error))]) from None

    notes: list[str] = []
    wanted: dict[str, tuple[str, int | None]] = {}
    for entry in po:
        if entry.obsolete:
            continue
        line = entry.linenum or None  # type: ignore[assignment]  # None: no line number
        if not entry.msgctxt:
            problems.append(Problem(name, line, f"entry {entry.msgid!r} has no msgctxt (the concept id)", "keep the msgctxt of the exported entry"))
            continue
        if entry.msgctxt not in glossary.concepts:
            problems.append(Problem(name, line, f"msgctxt {entry.msgctxt!r} names no concept", "`termguard glossary show` lists the ids"))
            continue
        if entry.msgid_plural:
            # A term has one rendering, not plural forms; ignoring the entry
            # would drop the translator's work without a word.
            problems.append(Problem(name, line, f"msgctxt {entry.msgctxt!r} is a plural entry (msgid_plural); a term takes a single msgstr", "keep the msgid/msgstr of the exported entry"))
            continue
        if entry.msgctxt in wanted:
            problems.append(Problem(name, line, f"msgctxt {entry.msgctxt!r} appears twice (first on line {wanted[entry.msgctxt][1]})", "keep one entry per concept"))
            continue
        if entry.fuzzy:
            notes.append(f"{name}:{line}: fuzzy entry {entry.msgctxt!r} skipped; remove the fuzzy flag to propose it")
            continue
        msgstr = " ".join(entry.msgstr.split())
        if not msgstr:
            continue
        unsafe = export_problem(msgstr, term=True)
        if unsafe:
            problems.append(Problem(name, line, f"the msgstr {msgstr!r} of {entry.msgctxt!r} {unsafe}",
                                    "remove the character or rewrite the term"))
            continue
        source = glossary.preferred(entry.msgctxt, glossary.source)
        if source is not None and " ".join(entry.msgid.split()) != source.text:
            notes.append(
                f"{name}:{line}: msgid {entry.msgid!r} of {entry.msgctxt!r} is now {source.text!r} in the glossary; the msgstr is still compared"
            )
        wanted[entry.msgctxt] = (msgstr, line)
    if problems:
        raise ExchangeInvalid(problems)
    changes = ChangeList(notes=notes)
    for concept_id, (msgstr, _line) in wanted.items():
        current = glossary.preferred(concept_id, target)
        old = current.text if current is not None else None
        if old != msgstr:
            changes.append(Change(concept_id, target, "preferred", old, msgstr))
    return changes


def _line_in(message: str) -> int | None:
    """polib reports syntax errors as '... (line N)'."""
    marker = "(line "
    if marker in message:
        digits = message.split(marker, 1)[1].split(")", 1)[0]
        if digits.isdigit():
            return int(digits)
    return None


__all__ = ["DOMAIN", "export_po", "import_po", "po_path", "write_po"]
