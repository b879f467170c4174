"""Check translations (and English sources) against the glossary.

`check_document` asks the one judge (glossary.judge) and returns its
findings; `check_source` lists the contested terms of an English source. A
paragraph is a line: line i of the translation translates line i of the source.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from glossary.errors import GlossaryError, LineCountMismatch
from glossary.judge.judge import Judge
from glossary.judge.verdicts import (
    DEPRECATED,
    ERROR_KINDS,
    FORBIDDEN,
    INCONSISTENT,
    KEEP,
    MISSING,
    OK,
    QUOTED,
    REVIEW,
    Verdict,
)
from glossary.matching import SourceMatcher, SourceOccurrence, TargetMatcher
from glossary.termbase.locales import normalize_locale
from glossary.termbase.model import Concept, Glossary, Policy, Quotation, Status

TERM = "term"  # check_source: a contested term, for information

__all__ = [
    "DEPRECATED", "ERROR_KINDS", "FORBIDDEN", "INCONSISTENT", "KEEP", "MISSING", "REVIEW", "TERM",
    "DocumentUnreadable", "Violation", "check_document", "check_source", "read_document", "split_lines",
]


class DocumentUnreadable(GlossaryError):
    """A document to check cannot be read as UTF-8 text."""

    exit_code = 2  # bad input


# One record type for every finding: the judge's verdict.
Violation = Verdict


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


def check_document(
    source_lines: Sequence[str],
    target_lines: Sequence[str],
    glossary: Glossary,
    locale: str,
    *,
    source_matcher: SourceMatcher | None = None,
    target_matcher: TargetMatcher | None = None,
) -> list[Violation]:
    """Every finding of the judge in a translation (one document), paragraph by paragraph.

    Settled and quoted occurrences are left out; `Judge.document` gives them
    all. Raises LineCountMismatch if the documents differ in line count, and
    UnknownLocale if the locale is unknown or the glossary does not cover it.
    Matchers may be passed in to reuse their index across documents.
    """
    locale = normalize_locale(locale)
    if len(source_lines) != len(target_lines):
        raise LineCountMismatch(len(source_lines), len(target_lines))
    judge = Judge(glossary, locale, source_matcher=source_matcher, target_matcher=target_matcher)
    pairs = [(number, s, t) for number, (s, t) in enumerate(zip(source_lines, target_lines), start=1)]
    return [v for v in judge.document(pairs) if v.kind not in (OK, QUOTED)]


def _texts(concept_id: str, glossary: Glossary, locale: str) -> list[str]:
    return [r.text for r in glossary.acceptable(concept_id, locale)]


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
