"""`termguard catalog ...` commands, invoked on the group directly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner, Result

from translate.catalogs.folder import catalog_path
from translate.catalogs.header import HeaderInfo
from translate.catalogs.reading import load_catalog
from translate.catalogs.session import CatalogUpdate
from translate.cli.catalog import catalog_group
from translate.run.document import MachineTranslation, SourceDocument

DATA = Path(__file__).resolve().parents[2] / "data" / "catalog"
GLOSSARY = DATA / "glossary.yaml"
HEADER = HeaderInfo(argos_package="en->de 1.9")
DIGEST = "c" * 64
SOURCE = "Fighting in Karabakh.\n\nAn enclave.\nTalks in Baku.\n"
GERMAN = {
    "Fighting in Karabakh.": "Kämpfe in Arzach.",
    "An enclave.": "Eine Enklave.",
    "Talks in Baku.": "Gespräche in Baku.",
}


def find(po: polib.POFile, msgid: str) -> polib.POEntry:
    found = po.find(msgid)
    assert found is not None, f"{msgid!r} is not in the catalog"
    return found


def _write(root: Path, locale: str, domain: str, translations: dict[str, str], reviewed: set[str]) -> Path:
    path = catalog_path(root, locale, domain)
    document = SourceDocument.from_text("article.txt", SOURCE)
    with CatalogUpdate.open(path, locale=locale, domain=domain, header=HEADER) as cat:
        cat.apply(document, {k: MachineTranslation(v) for k, v in translations.items()}, DIGEST)
    po = polib.pofile(str(path))
    for msgid in reviewed:  # an editor accepted these
        find(po, msgid).flags.remove("fuzzy")
    po.save()
    return path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """de: two reviewed entries (one violates the glossary), one fuzzy; qtc: one untranslated."""
    folder = tmp_path / "locales"
    _write(folder, "de", "nato", GERMAN, {"Fighting in Karabakh.", "An enclave."})
    qtc = {k: f"qtc {k}" for k in list(GERMAN)[:2]}
    _write(folder, "qtc", "nato", qtc, set())
    return folder


def invoke(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(catalog_group, list(args), catch_exceptions=False)


def assert_one_line_error(result: Result, code: int) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith(("Error", "error"))]
    assert len(errors) == 1, result.stderr


# ----------------------------------------------------------------------------- status


def test_status_table(runner: CliRunner, root: Path) -> None:
    result = invoke(runner, "status", "--catalog-dir", str(root))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "locale", "language", "domain", "translated", "fuzzy", "untranslated", "obsolete", "violations", "waived",
    ]
    # Violations are the judge's: "Arzach" for Karabakh; the glossary has no qtc ("-").
    assert lines[1].startswith("de") and "German" in lines[1] and lines[1].split()[-6:] == ["2", "1", "0", "0", "1", "0"]
    assert lines[2].startswith("qtc") and lines[2].split()[-6:] == ["0", "2", "1", "0", "-", "-"]


def test_status_json(runner: CliRunner, root: Path) -> None:
    result = invoke(runner, "status", "--catalog-dir", str(root), "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["locale"], r["domain"]) for r in rows] == [("de", "nato"), ("qtc", "nato")]
    assert rows[0]["language"] == "German"
    assert {k: rows[0][k] for k in ("translated", "fuzzy", "untranslated", "obsolete", "violations")} == {
        "translated": 2, "fuzzy": 1, "untranslated": 0, "obsolete": 0, "violations": 1,
    }
    assert rows[1]["violations"] is None  # the glossary has no qtc


def test_status_reports_a_broken_catalog_and_the_others(runner: CliRunner, root: Path) -> None:
    broken = catalog_path(root, "fr", "nato")
    broken.parent.mkdir(parents=True)
    shutil.copyfile(DATA / "unterminated-string.po", broken)
    result = invoke(runner, "status", "--catalog-dir", str(root))
    assert_one_line_error(result, 1)
    assert f"{broken}:7: unterminated string" in result.stderr
    assert "German" in result.stdout


def test_status_of_an_empty_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "status", "--catalog-dir", str(tmp_path / "none"))
    assert result.exit_code == 0 and "no catalogs" in result.stdout


# ----------------------------------------------------------------------------- compile


def test_compile_every_catalog(runner: CliRunner, root: Path) -> None:
    result = invoke(runner, "compile", "--catalog-dir", str(root))
    assert result.exit_code == 0, result.output
    mo = catalog_path(root, "de", "nato").with_suffix(".mo")
    assert result.stdout.splitlines() == [str(mo), str(catalog_path(root, "qtc", "nato").with_suffix(".mo"))]
    assert {e.msgid for e in polib.mofile(str(mo))} == {"Fighting in Karabakh.", "An enclave."}


def test_compile_without_catalogs_fails(runner: CliRunner, tmp_path: Path) -> None:
    assert_one_line_error(invoke(runner, "compile", "--catalog-dir", str(tmp_path)), 1)


# ----------------------------------------------------------------------------- render


@pytest.mark.parametrize(
    ("args", "expected", "fallbacks"),
    [
        (["--locale", "de"], "Kämpfe in Arzach.\n\nEine Enklave.\nGespräche in Baku.\n", "0 paragraphs"),
        (["--locale", "DE", "--no-fuzzy"], "Kämpfe in Arzach.\n\nEine Enklave.\nTalks in Baku.\n", "1 paragraph "),
        (
            ["--locale", "qtc", "--domain", "nato"],
            "qtc Fighting in Karabakh.\n\nqtc An enclave.\nTalks in Baku.\n",
            "1 paragraph ",
        ),
    ],
    ids=["de-fuzzy", "de-no-fuzzy-normalized-locale", "qtc-untranslated"],
)
def test_render_to_stdout(runner: CliRunner, root: Path, args: list[str], expected: str, fallbacks: str) -> None:
    result = invoke(runner, "render", "--catalog-dir", str(root), *args)
    assert result.exit_code == 0, result.output
    assert result.stdout == expected
    assert fallbacks in result.stderr


def test_render_to_a_file(runner: CliRunner, root: Path, tmp_path: Path) -> None:
    out = tmp_path / "article.de.txt"
    result = invoke(runner, "render", "--catalog-dir", str(root), "--locale", "de", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == "Kämpfe in Arzach.\n\nEine Enklave.\nGespräche in Baku.\n"
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--locale", "fr"], 2, "no catalog for locale 'fr'"),
        (["--locale", "de", "--domain", "other"], 2, "domain 'other'"),
        (["--locale", "xx-notalocale"], 2, "unknown locale"),
    ],
    ids=["missing-locale", "missing-domain", "unknown-locale"],
)
def test_render_usage_errors(runner: CliRunner, root: Path, args: list[str], code: int, message: str) -> None:
    result = invoke(runner, "render", "--catalog-dir", str(root), *args)
    assert_one_line_error(result, code)
    assert message in result.stderr


def test_render_asks_for_a_domain_when_there_are_several(runner: CliRunner, root: Path) -> None:
    _write(root, "de", "other", GERMAN, set())
    result = invoke(runner, "render", "--catalog-dir", str(root), "--locale", "de")
    assert_one_line_error(result, 2)
    assert "nato, other" in result.stderr


def test_render_broken_catalog_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    path = catalog_path(tmp_path, "de", "nato")
    path.parent.mkdir(parents=True)
    shutil.copyfile(DATA / "invalid-escape.po", path)
    result = invoke(runner, "render", "--catalog-dir", str(tmp_path), "--locale", "de")
    assert_one_line_error(result, 1)
    assert f"{path}:7: invalid escape sequence" in result.stderr


# ----------------------------------------------------------------------------- check


def test_check_reports_violations_in_reviewed_entries(runner: CliRunner, root: Path) -> None:
    result = invoke(runner, "check", "--catalog-dir", str(root), "--glossary", str(GLOSSARY), "--locale", "de")
    assert result.exit_code == 1, result.output
    path = catalog_path(root, "de", "nato")
    assert "forbidden [karabakh] source 'Karabakh'; found 'Arzach', expected Karabach [reviewed]" in result.stdout
    assert f"{path}:" in result.stdout and "(article.txt:1)" in result.stdout
    assert "review [enclave]" in result.stdout  # shown, but does not fail the check
    assert "1 glossary violation in the catalogs" in result.stderr


def test_check_passes_once_the_editor_fixed_it(runner: CliRunner, root: Path) -> None:
    path = catalog_path(root, "de", "nato")
    po = polib.pofile(str(path))
    find(po, "Fighting in Karabakh.").msgstr = "Kämpfe in Karabach."
    po.save()
    result = invoke(runner, "check", "--catalog-dir", str(root), "--glossary", str(GLOSSARY))
    assert result.exit_code == 0, result.output
    assert "no glossary violations" in result.stdout
    assert "skipped" in result.stderr and "qtc" in result.stderr  # the glossary has no qtc
    assert find(load_catalog(path), "Fighting in Karabakh.").msgstr == "Kämpfe in Karabach."


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--locale", "qtc"], 1),
        (["--glossary", str(DATA / "missing-glossary.yaml")], 2),
        (["--locale", "fr"], 2),
    ],
    ids=["locale-not-in-glossary", "missing-glossary-file", "no-catalog-for-locale"],
)
def test_check_errors(runner: CliRunner, root: Path, args: list[str], code: int) -> None:
    if "--glossary" not in args:
        args = [*args, "--glossary", str(GLOSSARY)]
    result = invoke(runner, "check", "--catalog-dir", str(root), *args)
    assert_one_line_error(result, code)


# ----------------------------------------------------------------------------- one lookup


def test_a_folder_spelt_another_way_is_found_by_every_command(runner: CliRunner, tmp_path: Path) -> None:
    """render, check and report answer "which catalog is pt_BR's?" with one lookup."""
    from translate.cli.report import report_command

    folder = tmp_path / "locales"
    _write(folder, "pt-BR", "nato", GERMAN, set())
    render = invoke(runner, "render", "--catalog-dir", str(folder), "--locale", "pt_BR")
    assert render.exit_code == 0, render.output
    assert render.stdout.startswith("Kämpfe in Arzach.")
    check = invoke(runner, "check", "--catalog-dir", str(folder), "--locale", "pt_BR", "--glossary", str(GLOSSARY))
    assert "no catalogs" not in check.output
    page = tmp_path / "page.html"
    report = runner.invoke(report_command, ["--catalog-dir", str(folder), "--locale", "pt_BR", "--glossary",
                                            str(GLOSSARY), "-o", str(page)], catch_exceptions=False)
    assert report.exit_code == 0, report.output
    assert page.is_file()


def test_render_and_report_refuse_a_missing_catalog_alike(runner: CliRunner, root: Path, tmp_path: Path) -> None:
    from translate.cli.report import report_command

    render = invoke(runner, "render", "--catalog-dir", str(root), "--locale", "fr")
    report = runner.invoke(report_command, ["--catalog-dir", str(root), "--locale", "fr",
                                            "-o", str(tmp_path / "p.html")], catch_exceptions=False)
    assert render.exit_code == report.exit_code == 2
    assert render.stderr.strip() == report.stderr.strip()
