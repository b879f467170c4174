"""A self-contained HTML review page for one catalog: source and translation side by side.

``build_report`` reads a catalog and pairs every glossary occurrence of each
paragraph with what the catalog recorded about it; ``render_html`` turns that
into one HTML file an editor opens offline.

Where an outcome comes from: the one judge (glossary.judge), on the catalog
read as one document (translate.catalogs.judging), exactly as `catalog check`,
`catalog status` and translate see it. Nothing is parsed back from the
``#.`` comments except the one-word steps line, so re-wrapping the catalog
(polib, Babel, msgcat) changes nothing on the page. The step of a settled
occurrence is the recorded ladder step while the text is the machine's,
``editor`` for a person's text.

The page never loads anything: a Content-Security-Policy forbids every
external resource, styles and the filter script are inline, and every piece of
article or glossary text goes through ``html.escape``, so markup, quotes and
``javascript:`` in them stay text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polib

from glossary.judge import Judge, Verdict
from glossary.matching import visible
from glossary.termbase.locales import display_name, normalize_locale
from glossary.termbase.model import Glossary
from translate.catalogs.judging import (
    STEP_EDITOR,
    catalog_document,
    entry_state,
    entry_steps,
    judge_lines,
    step_and_outcome,
)
from translate.catalogs.store import (
    ARGOS_HEADER,
    GLOSSARY_HEADER,
    SOURCE_HEADER,
    UNRESOLVED_FLAG,
    load_catalog,
)

__all__ = [
    "NEEDS_EDITOR_OUTCOMES",
    "OUTCOMES",
    "STEP_EDITOR",
    "Finding",
    "Mark",
    "ParagraphReport",
    "ReportData",
    "build_report",
    "render_html",
]

# The enforcement outcomes (docs/enforcement.md), in the order the page lists them.
SETTLED, FORCED, SUBSTITUTED, UNRESOLVED, REVIEW, QUOTED, WAIVED = (
    "settled", "forced", "substituted", "unresolved", "review", "quoted", "waived")
OUTCOMES: tuple[str, ...] = (SETTLED, FORCED, SUBSTITUTED, UNRESOLVED, REVIEW, QUOTED, WAIVED)
NEEDS_EDITOR_OUTCOMES = frozenset({UNRESOLVED, REVIEW})
STEP_NONE = "none"

# When one span carries several findings, the mark shows the one an editor must see first.
_SEVERITY = {UNRESOLVED: 0, REVIEW: 1, WAIVED: 2, SUBSTITUTED: 3, FORCED: 4, QUOTED: 5, SETTLED: 6}



# --------------------------------------------------------------------------- data


@dataclass
class Finding:
    """One glossary occurrence and what became of it."""

    concept: str
    source: str | None  # the English text; None for a wrong rendering found only in the translation
    outcome: str
    step: str
    reason: str = ""
    found: str | None = None  # the rendering in the translation
    note: str = ""  # the concept's editorial note
    quoted: bool = False
    number: int = 0  # 1-based, across the report: the footnote number in print

    @property
    def needs_editor(self) -> bool:
        return self.outcome in NEEDS_EDITOR_OUTCOMES


@dataclass(frozen=True)
class Mark:
    """A highlighted span of a paragraph and the findings it stands for."""

    start: int
    end: int
    text: str
    findings: tuple[Finding, ...]

    @property
    def lead(self) -> Finding:
        """The finding that sets the mark's colour: the one an editor must see first."""
        return min(self.findings, key=lambda f: _SEVERITY.get(f.outcome, len(_SEVERITY)))

    @property
    def outcome(self) -> str:
        return self.lead.outcome

    @property
    def step(self) -> str:
        return self.lead.step


