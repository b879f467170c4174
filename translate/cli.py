"""The termguard command line: parses, calls the library, prints. Nothing else."""

from __future__ import annotations

import json
import os
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


EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for Ctrl-C


class _TermguardGroup(click.Group):
    """The top-level group: Ctrl-C anywhere in a command is one line and exit 130.

    Click's own handling prints "Aborted!" and exits 1, which a script cannot
    tell from a failure. Every write is atomic (temporary file + rename, under
    the catalog lock), so unwinding the stack here leaves no partial file.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None


@click.group(cls=_TermguardGroup, context_settings={"help_option_names": ["-h", "--help"]})
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


def _output_template(output: Path | None, many_docs: bool, many_locales: bool) -> str | None:
    """Where translations go: a template with {name}, {locale}, {suffix}; None = stdout."""
    if output is None:
        return None if not (many_docs or many_locales) else "{dir}/{name}.{locale}{suffix}"
    text = str(output)
    if many_docs and "{name}" not in text:
        raise click.BadParameter("with several documents, put {name} (and {locale}) in the "
                                 "output path, e.g. -o 'out/{name}.{locale}.txt'", param_hint="-o")
    if many_locales and "{locale}" not in text:
        text = str(output.with_name(f"{output.stem}.{{locale}}{output.suffix}"))
    return text


@main.command("translate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "to", required=True, metavar="LOCALE[,LOCALE...]",
              help="Target locales, e.g. de,fr,pt_BR.")
@click.option("--from", "from_code", default="en", show_default=True, help="Source language code.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Output file; {locale} and {name} (the document's name) are replaced. "
                   "Default: stdout for one document and one locale, else <name>.<locale>.txt "
                   "next to each document.")
@click.option("-r", "--recursive", is_flag=True, help="Look for .txt/.md documents in sub-folders too.")
@click.option("--catalog-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("locales"),
              show_default=True, help="Catalogs go to DIR/<locale>/LC_MESSAGES/<domain>.po.")
@click.option("--domain", help="Catalog domain (default: each document's name without extension).")
@click.option("--no-catalog", is_flag=True, help="Do not read or write catalogs; decode everything.")
@click.option("--glossary", "glossary_path", type=click.Path(path_type=Path),
              help="Glossary YAML to enforce (default: the curated glossary).")
@click.option("--no-glossary", is_flag=True, help="Translate without glossary enforcement.")
@click.option("--strict", is_flag=True,
              help="Exit 1 if any occurrence in the output is unresolved (a missing or wrong rendering "
                   "anywhere, reused text included) or the glossary has no renderings for a locale.")
@click.option("--json", "as_json", is_flag=True,
              help="Print every glossary occurrence as JSON records on stdout.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Documents translated in parallel (models are still loaded once per locale).")
@click.option("--fail-fast", is_flag=True, help="Stop at the first document that fails.")
@click.option("--ray", "ray_address", is_flag=False, flag_value="local", default=None, metavar="[ADDRESS]",
              help="Distribute documents to Ray workers (pip install 'termguard[ray]'): a "
                   "cluster address, or no value to start a local cluster.")
@click.option("--workers", type=click.IntRange(1, 1024), default=None,
              help="Ray workers, each holding every locale's model once (default: this machine's CPUs).")
@click.option("--beam-size", type=click.IntRange(1, 32), default=4, show_default=True)
@click.option("--threads", type=click.IntRange(0, 256), default=0, show_default=True,
              help="CPU threads per decoding worker (0: CTranslate2's default).")
def translate_command(paths: tuple[Path, ...], to: str, from_code: str, output: Path | None,
                      recursive: bool, catalog_dir: Path, domain: str | None, no_catalog: bool,
                      glossary_path: Path | None, no_glossary: bool, strict: bool, as_json: bool,
                      jobs: int, fail_fast: bool, ray_address: str | None, workers: int | None,
                      beam_size: int, threads: int) -> None:
    """Translate documents offline with the installed Argos models, enforcing the glossary.

    PATHS are text files or folders (their .txt and .md files; -r for sub-folders).
    Every translation lands in a per-locale gettext catalog; paragraphs already
    there (unchanged, same glossary, or reviewed by an editor) are not decoded
    again, and the output carries the editors' reviewed translations. Every
    glossary occurrence gets an outcome (settled, forced, substituted,
    unresolved, review, quoted) and the ladder step that settled it: a table on
    stderr, or JSON records with --json. A document that cannot be read is
    reported and skipped (exit 1 at the end) unless --fail-fast.
    """
    from translate import packages
    from translate.atomic import atomic_write_bytes
    from translate.batch import Target, collect_documents, translate_documents
    from translate.codes import argos_code
    from translate.document import SourceDocument
    from translate.engine import DecodeOptions, Engine
    from translate.job import run_locale
    from translate.pipeline import sentence_count
    from translate.reading import read_text

    locales = _parse_locales(to)
    documents = collect_documents(paths, recursive)
    if not documents:
        raise click.UsageError("no documents found (folders are searched for .txt and .md files)")
    single = len(documents) == 1 and ray_address is None
    template = _output_template(output, not single, len(locales) > 1)
    text = ""
    if single:  # one document: bad input is a usage error, checked before any model work
        try:
            text = read_text(documents[0])
        except InputError as exc:
            raise click.UsageError(str(exc)) from None
    glossary = _load_glossary(glossary_path, no_glossary)
    options = DecodeOptions(beam_size=beam_size)
    installed = packages.installed_packages()
    available = {p.to_code for p in installed if p.from_code == from_code}
    try:
        chosen = {loc: packages.find_installed(from_code, argos_code(loc, available)) for loc in locales}
    except MissingModel as exc:
        raise _fail(exc) from None
    targets: list[Target] = []
    unenforceable: list[str] = []
    for locale, package in chosen.items():
        enforcer = None
        if glossary is not None and locale in glossary.locales:
            from translate.enforce import Enforcer

            enforcer = Enforcer(glossary, locale)
        elif glossary is not None:
            unenforceable.append(locale)
            click.echo(f"warning: the glossary has no renderings for {locale}; "
                       "translating without enforcement", err=True)
        # Loaded on first decode only, once per locale for every document.
        engine = Engine(package.path, inter_threads=jobs, intra_threads=threads)
        targets.append(Target(locale, engine, f"{package.pair} {package.version}", enforcer))
    catalogs = None if no_catalog else catalog_dir

    def domain_of(path: Path) -> str:
        return domain or path.stem

    def destination(path: Path, locale: str) -> Path | None:
        if template is None:
            return None
        return Path(template.format(dir=path.parent, name=path.stem, locale=locale, suffix=path.suffix))

    records: list[dict[str, Any]] = []
    failures: list[str] = []
    if single:
        path = documents[0]
        document = SourceDocument.from_text(path.name, text)
        total = sentence_count(list(dict.fromkeys(p for _, p in document.paragraphs())))
        results = []
        for target in targets:
            try:
                with _Progress(total, f"Translating to {target.locale}", min_items=20) as bar:
                    run = run_locale(document, target.locale, target.engine, target.argos_package,
                                     options=options, glossary=glossary, enforcer=target.enforcer,
                                     catalog_dir=catalogs, domain=domain_of(path),
                                     progress=bar.update_to)
            except TermguardError as exc:
                raise _fail(exc) from None
            results.append(run)
        outcomes = [(path, results, None)]
    else:
        outcomes = []
        if ray_address is not None:
            from glossary import default_glossary_path
            from translate.distributed import locale_specs, translate_documents_ray

            try:
                results = translate_documents_ray(
                    documents, locale_specs(targets),
                    address=None if ray_address == "local" else ray_address,
                    workers=workers or os.cpu_count() or 1,
                    options=options, fail_fast=fail_fast,
                    glossary_path=None if glossary is None else (glossary_path or default_glossary_path()),
                    catalog_dir=None if catalogs is None else catalogs.resolve(), domain_of=domain_of,
                    threads_per_worker=max(threads, 1))
            except TermguardError as exc:
                raise _fail(exc) from None
        else:
            results = translate_documents(documents, targets, options=options, glossary=glossary,
                                          catalog_dir=catalogs, domain=domain_of, jobs=jobs,
                                          fail_fast=fail_fast)
        with _Progress(len(documents), f"Translating {len(documents)} documents") as bar:
            try:
                for result in results:
                    outcomes.append((result.path, result.runs, result.error))
                    bar.update_to(len(outcomes))
            except TermguardError as exc:
                raise _fail(exc) from None
    decoded = reused = 0
    for path, runs, error in outcomes:
        if error is not None:
            message = error if error.startswith(str(path)) else f"{path}: {error}"
            failures.append(message)
            click.echo(f"skipped {message}", err=True)
            continue
        for run in runs:
            decoded += run.decoded
            reused += run.reused
            records.extend({"document": str(path), "locale": run.locale, **r} for r in run.occurrences)
            if single:
                where = f"; catalog {run.catalog}" if run.catalog else ""
                flagged = (f"; {run.flagged} reviewed entr(y/ies) now violate the glossary"
                           if run.flagged else "")
                click.echo(f"{run.locale}: {run.decoded} paragraph(s) decoded, {run.reused} from "
                           f"the catalog{where}{flagged}", err=True)
            target_path = destination(path, run.locale)
            if target_path is None:
                if not as_json:
                    click.echo(run.text, nl=False)
                continue
            try:
                target_path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write_bytes(target_path, run.text.encode("utf-8"))
            except OSError as exc:
                raise _fail(f"cannot write {target_path}: {exc}") from None
            if single:
                click.echo(f"{run.locale}: wrote {target_path}", err=True)
    if as_json:
        _emit_json(records)
    elif records:
        by_locale: dict[str, list[dict[str, Any]]] = {}
        for record in records:
            by_locale.setdefault(record["locale"], []).append(record)
        for line in _outcome_table(by_locale):
            click.echo(line, err=True)
    if not single:
        click.echo(f"{len(outcomes) - len(failures)} of {len(documents)} document(s) translated into "
                   f"{len(locales)} locale(s): {decoded} paragraph(s) decoded, {reused} from catalogs, "
                   f"{len(failures)} failed", err=True)
    unresolved = sum(1 for r in records if r["outcome"] == "unresolved")
    if failures:
        raise click.ClickException(f"{len(failures)} document(s) failed; see the lines above")
    if strict and unresolved:
        raise click.ClickException(f"{unresolved} glossary occurrence(s) unresolved (--strict)")
    if strict and unenforceable:
        raise click.ClickException(f"the glossary cannot be enforced for {', '.join(unenforceable)}: "
                                   "it has no renderings for that locale (--strict)")


# The subcommand modules hold only Click code; the library behind them is
# imported inside each command, so `termguard --help` stays instant.
from translate.cli_catalog import catalog_group  # noqa: E402
from translate.cli_exchange import exchange_commands  # noqa: E402
from translate.cli_glossary import check_command, glossary_group  # noqa: E402
from translate.cli_report import report_command  # noqa: E402
from translate.cli_review import review_commands  # noqa: E402

for _command in (*exchange_commands, *review_commands):
    glossary_group.add_command(_command)
main.add_command(glossary_group)
main.add_command(check_command)
main.add_command(catalog_group)
main.add_command(report_command)

if __name__ == "__main__":
    main()
