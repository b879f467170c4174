"""The review page's HTML: plain view data prepared here, markup only in the templates.

The templates (``templates/*.j2``, package data) are rendered with autoescape
on and StrictUndefined, so a misspelt variable fails instead of printing
nothing. Every value a template prints passes through ``_show`` first, which
shows control, bidi and invisible characters as <U+XXXX>: an override in the
article cannot reorder what the editor reads. Highlights reach the templates
as segments of plain text, never as markup built in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import jinja2
from markupsafe import Markup, escape

from glossary.matching import visible
from glossary.termbase.locales import display_name
from translate.catalogs.entries import UNRESOLVED_FLAG
from translate.review_page.model import (
    OUTCOME_MEANINGS,
    OUTCOMES,
    SETTLED,
    Finding,
    Mark,
    ParagraphReport,
    ReportData,
)

__all__ = ["render_html"]


# --------------------------------------------------------------------------- view data


@dataclass(frozen=True)
class TipItem:
    """One finding as a highlight's tooltip lists it."""

    concept: str
    outcome: str
    step: str
    rows: tuple[tuple[str, str], ...]  # (label, value)


@dataclass(frozen=True)
class MarkView:
    """A highlight: its colour, its tooltip and title, and the print footnote numbers."""

    outcome: str
    step: str
    concept: str
    title: str
    tip_id: str
    items: tuple[TipItem, ...]
    refs: str


@dataclass(frozen=True)
class Segment:
    """A run of paragraph text; ``mark`` is None for text outside every highlight."""

    text: str
    mark: MarkView | None = None


@dataclass(frozen=True)
class Note:
    """One printed footnote: what the tooltips say, for paper."""

    number: int
    concept: str
    outcome: str
    step: str
    detail: str


@dataclass(frozen=True)
class ParagraphView:
    pid: str
    label: str
    state: str
    needs_editor: bool
    unresolved_flag: bool
    rechecked: bool
    source: tuple[Segment, ...]
    target: tuple[Segment, ...] | None  # None when untranslated
    flag_reasons: str
    unplaced: str
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class LegendRow:
    outcome: str
    count: int
    meaning: str


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


def _mark_view(mark: Mark, tip_id: str) -> MarkView:
    items = tuple(
        TipItem(f.concept, f.outcome, f.step, tuple(_finding_lines(f))) for f in mark.findings
    )
    return MarkView(
        outcome=mark.outcome, step=mark.step, concept=mark.lead.concept, title=_title(mark), tip_id=tip_id,
        items=items, refs=",".join(str(f.number) for f in mark.findings),
    )


def segments(text: str, marks: Sequence[Mark], prefix: str) -> tuple[Segment, ...]:
    """`text` cut at its highlights: plain runs and marked runs, in order, covering it all."""
    out: list[Segment] = []
    position = 0
    for index, mark in enumerate(marks):
        out.append(Segment(text[position:mark.start]))
        out.append(Segment(mark.text, _mark_view(mark, f"{prefix}-{index}")))
        position = mark.end
    out.append(Segment(text[position:]))
    return tuple(out)


def _notes(paragraph: ParagraphReport) -> tuple[Note, ...]:
    """Printed instead of the tooltips: one line per occurrence, each note once per paragraph."""
    noted: set[str] = set()
    notes: list[Note] = []
    for finding in paragraph.findings:
        # A settled occurrence needs no note on paper; the others get it once per concept.
        quiet = finding.outcome == SETTLED or finding.concept in noted
        rows = [(label, value) for label, value in _finding_lines(finding) if label != "note" or not quiet]
        if not quiet:
            noted.add(finding.concept)
        detail = "; ".join(f"{label}: {value}" for label, value in rows)
        notes.append(Note(finding.number, finding.concept, finding.outcome, finding.step, detail))
    return tuple(notes)


def paragraph_view(number: int, paragraph: ParagraphReport) -> ParagraphView:
    lines = paragraph.lines
    if lines:
        label = f"Line {lines[0]}" if len(lines) == 1 else f"Lines {', '.join(map(str, lines))}"
    else:
        label = f"Entry {number}"
    pid = f"p{number}"
    unplaced = "; ".join(
        f"{f.concept} ({f.source or f.found or ''}) {f.outcome} [{f.step}]" for f in paragraph.unplaced
    )
    return ParagraphView(
        pid=pid, label=label, state=paragraph.state, needs_editor=paragraph.needs_editor,
        unresolved_flag=paragraph.unresolved_flag, rechecked=paragraph.rechecked,
        source=segments(paragraph.source, paragraph.source_marks, f"{pid}s"),
        target=segments(paragraph.target, paragraph.target_marks, f"{pid}t") if paragraph.target else None,
        flag_reasons="; ".join(paragraph.flag_reasons), unplaced=unplaced, notes=_notes(paragraph),
    )


def page_context(data: ReportData) -> dict[str, object]:
    """Everything the page template reads, as plain values."""
    counts = data.counts
    other_glossary = ""
    if data.catalog_glossary and data.glossary_digest and data.catalog_glossary != data.glossary_digest:
        other_glossary = data.catalog_glossary[:19]
    return {
        "data": data,
        "title": f"Glossary review: {data.source_name} → {data.locale_name}",
        "source_name": display_name(data.source_locale),
        "source_lang": _lang(data.source_locale),
        "target_lang": _lang(data.locale),
        "total": len(data.paragraphs),
        "states": data.state_counts(),
        "flag": UNRESOLVED_FLAG,
        "other_glossary": other_glossary,
        "legend": [LegendRow(o, counts.get(o, 0), OUTCOME_MEANINGS[o]) for o in OUTCOMES],
        "paragraphs": [paragraph_view(i, p) for i, p in enumerate(data.paragraphs, start=1)],
    }


# --------------------------------------------------------------------------- rendering


def _show(value: object) -> object:
    """Every printed value, before autoescape: controls and bidi characters made visible.

    Markup passes untouched: it only ever comes from the templates' own macros,
    whose values went through here already.
    """
    if isinstance(value, Markup):
        return value
    return visible(str(value))


def _e(text: object) -> str:
    """Text escaped as the page escapes every value (visible controls, then HTML escaping)."""
    return str(escape(_show(text)))


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("translate.review_page", "templates"),
        autoescape=True,  # every template, the static style and script included
        undefined=jinja2.StrictUndefined,
        finalize=_show,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(data: ReportData) -> str:
    """The whole page: no external resource, every text escaped."""
    return _environment().get_template("page.html.j2").render(page_context(data))
