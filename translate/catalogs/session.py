"""The catalog update session: lock, read once, merge documents and flags, write back only a change.

A save by a tool that ignores the lock (an editor's PO tool) landing during
the session is read back and the session's changes are replayed on it.
"""

from __future__ import annotations

import codecs
import contextlib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType

import polib

from glossary import files
from glossary.errors import FileLockTimeout as LockTimeout
from glossary.errors import FileWriteError as LockError
from glossary.files.locks import FileLock
from glossary.gc_pause import gc_paused
from translate.catalogs import merge
from translate.catalogs.entries import (
    Signature,
    digest_value,
    entry_is_reviewed,
    is_ours,
    mark,
    one_line,
    signer,
)
from translate.catalogs.errors import (
    CatalogEntryNotFound,
    CatalogError,
    CatalogLockTimeout,
    CatalogReadError,
    CatalogWriteError,
)
from translate.catalogs.header import HeaderInfo, finalize_header, now
from translate.catalogs.po_text import serialize_body, serialize_po
from translate.catalogs.reading import empty_catalog, meaning, parse_bytes, read_bytes, snapshot_of
from translate.catalogs.render import render_catalog
from translate.run.document import MachineTranslation, SourceDocument

__all__ = ["DEFAULT_LOCK_TIMEOUT", "CatalogUpdate"]

DEFAULT_LOCK_TIMEOUT = 60.0
_WRITE_ATTEMPTS = 5  # rounds of merging an editor's save before giving up

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
        # What the entries and header said when read: a session that leaves it so writes nothing.
        self._baseline: tuple[object, ...] | None = None
        # The raw bytes read at the start (None: no file), to notice a save that
        # landed meanwhile without our lock (an editor's tool does not take it).
        self._on_disk: bytes | None = None
        self._final: polib.POFile | None = None  # the catalog as the session left it, for `render`
        self._cached_plan: tuple[SourceDocument, merge.Plan] | None = None
        self._index: tuple[tuple[int, int], dict[str, polib.POEntry]] | None = None  # msgid -> active entry
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
            if self.path.exists():
                self._on_disk = read_bytes(self.path)
                po = parse_bytes(self.path, self._on_disk)
                with gc_paused():
                    self._baseline = meaning(po)
            else:
                po = empty_catalog()
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

    def _find(self, msgid: str) -> polib.POEntry | None:
        po = self.po
        key = (id(po), len(po))
        if self._index is None or self._index[0] != key:
            # One index for a run of lookups (marking many reviewed entries stays linear).
            index: dict[str, polib.POEntry] = {}
            for entry in po:
                if not entry.obsolete and is_ours(entry):
                    index.setdefault(entry.msgid, entry)
            self._index = (key, index)
        found = self._index[1].get(msgid)
        if found is not None and not found.obsolete and found.msgid == msgid and is_ours(found):
            return found
        self._index = None  # changed since it was made: look again
        for entry in po:
            if not entry.obsolete and is_ours(entry) and entry.msgid == msgid:
                return entry
        return None

    def reviewed(self) -> list[tuple[str, str]]:
        """(msgid, msgstr) of every active entry an editor reviewed, in file order."""
        return [(e.msgid, e.msgstr) for e in self.po if not e.obsolete and is_ours(e) and entry_is_reviewed(e)]

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
        sign = signer(glossary_digest, signature)
        with gc_paused():
            planned = merge.plan(self.po, self.path, document)
            self._cached_plan = (document, planned)
            return merge.to_translate(planned, sign)

    # -- updates

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
        digest = digest_value(glossary_digest)
        sign = signer(glossary_digest, signature)
        translations = dict(translations)
        self._operations.append(lambda: self._apply(document, translations, digest, sign))
        self._apply(document, translations, digest, sign)

    def _apply(self, document: SourceDocument, translations: Mapping[str, MachineTranslation], digest: str,
               sign: Signature) -> None:
        cached, self._cached_plan = self._cached_plan, None
        # The plan needs_translation made, if nothing changed since: planned once per run.
        with gc_paused():
            planned = cached[1] if cached is not None and cached[0] is document else merge.plan(
                self.po, self.path, document)
            merge.merge(self.po, document, planned, translations, digest, sign)
        self._index = None

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
        mark(entry, reason)

    def _mark_again(self, msgid: str, reason: str) -> None:
        entry = self._find(msgid)
        if entry is not None:  # gone from the newer file: nothing left to flag
            mark(entry, reason)

    # -- writing

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
            po = empty_catalog()
            self._baseline = None
        else:
            po = parse_bytes(self.path, current)
            self._baseline = meaning(po)
        self._po = po
        self._on_disk = current
        for operation in self._operations:
            operation()

    def _unchanged(self) -> bool:
        """Whether the catalog still says what the file read said (then nothing is serialised).

        A file an editor's tool re-wrapped says the same in other bytes: it is
        left as it is too.
        """
        return self._baseline is not None and meaning(self.po) == self._baseline

    def _commit(self) -> None:
        with gc_paused():
            self._write()

    def _write(self) -> None:
        for _ in range(_WRITE_ATTEMPTS):
            self._merge_newer_save()
            finalize_header(self.po, domain=self.domain, locale=self.locale, header=self.header)
            if self._unchanged():
                return  # nothing changed: leave the file (and its mtime) alone
            body = serialize_body(self.po)  # the entries are serialised once; only the header again
            data = serialize_po(self.po, body)
            if self._on_disk is not None:
                if self._on_disk.removeprefix(codecs.BOM_UTF8).replace(b"\r\n", b"\n") == data:
                    return
                self.po.metadata["PO-Revision-Date"] = now()
                data = serialize_po(self.po, body)
            # Made only now: a session that writes nothing needs no digest of the bytes read.
            snapshot = snapshot_of(self._on_disk) if self._on_disk is not None else files.Snapshot(exists=False)
            try:
                # Checked against the bytes read: a save that lands in between
                # is merged on the next round instead of overwritten. The
                # file keeps its line endings, BOM, mode and owner.
                files.write_text(self.path, data.decode("utf-8"), expect=snapshot,
                                 newline_like=snapshot if snapshot.exists else None)
            except files.ConcurrentEditError:
                continue
            except files.FileWriteError as error:
                raise CatalogWriteError(one_line(str(error))) from None
            return
        raise CatalogWriteError(f"{self.path} kept changing while it was written; nothing was written, run again")

    def render(self, fuzzy: bool = True) -> tuple[str, int]:
        """The translated document from the catalog as this session left it (no re-reading)."""
        po = self._po if self._po is not None else self._final
        if po is None:
            raise CatalogError("the catalog session was never opened")
        with gc_paused():
            return render_catalog(self.path, po, fuzzy)
