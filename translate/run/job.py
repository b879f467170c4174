"""One document into one locale, through its catalog: decode only what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from translate.argos.engine import Chain, DecodeOptions, Engine
from translate.catalogs.folder import catalog_path
from translate.catalogs.header import GLOSSARY_HEADER, HeaderInfo
from translate.catalogs.session import CatalogUpdate
from translate.catalogs.signature import RunSignature
from translate.run.document import MachineTranslation, SourceDocument
from translate.run.pipeline import ParagraphResult, translate_paragraphs

if TYPE_CHECKING:
    from glossary import Glossary
    from glossary.judge import Judge
    from translate.ladder.enforce import Enforcer

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


def paragraph_steps(result: ParagraphResult) -> list[str]:
    """The ladder step of each source occurrence of the paragraph, in source order.

    The ladder works per sentence; its records of a concept, in order, are the
    paragraph's occurrences of that concept, in order.
    """
    by_concept: dict[str, list[str]] = {}
    for occ in result.occurrences:
        if occ.index is not None:
            by_concept.setdefault(occ.concept, []).append(occ.step)
    taken: dict[str, int] = {}
    steps: list[str] = []
    for occ in result.occurrences:
        if occ.index is None:
            continue
        k = taken.get(occ.concept, 0)
        taken[occ.concept] = k + 1
        steps.append(by_concept[occ.concept][k])
    return steps


def entry_comments(result: ParagraphResult) -> tuple[str, ...]:
    """`#.` comments of a machine entry: each glossary occurrence, its outcome and note.

    They are for people: no command reads them back except the steps line.
    """
    from translate.catalogs.judging import steps_comment

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
    if result.occurrences:
        comments.append(steps_comment(paragraph_steps(result)))
    return tuple(comments)


def document_records(
    document: SourceDocument,
    output: str,
    judge: "Judge",
    steps: dict[str, list[str]],
    waivers: dict[str, list[Any]] | None = None,
    judged_as: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The judge's verdict on every occurrence of the whole output, with the step that settled it.

    ``steps`` maps a paragraph to the steps of its source occurrences (decoded
    now, or recorded in the catalog); a paragraph without steps was written by
    a person (step ``editor``). ``judge``: the run's (see ``run_judge``).
    """
    from translate.catalogs.judging import step_and_outcome

    glossary = judge.glossary
    out_lines = output.split("\n")
    by_line = dict(document.paragraphs())
    # Through English, the glossary (English source) judges the English text the target was made from.
    pairs = [(n, (judged_as or {}).get(line, line), out_lines[n - 1] if n - 1 < len(out_lines) else "")
             for n, line in document.paragraphs()]
    by_number = {n: waivers.get(source) for n, source, _t in pairs} if waivers else None
    records: list[dict[str, Any]] = []
    for verdict in judge.document(pairs, {n: w for n, w in (by_number or {}).items() if w}):
        record = verdict.to_dict()
        record["policy"] = glossary.concepts[verdict.concept].policy.value
        record["reason"] = verdict.hint
        record["step"], record["outcome"] = step_and_outcome(verdict, steps.get(by_line[verdict.paragraph]))
        records.append(record)
    return records


def run_judge(glossary: "Glossary | None", enforcer: "Enforcer | None") -> "Judge | None":
    """The one judge of a run: the enforcer's (its matchers built once), in the glossary locale it serves.

    de_AT is enforced and judged as de; a judge is built only when the run
    judges with another glossary object than the enforcer's.
    """
    if glossary is None or enforcer is None:
        return None
    if enforcer.glossary is glossary:
        return enforcer.judge
    from glossary.judge import Judge

    return Judge(glossary, enforcer.locale)


def _reviewed_violations(cat: CatalogUpdate, judge: "Judge") -> int:
    """Mark reviewed entries that the (changed) glossary now rejects; never rewrite them.

    The catalog is judged as one document, as every command judges it, by
    the run's judge: its matchers are the enforcer's, built once per run.
    """
    from translate.catalogs.judging import catalog_document, judge_lines

    glossary = judge.glossary
    reviewed = {msgid for msgid, _msgstr in cat.reviewed()}
    errors: dict[str, list[Any]] = {}
    for line, verdict in judge_lines(judge, catalog_document(cat.po)):
        if line.source in reviewed and verdict.is_error:
            found = errors.setdefault(line.source, [])
            if all(v.key()[1:] != verdict.key()[1:] for v in found):
                found.append(verdict)
    for msgid, found in errors.items():
        reasons = "; ".join(f"{v.kind} {v.concept}" + (f" ({v.found})" if v.found else "") for v in found)
        cat.mark_violation(msgid, f"glossary {glossary.digest[:12]}: {reasons}")
    return len(errors)


