"""Per-locale gettext catalogs: one entry per source paragraph, reviewed in any PO editor.

Conventions (see docs/design.md, "Catalog conventions"):

- msgid is one paragraph (one non-blank source line, exactly as in the file);
  ``#: <name>:<line>`` references every line where it occurs.
- ``#, fuzzy`` marks text nobody has reviewed. An entry that is not fuzzy and
  has a msgstr was reviewed by an editor and is never overwritten.
- Machine output carries one extracted comment
  ``#. termguard:machine;glossary=sha256:<digest>;msgstr=<hash>``: the glossary
  it was made with and a hash of the text. A fuzzy entry whose msgstr no longer
  matches that hash was edited by a person (e.g. "needs work" in Poedit) and is
  treated like human work: kept, never re-translated.
- ``#, termguard-unresolved`` (a flag of its own, next to ``fuzzy``) marks an
  entry where a glossary occurrence could not be settled, or a reviewed entry
  that now violates the glossary (``mark_violation``). It counts as a violation
  while the entry is fuzzy; an editor settles it by reviewing the entry.
- Catalogs are written without line wrapping, so a changed paragraph is one
  changed line in a diff and comments keep the exact lines written.
- The header ``X-Termguard-Source: <name>; lines=<N>; trailing-newline=yes|no``
  records the source layout, so ``render_document`` can rebuild the document.
"""

from __future__ import annotations

import codecs
import contextlib
import copy
import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

import polib
from rapidfuzz import fuzz

from glossary import files
from glossary.errors import FileLockTimeout as LockTimeout
from glossary.errors import FileWriteError as LockError
from glossary.files.locks import FileLock
from translate import __version__
from translate.errors import TermguardError
from translate.run.document import MachineTranslation, SourceDocument

__all__ = [
    "CatalogEntryNotFound",
    "CatalogError",
    "CatalogLayoutError",
    "CatalogLockTimeout",
    "CatalogParseError",
    "CatalogReadError",
    "CatalogUpdate",
    "CatalogWriteError",
    "DEFAULT_LOCK_TIMEOUT",
    "FUZZY_MATCH_RATIO",
    "HeaderInfo",
    "MACHINE_MARK",
    "UNRESOLVED_FLAG",
    "catalog_path",
    "catalog_stats",
    "compile_catalog",
    "iter_catalogs",
    "load_catalog",
    "plural_forms_for",
    "render_document",
]

UNRESOLVED_FLAG = "termguard-unresolved"
# No space or hyphen: PO tools that wrap comments (polib, Babel) break lines there.
MACHINE_MARK = "termguard:machine"
FUZZY_MATCH_RATIO = 0.6  # msgmerge's fuzzy threshold
DEFAULT_LOCK_TIMEOUT = 60.0
_WRITE_ATTEMPTS = 5  # rounds of merging an editor's save before giving up
SOURCE_HEADER = "X-Termguard-Source"
GLOSSARY_HEADER = "X-Termguard-Glossary"
ARGOS_HEADER = "X-Termguard-Argos-Package"
# Old entries scored per changed paragraph: the fuzzy matching stays linear
# in the document however many paragraphs changed.
_FUZZY_SHORTLIST = 24
_DEFAULT_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
_NO_WRAP = 0
_MARK_RE = re.compile(
    re.escape(MACHINE_MARK) + r";glossary=sha256:(?P<digest>[^;\s]+);msgstr=(?P<hash>[0-9a-f]{16})$"
)
_SOURCE_RE = re.compile(r"^(?P<name>.+); lines=(?P<lines>\d{1,18}); trailing-newline=(?P<trail>yes|no)$")
# Blank lines after the last paragraph a rebuilt document may have; a header
# claiming more was tampered with (it would make `render` allocate them all).
MAX_TRAILING_BLANK_LINES = 10_000


# --------------------------------------------------------------------------- errors


class CatalogError(TermguardError):
    """Base of every error this module raises."""


class CatalogReadError(CatalogError):
    """The catalog file exists but cannot be read."""


class CatalogParseError(CatalogError):
    """The catalog is not valid PO; it is reported and never overwritten."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.reason = message
        where = f"{path}:{line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {message}")


class CatalogWriteError(CatalogError):
    """Writing failed (no space, read-only folder, ...); the old file is intact."""


class CatalogLockTimeout(CatalogError):
    """Another update held the catalog's lock for longer than the timeout."""


class CatalogEntryNotFound(CatalogError, KeyError):
    """No active entry has this msgid."""

    exit_code = 2  # bad input

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class CatalogLayoutError(CatalogError):
    """The catalog cannot be rendered: no or inconsistent source-layout header."""


# --------------------------------------------------------------------------- paths, header


def catalog_path(catalog_dir: Path | str, locale: str, domain: str) -> Path:
    """``DIR/<locale>/LC_MESSAGES/<domain>.po``."""
    for label, value in (("locale", locale), ("domain", domain)):
        if not value or "/" in value or "\\" in value or value in {".", ".."}:
            raise CatalogError(f"invalid {label} for a catalog path: {value!r}")
    return Path(catalog_dir) / locale / "LC_MESSAGES" / f"{domain}.po"


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


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")


