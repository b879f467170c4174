"""The Argos package index: read strictly, every problem one line.

The real index is a JSON list of objects with ``package_version,
argos_version, from_code, from_name, to_code, to_name, links, code``. A
damaged entry is left out with a note (one bad entry must not hide the other
95); a document that is not such a list at all is one IndexFormatError.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from translate.errors import IndexFormatError

# A language code as Argos writes them (en, zt, pt_BR, sr-Latn); nothing that can name another folder.
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,15}")
MAX_DEPTH = 20  # the real index nests 3 deep


class _EntryProblem(Exception):
    """One entry of the index is unusable; it is left out with this note."""


@dataclass(frozen=True)
class AvailablePackage:
    from_code: str
    to_code: str
    version: str
    from_name: str
    to_name: str
    links: tuple[str, ...]

    @property
    def pair(self) -> str:
        return f"{self.from_code}->{self.to_code}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.from_code,
            "to": self.to_code,
            "version": self.version,
            "from_name": self.from_name,
            "to_name": self.to_name,
            "links": list(self.links),
        }


@dataclass
class Index:
    url: str
    packages: list[AvailablePackage] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # entries left out, one line each


def _depth_ok(text: str) -> bool:
    # json.loads recurses per level; a hostile index of 100,000 "[" would
    # raise RecursionError. Count the nesting before parsing.
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def parse_index(data: bytes, url: str) -> Index:
    """Parse index bytes fetched from ``url``."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(data) > 1 and b"\x00" in data[:4]):
        raise IndexFormatError(f"the package index at {url} is UTF-16, not UTF-8 JSON")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IndexFormatError(f"the package index at {url} is not UTF-8 (byte {exc.start})") from None
    if not _depth_ok(text):
        raise IndexFormatError(f"the package index at {url} nests deeper than {MAX_DEPTH} levels")
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise IndexFormatError(f"the package index at {url} is not valid JSON ({exc})") from None
    if not isinstance(raw, list):
        raise IndexFormatError(f"the package index at {url} is not a list of packages "
                               f"(a JSON {type(raw).__name__})")
    index = Index(url)
    for number, entry in enumerate(raw, start=1):
        try:
            package = _entry(entry, url)
        except _EntryProblem as exc:
            index.problems.append(f"index entry {number} left out: {exc}")
            continue
        if package is not None:
            index.packages.append(package)
    if raw and not index.packages and index.problems:
        raise IndexFormatError(f"the package index at {url} has no usable entry ({index.problems[0]})")
    index.packages.sort(key=lambda p: (p.from_code, p.to_code))
    return index


def _text(entry: dict[str, Any], key: str, required: bool = True) -> str:
    value = entry.get(key)
    if value is None:
        if required:
            raise _EntryProblem(f"{key} is missing or null")
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _EntryProblem(f"{key} is a {type(value).__name__}, not text")
    return str(value)


def _entry(entry: Any, url: str) -> AvailablePackage | None:
    if not isinstance(entry, dict):
        raise _EntryProblem(f"a {type(entry).__name__}, not a package object")
    if entry.get("type", "translate") != "translate":
        return None  # Argos lists sbd packages too; they translate nothing
    codes = []
    for key in ("from_code", "to_code"):
        code = _text(entry, key)
        if not CODE.fullmatch(code):
            raise _EntryProblem(f"{key} {code[:30]!r} is not a language code")
        codes.append(code)
    links = entry.get("links", [])
    if isinstance(links, str) or not isinstance(links, list):
        raise _EntryProblem(f"links is a {type(links).__name__}, not a list of URLs")
    resolved: list[str] = []
    for link in links:
        if not isinstance(link, str) or not link.strip():
            raise _EntryProblem("a link is not a URL")
        # A relative link is read against the index's own address, as a browser would.
        resolved.append(urllib.parse.urljoin(url, link.strip()))
    if not resolved:
        raise _EntryProblem("no download link")
    return AvailablePackage(
        from_code=codes[0], to_code=codes[1],
        version=_text(entry, "package_version", required=False) or "?",
        from_name=_text(entry, "from_name", required=False),
        to_name=_text(entry, "to_name", required=False),
        links=tuple(resolved),
    )