@dataclass
class ParagraphReport:
    """One catalog entry: a source paragraph and its translation."""

    lines: tuple[int, ...]  # source lines (``#:`` references)
    source: str
    target: str  # "" when untranslated
    state: str  # reviewed | fuzzy | untranslated
    unresolved_flag: bool  # the entry carries ``#, termguard-unresolved``
    flag_reasons: tuple[str, ...] = ()  # ``termguard-unresolved: ...`` comments
    findings: list[Finding] = field(default_factory=list)
    source_marks: list[Mark] = field(default_factory=list)
    target_marks: list[Mark] = field(default_factory=list)
    rechecked: bool = False  # outcomes come from a check against the glossary, not from the catalog

    @property
    def needs_editor(self) -> bool:
        """Fuzzy, untranslated, flagged unresolved, or holding an unresolved or review occurrence."""
        return (
            self.state != "reviewed"
            or self.unresolved_flag
            or any(f.needs_editor for f in self.findings)
        )

    @property
    def unplaced(self) -> list[Finding]:
        """Findings no highlight shows (the catalog recorded them; the text no longer has them)."""
        shown = {id(f) for mark in (*self.source_marks, *self.target_marks) for f in mark.findings}
        return [f for f in self.findings if id(f) not in shown]


@dataclass
class ReportData:
    """Everything the page shows."""

    locale: str
    locale_name: str
    source_locale: str
    source_name: str
    catalog_path: str
    domain: str
    catalog_glossary: str  # the X-Termguard-Glossary header: the rules the machine applied
    glossary_digest: str  # the glossary the page was checked against
    glossary_path: str
    argos_package: str
    revision_date: str
    paragraphs: list[ParagraphReport]

    @property
    def counts(self) -> dict[str, int]:
        """Occurrences per outcome, every outcome listed."""
        counts = dict.fromkeys(OUTCOMES, 0)
        for paragraph in self.paragraphs:
            for finding in paragraph.findings:
                counts[finding.outcome] = counts.get(finding.outcome, 0) + 1
        return counts

    @property
    def needs_editor(self) -> int:
        """Paragraphs that need an editor."""
        return sum(1 for p in self.paragraphs if p.needs_editor)

    def state_counts(self) -> dict[str, int]:
        counts = {"reviewed": 0, "fuzzy": 0, "untranslated": 0, UNRESOLVED_FLAG: 0}
        for paragraph in self.paragraphs:
            counts[paragraph.state] += 1
            counts[UNRESOLVED_FLAG] += paragraph.unresolved_flag
        return counts


# --------------------------------------------------------------------------- reading the catalog


def _first_line(entry: polib.POEntry) -> int | None:
    for _file, line in entry.occurrences:
        if str(line).isdigit():
            return int(line)
    return None


def _msgstr(entry: polib.POEntry) -> str:
    if entry.msgstr:
        return str(entry.msgstr)
    # polib keys msgstr[N] by int.
    plural: dict[int, str] = entry.msgstr_plural or {}
    return str(plural.get(0) or "")


def _flag_reasons(comment: str) -> tuple[str, ...]:
    """The ``termguard-unresolved: ...`` notes, for display only, joined back if a tool re-wrapped them."""
    reasons: list[str] = []
    joining = False
    for raw in comment.split("\n"):
        line = raw.strip()
        if line.startswith(f"{UNRESOLVED_FLAG}:"):
            reasons.append(line[len(UNRESOLVED_FLAG) + 1:].strip())
            joining = True
        elif joining and line and not line.startswith(("glossary:", "note ", "termguard")):
            reasons[-1] += " " + line
        else:
            joining = False
    return tuple(reasons)


class _Builder:
    """Turns the judge's verdicts on one catalog into the page's findings and highlights."""

    def __init__(self, glossary: Glossary, locale: str) -> None:
        self.glossary = glossary
        self.locale = locale

    def paragraph(self, entry: polib.POEntry, verdicts: Sequence[Verdict]) -> ParagraphReport:
        source = str(entry.msgid)
        target = _msgstr(entry)
        state = entry_state(entry)
        lines = tuple(int(line) for _f, line in entry.occurrences if str(line).isdigit())
        steps = entry_steps(entry)
        report = ParagraphReport(
            lines=lines, source=source, target=target, state=state,
            unresolved_flag=UNRESOLVED_FLAG in entry.flags, rechecked=steps is None and bool(target),
            flag_reasons=_flag_reasons(entry.comment or ""),
        )
        source_spans: list[tuple[int, int, Finding]] = []
        target_spans: list[tuple[int, int, Finding]] = []
        for verdict in verdicts:
            step, outcome = step_and_outcome(verdict, steps)
            reason = verdict.hint
            if verdict.is_error:
                reason = f"{verdict.kind}: {verdict.hint}" if verdict.hint else verdict.kind
            elif verdict.waived:
                reason = f"{verdict.kind}, waived by {verdict.waived}"
            finding = Finding(
                concept=verdict.concept, source=verdict.source, outcome=outcome, step=step,
                reason=reason, found=verdict.found, note=" ".join(verdict.note.split()),
                quoted=verdict.quoted,
            )
            report.findings.append(finding)
            if verdict.source_span is not None and verdict.occurrence is not None:
                source_spans.append((*verdict.source_span, finding))
            if verdict.found_span is not None and target:
                target_spans.append((*verdict.found_span, finding))
        report.source_marks = _marks(source, source_spans)
        report.target_marks = _marks(target, target_spans)
        return report


