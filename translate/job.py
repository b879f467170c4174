"""One document into one locale, through its catalog: decode only what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from translate.catalog import GLOSSARY_HEADER, CatalogUpdate, HeaderInfo, catalog_path
from translate.catalogs.signature import RunSignature
from translate.document import MachineTranslation, SourceDocument
from translate.engine import DecodeOptions, Engine
from translate.pipeline import ParagraphResult, translate_paragraphs

if TYPE_CHECKING:
    from glossary import Glossary

    from translate.enforce import Enforcer

NO_GLOSSARY = "none"  # digest recorded when a run enforced no glossary


@dataclass
class LocaleRun:
    """What one run did for one locale."""

    locale: str
    text: str
    catalog: Path | None
    decoded: int  # paragraphs sent to the decoder
    reused: int  # paragraphs taken from the catalog
    flagged: int  # reviewed entries newly marked as violating the glossary
    occurrences: list[dict[str, Any]] = field(default_factory=list)


def entry_comments(result: ParagraphResult) -> tuple[str, ...]:
    """`#.` comments of a machine entry: each glossary occurrence, its outcome and note."""
    comments: list[str] = []
    noted: set[str] = set()
    for occ in result.occurrences:
        found = f" -> {occ.found}" if occ.found else ""
        line = f"glossary: {occ.concept} ({occ.source}) {occ.outcome} [{occ.step}]{found}"
        if occ.reason and occ.outcome not in ("settled", "forced", "substituted"):
            line += f"; {occ.reason}"
        comments.append(line)
        if occ.concept not in noted and (occ.outcome in ("review", "unresolved", "quoted")):
            noted.add(occ.concept)
            comments.append(f"note {occ.concept}: {' '.join(occ.note.split())}")
    return tuple(comments)


def occurrence_records(document: SourceDocument, results: dict[str, ParagraphResult]) -> list[dict[str, Any]]:
    return [
        {"paragraph": line, **occ.to_dict()}
        for line, paragraph in document.paragraphs()
        if paragraph in results
        for occ in results[paragraph].occurrences
    ]


def _reviewed_violations(cat: CatalogUpdate, glossary: "Glossary", locale: str) -> int:
    """Mark reviewed entries that the (changed) glossary now rejects; never rewrite them."""
    from glossary import SourceMatcher, TargetMatcher, check_document

    flagged = 0
    # Built once for every entry: building them is most of the cost of a check.
    matchers = {"source_matcher": SourceMatcher(glossary), "target_matcher": TargetMatcher(glossary, locale)}
    for msgid, msgstr in cat.reviewed():
        errors = [v for v in check_document([msgid], [msgstr], glossary, locale, **matchers) if v.is_error]
        if errors:
            reasons = "; ".join(f"{v.kind} {v.concept}" + (f" ({v.found})" if v.found else "")
                                for v in errors)
            cat.mark_violation(msgid, f"glossary {glossary.digest[:12]}: {reasons}")
            flagged += 1
    return flagged


def run_locale(
    document: SourceDocument,
    locale: str,
    engine: Engine,
    argos_package: str,
    *,
    options: DecodeOptions = DecodeOptions(),
    glossary: "Glossary | None" = None,
    enforcer: "Enforcer | None" = None,
    catalog_dir: Path | None,
    domain: str,
    progress: Callable[[int], None] | None = None,
    lock_timeout: float = 600.0,
) -> LocaleRun:
    """Translate a document into one locale.

    With a catalog folder, paragraphs already in the catalog (machine output
    made with the same glossary, or an editor's work) are not decoded again,
    the catalog is merged and written only if it changed, and the output is
    rendered from it, so it carries the editors' reviewed translations.
    """
    digest = glossary.digest if glossary is not None and enforcer is not None else NO_GLOSSARY
    if catalog_dir is None:
        paragraphs = list(dict.fromkeys(p for _, p in document.paragraphs()))
        results = translate_paragraphs(engine, paragraphs, options, enforcer, progress)
        by_source = {r.source: r for r in results}
        lines = [by_source[line].target if line.strip() else line for line in document.lines]
        return LocaleRun(locale, document.to_text(lines), None, len(paragraphs), 0, 0,
                         occurrence_records(document, by_source))
    path = catalog_path(catalog_dir, locale, domain)
    flagged = 0
    with CatalogUpdate.open(path, locale=locale, domain=domain,
                            header=HeaderInfo(argos_package=argos_package),
                            lock_timeout=lock_timeout) as cat:
        previous_digest = cat.po.metadata.get(GLOSSARY_HEADER, "")
        # What produces each entry: reuse is decided per entry, not per glossary file.
        signature = RunSignature(argos_package, options, locale, glossary if enforcer is not None else None)
        todo = cat.needs_translation(document, digest, signature)
        results = translate_paragraphs(engine, todo, options, enforcer, progress) if todo else []
        by_source = {r.source: r for r in results}
        cat.apply(document, {
            r.source: MachineTranslation(r.target, entry_comments(r), r.unresolved) for r in results
        }, digest, signature)
        if glossary is not None and enforcer is not None and not previous_digest.endswith(digest):
            flagged = _reviewed_violations(cat, glossary, locale)
    text, _ = cat.render(fuzzy=True)  # from the catalog as written, without reading it again
    unique = len(set(p for _, p in document.paragraphs()))
    return LocaleRun(locale, text, path, len(todo), unique - len(todo), flagged,
                     occurrence_records(document, by_source))
