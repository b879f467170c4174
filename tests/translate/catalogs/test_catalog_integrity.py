"""Catalog integrity: entries termguard does not own, obsolete entries, line counts, headers."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from translate.catalogs.entries import MACHINE_MARK, UNRESOLVED_FLAG
from translate.catalogs.errors import CatalogLayoutError
from translate.catalogs.folder import catalog_path
from translate.catalogs.header import HeaderInfo
from translate.catalogs.reading import load_catalog
from translate.catalogs.render import render_document
from translate.catalogs.session import CatalogUpdate
from translate.run.document import MachineTranslation, SourceDocument

HEADER = HeaderInfo(argos_package="en->qtc 1.0")
DIGEST = "a" * 64
PARA_A = "The foreign ministers met for three hours on Tuesday."
PARA_C = "Observers from the European Union attended the opening session."


def fake_mt(paragraph: str) -> MachineTranslation:
    return MachineTranslation(msgstr="qtc: " + paragraph[::-1], comments=("glossary: none",))


def update(path: Path, text: str, name: str = "article.txt") -> list[str]:
    document = SourceDocument.from_text(name, text)
    with CatalogUpdate.open(path, locale="qtc", domain="article", header=HEADER) as cat:
        need = cat.needs_translation(document, DIGEST)
        cat.apply(document, {p: fake_mt(p) for p in need}, DIGEST)
    return need


@pytest.fixture
def cat_path(tmp_path: Path) -> Path:
    return catalog_path(tmp_path / "locales", "qtc", "article")


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def test_entries_with_context_or_plural_stay_active(cat_path: Path) -> None:
    update(cat_path, PARA_A)
    _append(cat_path, (
        '\nmsgctxt "menu"\nmsgid "Open"\nmsgstr "Offnen"\n'
        '\nmsgid "one file"\nmsgid_plural "%d files"\nmsgstr[0] "eine Datei"\nmsgstr[1] "%d Dateien"\n'
    ))
    update(cat_path, PARA_A)
    update(cat_path, PARA_A)
    po = load_catalog(cat_path)
    kept = {(e.msgctxt, e.msgid): e for e in po}
    assert not kept[("menu", "Open")].obsolete
    assert not kept[(None, "one file")].obsolete
    assert kept[(None, "one file")].msgstr_plural == {0: "eine Datei", 1: "%d Dateien"}


def test_previous_msgid_lines_of_obsolete_entries_are_kept(cat_path: Path) -> None:
    update(cat_path, PARA_A)
    _append(cat_path, '\n#, fuzzy\n#~| msgid "An older sentence."\n#~ msgid "A sentence."\n#~ msgstr "Ein Satz."\n')
    update(cat_path, PARA_A + "\n" + PARA_C)
    text = cat_path.read_text(encoding="utf-8")
    assert '#~| msgid "An older sentence."' in text
    assert '#~ msgid "A sentence."' in text


def test_obsolete_machine_entry_keeps_its_mark_and_comes_back_as_machine(cat_path: Path) -> None:
    update(cat_path, PARA_A + "\n" + PARA_C)
    update(cat_path, PARA_A)  # PARA_C goes obsolete
    obsolete = [e for e in load_catalog(cat_path) if e.obsolete]
    assert len(obsolete) == 1 and MACHINE_MARK in obsolete[0].comment
    assert "glossary: none" in obsolete[0].comment
    # Back in the document: still machine output, so a new glossary re-decodes it.
    update(cat_path, PARA_A + "\n" + PARA_C)
    document = SourceDocument.from_text("article.txt", PARA_A + "\n" + PARA_C)
    with CatalogUpdate.open(cat_path, locale="qtc", domain="article", header=HEADER) as cat:
        assert cat.needs_translation(document, "b" * 64) == [PARA_A, PARA_C]


def test_a_reviewed_msgstr_with_a_line_break_cannot_change_the_line_count(cat_path: Path) -> None:
    source = f"{PARA_A}\n\n{PARA_C}\n"
    update(cat_path, source)
    po = polib.pofile(str(cat_path), wrapwidth=0)
    for e in po:
        if e.msgid == PARA_A:
            e.msgstr = "Erste Zeile.\nZweite Zeile."
            e.flags = []
    po.save()
    update(cat_path, source)
    text, fallbacks = render_document(cat_path)
    assert len(text.splitlines()) == len(source.splitlines())
    assert fallbacks == 1
    flagged = next(e for e in load_catalog(cat_path) if e.msgid == PARA_A)
    assert UNRESOLVED_FLAG in flagged.flags
    assert flagged.msgstr == "Erste Zeile.\nZweite Zeile."  # never rewritten


@pytest.mark.parametrize("lines", ["999999999999", "100000000"])
def test_a_tampered_line_count_is_refused(cat_path: Path, lines: str) -> None:
    update(cat_path, PARA_A + "\n" + PARA_C + "\n")
    text = cat_path.read_text(encoding="utf-8")
    cat_path.write_text(text.replace("lines=2;", f"lines={lines};"), encoding="utf-8")
    with pytest.raises(CatalogLayoutError, match="lines"):
        render_document(cat_path)


def test_a_catalog_keeps_its_line_endings_bom_and_mode(cat_path: Path) -> None:
    import os

    update(cat_path, PARA_A)
    data = cat_path.read_bytes().replace(b"\n", b"\r\n")
    cat_path.write_bytes(b"\xef\xbb\xbf" + data)
    os.chmod(cat_path, 0o640)
    update(cat_path, PARA_A + "\n" + PARA_C)
    after = cat_path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in after.replace(b"\r\n", b"")
    assert PARA_C.encode() in after
    assert os.stat(cat_path).st_mode & 0o777 == 0o640


def test_an_editor_save_during_the_write_is_merged(cat_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from glossary.files import atomic

    update(cat_path, PARA_A)
    real = atomic.write_temp
    saved: list[bool] = []

    def editor_saves_first(*args: object, **kwargs: object) -> object:
        if not saved:
            saved.append(True)
            po = polib.pofile(str(cat_path), wrapwidth=0)
            po[0].msgstr = "Von Hand."
            po[0].flags = []
            po.save()
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic, "write_temp", editor_saves_first)
    update(cat_path, PARA_A + "\n" + PARA_C)
    po = load_catalog(cat_path)
    assert next(e for e in po if e.msgid == PARA_A).msgstr == "Von Hand."
    assert any(e.msgid == PARA_C for e in po)


def test_stale_temps_are_found_with_one_listing_per_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from translate.catalogs import session

    folder = tmp_path / "locales"
    paths = [catalog_path(folder, "qtc", f"doc{i}") for i in range(30)]
    paths[0].parent.mkdir(parents=True)
    stale = paths[3].with_name(f".{paths[3].name}.0123456789ab.tmp")
    stale.write_bytes(b"half a catalog")
    listings: list[str] = []
    real = os.scandir

    def counting(path: object) -> object:
        listings.append(str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(session.os, "scandir", counting)
    monkeypatch.setattr(session, "_TEMPS", {})
    for index, path in enumerate(paths):
        with CatalogUpdate.open(path, locale="qtc", domain=f"doc{index}", header=HEADER) as cat:
            document = SourceDocument.from_text(f"doc{index}.txt", PARA_A)
            cat.apply(document, {PARA_A: fake_mt(PARA_A)}, DIGEST)
    assert len(listings) == 1
    assert not stale.exists()
