"""Which catalog entries a glossary change affects, and which reviewed ones it breaks.

"When we change a rule, we need to know which published translations are now
out of line." `glossary_impact` compares two glossaries (the rules before and
after a change, or a proposal applied in memory), and runs the glossary checks
on every translated entry of every catalog under a folder
(`<dir>/<locale>/LC_MESSAGES/<domain>.po`; msgid = source paragraph, msgstr =
its translation) under both. It reports, per locale:

- the entries that mention a concept the change touches (in the source or in
  the translation), reviewed or not;
- among the reviewed ones (not fuzzy), those that violate the new rules in a
  way they did not violate the old ones: the translations an editor must
  revisit. Fuzzy entries are listed as affected, never as broken: nobody has
  published them yet, and the next run re-checks them anyway.

Each catalog is judged as one document by the one judge (glossary.judge, via
translate.catalogs.judging), as every other command judges it; consistency
(one rendering per source term per document) applies across its entries.

This reads catalogs, so it lives in `translate`; the glossary package knows
nothing of catalogs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

from glossary.errors import UnknownLocale
from glossary.judge import Judge
from glossary.judge.checks import Violation
from glossary.matching import SourceMatcher, TargetMatcher
from glossary.review.semantic_diff import DiffEntry, diff_glossaries, touched_concepts
from glossary.termbase.locales import normalize_locale
from glossary.termbase.model import Glossary
from translate.catalogs.entries import entry_is_reviewed
from translate.catalogs.folder import iter_catalogs
from translate.catalogs.judging import catalog_document, judge_lines
from translate.catalogs.reading import load_catalog
from translate.errors import TermguardError

__all__ = ["EntryImpact", "ImpactError", "ImpactReport", "LocaleImpact", "glossary_impact"]

_EXCERPT_WORDS = 8


class ImpactError(TermguardError):
    """The impact cannot be computed from what was given (no catalog folder...)."""

    exit_code = 2  # bad input


def _key(violation: Violation) -> tuple[str, str, str | None, bool]:
    # What makes two findings "the same problem" before and after a change:
    # the expected renderings may change with the rules without the problem
    # being new.
    return (violation.concept, violation.kind, violation.found, violation.quoted)


@dataclass(frozen=True)
class EntryImpact:
    """One catalog entry the change concerns."""

    locale: str
    path: str
    line: int
    msgid: str
    reviewed: bool
    concepts: tuple[str, ...]
    new_violations: tuple[Violation, ...] = ()
    resolved: tuple[Violation, ...] = ()

    @property
    def breaks(self) -> bool:
        """A reviewed translation that the new rules put out of line."""
        return self.reviewed and bool(self.new_violations)

    @property
    def excerpt(self) -> str:
        """The first words of the source paragraph."""
        words = self.msgid.split()
        text = " ".join(words[:_EXCERPT_WORDS])
        return text + (" …" if len(words) > _EXCERPT_WORDS else "")

    @property
    def where(self) -> str:
        """`path:line` of the entry in its catalog."""
        return f"{self.path}:{self.line}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record."""
        return {
            "locale": self.locale,
            "path": self.path,
            "line": self.line,
            "msgid": self.msgid,
            "excerpt": self.excerpt,
            "reviewed": self.reviewed,
            "breaks": self.breaks,
            "concepts": list(self.concepts),
            "new_violations": [v.to_dict() for v in self.new_violations],
            "resolved": [v.to_dict() for v in self.resolved],
        }


@dataclass
class LocaleImpact:
    """Everything one locale's catalogs say about the change."""

    locale: str
    catalogs: list[str] = field(default_factory=list)
    checked: int = 0  # translated entries checked
    entries: list[EntryImpact] = field(default_factory=list)

    @property
    def broken(self) -> list[EntryImpact]:
        """Reviewed entries that now violate the glossary."""
        return [e for e in self.entries if e.breaks]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record."""
        return {
            "locale": self.locale,
            "catalogs": list(self.catalogs),
            "checked": self.checked,
            "affected": len(self.entries),
            "broken": len(self.broken),
            "entries": [e.to_dict() for e in self.entries],
        }


@dataclass
class ImpactReport:
    """The impact of a change on every catalog under one folder.

    `baseline` says what the rules were compared with; with no baseline
    (`before` None) every concept counts as touched and every error a
    reviewed entry has counts as broken: a full audit.
    """

    catalog_dir: str
    baseline: str | None
    changes: list[DiffEntry]
    touched: dict[str, frozenset[str] | None]
    locales: list[LocaleImpact] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (catalog, why)

    @property
    def broken(self) -> list[EntryImpact]:
        """Every reviewed entry, in every locale, that the change breaks."""
        return [e for locale in self.locales for e in locale.broken]

    @property
    def affected(self) -> list[EntryImpact]:
        """Every entry the change concerns."""
        return [e for locale in self.locales for e in locale.entries]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record (what `--json` prints)."""
        return {
            "catalog_dir": self.catalog_dir,
            "baseline": self.baseline,
            "changes": [c.to_dict() for c in self.changes],
            "touched": {k: (None if v is None else sorted(v)) for k, v in sorted(self.touched.items())},
            "affected": len(self.affected),
            "broken": len(self.broken),
            "locales": [locale.to_dict() for locale in self.locales],
            "skipped": [{"catalog": c, "reason": r} for c, r in self.skipped],
        }


