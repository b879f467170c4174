"""A self-contained HTML review page for one catalog: source and translation side by side.

``build_report`` reads a catalog and pairs every glossary occurrence of each
paragraph with what the catalog recorded about it; ``render_html`` turns that
into one HTML file an editor opens offline.

Where an outcome comes from:

- A machine entry carries ``#. glossary: <concept> (<source>) <outcome>
  [<step>] -> <found>; <reason>`` lines (``translate.job.entry_comments``), in
  source order per concept; the k-th occurrence of a concept in the paragraph
  takes the k-th line of that concept.
- An entry without such lines (reviewed by an editor, written by hand), or
  whose text was edited after the machine wrote it (the machine mark's hash no
  longer matches), is checked against the glossary now with
  ``glossary.check_document``: an error makes the occurrence ``unresolved``, a
  review finding ``review``, otherwise ``settled`` (``quoted`` inside an
  exempting quotation). Its step is ``editor`` for a reviewed entry, ``none``
  otherwise.
- A deprecated or forbidden rendering in the translation that answers no
  source occurrence (or a quotation-only term in our own voice) is a finding of
  its own, ``unresolved``.

The page never loads anything: a Content-Security-Policy forbids every
external resource, styles and the filter script are inline, and every piece of
article or glossary text goes through ``html.escape``, so markup, quotes and
``javascript:`` in them stay text.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polib

from glossary.checks import REVIEW as REVIEW_KIND
from glossary.checks import Violation, check_document
from glossary.locales import display_name, normalize_locale
from glossary.matching import SourceMatcher, SourceOccurrence, TargetHit, TargetMatcher
from glossary.model import Glossary, Policy, Quotation
from translate.catalog import (
    ARGOS_HEADER,
    GLOSSARY_HEADER,
    MACHINE_MARK,
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
SETTLED, FORCED, SUBSTITUTED, UNRESOLVED, REVIEW, QUOTED = (
    "settled", "forced", "substituted", "unresolved", "review", "quoted")
OUTCOMES: tuple[str, ...] = (SETTLED, FORCED, SUBSTITUTED, UNRESOLVED, REVIEW, QUOTED)
NEEDS_EDITOR_OUTCOMES = frozenset({UNRESOLVED, REVIEW})
STEP_NONE = "none"
# Not a ladder step: the outcome of an editor's translation, checked against the glossary now.
STEP_EDITOR = "editor"

# When one span carries several findings, the mark shows the one an editor must see first.
_SEVERITY = {UNRESOLVED: 0, REVIEW: 1, SUBSTITUTED: 2, FORCED: 3, QUOTED: 4, SETTLED: 5}

_OUTCOME_ALT = "|".join(OUTCOMES)
# Lazy source: the reason is free text and may hold anything, the source term does not.
_GLOSSARY_LINE = re.compile(
    r"^glossary: (?P<concept>\S+) \((?P<source>.*?)\) (?P<outcome>" + _OUTCOME_ALT + r") "
    r"\[(?P<step>[^\]]*)\](?: -> (?P<found>.*?))?(?:; (?P<reason>.*))?$"
)
_NOTE_LINE = re.compile(r"^note (?P<concept>\S+): (?P<note>.*)$")
_FLAG_LINE = re.compile("^" + re.escape(UNRESOLVED_FLAG) + r": (?P<reason>.*)$")
_MARK_HASH = re.compile(
    re.escape(MACHINE_MARK) + r";glossary=sha256:[^;\s]+;msgstr=(?P<hash>[0-9a-f]{16})$"
)


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


@dataclass(frozen=True)
class _Recorded:
    """A parsed ``#. glossary:`` line."""

    concept: str
    source: str
    outcome: str
    step: str
    found: str | None
    reason: str


def _parse_comments(comment: str) -> tuple[list[_Recorded], dict[str, str], list[str]]:
    recorded: list[_Recorded] = []
    notes: dict[str, str] = {}
    flags: list[str] = []
    for raw in comment.split("\n"):
        line = raw.strip()
        match = _GLOSSARY_LINE.match(line)
        if match:
            recorded.append(_Recorded(
                match["concept"], match["source"], match["outcome"], match["step"],
                match["found"] or None, match["reason"] or "",
            ))
            continue
        match = _NOTE_LINE.match(line)
        if match:
            notes.setdefault(match["concept"], match["note"])
            continue
        match = _FLAG_LINE.match(line)
        if match:
            flags.append(match["reason"])
    return recorded, notes, flags


def _comments_current(entry: polib.POEntry, msgstr: str) -> bool:
    """False when an editor changed the text after the machine wrote its comments.

    The machine mark holds the first 16 hex digits of the sha256 of the msgstr
    it wrote (the catalog convention); without a mark the comments are taken
    as they are.
    """
    for raw in entry.comment.split("\n"):
        match = _MARK_HASH.match(raw.strip())
        if match:
            return match["hash"] == hashlib.sha256(msgstr.encode("utf-8")).hexdigest()[:16]
    return True


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