def _digest_value(digest: str) -> str:
    value = digest.strip()
    if value.startswith("sha256:"):
        value = value[len("sha256:"):]
    if not value or any(c.isspace() or c == ";" for c in value):
        raise CatalogError(f"invalid glossary digest: {digest!r}")
    return value


def _reference_name(name: str) -> str:
    # polib and msgmerge split references on whitespace; the exact name lives
    # in the X-Termguard-Source header.
    return "".join("_" if c.isspace() else c for c in name)


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- reading


_KEYWORD = re.compile(r"^(?P<kw>msgctxt|msgid_plural|msgid|msgstr\[\d+\]|msgstr)(?=[\s\"])\s*")
_SIMPLE_ESCAPES = set('ntrvbfa\\"?\'')


def _string_error(text: str) -> str | None:
    """Why ``text`` (a quoted PO string and nothing else) is invalid, or None."""
    if not text.startswith('"'):
        return "a quoted string was expected"
    i = 1
    while i < len(text):
        c = text[i]
        if c == "\\":
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if nxt in _SIMPLE_ESCAPES and nxt:
                i += 2
                continue
            if nxt in "01234567" and nxt:
                i += 2
                continue
            if nxt == "x" and i + 2 < len(text) and text[i + 2] in "0123456789abcdefABCDEF":
                i += 3
                continue
            return f"invalid escape sequence \\{nxt}" if nxt else "unterminated string"
        if c == '"':
            return None if not text[i + 1:].strip() else "unescaped double quote inside a string"
        i += 1
    return "unterminated string"


def _check_syntax(path: Path, text: str) -> list[int]:
    """Reject what msgfmt rejects and polib would silently misread.

    polib accepts an unterminated string or a bad escape and loses text; a
    catalog read that way must not be written back. Returns the line of every
    msgid, in file order.
    """
    state = "start"  # start | ctxt | id | plural | str | strn
    msgid_lines: list[int] = []
    entry_line = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#~"):
            rest = line[2:].strip()
            if line.startswith("#~|") or not rest:
                continue
            line = rest
        elif line.startswith("#"):
            if state in {"ctxt", "id", "plural"}:
                raise CatalogParseError(path, number, "comment inside an entry")
            continue
        keyword = _KEYWORD.match(line)
        if keyword:
            kw = keyword.group("kw")
            if kw == "msgctxt":
                if state in {"ctxt", "id", "plural"}:
                    raise CatalogParseError(path, number, "msgctxt where a msgstr is expected")
                state, entry_line = "ctxt", number
            elif kw == "msgid":
                if state in {"id", "plural"}:
                    raise CatalogParseError(path, entry_line, "missing msgstr")
                state, entry_line = "id", number
                msgid_lines.append(number)
            elif kw == "msgid_plural":
                if state != "id":
                    raise CatalogParseError(path, number, "msgid_plural without a msgid")
                state = "plural"
            elif kw == "msgstr":
                if state != "id":
                    raise CatalogParseError(path, number, "msgstr without a msgid")
                state = "str"
            else:  # msgstr[N]
                if state not in {"plural", "strn"}:
                    raise CatalogParseError(path, number, f"{kw} without a msgid_plural")
                state = "strn"
            problem = _string_error(line[keyword.end():])
        elif line.startswith('"'):
            if state == "start":
                raise CatalogParseError(path, number, "string outside an entry")
            problem = _string_error(line)
        else:
            word = line.split(None, 1)[0]
            problem = f"unknown keyword {word[:30]!r}"
        if problem:
            raise CatalogParseError(path, number, problem)
    if state in {"ctxt", "id", "plural"}:
        raise CatalogParseError(path, entry_line, "missing msgstr at the end of the file")
    return msgid_lines


class _PoText(str):
    """PO text that polib splits on LF only.

    polib splits text given as a string with ``str.splitlines``, which also
    breaks on U+2028, U+0085, form feeds... that may occur raw inside strings.
    """

    def splitlines(self, keepends: bool = False) -> list[str]:
        return str(self).split("\n")


