"""translate -> catalogs: re-runs decode nothing, editors' work survives, layout rebuilt."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

from conftest import ARTICLE, REPO
from translate.argos.engine import Engine
from translate.catalogs.entries import UNRESOLVED_FLAG
from translate.cli import main
from translate.run.document import SourceDocument
from translate.run.job import run_locale

QTC_GLOSSARY = REPO / "tests" / "model" / "glossary-qtc.yaml"
PO = Path("locales/qtc/LC_MESSAGES/article.po")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, test_model: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copy(ARTICLE, tmp_path / "article.txt")
    return tmp_path


def translate(runner: CliRunner, *extra: str) -> str:
    result = runner.invoke(main, ["translate", "article.txt", "--to", "qtc", "--glossary",
                                  str(QTC_GLOSSARY), "-o", "article.qtc.txt", *extra])
    assert result.exit_code == 0, result.output
    return result.stderr


def msgfmt_check(path: Path) -> None:
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext msgfmt is not installed")
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True, capture_output=True)


def test_first_run_writes_a_valid_catalog_and_the_document(runner: CliRunner, workdir: Path) -> None:
    log = translate(runner)
    assert "22 paragraph(s) decoded, 0 from the catalog" in log
    msgfmt_check(PO)
    catalog = polib.pofile(str(PO))
    with PO.open("rb") as handle:
        babel_catalog = read_po(handle)
    ids = [e.msgid for e in catalog]
    assert ids == [m.id for m in babel_catalog if m.id]
    assert catalog.metadata["Language"] == "qtc"
    assert catalog.metadata["X-Termguard-Argos-Package"] == "en->qtc 1.0"
    assert catalog.metadata["X-Termguard-Glossary"].startswith("sha256:")
    assert all("fuzzy" in e.flags and e.msgstr for e in catalog)
    headline = catalog.find("NATO chief hails chance for ‘enduring’ Azerbaijan-Armenia peace")
    assert headline is not None and headline.occurrences == [("article.txt", "1")]
    assert any(c.startswith("glossary: nato (NATO)") for c in headline.comment.splitlines())
    out = (workdir / "article.qtc.txt").read_text(encoding="utf-8")
    assert out.count("\n") == ARTICLE.read_text(encoding="utf-8").count("\n")


def test_rerun_is_byte_identical_and_loads_no_model(runner: CliRunner, workdir: Path) -> None:
    translate(runner)
    before = PO.read_bytes()
    mtime = PO.stat().st_mtime_ns
    document = SourceDocument.from_text("article.txt", (workdir / "article.txt").read_text("utf-8"))
    from glossary import load_glossary
    from translate.ladder.enforce import Enforcer

    glossary = load_glossary(QTC_GLOSSARY)
    engine = Engine(workdir.parent / "unused")  # a wrong path: loading it would raise
    run = run_locale(document, "qtc", engine, "en->qtc 1.0", glossary=glossary,
                     enforcer=Enforcer(glossary, "qtc"), catalog_dir=Path("locales"), domain="article")
    assert run.decoded == 0 and run.reused == 22
    assert engine.decode_calls == 0 and engine._translator is None
    assert PO.read_bytes() == before
    assert PO.stat().st_mtime_ns == mtime
    log = translate(runner)
    assert "0 paragraph(s) decoded, 22 from the catalog" in log
    assert PO.read_bytes() == before


def test_editor_work_survives_a_changed_source(runner: CliRunner, workdir: Path) -> None:
    translate(runner)
    catalog = polib.pofile(str(PO), wrapwidth=0)
    lines = (workdir / "article.txt").read_text("utf-8").split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    reviewed_at, changed_at = filled[3], filled[4]
    reviewed_src, changed_src = lines[reviewed_at], lines[changed_at]
    assert "enduring peace" in changed_src
    reviewed = catalog.find(reviewed_src)
    reviewed.flags = [f for f in reviewed.flags if f not in ("fuzzy", UNRESOLVED_FLAG)]
    reviewed.msgstr = "Reviewed by an editor."
    reviewed.tcomment = "checked against the wire copy"
    catalog.save(str(PO))
    lines[changed_at] = changed_src.replace("enduring peace", "lasting peace")
    (workdir / "article.txt").write_text("\n".join(lines), encoding="utf-8")

    log = translate(runner)
    assert "1 paragraph(s) decoded, 21 from the catalog" in log
    catalog = polib.pofile(str(PO))
    kept = catalog.find(reviewed_src)
    assert kept.msgstr == "Reviewed by an editor."
    assert kept.tcomment == "checked against the wire copy"
    assert "fuzzy" not in kept.flags
    changed = catalog.find(lines[changed_at])
    assert "fuzzy" in changed.flags and changed.previous_msgid == changed_src
    assert [e.msgid for e in catalog.obsolete_entries()] == []
    out = (workdir / "article.qtc.txt").read_text("utf-8").split("\n")
    assert out[reviewed_at] == "Reviewed by an editor."
    msgfmt_check(PO)


def test_glossary_change_flags_reviewed_entry_without_rewriting(runner: CliRunner, workdir: Path,
                                                                tmp_path: Path) -> None:
    translate(runner)
    catalog = polib.pofile(str(PO), wrapwidth=0)
    baku_line = next(e for e in catalog if "Baku seized" in e.msgid)
    baku_line.flags = []
    baku_line.msgstr = "An editor dropped the capital."
    catalog.save(str(PO))
    # The same glossary, saved anew: a changed file is a changed glossary.
    changed = tmp_path / "glossary-changed.yaml"
    changed.write_text(QTC_GLOSSARY.read_text("utf-8") + "\n# changed\n", encoding="utf-8")
    result = runner.invoke(main, ["translate", "article.txt", "--to", "qtc", "--glossary", str(changed),
                                  "-o", "article.qtc.txt"])
    assert result.exit_code == 0, result.output
    assert "now violate the glossary" in result.stderr
    entry = polib.pofile(str(PO)).find(baku_line.msgid)
    assert entry.msgstr == "An editor dropped the capital."
    assert "fuzzy" in entry.flags and UNRESOLVED_FLAG in entry.flags
    assert "missing" in entry.comment


@pytest.mark.parametrize("with_catalog", [False, True])
def test_a_regional_locale_is_judged_by_the_glossary_locale_it_falls_back_to(
        workdir: Path, test_model: Path, with_catalog: bool) -> None:
    # qtc_AT is served by the glossary's qtc renderings, as de_AT is by de.
    from glossary import load_glossary
    from translate.ladder.enforce import Enforcer

    document = SourceDocument.from_text("article.txt", (workdir / "article.txt").read_text("utf-8"))
    glossary = load_glossary(QTC_GLOSSARY)
    enforcer = Enforcer(glossary, "qtc")
    engine = Engine(test_model)
    served = run_locale(document, "qtc", engine, "en->qtc 1.0", glossary=glossary, enforcer=enforcer,
                        catalog_dir=None, domain="article")
    regional = run_locale(document, "qtc_AT", engine, "en->qtc 1.0", glossary=glossary, enforcer=enforcer,
                          catalog_dir=Path("locales") if with_catalog else None, domain="article")
    assert regional.text == served.text
    assert [r["outcome"] for r in regional.occurrences] == [r["outcome"] for r in served.occurrences]
    assert len(regional.occurrences) > 20
