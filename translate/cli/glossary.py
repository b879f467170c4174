"""Click commands for the glossary: `termguard glossary ...` and `termguard check`.

Thin on purpose: parse the arguments, call the `glossary` library, print.
Library errors go up to the top-level group (translate.cli), which gives
each one line and its class's exit code; UsageError / BadParameter (exit 2)
for bad arguments.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from glossary.errors import GlossaryInvalid, UnknownConcept, UnknownLocale
from glossary.termbase.load import default_glossary_path, load_glossary
from glossary.termbase.locales import display_name, normalize_locale
from translate.cli.errors import Command, Group, value_of

if TYPE_CHECKING:
    from glossary.judge.checks import Violation
    from glossary.termbase.model import Glossary

# The matcher and the judge are imported inside the commands that use them:
# `glossary lint` (and every other command of the CLI) starts without them.

_GLOSSARY_OPTION = click.option(
    "--glossary",
    "glossary_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Glossary YAML file (default: the curated glossary).",
)
_JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON records instead of text.")


def _load(path: Path | None) -> Glossary:
    # GlossaryInvalid goes up to the top-level group: the same message and exit
    # code (2) in every command.
    return load_glossary(path)


def _locale(value: str, glossary: Glossary | None = None) -> str:
    from glossary.termbase.locales import resolve_locale

    with value_of("'--locale'", UnknownLocale):
        if glossary is not None:
            # de-AT is served by the glossary's de; a typo gets a did-you-mean.
            return resolve_locale(value, glossary.locales)
        return normalize_locale(value)


def _lines(path: Path, name: str) -> list[str]:
    from glossary.judge.checks import read_document

    # DocumentUnreadable (bad input, exit 2) names the file: one line, by translate.cli.errors.
    return read_document(path)


def _print_json(records: list[dict[str, Any]]) -> None:
    click.echo(json.dumps(records, ensure_ascii=False, indent=2))


def _describe(violation: Violation) -> str:
    from glossary.matching import visible

    # Text from the documents and the glossary goes through `visible`: control,
    # bidi and invisible characters are shown, never sent to the terminal. The
    # quoted source and found text are marked first, so repr adds only quotes.
    head = f"{violation.paragraph}: {violation.kind} [{visible(violation.concept)}]"
    parts = []
    if violation.source:
        parts.append(f"source {repr(visible(violation.source, one_line=True))}")
    if violation.found:
        parts.append(f"found {repr(visible(violation.found, one_line=True))}")
    if violation.expected:
        parts.append(f"expected {visible(' / '.join(violation.expected))}")
    if violation.quoted:
        parts.append("in a quotation")
    if violation.waived:
        parts.append(f"waived by {visible(violation.waived)}")
    lines = [f"{head} " + "; ".join(parts)]
    if violation.hint:
        lines.append(f"    hint: {visible(violation.hint)}")
    if violation.note:
        lines.append(f"    note: {visible(violation.note)}")
    return "\n".join(lines)


@click.group("glossary", cls=Group)
def glossary_group() -> None:
    """Check, lint, review, exchange and show the glossary of contested terms.

    \b
    Examples:
      termguard glossary show karabakh --locale de
      termguard glossary check article.txt
      termguard glossary propose karabakh --locale de --rendering Bergkarabach --status preferred --reason "Duden"
      termguard glossary proposals
    """


@glossary_group.command("lint")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@_GLOSSARY_OPTION
def lint_command(path: Path | None, glossary_path: Path | None) -> None:
    """Validate a glossary file (default: the curated one); list every problem, exit 2 if any.

    \b
    Examples:
      termguard glossary lint
      termguard glossary lint --glossary my-glossary.yaml
    """
    if path is not None and glossary_path is not None and path != glossary_path:
        raise click.UsageError("give the glossary once: PATH or --glossary")
    from glossary.termbase.lint import across_concepts, lint_warnings

    where = glossary_path or path or default_glossary_path()
    # One load serves both: the problems (what `glossary.lint` returns) and the summary.
    glossary: Glossary | None = None
    try:
        glossary = load_glossary(where)
        problems = across_concepts(glossary)
    except GlossaryInvalid as error:
        problems = error.problems
    if glossary is not None and not problems:
        warnings = lint_warnings(glossary)
        for warning in warnings:
            click.echo(f"warning: {warning}")
        extra = f", {len(warnings)} warning{'s' if len(warnings) != 1 else ''}" if warnings else ""
        click.echo(f"{where}: OK ({len(glossary.concepts)} concepts, {len(glossary.locales)} locales{extra})")
        return
    if len(problems) == 1 and problems[0].line is None:
        raise GlossaryInvalid(problems)  # missing or unreadable: the one line every command gives
    for problem in problems:
        click.echo(str(problem))
    count = len(problems)
    click.echo(f"Error: {where}: invalid glossary, {count} problem{'s' if count != 1 else ''}", err=True)
    raise click.exceptions.Exit(GlossaryInvalid.exit_code)


def _concept_record(glossary: Glossary, concept_id: str, locales: tuple[str, ...]) -> dict[str, Any]:
    concept = glossary.concept(concept_id)
    return {
        "id": concept.id,
        "subject": concept.subject,
        "policy": concept.policy.value,
        "quotation": concept.quotation.value,
        "use_instead": concept.use_instead,
        "definition": concept.definition,
        "note": concept.note,
        "first_mention": {k: v for k, v in concept.first_mention.items() if k in locales},
        "terms": {
            locale: [
                {
                    "text": r.text,
                    "status": r.status.value,
                    "forms": list(r.forms),
                    "stem": r.stem,
                    "stem_max": r.stem_max if r.stem else None,
                    "note": r.note,
                }
                for r in concept.terms.get(locale, ())
            ]
            for locale in locales
            if locale in concept.terms
        },
    }


@glossary_group.command("show")
@click.argument("concept", required=False)
@click.option("--locale", "locale_name", default=None, help="Only this locale (and the source).")
@_JSON_OPTION
@_GLOSSARY_OPTION
def show_command(concept: str | None, locale_name: str | None, as_json: bool, glossary_path: Path | None) -> None:
    """List the concepts, or show one concept with its renderings and notes.

    \b
    Examples:
      termguard glossary show
      termguard glossary show karabakh --locale de --json
    """
    from glossary.matching import visible

    glossary = _load(glossary_path)
    locales = glossary.locales
    if locale_name is not None:
        locale = _locale(locale_name, glossary)
        locales = tuple(dict.fromkeys((glossary.source, locale)))
    ids = [concept] if concept else list(glossary.concepts)
    with value_of("CONCEPT", UnknownConcept):
        records = [_concept_record(glossary, concept_id, locales) for concept_id in ids]
    if as_json:
        _print_json(records)
        return
    if concept is None:
        for record in records:
            names = []
            for locale in locales:
                preferred = glossary.preferred(record["id"], locale)
                if preferred is not None:
                    names.append(f"{locale}: {preferred.text}")
            click.echo(visible(f"{record['id']} ({record['policy']}) " + "; ".join(names)))
        return
    record = records[0]
    click.echo(visible(f"{record['id']}  policy: {record['policy']}  quotation: {record['quotation']}"))
    if record["use_instead"]:
        click.echo(visible(f"  use instead: {record['use_instead']}"))
    if record["subject"]:
        click.echo(visible(f"  subject: {record['subject']}"))
    click.echo(visible(f"  definition: {record['definition']}"))
    click.echo(visible(f"  note: {record['note']}"))
    for locale, renderings in record["terms"].items():
        click.echo(visible(f"  {locale} ({display_name(locale)}):"))
        for rendering in renderings:
            extra = f" forms: {', '.join(rendering['forms'])}" if rendering["forms"] else ""
            if rendering["stem"]:
                extra += f" stem: {rendering['stem']} (+{rendering['stem_max']})"
            click.echo(visible(f"    {rendering['text']} [{rendering['status']}]{extra}"))
            if rendering["note"]:
                click.echo(visible(f"      note: {rendering['note']}"))
        if locale in record["first_mention"]:
            click.echo(visible(f"    first mention: {record['first_mention'][locale]}"))


@glossary_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_JSON_OPTION
@_GLOSSARY_OPTION
def check_source_command(file: Path, as_json: bool, glossary_path: Path | None) -> None:
    """List contested terms in an English source, each with its editorial note.

    Exit 1 if a deprecated or forbidden term (or a quotation-only term) is
    used in our own voice.

    \b
    Examples:
      termguard glossary check article.txt
      termguard glossary check article.txt --json --glossary my-glossary.yaml
    """
    from glossary.judge.checks import check_source

    glossary = _load(glossary_path)
    findings = check_source(_lines(file, "FILE"), glossary)
    if as_json:
        _print_json([finding.to_dict() for finding in findings])
    else:
        for finding in findings:
            click.echo(_describe(finding))
        if not findings:
            click.echo("no contested terms found")
    errors = [f for f in findings if f.is_error]
    if errors:
        raise click.exceptions.Exit(1)


@click.command("check", cls=Command)
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("translation", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--locale", "locale_name", required=True, help="Locale of the translation, e.g. de or pt_BR.")
@_GLOSSARY_OPTION
@_JSON_OPTION
def check_command(
    source: Path, translation: Path, locale_name: str, glossary_path: Path | None, as_json: bool
) -> None:
    """Check a translation against the glossary, paragraph by paragraph.

    Line i of TRANSLATION must translate line i of SOURCE (blank lines kept).
    Exit 0 when clean (review flags do not fail), 1 on violations, 2 on bad
    input.

    \b
    Examples:
      termguard check article.txt article.de.txt --locale de
      termguard check article.txt article.pt.txt --locale pt-BR --json
    """
    glossary = _load(glossary_path)
    locale = _locale(locale_name, glossary)
    source_lines = _lines(source, "SOURCE")
    target_lines = _lines(translation, "TRANSLATION")
    if len(source_lines) != len(target_lines):
        raise click.UsageError(
            f"{source} has {len(source_lines)} lines but {translation} has {len(target_lines)}; "
            "line i of the translation must translate line i of the source"
        )
    from glossary.judge.checks import check_document

    violations = check_document(source_lines, target_lines, glossary, locale)
    if as_json:
        _print_json([violation.to_dict() for violation in violations])
    else:
        for violation in violations:
            click.echo(_describe(violation))
        errors = sum(1 for v in violations if v.is_error)
        reviews = len(violations) - errors
        click.echo(f"{errors} violation{'s' if errors != 1 else ''}, {reviews} for review", err=True)
    if any(v.is_error for v in violations):
        raise click.exceptions.Exit(1)
