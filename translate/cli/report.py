"""``termguard report``: one self-contained HTML review page for a locale's catalog.

Thin: finds the catalog, loads the glossary, calls ``translate.review_page.page`` and
writes the page through glossary.files. Errors are one line: exit 2 for bad
input (an unknown locale, no catalog for it, several domains and no
``--domain``, an invalid glossary), exit 1 for failures (a catalog that does
not parse, a write that failed).
"""

from __future__ import annotations

from pathlib import Path

import click

from translate.cli.errors import Command

__all__ = ["report_command"]

DEFAULT_CATALOG_DIR = "locales"


@click.command("report", cls=Command)
@click.option("--locale", "locale", required=True, help="Locale of the catalog, e.g. de or pt_BR.")
@click.option("--domain", default=None, help="Catalog domain; needed if the locale has several.")
@click.option("--catalog-dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_CATALOG_DIR,
              show_default=True, help="Folder holding <locale>/LC_MESSAGES/<domain>.po.")
@click.option("--glossary", "glossary_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Glossary YAML (default: the curated glossary).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The HTML file to write.")
@click.option("--json", "as_json", is_flag=True, help="Print what the page shows as a JSON summary.")
def report_command(locale: str, domain: str | None, catalog_dir: Path, glossary_path: Path | None,
                   output: Path, as_json: bool) -> None:
    """Write an HTML review page: source and translation side by side, glossary outcomes highlighted.

    The page is one file with no external resources; it opens offline in any
    browser and prints cleanly.

    \b
    Examples:
      termguard report --locale de -o review-de.html
      termguard report --locale de --domain article --catalog-dir out/locales -o review.html --json
    """
    import json

    from glossary.files import write_text
    from glossary.termbase.load import load_glossary
    from glossary.termbase.locales import normalize_locale
    from translate.review_page.page import build_report, render_html

    # Library errors (unknown locale, invalid glossary, broken catalog, a failed
    # write) go up to translate.cli.errors: one line, the class's exit code.
    locale = normalize_locale(locale)
    from translate.catalogs.folder import find_catalog

    path = find_catalog(catalog_dir, locale, domain)
    glossary = load_glossary(glossary_path)
    data = build_report(path, glossary, locale)
    write_text(output, render_html(data))
    counts = data.counts
    if as_json:
        click.echo(json.dumps({"output": str(output), "catalog": str(path), "locale": locale,
                               "paragraphs": len(data.paragraphs), "needs_editor": data.needs_editor,
                               "occurrences": dict(counts)}, ensure_ascii=False, indent=2))
        return
    summary = ", ".join(f"{counts[o]} {o}" for o in counts if counts[o])
    click.echo(
        f"{output}: {len(data.paragraphs)} paragraphs, {data.needs_editor} need an editor"
        + (f"; occurrences: {summary}" if summary else "")
    )
