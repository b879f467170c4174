"""The termguard command line: one click group; each command group in a module of its own, thin."""

from __future__ import annotations

import click

from translate import __version__
from translate.cli.errors import EXIT_INTERRUPTED, Group  # noqa: F401 - EXIT_INTERRUPTED is re-exported


class _TermguardGroup(Group):
    """The top-level group; errors are mapped in translate.cli.errors, the one place for every command."""


@click.group(cls=_TermguardGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="termguard")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Translate news offline with Argos models and a glossary of contested terms.

    Settings repeated on every command (glossary, catalog-dir, domain, locales)
    can live in a termguard.toml, or under [tool.termguard] in pyproject.toml,
    in this folder or a parent; options on the command line override them.

    \b
    Typical use:
      termguard models install-file translate-en_de.argosmodel
      termguard translate article.txt --to de,fr
      termguard check article.txt article.de.txt --locale de
    """
    from translate.cli.project import apply_project

    apply_project(ctx)


# The subcommand modules hold only Click code; the library behind them is
# imported inside each command, so `termguard --help` stays instant.
from translate.cli.catalog import catalog_group  # noqa: E402
from translate.cli.exchange import exchange_commands  # noqa: E402
from translate.cli.glossary import check_command, glossary_group  # noqa: E402
from translate.cli.models import models  # noqa: E402
from translate.cli.report import report_command  # noqa: E402
from translate.cli.review import review_commands  # noqa: E402
from translate.cli.translate import translate_command  # noqa: E402

for _command in (*exchange_commands, *review_commands):
    glossary_group.add_command(_command)
main.add_command(models)
main.add_command(translate_command)
main.add_command(glossary_group)
main.add_command(check_command)
main.add_command(catalog_group)
main.add_command(report_command)
