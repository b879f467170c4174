"""translate.catalogs (session, merge, fuzzy, render, folder): msgmerge-like updates of per-locale gettext catalogs."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary.files.locks import FileLock
from translate.catalogs.entries import MACHINE_MARK, UNRESOLVED_FLAG
from translate.catalogs.errors import (
    CatalogEntryNotFound,
    CatalogError,
    CatalogLayoutError,
    CatalogLockTimeout,
    CatalogParseError,
    CatalogWriteError,
)
from translate.catalogs.folder import catalog_path, catalog_stats, compile_catalog, iter_catalogs
from translate.catalogs.header import HeaderInfo
from translate.catalogs.reading import load_catalog
from translate.catalogs.render import render_document
from translate.catalogs.session import CatalogUpdate
from translate.run.document import MachineTranslation, SourceDocument

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "tests" / "data" / "catalog"
ARTICLE = REPO / "samples" / "nato-armenia-azerbaijan.txt"
WORKER = DATA / "catalog_worker.py"
MSGFMT = Path("/usr/bin/msgfmt")
HEADER = HeaderInfo(argos_package="en->qtc 1.0")
DIGEST = "a" * 64
OTHER_DIGEST = "b" * 64


# ----------------------------------------------------------------------------- helpers


def fake_mt(paragraph: str, unresolved: bool = False) -> MachineTranslation:
    """A deterministic stand-in for the decoder."""
    return MachineTranslation(
        msgstr="qtc: " + " ".join(reversed(paragraph.split())),
        comments=("concepts: none",),
        unresolved=unresolved,
    )


def update(
    path: Path,
    document: SourceDocument,
    digest: str = DIGEST,
    locale: str = "qtc",
    domain: str = "article",
    translate: Callable[[str], MachineTranslation] = fake_mt,
) -> list[str]:
    """One pipeline run as the lead's code does it; returns what was decoded."""
    with CatalogUpdate.open(path, locale=locale, domain=domain, header=HEADER) as cat:
        need = cat.needs_translation(document, digest)
        cat.apply(document, {p: translate(p) for p in need}, digest)
    return need


