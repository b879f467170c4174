"""``termguard report``: one self-contained HTML review page for a locale's catalog.

Thin: finds the catalog, loads the glossary, calls ``translate.report`` and
writes the page atomically. Errors are one line: exit 2 for bad input (an
unknown locale, no catalog for it, several domains and no ``--domain``), exit 1
for failures (a catalog or glossary that does not parse, a write that failed).
"""

from __future__ import annotations

from pathlib import Path

import click

from translate.cli_errors import Command

from glossary.errors import GlossaryError, GlossaryInvalid, UnknownLocale
from translate.errors import TermguardError

__all__ = ["report_command"]

DEFAULT_CATALOG_DIR = "locales"


class BadInput(click.ClickException):
    """Bad input: one line (no usage text), exit 2 like a usage error."""

    exit_code = 2


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    head = lines[0] if lines else type(error).__name__
    problems = getattr(error, "problems", None) or []
    if isinstance(error, GlossaryInvalid) and problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return f"{first.path}: invalid glossary: {first.message}{more}"
    return head


def _find_catalog(catalog_dir: Path, locale: str, domain: str | None) -> Path:
    from glossary.locales import normalize_locale
    from translate.catalog import iter_catalogs

    def same_locale(folder: str) -> bool:
        # A folder named pt-BR or pt_br holds the pt_BR catalog too.
        try:
            return normalize_locale(folder) == locale
        except UnknownLocale:
            return False

    found = [(d, path) for loc, d, path in iter_catalogs(catalog_dir) if same_locale(loc)]
    if domain is not None:
        chosen = [path for d, path in found if d == domain]
        if not chosen:
            others = f" (it has: {', '.join(d for d, _ in found)})" if found else ""
            raise BadInput(f"no catalog for locale {locale!r}, domain {domain!r} in {catalog_dir}{others}")
        return chosen[0]
    if not found:
        raise BadInput(f"no catalog for locale {locale!r} in {catalog_dir}")
    if len(found) > 1:
        names = ", ".join(d for d, _ in found)
        raise BadInput(f"locale {locale!r} has several domains ({names}); pick one with --domain")
    return found[0][1]


@click.command("report", cls=Command)
@click.option("--locale", "locale", required=True, help="Locale of the catalog, e.g. de or pt_BR.")
@click.option("--domain", default=None, help="Catalog domain; needed if the locale has several.")
@click.option("--catalog-dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_CATALOG_DIR,
              show_default=True, help="Folder holding <locale>/LC_MESSAGES/<domain>.po.")
@click.option("--glossary", "glossary_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Glossary YAML (default: the curated glossary).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The HTML file to write.")
def report_command(locale: str, domain: str | None, catalog_dir: Path, glossary_path: Path | None,
                   output: Path) -> None:
    """Write an HTML review page: source and translation side by side, glossary outcomes highlighted.

    The page is one file with no external resources; it opens offline in any
    browser and prints cleanly.
    """
    from glossary.load import load_glossary
    from glossary.locales import normalize_locale
    from translate.atomic import AtomicWriteError, atomic_write_bytes
    from translate.report import build_report, render_html

    try:
        locale = normalize_locale(locale)
    except UnknownLocale as error:
        raise BadInput(_first_line(error)) from None
    path = _find_catalog(catalog_dir, locale, domain)
    try:
        glossary = load_glossary(glossary_path)
        data = build_report(path, glossary, locale)
    except UnknownLocale as error:
        raise BadInput(_first_line(error)) from None
    except (GlossaryError, TermguardError) as error:
        raise click.ClickException(_first_line(error)) from None
    try:
        atomic_write_bytes(output, render_html(data).encode("utf-8"))
    except AtomicWriteError as error:
        raise click.ClickException(str(error.strerror or error)) from None  # names the file already
    counts = data.counts
    summary = ", ".join(f"{counts[o]} {o}" for o in counts if counts[o])
    click.echo(
        f"{output}: {len(data.paragraphs)} paragraphs, {data.needs_editor} need an editor"
        + (f"; occurrences: {summary}" if summary else "")
    )
