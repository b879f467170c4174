"""Merging a document into its catalog, as msgmerge would: the plan, what needs decoding, the merge itself.

The plan pairs each paragraph with the entry it keeps (same msgid), revives
(an obsolete entry with that msgid) or replaces (a removed entry it
resembles, `translate.catalogs.fuzzy`); the active entries no paragraph uses
become obsolete.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import polib

from translate.catalogs.entries import (
    LINE_BREAK,
    LINE_BREAK_NOTE,
    UNRESOLVED_FLAG,
    Signature,
    clean_machine_text,
    fill,
    is_fuzzy,
    is_human,
    is_ours,
    machine_mark,
    mark,
    set_flag,
    text_hash,
    without_mark,
)
from translate.catalogs.errors import CatalogParseError
from translate.catalogs.fuzzy import fuzzy_match
from translate.catalogs.header import GLOSSARY_HEADER, SOURCE_HEADER, now, reference_name
from translate.run.document import MachineTranslation, SourceDocument

__all__ = ["Plan", "merge", "plan", "to_translate"]


@dataclass
class Plan:
    order: list[str]  # distinct paragraphs, by first occurrence
    lines: dict[str, list[int]]
    exact: dict[str, polib.POEntry]  # active entry with the same msgid
    revived: dict[str, polib.POEntry]  # obsolete entry with the same msgid
    fuzzy: dict[str, polib.POEntry]  # changed paragraph -> the old entry it replaces
    removed: list[polib.POEntry]  # active entries no paragraph uses any more


def plan(po: polib.POFile, path: Path, document: SourceDocument) -> Plan:
    """Which entry each paragraph of `document` keeps, revives or replaces (`path` names the catalog in errors)."""
    lines: dict[str, list[int]] = {}
    for number, text in document.paragraphs():
        found = lines.get(text)
        if found is None:
            lines[text] = [number]
        else:
            found.append(number)
    order = list(lines)
    # One pass sorts the entries: ours active (the last of a msgid wins), ours obsolete (the first wins).
    active: dict[str, polib.POEntry] = {}
    ours: list[polib.POEntry] = []  # ours and active, in file order
    obsolete: dict[str, polib.POEntry] = {}
    for entry in po:
        msgid = entry.msgid
        if is_ours(entry):
            if entry.obsolete:
                obsolete.setdefault(msgid, entry)
            else:
                active[msgid] = entry
                ours.append(entry)
        elif not entry.obsolete and entry.msgid_plural and entry.msgctxt is None and msgid in lines:
            # A plural entry keyed by a paragraph's text cannot take a single
            # msgstr; obsoleting it would leave two definitions of one msgid,
            # which msgfmt rejects. The editor must resolve it.
            raise CatalogParseError(
                path, entry.linenum or None,
                "plural entry (msgid_plural) where a single message is expected for this paragraph",
            )
    exact = {p: active[p] for p in order if p in active}
    if len(exact) == len(order) == len(ours):
        # Every paragraph keeps its entry and every entry is kept (a re-run of
        # an unchanged document): nothing to revive, pair or obsolete.
        return Plan(order, lines, exact, {}, {}, [])
    revived = {p: obsolete[p] for p in order if p not in exact and p in obsolete}
    unmatched = [p for p in order if p not in exact and p not in revived]
    candidates = [e for e in ours if e.msgid not in exact]
    fuzzy = fuzzy_match(unmatched, candidates, lines)
    used = {id(e) for e in exact.values()} | {id(e) for e in fuzzy.values()}
    # Entries with a context or plural forms belong to whoever wrote them:
    # never ours to obsolete.
    removed = [e for e in ours if id(e) not in used]
    return Plan(order, lines, exact, revived, fuzzy, removed)


def to_translate(planned: Plan, sign: Signature) -> list[str]:
    """Paragraphs (in document order) the decoder must translate under `planned`.

    New paragraphs, untranslated ones, and untouched machine output whose
    signature `sign(paragraph)` changed. Never a reviewed or hand-edited
    entry; never a changed paragraph whose old translation a person wrote
    (that one is kept as the starting point).
    """
    result: list[str] = []
    for paragraph in planned.order:
        entry = planned.exact.get(paragraph) or planned.revived.get(paragraph)
        if entry is None:
            old = planned.fuzzy.get(paragraph)
            if old is None or not is_human(old):
                result.append(paragraph)
            continue
        if not entry.msgstr:
            result.append(paragraph)
        elif is_fuzzy(entry):
            # `is_machine`, with the mark found once.
            found = machine_mark(entry)
            if found is not None and found.group("hash") == text_hash(entry.msgstr) \
                    and found.group("digest") != sign(paragraph):
                result.append(paragraph)
    return result


def merge(po: polib.POFile, document: SourceDocument, planned: Plan,
          translations: Mapping[str, MachineTranslation], digest: str, sign: Signature) -> None:
    """Make `po` the catalog of `document` under `planned`, with fresh machine output where allowed."""
    ref = reference_name(document.name)
    # What the catalog holds besides the paragraphs' entries, sorted before they change:
    # the active entries not ours (kept), the obsolete ones that stay obsolete.
    revived = {id(e) for e in planned.revived.values()}
    old_active_ids: set[str] = set()
    kept: list[polib.POEntry] = []
    obsolete: list[polib.POEntry] = []
    for held in po:
        if held.obsolete:
            if id(held) not in revived:
                obsolete.append(held)
        else:
            old_active_ids.add(held.msgid)
            if not is_ours(held):
                kept.append(held)

    # In document order, which is the order of each paragraph's first line: no sorting needed.
    active: list[polib.POEntry] = []
    exact, revive, lines = planned.exact.get, planned.revived.get, planned.lines
    for paragraph in planned.order:
        numbers = lines[paragraph]
        occurrences = [(ref, str(numbers[0]))] if len(numbers) == 1 else [(ref, str(n)) for n in numbers]
        translation = translations.get(paragraph)
        entry = exact(paragraph) or revive(paragraph)
        if entry is not None:
            entry.obsolete = False
            if translation is not None and not is_human(entry):
                fill(entry, translation, sign(paragraph))
        elif paragraph in planned.fuzzy:
            entry = planned.fuzzy[paragraph]
            entry.previous_msgid = entry.msgid
            entry.msgid = paragraph
            if is_human(entry):
                # The old human translation is the editor's starting point.
                entry.comment = without_mark(entry.comment)
                set_flag(entry, "fuzzy", True)
            elif translation is not None and clean_machine_text(translation.msgstr):
                fill(entry, translation, sign(paragraph))
            else:
                # No output: untranslated; a previous msgid without a
                # fuzzy translation tells the editor nothing.
                entry.msgstr = ""
                entry.previous_msgid = None
                entry.comment = without_mark(entry.comment)
                set_flag(entry, "fuzzy", False)
                set_flag(entry, UNRESOLVED_FLAG, False)
        else:
            entry = polib.POEntry(msgid=paragraph, msgstr="")
            if translation is not None:
                fill(entry, translation, sign(paragraph))
        entry.occurrences = occurrences
        if LINE_BREAK.search(entry.msgstr) and is_human(entry):
            # Never rewritten: flagged, and rendered from the source.
            mark(entry, LINE_BREAK_NOTE)
        active.append(entry)

    for entry in planned.removed:
        # The machine mark and glossary comments stay (written by
        # `serialize_po`, read back by `parse_po`): an entry that comes
        # back must still be known as machine output.
        entry.obsolete = True
        entry.occurrences = []
        obsolete.append(entry)
    po[:] = active + kept + obsolete

    po.metadata[GLOSSARY_HEADER] = f"sha256:{digest}"
    trailing = "yes" if document.trailing_newline else "no"
    source = f"{document.name}; lines={len(document.lines)}; trailing-newline={trailing}"
    new_active_ids = set(planned.order)  # the msgid of every active entry
    if po.metadata.get(SOURCE_HEADER) != source or new_active_ids != old_active_ids:
        # The "template" (the source segments) changed.
        po.metadata["POT-Creation-Date"] = now()
    po.metadata[SOURCE_HEADER] = source
