"""`termguard translate`: documents in, translations and catalogs out; parses, calls the library, prints."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Iterator

import click

from translate.cli.common import Progress, emit_json, language_code
from translate.cli.errors import value_of


def _parse_locales(value: str) -> list[str]:
    from glossary.errors import UnknownLocale
    from glossary.termbase.locales import normalize_locale

    out: list[str] = []
    for item in (v.strip() for v in value.split(",")):
        if not item:
            continue
        with value_of("--to", UnknownLocale):
            locale = normalize_locale(item)
        if locale not in out:
            out.append(locale)
    if not out:
        raise click.BadParameter("give at least one locale, e.g. --to de,fr", param_hint="--to")
    return out


def _load_glossary(path: Path | None, disabled: bool) -> Any:
    """The glossary to enforce (curated by default), or None with --no-glossary."""
    if disabled:
        return None
    from glossary import load_glossary

    return load_glossary(path)  # GlossaryInvalid: reported by the group, like every command


def _outcome_table(per_locale: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Rows of outcome counts per locale, for people."""
    from collections import Counter

    outcomes = ("settled", "forced", "substituted", "unresolved", "review", "quoted")
    lines = [f"{'locale':<8}" + "".join(f"{o:>12}" for o in outcomes)]
    for locale, records in per_locale.items():
        counts = Counter(r["outcome"] for r in records)
        lines.append(f"{locale:<8}" + "".join(f"{counts.get(o, 0):>12}" for o in outcomes))
    return lines


def _output_template(output: str | None, many_docs: bool, many_locales: bool, as_json: bool,
                     reads_stdin: bool) -> str | None:
    """Where translations go: a template with {dir}, {name}, {locale}, {suffix}; None = stdout."""
    from translate.errors import InputError
    from translate.run.batch import DEFAULT_TEMPLATE, check_template
    from translate.run.reading import STDIN

    if output == STDIN:
        if many_docs or many_locales:
            raise InputError("-o - (standard output) takes one document into one locale; "
                             "give -o 'out/{name}.{locale}.txt' for more")
        if as_json:
            raise InputError("--json prints the occurrence records on standard output; "
                             "give -o FILE for the translation")
        return None
    if output is None:
        if not (many_docs or many_locales or as_json):
            return None
        if reads_stdin:
            raise InputError("give -o FILE for the translation of standard input "
                             "(--json and several locales use standard output for other things)")
        if many_docs or many_locales:
            return DEFAULT_TEMPLATE
        # --json takes standard output, so the one translation goes to a file
        # in the working folder, named like the document.
        return "{name}.{locale}{suffix}"
    fields = check_template(output)
    if many_docs and "name" not in fields:
        raise click.BadParameter("with several documents, put {name} (and {locale}) in the "
                                 "output path, e.g. -o 'out/{name}.{locale}.txt'", param_hint="-o")
    if many_locales and "locale" not in fields:
        path = Path(output)
        return str(path.with_name(f"{path.stem}.{{locale}}{path.suffix}"))
    return output


@click.command("translate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@click.option("--to", "--locale", "to", required=True, metavar="LOCALE[,LOCALE...]",
              help="Target locales, e.g. de,fr,pt_BR (--locale is the same option).")
@click.option("--from", "from_code", default="en", show_default=True, help="Source language code.")
@click.option("-o", "--output", metavar="PATH",
              help="Output file, or - for standard output; {dir}, {name} (the document's name "
                   "without extension), {locale} and {suffix} are replaced. Default: stdout for "
                   "one document and one locale, else {dir}/{name}.{locale}{suffix} (next to "
                   "each document; earlier outputs found there are not translated again).")
@click.option("-r", "--recursive", is_flag=True, help="Look for .txt/.md documents in sub-folders too.")
@click.option("--catalog-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("locales"),
              show_default=True, help="Catalogs go to DIR/<locale>/LC_MESSAGES/<domain>.po.")
@click.option("--domain", help="Catalog domain (default: each document's name without extension; "
                               "two documents may not share one).")
@click.option("--no-catalog", is_flag=True, help="Do not read or write catalogs; decode everything.")
@click.option("--glossary", "glossary_path", type=click.Path(path_type=Path),
              help="Glossary YAML to enforce (default: the curated glossary).")
@click.option("--no-glossary", is_flag=True, help="Translate without glossary enforcement.")
@click.option("--strict", is_flag=True,
              help="Exit 1 if any occurrence in the output is unresolved (a missing or wrong rendering "
                   "anywhere, reused text included) or the glossary has no renderings for a locale.")
@click.option("--json", "as_json", is_flag=True,
              help="Print every glossary occurrence as JSON records on stdout (the translation "
                   "then goes to -o, or to <name>.<locale><suffix> in the working folder).")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Documents translated in parallel (models are still loaded once per locale).")
