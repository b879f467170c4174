"""Argos package management: list, index, download, checked install, remove (the archive checks: archive.py).

Follows ``argostranslate.package``'s conventions (packages folder, metadata,
index format), so packages that Argos or LibreTranslate installed in the same
folder are seen: one copy per pair is in use, the highest version. Fetching
and extraction are our own: Argos' index update swallows network errors, and
its ``install_from_path`` runs ``extractall`` on a zip from the internet.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from glossary.files import write_bytes as atomic_write_bytes
from translate.argos import network
from translate.argos.archive import MAX_METADATA_BYTES, check_members, extract, verify_package
from translate.argos.index import CODE as _CODE
from translate.argos.index import AvailablePackage, Index, parse_index
from translate.errors import (
    IndexUnreachable,
    MissingModel,
    ModelError,
    PackageFileError,
    PackageMismatch,
)

__all__ = ["AvailablePackage", "DamagedPackage", "InstallResult", "InstalledPackage", "Inventory"]

# A progress callback gets (bytes done, total bytes or None).
Progress = Callable[[int, int | None], None]

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
NETWORK_TIMEOUT = 15.0  # one socket operation
MAX_INDEX_BYTES = 16 * 1024**2  # the real index is ~40 KB
MAX_DOWNLOAD_BYTES = 2 * 1024**3  # real packages are < 1 GiB
INDEX_DEADLINE = 120.0  # seconds for the whole index, whatever the server does
DOWNLOAD_DEADLINE = 3 * 3600.0  # seconds for one package: 1 GiB at 100 KB/s
INSTALL_HINT = "install from a file instead: termguard models install-file PATH.argosmodel"


@dataclass(frozen=True)
class InstalledPackage:
    from_code: str
    to_code: str
    version: str
    path: Path
    size: int  # bytes on disk

    @property
    def pair(self) -> str:
        return f"{self.from_code}->{self.to_code}"

    @property
    def origin(self) -> str:
        """Who installed it, as far as the folder name tells: termguard's own or Argos' naming."""
        return "termguard" if self.path.name == f"translate-{self.from_code}_{self.to_code}" else "argos"

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.from_code,
            "to": self.to_code,
            "version": self.version,
            "path": str(self.path),
            "size": self.size,
        }


@dataclass(frozen=True)
class DamagedPackage:
    """A folder in the packages folder that looks like a package but cannot be read."""

    path: Path
    reason: str


@dataclass
class Inventory:
    """Everything in the packages folder: one package in use per pair, the rest said aloud."""

    in_use: list[InstalledPackage] = field(default_factory=list)
    shadowed: list[InstalledPackage] = field(default_factory=list)  # older copies of a pair in use
    damaged: list[DamagedPackage] = field(default_factory=list)


@dataclass(frozen=True)
class InstallResult:
    installed: InstalledPackage
    replaced: tuple[InstalledPackage, ...] = ()  # the copies of the pair it took the place of

    @property
    def path(self) -> Path:
        return self.installed.path

    @property
    def pair(self) -> str:
        return self.installed.pair

    @property
    def version(self) -> str:
        return self.installed.version


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Order versions as numbers part by part ("1.10" after "1.9"); text parts sort first."""
    parts = re.split(r"[._-]", version.strip())
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in parts if p)


def packages_dir() -> Path:
    """Where packages are installed (ARGOS_PACKAGES_DIR, else settings.json, else Argos' default)."""
    # Read on every call: argostranslate.settings reads it once, at import time.
    from translate.argos.settings import load_settings

    folder = load_settings().packages_dir
    if folder:
        return Path(folder)
    from argostranslate import settings

    return Path(settings.package_data_dir)


def index_url() -> str:
    """The index to read (ARGOS_PACKAGE_INDEX or settings.json; a folder URL or a .json URL)."""
    from translate.argos.settings import load_settings

    base = load_settings().package_index or DEFAULT_INDEX
    if base.endswith(".json"):
        return base
    return base.rstrip("/") + "/index.json"


def _dir_size(path: Path) -> int:
    total = 0
    for p in path.rglob("*"):
        try:
            if p.is_file() and not p.is_symlink():
                total += p.stat().st_size
        except OSError:
            continue
    return total