class _Checker:
    """One glossary's matchers, built once and shared by every entry of a locale."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self.source = SourceMatcher(glossary)
        self.targets: dict[str, TargetMatcher] = {}
        self.judges: dict[str, Judge] = {}

    def target(self, locale: str) -> TargetMatcher:
        if locale not in self.targets:
            self.targets[locale] = TargetMatcher(self.glossary, locale)
        return self.targets[locale]

    def covers(self, locale: str) -> bool:
        return locale in self.glossary.locales

    def errors(self, po: polib.POFile, locale: str) -> dict[int, list[Violation]]:
        """The judge's unresolved verdicts on the catalog as one document, per entry (its first line)."""
        if not self.covers(locale):
            return {}
        if locale not in self.judges:
            self.judges[locale] = Judge(self.glossary, locale, source_matcher=self.source,
                                        target_matcher=self.target(locale))
        found: dict[int, list[Violation]] = {}
        first: dict[int, int] = {}
        for line, verdict in judge_lines(self.judges[locale], catalog_document(po)):
            key = id(line.entry)
            if first.setdefault(key, line.number) == line.number and verdict.is_error:
                found.setdefault(key, []).append(verdict)
        return found

    def concepts(self, source: str, target: str, locale: str) -> set[str]:
        found = {o.concept_id for o in self.source.find(source)}
        if self.covers(locale):
            found |= {h.concept_id for h in self.target(locale).find(target)}
        return found


def _translated(po: polib.POFile) -> Iterable[polib.POEntry]:
    for entry in po:
        # Header, plural and context entries are not paragraphs this tool wrote.
        if entry.obsolete or not entry.msgid or entry.msgid_plural or not entry.msgstr:
            continue
        yield entry


def _in_scope(concept: str, locale: str, touched: dict[str, frozenset[str] | None]) -> bool:
    if concept not in touched:
        return False
    scope = touched[concept]
    return scope is None or locale in scope


def glossary_impact(
    after: Glossary,
    catalog_dir: Path | str,
    before: Glossary | None = None,
    *,
    baseline: str | None = None,
) -> ImpactReport:
    """The impact of moving from `before` to `after` on the catalogs under `catalog_dir`.

    Raises ImpactError if the folder does not exist, and the catalog module's
    CatalogError for a catalog that cannot be read (an unreadable catalog
    must not pass for one with nothing broken).
    """
    root = Path(catalog_dir)
    if not root.is_dir():
        raise ImpactError(f"no catalog folder {root}; pass --catalog-dir DIR (DIR/<locale>/LC_MESSAGES/*.po)")
    if before is None:
        changes: list[DiffEntry] = []
        touched: dict[str, frozenset[str] | None] = {concept: None for concept in after.concepts}
    else:
        changes = diff_glossaries(before, after)
        touched = touched_concepts(changes, before, after)
    report = ImpactReport(str(root), baseline, changes, touched)
    if before is not None and not touched:
        return report  # nothing the checks look at changed: no entry can break

    new_checker = _Checker(after)
    old_checker = _Checker(before) if before is not None else None
    by_locale: dict[str, LocaleImpact] = {}
    for folder_name, _domain, path in iter_catalogs(root):
        try:
            locale = normalize_locale(folder_name)
        except UnknownLocale:
            report.skipped.append((str(path), f"{folder_name!r} is not a locale"))
            continue
        if not new_checker.covers(locale):
            report.skipped.append((str(path), f"the glossary has no locale {locale!r}"))
            continue
        po = load_catalog(path)
        impact = by_locale.setdefault(locale, LocaleImpact(locale))
        impact.catalogs.append(str(path))
        now_errors = new_checker.errors(po, locale)
        then_errors = old_checker.errors(po, locale) if old_checker is not None else {}
        for entry in _translated(po):
            impact.checked += 1
            source, target = entry.msgid, entry.msgstr
            concepts = new_checker.concepts(source, target, locale)
            if old_checker is not None:
                concepts |= old_checker.concepts(source, target, locale)
            relevant = sorted(c for c in concepts if _in_scope(c, locale, touched))
            now = now_errors.get(id(entry), [])
            then = then_errors.get(id(entry), [])
            then_keys, now_keys = Counter(map(_key, then)), Counter(map(_key, now))
            new = [v for v in now if _take(then_keys, v)]
            resolved = [v for v in then if _take(now_keys, v)]
            if not relevant and not new and not resolved:
                continue
            impact.entries.append(EntryImpact(
                locale=locale,
                path=str(path),
                line=entry.linenum or 0,
                msgid=source,
                reviewed=entry_is_reviewed(entry),
                concepts=tuple(relevant),
                new_violations=tuple(new),
                resolved=tuple(resolved),
            ))
    report.locales = [by_locale[k] for k in sorted(by_locale)]
    return report


def _take(counts: Counter[tuple[str, str, str | None, bool]], violation: Violation) -> bool:
    """True if `violation` has no counterpart left in `counts` (consuming one if it has)."""
    key = _key(violation)
    if counts[key] > 0:
        counts[key] -= 1
        return False
    return True