class _Builder:
    """Pairs occurrences, comments and target hits for one catalog."""

    def __init__(self, glossary: Glossary, locale: str) -> None:
        self.glossary = glossary
        self.locale = locale
        self.covered = locale in glossary.locales
        self.source_matcher = SourceMatcher(glossary)
        self.target_matcher = TargetMatcher(glossary, locale)

    def note(self, concept_id: str, recorded_notes: dict[str, str]) -> str:
        concept = self.glossary.concepts.get(concept_id)
        if concept is not None:
            return " ".join(concept.note.split())
        return recorded_notes.get(concept_id, "")

    # -- one entry

    def paragraph(self, entry: polib.POEntry) -> ParagraphReport:
        source = str(entry.msgid)
        target = _msgstr(entry)
        fuzzy = "fuzzy" in entry.flags
        state = "untranslated" if not target else ("fuzzy" if fuzzy else "reviewed")
        recorded, notes, flag_reasons = _parse_comments(entry.comment or "")
        if target and not _comments_current(entry, target):
            recorded = []  # they describe a text that is no longer there
        lines = tuple(int(line) for _f, line in entry.occurrences if str(line).isdigit())
        report = ParagraphReport(
            lines=lines, source=source, target=target, state=state,
            unresolved_flag=UNRESOLVED_FLAG in entry.flags, flag_reasons=tuple(flag_reasons),
        )
        occurrences = self.source_matcher.find(source) if source.strip() else []
        hits = self.target_matcher.find(target) if target.strip() else []

        pending = list(recorded)
        derived: dict[int, Finding] | None = None
        source_findings: list[tuple[SourceOccurrence, Finding]] = []
        for index, occurrence in enumerate(occurrences):
            line = self._take(pending, occurrence)
            if line is not None:
                finding = Finding(
                    concept=line.concept, source=occurrence.text, outcome=line.outcome,
                    step=line.step, reason=line.reason, found=line.found,
                    note=self.note(line.concept, notes), quoted=occurrence.quoted,
                )
            else:
                if derived is None:
                    derived = self._derive(occurrences, source, target, state)
                    report.rechecked = bool(target)  # an untranslated text has nothing to re-check
                finding = derived[index]
            source_findings.append((occurrence, finding))
        # Lines whose occurrence the current glossary no longer finds: still shown.
        leftovers = [
            Finding(concept=line.concept, source=line.source, outcome=line.outcome, step=line.step,
                    reason=line.reason, found=line.found, note=self.note(line.concept, notes))
            for line in pending
        ]

        target_spans = self._pair_targets(source_findings, leftovers, hits)
        report.findings = [f for _o, f in source_findings] + leftovers + [
            f for f, _h in target_spans if f.source is None
        ]
        report.source_marks = _marks(source, [(o.start, o.end, f) for o, f in source_findings])
        report.target_marks = _marks(target, [(h.start, h.end, f) for f, h in target_spans])
        return report

    @staticmethod
    def _take(pending: list[_Recorded], occurrence: SourceOccurrence) -> _Recorded | None:
        """The recorded line for this occurrence: same concept, same text first."""
        same = [r for r in pending if r.concept == occurrence.concept_id]
        if not same:
            return None
        text = occurrence.text.casefold()
        line = next((r for r in same if r.source.casefold() == text), same[0])
        pending.remove(line)
        return line

    def _targets_for(self, concept_id: str, quoted: bool) -> set[str]:
        """Concepts whose renderings answer an occurrence (Artsakh: Karabakh's too)."""
        ids = {concept_id}
        concept = self.glossary.concepts.get(concept_id)
        if concept is not None and concept.quotation is Quotation.ONLY and concept.use_instead:
            if not quoted:
                ids = {concept.use_instead}
            else:
                ids.add(concept.use_instead)
        return ids

    def _pair_targets(
        self,
        source_findings: list[tuple[SourceOccurrence, Finding]],
        leftovers: list[Finding],
        hits: list[TargetHit],
    ) -> list[tuple[Finding, TargetHit]]:
        """Each finding's rendering in the translation, then wrong renderings nobody answers."""
        used: set[tuple[int, int]] = set()
        paired: list[tuple[Finding, TargetHit]] = []
        findings = [f for _o, f in source_findings] + leftovers
        for finding in findings:
            wanted = self._targets_for(finding.concept, finding.quoted)
            free = [h for h in hits if (h.start, h.end) not in used]
            hit: TargetHit | None = None
            if finding.found:
                found = finding.found.casefold()
                hit = next((h for h in free if h.concept_id in wanted and h.text.casefold() == found), None)
                hit = hit or next((h for h in free if h.text.casefold() == found), None)
            elif finding.step in (STEP_EDITOR, STEP_NONE):
                # Re-checked or never enforced: whatever renders the concept,
                # a wrong rendering included (it is why the occurrence is unresolved).
                hit = next((h for h in free if h.concept_id in wanted), None)
            if hit is None:
                continue
            used.add((hit.start, hit.end))
            if finding.found is None:
                finding.found = hit.text
            paired.append((finding, hit))
        for hit in hits:
            if (hit.start, hit.end) in used:
                continue
            reason = self._wrong_rendering(hit)
            if reason:
                used.add((hit.start, hit.end))
                finding = Finding(
                    concept=hit.concept_id, source=None, outcome=UNRESOLVED, step=STEP_NONE,
                    reason=reason, found=hit.text, note=self.note(hit.concept_id, {}), quoted=hit.quoted,
                )
                paired.append((finding, hit))
        return paired

    def _wrong_rendering(self, hit: TargetHit) -> str:
        """Why a rendering no source occurrence asked for is wrong here; "" when it is not."""
        concept = self.glossary.concepts.get(hit.concept_id)
        if concept is None:
            return ""
        if concept.quotation is Quotation.ONLY:
            if hit.quoted:
                return ""
            return f"{hit.text!r} belongs in quotations only; in our own voice use {concept.use_instead}"
        if hit.status.acceptable or (hit.quoted and concept.quotation is Quotation.EXEMPT):
            return ""
        expected = ", ".join(r.text for r in self.glossary.acceptable(concept.id, self.locale))
        return f"{hit.status.value} rendering {hit.text!r}" + (f"; use {expected}" if expected else "")

    def _derive(
        self, occurrences: Sequence[SourceOccurrence], source: str, target: str, state: str
    ) -> dict[int, Finding]:
        """Outcomes of a paragraph the catalog says nothing about, from the glossary checks."""
        step = STEP_EDITOR if state == "reviewed" else STEP_NONE
        violations: list[Violation] = []
        if target and self.covered:
            violations = check_document([source], [target], self.glossary, self.locale,
                                        source_matcher=self.source_matcher,
                                        target_matcher=self.target_matcher)
        errors: dict[str, list[Violation]] = {}
        review: set[str] = set()
        for violation in violations:
            if violation.is_error:
                errors.setdefault(violation.concept, []).append(violation)
            elif violation.kind == REVIEW_KIND:
                review.add(violation.concept)
        # check_missing reports the last occurrences of a concept that lack a rendering.
        missing_left: dict[str, int] = {
            c: sum(1 for v in vs if v.kind == "missing") for c, vs in errors.items()
        }
        result: dict[int, Finding] = {}
        # Backwards, so the "missing" findings go to the last occurrences, as check_missing counts them.
        for index in reversed(range(len(occurrences))):
            occurrence = occurrences[index]
            concept = self.glossary.concepts[occurrence.concept_id]
            targets = self._targets_for(concept.id, occurrence.quoted)
            finding = Finding(concept=concept.id, source=occurrence.text, outcome=SETTLED, step=step,
                              note=self.note(concept.id, {}), quoted=occurrence.quoted)
            # The occurrence's own concept first, then the one that renders it (Artsakh -> Karabakh).
            error = self._error_for([concept.id, *sorted(targets - {concept.id})], errors, missing_left)
            if not target:
                finding.outcome = REVIEW if concept.policy is Policy.REVIEW else UNRESOLVED
                finding.reason = "the paragraph is not translated"
            elif not self.covered:
                finding.outcome = UNRESOLVED
                finding.reason = f"the glossary has no renderings for {self.locale}"
            elif error is not None:
                finding.outcome = UNRESOLVED
                finding.reason = f"{error.kind}: {error.hint}" if error.hint else error.kind
            elif concept.id in review:
                finding.outcome = REVIEW
                finding.reason = "review policy: an editor must check it"
            elif occurrence.quoted and concept.quotation is not Quotation.SAME:
                finding.outcome = QUOTED
                finding.reason = "inside a quotation: the speaker's word stands"
            result[index] = finding
        return result

    @staticmethod
    def _error_for(
        concepts: Iterable[str], errors: dict[str, list[Violation]], missing_left: dict[str, int]
    ) -> Violation | None:
        for concept_id in concepts:
            found = errors.get(concept_id, [])
            missing = missing_left.get(concept_id, 0) > 0
            if missing:
                missing_left[concept_id] -= 1
            # A wrong rendering (deprecated, forbidden...) says more than "missing".
            other = next((v for v in found if v.kind != "missing"), None)
            if other is not None:
                return other
            if missing:
                return next(v for v in found if v.kind == "missing")
        return None


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

    Raises CatalogParseError / CatalogReadError (translate.catalog) for a bad
    catalog and UnknownLocale (glossary.errors) for a locale Babel does not know.
    """
    path = Path(catalog_path)
    locale = normalize_locale(locale)
    po = load_catalog(path)
    builder = _Builder(glossary, locale)
    entries = [e for e in po if not e.obsolete and e.msgid]
    order = {id(e): i for i, e in enumerate(entries)}
    # Document order by the first ``#:`` line; entries without one keep file order, last.
    entries.sort(key=lambda e: (_first_line(e) is None, _first_line(e) or 0, order[id(e)]))
    paragraphs = [builder.paragraph(entry) for entry in entries]
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
    QUOTED: "inside a quotation with an exempting rule: the speaker's word stands",
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
    """Escape text for element content and quoted attribute values alike."""
    return html.escape(str(text), quote=True)


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
