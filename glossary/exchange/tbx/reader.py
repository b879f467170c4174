"""Reading a TBX file into a validated glossary and its history records."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any, NamedTuple

from glossary.edit.changes import ExchangeInvalid
from glossary.edit.yaml_write import dump_glossary, load_glossary_text
from glossary.errors import GlossaryInvalid, Problem, UnknownLocale
from glossary.exchange.tbx.mapping import (
    FORBIDDEN_MARKER,
    HISTORY_KEYS,
    TBX_NAMESPACE,
    TBX_TO_STATUS,
    XML_LANG,
    HistoryRecord,
    from_xml_id,
    to_bcp47,
)
from glossary.exchange.tbx.safe_xml import parse_tbx
from glossary.termbase.locales import normalize_locale
from glossary.termbase.model import DEFAULT_STEM_MAX, Concept, Glossary, Policy, Quotation, Rendering, Status
from glossary.termbase.schema import ID_PATTERN

__all__ = ["MAX_TBX_BYTES", "TbxImport", "import_tbx"]

# Same cap as the YAML loader: a termbase is far smaller than this.
MAX_TBX_BYTES = 16 * 1024 * 1024


class TbxImport(NamedTuple):
    """What `import_tbx` returns: the glossary and the history records it carried."""

    glossary: Glossary
    history: list[HistoryRecord]


def _local(element: ET.Element) -> str | None:
    """The local name of a TBX element; None for elements of another namespace."""
    tag = element.tag
    if not isinstance(tag, str):
        return None
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return local if namespace == TBX_NAMESPACE else None
    return tag


def _text_of(element: ET.Element) -> str:
    """Element text with inline markup flattened and whitespace collapsed (as the YAML loader does)."""
    return " ".join("".join(element.itertext()).split())


class _Reader:
    def __init__(self, name: str, lines: dict[int, int]) -> None:
        self.name = name
        self.lines = lines
        self.problems: list[Problem] = []
        self.history: list[HistoryRecord] = []

    def line(self, element: ET.Element) -> int | None:
        return self.lines.get(id(element))

    def add(self, element: ET.Element | None, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.name, self.line(element) if element is not None else None, message, hint))

    def locale(self, element: ET.Element, value: str | None, where: str) -> str | None:
        if value is None or not value.strip():
            self.add(element, f"{where} has no xml:lang", "give the language, e.g. xml:lang=\"de\"")
            return None
        try:
            return normalize_locale(value)
        except UnknownLocale:
            self.add(element, f"{where}: unknown language {value!r}", "use a BCP 47 tag such as 'de' or 'pt-BR'")
            return None

    def read(self, root: ET.Element) -> tuple[Glossary | None, list[HistoryRecord]]:
        kind = _local(root)
        if kind == "martif":
            self.add(root, "this is a TBX v2 (martif) file; only TBX v3 (<tbx>) is read", "convert it to TBX v3 / TBX-Basic")
            return None, []
        if kind != "tbx":
            self.add(root, f"the root element is <{root.tag}>, not <tbx>", "give a TBX file")
            return None, []
        source = self.locale(root, root.get(XML_LANG), "<tbx>")
        listed = self.header_locales(root)
        body = None
        for part in root:
            if _local(part) == "text":
                body = next((b for b in part if _local(b) == "body"), None)
        if body is None:
            self.add(root, "the file has no <text><body>", "a TBX file holds its entries in <text><body>")
            return None, []
        seen: dict[str, int | None] = {}
        concepts: dict[str, Concept] = {}
        found_locales: list[str] = [source] if source else []
        for entry in body:
            if _local(entry) != "conceptEntry":
                continue
            concept = self.concept(entry, source, listed, found_locales)
            if concept is None:
                continue
            if concept.id in seen:
                self.add(entry, f"duplicate concept id {concept.id!r} (first on line {seen[concept.id]})", "ids must be unique")
                continue
            seen[concept.id] = self.line(entry)
            concepts[concept.id] = concept
        if not concepts and not self.problems:
            self.add(body, "the file has no <conceptEntry>", "export a glossary with at least one concept")
        if self.problems or source is None:
            return None, []
        locales = tuple(listed) if listed is not None else tuple(found_locales)
        if source not in locales:
            self.add(root, f"the source language {source} is not in the header's locales", "add it to <p type=\"locales\">")
            return None, []
        return Glossary(source=source, locales=locales, concepts=concepts, path=self.name), self.history

    def header_locales(self, root: ET.Element) -> list[str] | None:
        for element in root.iter():
            if _local(element) == "p" and element.get("type") == "locales":
                result: list[str] = []
                for tag in _text_of(element).split():
                    locale = self.locale(element, tag, "the header's locales")
                    if locale is not None and locale not in result:
                        result.append(locale)
                return result
        return None

    def concept(self, entry: ET.Element, source: str | None, listed: list[str] | None, found: list[str]) -> Concept | None:
        raw_id = entry.get("id")
        if raw_id is None:
            self.add(entry, "a <conceptEntry> has no id", "give it id=\"some-name\"")
            return None
        concept_id = from_xml_id(raw_id)
        if not ID_PATTERN.match(concept_id):
            self.add(entry, f"concept id {raw_id!r} is not a valid glossary id", "use lowercase ASCII letters, digits and single hyphens")
            return None
        where = f"concept {concept_id!r}"
        before = len(self.problems)
        subject = definition = note = use_instead = None
        notes: list[str] = []
        policy, quotation = Policy.ENFORCE, Quotation.EXEMPT
        terms: dict[str, tuple[Rendering, ...]] = {}
        first_mention: dict[str, str] = {}
        lang_definition: str | None = None
        for child in entry:
            kind, dtype = _local(child), child.get("type")
            if kind == "descrip" and dtype == "subjectField":
                subject = _text_of(child) or None
            elif kind == "descrip" and dtype == "definition":
                definition = _text_of(child) or None
            elif kind == "note":
                if _text_of(child):
                    notes.append(_text_of(child))
            elif kind == "admin" and dtype == "termguardPolicy":
                policy = self.enum(child, Policy, "policy", where) or policy
            elif kind == "admin" and dtype == "termguardQuotation":
                quotation = self.enum(child, Quotation, "quotation", where) or quotation
            elif kind == "admin" and dtype == "termguardUseInstead":
                use_instead = from_xml_id(_text_of(child)) or None
            elif kind == "transacGrp":
                self.transaction(child, concept_id, None)
            elif kind == "langSec":
                locale = self.locale(child, child.get(XML_LANG), f"a <langSec> of {where}")
                if locale is None:
                    continue
                if listed is not None and locale not in listed:
                    self.add(child, f"language {to_bcp47(locale)} of {where} is not in the header's locales", "add it to <p type=\"locales\"> or remove the langSec")
                    continue
                if locale in terms or locale in first_mention:
                    self.add(child, f"{where} has two <langSec> for {to_bcp47(locale)}", "merge them")
                    continue
                if locale not in found:
                    found.append(locale)
                renderings, mention, lang_def = self.lang_sec(child, concept_id, locale, f"{where}, language {to_bcp47(locale)}")
                if renderings:
                    terms[locale] = renderings
                if mention is not None:
                    first_mention[locale] = mention
                if locale == source and lang_def is not None:
                    lang_definition = lang_def
        # Several concept-level notes come from other tools only; they are kept, joined.
        note = " ".join(notes) if notes else None
        definition = definition or lang_definition
        if source is not None and source not in terms:
            self.add(entry, f"{where} has no term in the source language {to_bcp47(source)}", f"add a <langSec xml:lang=\"{to_bcp47(source)}\"> with its preferred term")
        if definition is None:
            self.add(entry, f"{where} has no definition", "add <descrip type=\"definition\">")
        if note is None:
            self.add(entry, f"{where} has no editorial note", "add a <note> to the conceptEntry")
        if len(self.problems) > before or definition is None or note is None:
            return None
        return Concept(
            id=concept_id,
            subject=subject,
            policy=policy,
            quotation=quotation,
            use_instead=use_instead,
            definition=definition,
            note=note,
            first_mention=first_mention,
            terms=terms,
            line=self.line(entry),
        )

    def enum(self, element: ET.Element, enum_type: Any, label: str, where: str) -> Any:
        value = _text_of(element)
        choices = [member.value for member in enum_type]
        if value in choices:
            return enum_type(value)
        self.add(element, f"unknown {label} {value!r} in {where}", f"use one of: {' | '.join(choices)}")
        return None

    def lang_sec(self, lang_sec: ET.Element, concept_id: str, locale: str, where: str) -> tuple[tuple[Rendering, ...], str | None, str | None]:
        renderings: list[Rendering] = []
        mention = definition = None
        for child in lang_sec:
            kind, dtype = _local(child), child.get("type")
            if kind == "termSec":
                rendering = self.term_sec(child, where)
                if rendering is not None:
                    renderings.append(rendering)
            elif kind == "descrip" and dtype == "termguardFirstMention":
                mention = _text_of(child) or None
            elif kind == "descrip" and dtype == "definition":
                definition = _text_of(child) or None
            elif kind == "transacGrp":
                self.transaction(child, concept_id, locale)
        return tuple(renderings), mention, definition

    def term_sec(self, term_sec: ET.Element, where: str) -> Rendering | None:
        text: str | None = None
        status: Status | None = None
        status_element: ET.Element | None = None
        forbidden = False
        forms: list[str] = []
        stem: str | None = None
        stem_max = DEFAULT_STEM_MAX
        note_parts: list[str] = []
        source_names: list[str] = []
        ok = True
        for child in term_sec:
            kind, dtype = _local(child), child.get("type")
            if kind == "term":
                text = _text_of(child) or None
            elif kind == "termNote" and dtype == "administrativeStatus":
                value = _text_of(child)
                status_element = child
                if value not in TBX_TO_STATUS:
                    self.add(
                        child,
                        f"unknown administrativeStatus {value!r} in {where}",
                        "use preferredTerm-admn-sts, admittedTerm-admn-sts, deprecatedTerm-admn-sts or supersededTerm-admn-sts",
                    )
                    ok = False
                else:
                    status = TBX_TO_STATUS[value]
            elif kind == "termNote" and dtype == "termguardStatus":
                value = _text_of(child)
                if value != FORBIDDEN_MARKER:
                    self.add(child, f"unknown termguardStatus {value!r} in {where}", f"the only value is {FORBIDDEN_MARKER!r}")
                    ok = False
                forbidden = True
                status_element = status_element or child
            elif kind == "termNote" and dtype == "termguardForm":
                if _text_of(child):
                    forms.append(_text_of(child))
            elif kind == "termNote" and dtype == "termguardFor":
                if _text_of(child):
                    source_names.append(_text_of(child))
            elif kind == "termNote" and dtype == "termguardStem":
                stem = _text_of(child) or None
            elif kind == "termNote" and dtype == "termguardStemMax":
                value = _text_of(child)
                if not value.isascii() or not value.isdigit() or int(value) < 1:
                    self.add(child, f"termguardStemMax {value!r} in {where} must be a positive integer")
                    ok = False
                else:
                    stem_max = int(value)
            elif kind == "note":
                if _text_of(child):
                    note_parts.append(_text_of(child))
        if text is None:
            self.add(term_sec, f"a <termSec> of {where} has no <term> text", "add <term>...</term>")
            return None
        if status is None and ok:
            self.add(term_sec, f"term {text!r} in {where} has no administrativeStatus", "add <termNote type=\"administrativeStatus\">preferredTerm-admn-sts</termNote>")
            return None
        if forbidden and status is not Status.DEPRECATED and ok:
            self.add(status_element, f"term {text!r} in {where} is marked forbidden but its status is not deprecatedTerm-admn-sts", "a forbidden term is exported as deprecated plus the marker")
            return None
        if not ok or status is None:
            return None
        return Rendering(
            text=text,
            status=Status.FORBIDDEN if forbidden else status,
            forms=tuple(forms),
            stem=stem,
            stem_max=stem_max,
            note=" ".join(note_parts) if note_parts else None,
            line=self.line(term_sec),
            source_names=tuple(source_names),
        )

    def transaction(self, group: ET.Element, concept_id: str, locale: str | None) -> None:
        record: HistoryRecord = {key: None for key in HISTORY_KEYS}
        record["concept"] = concept_id
        record["locale"] = locale
        kind: str | None = None
        for child in group:
            name, dtype = _local(child), child.get("type")
            if name == "transac":
                kind = _text_of(child) or None
            elif name == "transacNote" and dtype == "responsibility":
                record["by"] = _text_of(child) or None
            elif name == "transacNote" and dtype == "termguardAction":
                record["action"] = _text_of(child) or None
            elif name == "transacNote" and dtype == "termguardLocale":
                record["locale"] = self.locale(child, _text_of(child), "a history record's locale")
            elif name == "date":
                record["when"] = _text_of(child) or None
            elif name == "note":
                record["reason"] = _text_of(child) or None
        if record["action"] is None:
            record["action"] = kind
        self.history.append(record)


def _when_key(record: HistoryRecord) -> tuple[int, float, str]:
    when = record.get("when")
    if when is None:
        return (2, 0.0, "")
    try:
        return (0, datetime.fromisoformat(when.replace("Z", "+00:00")).timestamp(), "")
    except ValueError:
        return (1, 0.0, when)


def import_tbx(data: bytes, name: str = "<tbx>") -> TbxImport:
    """Read a TBX file into a validated glossary and its history records.

    History comes back in time order (records without a parseable `when`
    last, in file order). Raises ExchangeInvalid listing every problem.
    """
    if len(data) > MAX_TBX_BYTES:
        raise ExchangeInvalid([Problem(name, None, f"the file is {len(data)} bytes, more than the limit of {MAX_TBX_BYTES}")])
    root, lines = parse_tbx(data, name)
    reader = _Reader(name, lines)
    glossary, history = reader.read(root)
    if reader.problems or glossary is None:
        raise ExchangeInvalid(reader.problems or [Problem(name, None, "no glossary found")])
    # The cross-field rules (one preferred source term, use_instead names a
    # concept, ...) are the YAML loader's; the imported glossary must pass
    # them exactly as a hand-written file would.
    try:
        load_glossary_text(dump_glossary(glossary), name)
    except GlossaryInvalid as error:
        raise ExchangeInvalid([Problem(name, None, p.message, p.hint) for p in error.problems]) from None
    history.sort(key=_when_key)
    digest = hashlib.sha256(data).hexdigest()
    return TbxImport(
        Glossary(source=glossary.source, locales=glossary.locales, concepts=glossary.concepts, path=name, digest=digest),
        history,
    )