def _marks(text: str, spans: Iterable[tuple[int, int, Finding]]) -> list[Mark]:
    """Merge findings on the same span; an overlapping later span joins the earlier mark."""
    by_span: dict[tuple[int, int], list[Finding]] = {}
    for start, end, finding in spans:
        by_span.setdefault((start, end), []).append(finding)
    marks: list[Mark] = []
    for (start, end), findings in sorted(by_span.items()):
        if marks and start < marks[-1].end:
            last = marks.pop()
            end = max(end, last.end)
            marks.append(Mark(last.start, end, text[last.start:end], (*last.findings, *findings)))
            continue
        marks.append(Mark(start, end, text[start:end], tuple(findings)))
    return marks


def build_report(catalog_path: Path | str, glossary: Glossary, locale: str) -> ReportData:
    """Read a catalog and pair every glossary occurrence with its outcome.

    Raises CatalogParseError / CatalogReadError (translate.catalogs.store) for a bad
    catalog and UnknownLocale (glossary.errors) for a locale Babel does not know.
    """
    path = Path(catalog_path)
    locale = normalize_locale(locale)
    po = load_catalog(path)
    builder = _Builder(glossary, locale)
    # The catalog is judged as one document (translate.catalogs.judging), the
    # same as every other command; each entry shows the verdicts of its first line.
    document = catalog_document(po)
    by_entry: dict[int, list[Verdict]] = {}
    first_line: dict[int, int] = {}
    if locale in glossary.locales:
        for line, verdict in judge_lines(Judge(glossary, locale), document):
            key = id(line.entry)
            first_line.setdefault(key, line.number)
            if first_line[key] == line.number:
                by_entry.setdefault(key, []).append(verdict)
    entries = [e for e in po if not e.obsolete and e.msgid and e.msgctxt is None and not e.msgid_plural]
    order = {id(e): i for i, e in enumerate(entries)}
    # Document order by the first ``#:`` line; entries without one keep file order, last.
    entries.sort(key=lambda e: (_first_line(e) is None, _first_line(e) or 0, order[id(e)]))
    paragraphs = [builder.paragraph(entry, by_entry.get(id(entry), [])) for entry in entries]
    number = 0
    for paragraph in paragraphs:
        for finding in paragraph.findings:
            number += 1
            finding.number = number
    metadata = po.metadata
    source_header = metadata.get(SOURCE_HEADER, "")
    return ReportData(
        locale=locale,
        locale_name=display_name(locale),
        source_locale=glossary.source,
        source_name=source_header.split(";", 1)[0].strip() or path.stem,
        catalog_path=str(path),
        domain=path.stem,
        catalog_glossary=metadata.get(GLOSSARY_HEADER, ""),
        glossary_digest=f"sha256:{glossary.digest}" if glossary.digest else "",
        glossary_path=str(glossary.path or ""),
        argos_package=metadata.get(ARGOS_HEADER, ""),
        revision_date=metadata.get("PO-Revision-Date", ""),
        paragraphs=paragraphs,
    )


# --------------------------------------------------------------------------- HTML

_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"

OUTCOME_MEANINGS: dict[str, str] = {
    SETTLED: "an acceptable rendering came out of decoding, or an editor's text passes the glossary",
    FORCED: "settled by a constrained re-decode",
    SUBSTITUTED: "settled by replacing a known wrong rendering",
    UNRESOLVED: "no acceptable rendering, or a forbidden one remains: an editor must fix it",
    REVIEW: "contested characterisation, rendered faithfully: an editor must check it",
    QUOTED: "inside a quotation (or a mention) with an exempting rule: the speaker's word stands",
    WAIVED: "a finding an editor accepted on this entry (who and why in the note)",
}