def run_locale(
    document: SourceDocument,
    locale: str,
    engine: Engine | Chain,
    argos_package: str,
    *,
    options: DecodeOptions = DecodeOptions(),
    glossary: "Glossary | None" = None,
    enforcer: "Enforcer | None" = None,
    catalog_dir: Path | None,
    domain: str,
    progress: Callable[[int], None] | None = None,
    lock_timeout: float = 600.0,
    decoded: dict[str, ParagraphResult] | None = None,
) -> LocaleRun:
    """Translate a document into one locale.

    With a catalog folder, paragraphs already in the catalog (machine output
    made with the same glossary, or an editor's work) are not decoded again,
    the catalog is merged and written only if it changed, and the output is
    rendered from it, so it carries the editors' reviewed translations.
    ``decoded`` holds paragraphs already translated with the same engine,
    options and enforcer (a batch decodes several documents in one call).
    """

    def translate(paragraphs: list[str]) -> list[ParagraphResult]:
        known = decoded or {}
        rest = [p for p in paragraphs if p not in known]
        fresh = {r.source: r for r in translate_paragraphs(engine, rest, options, enforcer, progress)} \
            if rest else {}
        return [known[p] if p in known else fresh[p] for p in paragraphs]

    digest = glossary.digest if glossary is not None and enforcer is not None else NO_GLOSSARY
    judge = run_judge(glossary, enforcer)
    if catalog_dir is None:
        paragraphs = list(dict.fromkeys(p for _, p in document.paragraphs()))
        results = translate(paragraphs)
        by_source = {r.source: r for r in results}
        lines = [by_source[line].target if line.strip() else line for line in document.lines]
        text = document.to_text(lines)
        records = []
        if judge is not None:
            steps = {r.source: paragraph_steps(r) for r in results}
            records = document_records(document, text, judge, steps,
                                       judged_as={r.source: r.pivot for r in results if r.pivot})
        return LocaleRun(locale, text, None, len(paragraphs), 0, 0, records)
    path = catalog_path(catalog_dir, locale, domain)
    flagged = 0
    with CatalogUpdate.open(path, locale=locale, domain=domain,
                            header=HeaderInfo(argos_package=argos_package),
                            lock_timeout=lock_timeout) as cat:
        previous_digest = cat.po.metadata.get(GLOSSARY_HEADER, "")
        # What produces each entry: reuse is decided per entry, not per glossary file.
        signature = RunSignature(argos_package, options, locale, glossary if enforcer is not None else None)
        todo = cat.needs_translation(document, digest, signature)
        results = translate(todo) if todo else []
        by_source = {r.source: r for r in results}
        cat.apply(document, {
            r.source: MachineTranslation(r.target, entry_comments(r), r.unresolved) for r in results
        }, digest, signature)
        if judge is not None and not previous_digest.endswith(digest):
            flagged = _reviewed_violations(cat, judge)
        steps, waivers = _catalog_memory(cat, by_source)
    text, _ = cat.render(fuzzy=True)  # from the catalog as written, without reading it again
    unique = len(set(p for _, p in document.paragraphs()))
    records = []
    if judge is not None:
        # The whole output is judged: decoded now or taken from the catalog.
        records = document_records(document, text, judge, steps, waivers,
                                   judged_as={r.source: r.pivot for r in by_source.values() if r.pivot})
    return LocaleRun(locale, text, path, len(todo), unique - len(todo), flagged, records)


def _catalog_memory(cat: CatalogUpdate, decoded: dict[str, ParagraphResult]) -> tuple[
        dict[str, list[str]], dict[str, list[Any]]]:
    """Per paragraph: the ladder steps (this run's, or recorded) and the editors' waivers."""
    from translate.catalogs.judging import entry_steps
    from translate.catalogs.waivers import entry_waivers

    steps: dict[str, list[str]] = {}
    waivers: dict[str, list[Any]] = {}
    for entry in cat.po:
        if entry.obsolete or not entry.msgid:
            continue
        recorded = entry_steps(entry)
        if recorded is not None:
            steps[entry.msgid] = recorded
        accepted = entry_waivers(entry)
        if accepted:
            waivers[entry.msgid] = accepted
    for source, result in decoded.items():
        steps[source] = paragraph_steps(result)
    return steps, waivers