def _parse_bytes(path: Path, data: bytes) -> polib.POFile:
    charset = "utf-8"
    header_line: int | None = None
    header = re.search(rb"charset=([A-Za-z0-9_.:-]+)", data[:4096])
    if header:
        header_line = data[: header.start()].count(b"\n") + 1
        charset = header.group(1).decode("ascii").lower()
        if charset == "charset":  # the template placeholder "CHARSET"
            charset = "utf-8"
    try:
        declared = codecs.lookup(charset).name
    except LookupError:
        raise CatalogParseError(path, header_line, f"unknown charset {charset!r} in the header") from None
    if declared != "utf-8" and not data.isascii():
        # A header that names a single-byte charset over UTF-8 bytes decodes
        # without error into mojibake, which the next write would make
        # permanent. Real text in Latin-1 & co. is almost never valid UTF-8.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise CatalogParseError(
                path, header_line,
                f"the header declares charset {charset!r} but the file is UTF-8; fix the Content-Type header",
            )
    try:
        text = data.decode(charset)
    except LookupError:
        raise CatalogParseError(path, header_line, f"unknown charset {charset!r} in the header") from None
    except UnicodeDecodeError as error:
        bad_line = data[: error.start].count(b"\n") + 1
        raise CatalogParseError(path, bad_line, f"invalid {charset} byte sequence") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    # CRLF and old-Mac CR line ends both count as LF; PO writers escape a CR
    # inside a string, so a raw one can only be a line end.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    msgid_lines = _check_syntax(path, text)
    try:
        po = polib.pofile(_PoText(text), wrapwidth=_NO_WRAP, encoding="utf-8")
    except (OSError, ValueError) as error:
        match = re.search(r"\(line (\d+)\)", str(error))
        message = re.sub(r"^.*?\(line \d+\):?\s*", "", str(error)) or "syntax error"
        raise CatalogParseError(path, int(match.group(1)) if match else None, message) from None
    entries = list(po)
    if len(msgid_lines) == len(entries) + 1:
        msgid_lines = msgid_lines[1:]  # the header entry
    if len(msgid_lines) == len(entries):
        # polib's linenum is the line where it started collecting the entry;
        # editors want the msgid line, as msgfmt reports it.
        for entry, line in zip(entries, msgid_lines, strict=True):
            entry.linenum = line
    seen: dict[tuple[str | None, str], int] = {}
    for entry in po:
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            raise CatalogParseError(
                path, entry.linenum or None,
                f"duplicate message definition (first at line {seen[key]})",
            )
        seen[key] = entry.linenum or 0
    _read_previous(text, po)
    po.wrapwidth = _NO_WRAP
    po.encoding = "utf-8"
    return po


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CatalogReadError(f"cannot read {path}: {error.strerror or error}") from None


def load_catalog(path: Path | str) -> polib.POFile:
    """Parse a catalog strictly; raises CatalogParseError with file and line."""
    path = Path(path)
    return _parse_bytes(path, _read_bytes(path))


def _read_previous(text: str, po: polib.POFile) -> None:
    """Give obsolete entries the ``#~|`` previous fields polib skips when reading.

    The k-th ``#~ msgid`` line of the file starts the k-th obsolete entry; the
    ``#~|`` lines before it are its previous msgctxt / msgid / msgid_plural.
    """
    obsolete = iter([e for e in po if e.obsolete])
    pending: dict[str, str] = {}
    current: str | None = None
    for raw in text.split("\n"):
        line = raw.strip()
        if line.startswith("#~|"):
            rest = line[3:].strip()
            keyword, _, value = rest.partition(" ")
            if keyword in _PREVIOUS_FIELDS and value.strip().startswith('"'):
                current = keyword
                pending[current] = polib.unescape(value.strip()[1:-1])
            elif rest.startswith('"') and current is not None:
                pending[current] += polib.unescape(rest[1:-1])
            continue
        if line.startswith("#~") and line[2:].strip().split(" ", 1)[0] == "msgid":
            entry = next(obsolete, None)
            if entry is None:
                return
            for keyword, value in pending.items():
                setattr(entry, _PREVIOUS_FIELDS[keyword], value)
        if line:
            pending, current = {}, None


_PREVIOUS_FIELDS = {
    "msgctxt": "previous_msgctxt",
    "msgid": "previous_msgid",
    "msgid_plural": "previous_msgid_plural",
}


def _obsolete_text(entry: polib.POEntry, wrapwidth: int) -> str:
    """An obsolete entry with its extracted comments, which polib leaves out.

    msgfmt, polib and Babel all read ``#.`` lines above a ``#~`` entry; keeping
    them keeps the machine mark of an entry that may come back.
    """
    text: str = entry.__unicode__(wrapwidth)
    if not entry.comment:
        return text
    lines = text.split("\n")
    after_tcomment = len(entry.tcomment.split("\n")) if entry.tcomment else 0
    extracted = [f"#. {line}" for line in entry.comment.split("\n")]
    return "\n".join(lines[:after_tcomment] + extracted + lines[after_tcomment:])


def _serialize(po: polib.POFile) -> bytes:
    active = copy.copy(po)
    active[:] = [e for e in po if not e.obsolete]
    parts = [str(active)] + [_obsolete_text(e, po.wrapwidth) for e in po if e.obsolete]
    text = "\n".join(parts)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


# --------------------------------------------------------------------------- entry state


def _snapshot_of(data: bytes) -> files.Snapshot:
    """What the catalog's bytes were when read: the write compares against it, and keeps its form."""
    crlf = data.count(b"\r\n")
    return files.Snapshot(
        exists=True, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        newline="\r\n" if crlf and crlf >= data.count(b"\n") - crlf else "\n",
        bom=data.startswith(codecs.BOM_UTF8),
    )


# Temporary files of a folder, listed once per folder and process: a run over
# many documents sharing a catalog folder does not list it once per document.
_TEMPS: dict[Path, dict[str, list[Path]]] = {}