_STYLE = """
:root {
  --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --paper: #ffffff; --page: #f4f5f7;
  --accent: #0b5cad;
  /* Okabe-Ito hues: told apart with the common colour-vision deficiencies. */
  --settled-bg: #d3efe4; --settled-edge: #007a5a;
  --forced-bg: #d6e7f7; --forced-edge: #0072b2;
  --substituted-bg: #f6dcec; --substituted-edge: #a8537f;
  --unresolved-bg: #fcd9c4; --unresolved-edge: #b84400;
  --review-bg: #fbf3a6; --review-edge: #8a7a00;
  --quoted-bg: #e7e7e7; --quoted-edge: #6b6b6b;
  --waived-bg: #ece4f6; --waived-edge: #6a4c93;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--page); color: var(--ink);
  font: 15px/1.55 "DejaVu Sans", "Liberation Sans", "Segoe UI", Arial, sans-serif; }
.wrap { max-width: 1320px; margin: 0 auto; padding: 0 20px; }
header.top { background: var(--paper); border-bottom: 1px solid var(--line); padding: 14px 0 12px; }
h1 { font-size: 1.3rem; margin: 0 0 2px; line-height: 1.3; }
h1 .sub { display: block; font-size: .92rem; font-weight: normal; color: var(--muted); }
h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 0 0 6px; }
.summary { display: grid; grid-template-columns: minmax(0, 5fr) minmax(0, 7fr); gap: 12px 28px; margin-top: 10px; }
.facts dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 12px; margin: 0;
  font-size: .86rem; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.facts code { font: .82rem/1.4 "DejaVu Sans Mono", "Liberation Mono", monospace; }
.big { font-size: 1.05rem; font-weight: bold; }
.warn { color: #8a3a00; }
table.legend { border-collapse: collapse; width: 100%; font-size: .84rem; }
.legend th, .legend td { text-align: left; padding: 3px 8px 3px 0; border-bottom: 1px solid #eaeef2;
  vertical-align: top; }
.legend th { color: var(--muted); font-weight: normal; }
.legend td.n { text-align: right; font-variant-numeric: tabular-nums; font-weight: bold; padding-right: 14px; }
.legend td.n.zero { color: var(--muted); font-weight: normal; }
.toolbar { position: sticky; top: 0; z-index: 20; background: #fbfbfc; border-bottom: 1px solid var(--line);
  box-shadow: 0 1px 3px rgba(0,0,0,.06); }
.toolbar .wrap { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 22px;
  padding-top: 7px; padding-bottom: 7px; }
.filter { display: inline-flex; align-items: center; gap: 8px; font-weight: bold; cursor: pointer;
  padding: 3px 10px 3px 6px; border: 1px solid var(--line); border-radius: 6px; background: var(--paper); }
.filter input { width: 1.05rem; height: 1.05rem; margin: 0; accent-color: var(--accent); }
.filter:focus-within { outline: 3px solid var(--accent); outline-offset: 1px; }
.shown, .hint { color: var(--muted); font-size: .85rem; }
main { padding: 12px 0 28px; }
.cols { display: grid; grid-template-columns: 6.2rem minmax(0, 1fr) minmax(0, 1fr); gap: 0 18px; }
.cols-head { font-size: .78rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted);
  padding: 0 14px 4px; }
.para { background: var(--paper); border: 1px solid var(--line); border-left: 4px solid var(--line);
  border-radius: 6px; padding: 10px 14px; margin: 0 0 8px; }
.para.needs-editor { border-left-color: var(--unresolved-edge); }
.para[hidden] { display: none; }
.para p { margin: 0; overflow-wrap: anywhere; }
.meta { font-size: .76rem; color: var(--muted); line-height: 1.35; }
.meta .ln { display: block; font-weight: bold; color: var(--ink); margin-bottom: 3px; }
.badge { display: inline-block; border: 1px solid currentColor; border-radius: 3px; padding: 0 4px; margin: 0 2px 3px 0;
  font-size: .7rem; white-space: nowrap; }
.badge.reviewed { color: #0d6b4f; }
.badge.fuzzy { color: #7a5d00; border-style: dashed; }
.badge.untranslated { color: var(--muted); border-style: dotted; }
.badge.flagged { color: var(--unresolved-edge); font-weight: bold; }
.badge.editor { color: #fff; background: var(--unresolved-edge); border-color: var(--unresolved-edge); }
.untranslated-text { color: var(--muted); font-style: italic; }
.flag-reasons, .unplaced { grid-column: 2 / -1; margin: 6px 0 0; font-size: .8rem; color: #7a3300; }
.unplaced { color: var(--muted); }
mark.occ { color: inherit; position: relative; padding: 0 1px; border-radius: 2px; cursor: help;
  border-bottom: 2px solid; outline-offset: 2px; }
/* A symbol per outcome, so the outcome reads without colour (and on paper); quoted is
   "Q", not a quotation mark, which would read as part of the text. */
mark.occ::after { font-size: .72em; vertical-align: super; line-height: 0; margin-left: 1px; font-weight: bold; }
mark.occ:focus { outline: 3px solid var(--accent); }
mark.outcome-settled { background: var(--settled-bg); border-bottom-color: var(--settled-edge); }
mark.outcome-settled::after { content: "\\2713"; color: var(--settled-edge); }
mark.outcome-forced { background: var(--forced-bg); border-bottom: 2px dashed var(--forced-edge); }
mark.outcome-forced::after { content: "\\21E5"; color: var(--forced-edge); }
mark.outcome-substituted { background: var(--substituted-bg); border-bottom: 2px dotted var(--substituted-edge); }
mark.outcome-substituted::after { content: "\\21C4"; color: var(--substituted-edge); }
mark.outcome-unresolved { background: var(--unresolved-bg); border: 2px solid var(--unresolved-edge); padding: 0 2px; }
mark.outcome-unresolved::after { content: "\\2717"; color: var(--unresolved-edge); }
mark.outcome-review { background: var(--review-bg); border-bottom: 3px double var(--review-edge); }
mark.outcome-review::after { content: "?"; color: var(--review-edge); }
mark.outcome-quoted { background: var(--quoted-bg); border-bottom: 2px dotted var(--quoted-edge); font-style: italic; }
mark.outcome-quoted::after { content: "Q"; color: var(--quoted-edge); font-style: normal; }
mark.outcome-waived { background: var(--waived-bg); border-bottom: 2px solid var(--waived-edge); }
mark.outcome-waived::after { content: "W"; color: var(--waived-edge); }
.swatch { display: inline-block; white-space: nowrap; cursor: default; }
.tip { display: none; position: absolute; z-index: 30; top: calc(100% + 6px); left: 0; width: max-content;
  max-width: min(27rem, 80vw); background: #1f2733; color: #f6f8fa; border-radius: 6px; padding: 8px 10px;
  font: normal normal .8rem/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; text-align: left;
  box-shadow: 0 4px 14px rgba(0,0,0,.25); white-space: normal; }
.tgt .tip { left: auto; right: 0; }
mark.occ:hover .tip, mark.occ:focus .tip { display: block; }
.tip .item { display: block; }
.tip .item + .item { border-top: 1px solid #4a5566; margin-top: 6px; padding-top: 6px; }
.tip b { color: #fff; }
.tip .k { color: #aab4c0; }
.ref { display: none; }
.notes { display: none; }
footer { color: var(--muted); font-size: .8rem; padding: 0 0 24px; }
@media screen and (max-width: 820px) {
  .summary { grid-template-columns: minmax(0, 1fr); }
  .cols { grid-template-columns: minmax(0, 1fr); gap: 8px; }
  .cols-head { display: none; }
  .src::before, .tgt::before { display: block; font-size: .7rem; text-transform: uppercase; letter-spacing: .05em;
    color: var(--muted); content: attr(data-label); }
  .flag-reasons, .unplaced { grid-column: 1; }
  .tgt .tip { right: auto; left: 0; }
  .hint { display: none; }
}
@media print {
  @page { margin: 14mm 12mm; }
  :root { --page: #fff; }
  body { background: #fff; color: #000; font-size: 9.5pt; }
  .wrap { max-width: none; padding: 0; }
  header.top { border: 0; padding: 0 0 6px; }
  .toolbar, .tip, .hint { display: none !important; }
  .para { border: 0; border-top: 1px solid #999; border-radius: 0; padding: 6px 0; margin: 0;
    break-inside: avoid; page-break-inside: avoid; }
  .para.needs-editor { border-left: 0; }
  /* The line and state go on a row of their own: both text columns keep their width on paper. */
  .cols { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 2px 14px; }
  .cols-head .gutter { display: none; }
  .meta, .flag-reasons, .unplaced, .notes { grid-column: 1 / -1; }
  .meta .ln { display: inline; margin-right: 6px; }
  .badge { margin-bottom: 0; }
  .meta, .legend th, .facts dt, .shown, .unplaced, .flag-reasons, footer { color: #000; }
  .badge[class] { color: #000 !important; background: none !important; border-color: #000 !important; }
  mark.occ { background: none !important; color: #000; border-color: #000 !important; }
  mark.occ::after { color: #000 !important; }
  mark.occ:focus { outline: none; }
  .ref { display: inline; font-size: .7em; vertical-align: super; line-height: 0; }
  .notes { display: block; margin: 4px 0 0; padding-left: 1.6em; font-size: .8em; }
  .notes li { margin: 0; }
}
"""

