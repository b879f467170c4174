"""Check translations (and English sources) against the glossary.

Each check is a small function that looks at one paragraph and returns
violations; `check_document` runs them all and collects the results (the
shape of babel/messages/checkers.py). A paragraph is a line: line i of the
translation translates line i of the source.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from glossary.errors import GlossaryError, LineCountMismatch, UnknownLocale
from glossary.locales import normalize_locale
from glossary.matching import SourceMatcher, SourceOccurrence, TargetHit, TargetMatcher
from glossary.model import Concept, Glossary, Policy, Quotation, Status

MISSING = "missing"
FORBIDDEN = "forbidden"
DEPRECATED = "deprecated"
INCONSISTENT = "inconsistent"
REVIEW = "review"
KEEP = "keep"
TERM = "term"  # check_source: a contested term, for information

# Kinds that make a check fail; `review` and `term` inform an editor.
ERROR_KINDS = frozenset({MISSING, FORBIDDEN, DEPRECATED, INCONSISTENT, KEEP})


class DocumentUnreadable(GlossaryError):
    """A document to check cannot be read as UTF-8 text."""

    exit_code = 2  # bad input


@dataclass(frozen=True)
class Violation:
    """One finding, tied to a paragraph (1-based line) and a concept."""

    paragraph: int
    concept: str
    kind: str
    source: str | None
    found: str | None
    expected: list[str]
    note: str
    quoted: bool
    hint: str = ""

    @property
    def is_error(self) -> bool:
        """Whether this finding fails a check (review flags do not)."""
        return self.kind in ERROR_KINDS

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record."""
        return asdict(self)


MAX_DOCUMENT_BYTES = 64 * 1024 * 1024


