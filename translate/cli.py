"""The termguard command line: parses, calls the library, prints. Nothing else."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable, Iterator

import click

from translate import __version__
from translate.errors import InputError, MissingModel, PackageFileError, TermguardError


def _fail(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


class _Progress:
    """A click progress bar on stderr, shown only when stderr is a terminal."""

    def __init__(self, total: int | None, label: str, min_items: int = 1) -> None:
        self.enabled = sys.stderr.isatty() and (total is None or total >= min_items)
        self.total = total
        self.label = label
        self._bar: Any = None
        self._done = 0

    def __enter__(self) -> "_Progress":
        if self.enabled:
            self._bar = click.progressbar(length=self.total, label=self.label, file=sys.stderr)
            self._bar.__enter__()
        return self

    def update_to(self, done: int, total: int | None = None) -> None:
        if self._bar is None:
            return
        if total and self._bar.length != total:
            self._bar.length = total
        self._bar.update(done - self._done)
        self._done = done

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="termguard")
def main() -> None:
    """Translate news offline with Argos models and a glossary of contested terms.

    \b
    Typical use:
      termguard models install-file translate-en_de.argosmodel
      termguard translate article.txt --to de,fr
      termguard check article.txt article.de.txt --locale de
    """


# ---------------------------------------------------------------- models


@main.group()
def models() -> None:
    """Install, list and remove Argos translation models.

    Honours ARGOS_PACKAGES_DIR (where models live) and ARGOS_PACKAGE_INDEX
    (where the index is read from).
    """


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def models_list(as_json: bool) -> None:
    """List installed models: pair, version, size, path."""
    from translate import packages

    found = packages.installed_packages()
    if as_json:
        _emit_json([p.to_dict() for p in found])
        return
    if not found:
        click.echo(f"No models installed in {packages.packages_dir()}.", err=True)
        return
    for p in found:
        click.echo(f"{p.pair:<12} {p.version:<8} {_human_size(p.size):>9}  {p.path}")


@models.command("available")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def models_available(as_json: bool) -> None:
    """List the models the package index offers."""
    from translate import packages

    try:
        found = packages.fetch_index()
    except TermguardError as exc:
        raise _fail(exc) from None
    if as_json:
        _emit_json([p.to_dict() for p in found])
        return
    for p in found:
        click.echo(f"{p.from_code}->{p.to_code:<8} {p.version:<8} {p.from_name} -> {p.to_name}")


@models.command("install")
@click.argument("from_code")
@click.argument("to_code")
def models_install(from_code: str, to_code: str) -> None:
    """Download FROM_CODE->TO_CODE from the package index and install it."""
    from translate import packages

    try:
        with _Progress(None, f"Downloading {from_code}->{to_code}") as bar:
            installed = packages.install_from_index(from_code, to_code, progress=bar.update_to)
    except TermguardError as exc:
        raise _fail(exc) from None
    click.echo(f"Installed {installed.pair} {installed.version} in {installed.path}")


@models.command("install-file")
@click.argument("path", type=click.Path(path_type=Path))
def models_install_file(path: Path) -> None:
    """Install a model from a local .argosmodel file."""
    from translate import packages

    try:
        installed = packages.install_file(path)
    except PackageFileError as exc:
        raise click.UsageError(str(exc)) from None
    except (TermguardError, OSError) as exc:
        raise _fail(exc) from None
    click.echo(f"Installed {installed.pair} {installed.version} in {installed.path}")


@models.command("remove")
@click.argument("from_code")
@click.argument("to_code")
def models_remove(from_code: str, to_code: str) -> None:
    """Remove the installed FROM_CODE->TO_CODE model."""
    from translate import packages

    try:
        removed = packages.remove(from_code, to_code)
    except TermguardError as exc:
        raise _fail(exc) from None
    click.echo(f"Removed {removed.pair} from {removed.path}")


# ------------------------------------------------------------- translate


def _parse_locales(value: str) -> list[str]:
    from glossary.locales import normalize_locale
    from glossary.errors import UnknownLocale

    out: list[str] = []
    for item in (v.strip() for v in value.split(",")):
        if not item:
            continue
        try:
            locale = normalize_locale(item)
        except UnknownLocale as exc:
            raise click.BadParameter(str(exc), param_hint="--to") from None
        if locale not in out:
            out.append(locale)
    if not out:
        raise click.BadParameter("give at least one locale, e.g. --to de,fr", param_hint="--to")
    return out


def _output_path(out: Path | None, source: Path, locale: str, many: bool) -> Path | None:
    """Where one locale's translation goes; None means stdout."""
    if out is None:
        return source.with_name(f"{source.stem}.{locale}{source.suffix}") if many else None
    if "{locale}" in str(out):
        return Path(str(out).replace("{locale}", locale))
    if many:
        return out.with_name(f"{out.stem}.{locale}{out.suffix}")
    return out


def _load_glossary(path: Path | None, disabled: bool) -> Any:
    """The glossary to enforce (curated by default), or None with --no-glossary."""
    if disabled:
        return None
    from glossary import GlossaryError, load_glossary

    try:
        return load_glossary(path)
    except GlossaryError as exc:
        raise click.UsageError(str(exc).splitlines()[0] if str(exc) else repr(exc)) from None


