"""What an .argosmodel archive must be before it is installed: safe members, size caps, metadata that fits the model."""

from __future__ import annotations

import json
import re
import stat
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from translate.argos.index import CODE as _CODE
from translate.errors import ModelError, PackageFileError, PackageMismatch

__all__ = ["MAX_MEMBERS", "MAX_METADATA_BYTES", "MAX_UNPACKED_BYTES", "check_members", "extract", "verify_package"]

MAX_UNPACKED_BYTES = 4 * 1024**3  # real Argos packages are < 1 GiB unpacked
MAX_MEMBERS = 10_000
MAX_METADATA_BYTES = 1024**2


def _cap_text() -> str:
    # Read at call time: the cap is a module setting (tests lower it).
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if MAX_UNPACKED_BYTES >= size:
            return f"{MAX_UNPACKED_BYTES / size:g} {unit}"
    return f"{MAX_UNPACKED_BYTES} bytes"


def check_members(archive: zipfile.ZipFile, name: str) -> tuple[str, dict[str, Any]]:
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
    if archive.getinfo(next(i.filename for i in infos if i.filename.rstrip("/") == f"{top}/metadata.json")
                       ).file_size > MAX_METADATA_BYTES:
        raise PackageFileError(f"{name}: metadata.json is too large to be package metadata")
    try:
        meta = json.loads(archive.read(f"{top}/metadata.json").decode("utf-8-sig"))
    except (ValueError, RecursionError) as exc:
        raise PackageFileError(f"{name}: metadata.json is not valid JSON ({str(exc)[:80]})") from None
    if not isinstance(meta, dict) or not meta.get("from_code") or not meta.get("to_code"):
        raise PackageFileError(f"{name}: metadata.json lacks from_code/to_code")
    for key in ("from_code", "to_code"):
        # The codes become the install folder's name: "../" in one would move
        # the package outside the packages folder.
        if not isinstance(meta[key], str) or not _CODE.fullmatch(meta[key]):
            raise PackageFileError(f"{name}: metadata.json has an invalid {key} {meta[key]!r}")
    return top, meta


def extract(archive: zipfile.ZipFile, staging: Path, name: str) -> None:
    """Unpack a checked archive into ``staging``, counting the bytes really written."""
    written = 0
    for info in archive.infolist():
        target = staging / info.filename
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        # Zips without folder entries (OPUS-MT conversions) need their folders made here.
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


# Top folder names of real packages: "en_de" (1.0), "translate-en_tr-1_5" (argos-train, OPUS-MT).
_VERSION = re.compile(r"\d+(?:\.\d+){0,3}(?:[-.+]?[A-Za-z0-9]+)?")
_TOP_PAIR = re.compile(r"(?:translate-)?([A-Za-z]{2,3})_([A-Za-z]{2,3})(?=$|-)")


def verify_package(folder: Path, name: str, meta: dict[str, Any]) -> None:
    """Check what can be checked that the package is what its metadata says.

    The weights cannot tell their language, but a repackaged model shows in
    the folder name, a tokeniser that does not fit the vocabulary, or a
    target prefix the model cannot write.
    """
    from translate.argos.model_files import read_vocabulary
    from translate.argos.tokenizers import SentencePieceTokenizer

    pair = f"{meta['from_code']}->{meta['to_code']}"
    version = meta.get("package_version")
    if version is not None and not (isinstance(version, (str, int, float)) and _VERSION.fullmatch(str(version))):
        raise PackageMismatch(f"{name}: package_version {str(version)[:30]!r} in metadata.json is not a version")
    match = _TOP_PAIR.match(folder.name)
    if match and all(len(meta[k]) <= 3 for k in ("from_code", "to_code")) and \
            (match.group(1), match.group(2)) != (meta["from_code"], meta["to_code"]):
        raise PackageMismatch(f"{name}: metadata.json says {pair} but the package folder is "
                              f"{folder.name!r} ({match.group(1)}->{match.group(2)}); refusing it")
    model = folder / "model"
    if not (model / "model.bin").is_file():
        raise PackageFileError(f"{name}: no model/model.bin; not a CTranslate2 Argos package")
    try:
        source_vocab = set(read_vocabulary(model, "source"))
        target_vocab = set(read_vocabulary(model, "target"))
    except ModelError as exc:
        raise PackageFileError(f"{name}: {exc}") from None
    sp_path, bpe_path = folder / "sentencepiece.model", folder / "bpe.model"
    if sp_path.is_file():
        try:
            pieces = SentencePieceTokenizer(sp_path).pieces()
        except ModelError as exc:
            raise PackageFileError(f"{name}: sentencepiece.model does not load ({exc})") from None
        known = len(pieces & source_vocab) / max(1, len(pieces))
        # Joint or source-only, the tokeniser's pieces are the model's source
        # vocabulary; a tokeniser from another model shares few of them.
        if known < 0.5:
            raise PackageMismatch(f"{name}: only {known:.0%} of sentencepiece.model's pieces are in the "
                                  f"model's vocabulary; the tokeniser belongs to another model")
    elif not bpe_path.is_file():
        raise PackageFileError(f"{name}: no sentencepiece.model or bpe.model; not an Argos package")
    prefix = meta.get("target_prefix")
    if prefix is not None and not isinstance(prefix, str):
        raise PackageFileError(f"{name}: target_prefix in metadata.json is not text")
    for token in (prefix or "").split():
        if token not in target_vocab:
            raise PackageMismatch(f"{name}: target_prefix {token!r} is not in the model's vocabulary")
