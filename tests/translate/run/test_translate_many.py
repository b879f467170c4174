"""Many documents in one run: one model per locale, bad files skipped, a summary."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ARTICLE, DATA, REPO
from translate.cli import main

QTC_GLOSSARY = str(REPO / "tests" / "model" / "glossary-qtc.yaml")


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, test_model: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(ARTICLE, folder / "a.txt")
    lines = ARTICLE.read_text("utf-8").split("\n")
    (folder / "sub" / "b.txt").write_text("\n".join(lines[:5]), encoding="utf-8")
    shutil.copy(DATA / "input" / "latin1.txt", folder / "c-bad.txt")
    return folder


@pytest.fixture
def translator_count(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many CTranslate2 translators (model loads) a run builds."""
    import ctranslate2

    built = [0]
    real = ctranslate2.Translator

    def counting(*args: object, **kwargs: object) -> object:
        built[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(ctranslate2, "Translator", counting)
    return built


def test_folder_recursive_with_jobs_skips_the_bad_file(runner: CliRunner, docs: Path,
                                                       translator_count: list[int]) -> None:
    result = runner.invoke(main, ["translate", str(docs), "-r", "--to", "qtc", "--glossary", QTC_GLOSSARY,
                                  "-o", "out/{name}.{locale}.txt", "--jobs", "2"])
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in Path("out").iterdir()) == ["a.qtc.txt", "b.qtc.txt"]
    assert sorted(p.name for p in Path("locales/qtc/LC_MESSAGES").glob("*.po")) == ["a.po", "b.po"]
    assert "skipped" in result.stderr and "c-bad.txt" in result.stderr and "not UTF-8" in result.stderr
    assert "2 of 3 document(s) translated into 1 locale(s)" in result.stderr
    assert "Traceback" not in result.output
    assert translator_count[0] == 1  # one model for the locale, shared by every document


def test_without_recursive_sub_folders_are_ignored(runner: CliRunner, docs: Path) -> None:
    (docs / "c-bad.txt").unlink()
    result = runner.invoke(main, ["translate", str(docs), "--to", "qtc", "--no-glossary",
                                  "-o", "out/{name}.{locale}.txt"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in Path("out").iterdir()) == ["a.qtc.txt"]


def test_fail_fast_stops_at_the_first_failure(runner: CliRunner, docs: Path) -> None:
    bad = docs / "0-bad.txt"
    shutil.move(docs / "c-bad.txt", bad)
    result = runner.invoke(main, ["translate", str(bad), str(docs / "a.txt"), "--to", "qtc",
                                  "--no-glossary", "-o", "out/{name}.{locale}.txt", "--fail-fast"])
    assert result.exit_code == 1
    assert not Path("out/a.qtc.txt").exists()


def test_several_documents_need_name_in_output(runner: CliRunner, docs: Path) -> None:
    result = runner.invoke(main, ["translate", str(docs / "a.txt"), str(docs / "sub" / "b.txt"),
                                  "--to", "qtc", "-o", "out.txt"])
    assert result.exit_code == 2
    assert "{name}" in result.output
