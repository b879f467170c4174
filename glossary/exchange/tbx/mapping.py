"""The TBX mapping shared by reader and writer (TBX-Basic, TBX v3 DCA style, ISO 30042:2019).

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

from glossary.termbase.model import Status

__all__ = [
    "FORBIDDEN_MARKER",
    "HISTORY_KEYS",
    "STATUS_TO_TBX",
    "TBX_NAMESPACE",
    "TBX_TO_STATUS",
    "XML_LANG",
    "HistoryRecord",
    "from_xml_id",
    "to_bcp47",
    "to_xml_id",
]

TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

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


def to_bcp47(locale: str) -> str:
    """Babel `pt_BR` -> BCP 47 `pt-BR` (TBX's xml:lang)."""
    return locale.replace("_", "-")


def to_xml_id(concept_id: str) -> str:
    """An XML ID cannot start with a digit: such an id gets a leading `_`."""
    return f"_{concept_id}" if concept_id[:1].isdigit() else concept_id


def from_xml_id(xml_id: str) -> str:
    """The concept id behind an XML ID that `to_xml_id` wrote."""
    if xml_id.startswith("_") and xml_id[1:2].isdigit():
        return xml_id[1:]
    return xml_id
