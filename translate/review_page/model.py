"""What the review page shows, as plain data: occurrences, highlights, paragraphs, the whole report.

translate.review_page.page builds it from a catalog; translate.review_page.render turns it into HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from translate.catalogs.entries import UNRESOLVED_FLAG

# The enforcement outcomes (docs/enforcement.md), in the order the page lists them.
SETTLED, FORCED, SUBSTITUTED, UNRESOLVED, REVIEW, QUOTED, WAIVED = (
    "settled", "forced", "substituted", "unresolved", "review", "quoted", "waived")
OUTCOMES: tuple[str, ...] = (SETTLED, FORCED, SUBSTITUTED, UNRESOLVED, REVIEW, QUOTED, WAIVED)
NEEDS_EDITOR_OUTCOMES = frozenset({UNRESOLVED, REVIEW})

# When one span carries several findings, the mark shows the one an editor must see first.
_SEVERITY = {UNRESOLVED: 0, REVIEW: 1, WAIVED: 2, SUBSTITUTED: 3, FORCED: 4, QUOTED: 5, SETTLED: 6}

# What each outcome means, as the page's legend says it.
OUTCOME_MEANINGS: dict[str, str] = {
    SETTLED: "an acceptable rendering came out of decoding, or an editor's text passes the glossary",
    FORCED: "settled by a constrained re-decode",
    SUBSTITUTED: "settled by replacing a known wrong rendering",
    UNRESOLVED: "no acceptable rendering, or a forbidden one remains: an editor must fix it",
    REVIEW: "contested characterisation, rendered faithfully: an editor must check it",
    QUOTED: "inside a quotation (or a mention) with an exempting rule: the speaker's word stands",
    WAIVED: "a finding an editor accepted on this entry (who and why in the note)",
}


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
