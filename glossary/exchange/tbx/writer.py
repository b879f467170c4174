"""Writing a glossary (and its history records) as a TBX-Basic file."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from typing import Any

from glossary.edit.changes import ExchangeInvalid
from glossary.errors import Problem, UnknownLocale
from glossary.exchange.limits import UNWRITABLE
from glossary.exchange.tbx.mapping import (
    FORBIDDEN_MARKER,
    HISTORY_KEYS,
    STATUS_TO_TBX,
    TBX_NAMESPACE,
    XML_LANG,
    to_bcp47,
    to_xml_id,
)
from glossary.termbase.locales import normalize_locale
from glossary.termbase.model import DEFAULT_STEM_MAX, Glossary, Rendering, Status

__all__ = ["export_tbx"]

_ORIGINATION_ACTIONS = frozenset({"add", "added", "create", "created", "origination"})

# Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = UNWRITABLE  # one definition for every export


class _Writer:
    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []

    def text(self, value: str, where: str) -> str:
        bad = _NOT_XML.search(value)
        if bad:
            self.problems.append(
                Problem(
                    self.name,
                    None,
                    f"{where} contains the character U+{ord(bad.group()):04X}, which XML cannot carry",
                    "remove it from the glossary",
                )
            )
        return value

    def child(self, parent: ET.Element, tag: str, text: str | None = None, where: str = "", **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, tag)
        for key, value in attrs.items():
            element.set(XML_LANG if key == "lang" else key, value)
        if text is not None:
            element.text = self.text(text, where or tag)
        return element



def _history_problems(glossary: Glossary, history: Iterable[Mapping[str, Any]], name: str) -> tuple[list[dict[str, str | None]], list[Problem]]:
    records: list[dict[str, str | None]] = []
    problems: list[Problem] = []
    for index, record in enumerate(history, start=1):
        where = f"history record #{index}"
        if not isinstance(record, Mapping):
            problems.append(Problem(name, None, f"{where} is not a mapping", "give concept, locale, by, when, action, reason"))
            continue
        clean: dict[str, str | None] = {}
        for key in HISTORY_KEYS:
            value = record.get(key)
            if value is not None and not isinstance(value, str):
                problems.append(Problem(name, None, f"{where}: {key!r} must be text, not {value!r}"))
                value = None
            clean[key] = value
        if clean["concept"] not in glossary.concepts:
            problems.append(
                Problem(name, None, f"{where} names unknown concept {clean['concept']!r}", "history is exported under its concept")
            )
            continue
        if clean["locale"] is not None:
            try:
                clean["locale"] = normalize_locale(clean["locale"])
            except UnknownLocale:
                problems.append(Problem(name, None, f"{where} has unknown locale {clean['locale']!r}"))
                continue
        records.append(clean)
    return records, problems


def export_tbx(glossary: Glossary, history: Iterable[Mapping[str, Any]] = ()) -> bytes:
    """The glossary (and optional history records) as a TBX-Basic file, UTF-8.

    Raises ExchangeInvalid if a text holds a character XML cannot carry or a
    history record is malformed.
    """
    name = glossary.path or "glossary"
    writer = _Writer(name)
    records, history_problems = _history_problems(glossary, history, name)
    writer.problems.extend(history_problems)
    by_concept: dict[str, list[dict[str, str | None]]] = {}
    for record in records:
        by_concept.setdefault(str(record["concept"]), []).append(record)

    root = ET.Element("tbx")
    root.set("type", "TBX-Basic")
    root.set("style", "dca")
    root.set(XML_LANG, to_bcp47(glossary.source))
    root.set("xmlns", TBX_NAMESPACE)
    header = writer.child(root, "tbxHeader")
    file_desc = writer.child(header, "fileDesc")
    title = writer.child(file_desc, "titleStmt")
    writer.child(title, "title", "termguard glossary")
    source_desc = writer.child(file_desc, "sourceDesc")
    writer.child(source_desc, "p", " ".join(to_bcp47(loc) for loc in glossary.locales), type="locales")
    encoding = writer.child(header, "encodingDesc")
    writer.child(encoding, "p", "TBX-Basic", type="DCSName")
    body = writer.child(writer.child(root, "text"), "body")

    for concept in glossary.concepts.values():
        where = f"concept {concept.id!r}"
        entry = writer.child(body, "conceptEntry", id=to_xml_id(concept.id))
        if concept.subject is not None:
            writer.child(entry, "descrip", concept.subject, f"subject of {where}", type="subjectField")
        writer.child(entry, "descrip", concept.definition, f"definition of {where}", type="definition")
        writer.child(entry, "note", concept.note, f"note of {where}")
        writer.child(entry, "admin", concept.policy.value, type="termguardPolicy")
        writer.child(entry, "admin", concept.quotation.value, type="termguardQuotation")
        if concept.use_instead is not None:
            writer.child(entry, "admin", concept.use_instead, type="termguardUseInstead")
        for record in by_concept.get(concept.id, ()):
            _write_transaction(writer, entry, record)
        locales = list(dict.fromkeys([*concept.terms, *concept.first_mention]))
        for locale in locales:
            lang_sec = writer.child(entry, "langSec", lang=to_bcp47(locale))
            if locale in concept.first_mention:
                writer.child(
                    lang_sec,
                    "descrip",
                    concept.first_mention[locale],
                    f"first_mention {locale} of {where}",
                    type="termguardFirstMention",
                )
            for rendering in concept.terms.get(locale, ()):
                _write_term(writer, lang_sec, rendering, f"{where}, locale {locale}")

    if writer.problems:
        raise ExchangeInvalid(writer.problems)
    ET.indent(root, space="  ")
    text = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n").encode("utf-8")


def _write_term(writer: _Writer, lang_sec: ET.Element, rendering: Rendering, where: str) -> None:
    term_sec = writer.child(lang_sec, "termSec")
    writer.child(term_sec, "term", rendering.text, f"rendering of {where}")
    writer.child(term_sec, "termNote", STATUS_TO_TBX[rendering.status], type="administrativeStatus")
    if rendering.status is Status.FORBIDDEN:
        writer.child(term_sec, "termNote", FORBIDDEN_MARKER, type="termguardStatus")
    for form in rendering.forms:
        writer.child(term_sec, "termNote", form, f"form of {rendering.text!r} in {where}", type="termguardForm")
    if rendering.stem is not None:
        writer.child(term_sec, "termNote", rendering.stem, f"stem of {rendering.text!r} in {where}", type="termguardStem")
    if rendering.stem is not None or rendering.stem_max != DEFAULT_STEM_MAX:
        writer.child(term_sec, "termNote", str(rendering.stem_max), type="termguardStemMax")
    for name in rendering.source_names:
        writer.child(term_sec, "termNote", name, f"'for' of {rendering.text!r} in {where}", type="termguardFor")
    if rendering.note is not None:
        writer.child(term_sec, "note", rendering.note, f"note of {rendering.text!r} in {where}")


def _write_transaction(writer: _Writer, entry: ET.Element, record: Mapping[str, str | None]) -> None:
    group = writer.child(entry, "transacGrp")
    action = record.get("action")
    kind = "origination" if action is not None and action.lower() in _ORIGINATION_ACTIONS else "modification"
    writer.child(group, "transac", kind, type="transactionType")
    if record.get("by") is not None:
        writer.child(group, "transacNote", record["by"], "history 'by'", type="responsibility")
    if record.get("when") is not None:
        writer.child(group, "date", record["when"], "history 'when'")
    if action is not None:
        writer.child(group, "transacNote", action, "history 'action'", type="termguardAction")
    if record.get("locale") is not None:
        writer.child(group, "transacNote", to_bcp47(str(record["locale"])), type="termguardLocale")
    if record.get("reason") is not None:
        writer.child(group, "note", record["reason"], "history 'reason'")
