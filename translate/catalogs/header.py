"""The catalog's PO header: the run that wrote it, and the layout of the source it was made from.

The header ``X-Termguard-Source: <name>; lines=<N>; trailing-newline=yes|no``
records the source layout, so a catalog can be rendered back into the
document (`translate.catalogs.render`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polib

from translate import __version__
from translate.catalogs.errors import CatalogLayoutError

__all__ = [
    "ARGOS_HEADER",
    "GLOSSARY_HEADER",
    "SOURCE_HEADER",
    "HeaderInfo",
    "SourceLayout",
    "finalize_header",
    "now",
    "plural_forms_for",
    "reference_name",
    "source_layout",
]

SOURCE_HEADER = "X-Termguard-Source"
GLOSSARY_HEADER = "X-Termguard-Glossary"
ARGOS_HEADER = "X-Termguard-Argos-Package"
_DEFAULT_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
_SOURCE_RE = re.compile(r"^(?P<name>.+); lines=(?P<lines>\d{1,18}); trailing-newline=(?P<trail>yes|no)$")


@dataclass(frozen=True)
class HeaderInfo:
    """What the header records about the run that wrote the catalog."""

    argos_package: str  # e.g. "en->de 1.9"
    generator: str = f"termguard {__version__}"


def plural_forms_for(locale: str) -> str:
    """Babel's Plural-Forms for ``locale``; the English rule for a locale Babel lacks (``qtc``)."""
    from babel.core import UnknownLocaleError
    from babel.messages.plurals import get_plural

    try:
        return str(get_plural(locale).plural_forms)
    except (UnknownLocaleError, ValueError, TypeError):
        # The invented test language `qtc` keeps English grammar.
        return _DEFAULT_PLURAL_FORMS


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")


def reference_name(name: str) -> str:
    # polib and msgmerge split references on whitespace; the exact name lives
    # in the X-Termguard-Source header.
    return "".join("_" if c.isspace() else c for c in name)


def finalize_header(po: polib.POFile, *, domain: str, locale: str, header: HeaderInfo) -> None:
    """Fill in the header fields every catalog written carries."""
    if not po.header:
        po.header = f"Catalog {domain} for locale {locale}."
    md = po.metadata
    stamp = now()
    md["Project-Id-Version"] = domain
    md.setdefault("POT-Creation-Date", stamp)
    md.setdefault("PO-Revision-Date", md["POT-Creation-Date"])
    # msgfmt --check warns when these are missing; an editor's tool fills them in.
    md.setdefault("Last-Translator", "machine translation")
    md.setdefault("Language-Team", locale)
    md["Language"] = locale
    md["MIME-Version"] = "1.0"
    md["Content-Type"] = "text/plain; charset=UTF-8"
    md["Content-Transfer-Encoding"] = "8bit"
    md["Plural-Forms"] = plural_forms_for(locale)
    md["X-Generator"] = header.generator
    md[ARGOS_HEADER] = header.argos_package


@dataclass(frozen=True)
class SourceLayout:
    name: str
    lines: int
    trailing_newline: bool


def source_layout(path: Path, po: polib.POFile) -> SourceLayout:
    """The source layout the header records; CatalogLayoutError when it is missing or malformed."""
    value = po.metadata.get(SOURCE_HEADER)
    if value is None:
        raise CatalogLayoutError(f"{path}: no {SOURCE_HEADER} header; run a translation first")
    match = _SOURCE_RE.match(value.strip())
    if not match:
        raise CatalogLayoutError(f"{path}: malformed {SOURCE_HEADER} header: {value!r}")
    return SourceLayout(match.group("name"), int(match.group("lines")), match.group("trail") == "yes")