def read_document(path: str | Path) -> list[str]:
    """The lines of a UTF-8 text file (BOM accepted, CRLF/CR normalised).

    Trailing blank lines are dropped, so a final newline in one file and not
    in the other does not change the line count.
    """
    from glossary.files import FileInputError, read_bytes

    file = Path(path)
    try:
        data = read_bytes(file, limit=MAX_DOCUMENT_BYTES, what="text file")  # bounded: /dev/zero, FIFOs
    except FileInputError as error:
        raise DocumentUnreadable(str(error)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DocumentUnreadable(f"{file} is not UTF-8 text (invalid byte on line {line})") from None
    return split_lines(text)


def split_lines(text: str) -> list[str]:
    """Split a document into paragraphs (lines), normalising line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
    return text.split("\n") if text else []


@dataclass
class _Paragraph:
    number: int
    glossary: Glossary
    locale: str
    occurrences: list[SourceOccurrence]
    hits: list[TargetHit]


@dataclass
class _DocumentState:
    # the first acceptable rendering chosen per concept in this document
    choice: dict[str, TargetHit] = field(default_factory=dict)


def _texts(concept_id: str, glossary: Glossary, locale: str) -> list[str]:
    return [r.text for r in glossary.acceptable(concept_id, locale)]


_RANK = {Status.PREFERRED: 0, Status.ADMITTED: 1, Status.DEPRECATED: 2, Status.FORBIDDEN: 3}


def _attribute(hits: list[TargetHit], occurrences: list[SourceOccurrence]) -> list[TargetHit]:
    """Resolve spans that render several concepts to the likeliest ones.

    One surface can render two concepts (German `Bergkarabach` for Karabakh
    and for Nagorno-Karabakh; Russian `Армения` for Armenia and, admitted,
    for Armenian). Keep the concepts the source paragraph mentions, and among
    those the ones for which the surface has the best status.
    """
    in_source = {o.concept_id for o in occurrences}
    by_span: dict[tuple[int, int], list[TargetHit]] = {}
    for hit in hits:
        by_span.setdefault((hit.start, hit.end), []).append(hit)
    result: list[TargetHit] = []
    for group in by_span.values():
        if len(group) > 1:
            group = [h for h in group if h.concept_id in in_source] or group
            best = min(_RANK[h.status] for h in group)
            group = [h for h in group if _RANK[h.status] == best]
        result.extend(group)
    return result


def _required(paragraph: _Paragraph) -> dict[str, list[SourceOccurrence]]:
    """Source occurrences that need an acceptable rendering, per concept.

    A quotation-only concept in our voice (Artsakh outside quotes) must be
    rendered by the concept named in `use_instead`.
    """
    glossary = paragraph.glossary
    required: dict[str, list[SourceOccurrence]] = {}
    for occurrence in paragraph.occurrences:
        concept = glossary.concepts[occurrence.concept_id]
        target = concept
        if concept.quotation is Quotation.ONLY and not occurrence.quoted and concept.use_instead:
            target = glossary.concepts[concept.use_instead]
        if target.policy is Policy.ENFORCE:
            required.setdefault(target.id, []).append(occurrence)
    return required


def check_missing(paragraph: _Paragraph) -> list[Violation]:
    """An enforce concept has fewer acceptable renderings than source occurrences."""
    glossary, locale = paragraph.glossary, paragraph.locale
    violations: list[Violation] = []
    for concept_id, occurrences in _required(paragraph).items():
        expected = _texts(concept_id, glossary, locale)
        if not expected:
            continue  # the locale has no rendering to demand
        concept = glossary.concepts[concept_id]
        hits = [h for h in paragraph.hits if h.concept_id == concept_id]
        good = sum(1 for h in hits if h.status.acceptable)
        pending = list(occurrences)
        if concept.quotation is Quotation.EXEMPT:
            # In a quotation the speaker's word stands: a deprecated or
            # forbidden rendering inside a quotation answers a quoted occurrence.
            spare = sum(1 for h in hits if h.quoted and not h.status.acceptable)
            for occurrence in [o for o in occurrences if o.quoted][:spare]:
                pending.remove(occurrence)
        for occurrence in pending[good:]:
            violations.append(
                Violation(
                    paragraph.number,
                    concept_id,
                    MISSING,
                    occurrence.text,
                    None,
                    expected,
                    concept.note,
                    occurrence.quoted,
                    f"the translation needs {', '.join(expected)} (inflected forms count)",
                )
            )
    return violations


def _first_source(paragraph: _Paragraph, concept_id: str) -> str | None:
    for occurrence in paragraph.occurrences:
        if occurrence.concept_id == concept_id:
            return occurrence.text
    return None


def check_forbidden(paragraph: _Paragraph) -> list[Violation]:
    """Deprecated or forbidden renderings, and quotation-only terms in our voice."""
    glossary, locale = paragraph.glossary, paragraph.locale
    violations: list[Violation] = []
    for hit in paragraph.hits:
        concept = glossary.concepts[hit.concept_id]
        if concept.quotation is Quotation.ONLY:
            if hit.quoted:
                continue  # where the term belongs
            other = concept.use_instead or ""
            expected = _texts(other, glossary, locale) if other in glossary.concepts else []
            hint = f"outside quotations use the concept '{other}'" + (
                f": {', '.join(expected)}" if expected else ""
            )
            kind = FORBIDDEN
        elif hit.status in (Status.DEPRECATED, Status.FORBIDDEN):
            if hit.quoted and concept.quotation is Quotation.EXEMPT:
                continue
            expected = _texts(concept.id, glossary, locale)
            hint = f"use {', '.join(expected)}" if expected else "rephrase"
            kind = FORBIDDEN if hit.status is Status.FORBIDDEN else DEPRECATED
        else:
            continue
        violations.append(
            Violation(
                paragraph.number,
                concept.id,
                kind,
                _first_source(paragraph, concept.id),
                hit.text,
                expected,
                hit.rendering.note or concept.note,
                hit.quoted,
                hint,
            )
        )
    return violations


def check_review(paragraph: _Paragraph) -> list[Violation]:
    """Every source occurrence of a review concept goes to an editor, with the note."""
    glossary, locale = paragraph.glossary, paragraph.locale
    violations: list[Violation] = []
    for occurrence in paragraph.occurrences:
        concept = glossary.concepts[occurrence.concept_id]
        if concept.policy is not Policy.REVIEW:
            continue
        found = [h.text for h in paragraph.hits if h.concept_id == concept.id]
        violations.append(
            Violation(
                paragraph.number,
                concept.id,
                REVIEW,
                occurrence.text,
                ", ".join(found) or None,
                _texts(concept.id, glossary, locale),
                concept.note,
                occurrence.quoted,
                "render faithfully; an editor decides",
            )
        )
    return violations


def check_keep(paragraph: _Paragraph) -> list[Violation]:
    """A keep concept occurs in the source but not as kept in the translation."""
    glossary, locale = paragraph.glossary, paragraph.locale
    violations: list[Violation] = []
    seen: set[str] = set()
    present = {h.concept_id for h in paragraph.hits}
    for occurrence in paragraph.occurrences:
        concept = glossary.concepts[occurrence.concept_id]
        if concept.policy is not Policy.KEEP or concept.id in seen or concept.id in present:
            continue
        seen.add(concept.id)
        renderings = concept.terms.get(locale) or concept.terms.get(glossary.source, ())
        expected = [r.text for r in renderings if r.status.acceptable]
        violations.append(
            Violation(
                paragraph.number,
                concept.id,
                KEEP,
                occurrence.text,
                None,
                expected,
                concept.note,
                occurrence.quoted,
                f"keep it as {', '.join(expected)}" if expected else "do not translate it",
            )
        )
    return violations


def check_inconsistent(paragraph: _Paragraph, state: _DocumentState) -> list[Violation]:
    """One concept rendered by different acceptable renderings in one document."""
    violations: list[Violation] = []
    for hit in paragraph.hits:
        if not hit.status.acceptable:
            continue
        first = state.choice.setdefault(hit.concept_id, hit)
        if first.rendering == hit.rendering:
            continue
        concept = paragraph.glossary.concepts[hit.concept_id]
        violations.append(
            Violation(
                paragraph.number,
                concept.id,
                INCONSISTENT,
                _first_source(paragraph, concept.id),
                hit.text,
                [first.rendering.text],
                concept.note,
                hit.quoted,
                f"the document first writes {first.rendering.text!r}; keep one rendering",
            )
        )
    return violations


ParagraphCheck = Callable[[_Paragraph], list[Violation]]
PARAGRAPH_CHECKS: tuple[ParagraphCheck, ...] = (check_missing, check_forbidden, check_keep, check_review)


def check_document(
    source_lines: Sequence[str],
    target_lines: Sequence[str],
    glossary: Glossary,
    locale: str,
    *,
    source_matcher: SourceMatcher | None = None,
    target_matcher: TargetMatcher | None = None,
) -> list[Violation]:
    """Every violation of a translation, paragraph by paragraph.

    Raises LineCountMismatch if the documents differ in line count, and
    UnknownLocale if the locale is unknown or the glossary does not cover it.
    Matchers may be passed in to reuse their index across documents.
    """
    locale = normalize_locale(locale)
    if locale not in glossary.locales:
        raise UnknownLocale(
            f"the glossary has no locale {locale!r}; it covers {', '.join(glossary.locales)}"
        )
    if len(source_lines) != len(target_lines):
        raise LineCountMismatch(len(source_lines), len(target_lines))
    source_matcher = source_matcher or SourceMatcher(glossary)
    target_matcher = target_matcher or TargetMatcher(glossary, locale)
    state = _DocumentState()
    violations: list[Violation] = []
    for number, (source, target) in enumerate(zip(source_lines, target_lines), start=1):
        occurrences = source_matcher.find(source) if source.strip() else []
        hits = target_matcher.find(target) if target.strip() else []
        paragraph = _Paragraph(number, glossary, locale, occurrences, _attribute(hits, occurrences))
        for check in PARAGRAPH_CHECKS:
            violations.extend(check(paragraph))
        violations.extend(check_inconsistent(paragraph, state))
    return violations


def _source_finding(number: int, occurrence: SourceOccurrence, glossary: Glossary) -> Violation | None:
    concept: Concept = glossary.concepts[occurrence.concept_id]
    status = occurrence.status
    in_our_voice = not occurrence.quoted or concept.quotation is Quotation.SAME
    expected = _texts(concept.id, glossary, glossary.source)
    if status in (Status.DEPRECATED, Status.FORBIDDEN) and in_our_voice and concept.quotation is not Quotation.ONLY:
        kind, hint = status.value, f"use {', '.join(expected)}"
    elif concept.quotation is Quotation.ONLY and not occurrence.quoted:
        other = concept.use_instead or ""
        expected = _texts(other, glossary, glossary.source) if other in glossary.concepts else []
        kind, hint = FORBIDDEN, f"outside quotations use the concept '{other}'"
    elif concept.policy is Policy.REVIEW:
        kind, hint = REVIEW, "render faithfully; an editor decides"
    elif concept.policy is Policy.KEEP:
        return None
    else:
        kind, hint = TERM, ""
    return Violation(number, concept.id, kind, occurrence.text, occurrence.text, expected, concept.note, occurrence.quoted, hint)


def check_source(
    lines: Sequence[str],
    glossary: Glossary,
    *,
    source_matcher: SourceMatcher | None = None,
) -> list[Violation]:
    """Contested and review terms in an English source, each with its note.

    Kinds: `term` (a contested term, for information), `review`, and
    `deprecated` / `forbidden` for terms that do not belong in our own voice.
    """
    matcher = source_matcher or SourceMatcher(glossary)
    findings: list[Violation] = []
    for number, line in enumerate(lines, start=1):
        for occurrence in matcher.find(line):
            finding = _source_finding(number, occurrence, glossary)
            if finding is not None:
                findings.append(finding)
    return findings
