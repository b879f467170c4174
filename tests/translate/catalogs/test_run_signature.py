"""The run signature: a re-run re-decodes exactly the entries whose signature changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from glossary.termbase.load import load_glossary
from translate.argos.engine import DecodeOptions
from translate.catalogs.folder import catalog_path
from translate.catalogs.header import HeaderInfo
from translate.catalogs.session import CatalogUpdate
from translate.catalogs.signature import RunSignature
from translate.run.document import MachineTranslation, SourceDocument

REPO = Path(__file__).resolve().parents[3]
SMALL = REPO / "tests" / "data" / "glossary" / "small.yaml"
HEADER = HeaderInfo(argos_package="en->de 1.0")
TEXT = (
    "Talks on Karabakh resumed in Brussels.\n"
    "The weather was cold and grey.\n"
    "Armenia sent its foreign minister.\n"
)


def run(path: Path, glossary_file: Path, options: DecodeOptions | None = None) -> list[str]:
    options = options or DecodeOptions()
    glossary = load_glossary(glossary_file)
    document = SourceDocument.from_text("article.txt", TEXT)
    signature = RunSignature(HEADER.argos_package, options, "de", glossary)
    with CatalogUpdate.open(path, locale="de", domain="article", header=HEADER) as cat:
        todo = cat.needs_translation(document, glossary.digest, signature)
        cat.apply(document, {p: MachineTranslation("de: " + p) for p in todo}, glossary.digest, signature)
    return todo


@pytest.fixture
def glossary_file(tmp_path: Path) -> Path:
    target = tmp_path / "g.yaml"
    shutil.copyfile(SMALL, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unchanged_rerun_decodes_nothing(tmp_path: Path, glossary_file: Path) -> None:
    cat = catalog_path(tmp_path, "de", "article")
    assert len(run(cat, glossary_file)) == 3
    assert run(cat, glossary_file) == []


def test_another_beam_size_re_decodes_everything(tmp_path: Path, glossary_file: Path) -> None:
    cat = catalog_path(tmp_path, "de", "article")
    run(cat, glossary_file)
    assert len(run(cat, glossary_file, DecodeOptions(beam_size=2))) == 3
    # Options that change how, not what, are not part of it.
    assert run(cat, glossary_file, DecodeOptions(beam_size=2, max_batch_size=4)) == []


def test_an_edited_note_re_decodes_nothing(tmp_path: Path, glossary_file: Path) -> None:
    cat = catalog_path(tmp_path, "de", "article")
    run(cat, glossary_file)
    text = glossary_file.read_text(encoding="utf-8")
    note = next(line for line in text.splitlines() if line.strip().startswith("note:"))
    _edit(glossary_file, note, note + " Edited.")
    assert load_glossary(glossary_file).digest != load_glossary(SMALL).digest
    assert run(cat, glossary_file) == []


def test_an_edited_rendering_re_decodes_the_entries_holding_its_concept(tmp_path: Path,
                                                                         glossary_file: Path) -> None:
    cat = catalog_path(tmp_path, "de", "article")
    run(cat, glossary_file)
    _edit(glossary_file, "- text: Bergkarabach\n          status: admitted",
          "- text: Bergkarabach\n          status: deprecated")
    assert run(cat, glossary_file) == ["Talks on Karabakh resumed in Brussels."]


def test_the_signature_survives_rewrapping_by_polib(tmp_path: Path, glossary_file: Path) -> None:
    cat = catalog_path(tmp_path, "de", "article")
    run(cat, glossary_file)
    po = polib.pofile(str(cat), wrapwidth=20)
    po.save()
    assert run(cat, glossary_file) == []