_SCRIPT = """
(function () {
  "use strict";
  var box = document.getElementById("only-editor");
  var shown = document.getElementById("shown");
  var paras = document.querySelectorAll(".para");
  function update() {
    var only = box.checked, visible = 0;
    for (var i = 0; i < paras.length; i++) {
      var hide = only && paras[i].getAttribute("data-needs-editor") !== "true";
      paras[i].hidden = hide;
      if (!hide) { visible++; }
    }
    shown.textContent = "Showing " + visible + " of " + paras.length + " paragraphs";
  }
  box.addEventListener("change", update);
  // Escape closes a note opened by focus (WCAG 1.4.13: dismissible content).
  document.addEventListener("keydown", function (event) {
    var active = document.activeElement;
    if (event.key === "Escape" && active && active.classList.contains("occ")) { active.blur(); }
  });
  update();
})();
"""


def _e(text: object) -> str:
    """Escape text for element content and quoted attribute values alike.

    Control, bidi and invisible characters are shown as <U+XXXX>: an override
    in the article cannot reorder what the editor reads.
    """
    return html.escape(visible(str(text)), quote=True)


def _lang(locale: str) -> str:
    return locale.replace("_", "-")


def _finding_lines(finding: Finding) -> list[tuple[str, str]]:
    """(label, value) rows describing a finding, shared by the tooltip, title and print notes."""
    rows: list[tuple[str, str]] = []
    if finding.source is not None:
        rows.append(("source", finding.source + (" (in a quotation)" if finding.quoted else "")))
    if finding.found:
        rows.append(("translation", finding.found))
    if finding.reason:
        rows.append(("reason", finding.reason))
    if finding.note:
        rows.append(("note", finding.note))
    return rows


