"""`glossary export` and `glossary import`: TBX, CSV (DeepL, Amazon) and PO.

Click commands only; the work is in glossary.exchange.tbx, glossary.exchange.csvx,
glossary.exchange.po and glossary.edit.changes. `exchange_commands` lists the
commands for the `glossary` group.

Exit codes: 0 success; 2 bad input (the file to import, a bad option, an
invalid glossary, listing its problems); 1 any other failure (a file that
cannot be written, the glossary changed meanwhile). Library errors are
reported by translate.cli.errors, as in every command. Nothing is written
when any problem is found.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from translate.cli.errors import Command
from translate.errors import FileWriteError, InputError

FORMATS = ("tbx", "csv", "po")
MAX_IMPORT_BYTES = 64 * 1024 * 1024
SHAPES = ("deepl", "amazon")


def _note(message: str) -> None:
    click.echo(message, err=True)


def _load(path: Path | None) -> Any:
    """The glossary to export from or import into (curated by default); bad glossary = exit 2."""
    from glossary import load_glossary

    return load_glossary(path)  # GlossaryInvalid: exit 2, reported by translate.cli.errors


def _read_history(path: Path | None) -> list[dict[str, Any]]:
    if path is None:
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"{path}: cannot read the history file: {error.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"{path}: not a JSON file: {error}") from None
    if not isinstance(data, list):
        raise InputError(f"{path}: the history must be a JSON list of records")
    return data


def _write(path: Path, data: str | bytes) -> None:
    from glossary.edit.yaml_write import write_atomic

    try:
        write_atomic(path, data)
    except OSError as error:
        raise FileWriteError(f"{path}: cannot write: {error.strerror}") from None


# ---------------------------------------------------------------- export


@click.command("export", cls=Command)
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="Exchange format.")
@click.option("--locale", "locales", multiple=True,
              help="Target locale (csv: exactly one; po: one or more, default every target locale).")
@click.option("--shape", type=click.Choice(SHAPES), default="deepl", show_default=True,
              help="CSV shape: DeepL glossary or Amazon Translate custom terminology.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Output file (default: stdout; po: glossary.<locale>.po in the current folder).")
@click.option("--into", "into", type=click.Path(path_type=Path, file_okay=False),
              help="po: write DIR/<locale>/LC_MESSAGES/glossary.po instead (e.g. a catalog folder, "
                   "only when you ask for it).")
@click.option("--glossary", "glossary_path", type=click.Path(path_type=Path),
              help="Glossary YAML (default: the curated glossary).")
@click.option("--history", "history_path", type=click.Path(path_type=Path, dir_okay=False),
              help="tbx: JSON list of history records to include as transacGrp.")
def export_command(fmt: str, locales: tuple[str, ...], shape: str, output: Path | None,
                   into: Path | None, glossary_path: Path | None, history_path: Path | None) -> None:
    """Export the glossary as TBX-Basic, a DeepL/Amazon CSV, or PO files per locale.

    \b
    Examples:
      termguard glossary export --format tbx -o glossary.tbx
      termguard glossary export --format csv --locale de --shape amazon -o en-de.csv
      termguard glossary export --format po --locale pt_BR
      termguard glossary export --format po --locale de --into exchange/

    A PO export never goes into the catalog folder (locales/) unless --into
    or -o says so: there it would be taken for a catalog of translations.
    """

    if fmt != "tbx" and history_path is not None:
        raise click.UsageError("--history applies to --format tbx only")
    if fmt == "csv" and len(locales) != 1:
        raise click.UsageError("--format csv needs exactly one --locale")
    if fmt != "po" and into is not None:
        raise click.UsageError("--into applies to --format po only")
    if fmt == "tbx" and locales:
        raise click.UsageError("--locale does not apply to --format tbx (it carries every locale)")
    glossary = _load(glossary_path)
    if fmt == "tbx":
        from glossary.exchange.tbx.writer import export_tbx

        data = export_tbx(glossary, _read_history(history_path))
        if output is None:
            click.echo(data, nl=False)
        else:
            _write(output, data)
            _note(f"wrote {output} ({len(glossary.concepts)} concepts)")
    elif fmt == "csv":
        from glossary.exchange.csvx import export_csv

        text = export_csv(glossary, locales[0], shape=shape)  # type: ignore[arg-type]
        if output is None:
            click.echo(text, nl=False)
        else:
            _write(output, text)
            _note(f"wrote {output} ({shape} shape, {len(text.splitlines())} lines)")
    else:
        from glossary.exchange.po import export_po, po_path, write_po

        targets = list(locales) or [loc for loc in glossary.locales if loc != glossary.source]
        if output is not None and len(targets) != 1:
            raise click.UsageError("-o needs exactly one --locale with --format po")
        if output is not None and into is not None:
            raise click.UsageError("give -o FILE or --into DIR, not both")
        catalogs = [(loc, export_po(glossary, loc)) for loc in targets]
        for locale, po in catalogs:
            if output is not None:
                path = output
            elif into is not None:
                path = po_path(into, locale)
            else:
                path = Path(f"glossary.{locale}.po")
            try:
                write_po(po, path)
            except OSError as error:
                raise FileWriteError(f"{path}: cannot write: {error.strerror}") from None
            click.echo(f"wrote {path} ({len(po)} entries)")


# ---------------------------------------------------------------- import


def _tbx_changes(file: Path, data: bytes, glossary_path: Path | None, output: Path | None) -> tuple[Any, Any, list[Any]]:
    from glossary.edit.changes import edits_between
    from glossary.exchange.tbx.reader import import_tbx
    from glossary.termbase.model import Glossary

    imported, history = import_tbx(data, str(file))
    if output is not None and glossary_path is None:
        # Writing a new file: compare with the curated glossary if it loads,
        # else list everything as new.
        from glossary import GlossaryError, load_glossary

        try:
            current = load_glossary(None)
        except GlossaryError:
            current = Glossary(source=imported.source, locales=imported.locales, concepts={})
    else:
        current = _load(glossary_path)
    return imported, history, edits_between(current, imported)


@click.command("import", cls=Command)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="Format of FILE.")
@click.option("--locale", help="csv: the target locale (required); po: default from the file's Language header.")
@click.option("--shape", type=click.Choice(SHAPES), default="deepl", show_default=True, help="CSV shape.")
@click.option("--glossary", "glossary_path", type=click.Path(path_type=Path),
              help="Glossary YAML to compare with and edit (default: the curated glossary).")
@click.option("--apply", "apply_", is_flag=True,
              help="Record the changes as a proposal; with --by and --reason, approve it at once.")
@click.option("--by", default=None, metavar="NAME", help="With --apply: who approves the import now.")
@click.option("--reason", default=None, help="With --apply: why (recorded in the history).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="tbx: write the imported glossary to this new YAML file instead of editing --glossary.")
@click.option("--history-out", type=click.Path(path_type=Path, dir_okay=False),
              help="tbx: with --apply, write the history records found in FILE as JSON.")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
def import_command(file: Path, fmt: str, locale: str | None, shape: str, glossary_path: Path | None,
                   apply_: bool, by: str | None, reason: str | None, output: Path | None,
                   history_out: Path | None, as_json: bool) -> None:
    """List the changes FILE would make to the glossary; propose them with --apply.

    One line per change. A changed PO msgstr or CSV target proposes a new
    preferred rendering (the old one becomes admitted). Any problem in FILE
    is reported, one line each, and nothing is written. `--apply` records
    the changes as one proposal for an editor to approve; with `--by` and
    `--reason` it is approved at once. Either way it is in the history.

    \b
    Examples:
      termguard glossary import locales/de/LC_MESSAGES/glossary.po --format po
      termguard glossary import en-de.csv --format csv --locale de --apply
      termguard glossary import en-de.csv --format csv --locale de --apply --by ana --reason "desk list"
      termguard glossary import desk.tbx --format tbx -o glossary.yaml --apply
    """
    from glossary.errors import GlossaryInvalid
    from glossary.review.errors import ProposalInvalid
    from glossary.termbase.load import default_glossary_path

    if fmt != "tbx" and (output is not None or history_out is not None):
        raise click.UsageError("-o and --history-out apply to --format tbx only")
    if fmt == "tbx" and locale is not None:
        raise click.UsageError("--locale does not apply to --format tbx (it carries every locale)")
    if fmt == "csv" and locale is None:
        raise click.UsageError("--format csv needs --locale")
    from glossary.files import read_bytes

    # Bounded like every input: /dev/zero or an endless FIFO is one line, not a MemoryError.
    data = read_bytes(file, limit=MAX_IMPORT_BYTES, what="file to import")
    notes: list[str] = []
    history: list[Any] = []
    imported = None
    if fmt == "tbx":
        imported, history, changes = _tbx_changes(file, data, glossary_path, output)
    elif fmt == "csv":
        from glossary.exchange.csvx import import_csv

        glossary = _load(glossary_path)
        changes = import_csv(data, glossary, locale or "", shape, str(file))  # type: ignore[arg-type]
        notes = list(getattr(changes, "notes", []))
    else:
        from glossary.exchange.po import import_po

        glossary = _load(glossary_path)
        changes = import_po(file, glossary, locale)
        notes = list(getattr(changes, "notes", []))

    target = output if output is not None else (glossary_path or default_glossary_path())
    if as_json:
        click.echo(json.dumps(
            {
                "file": str(file),
                "glossary": str(target),
                "changes": [change.to_json() for change in changes],
                "notes": notes,
                "history_records": len(history),
                "applied": apply_,
            },
            ensure_ascii=False,
            indent=2,
        ))
    else:
        for note in notes:
            _note(f"note: {note}")
        for change in changes:
            click.echo(change.describe())
    if fmt == "tbx" and history:
        _note(f"{len(history)} history record(s) in {file}")

    if not apply_:
        if changes or (output is not None and imported is not None):
            _note(f"{len(changes)} change(s); nothing written (pass --apply to write {target})")
        else:
            _note("no changes")
        return
    if output is not None and imported is not None:
        from glossary.edit.yaml_write import dump_glossary

        _write(output, dump_glossary(imported))
        _note(f"wrote {output} ({len(imported.concepts)} concepts)")
    elif changes:
        from glossary.review.workflow import GlossaryReview

        review = GlossaryReview(target)
        at_once = by is not None and bool((reason or "").strip())
        try:
            proposal, _plan = review.propose_edits(
                list(changes), reason or f"import of {file.name}", by=by, source=str(file),
                approve_reason=reason if at_once else None,
            )
        except ProposalInvalid as error:
            # The edited glossary would not validate: the input asks for
            # something the format forbids; its problems are the report.
            if error.problems:
                raise GlossaryInvalid(error.problems) from None
            raise
        if at_once:
            _note(f"applied {len(changes)} change(s) to {target} as {proposal.id}, approved by {proposal.decided_by}")
        else:
            glossary_hint = f" --glossary {glossary_path}" if glossary_path is not None else ""
            _note(f"{proposal.id} proposed: {len(changes)} change(s) to {target}; approve it with "
                  f"termguard glossary approve {proposal.id}{glossary_hint} --by NAME --reason TEXT")
    else:
        _note("no changes")
    if history_out is not None:
        _write(history_out, json.dumps(history, ensure_ascii=False, indent=2) + "\n")
        _note(f"wrote {history_out} ({len(history)} history records)")


exchange_commands: list[click.Command] = [export_command, import_command]

__all__ = ["exchange_commands", "export_command", "import_command"]
