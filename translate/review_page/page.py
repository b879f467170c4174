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

The data lives in translate.review_page.model, the HTML in templates that
translate.review_page.render fills (autoescaped, so markup, quotes and
``javascript:`` in article or glossary text stay text). The page never loads
anything: a Content-Security-Policy forbids every external resource, styles
and the filter script are inline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import polib

from glossary.judge import Judge, Verdict
from glossary.termbase.locales import display_name, normalize_locale
from glossary.termbase.model import Glossary
from translate.catalogs.entries import UNRESOLVED_FLAG
from translate.catalogs.header import ARGOS_HEADER, GLOSSARY_HEADER, SOURCE_HEADER
from translate.catalogs.judging import (
    STEP_EDITOR,
    catalog_document,
    entry_state,
    entry_steps,
    judge_lines,
    step_and_outcome,
)
from translate.catalogs.reading import load_catalog
from translate.review_page.model import (
    NEEDS_EDITOR_OUTCOMES,
    OUTCOME_MEANINGS,
    OUTCOMES,
    Finding,
    Mark,
    ParagraphReport,
    ReportData,
)

# _e: the page's one escaping rule, re-exported for its callers (tests of the bidi display).
from translate.review_page.render import _e as _e
from translate.review_page.render import render_html

__all__ = [
    "NEEDS_EDITOR_OUTCOMES",
    "OUTCOMES",
    "OUTCOME_MEANINGS",
    "STEP_EDITOR",
    "Finding",
    "Mark",
    "ParagraphReport",
    "ReportData",
    "build_report",
    "render_html",
]


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

    Raises CatalogParseError / CatalogReadError (translate.catalogs.errors) for a bad
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