def _title(mark: Mark) -> str:
    parts: list[str] = []
    for finding in mark.findings:
        head = f"{finding.concept}: {finding.outcome} [{finding.step}]"
        rows = [f"{label}: {value}" for label, value in _finding_lines(finding)]
        parts.append("\n".join([head, *rows]))
    return "\n\n".join(parts)


def _tip(mark: Mark, tip_id: str) -> str:
    items: list[str] = []
    for finding in mark.findings:
        rows = "".join(
            f'<br><span class="k">{_e(label)}:</span> {_e(value)}' for label, value in _finding_lines(finding)
        )
        items.append(
            f'<span class="item"><b>{_e(finding.concept)}</b> · {_e(finding.outcome)} · '
            f'<span class="k">step</span> {_e(finding.step)}{rows}</span>'
        )
    return f'<span class="tip" role="tooltip" id="{_e(tip_id)}">{"".join(items)}</span>'


def _highlight(text: str, marks: Sequence[Mark], prefix: str) -> str:
    out: list[str] = []
    position = 0
    for index, mark in enumerate(marks):
        out.append(_e(text[position:mark.start]))
        tip_id = f"{prefix}-{index}"
        refs = ",".join(str(f.number) for f in mark.findings)
        out.append(
            f'<mark class="occ outcome-{_e(mark.outcome)}" tabindex="0" data-outcome="{_e(mark.outcome)}" '
            f'data-step="{_e(mark.step)}" data-concept="{_e(mark.lead.concept)}" '
            f'title="{_e(_title(mark))}" aria-describedby="{_e(tip_id)}">'
            f"{_e(mark.text)}{_tip(mark, tip_id)}</mark>"
            f'<sup class="ref" aria-hidden="true">{_e(refs)}</sup>'
        )
        position = mark.end
    out.append(_e(text[position:]))
    return "".join(out)


