"""``termguard catalog ...``: status, compile, render and check of the gettext catalogs.

Thin: parses options, calls translate.catalogs (and glossary.judge.checks), prints.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from translate.cli.errors import Group

# The catalog store is imported inside the commands: the rest of the CLI starts without it.

DEFAULT_CATALOG_DIR = "locales"
_STAT_KEYS = ("translated", "fuzzy", "untranslated", "obsolete", "violations", "waived")

_catalog_dir_option = click.option(
    "--catalog-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_CATALOG_DIR,
    show_default=True,
    help="Folder holding <locale>/LC_MESSAGES/<domain>.po.",
)


def _normalize_locale(locale: str) -> str:
    """The glossary's canonical form (pt-br -> pt_BR); UnknownLocale (exit 2) goes up to the group."""
    from glossary.termbase.locales import normalize_locale

    return normalize_locale(locale)


def _display_name(locale: str) -> str:
    from babel import UnknownLocaleError

    from glossary.errors import TermguardError
    from glossary.termbase.locales import display_name

    try:
        return str(display_name(locale))
    except (TermguardError, UnknownLocaleError, ValueError, TypeError):  # a folder name Babel does not know
        return locale


def _catalogs(catalog_dir: Path, locale: str | None = None) -> list[tuple[str, str, Path]]:
    from translate.catalogs.folder import catalogs_of, iter_catalogs

    if locale is None:
        return list(iter_catalogs(catalog_dir))
    return [(locale, domain, path) for domain, path in catalogs_of(catalog_dir, locale)]


@click.group("catalog", cls=Group)
def catalog_group() -> None:
    """Inspect, compile and render the per-locale gettext catalogs.

    \b
    Examples:
      termguard catalog status
      termguard catalog render --locale de -o article.de.txt
      termguard catalog check --locale de --json
      termguard catalog compile --catalog-dir locales
    """


def _load_glossary(glossary_path: Path | None) -> Any:
    from glossary import load_glossary

    return load_glossary(glossary_path)  # GlossaryInvalid: reported by translate.cli.errors, like everywhere


def _judged(path: Path, glossary: Any, locale: str) -> list[Any] | None:
    """The judge's verdicts on the catalog as one document; None if the glossary lacks the locale."""
    from glossary.judge import Judge
    from translate.catalogs.judging import catalog_document, judge_lines
    from translate.catalogs.reading import load_catalog

    po = load_catalog(path)  # a broken catalog is an error even where the glossary has no locale
    if _normalize_locale(locale) not in glossary.locales:
        return None
    return judge_lines(Judge(glossary, _normalize_locale(locale)), catalog_document(po))