def msgfmt_check(path: Path) -> None:
    if not MSGFMT.exists():
        pytest.skip("GNU msgfmt is not installed at /usr/bin/msgfmt")
    run = subprocess.run(
        [str(MSGFMT), "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr == "", run.stderr  # not even a warning


def assert_readers_agree(path: Path) -> None:
    """Babel and polib read the same entries back."""
    with path.open("rb") as handle:
        babel_catalog = read_po(handle)
    po = polib.pofile(str(path))
    babel_active = {
        (m.id, m.string, m.fuzzy) for m in babel_catalog if m.id
    }
    polib_active = {(e.msgid, e.msgstr, e.fuzzy) for e in po if not e.obsolete}
    assert babel_active == polib_active
    assert {m for m in babel_catalog.obsolete} == {e.msgid for e in po if e.obsolete}
    assert babel_catalog.locale_identifier or po.metadata["Language"] == "qtc"


def valid(path: Path) -> None:
    msgfmt_check(path)
    assert_readers_agree(path)


def entry(path: Path, msgid: str, obsolete: bool = False) -> polib.POEntry:
    po = load_catalog(path)
    found = [e for e in po if e.msgid == msgid and e.obsolete == obsolete]
    assert len(found) == 1, f"{msgid!r} not found (obsolete={obsolete})"
    return found[0]


def edit(path: Path, change: Callable[[polib.POFile], None]) -> None:
    """An editor's PO tool: reads, changes, saves with its own line wrapping."""
    po = polib.pofile(str(path), wrapwidth=78)
    change(po)
    po.save()


def find(po: polib.POFile, msgid: str) -> polib.POEntry:
    found = po.find(msgid)
    assert found is not None, f"{msgid!r} is not in the catalog"
    return found


def doc(text: str, name: str = "article.txt") -> SourceDocument:
    return SourceDocument.from_text(name, text)


@pytest.fixture
def cat_path(tmp_path: Path) -> Path:
    return catalog_path(tmp_path / "locales", "qtc", "article")


# ----------------------------------------------------------------------------- documents


@pytest.mark.parametrize(
    ("text", "lines", "trailing"),
    [
        ("a\nb\n", ("a", "b"), True),
        ("a\r\nb", ("a", "b"), False),
        ("a\rb\r", ("a", "b"), True),
        ("\ufeffa\n\n\nb", ("a", "", "", "b"), False),
        ("", (), False),
        ("\n", ("",), True),
    ],
    ids=["lf-trailing", "crlf-no-trailing", "cr", "bom-blank-lines", "empty", "only-newline"],
)
def test_source_document_layout(text: str, lines: tuple[str, ...], trailing: bool) -> None:
    document = doc(text)
    assert document.lines == lines
    assert document.trailing_newline is trailing
    normalized = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    assert document.to_text() == normalized
    assert document.paragraphs() == [(i, s) for i, s in enumerate(lines, 1) if s.strip()]


def test_catalog_path_layout(tmp_path: Path) -> None:
    assert catalog_path(tmp_path, "pt_BR", "nato") == tmp_path / "pt_BR" / "LC_MESSAGES" / "nato.po"
    with pytest.raises(CatalogError):
        catalog_path(tmp_path, "../de", "nato")


# ----------------------------------------------------------------------------- first run


@pytest.mark.parametrize(
    ("locale", "plural_forms"),
    [
        ("qtc", "nplurals=2; plural=(n != 1);"),
        ("de", "nplurals=2; plural=(n != 1);"),
        ("ru", None),
        ("pt_BR", None),
        ("ar", None),
    ],
    ids=["qtc-test-language", "de", "ru", "pt_BR", "ar"],
)
def test_first_run_writes_a_valid_catalog(tmp_path: Path, locale: str, plural_forms: str | None) -> None:
    from babel.messages.plurals import get_plural

    path = catalog_path(tmp_path, locale, "nato")
    article = doc(ARTICLE.read_text(encoding="utf-8"), ARTICLE.name)
    need = update(path, article, locale=locale, domain="nato")
    assert need == list(dict.fromkeys(p for _, p in article.paragraphs()))
    valid(path)
    po = load_catalog(path)
    md = po.metadata
    expected_plural = plural_forms or str(get_plural(locale).plural_forms)
    assert md["Plural-Forms"] == expected_plural
    assert md["Language"] == locale
    assert md["Project-Id-Version"] == "nato"
    assert md["Content-Type"] == "text/plain; charset=UTF-8"
    assert md["Content-Transfer-Encoding"] == "8bit"
    assert md["MIME-Version"] == "1.0"
    assert md["X-Generator"].startswith("termguard ")
    assert md["X-Termguard-Argos-Package"] == "en->qtc 1.0"
    assert md["X-Termguard-Glossary"] == f"sha256:{DIGEST}"
    assert md["X-Termguard-Source"] == f"{ARTICLE.name}; lines={len(article.lines)}; trailing-newline=no"
    assert md["POT-Creation-Date"] == md["PO-Revision-Date"]
    for e in po:
        assert e.fuzzy and e.msgstr == fake_mt(e.msgid).msgstr
        assert "concepts: none" in e.comment and MACHINE_MARK in e.comment
        assert e.occurrences[0][0] == ARTICLE.name
    assert not (path.parent / f".{path.name}.tmp").exists()


def test_repeated_paragraph_is_one_entry_with_every_reference(cat_path: Path) -> None:
    update(cat_path, doc("Dateline Yerevan\n\nBody one.\n\nDateline Yerevan\nBody two.\n"))
    valid(cat_path)
    po = load_catalog(cat_path)
    assert [e.msgid for e in po] == ["Dateline Yerevan", "Body one.", "Body two."]
    assert po[0].occurrences == [("article.txt", "1"), ("article.txt", "5")]
    assert "#: article.txt:1 article.txt:5" in cat_path.read_text(encoding="utf-8")


def test_unresolved_flag_and_comments(cat_path: Path) -> None:
    def translate(paragraph: str) -> MachineTranslation:
        return MachineTranslation(
            "qtc: Karabakh",
            ("karabakh: Karabach (preferred)", "note: use the short form", "enforcement: gave up"),
            unresolved="Karabakh" in paragraph,
        )

    update(cat_path, doc("Fighting in Karabakh.\nTalks in Brussels."), translate=translate)
    valid(cat_path)
    flagged = entry(cat_path, "Fighting in Karabakh.")
    assert flagged.flags == ["fuzzy", UNRESOLVED_FLAG]
    assert flagged.comment.split("\n")[:3] == list(translate("").comments)
    assert entry(cat_path, "Talks in Brussels.").flags == ["fuzzy"]
    assert catalog_stats(cat_path)["violations"] == 1


def test_machine_line_breaks_are_flattened(cat_path: Path) -> None:
    update(cat_path, doc("One line."), translate=lambda p: MachineTranslation("\nTwo\r\nlines\n"))
    valid(cat_path)
    assert entry(cat_path, "One line.").msgstr == " Two lines "


def test_entry_without_translation_stays_untranslated(cat_path: Path) -> None:
    document = doc("First.\nSecond.")
    with CatalogUpdate.open(cat_path, locale="qtc", domain="article", header=HEADER) as cat:
        cat.apply(document, {"First.": fake_mt("First.")}, DIGEST)
    valid(cat_path)
    assert entry(cat_path, "Second.").msgstr == "" and not entry(cat_path, "Second.").fuzzy
    with CatalogUpdate.open(cat_path, locale="qtc", domain="article", header=HEADER) as cat:
        assert cat.needs_translation(document, DIGEST) == ["Second."]


# ----------------------------------------------------------------------------- re-runs


def test_second_identical_run_is_byte_identical(cat_path: Path) -> None:
    article = doc(ARTICLE.read_text(encoding="utf-8"), ARTICLE.name)
    update(cat_path, article)
    before = cat_path.read_bytes()
    mtime = cat_path.stat().st_mtime_ns
    time.sleep(0.01)
    assert update(cat_path, article) == []
    assert cat_path.read_bytes() == before
    assert cat_path.stat().st_mtime_ns == mtime


def test_rerun_after_an_editor_rewrapped_the_file_does_not_touch_it(cat_path: Path) -> None:
    article = doc(ARTICLE.read_text(encoding="utf-8"), ARTICLE.name)
    update(cat_path, article)
    edit(cat_path, lambda po: None)  # same content, another tool's line wrapping
    rewrapped = cat_path.read_bytes()
    assert update(cat_path, article) == []
    assert cat_path.read_bytes() == rewrapped


def test_new_glossary_retranslates_machine_output_only(cat_path: Path) -> None:
    document = doc("Machine only.\nReviewed by an editor.\nEdited but left fuzzy.")
    update(cat_path, document)

    def review(po: polib.POFile) -> None:
        find(po, "Reviewed by an editor.").flags.remove("fuzzy")
        find(po, "Edited but left fuzzy.").msgstr = "hand-made text"

    edit(cat_path, review)
    revision = load_catalog(cat_path).metadata["PO-Revision-Date"]
    with CatalogUpdate.open(cat_path, locale="qtc", domain="article", header=HEADER) as cat:
        assert cat.needs_translation(document, OTHER_DIGEST) == ["Machine only."]
        # Output for human entries is ignored even when offered.
        offered = {p: MachineTranslation("NEW " + p) for _, p in document.paragraphs()}
        cat.apply(document, offered, OTHER_DIGEST)
    valid(cat_path)
    assert entry(cat_path, "Machine only.").msgstr == "NEW Machine only."
    assert entry(cat_path, "Reviewed by an editor.").msgstr == fake_mt("Reviewed by an editor.").msgstr
    assert entry(cat_path, "Edited but left fuzzy.").msgstr == "hand-made text"
    po = load_catalog(cat_path)
    assert po.metadata["X-Termguard-Glossary"] == f"sha256:{OTHER_DIGEST}"
    assert po.metadata["PO-Revision-Date"] >= revision
    with CatalogUpdate.open(cat_path, locale="qtc", domain="article", header=HEADER) as cat:
        assert cat.needs_translation(document, OTHER_DIGEST) == []


# ----------------------------------------------------------------------------- editors and changes

HEADLINE = "Peace talks resume in Yerevan after months of silence"
PARA_A = "The foreign ministers met for three hours on Tuesday."
PARA_B = "Both delegations described the atmosphere as constructive and businesslike."
PARA_B2 = "Both delegations described the atmosphere as constructive and very businesslike."
PARA_C = "Observers from the European Union attended the opening session."
PARA_D = "A joint statement is expected before the end of the week, officials said."
PARA_D2 = "A joint statement is expected before the end of next week, officials said."
PARA_E = "Weather forecasts predict heavy snow in the mountain passes."
PARA_F = "Regional transport corridors remain the hardest question on the table."


def test_editor_work_survives_a_changed_source(cat_path: Path) -> None:
    first = doc("\n\n".join([HEADLINE, PARA_A, PARA_B, PARA_C, PARA_D, PARA_E, HEADLINE]) + "\n")
    update(cat_path, first)
    valid(cat_path)

    def editor(po: polib.POFile) -> None:
        find(po, PARA_A).flags.remove("fuzzy")  # accepted as is
        b = find(po, PARA_B)
        b.msgstr = "Editor's own translation of B"
        b.flags.remove("fuzzy")
        find(po, PARA_C).tcomment = "Checked against the AFP original."

    edit(cat_path, editor)
    valid(cat_path)

    second = doc("\n\n".join([HEADLINE, PARA_F, PARA_A, PARA_B2, PARA_C, PARA_D2]))
    with CatalogUpdate.open(cat_path, locale="qtc", domain="article", header=HEADER) as cat:
        need = cat.needs_translation(second, DIGEST)
        assert need == [PARA_F, PARA_D2]  # B2 starts from the editor's text
        cat.apply(second, {p: fake_mt(p) for p in need}, DIGEST)
    valid(cat_path)

    po = load_catalog(cat_path)
    assert [e.msgid for e in po if not e.obsolete] == [HEADLINE, PARA_F, PARA_A, PARA_B2, PARA_C, PARA_D2]
    a = entry(cat_path, PARA_A)
    assert not a.fuzzy and a.msgstr == fake_mt(PARA_A).msgstr
    b2 = entry(cat_path, PARA_B2)
    assert b2.fuzzy and b2.previous_msgid == PARA_B and b2.msgstr == "Editor's own translation of B"
    assert MACHINE_MARK not in b2.comment
    assert entry(cat_path, PARA_C).tcomment == "Checked against the AFP original."
    d2 = entry(cat_path, PARA_D2)
    assert d2.fuzzy and d2.previous_msgid == PARA_D and d2.msgstr == fake_mt(PARA_D2).msgstr
    e = entry(cat_path, PARA_E, obsolete=True)
    assert e.msgstr == fake_mt(PARA_E).msgstr
    assert entry(cat_path, HEADLINE).occurrences == [("article.txt", "1")]
    assert entry(cat_path, PARA_F).occurrences == [("article.txt", "3")]
    text = cat_path.read_text(encoding="utf-8")
    assert f'#| msgid "{PARA_B}"' in text and f'#~ msgid "{PARA_E}"' in text
    assert catalog_stats(cat_path) == {
        "translated": 1, "fuzzy": 5, "untranslated": 0, "obsolete": 1, "violations": 0,
    }

    # Re-running on the changed document changes nothing more.
    before = cat_path.read_bytes()
    assert update(cat_path, second) == []
    assert cat_path.read_bytes() == before

    # The editor reviews B2; the paragraph comes back: the reviewed entry is untouched.
    edit(cat_path, lambda po: find(po, PARA_B2).flags.remove("fuzzy"))
    update(cat_path, second, digest=OTHER_DIGEST)
    assert entry(cat_path, PARA_B2).msgstr == "Editor's own translation of B"
    assert not entry(cat_path, PARA_B2).fuzzy


def test_dissimilar_paragraph_is_new_not_fuzzy(cat_path: Path) -> None:
    update(cat_path, doc(PARA_A))
    update(cat_path, doc(PARA_E))
    new = entry(cat_path, PARA_E)
    assert new.previous_msgid is None and new.msgstr == fake_mt(PARA_E).msgstr
    assert entry(cat_path, PARA_A, obsolete=True).msgstr == fake_mt(PARA_A).msgstr
    valid(cat_path)


def test_obsolete_entry_comes_back_with_its_translation(cat_path: Path) -> None:
    update(cat_path, doc(f"{PARA_A}\n{PARA_C}"))
    edit(cat_path, lambda po: find(po, PARA_C).flags.remove("fuzzy"))
    update(cat_path, doc(PARA_A))
    assert entry(cat_path, PARA_C, obsolete=True).msgstr == fake_mt(PARA_C).msgstr
    assert update(cat_path, doc(f"{PARA_C}\n{PARA_A}")) == []
    c = entry(cat_path, PARA_C)
    assert not c.fuzzy and c.occurrences == [("article.txt", "1")]
    assert not [e for e in load_catalog(cat_path) if e.obsolete]
    valid(cat_path)


def test_mark_violation_flags_a_reviewed_entry(cat_path: Path) -> None:
    document = doc(f"{PARA_A}\n{PARA_C}")
    update(cat_path, document)
    edit(cat_path, lambda po: find(po, PARA_A).flags.remove("fuzzy"))
    with CatalogUpdate.open(cat_path, locale="qtc", domain="article", header=HEADER) as cat:
        assert cat.reviewed() == [(PARA_A, fake_mt(PARA_A).msgstr)]
    for _ in range(2):  # idempotent
        with CatalogUpdate.open(cat_path, locale="qtc", domain="article", header=HEADER) as cat:
            cat.mark_violation(PARA_A, "karabakh: expected Karabach,\nfound Arzach")
    valid(cat_path)
    a = entry(cat_path, PARA_A)
    assert a.msgstr == fake_mt(PARA_A).msgstr
    assert a.flags == ["fuzzy", UNRESOLVED_FLAG]
    assert a.comment.split("\n").count(f"{UNRESOLVED_FLAG}: karabakh: expected Karabach, found Arzach") == 1
    assert catalog_stats(cat_path)["violations"] == 1
    # A new glossary never re-translates it: the editor decides.
    with CatalogUpdate.open(cat_path, locale="qtc", domain="article", header=HEADER) as cat:
        assert cat.needs_translation(document, OTHER_DIGEST) == [PARA_C]
        with pytest.raises(CatalogEntryNotFound):
            cat.mark_violation("not in the catalog", "x")
    # Reviewing it again settles the violation.
    edit(cat_path, lambda po: find(po, PARA_A).flags.remove("fuzzy"))
    assert catalog_stats(cat_path)["violations"] == 0


def test_an_exception_in_the_session_writes_nothing(cat_path: Path) -> None:
    update(cat_path, doc(PARA_A))
    before = cat_path.read_bytes()
    with pytest.raises(RuntimeError):
        with CatalogUpdate.open(cat_path, locale="qtc", domain="article", header=HEADER) as cat:
            cat.apply(doc(PARA_B), {PARA_B: fake_mt(PARA_B)}, DIGEST)
            raise RuntimeError("decoder crashed")
    assert cat_path.read_bytes() == before
    fresh = cat_path.with_name("new.po")
    with pytest.raises(RuntimeError):
        with CatalogUpdate.open(fresh, locale="qtc", domain="new", header=HEADER):
            raise RuntimeError("before anything")
    assert not fresh.exists()


# ----------------------------------------------------------------------------- broken catalogs, write errors

BROKEN = {
    "unterminated-string.po": 7,
    "unescaped-quote.po": 6,
    "invalid-escape.po": 7,
    "unknown-keyword.po": 8,
    "duplicate-msgid.po": 12,
    "invalid-utf8.po": 7,
    "msgstr-without-msgid.po": 6,
    "missing-msgstr.po": 9,
}


@pytest.mark.parametrize(("name", "line"), sorted(BROKEN.items()), ids=sorted(BROKEN))
def test_broken_catalog_is_reported_and_never_overwritten(tmp_path: Path, name: str, line: int) -> None:
    path = catalog_path(tmp_path, "de", "article")
    path.parent.mkdir(parents=True)
    shutil.copyfile(DATA / name, path)
    before = path.read_bytes()
    with pytest.raises(CatalogParseError) as caught:
        with CatalogUpdate.open(path, locale="de", domain="article", header=HEADER) as cat:
            cat.apply(doc(PARA_A), {PARA_A: fake_mt(PARA_A)}, DIGEST)
    assert caught.value.path == path and caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == before
    for reader in (catalog_stats, compile_catalog, render_document, load_catalog):
        with pytest.raises(CatalogParseError):
            reader(path)
    assert not path.with_suffix(".mo").exists()
    # The lock was released: the next session fails the same way, without waiting.
    with pytest.raises(CatalogParseError):
        with CatalogUpdate.open(path, locale="de", domain="article", header=HEADER, lock_timeout=0.5):
            pass


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permission bits; the injected-error cases cover it")
def test_read_only_folder_raises_write_error(cat_path: Path) -> None:
    update(cat_path, doc(PARA_A))
    before = cat_path.read_bytes()
    cat_path.parent.chmod(0o555)
    try:
        with pytest.raises(CatalogWriteError) as caught:
            update(cat_path, doc(PARA_B))
    finally:
        cat_path.parent.chmod(0o755)
    assert "\n" not in str(caught.value)
    assert cat_path.read_bytes() == before
    assert _leftovers(cat_path.parent) == []


@pytest.mark.parametrize(
    ("failing", "code"),
    [("mkstemp", errno.EROFS), ("mkstemp", errno.EACCES), ("fsync", errno.ENOSPC), ("replace", errno.EROFS)],
    ids=["read-only-fs", "permission-denied", "disk-full", "rename-fails"],
)
def test_write_errors_leave_the_old_catalog(
    cat_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str, code: int
) -> None:
    update(cat_path, doc(PARA_A))
    before = cat_path.read_bytes()

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    from glossary.files import atomic

    if failing == "mkstemp":
        monkeypatch.setattr(atomic, "write_temp", fail)
    else:
        monkeypatch.setattr(atomic.os, failing, fail)
    with pytest.raises(CatalogWriteError) as caught:
        update(cat_path, doc(PARA_B))
    monkeypatch.undo()
    message = str(caught.value)
    assert "\n" not in message and os.strerror(code) in message and str(cat_path) in message
    assert cat_path.read_bytes() == before
    assert _leftovers(cat_path.parent) == []
    load_catalog(cat_path)


def test_permissions_of_the_old_file_are_kept(cat_path: Path) -> None:
    update(cat_path, doc(PARA_A))
    cat_path.chmod(0o640)
    update(cat_path, doc(PARA_B))
    assert cat_path.stat().st_mode & 0o777 == 0o640


# ----------------------------------------------------------------------------- locking, killed writers, concurrency


def test_lock_timeout_is_a_typed_error(cat_path: Path) -> None:
    update(cat_path, doc(PARA_A))
    # Held by another thread: a lock is re-entrant only within one thread.
    held, done = threading.Event(), threading.Event()

    def hold() -> None:
        with FileLock(cat_path.with_name(cat_path.name + ".lock")):
            held.set()
            done.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(30)
    try:
        start = time.monotonic()
        with pytest.raises(CatalogLockTimeout):
            with CatalogUpdate.open(cat_path, locale="qtc", domain="article", header=HEADER, lock_timeout=0.3):
                pass
        assert time.monotonic() - start < 5
    finally:
        done.set()
        holder.join()


def _worker(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(REPO), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _generation(path: Path) -> int:
    po = load_catalog(path)
    generations = {e.msgid.split("generation ")[1].split(":")[0] for e in po if not e.obsolete}
    assert len(generations) == 1, "a catalog mixing two writes"
    assert len([e for e in po if not e.obsolete]) == 3000
    return int(generations.pop())


def _read_line(process: subprocess.Popen[str], timeout: float = 120) -> str:
    result: list[str] = []
    reader = threading.Thread(target=lambda: result.append(process.stdout.readline()))  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout)
    assert result and result[0], f"worker said nothing: {process.stderr.read() if process.poll() is not None else ''}"  # type: ignore[union-attr]
    return result[0].strip()


def test_writer_killed_inside_the_atomic_write_leaves_the_old_catalog(tmp_path: Path) -> None:
    path = catalog_path(tmp_path, "qtc", "big")
    first = _worker("loop", str(path), "0")
    assert _read_line(first) == "COMMITTED 1"
    first.kill()
    first.wait()
    assert _generation(path) >= 1
    before = path.read_bytes()

    stalled = _worker("pause", str(path), "99")
    assert _read_line(stalled) == "WRITING"
    temps = [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert temps and temps[0].stat().st_size > len(before) // 2  # the new catalog was being written
    stalled.send_signal(signal.SIGKILL)
    stalled.wait()
    assert path.read_bytes() == before
    valid(path)
    # The kernel released the dead writer's lock; the next session cleans its temp file.
    with CatalogUpdate.open(path, locale="qtc", domain="big", header=HEADER, lock_timeout=2):
        pass
    assert _leftovers(path.parent) == []


def test_writer_killed_at_a_random_moment_leaves_a_whole_catalog(tmp_path: Path) -> None:
    path = catalog_path(tmp_path, "qtc", "big")
    looping = _worker("loop", str(path), "0")
    assert _read_line(looping) == "COMMITTED 1"
    time.sleep(0.7)  # somewhere inside a later write
    looping.send_signal(signal.SIGKILL)
    looping.wait()
    assert _generation(path) >= 1
    load_catalog(path)
    with CatalogUpdate.open(path, locale="qtc", domain="big", header=HEADER, lock_timeout=2):
        pass
    assert _leftovers(path.parent) == []


def _reviewed_catalog(path: Path, paragraphs: list[str]) -> None:
    update(path, doc("\n".join(paragraphs)), domain="small")

    def review(po: polib.POFile) -> None:
        for e in po:
            e.flags.remove("fuzzy")

    edit(path, review)


@pytest.mark.parametrize("mode", ["threads", "processes"], ids=["threads", "processes"])
def test_concurrent_updates_lose_nothing(tmp_path: Path, mode: str) -> None:
    path = catalog_path(tmp_path, "qtc", "small")
    paragraphs = [f"Paragraph number {i} about the talks." for i in range(6)]
    _reviewed_catalog(path, paragraphs)

    if mode == "threads":
        def mark(msgid: str) -> None:
            with CatalogUpdate.open(path, locale="qtc", domain="small", header=HEADER) as cat:
                time.sleep(0.05)  # widen the read-modify-write window
                cat.mark_violation(msgid, f"violation in {msgid}")

        threads = [threading.Thread(target=mark, args=(p,)) for p in paragraphs]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    else:
        workers = [_worker("mark", str(path), p) for p in paragraphs]
        for w in workers:
            _out, err = w.communicate(timeout=120)
            assert w.returncode == 0, err

    po = load_catalog(path)
    assert [e.msgid for e in po] == paragraphs
    for e in po:
        assert UNRESOLVED_FLAG in e.flags, f"lost update on {e.msgid!r}"
        assert f"{UNRESOLVED_FLAG}: violation in {e.msgid}" in e.comment
    valid(path)


def test_concurrent_different_documents_keep_every_entry(tmp_path: Path) -> None:
    path = catalog_path(tmp_path, "qtc", "article")
    docs = [doc(f"{PARA_A}\n{PARA_C}"), doc(f"{PARA_E}\n{PARA_F}")]
    threads = [threading.Thread(target=update, args=(path, d)) for d in docs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    po = load_catalog(path)
    assert {e.msgid for e in po} == {PARA_A, PARA_C, PARA_E, PARA_F}
    assert len([e for e in po if e.obsolete]) == 2
    valid(path)


# ----------------------------------------------------------------------------- round trip property

_TEXT = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=80)
_SPICY = st.lists(
    st.sampled_from(['"', "\\", "\n", "\t", "\r", "\\n", '\\"', "𝔘", "😀", "\u2028", "\x85", "\x0c", " ", "a"]),
    min_size=1,
    max_size=12,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(msgid=st.one_of(_TEXT, _SPICY), msgstr=st.one_of(_TEXT, _SPICY))
def test_write_then_read_keeps_any_text(tmp_path: Path, msgid: str, msgstr: str) -> None:
    path = catalog_path(tmp_path / uuid.uuid4().hex, "qtc", "prop")
    with CatalogUpdate.open(path, locale="qtc", domain="prop", header=HEADER) as cat:
        cat.po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=["fuzzy"], tcomment="t"))
    (back,) = list(load_catalog(path))
    assert (back.msgid, back.msgstr) == (msgid, msgstr)
    if not set(msgid + msgstr) & {"\b", "\v", "\f"}:  # Babel does not unescape \b \v \f
        with path.open("rb") as handle:
            (message,) = [m for m in read_po(handle) if m.id]
        assert (message.id, message.string) == (msgid, msgstr)
    # A session that changes nothing leaves the bytes alone.
    before = path.read_bytes()
    with CatalogUpdate.open(path, locale="qtc", domain="prop", header=HEADER):
        pass
    assert path.read_bytes() == before


# ----------------------------------------------------------------------------- reading helpers


@pytest.mark.parametrize(
    ("text", "fuzzy", "expected", "fallbacks"),
    [
        ("Alpha.\n\n\nBeta.\n", True, "qtc: Alpha.\n\n\nqtc: Beta.\n", 0),
        ("Alpha.\n\nBeta.", True, "qtc: Alpha.\n\nqtc: Beta.", 0),
        ("Alpha.\n\nAlpha.\nBeta.", False, "Alpha.\n\nAlpha.\nBeta.", 3),
        ("\n\nAlpha.\n\n", True, "\n\nqtc: Alpha.\n\n", 0),
        ("", True, "", 0),
    ],
    ids=["blank-lines-trailing-newline", "no-trailing-newline", "repeated-no-fuzzy", "leading-blank-lines", "empty"],
)
def test_render_rebuilds_the_layout(cat_path: Path, text: str, fuzzy: bool, expected: str, fallbacks: int) -> None:
    update(cat_path, doc(text))
    assert render_document(cat_path, fuzzy=fuzzy) == (expected, fallbacks)


def test_render_mixes_reviewed_fuzzy_and_untranslated(cat_path: Path) -> None:
    document = doc("Reviewed.\n\nFuzzy.\nMissing.\nReviewed.")
    with CatalogUpdate.open(cat_path, locale="qtc", domain="article", header=HEADER) as cat:
        cat.apply(document, {"Reviewed.": fake_mt("Reviewed."), "Fuzzy.": fake_mt("Fuzzy.")}, DIGEST)
    edit(cat_path, lambda po: find(po, "Reviewed.").flags.remove("fuzzy"))
    assert render_document(cat_path, fuzzy=True) == (
        "qtc: Reviewed.\n\nqtc: Fuzzy.\nMissing.\nqtc: Reviewed.", 1
    )
    assert render_document(cat_path, fuzzy=False) == (
        "qtc: Reviewed.\n\nFuzzy.\nMissing.\nqtc: Reviewed.", 2
    )


def test_render_needs_the_source_layout(tmp_path: Path) -> None:
    path = tmp_path / "plain.po"
    path.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n', encoding="utf-8")
    with pytest.raises(CatalogLayoutError):
        render_document(path)


def test_compile_writes_reviewed_entries_only(cat_path: Path) -> None:
    update(cat_path, doc("Reviewed.\nFuzzy."))
    edit(cat_path, lambda po: find(po, "Reviewed.").flags.remove("fuzzy"))
    mo = compile_catalog(cat_path)
    assert mo == cat_path.with_suffix(".mo")
    assert {(e.msgid, e.msgstr) for e in polib.mofile(str(mo))} == {("Reviewed.", fake_mt("Reviewed.").msgstr)}
    assert _leftovers(cat_path.parent) == []


def test_iter_catalogs_and_stats(tmp_path: Path) -> None:
    root = tmp_path / "locales"
    update(catalog_path(root, "de", "nato"), doc("One.\nTwo.\nThree."), locale="de")
    update(catalog_path(root, "qtc", "nato"), doc("One."))
    update(catalog_path(root, "qtc", "other"), doc("One."))
    compile_catalog(catalog_path(root, "de", "nato"))
    (root / "README.txt").write_text("not a catalog", encoding="utf-8")
    found = list(iter_catalogs(root))
    assert [(loc, dom) for loc, dom, _ in found] == [("de", "nato"), ("qtc", "nato"), ("qtc", "other")]
    assert catalog_stats(found[0][2]) == {
        "translated": 0, "fuzzy": 3, "untranslated": 0, "obsolete": 0, "violations": 0,
    }
    assert list(iter_catalogs(tmp_path / "missing")) == []


def test_document_names_with_spaces_stay_parseable(tmp_path: Path) -> None:
    path = catalog_path(tmp_path, "qtc", "spaces")
    update(path, doc("Alpha.\n\nBeta.", name="my article; final.txt"), domain="spaces")
    valid(path)
    assert entry(path, "Beta.").occurrences == [("my_article;_final.txt", "3")]
    assert render_document(path) == ("qtc: Alpha.\n\nqtc: Beta.", 0)


def test_previous_msgid_and_flags_are_read_back(cat_path: Path) -> None:
    update(cat_path, doc(PARA_D))
    update(cat_path, doc(PARA_D2), translate=lambda p: fake_mt(p, unresolved=True))
    valid(cat_path)
    with cat_path.open("rb") as handle:
        (message,) = [m for m in read_po(handle) if m.id]
    # Babel's reader drops "#|" lines; polib (and msgmerge, Poedit) keep them.
    assert message.flags == {"fuzzy", UNRESOLVED_FLAG}
    assert entry(cat_path, PARA_D2).previous_msgid == PARA_D