def read_metadata(path: Path) -> dict[str, Any]:
    """metadata.json of an installed package folder; PackageFileError says what is wrong."""
    meta_path = path / "metadata.json"
    if meta_path.is_dir():
        raise PackageFileError("metadata.json is a folder")
    if not meta_path.exists():
        nested = sorted(p.parent.relative_to(path) for p in path.glob("*/metadata.json"))
        if nested:
            raise PackageFileError(f"metadata.json is inside {nested[0]}/, not at the top of the package")
        raise PackageFileError("no metadata.json")
    try:
        if meta_path.stat().st_size > MAX_METADATA_BYTES:
            raise PackageFileError("metadata.json is too large to be package metadata")
        meta = json.loads(meta_path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise PackageFileError(f"metadata.json is not readable JSON ({str(exc)[:80]})") from None
    if not isinstance(meta, dict):
        raise PackageFileError(f"metadata.json holds a {type(meta).__name__}, not an object")
    for key in ("from_code", "to_code"):
        value = meta.get(key)
        if not isinstance(value, str) or not _CODE.fullmatch(value):
            raise PackageFileError(f"metadata.json has no valid {key} ({str(value)[:30]!r})")
    return meta


def _looks_like_package(path: Path) -> bool:
    return any((path / name).exists() for name in ("metadata.json", "model", "sentencepiece.model", "bpe.model")) \
        or any(path.glob("*/metadata.json"))


def scan() -> Inventory:
    """Every package in the packages folder, whoever installed it (termguard, Argos, LibreTranslate)."""
    folder = packages_dir()
    inventory = Inventory()
    if not folder.is_dir():
        return inventory
    by_pair: dict[tuple[str, str], list[InstalledPackage]] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_dir():
            continue  # our own temporary folders, or not a package
        try:
            meta = read_metadata(path)
        except PackageFileError as exc:
            if _looks_like_package(path):
                inventory.damaged.append(DamagedPackage(path, str(exc)))
            continue
        if meta.get("type", "translate") != "translate":
            continue
        package = InstalledPackage(meta["from_code"], meta["to_code"],
                                   str(meta.get("package_version", "") or "?"), path, _dir_size(path))
        by_pair.setdefault((package.from_code, package.to_code), []).append(package)
    for pair in sorted(by_pair):
        # The highest version wins; on a tie, termguard's own folder (the one it replaces on install).
        copies = sorted(by_pair[pair], key=lambda p: (version_key(p.version), p.origin == "termguard"),
                        reverse=True)
        inventory.in_use.append(copies[0])
        inventory.shadowed.extend(copies[1:])
    return inventory


def installed_packages() -> list[InstalledPackage]:
    """The package in use for each installed pair, sorted by pair."""
    return scan().in_use


def find_installed(from_code: str, to_code: str) -> InstalledPackage:
    installed = installed_packages()
    for package in installed:
        if package.from_code == from_code and package.to_code == to_code:
            return package
    have = ", ".join(p.pair for p in installed) or "none"
    raise MissingModel(
        f"no model installed for {from_code}->{to_code} (installed: {have}); "
        f"install it with: termguard models install {from_code} {to_code}"
    )


PIVOT = "en"  # Argos' packages nearly all go to or from English


def route(from_code: str, to_code: str) -> list[InstalledPackage]:
    """The package for the pair, or two through English when no direct one is installed (as Argos does)."""
    inventory = scan()
    installed = {(p.from_code, p.to_code): p for p in inventory.in_use}
    if (from_code, to_code) in installed:
        return [installed[(from_code, to_code)]]
    legs = [installed.get((from_code, PIVOT)), installed.get((PIVOT, to_code))]
    if PIVOT not in (from_code, to_code) and all(legs):
        return [leg for leg in legs if leg is not None]
    have = ", ".join(f"{a}->{b}" for a, b in sorted(installed)) or "none"
    hint = f"termguard models install {from_code} {to_code}"
    if PIVOT not in (from_code, to_code):
        missing = [f"termguard models install {a} {b}" for (a, b), leg
                   in zip(((from_code, PIVOT), (PIVOT, to_code)), legs, strict=True) if leg is None]
        hint += f", or through English: {' and '.join(missing)}"
    damaged = "".join(f"; {d.path.name} is damaged ({d.reason})" for d in inventory.damaged[:3])
    raise MissingModel(f"no model installed for {from_code}->{to_code} (installed: {have}{damaged}); "
                       f"install it with: {hint}")


def fetch_index(timeout: float = NETWORK_TIMEOUT) -> list[AvailablePackage]:
    """Download the package index and return its translation packages."""
    return read_index(timeout).packages


def read_index(timeout: float = NETWORK_TIMEOUT) -> Index:
    """Download and parse the index, bounded in size and time; problems with entries are kept."""
    url = index_url()
    buffer = io.BytesIO()
    try:
        network.fetch(url, buffer, max_bytes=MAX_INDEX_BYTES, deadline=INDEX_DEADLINE, read_timeout=timeout)
    except network.FetchError as exc:
        raise IndexUnreachable(
            f"could not reach the Argos package index at {url} ({exc}); {INSTALL_HINT}"
        ) from None
    index = parse_index(buffer.getvalue(), url)
    # Argos reads the index from this file; keep it so Argos' own tools agree.
    try:
        from argostranslate import settings

        local = Path(settings.local_package_index)
        local.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(local, buffer.getvalue())
    except OSError:
        pass  # a convenience for Argos, not needed by us
    return index


def download(package: AvailablePackage, dest_dir: Path, progress: Progress | None = None,
             timeout: float = NETWORK_TIMEOUT) -> Path:
    """Download a package file into dest_dir, trying each link in turn; returns its path."""
    if not package.links:
        raise ModelError(f"the index lists no download link for {package.pair}")
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / f"translate-{package.from_code}_{package.to_code}.argosmodel"
    errors: list[str] = []
    from glossary.files import open_for_replace

    for link in package.links:
        try:
            # Streamed into a temporary file of the one file layer; the target appears whole or not at all.
            with open_for_replace(target) as out:
                network.fetch(link, out, max_bytes=MAX_DOWNLOAD_BYTES, deadline=DOWNLOAD_DEADLINE,
                              progress=progress, read_timeout=timeout)
            return target
        except (network.FetchError, OSError) as exc:
            errors.append(f"{_short(link)}: {exc}")
    raise IndexUnreachable(
        f"could not download {package.pair} ({'; '.join(errors)}); {INSTALL_HINT}"
    )


def _short(link: str) -> str:
    return link if len(link) <= 80 else link[:77] + "..."


def install_file(path: Path, expect: tuple[str, str] | None = None) -> InstallResult:
    """Install a .argosmodel file after checking it; nothing is left on refusal.

    ``expect`` is the (from, to) pair that was asked for: a package for
    another pair is refused, naming what it is. Every other copy of the pair
    (Argos' or an older one of ours) is replaced and returned in ``replaced``.
    """
    name = path.name
    if not path.is_file():
        raise PackageFileError(f"{path}: no such file")
    if not zipfile.is_zipfile(path):
        raise PackageFileError(f"{name}: not a zip archive, so not an Argos package (.argosmodel)")
    folder = packages_dir()
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder, prefix=".installing-"))
    try:
        with zipfile.ZipFile(path) as archive:
            top, meta = check_members(archive, name)
            from_code, to_code = str(meta["from_code"]), str(meta["to_code"])
            if expect is not None and (from_code, to_code) != expect:
                raise PackageMismatch(
                    f"{name}: asked for {expect[0]}->{expect[1]} but the package served is "
                    f"{from_code}->{to_code} {meta.get('package_version', '?')}; nothing installed")
            extract(archive, staging, name)
        verify_package(staging / top, name, meta)
        previous = [p for p in scan().in_use + scan().shadowed
                    if (p.from_code, p.to_code) == (from_code, to_code)]
        final = folder / f"translate-{from_code}_{to_code}"
        moved: list[Path] = []
        for index, package in enumerate(previous):  # swap out every copy of the pair, then delete
            aside = folder / f".old-{index}-{package.path.name}-{os.getpid()}"
            os.replace(package.path, aside)
            moved.append(aside)
        if final.exists():  # a damaged folder of that name
            aside = folder / f".old-{final.name}-{os.getpid()}"
            os.replace(final, aside)
            moved.append(aside)
        os.replace(staging / top, final)
        for aside in moved:
            shutil.rmtree(aside, ignore_errors=True)
    except zipfile.BadZipFile as exc:
        raise PackageFileError(f"{name}: damaged zip archive ({exc})") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    installed = InstalledPackage(from_code, to_code, str(meta.get("package_version", "") or "?"), final,
                                 _dir_size(final))
    return InstallResult(installed, tuple(previous))