def _remove_stale_temps(path: Path) -> None:
    """Delete the temporary files a killed writer left for `path` (the caller holds its lock)."""
    folder = path.parent
    if folder not in _TEMPS:
        found: dict[str, list[Path]] = {}
        with contextlib.suppress(OSError):
            for candidate in os.scandir(folder):
                name = candidate.name
                if name.startswith(".") and name.endswith(".tmp") and name.count(".") >= 3:
                    target = name[1:].rsplit(".", 2)[0]
                    found.setdefault(target, []).append(Path(candidate.path))
        _TEMPS[folder] = found
    for temp in _TEMPS[folder].pop(path.name, []):
        with contextlib.suppress(OSError):
            temp.unlink()


Signature = Callable[[str], str]


def _signer(glossary_digest: str, signature: Signature | None) -> Signature:
    """`signature`, checked to give mark-safe words, or the glossary digest for every paragraph."""
    digest = _digest_value(glossary_digest)
    if signature is None:
        return lambda _paragraph: digest
    given = signature
    return lambda paragraph: _digest_value(given(paragraph))


def _words(text: str) -> set[str]:
    return {word for word in re.findall(r"\w+", text.casefold()) if len(word) > 1}


def _is_fuzzy(entry: polib.POEntry) -> bool:
    return "fuzzy" in entry.flags


def _is_reviewed(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) and not _is_fuzzy(entry)


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _machine_mark(entry: polib.POEntry) -> re.Match[str] | None:
    for line in entry.comment.split("\n"):
        match = _MARK_RE.match(line.strip())
        if match:
            return match
    return None


def _is_machine(entry: polib.POEntry) -> bool:
    """Fuzzy machine output nobody has touched since it was written."""
    if not entry.msgstr or not _is_fuzzy(entry):
        return False
    mark = _machine_mark(entry)
    return mark is not None and mark.group("hash") == _text_hash(entry.msgstr)


def _is_human(entry: polib.POEntry) -> bool:
    """Text a person wrote or accepted: reviewed, or fuzzy but edited by hand."""
    return bool(entry.msgstr) and not _is_machine(entry)


def _without_mark(comment: str) -> str:
    return "\n".join(line for line in comment.split("\n") if not line.strip().startswith(MACHINE_MARK))


def _set_flag(entry: polib.POEntry, flag: str, on: bool) -> None:
    if on and flag not in entry.flags:
        entry.flags.append(flag)
    elif not on:
        entry.flags = [f for f in entry.flags if f != flag]


def _is_ours(entry: polib.POEntry) -> bool:
    # Entries with a context or plural forms were not written by this module.
    return entry.msgctxt is None and not entry.msgid_plural and entry.msgid != ""


# Every character `str.splitlines` breaks on: a msgstr holding one would add a
# line to the rebuilt document in some reader.
_LINE_BREAK = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
LINE_BREAK_NOTE = "the translation holds a line break; one paragraph is one line of the document"


def _clean_machine_text(text: str) -> str:
    # One paragraph is one line of the rebuilt document, and msgfmt --check
    # rejects a msgstr that starts/ends with a newline its msgid lacks.
    return re.sub(_LINE_BREAK.pattern + "+", " ", text)


# --------------------------------------------------------------------------- update session


@dataclass
class _Plan:
    order: list[str]  # distinct paragraphs, by first occurrence
    lines: dict[str, list[int]]
    exact: dict[str, polib.POEntry]  # active entry with the same msgid
    revived: dict[str, polib.POEntry]  # obsolete entry with the same msgid
    fuzzy: dict[str, polib.POEntry]  # changed paragraph -> the old entry it replaces
    removed: list[polib.POEntry]  # active entries no paragraph uses any more


