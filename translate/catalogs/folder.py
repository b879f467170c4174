"""The catalog folder: where each catalog lives, listing them, their counts, compiling them to .mo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from glossary import files
from translate.catalogs.entries import UNRESOLVED_FLAG, is_fuzzy, one_line
from translate.catalogs.errors import CatalogError, CatalogNotFound, CatalogWriteError
from translate.catalogs.reading import load_catalog

__all__ = ["catalog_path", "catalog_stats", "catalogs_of", "compile_catalog", "find_catalog", "iter_catalogs"]


def catalog_path(catalog_dir: Path | str, locale: str, domain: str) -> Path:
    """``DIR/<locale>/LC_MESSAGES/<domain>.po``."""
    for label, value in (("locale", locale), ("domain", domain)):
        if not value or "/" in value or "\\" in value or value in {".", ".."}:
            raise CatalogError(f"invalid {label} for a catalog path: {value!r}")
    return Path(catalog_dir) / locale / "LC_MESSAGES" / f"{domain}.po"


def iter_catalogs(catalog_dir: Path | str) -> Iterator[tuple[str, str, Path]]:
    """(locale, domain, path) of every ``DIR/<locale>/LC_MESSAGES/<domain>.po``, sorted."""
    root = Path(catalog_dir)
    if not root.is_dir():
        return
    for path in sorted(root.glob("*/LC_MESSAGES/*.po")):
        if path.is_file():
            yield path.parent.parent.name, path.stem, path


def catalogs_of(catalog_dir: Path | str, locale: str) -> list[tuple[str, Path]]:
    """(domain, path) of the catalogs of one locale, a canonical one (pt_BR).

    A folder spelt another way (pt-BR, pt_br) holds that locale's catalogs too;
    a folder that names no locale holds none.
    """
    from glossary.errors import UnknownLocale
    from glossary.termbase.locales import normalize_locale

    def same_locale(folder: str) -> bool:
        try:
            return normalize_locale(folder) == locale
        except UnknownLocale:
            return False

    return [(domain, path) for folder, domain, path in iter_catalogs(catalog_dir) if same_locale(folder)]


def find_catalog(catalog_dir: Path | str, locale: str, domain: str | None) -> Path:
    """The one catalog of a locale (and domain, needed when the locale has several).

    CatalogNotFound (bad input) names what the folder has instead.
    """
    found = catalogs_of(catalog_dir, locale)
    if domain is not None:
        chosen = [path for d, path in found if d == domain]
        if not chosen:
            others = f" (it has: {', '.join(d for d, _ in found)})" if found else ""
            raise CatalogNotFound(f"no catalog for locale {locale!r}, domain {domain!r} in {catalog_dir}{others}")
        return chosen[0]
    if not found:
        raise CatalogNotFound(f"no catalog for locale {locale!r} in {catalog_dir}")
    if len(found) > 1:
        names = ", ".join(d for d, _ in found)
        raise CatalogNotFound(f"locale {locale!r} has several domains ({names}); pick one with --domain")
    return found[0][1]


def catalog_stats(path: Path | str) -> dict[str, int]:
    """Counts of translated, fuzzy, untranslated, obsolete and violation entries."""
    po = load_catalog(path)
    stats = {"translated": 0, "fuzzy": 0, "untranslated": 0, "obsolete": 0, "violations": 0}
    for entry in po:
        if entry.obsolete:
            stats["obsolete"] += 1
            continue
        if not entry.msgstr and not any(entry.msgstr_plural.values()):
            stats["untranslated"] += 1
        elif is_fuzzy(entry):
            stats["fuzzy"] += 1
        else:
            stats["translated"] += 1
        if UNRESOLVED_FLAG in entry.flags and is_fuzzy(entry):
            stats["violations"] += 1
    return stats


def compile_catalog(path: Path | str) -> Path:
    """Write the ``.mo`` next to the ``.po`` (reviewed entries only), atomically."""
    path = Path(path)
    po = load_catalog(path)
    target = path.with_suffix(".mo")
    try:
        files.write_bytes(target, po.to_binary())
    except files.FileWriteError as error:
        raise CatalogWriteError(one_line(str(error))) from None
    return target