def _paragraph_html(data: ReportData, number: int, paragraph: ParagraphReport) -> str:
    needs = paragraph.needs_editor
    classes = "para cols" + (" needs-editor" if needs else "")
    lines = paragraph.lines
    if lines:
        label = f"Line {lines[0]}" if len(lines) == 1 else f"Lines {', '.join(map(str, lines))}"
    else:
        label = f"Entry {number}"
    badges = [f'<span class="badge {_e(paragraph.state)}">{_e(paragraph.state)}</span>']
    if paragraph.unresolved_flag:
        badges.append(f'<span class="badge flagged" title="{_e(UNRESOLVED_FLAG)}">unresolved</span>')
    if needs:
        badges.append('<span class="badge editor">needs an editor</span>')
    if paragraph.rechecked:
        badges.append('<span class="badge" title="outcomes checked against the glossary now">re-checked</span>')
    pid = f"p{number}"
    source_html = _highlight(paragraph.source, paragraph.source_marks, f"{pid}s")
    if paragraph.target:
        target_html = f"<p>{_highlight(paragraph.target, paragraph.target_marks, f'{pid}t')}</p>"
    else:
        target_html = '<p class="untranslated-text">untranslated</p>'
    parts = [
        f'<article class="{classes}" id="{_e(pid)}" data-needs-editor="{"true" if needs else "false"}" '
        f'data-state="{_e(paragraph.state)}">',
        f'<div class="meta"><span class="ln">{_e(label)}</span>{"".join(badges)}</div>',
        f'<div class="src" lang="{_e(_lang(data.source_locale))}" data-label="Source">'
        f"<p>{source_html}</p></div>",
        f'<div class="tgt" lang="{_e(_lang(data.locale))}" dir="auto" data-label="Translation">{target_html}</div>',
    ]
    if paragraph.flag_reasons:
        reasons = "; ".join(paragraph.flag_reasons)
        parts.append(f'<p class="flag-reasons">{_e(UNRESOLVED_FLAG)}: {_e(reasons)}</p>')
    unplaced = paragraph.unplaced
    if unplaced:
        listed = "; ".join(
            f"{f.concept} ({f.source or f.found or ''}) {f.outcome} [{f.step}]" for f in unplaced
        )
        parts.append(f'<p class="unplaced">Recorded in the catalog, not found in the text: {_e(listed)}</p>')
    if paragraph.findings:
        # Printed instead of the tooltips: one line per occurrence, each note once per paragraph.
        noted: set[str] = set()
        items: list[str] = []
        for finding in paragraph.findings:
            # A settled occurrence needs no note on paper; the others get it once per concept.
            quiet = finding.outcome == SETTLED or finding.concept in noted
            rows = [(label, value) for label, value in _finding_lines(finding) if label != "note" or not quiet]
            if not quiet:
                noted.add(finding.concept)
            detail = "; ".join(f"{label}: {value}" for label, value in rows)
            items.append(
                f'<li value="{finding.number}"><b>{_e(finding.concept)}</b> {_e(finding.outcome)} '
                f"[{_e(finding.step)}]{' — ' + _e(detail) if detail else ''}</li>"
            )
        parts.append(f'<ol class="notes">{"".join(items)}</ol>')
    parts.append("</article>")
    return "".join(parts)


