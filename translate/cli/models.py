"""`termguard models`: install, list and remove Argos translation models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from translate.cli.common import Progress, emit_json, human_size, language_code, printable


@click.group()
def models() -> None:
    """Install, list and remove Argos translation models.

    Honours ARGOS_PACKAGES_DIR (where models live) and ARGOS_PACKAGE_INDEX
    (where the index is read from).
    """


def _said_replaced(result: Any) -> None:
    new = result.installed
    for old in result.replaced:
        if old.version == new.version and old.origin == new.origin:
            what = "reinstalled over the same version"
        elif old.version == new.version:
            what = f"replaced the copy {old.origin} installed ({old.path.name})"
        else:
            from translate.argos.packages import version_key

            direction = "older" if version_key(old.version) < version_key(new.version) else "NEWER"
            what = f"replaced the {direction} version {old.version} ({old.origin}, {old.path.name})"
        click.echo(f"{new.pair}: {what}", err=True)


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def models_list(as_json: bool) -> None:
    """List installed models: pair, version, size, path (the copy in use for each pair).

    \b
    Examples:
      termguard models list
      termguard models list --json
    """
    from translate.argos import packages

    inventory = packages.scan()
    for p in inventory.shadowed:
        click.echo(f"note: {p.pair} {p.version} in {printable(str(p.path))} is not used "
                   "(a higher version of the pair is installed)", err=True)
    for d in inventory.damaged:
        click.echo(f"warning: {printable(str(d.path))} is a damaged package: {printable(d.reason)}", err=True)
    found = inventory.in_use
    if as_json:
        emit_json([p.to_dict() for p in found])
        return
    if not found:
        click.echo(f"No models installed in {packages.packages_dir()}.", err=True)
        return
    click.echo(f"{'pair':<12} {'version':<8} {'size':>9}  path")
    for p in found:
        click.echo(f"{printable(p.pair):<12} {printable(p.version):<8} {human_size(p.size):>9}  "
                   f"{printable(str(p.path))}")


@models.command("available")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def models_available(as_json: bool) -> None:
    """List the models the package index offers; installed ones are marked with their version.

    \b
    Examples:
      termguard models available
      ARGOS_PACKAGE_INDEX=http://mirror/index.json termguard models available --json
    """
    from translate.argos import packages

    index = packages.read_index()
    installed = {(p.from_code, p.to_code): p.version for p in packages.installed_packages()}
    for problem in index.problems:
        click.echo(f"warning: {printable(problem)}", err=True)
    if as_json:
        emit_json([{**p.to_dict(), "installed": installed.get((p.from_code, p.to_code))}
                    for p in index.packages])
        return
    for p in index.packages:
        have = installed.get((p.from_code, p.to_code))
        mark = f"  [installed {printable(have)}]" if have else ""
        click.echo(f"{p.from_code}->{p.to_code:<8} {printable(p.version):<8} "
                   f"{printable(p.from_name)} -> {printable(p.to_name)}{mark}")


@models.command("install")
@click.argument("from_code")
@click.argument("to_code")
def models_install(from_code: str, to_code: str) -> None:
    """Download FROM->TO from the package index and install it.

    FROM and TO are locales as `translate` takes them (en, pt_BR, zh-TW) or Argos codes (pb, zt).

    \b
    Examples:
      termguard models install en de
    """
    from translate.argos import packages
    from translate.argos.codes import INDEX_CODES

    source = language_code(from_code, set(INDEX_CODES), "FROM_CODE")
    target = language_code(to_code, set(INDEX_CODES), "TO_CODE")
    with Progress(None, f"Downloading {source}->{target}") as bar:
        result = packages.install_from_index(source, target, progress=bar.update_to)
    installed = result.installed
    _said_replaced(result)
    click.echo(f"Installed {installed.pair} {printable(installed.version)} in {installed.path}")


@models.command("install-file")
@click.argument("path", type=click.Path(path_type=Path))
def models_install_file(path: Path) -> None:
    """Install a model from a local .argosmodel file.

    \b
    Examples:
      termguard models install-file translate-en_de-1_9.argosmodel
    """
    from translate.argos import packages

    result = packages.install_file(path)
    installed = result.installed
    _said_replaced(result)
    click.echo(f"Installed {installed.pair} {printable(installed.version)} in {installed.path}")


@models.command("remove")
@click.argument("from_code")
@click.argument("to_code")
def models_remove(from_code: str, to_code: str) -> None:
    """Remove the installed FROM->TO model (every copy of the pair). Locales or Argos codes.

    \b
    Examples:
      termguard models remove en de
    """
    from translate.argos import packages

    installed = {c for p in packages.installed_packages() for c in (p.from_code, p.to_code)}
    source = language_code(from_code, installed, "FROM_CODE")
    target = language_code(to_code, installed, "TO_CODE")
    removed = packages.remove(source, target)
    for package in removed:
        click.echo(f"Removed {package.pair} {printable(package.version)} from {package.path}")