@click.option("--fail-fast", is_flag=True, help="Stop at the first document that fails.")
@click.option("--ray", "ray_address", is_flag=False, flag_value="local", default=None, metavar="[ADDRESS]",
              help="Distribute documents to Ray workers (pip install 'termguard[ray]'): a "
                   "cluster address, or no value to start a local cluster.")
@click.option("--workers", type=click.IntRange(1, 1024), default=None,
              help="Ray workers, each holding every locale's model once (default: this machine's CPUs).")
@click.option("--beam-size", type=click.IntRange(1, 32), default=None,
              help="Beam size (default: ARGOS_BEAM_SIZE or settings.json, else 4).")
@click.option("--threads", type=click.IntRange(0, 256), default=None,
              help="CPU threads per decoding worker (default: ARGOS_INTRA_THREADS, else 0 = CTranslate2's).")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default=None,
              help="Where to decode (default: ARGOS_DEVICE_TYPE, else cpu; auto = CUDA when a GPU is seen).")
def translate_command(paths: tuple[Path, ...], to: str, from_code: str, output: str | None,
                      recursive: bool, catalog_dir: Path, domain: str | None, no_catalog: bool,
                      glossary_path: Path | None, no_glossary: bool, strict: bool, as_json: bool,
                      jobs: int, fail_fast: bool, ray_address: str | None, workers: int | None,
                      beam_size: int | None, threads: int | None, device: str | None) -> None:
    """Translate documents offline with the installed Argos models, enforcing the glossary.

    PATHS are text files or folders (their .txt and .md files; -r for sub-folders),
    or - for standard input.
    Every translation lands in a per-locale gettext catalog; paragraphs already
    there (unchanged, same glossary, or reviewed by an editor) are not decoded
    again, and the output carries the editors' reviewed translations. Every
    glossary occurrence gets an outcome (settled, forced, substituted,
    unresolved, review, quoted) and the ladder step that settled it: a table on
    stderr, or JSON records with --json. A document that cannot be read is
    reported and skipped (exit 1 at the end) unless --fail-fast. Outputs that
    would collide, or documents that would share a catalog domain, are refused
    before anything is decoded; each document's output is written as soon as
    it is translated.

    \b
    Examples:
      termguard translate article.txt --to de
      termguard translate article.txt --to de,fr -o 'out/{name}.{locale}.txt'
      termguard translate news/ -r --to de --jobs 4
      cat article.txt | termguard translate - --to de > article.de.txt
      termguard translate article.txt --to de --json -o article.de.txt > occurrences.json
    """
    from glossary.files import write_text
    from glossary.files.names import display_name
    from glossary.termbase.locales import fallback_locale
    from translate.argos import packages
    from translate.argos.codes import argos_code
    from translate.argos.engine import Chain, DecodeOptions, Engine
    from translate.run.batch import (
        DocumentResult,
        Target,
        collect_documents,
        document_name,
        plan_batch,
        translate_documents,
    )
    from translate.run.document import SourceDocument
    from translate.run.job import run_locale
    from translate.run.pipeline import sentence_count
    from translate.run.reading import MAX_INPUT_BYTES, STDIN, read_text

    locales = _parse_locales(to)
    reads_stdin = any(str(p) == STDIN for p in paths)
    stdin = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1) if reads_stdin else None
    found = collect_documents(paths, recursive)
    if not found:
        raise click.UsageError("no documents found (folders are searched for .txt and .md files)")
    template = _output_template(output, len(found) > 1 or ray_address is not None, len(locales) > 1,
                                as_json, reads_stdin)
    catalogs = None if no_catalog else catalog_dir
    plan = plan_batch(paths, locales, recursive=recursive, template=template, domain=domain,
                      catalogs=catalogs is not None)
    for skipped in plan.skipped:
        click.echo(f"skipped {display_name(skipped)}: an earlier translation (an output of termguard)", err=True)
    documents = plan.documents
    if not documents:
        raise click.UsageError("no documents to translate (only earlier outputs were found)")
    single = len(documents) == 1 and ray_address is None
    text = ""
    if single:  # one document: bad input is reported before any model work
        text = read_text(documents[0], stdin=stdin)
    glossary = _load_glossary(glossary_path, no_glossary)
    from translate.argos.settings import load_settings, resolve_device

    settings = load_settings()  # SettingsError: bad input, exit 2
    device = resolve_device(device or settings.device)
    options = DecodeOptions.from_settings(settings, beam_size=beam_size)
    threads = settings.intra_threads if threads is None else threads
    installed = packages.installed_packages()
    from_code = language_code(from_code, {p.from_code for p in installed}, "--from")
    # A target is reachable directly or through English (the pivot).
    available = {p.to_code for p in installed if p.from_code in (from_code, packages.PIVOT)}
    chosen = {loc: packages.route(from_code, argos_code(loc, available)) for loc in locales}
    if ray_address is not None and any(len(route) > 1 for route in chosen.values()):
        raise click.UsageError("translation through English is not distributed with --ray; run without it")
    targets: list[Target] = []
    unenforceable: list[str] = []
    for locale, route in chosen.items():
        enforcer = None
        served = None if glossary is None else fallback_locale(locale, glossary.locales)
        if glossary is not None and served is not None:
            from translate.ladder.enforce import Enforcer

            if served != locale:
                click.echo(f"{locale}: enforcing the glossary's {served} renderings", err=True)
            enforcer = Enforcer(glossary, served)
        elif glossary is not None:
            unenforceable.append(locale)
            click.echo(f"warning: the glossary has no renderings for {locale}; "
                       "translating without enforcement", err=True)
        # Loaded on first decode only, once per locale for every document.
        legs = [Engine(package.path, inter_threads=max(jobs, settings.inter_threads), intra_threads=threads,
                       compute_type=settings.compute_type, device=device) for package in route]
        engine = legs[0] if len(legs) == 1 else Chain(legs[0], legs[1])
        # The catalog header names every package the translation went through.
        names = " + ".join(f"{package.pair} {package.version}" for package in route)
        targets.append(Target(locale, engine, names, enforcer))
    catalogs = None if no_catalog else catalog_dir

    def domain_of(path: Path) -> str:
        return plan.domains[path]

    def write_outputs(result: DocumentResult) -> None:
        # Runs as soon as the document is done (in the worker), so Ctrl-C or
        # a failure later keeps every translation already finished.
        for run in result.runs:
            target_path = plan.outputs[(result.path, run.locale)]
            if target_path is not None:
                write_text(target_path, run.text, parents=True)
                result.written.append(target_path)

    records: list[dict[str, Any]] = []
    failures: list[str] = []
    outcomes: list[DocumentResult] = []
    if single:
        path = documents[0]
        document = SourceDocument.from_text(document_name(path), text)
        total = sentence_count(list(dict.fromkeys(p for _, p in document.paragraphs())))
        result = DocumentResult(path)
        for target in targets:
            with Progress(total, f"Translating to {target.locale}", min_items=20) as bar:
                result.runs.append(run_locale(document, target.locale, target.engine, target.argos_package,
                                              options=options, glossary=glossary, enforcer=target.enforcer,
                                              catalog_dir=catalogs, domain=domain_of(path),
                                              progress=bar.update_to))
        write_outputs(result)
        outcomes.append(result)
    else:
        if ray_address is not None:
            from glossary import default_glossary_path
            from translate.run.distributed import translate_documents_ray
            from translate.run.ray_worker import locale_specs

            results: Iterator[DocumentResult] = translate_documents_ray(
                documents, locale_specs(targets),
                address=None if ray_address == "local" else ray_address,
                workers=workers or os.cpu_count() or 1,
                options=options, fail_fast=fail_fast,
                glossary_path=None if glossary is None else (glossary_path or default_glossary_path()),
                catalog_dir=None if catalogs is None else catalogs.resolve(), domain_of=domain_of,
                threads_per_worker=max(threads, 1), on_done=write_outputs, stdin=stdin)
        else:
            results = translate_documents(documents, targets, options=options, glossary=glossary,
                                          catalog_dir=catalogs, domain=domain_of, jobs=jobs,
                                          fail_fast=fail_fast, on_done=write_outputs, stdin=stdin)
        with Progress(len(documents), f"Translating {len(documents)} documents") as bar:
            for result in results:
                outcomes.append(result)
                bar.update_to(len(outcomes))
    decoded = reused = 0
    for result in outcomes:
        shown = display_name(result.path)
        if result.error is not None:
            message = result.error if result.error.startswith(shown) else f"{shown}: {result.error}"
            failures.append(message)
            click.echo(f"skipped {message}", err=True)
            continue
        for run in result.runs:
            decoded += run.decoded
            reused += run.reused
            records.extend({"document": str(result.path), "locale": run.locale, **r} for r in run.occurrences)
            if single:
                where = f"; catalog {run.catalog}" if run.catalog else ""
                flagged = (f"; {run.flagged} reviewed entr(y/ies) now violate the glossary"
                           if run.flagged else "")
                click.echo(f"{run.locale}: {run.decoded} paragraph(s) decoded, {run.reused} from "
                           f"the catalog{where}{flagged}", err=True)
            target_path = plan.outputs[(result.path, run.locale)]
            if target_path is None:
                click.echo(run.text, nl=False)
            elif single:
                click.echo(f"{run.locale}: wrote {display_name(target_path)}", err=True)
    if as_json:
        emit_json(records)
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
