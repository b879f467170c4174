"""``termguard catalog ...``: status, compile, render and check of the gettext catalogs.

Thin: parses options, calls translate.catalog (and glossary.checks), prints.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from translate.atomic import AtomicWriteError, atomic_write_bytes
from translate.catalog import (
    CatalogError,
    catalog_stats,
    compile_catalog,
    entry_is_reviewed,
    iter_catalogs,
    load_catalog,
    render_document,
)

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
    """The glossary's canonical form (pt-br -> pt_BR); as given if that helper is absent."""
    try:
        from glossary.locales import normalize_locale
    except ImportError:
        return locale.strip()
    try:
        return normalize_locale(locale)
    except Exception as error:  # glossary.errors.UnknownLocale; its class may move
        raise click.UsageError(str(error)) from None


def _display_name(locale: str) -> str:
    try:
        from glossary.locales import display_name

        return str(display_name(locale))
    except Exception:  # unknown to Babel, or the glossary package is absent
        try:
            from babel import Locale

            return str(Locale.parse(locale).english_name)
        except Exception:
            return locale


def _catalogs(catalog_dir: Path, locale: str | None = None) -> list[tuple[str, str, Path]]:
    found = list(iter_catalogs(catalog_dir))
    if locale is not None:
        found = [c for c in found if c[0] == locale]
    return found


@click.group("catalog")
def catalog_group() -> None:
    """Inspect, compile and render the per-locale gettext catalogs."""


def _load_glossary(glossary_path: Path | None) -> Any:
    from glossary import GlossaryError, load_glossary

    try:
        return load_glossary(glossary_path)
    except GlossaryError as error:
        # GlossaryInvalid lists one problem per line; keep the message on one line.
        parts = [part.strip() for part in str(error).splitlines() if part.strip()]
        raise click.ClickException("; ".join(parts[:3]) + ("; ..." if len(parts) > 3 else "")) from None


def _judged(path: Path, glossary: Any, locale: str) -> list[Any] | None:
    """The judge's verdicts on the catalog as one document; None if the glossary lacks the locale."""
    from glossary.judge import Judge

    from translate.catalogs.judging import judge_catalog

    if _normalize_locale(locale) not in glossary.locales:
        return None
    return judge_catalog(str(path), Judge(glossary, _normalize_locale(locale)))


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
    """
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
        stats["violations"] = None if judged is None else sum(1 for _line, v in judged if v.is_error)
        stats["waived"] = None if judged is None else sum(1 for _line, v in judged if v.waived)
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
def compile_(catalog_dir: Path) -> None:
    """Write a .mo file next to every .po file (reviewed entries only)."""
    catalogs = _catalogs(catalog_dir)
    if not catalogs:
        raise click.ClickException(f"no catalogs in {catalog_dir}")
    for _locale, _domain, path in catalogs:
        try:
            click.echo(str(compile_catalog(path)))
        except CatalogError as error:
            raise click.ClickException(str(error)) from None


@catalog_group.command("render")
@click.option("--locale", "locale", required=True, help="Locale of the catalog, e.g. de or pt_BR.")
@click.option("--domain", default=None, help="Catalog domain; needed if the locale has several.")
@click.option("--fuzzy/--no-fuzzy", default=True, show_default=True,
              help="Use fuzzy (unreviewed) translations; with --no-fuzzy they fall back to the source.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of standard output.")
@_catalog_dir_option
def render(locale: str, domain: str | None, fuzzy: bool, output: Path | None, catalog_dir: Path) -> None:
    """Rebuild the translated document in the source layout."""
    locale = _normalize_locale(locale)
    catalogs = _catalogs(catalog_dir, locale)
    if domain is not None:
        catalogs = [c for c in catalogs if c[1] == domain]
    if not catalogs:
        what = f"locale {locale!r}" + (f", domain {domain!r}" if domain else "")
        raise click.UsageError(f"no catalog for {what} in {catalog_dir}")
    if len(catalogs) > 1:
        names = ", ".join(c[1] for c in catalogs)
        raise click.UsageError(f"locale {locale!r} has several domains ({names}); pick one with --domain")
    path = catalogs[0][2]
    try:
        text, fallbacks = render_document(path, fuzzy=fuzzy)
    except CatalogError as error:
        raise click.ClickException(str(error)) from None
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            atomic_write_bytes(output, text.encode("utf-8"))
        except AtomicWriteError as error:
            raise click.ClickException(str(error.strerror or error)) from None
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
    """
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
        try:
            judged = _judged(path, glossary, cat_locale)
        except CatalogError as error:
            raise click.ClickException(str(error)) from None
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
            click.echo(f"{where}{ref}: {verdict.kind} [{verdict.concept}]{source}{found}{expected}"
                       f" [{entry_state(entry)}]{waived}")
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    if errors:
        plural = "" if errors == 1 else "s"
        raise click.ClickException(f"{errors} glossary violation{plural} in the catalogs")
    if not as_json:
        click.echo("no glossary violations in the catalogs")