def _summary_html(data: ReportData) -> str:
    counts = data.counts
    states = data.state_counts()
    total = len(data.paragraphs)
    digest_note = ""
    if data.catalog_glossary and data.glossary_digest and data.catalog_glossary != data.glossary_digest:
        digest_note = (
            '<dt>Note</dt><dd class="warn">The machine translated with another glossary '
            f"({_e(data.catalog_glossary[:19])}…); outcomes are the ones it recorded, "
            "highlights use this glossary.</dd>"
        )
    facts = (
        "<dl>"
        f'<dt>Need an editor</dt><dd><span class="big">{data.needs_editor}</span> of {total} paragraphs'
        f" ({states['fuzzy']} fuzzy, {states['untranslated']} untranslated, "
        f"{states[UNRESOLVED_FLAG]} flagged unresolved, {states['reviewed']} reviewed)</dd>"
        f"<dt>Locale</dt><dd>{_e(data.locale_name)} (<code>{_e(data.locale)}</code>)</dd>"
        f"<dt>Catalog</dt><dd><code>{_e(data.catalog_path)}</code></dd>"
        f'<dt>Glossary</dt><dd><code title="{_e(data.glossary_path)}">{_e(data.glossary_digest or "none")}</code></dd>'
        f"<dt>Argos package</dt><dd>{_e(data.argos_package or 'not recorded')}</dd>"
        f"<dt>Revised</dt><dd>{_e(data.revision_date or 'not recorded')}</dd>"
        f"{digest_note}"
        "</dl>"
    )
    rows: list[str] = []
    for outcome in OUTCOMES:
        count = counts.get(outcome, 0)
        rows.append(
            f'<tr data-outcome="{_e(outcome)}"><td><mark class="occ swatch outcome-{_e(outcome)}">'
            f"{_e(outcome)}</mark></td>"
            f'<td class="n{" zero" if not count else ""}">{count}</td><td>{_e(OUTCOME_MEANINGS[outcome])}</td></tr>'
        )
    legend = (
        '<table class="legend" id="legend"><thead><tr><th scope="col">Outcome</th><th scope="col">Count</th>'
        '<th scope="col">Meaning</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>"
    )
    return (
        '<section class="summary" aria-label="Summary">'
        f'<div class="facts"><h2>Summary</h2>{facts}</div>'
        f'<div class="counts"><h2>Occurrences by outcome</h2>{legend}</div>'
        "</section>"
    )


def render_html(data: ReportData) -> str:
    """The whole page: no external resource, every text escaped."""
    source_name = display_name(data.source_locale)
    total = len(data.paragraphs)
    title = f"Glossary review: {data.source_name} → {data.locale_name}"
    paragraphs = "".join(_paragraph_html(data, i, p) for i, p in enumerate(data.paragraphs, start=1))
    if not data.paragraphs:
        paragraphs = '<p class="untranslated-text">The catalog has no entries.</p>'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(_CSP)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        '<header class="top"><div class="wrap">'
        f'<h1>Glossary review<span class="sub">{_e(data.source_name)} · {_e(source_name)} → '
        f"{_e(data.locale_name)} · domain {_e(data.domain)}</span></h1>"
        f"{_summary_html(data)}</div></header>\n"
        '<div class="toolbar" role="region" aria-label="Filter"><div class="wrap">'
        '<label class="filter"><input type="checkbox" id="only-editor" aria-controls="paragraphs"> '
        "Only paragraphs that need an editor</label>"
        f'<span class="shown" id="shown" aria-live="polite">Showing {total} of {total} paragraphs</span>'
        '<span class="hint">Tab moves through the highlighted terms; Esc closes a note.</span>'
        "</div></div>\n"
        '<main class="wrap" id="paragraphs">'
        f'<div class="cols cols-head" aria-hidden="true"><div class="gutter"></div><div>{_e(source_name)} source</div>'
        f"<div>{_e(data.locale_name)} translation</div></div>"
        f"{paragraphs}</main>\n"
        '<footer class="wrap">Outcomes and ladder steps: docs/enforcement.md. '
        "Highlights are found with the glossary's matching rules; a paragraph needs an editor when it is "
        "fuzzy, untranslated, flagged unresolved, or holds an unresolved or review occurrence.</footer>\n"
        f"<script>{_SCRIPT}</script>\n</body>\n</html>\n"
    )