@catalog_group.command("status")
@_catalog_dir_option
@click.option("--glossary", "glossary_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Glossary YAML the violations are judged with (default: the curated one).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def status(catalog_dir: Path, glossary_path: Path | None, as_json: bool) -> None:
    """Translated, fuzzy, untranslated, obsolete and violation counts per catalog.

    Violations are the judge's unresolved occurrences in the whole catalog (the
    same as `catalog check` and `report`); "-" when the glossary has no
    renderings for the catalog's locale.

    \b
    Examples:
      termguard catalog status
      termguard catalog status --catalog-dir out/locales --json
    """
    from translate.catalogs.errors import CatalogError
    from translate.catalogs.folder import catalog_stats

    glossary = _load_glossary(glossary_path)
    rows: list[dict[str, Any]] = []
    errors: list[str] = []
    for locale, domain, path in _catalogs(catalog_dir):
        try:
            stats = catalog_stats(path)
            judged = _judged(path, glossary, locale)
        except (CatalogError, click.UsageError) as error:
            errors.append(str(error.message if isinstance(error, click.UsageError) else error))
            continue
        stats["violations"] = None if judged is None else sum(1 for _line, v in judged if v.is_error)  # type: ignore[assignment]  # None: the glossary lacks the locale
        stats["waived"] = None if judged is None else sum(1 for _line, v in judged if v.waived)  # type: ignore[assignment]  # None: the glossary lacks the locale
        rows.append({"locale": locale, "language": _display_name(locale), "domain": domain,
                     "path": str(path), **stats})
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows and not errors:
        click.echo(f"no catalogs in {catalog_dir}")
    elif rows:  # a table with no row would only bury the error lines below
        header = ("locale", "language", "domain", *_STAT_KEYS)
        table = [header] + [tuple("-" if r[k] is None else str(r[k]) for k in header) for r in rows]
        widths = [max(len(row[i]) for row in table) for i in range(len(header))]
        for row in table:
            click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    for message in errors:
        click.echo(f"error: {message}", err=True)
    if errors:
        raise click.exceptions.Exit(1)


@catalog_group.command("compile")
@_catalog_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the written .mo files as JSON.")
def compile_(catalog_dir: Path, as_json: bool) -> None:
    """Write a .mo file next to every .po file (reviewed entries only).

    \b
    Examples:
      termguard catalog compile
      termguard catalog compile --catalog-dir out/locales --json
    """
    from translate.catalogs.folder import compile_catalog

    catalogs = _catalogs(catalog_dir)
    if not catalogs:
        raise click.ClickException(f"no catalogs in {catalog_dir}")
    written = []
    for locale, domain, path in catalogs:
        target = compile_catalog(path)  # CatalogError: one line, by translate.cli.errors
        written.append({"locale": locale, "domain": domain, "po": str(path), "mo": str(target)})
        if not as_json:
            click.echo(str(target))
    if as_json:
        click.echo(json.dumps(written, ensure_ascii=False, indent=2))


@catalog_group.command("render")
@click.option("--locale", "locale", required=True, help="Locale of the catalog, e.g. de or pt_BR.")
@click.option("--domain", default=None, help="Catalog domain; needed if the locale has several.")
@click.option("--fuzzy/--no-fuzzy", default=True, show_default=True,
              help="Use fuzzy (unreviewed) translations; with --no-fuzzy they fall back to the source.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of standard output.")
@_catalog_dir_option
def render(locale: str, domain: str | None, fuzzy: bool, output: Path | None, catalog_dir: Path) -> None:
    """Rebuild the translated document in the source layout.

    \b
    Examples:
      termguard catalog render --locale de
      termguard catalog render --locale de --domain article --no-fuzzy -o article.de.txt
    """
    from glossary.files import write_text
    from translate.catalogs.folder import find_catalog
    from translate.catalogs.render import render_document

    path = find_catalog(catalog_dir, _normalize_locale(locale), domain)
    text, fallbacks = render_document(path, fuzzy=fuzzy)  # errors: one line, by translate.cli.errors
    if output is None:
        click.echo(text, nl=False)
    else:
        write_text(output, text)
    plural = "" if fallbacks == 1 else "s"
    click.echo(f"{fallbacks} paragraph{plural} fell back to the source text", err=True)


@catalog_group.command("check")
@click.option("--locale", "locale", default=None, help="Check only this locale's catalogs.")
@_catalog_dir_option
@click.option("--glossary", "glossary_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Glossary YAML file (default: the curated one).")
@click.option("--json", "as_json", is_flag=True, help="Print every verdict as JSON records.")
def check(locale: str | None, catalog_dir: Path, glossary_path: Path | None, as_json: bool) -> None:
    """Judge every catalog as one document against the glossary; exit 1 on violations.

    Reviewed and machine entries alike (the whole output a render would
    publish); each finding says which. Waived findings are shown, not counted.

    \b
    Examples:
      termguard catalog check
      termguard catalog check --locale de --glossary my-glossary.yaml --json
    """
    from glossary.matching import visible
    from translate.catalogs.judging import entry_state

    if locale is not None:
        locale = _normalize_locale(locale)
    catalogs = _catalogs(catalog_dir, locale)
    if not catalogs:
        where = f" for locale {locale!r}" if locale else ""
        raise click.UsageError(f"no catalogs{where} in {catalog_dir}")
    glossary = _load_glossary(glossary_path)
    errors = 0
    records: list[dict[str, Any]] = []
    for cat_locale, _domain, path in catalogs:
        judged = _judged(path, glossary, cat_locale)
        if judged is None:
            message = f"the glossary has no locale {_normalize_locale(cat_locale)!r}"
            if locale is not None:
                raise click.ClickException(f"{path}: {message}")
            click.echo(f"{path}: skipped: {message}", err=True)
            continue
        for line, verdict in judged:
            entry = line.entry
            if as_json:
                records.append({"catalog": str(path), "locale": cat_locale, "line": entry.linenum,
                                "state": entry_state(entry), **verdict.to_dict()})
            errors += verdict.is_error
            if as_json or verdict.kind in ("ok", "quoted"):
                continue
            where = f"{path}:{entry.linenum}" if entry.linenum else str(path)
            ref = f" ({entry.occurrences[0][0]}:{line.number})" if entry.occurrences else ""
            source = f" source {verdict.source!r};" if verdict.source else ""
            found = f" found {verdict.found!r}" if verdict.found else ""
            expected = f", expected {' / '.join(verdict.expected)}" if verdict.expected else ""
            waived = f" (waived by {verdict.waived})" if verdict.waived else ""
            click.echo(visible(f"{where}{ref}: {verdict.kind} [{verdict.concept}]{source}{found}{expected}"
                               f" [{entry_state(entry)}]{waived}"))
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    if errors:
        plural = "" if errors == 1 else "s"
        raise click.ClickException(f"{errors} glossary violation{plural} in the catalogs")
    if not as_json:
        click.echo("no glossary violations in the catalogs")


@catalog_group.command("waive")
@click.option("--locale", "locale", required=True, help="Locale of the catalog, e.g. de or pt_BR.")
@click.option("--domain", default=None, help="Catalog domain; needed if the locale has several.")
@click.option("--line", "line", type=click.IntRange(1), required=True,
              help="Source line of the paragraph (as `catalog check` shows it: (article.txt:LINE)).")
@click.option("--concept", required=True, help="Concept id of the finding.")
@click.option("--kind", required=True, help="Kind of the finding (missing, forbidden, inconsistent, ...).")
@click.option("--by", "by", required=True, help="Who accepts the finding.")
@click.option("--reason", required=True, help="Why it is acceptable here.")
@_catalog_dir_option
@click.option("--glossary", "glossary_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Glossary YAML file (default: the curated one).")
def waive(locale: str, domain: str | None, line: int, concept: str, kind: str, by: str, reason: str,
          catalog_dir: Path, glossary_path: Path | None) -> None:
    """Accept one finding on one catalog entry, saying who and why.

    The waiver is written into the entry (a translator comment and the flag
    termguard-waived) and holds only while the entry's text is unchanged:
    every command then shows the finding as waived, not as an error.

    \b
    Examples:
      termguard catalog check --locale de --json      # findings with their lines
      termguard catalog waive --locale de --line 42 --concept karabakh --kind inconsistent \\
          --by anna --reason "the quoted title keeps its own spelling"
    """
    from glossary.files import ConcurrentEditError, snapshot, write_bytes
    from translate.catalogs.folder import find_catalog
    from translate.catalogs.judging import catalog_document
    from translate.catalogs.reading import load_catalog
    from translate.catalogs.waivers import add_waiver

    path = find_catalog(catalog_dir, _normalize_locale(locale), domain)
    glossary = _load_glossary(glossary_path)
    if not by.strip() or not reason.strip():
        raise click.BadParameter("say who accepts the finding and why", param_hint="--by/--reason")
    before = snapshot(path)
    po = load_catalog(path)
    judged = _judged(path, glossary, locale)
    if judged is None:
        raise click.UsageError(f"the glossary has no locale {locale!r}")
    lines = {item.number: item for item in catalog_document(po)}
    if line not in lines:
        raise click.BadParameter(f"no catalog entry for source line {line}", param_hint="--line")
    findings = [v for item, v in judged if item.number == line and v.concept == concept and v.kind == kind]
    if not findings:
        here = sorted({f"{v.concept} {v.kind}" for item, v in judged if item.number == line and v.is_error})
        raise click.BadParameter(
            f"line {line} has no {kind} finding for {concept!r}"
            + (f" (it has: {', '.join(here)})" if here else " (it has no finding)"), param_hint="--concept/--kind")
    add_waiver(lines[line].entry, concept, kind, by, reason)
    try:
        write_bytes(path, str(po).encode("utf-8"), expect=before)
    except ConcurrentEditError:
        raise ConcurrentEditError(f"{path} changed while the waiver was written; nothing was written, "
                                  "run the command again") from None
    click.echo(f"{path}: line {line}: {kind} [{concept}] waived by {' '.join(by.split())}")