def install_from_index(from_code: str, to_code: str, progress: Progress | None = None) -> InstallResult:
    """Download the pair's package from the index and install it, checking it is that pair."""
    index = read_index()
    available = [p for p in index.packages if p.from_code == from_code and p.to_code == to_code]
    if not available:
        skipped = f" ({len(index.problems)} damaged entries left out: {index.problems[0]})" if index.problems else ""
        raise MissingModel(
            f"the package index has no model for {from_code}->{to_code}{skipped}; "
            "see the pairs it has with: termguard models available"
        )
    best = max(available, key=lambda p: version_key(p.version))
    with tempfile.TemporaryDirectory(prefix="termguard-download-") as tmp:
        file = download(best, Path(tmp), progress)
        try:
            return install_file(file, expect=(from_code, to_code))
        except PackageFileError as exc:
            # A downloaded file that is no package: the server's fault, not the user's input.
            message = str(exc)
            if not zipfile.is_zipfile(file):
                message = (f"the file served for {from_code}->{to_code} is not a complete zip archive "
                           f"({file.stat().st_size} bytes arrived): truncated, damaged or not a package")
            raise ModelError(message) from None


def remove(from_code: str, to_code: str) -> list[InstalledPackage]:
    """Remove every installed copy of the pair (termguard's and Argos'); returns what went."""
    inventory = scan()
    copies = [p for p in inventory.in_use + inventory.shadowed if (p.from_code, p.to_code) == (from_code, to_code)]
    if not copies:
        find_installed(from_code, to_code)  # raises MissingModel with the usual hint
    for package in copies:
        shutil.rmtree(package.path)
    return copies
