"""Argos package management: list, index, download, checked install, remove.

Built on ``argostranslate.package`` for what it does well (reading installed
packages and the index format). Fetching and extraction are our own: Argos'
index update swallows network errors, and its ``install_from_path`` runs
``extractall`` on a zip from the internet.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Callable

from translate.atomic import atomic_write_bytes
from translate.errors import IndexUnreachable, MissingModel, ModelError, PackageFileError

# A progress callback gets (bytes done, total bytes or None).
Progress = Callable[[int, int | None], None]

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
MAX_UNPACKED_BYTES = 4 * 1024**3  # real Argos packages are < 1 GiB unpacked
MAX_MEMBERS = 10_000
NETWORK_TIMEOUT = 15.0
INSTALL_HINT = "install from a file instead: termguard models install-file PATH.argosmodel"
# A language code as Argos writes them (en, zt, pt_BR, sr-Latn); nothing that can name another folder.
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,15}")


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.from_code,
            "to": self.to_code,
            "version": self.version,
            "path": str(self.path),
            "size": self.size,
        }


@dataclass(frozen=True)
class AvailablePackage:
    from_code: str
    to_code: str
    version: str
    from_name: str
    to_name: str
    links: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.from_code,
            "to": self.to_code,
            "version": self.version,
            "from_name": self.from_name,
            "to_name": self.to_name,
            "links": list(self.links),
        }


def packages_dir() -> Path:
    """Where packages are installed (honours ARGOS_PACKAGES_DIR)."""
    # Read the variable on every call: argostranslate.settings reads it once,
    # at import time.
    if os.environ.get("ARGOS_PACKAGES_DIR"):
        return Path(os.environ["ARGOS_PACKAGES_DIR"])
    from argostranslate import settings

    return Path(settings.package_data_dir)


def index_url() -> str:
    """The index to read (honours ARGOS_PACKAGE_INDEX, a folder URL or a .json URL)."""
    base = os.environ.get("ARGOS_PACKAGE_INDEX") or DEFAULT_INDEX
    if base.endswith(".json"):
        return base
    return base.rstrip("/") + "/index.json"


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def installed_packages() -> list[InstalledPackage]:
    """Installed translation packages, sorted by pair."""
    folder = packages_dir()
    found: list[InstalledPackage] = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        meta_path = path / "metadata.json"
        if path.name.startswith(".") or not meta_path.is_file():
            continue  # our own temporary folders, or not a package
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if meta.get("type", "translate") != "translate":
            continue
        found.append(
            InstalledPackage(
                from_code=str(meta.get("from_code", "")),
                to_code=str(meta.get("to_code", "")),
                version=str(meta.get("package_version", "")),
                path=path,
                size=_dir_size(path),
            )
        )
    return sorted(found, key=lambda p: (p.from_code, p.to_code))


def find_installed(from_code: str, to_code: str) -> InstalledPackage:
    for package in installed_packages():
        if package.from_code == from_code and package.to_code == to_code:
            return package
    have = ", ".join(p.pair for p in installed_packages()) or "none"
    raise MissingModel(
        f"no model installed for {from_code}->{to_code} (installed: {have}); "
        f"install it with: termguard models install {from_code} {to_code}"
    )


def fetch_index(timeout: float = NETWORK_TIMEOUT) -> list[AvailablePackage]:
    """Download the package index and return its translation packages."""
    from argostranslate import package as argos_package
    from argostranslate import settings

    url = index_url()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            data = response.read()
        index = json.loads(data)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", exc)
        raise IndexUnreachable(
            f"could not reach the Argos package index at {url} ({reason}); {INSTALL_HINT}"
        ) from exc
    except ValueError as exc:
        raise IndexUnreachable(f"the package index at {url} is not valid JSON; {INSTALL_HINT}") from exc
    if not isinstance(index, list):
        raise IndexUnreachable(f"the package index at {url} is not a list of packages")
    # Argos reads the index from this file; keep it so Argos' own tools agree.
    local = Path(settings.local_package_index)
    local.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(local, data)
    packages = []
    for pkg in argos_package.get_available_packages():
        if getattr(pkg, "type", "translate") != "translate":
            continue
        packages.append(
            AvailablePackage(
                from_code=pkg.from_code,
                to_code=pkg.to_code,
                version=str(pkg.package_version),
                from_name=str(getattr(pkg, "from_name", "")),
                to_name=str(getattr(pkg, "to_name", "")),
                links=tuple(getattr(pkg, "links", []) or []),
            )
        )
    return sorted(packages, key=lambda p: (p.from_code, p.to_code))


def download(package: AvailablePackage, dest_dir: Path, progress: Progress | None = None,
             timeout: float = NETWORK_TIMEOUT) -> Path:
    """Download a package file into dest_dir; returns its path."""
    if not package.links:
        raise ModelError(f"the index lists no download link for {package.from_code}->{package.to_code}")
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / f"translate-{package.from_code}_{package.to_code}.argosmodel"
    last_error: Exception | None = None
    for link in package.links:
        fd, tmp = tempfile.mkstemp(dir=dest_dir, prefix=".download-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out, urllib.request.urlopen(link, timeout=timeout) as response:
                total_header = response.headers.get("Content-Length")
                total = int(total_header) if total_header and total_header.isdigit() else None
                done = 0
                while chunk := response.read(1 << 16):
                    out.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
            os.replace(tmp, target)
            return target
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            last_error = exc
            Path(tmp).unlink(missing_ok=True)
    reason = getattr(last_error, "reason", last_error)
    raise IndexUnreachable(
        f"could not download {package.from_code}->{package.to_code} ({reason}); {INSTALL_HINT}"
    )


def _cap_text() -> str:
    # Read at call time: the cap is a module setting (tests lower it).
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if MAX_UNPACKED_BYTES >= size:
            return f"{MAX_UNPACKED_BYTES / size:g} {unit}"
    return f"{MAX_UNPACKED_BYTES} bytes"


def _check_members(archive: zipfile.ZipFile, name: str) -> tuple[str, dict[str, Any]]:
    """Refuse anything that could escape the package folder or fill the disk."""
    infos = archive.infolist()
    if not infos:
        raise PackageFileError(f"{name}: the archive is empty")
    if len(infos) > MAX_MEMBERS:
        raise PackageFileError(f"{name}: {len(infos)} files is more than the {MAX_MEMBERS} allowed")
    total = 0
    tops: set[str] = set()
    seen: set[str] = set()
    files: set[str] = set()
    folders: set[str] = set()
    for info in infos:
        member = info.filename
        key = member.replace("\\", "/").rstrip("/")
        if key in seen:
            # Two members with one name: the one checked need not be the one extracted.
            raise PackageFileError(f"{name}: member {member!r} appears more than once")
        seen.add(key)
        path = PurePosixPath(member.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
            raise PackageFileError(f"{name}: member {member!r} would be written outside the package folder")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise PackageFileError(f"{name}: member {member!r} is a symbolic link")
        total += info.file_size
        if total > MAX_UNPACKED_BYTES:
            raise PackageFileError(f"{name}: unpacks to more than {_cap_text()}; refusing it")
        if path.parts:
            tops.add(path.parts[0])
            (folders if info.is_dir() else files).add("/".join(path.parts))
            folders.update("/".join(path.parts[:i]) for i in range(1, len(path.parts)))
    clash = sorted(files & folders)
    if clash:
        # Extraction would fail half-way with an OSError naming our staging folder.
        raise PackageFileError(f"{name}: member {clash[0]!r} is both a file and a folder")
    if len(tops) != 1:
        raise PackageFileError(f"{name}: an Argos package has exactly one top folder, found {len(tops)}")
    top = tops.pop()
    names = {i.filename.rstrip("/") for i in infos}
    if f"{top}/metadata.json" not in names:
        raise PackageFileError(f"{name}: no {top}/metadata.json; not an Argos package")
    if not any(n.startswith(f"{top}/model/") for n in names):
        raise PackageFileError(f"{name}: no {top}/model/ folder; not a CTranslate2 Argos package")
    try:
        meta = json.loads(archive.read(f"{top}/metadata.json"))
    except ValueError as exc:
        raise PackageFileError(f"{name}: metadata.json is not valid JSON ({exc})") from exc
    if not isinstance(meta, dict) or not meta.get("from_code") or not meta.get("to_code"):
        raise PackageFileError(f"{name}: metadata.json lacks from_code/to_code")
    for field in ("from_code", "to_code"):
        # The codes become the install folder's name: "../" in one would move
        # the package outside the packages folder.
        if not isinstance(meta[field], str) or not _CODE.fullmatch(meta[field]):
            raise PackageFileError(f"{name}: metadata.json has an invalid {field} {meta[field]!r}")
    return top, meta


def install_file(path: Path) -> InstalledPackage:
    """Install a .argosmodel file after checking it; nothing is left on refusal."""
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
            top, meta = _check_members(archive, name)
            written = 0
            for info in archive.infolist():
                target = staging / info.filename
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                # Count real bytes: a zip can lie about file_size.
                member_bytes = 0
                with archive.open(info) as src, open(target, "wb") as dst:
                    while chunk := src.read(1 << 20):
                        written += len(chunk)
                        member_bytes += len(chunk)
                        if written > MAX_UNPACKED_BYTES:
                            raise PackageFileError(f"{name}: unpacks to more than {_cap_text()}; refusing it")
                        dst.write(chunk)
                if member_bytes != info.file_size:
                    # zipfile stops a member that claims less than it holds (bad
                    # CRC) but not one that claims more than it holds.
                    raise PackageFileError(
                        f"{name}: member {info.filename!r} holds {member_bytes} bytes but its header "
                        f"says {info.file_size}; damaged or forged archive"
                    )
        from_code, to_code = str(meta["from_code"]), str(meta["to_code"])
        final = folder / f"translate-{from_code}_{to_code}"
        old: Path | None = None
        if final.exists():  # replacing an installed version: swap, then delete
            old = folder / f".old-{final.name}-{os.getpid()}"
            os.replace(final, old)
        os.replace(staging / top, final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except zipfile.BadZipFile as exc:
        raise PackageFileError(f"{name}: damaged zip archive ({exc})") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return InstalledPackage(from_code, to_code, str(meta.get("package_version", "")), final, _dir_size(final))


def install_from_index(from_code: str, to_code: str, progress: Progress | None = None) -> InstalledPackage:
    """Download the pair's package from the index and install it."""
    available = [p for p in fetch_index() if p.from_code == from_code and p.to_code == to_code]
    if not available:
        raise MissingModel(
            f"the package index has no model for {from_code}->{to_code}; "
            "see the pairs it has with: termguard models available"
        )
    with tempfile.TemporaryDirectory(prefix="termguard-download-") as tmp:
        file = download(available[0], Path(tmp), progress)
        return install_file(file)


def remove(from_code: str, to_code: str) -> InstalledPackage:
    package = find_installed(from_code, to_code)
    shutil.rmtree(package.path)
    return package