class CatalogUpdate:
    """An exclusive update session on one catalog.

    ``with CatalogUpdate.open(path, locale=..., domain=..., header=...) as cat:``
    locks the catalog, reads it, and on a clean exit writes it back atomically
    if (and only if) its bytes change. Nothing is written if the block raises.
    A save by a tool that ignores the lock (an editor) landing during the
    session is read back and this session's changes are replayed on it.
    """

    def __init__(
        self,
        path: Path,
        *,
        locale: str,
        domain: str,
        header: HeaderInfo,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ) -> None:
        self.path = Path(path)
        self.locale = locale
        self.domain = domain
        self.header = header
        self.lock_timeout = lock_timeout
        self._lock = FileLock(self.path.with_name(self.path.name + ".lock"), timeout=lock_timeout)
        self._po: polib.POFile | None = None
        self._baseline: bytes | None = None  # canonical form of what was on disk, when needed
        # The raw bytes read at the start (None: no file), to notice a save that
        # landed meanwhile without our lock (an editor's tool does not take it).
        self._on_disk: bytes | None = None
        self._snapshot = files.Snapshot(exists=False)  # of `_on_disk`: what a write is checked against
        self._final: polib.POFile | None = None  # the catalog as the session left it, for `render`
        self._cached_plan: tuple[SourceDocument, _Plan] | None = None
        # Every change made through apply()/mark_violation(), replayable on a newer file.
        self._operations: list[Callable[[], None]] = []

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        locale: str,
        domain: str,
        header: HeaderInfo,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ) -> CatalogUpdate:
        return cls(Path(path), locale=locale, domain=domain, header=header, lock_timeout=lock_timeout)

    # -- context manager

    def __enter__(self) -> CatalogUpdate:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CatalogWriteError(f"cannot create {self.path.parent}: {error.strerror or error}") from None
        try:
            self._lock.acquire()
        except LockTimeout as error:
            raise CatalogLockTimeout(str(error)) from None
        except LockError as error:
            raise CatalogWriteError(str(error.strerror)) from None
        try:
            _remove_stale_temps(self.path)  # left by a writer that was killed
            self._operations = []
            self._on_disk = None
            self._snapshot = files.Snapshot(exists=False)
            if self.path.exists():
                self._on_disk = _read_bytes(self.path)
                self._snapshot = _snapshot_of(self._on_disk)
                po = _parse_bytes(self.path, self._on_disk)
                self._baseline = None  # worked out at commit, only if the text differs
            else:
                po = polib.POFile(wrapwidth=_NO_WRAP, encoding="utf-8")
                po.metadata = {}
            self._po = po
        except BaseException:
            self._lock.release()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                self._commit()
        finally:
            self._final, self._po = self._po, None
            self._lock.release()

    @property
    def po(self) -> polib.POFile:
        if self._po is None:
            raise CatalogError("the catalog session is not open (use it in a `with` block)")
        return self._po

    # -- queries

    def _active(self) -> list[polib.POEntry]:
        return [e for e in self.po if not e.obsolete]

    def _find(self, msgid: str) -> polib.POEntry | None:
        for entry in self.po:
            if not entry.obsolete and _is_ours(entry) and entry.msgid == msgid:
                return entry
        return None

    def reviewed(self) -> list[tuple[str, str]]:
        """(msgid, msgstr) of every active entry an editor reviewed, in file order."""
        return [(e.msgid, e.msgstr) for e in self._active() if _is_ours(e) and _is_reviewed(e)]

    def _plan(self, document: SourceDocument) -> _Plan:
        lines: dict[str, list[int]] = {}
        for number, text in document.paragraphs():
            lines.setdefault(text, []).append(number)
        order = list(lines)
        for entry in self.po:
            # A plural entry keyed by a paragraph's text cannot take a single
            # msgstr; obsoleting it would leave two definitions of one msgid,
            # which msgfmt rejects. The editor must resolve it.
            if not entry.obsolete and entry.msgid_plural and entry.msgctxt is None and entry.msgid in lines:
                raise CatalogParseError(
                    self.path, entry.linenum or None,
                    "plural entry (msgid_plural) where a single message is expected for this paragraph",
                )
        active = {e.msgid: e for e in self.po if not e.obsolete and _is_ours(e)}
        obsolete: dict[str, polib.POEntry] = {}
        for entry in self.po:
            if entry.obsolete and _is_ours(entry):
                obsolete.setdefault(entry.msgid, entry)
        exact = {p: active[p] for p in order if p in active}
        revived = {p: obsolete[p] for p in order if p not in exact and p in obsolete}
        unmatched = [p for p in order if p not in exact and p not in revived]
        candidates = [e for e in self.po if not e.obsolete and _is_ours(e) and e.msgid not in exact]
        fuzzy = self._fuzzy_match(unmatched, candidates, lines)
        used = {id(e) for e in exact.values()} | {id(e) for e in fuzzy.values()}
        # Entries with a context or plural forms belong to whoever wrote them:
        # never ours to obsolete.
        removed = [e for e in self.po if not e.obsolete and _is_ours(e) and id(e) not in used]
        return _Plan(order, lines, exact, revived, fuzzy, removed)

    @staticmethod
    def _fuzzy_match(
        paragraphs: list[str], candidates: list[polib.POEntry], lines: Mapping[str, list[int]]
    ) -> dict[str, polib.POEntry]:
        """Pair changed paragraphs with the old entries they most resemble (msgmerge-like).

        Linear in the document: an index of the old entries' words gives each
        changed paragraph a bounded shortlist (the entries sharing the most
        of its words, and the one that started on its line), and only those
        are scored (rapidfuzz's normalised Indel similarity, msgmerge's 0.6
        threshold). The best pairs win, each old entry used once.
        """
        if not paragraphs or not candidates:
            return {}
        first_line: dict[int, int] = {}
        postings: dict[str, list[int]] = {}
        for j, entry in enumerate(candidates):
            for _file, line in entry.occurrences[:1]:
                if str(line).isdigit():
                    first_line.setdefault(int(line), j)
            for word in _words(entry.msgid):
                postings.setdefault(word, []).append(j)
        # A word most entries share ("the") tells nothing and costs a pass over them.
        common = max(_FUZZY_SHORTLIST, len(candidates) // 10)
        pairs: list[tuple[float, int, int]] = []
        for i, paragraph in enumerate(paragraphs):
            shared: Counter[int] = Counter()
            for word in _words(paragraph):
                found = postings.get(word)
                if found is not None and len(found) <= common:
                    shared.update(found)
            shortlist = {j for j, _count in shared.most_common(_FUZZY_SHORTLIST)}
            same_line = first_line.get(lines[paragraph][0])
            if same_line is not None:
                shortlist.add(same_line)
            if len(candidates) <= _FUZZY_SHORTLIST:
                shortlist = set(range(len(candidates)))
            for j in shortlist:
                score = fuzz.ratio(paragraph, candidates[j].msgid, score_cutoff=FUZZY_MATCH_RATIO * 100)
                if score:
                    pairs.append((-score / 100, i, j))
        pairs.sort()
        result: dict[str, polib.POEntry] = {}
        taken: set[int] = set()
        for _ratio, i, j in pairs:
            if paragraphs[i] in result or j in taken:
                continue
            result[paragraphs[i]] = candidates[j]
            taken.add(j)
        return result

    def needs_translation(self, document: SourceDocument, glossary_digest: str,
                          signature: Signature | None = None) -> list[str]:
        """Paragraphs (msgids, in document order) the decoder must translate.

        New paragraphs, untranslated ones, and untouched machine output whose
        signature changed: `signature(paragraph)` (see
        `translate.catalogs.signature`) says what would produce the entry
        now; without it, the glossary digest stands for every entry. Never a
        reviewed or hand-edited entry; never a changed paragraph whose old
        translation a person wrote (that one is kept as the starting point).
        """
        sign = _signer(glossary_digest, signature)
        plan = self._plan(document)
        self._cached_plan = (document, plan)
        result: list[str] = []
        for paragraph in plan.order:
            entry = plan.exact.get(paragraph) or plan.revived.get(paragraph)
            if entry is None:
                old = plan.fuzzy.get(paragraph)
                if old is None or not _is_human(old):
                    result.append(paragraph)
                continue
            if not entry.msgstr:
                result.append(paragraph)
            elif _is_machine(entry):
                mark = _machine_mark(entry)
                if mark is None or mark.group("digest") != sign(paragraph):
                    result.append(paragraph)
        return result

    # -- updates

    @staticmethod
    def _fill(entry: polib.POEntry, translation: MachineTranslation, digest: str) -> None:
        msgstr = _clean_machine_text(translation.msgstr)
        if not msgstr:
            entry.msgstr = ""
            _set_flag(entry, "fuzzy", False)
            _set_flag(entry, UNRESOLVED_FLAG, False)
            entry.comment = "\n".join(_one_line(c) for c in translation.comments if c.strip())
            return
        entry.msgstr = msgstr
        comments = [_one_line(c) for c in translation.comments if c.strip()]
        comments = [c for c in comments if not c.startswith(MACHINE_MARK)]
        comments.append(f"{MACHINE_MARK};glossary=sha256:{digest};msgstr={_text_hash(msgstr)}")
        entry.comment = "\n".join(comments)
        _set_flag(entry, "fuzzy", True)
        _set_flag(entry, UNRESOLVED_FLAG, translation.unresolved)

    def apply(
        self,
        document: SourceDocument,
        translations: Mapping[str, MachineTranslation],
        glossary_digest: str,
        signature: Signature | None = None,
    ) -> None:
        """Merge ``document`` into the catalog, as msgmerge would, with fresh machine output.

        ``translations`` maps paragraph -> decoder output; a paragraph that
        needs one but is missing stays untranslated. Output for an entry a
        person wrote or reviewed is ignored. New machine entries record
        `signature(paragraph)` (default: the glossary digest).
        """
        digest = _digest_value(glossary_digest)
        sign = _signer(glossary_digest, signature)
        translations = dict(translations)
        self._operations.append(lambda: self._apply(document, translations, digest, sign))
        self._apply(document, translations, digest, sign)

    def _apply(self, document: SourceDocument, translations: Mapping[str, MachineTranslation], digest: str,
               sign: Signature) -> None:
        po = self.po
        cached, self._cached_plan = self._cached_plan, None
        # The plan needs_translation made, if nothing changed since: planned once per run.
        plan = cached[1] if cached is not None and cached[0] is document else self._plan(document)
        ref = _reference_name(document.name)
        old_active_ids = {e.msgid for e in po if not e.obsolete}

        active: list[polib.POEntry] = []
        for paragraph in plan.order:
            occurrences = [(ref, str(n)) for n in plan.lines[paragraph]]
            translation = translations.get(paragraph)
            entry = plan.exact.get(paragraph) or plan.revived.get(paragraph)
            if entry is not None:
                entry.obsolete = False
                if not _is_human(entry) and translation is not None:
                    self._fill(entry, translation, sign(paragraph))
            elif paragraph in plan.fuzzy:
                entry = plan.fuzzy[paragraph]
                entry.previous_msgid = entry.msgid
                entry.msgid = paragraph
                if _is_human(entry):
                    # The old human translation is the editor's starting point.
                    entry.comment = _without_mark(entry.comment)
                    _set_flag(entry, "fuzzy", True)
                elif translation is not None and _clean_machine_text(translation.msgstr):
                    self._fill(entry, translation, sign(paragraph))
                else:
                    # No output: untranslated; a previous msgid without a
                    # fuzzy translation tells the editor nothing.
                    entry.msgstr = ""
                    entry.previous_msgid = None
                    entry.comment = _without_mark(entry.comment)
                    _set_flag(entry, "fuzzy", False)
                    _set_flag(entry, UNRESOLVED_FLAG, False)
            else:
                entry = polib.POEntry(msgid=paragraph, msgstr="")
                if translation is not None:
                    self._fill(entry, translation, sign(paragraph))
            entry.occurrences = occurrences
            active.append(entry)
        active.sort(key=lambda e: int(e.occurrences[0][1]))
        for entry in active:
            if _is_human(entry) and _LINE_BREAK.search(entry.msgstr):
                # Never rewritten: flagged, and rendered from the source.
                self._mark(entry, LINE_BREAK_NOTE)

        revived = {id(e) for e in plan.revived.values()}
        obsolete = [e for e in po if e.obsolete and id(e) not in revived]
        for entry in plan.removed:
            # The machine mark and glossary comments stay (written by
            # `_serialize`, read back by `_read_previous`): an entry that comes
            # back must still be known as machine output.
            entry.obsolete = True
            entry.occurrences = []
            obsolete.append(entry)
        kept = [e for e in po if not e.obsolete and not _is_ours(e)]
        po[:] = active + kept + obsolete

        po.metadata[GLOSSARY_HEADER] = f"sha256:{digest}"
        trailing = "yes" if document.trailing_newline else "no"
        source = f"{document.name}; lines={len(document.lines)}; trailing-newline={trailing}"
        new_active_ids = {e.msgid for e in active}
        if po.metadata.get(SOURCE_HEADER) != source or new_active_ids != old_active_ids:
            # The "template" (the source segments) changed.
            po.metadata["POT-Creation-Date"] = _now()
        po.metadata[SOURCE_HEADER] = source

    def mark_violation(self, msgid: str, reason: str) -> None:
        """Flag an entry that violates the glossary: fuzzy + termguard-unresolved + reason.

        msgstr is never changed. A reviewed entry loses its machine mark, so no
        later run re-translates it: the editor decides.
        """
        self._cached_plan = None
        entry = self._find(msgid)
        if entry is None:
            raise CatalogEntryNotFound(f"no active entry for msgid {msgid[:60]!r}")
        self._operations.append(lambda: self._mark_again(msgid, reason))
        self._mark(entry, reason)

    def _mark_again(self, msgid: str, reason: str) -> None:
        entry = self._find(msgid)
        if entry is not None:  # gone from the newer file: nothing left to flag
            self._mark(entry, reason)

    def _mark(self, entry: polib.POEntry, reason: str) -> None:
        if _is_reviewed(entry):
            entry.comment = _without_mark(entry.comment)
        if entry.msgstr:
            _set_flag(entry, "fuzzy", True)
        _set_flag(entry, UNRESOLVED_FLAG, True)
        note = f"{UNRESOLVED_FLAG}: {_one_line(reason)}"
        lines = [line for line in entry.comment.split("\n") if line]
        if note not in lines:
            lines.append(note)
        entry.comment = "\n".join(lines)

    # -- writing

    def _finalize_header(self) -> None:
        if not self.po.header:
            self.po.header = f"Catalog {self.domain} for locale {self.locale}."
        md = self.po.metadata
        now = _now()
        md["Project-Id-Version"] = self.domain
        md.setdefault("POT-Creation-Date", now)
        md.setdefault("PO-Revision-Date", md["POT-Creation-Date"])
        # msgfmt --check warns when these are missing; an editor's tool fills them in.
        md.setdefault("Last-Translator", "machine translation")
        md.setdefault("Language-Team", self.locale)
        md["Language"] = self.locale
        md["MIME-Version"] = "1.0"
        md["Content-Type"] = "text/plain; charset=UTF-8"
        md["Content-Transfer-Encoding"] = "8bit"
        md["Plural-Forms"] = plural_forms_for(self.locale)
        md["X-Generator"] = self.header.generator
        md[ARGOS_HEADER] = self.header.argos_package

    def _merge_newer_save(self) -> None:
        """Re-apply this session's changes if the file changed since it was read.

        Writers that take our lock are serialised already; an editor's tool
        saving the .po file while a run decodes is not. Its save is read back
        (a broken one raises CatalogParseError and nothing is written) and the
        recorded apply()/mark_violation() calls are replayed on it, so the
        editor's work is merged, not overwritten. The window left is the few
        microseconds between this check and the rename.
        """
        try:
            current: bytes | None = self.path.read_bytes()
        except FileNotFoundError:
            current = None
        except OSError as error:
            raise CatalogReadError(f"cannot read {self.path}: {error.strerror or error}") from None
        if current == self._on_disk:
            return
        if current is None:
            po = polib.POFile(wrapwidth=_NO_WRAP, encoding="utf-8")
            po.metadata = {}
            self._baseline = None
            self._snapshot = files.Snapshot(exists=False)
        else:
            po = _parse_bytes(self.path, current)
            self._baseline = None
            self._snapshot = _snapshot_of(current)
        self._po = po
        self._on_disk = current
        for operation in self._operations:
            operation()

    def _unchanged(self, data: bytes) -> bool:
        """Whether `data` says what the file read says (serialised once in the common case).

        The file as termguard wrote it is `data` byte for byte (line endings
        and BOM aside); only a file an editor's tool re-wrapped is parsed and
        serialised again to compare what it means.
        """
        if self._on_disk is None:
            return False
        raw = self._on_disk.removeprefix(codecs.BOM_UTF8).replace(b"\r\n", b"\n")
        if raw == data:
            return True
        if self._baseline is None:
            self._baseline = _serialize(_parse_bytes(self.path, self._on_disk))
        return data == self._baseline

    def _commit(self) -> None:
        for _ in range(_WRITE_ATTEMPTS):
            self._merge_newer_save()
            self._finalize_header()
            data = _serialize(self.po)
            if self._unchanged(data):
                return  # nothing changed: leave the file (and its mtime) alone
            if self._on_disk is not None:
                self.po.metadata["PO-Revision-Date"] = _now()
                data = _serialize(self.po)
            try:
                # Checked against the bytes read: a save that lands in between
                # is merged on the next round instead of overwritten. The
                # file keeps its line endings, BOM, mode and owner.
                files.write_text(self.path, data.decode("utf-8"), expect=self._snapshot,
                                 newline_like=self._snapshot if self._snapshot.exists else None)
            except files.ConcurrentEditError:
                continue
            except files.FileWriteError as error:
                raise CatalogWriteError(_one_line(str(error))) from None
            return
        raise CatalogWriteError(f"{self.path} kept changing while it was written; nothing was written, run again")

    def render(self, fuzzy: bool = True) -> tuple[str, int]:
        """The translated document from the catalog as this session left it (no re-reading)."""
        po = self._po if self._po is not None else self._final
        if po is None:
            raise CatalogError("the catalog session was never opened")
        return _render(self.path, po, fuzzy)


# --------------------------------------------------------------------------- read-only helpers


def iter_catalogs(catalog_dir: Path | str) -> Iterator[tuple[str, str, Path]]:
    """(locale, domain, path) of every ``DIR/<locale>/LC_MESSAGES/<domain>.po``, sorted."""
    root = Path(catalog_dir)
    if not root.is_dir():
        return
    for path in sorted(root.glob("*/LC_MESSAGES/*.po")):
        if path.is_file():
            yield path.parent.parent.name, path.stem, path


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
        elif _is_fuzzy(entry):
            stats["fuzzy"] += 1
        else:
            stats["translated"] += 1
        if UNRESOLVED_FLAG in entry.flags and _is_fuzzy(entry):
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
        raise CatalogWriteError(_one_line(str(error))) from None
    return target


@dataclass(frozen=True)
class _Layout:
    name: str
    lines: int
    trailing_newline: bool


def _layout(path: Path, po: polib.POFile) -> _Layout:
    value = po.metadata.get(SOURCE_HEADER)
    if value is None:
        raise CatalogLayoutError(f"{path}: no {SOURCE_HEADER} header; run a translation first")
    match = _SOURCE_RE.match(value.strip())
    if not match:
        raise CatalogLayoutError(f"{path}: malformed {SOURCE_HEADER} header: {value!r}")
    return _Layout(match.group("name"), int(match.group("lines")), match.group("trail") == "yes")


def render_document(path: Path | str, fuzzy: bool = True) -> tuple[str, int]:
    """Rebuild the translated document in the source layout.

    Returns (text, fallbacks): each paragraph line without a usable translation
    (untranslated, or fuzzy when ``fuzzy`` is False) keeps the source text and
    counts as one fallback.
    """
    path = Path(path)
    return _render(path, load_catalog(path), fuzzy)


def _render(path: Path, po: polib.POFile, fuzzy: bool) -> tuple[str, int]:
    layout = _layout(path, po)
    ref = _reference_name(layout.name)
    highest = max(
        (int(line) for entry in po if not entry.obsolete and _is_ours(entry)
         for file, line in entry.occurrences if file == ref and str(line).isdigit()),
        default=0,
    )
    if highest > layout.lines:
        raise CatalogLayoutError(
            f"{path}: reference {ref}:{highest} is outside the {layout.lines}-line source"
        )
    if layout.lines > highest + MAX_TRAILING_BLANK_LINES:
        raise CatalogLayoutError(
            f"{path}: the {SOURCE_HEADER} header says lines={layout.lines}, but the last paragraph "
            f"is on line {highest}; the header was changed by hand: run the translation again"
        )
    lines = [""] * layout.lines
    fallbacks = 0
    for entry in po:
        if entry.obsolete or not _is_ours(entry):
            continue
        usable = (bool(entry.msgstr) and (fuzzy or not _is_fuzzy(entry))
                  and not _LINE_BREAK.search(entry.msgstr))
        for file, line in entry.occurrences:
            if file != ref or not str(line).isdigit():
                continue
            number = int(line)
            if not 1 <= number <= layout.lines:
                raise CatalogLayoutError(
                    f"{path}: reference {file}:{line} is outside the {layout.lines}-line source"
                )
            lines[number - 1] = entry.msgstr if usable else entry.msgid
            fallbacks += 0 if usable else 1
    text = "\n".join(lines)
    if layout.trailing_newline and layout.lines:
        text += "\n"
    return text, fallbacks


def entry_is_reviewed(entry: polib.POEntry) -> bool:
    """True for an entry an editor reviewed: not fuzzy, non-empty msgstr."""
    return _is_reviewed(entry)

