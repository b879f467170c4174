"""TBX import and export (TBX-Basic, TBX v3 DCA style, ISO 30042:2019).

An exported file re-imported gives back the same glossary for every field:
the standard TBX-Basic data categories carry what they can, and termguard's
own fields travel in `admin`, `descrip` and `termNote` elements whose type
starts with `termguard`, which other TBX tools keep or ignore.

Mapping (YAML field -> TBX):

| YAML | TBX |
|---|---|
| `source` | `xml:lang` of `<tbx>` (BCP 47: `pt_BR` is written `pt-BR`) |
| `locales` | `<tbxHeader><fileDesc><sourceDesc><p type="locales">en de pt-BR</p>` |
| concept `id` | `<conceptEntry id="...">`; an id starting with a digit gets a leading `_` (an XML ID cannot start with a digit) |
| `subject` | `<descrip type="subjectField">` |
| `definition` | `<descrip type="definition">` in the conceptEntry |
| `note` | `<note>` in the conceptEntry |
| `policy` | `<admin type="termguardPolicy">enforce</admin>` |
| `quotation` | `<admin type="termguardQuotation">exempt</admin>` |
| `use_instead` | `<admin type="termguardUseInstead">karabakh</admin>` |
| `first_mention` | `<descrip type="termguardFirstMention">` in the `<langSec>` of that locale (a langSec holding only this is allowed on import) |
| locale under `terms` | `<langSec xml:lang="pt-BR">` |
| rendering `text` | `<termSec><term>` |
| `status` | `<termNote type="administrativeStatus">`: preferred -> `preferredTerm-admn-sts`, admitted -> `admittedTerm-admn-sts`, deprecated -> `deprecatedTerm-admn-sts`, forbidden -> `deprecatedTerm-admn-sts` plus `<termNote type="termguardStatus">forbidden</termNote>` (TBX-Basic has no forbidden status; a tool that ignores the marker still sees "deprecated", the safe reading) |
| `forms` | one `<termNote type="termguardForm">` per form, in order |
| `stem`, `stem_max` | `<termNote type="termguardStem">`, `<termNote type="termguardStemMax">` |
| `for` | one `<termNote type="termguardFor">` per source name, in order |
| rendering `note` | `<note>` in the termSec |
| history record | `<transacGrp>` in the conceptEntry: `<transac type="transactionType">` (origination for an `add`, else modification), `<transacNote type="responsibility">` = by, `<date>` = when (as given), `<transacNote type="termguardAction">`, `<transacNote type="termguardLocale">`, `<note>` = reason |

On import `supersededTerm-admn-sts` is read as deprecated; a concept without
`termguardPolicy` is `enforce`, without `termguardQuotation` `exempt`; a
definition may also sit in the source-language langSec. XML is parsed with
defusedxml: entity declarations and external entities are refused (a plain
DOCTYPE without them is harmless and accepted). Every problem found is
reported together, each with its line; nothing is returned on any problem.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, NamedTuple

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from glossary.edit.changes import ExchangeInvalid
from glossary.edit.yaml_write import dump_glossary, load_glossary_text
from glossary.errors import GlossaryInvalid, Problem, UnknownLocale
from glossary.exchange.limits import UNWRITABLE
from glossary.termbase.locales import normalize_locale
from glossary.termbase.model import DEFAULT_STEM_MAX, Concept, Glossary, Policy, Quotation, Rendering, Status
from glossary.termbase.schema import ID_PATTERN

TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Same cap as the YAML loader: a termbase is far smaller than this.
MAX_TBX_BYTES = 16 * 1024 * 1024

STATUS_TO_TBX: dict[Status, str] = {
    Status.PREFERRED: "preferredTerm-admn-sts",
    Status.ADMITTED: "admittedTerm-admn-sts",
    Status.DEPRECATED: "deprecatedTerm-admn-sts",
    Status.FORBIDDEN: "deprecatedTerm-admn-sts",
}
TBX_TO_STATUS: dict[str, Status] = {
    "preferredTerm-admn-sts": Status.PREFERRED,
    "admittedTerm-admn-sts": Status.ADMITTED,
    "deprecatedTerm-admn-sts": Status.DEPRECATED,
    "supersededTerm-admn-sts": Status.DEPRECATED,
}
FORBIDDEN_MARKER = "forbidden"

HISTORY_KEYS = ("concept", "locale", "by", "when", "action", "reason")
HistoryRecord = dict[str, "str | None"]
_ORIGINATION_ACTIONS = frozenset({"add", "added", "create", "created", "origination"})

# Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = UNWRITABLE  # one definition for every export


class TbxImport(NamedTuple):
    """What `import_tbx` returns: the glossary and the history records it carried."""

    glossary: Glossary
    history: list[HistoryRecord]


def to_bcp47(locale: str) -> str:
    """Babel `pt_BR` -> BCP 47 `pt-BR` (TBX's xml:lang)."""
    return locale.replace("_", "-")


# -- export --------------------------------------------------------------------


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


def _xml_id(concept_id: str) -> str:
    return f"_{concept_id}" if concept_id[:1].isdigit() else concept_id


def _concept_id(xml_id: str) -> str:
    if xml_id.startswith("_") and xml_id[1:2].isdigit():
        return xml_id[1:]
    return xml_id


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
        entry = writer.child(body, "conceptEntry", id=_xml_id(concept.id))
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


# -- import --------------------------------------------------------------------


class _LineTarget:
    """A TreeBuilder that remembers the line each element starts on.

    ElementTree keeps no positions; problems in a TBX file are only useful
    with a line number, so the parser's current line is recorded per element.
    """

    def __init__(self) -> None:
        self.builder = ET.TreeBuilder()
        self.lines: dict[int, int] = {}
        self.parser: Any = None

    def start(self, tag: str, attrib: dict[str, str]) -> ET.Element:
        element = self.builder.start(tag, attrib)
        self.lines[id(element)] = int(self.parser.parser.CurrentLineNumber)
        return element

    def end(self, tag: str) -> ET.Element:
        return self.builder.end(tag)

    def data(self, data: str) -> None:
        self.builder.data(data)

    def close(self) -> ET.Element:
        return self.builder.close()


def _parse(data: bytes, name: str) -> tuple[ET.Element, dict[int, int]]:
    target = _LineTarget()
    parser = DefusedXMLParser(target=target, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    target.parser = parser

    def fail(message: str, hint: str = "") -> ExchangeInvalid:
        try:
            line: int | None = int(parser.parser.CurrentLineNumber)
        except AttributeError:
            line = None
        return ExchangeInvalid([Problem(name, line, message, hint)])

    try:
        parser.feed(data)
        root = parser.close()
    except EntitiesForbidden as error:
        raise fail(
            f"DOCTYPE with entity declarations is not allowed (entity {error.name!r})",
            "remove the <!DOCTYPE ...[...]> block; TBX needs no entities",
        ) from None
    except ExternalReferenceForbidden as error:
        raise fail(
            f"external entity reference is not allowed ({error.sysid or error.pubid!r})",
            "remove the reference; nothing outside the file is read",
        ) from None
    except DTDForbidden:
        raise fail("DOCTYPE is not allowed") from None
    except ParseError as error:
        line, column = getattr(error, "position", (None, None))
        message = str(error).split(":")[0]
        raise ExchangeInvalid(
            [Problem(name, line, f"not well-formed XML: {message} (column {column})", "check the file is a complete TBX document")]
        ) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise fail(f"cannot parse the XML: {error}") from None
    return root, target.lines


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
        concept_id = _concept_id(raw_id)
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
                use_instead = _concept_id(_text_of(child)) or None
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
    root, lines = _parse(data, name)
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


__all__ = [
    "HISTORY_KEYS",
    "STATUS_TO_TBX",
    "TBX_NAMESPACE",
    "TBX_TO_STATUS",
    "TbxImport",
    "export_tbx",
    "import_tbx",
    "to_bcp47",
]
