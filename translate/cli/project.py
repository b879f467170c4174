"""The project file: settings an editor would otherwise repeat on every command.

``termguard.toml`` (keys at the top level, or under ``[termguard]``) or a
``pyproject.toml`` with ``[tool.termguard]``, found by walking up from the
working folder. It may set::

    glossary = "terms/glossary.yaml"     # --glossary of every command
    catalog-dir = "locales"              # --catalog-dir
    domain = "news"                      # --domain
    locales = ["de", "fr"]               # translate --to; --locale where one locale is needed and one is set

Paths are relative to the file's folder. Options given on the command line
override it (they are Click defaults, nothing more).
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from glossary.files import read_text
from translate.errors import InputError

KEYS = ("glossary", "catalog-dir", "domain", "locales")


@dataclass(frozen=True)
class Project:
    path: Path
    glossary: Path | None = None
    catalog_dir: Path | None = None
    domain: str | None = None
    locales: tuple[str, ...] = ()


def _section(path: Path) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(read_text(path, limit=1 << 20, what="project file"))
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{path}: not valid TOML ({error})") from None
    if path.name == "pyproject.toml":
        section = data.get("tool", {}).get("termguard")
    else:
        section = data.get("termguard", data)
    if section is not None and not isinstance(section, dict):
        raise InputError(f"{path}: the termguard settings must be a table")
    return section


def find_project(start: Path) -> Project | None:
    """The nearest project file at or above `start` that holds termguard settings."""
    for folder in (start, *start.parents):
        for name in ("termguard.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file():
                section = _section(candidate)
                if section is not None:
                    return _project(candidate, section)
    return None


def _project(path: Path, section: dict[str, Any]) -> Project:
    for key in section:
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise InputError(f"{path}: unknown setting {key!r}{hint}; the settings are {', '.join(KEYS)}")
    base = path.parent

    def text(key: str) -> str | None:
        value = section.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise InputError(f"{path}: {key} must be a non-empty string")
        return value

    locales = section.get("locales", ())
    if isinstance(locales, str):
        locales = [part.strip() for part in locales.split(",") if part.strip()]
    if not isinstance(locales, list | tuple) or not all(isinstance(x, str) and x.strip() for x in locales):
        raise InputError(f"{path}: locales must be a list of locale names, e.g. [\"de\", \"fr\"]")
    glossary, catalog_dir = text("glossary"), text("catalog-dir")
    return Project(
        path=path,
        glossary=base / glossary if glossary else None,
        catalog_dir=base / catalog_dir if catalog_dir else None,
        domain=text("domain"),
        locales=tuple(locales),
    )


def default_map(command: click.Command, project: Project) -> dict[str, Any]:
    """Click defaults for `command` (and its sub-commands) from the project's settings."""
    if isinstance(command, click.Group):
        return {name: default_map(sub, project) for name, sub in command.commands.items()}
    names = {param.name for param in command.params if isinstance(param, click.Option)}
    out: dict[str, Any] = {}
    if project.glossary is not None and "glossary_path" in names:
        out["glossary_path"] = str(project.glossary)
    if project.catalog_dir is not None and "catalog_dir" in names:
        out["catalog_dir"] = str(project.catalog_dir)
    if project.domain is not None and "domain" in names:
        out["domain"] = project.domain
    if project.locales:
        if "to" in names:
            out["to"] = ",".join(project.locales)
        elif len(project.locales) == 1:
            for name in ("locale", "locale_name"):
                if name in names:
                    out[name] = project.locales[0]
    return out


def apply_project(ctx: click.Context, start: Path | None = None) -> Project | None:
    """Find the project file and make its settings the defaults of every command under `ctx`."""
    project = find_project((start or Path.cwd()).resolve())
    if project is not None:
        defaults = default_map(ctx.command, project)
        if ctx.default_map:
            defaults = {**defaults, **ctx.default_map}
        ctx.default_map = defaults
    return project