def _outcome_table(per_locale: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Rows of outcome counts per locale, for people."""
    from collections import Counter

    outcomes = ("settled", "forced", "substituted", "unresolved", "review", "quoted")
    lines = [f"{'locale':<8}" + "".join(f"{o:>12}" for o in outcomes)]
    for locale, records in per_locale.items():
        counts = Counter(r["outcome"] for r in records)
        lines.append(f"{locale:<8}" + "".join(f"{counts.get(o, 0):>12}" for o in outcomes))
    return lines


@main.command("translate")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--to", "to", required=True, metavar="LOCALE[,LOCALE...]",
              help="Target locales, e.g. de,fr,pt_BR.")
@click.option("--from", "from_code", default="en", show_default=True, help="Source language code.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Output file. With several locales, {locale} in the name is replaced "
                   "(default: FILE.<locale>.txt next to FILE; stdout for one locale).")
@click.option("--glossary", "glossary_path", type=click.Path(path_type=Path),
              help="Glossary YAML to enforce (default: the curated glossary).")
@click.option("--no-glossary", is_flag=True, help="Translate without glossary enforcement.")
@click.option("--strict", is_flag=True, help="Exit 1 if any enforced occurrence stays unresolved.")
@click.option("--json", "as_json", is_flag=True,
              help="Print every glossary occurrence as JSON records on stdout.")
@click.option("--beam-size", type=click.IntRange(1, 32), default=4, show_default=True)
@click.option("--threads", type=click.IntRange(0, 256), default=0, show_default=True,
              help="CPU threads for decoding (0: CTranslate2's default).")
def translate_command(file: Path, to: str, from_code: str, output: Path | None,
                      glossary_path: Path | None, no_glossary: bool, strict: bool, as_json: bool,
                      beam_size: int, threads: int) -> None:
    """Translate FILE offline with the installed Argos models, enforcing the glossary.

    Every glossary occurrence gets an outcome (settled, forced, substituted,
    unresolved, review, quoted) and the ladder step that settled it; a table
    of them is printed on stderr (or JSON records with --json).
    """
    from translate import packages
    from translate.atomic import atomic_write_bytes
    from translate.codes import argos_code
    from translate.engine import DecodeOptions, Engine
    from translate.pipeline import sentence_count, translate_text
    from translate.reading import read_text

    locales = _parse_locales(to)
    try:
        text = read_text(file)
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    glossary = _load_glossary(glossary_path, no_glossary)
    options = DecodeOptions(beam_size=beam_size)
    installed = packages.installed_packages()
    targets = {p.to_code for p in installed if p.from_code == from_code}
    try:
        engines = {
            loc: Engine(packages.find_installed(from_code, argos_code(loc, targets)).path,
                        intra_threads=threads)
            for loc in locales
        }
    except MissingModel as exc:
        raise _fail(exc) from None
    total = sentence_count(list(dict.fromkeys(l for l in text.split("\n") if l.strip())))
    records: dict[str, list[dict[str, Any]]] = {}
    for locale, engine in engines.items():
        enforcer = None
        if glossary is not None:
            from translate.enforce import Enforcer

            enforcer = Enforcer(glossary, locale)
        try:
            with _Progress(total, f"Translating to {locale}", min_items=20) as bar:
                result = translate_text(engine, text, options, enforcer, progress=bar.update_to)
        except TermguardError as exc:
            raise _fail(exc) from None
        records[locale] = [
            {"paragraph": line, **occ.to_dict()}
            for line, paragraph in enumerate(text.split("\n"), start=1) if paragraph.strip()
            for occ in result.paragraphs[paragraph].occurrences
        ]
        target = _output_path(output, file, locale, len(locales) > 1)
        if target is None and not as_json:
            click.echo(result.text, nl=False)
        elif target is not None:
            try:
                atomic_write_bytes(target, result.text.encode("utf-8"))
            except OSError as exc:
                raise _fail(f"cannot write {target}: {exc}") from None
            click.echo(f"{locale}: wrote {target}", err=True)
    if as_json:
        _emit_json([{"locale": loc, **r} for loc, rs in records.items() for r in rs])
    elif glossary is not None:
        for line in _outcome_table(records):
            click.echo(line, err=True)
    unresolved = sum(1 for rs in records.values() for r in rs if r["outcome"] == "unresolved")
    if strict and unresolved:
        raise click.ClickException(f"{unresolved} glossary occurrence(s) unresolved (--strict)")


def _register_optional() -> None:
    for module, names in (
        ("translate.cli_glossary", ("glossary_group", "check_command")),
        ("translate.cli_catalog", ("catalog_group",)),
    ):
        try:
            mod = __import__(module, fromlist=list(names))
        except ImportError:
            continue
        for name in names:
            command = getattr(mod, name, None)
            if isinstance(command, click.Command):
                main.add_command(command)


_register_optional()

if __name__ == "__main__":
    main()
