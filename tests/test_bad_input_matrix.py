"""Every command that reads input, against every kind of bad (or merely odd) input.

The inputs come from the templates in tests/data/hostile/ (see make.py there):
one per command family (article, glossary YAML, TBX, CSV, glossary PO,
catalog PO), each twisted: non-UTF-8 (Latin-1, UTF-16, one bad line),
binary, empty, BOM, CRLF, CR only, 5 MB (1 MB for glossaries and catalogs), mixed scripts in one paragraph,
zero-width / no-break characters inside a glossary term, control and bidi
characters. Each run must end in either a correct result or one clear
refusal: exit 0, 1 or 2, never a traceback, and no partial write (no
temporary file left, outputs absent and inputs untouched on failure).
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner, Result

from conftest import REPO, TEST_MODEL
from translate.cli import main

HOSTILE = REPO / "tests" / "data" / "hostile"
GLOSSARY = REPO / "tests" / "data" / "exchange" / "glossary.yaml"  # en, de, pt_BR, ru, tr
QTC_GLOSSARY = REPO / "tests" / "model" / "glossary-qtc.yaml"

_spec = importlib.util.spec_from_file_location("hostile_make", HOSTILE / "make.py")
assert _spec and _spec.loader
make = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make)

# Twists no command may accept: the bytes are not UTF-8 text, or there is nothing there.
UNREADABLE = {"latin1", "utf16", "binary", "invalid-utf8-line3", "empty"}


@dataclass
class Case:
    """One command: which input it reads, how it is called, what it may write."""

    kind: str
    args: Callable[[Path, Path], list[str]]
    # Files the command writes (relative to the work folder): absent after a failure.
    outputs: tuple[str, ...] = ()
    # Files it may modify: unchanged after a failure.
    guarded: tuple[str, ...] = ()
    needs_model: bool = False
    # Where the input goes, relative to the work folder (None: used in place).
    place: str | None = None
    # Twists this command accepts as correct input (besides refusing).
    readable: set[str] = field(default_factory=set)


ALL_TEXT = set(make.TEXT_TWISTS) | {"bom", "crlf", "cr-only", "big-5mb"}

CASES: dict[str, Case] = {
    "translate": Case(
        "article",
        lambda f, w: ["translate", str(f), "--to", "qtc", "--glossary", str(QTC_GLOSSARY),
                      "--catalog-dir", str(w / "locales"), "-o", str(w / "out" / "{name}.{locale}.txt")],
        outputs=("out", "locales"), needs_model=True, readable=ALL_TEXT),
    # An empty document has nothing to check: a clean result is correct.
    "check": Case("article", lambda f, w: ["check", str(f), str(f), "--locale", "de", "--glossary", str(GLOSSARY)],
                  readable=ALL_TEXT | {"empty"}),
    "glossary-check": Case("article", lambda f, w: ["glossary", "check", str(f), "--glossary", str(GLOSSARY)],
                           readable=ALL_TEXT | {"empty"}),
    "glossary-lint": Case("glossary", lambda f, w: ["glossary", "lint", str(f)], readable=ALL_TEXT),
    "glossary-show": Case("glossary", lambda f, w: ["glossary", "show", "--glossary", str(f)], readable=ALL_TEXT),
    "import-tbx": Case(
        "tbx", lambda f, w: ["glossary", "import", str(f), "--format", "tbx", "--glossary", str(w / "g.yaml"),
                             "-o", str(w / "imported.yaml"), "--apply"],
        outputs=("imported.yaml",), guarded=("g.yaml",), readable=ALL_TEXT),
    "import-csv": Case(
        "csv", lambda f, w: ["glossary", "import", str(f), "--format", "csv", "--locale", "de",
                             "--glossary", str(w / "g.yaml"), "--apply"],
        guarded=("g.yaml",), readable=ALL_TEXT | {"empty"}),  # no rows: no changes
    "import-po": Case(
        "po", lambda f, w: ["glossary", "import", str(f), "--format", "po", "--glossary", str(w / "g.yaml"), "--apply"],
        guarded=("g.yaml",), readable=ALL_TEXT),
    "catalog-status": Case("catalog", lambda f, w: ["catalog", "status", "--catalog-dir", str(w / "locales")],
                           # An empty file is a valid, empty catalog (msgfmt agrees).
                           place="locales/de/LC_MESSAGES/article.po", guarded=("locales",),
                           readable=ALL_TEXT | {"empty"}),
    "catalog-check": Case("catalog", lambda f, w: ["catalog", "check", "--catalog-dir", str(w / "locales"),
                                                   "--glossary", str(GLOSSARY)],
                          place="locales/de/LC_MESSAGES/article.po", guarded=("locales",),
                          readable=ALL_TEXT | {"empty"}),
    "catalog-render": Case("catalog", lambda f, w: ["catalog", "render", "--locale", "de", "--catalog-dir",
                                                    str(w / "locales"), "-o", str(w / "rendered.txt")],
                           place="locales/de/LC_MESSAGES/article.po", outputs=("rendered.txt",),
                           guarded=("locales",), readable=ALL_TEXT),
    "catalog-compile": Case("catalog", lambda f, w: ["catalog", "compile", "--catalog-dir", str(w / "locales")],
                            place="locales/de/LC_MESSAGES/article.po", guarded=("locales",),
                            readable=ALL_TEXT | {"empty"}),
    "glossary-diff": Case("glossary", lambda f, w: ["glossary", "diff", str(GLOSSARY), str(f)], readable=ALL_TEXT),
    "report": Case("catalog", lambda f, w: ["report", "--locale", "de", "--catalog-dir", str(w / "locales"),
                                            "--glossary", str(GLOSSARY), "-o", str(w / "report.html")],
                   place="locales/de/LC_MESSAGES/article.po", outputs=("report.html",), guarded=("locales",),
                   readable=ALL_TEXT | {"empty"}),
    # No text is a model archive: every input must be refused.
    "models-install-file": Case("article", lambda f, w: ["models", "install-file", str(f)], readable=set()),
}

# Cells where refusing is the correct result (one clear line, checked like any refusal).
REFUSE = {
    # YAML and XML cannot carry C0 control characters.
    ("glossary-lint", "control-chars"), ("glossary-show", "control-chars"), ("glossary-diff", "control-chars"),
    ("import-tbx", "control-chars"),
    # A term no export could write (TBX cannot carry C0 controls) is refused at import.
    ("import-csv", "control-chars"), ("import-po", "control-chars"),
    # A CSV source term must be the glossary's term exactly; an invisible or
    # no-break character makes it another term, named in the message.
    ("import-csv", "zero-width-in-term"), ("import-csv", "zero-width-joiner-in-term"),
    ("import-csv", "nbsp-in-term"),
}

# Commands whose exit 1 means "the check found something", not "could not read".
FINDINGS_EXIT_1 = {"check", "glossary-check", "catalog-check"}

MATRIX = [(command, twist) for command in CASES for twist in make.TWISTS]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    return make.write_all(tmp_path_factory.mktemp("hostile-inputs"))


def _snapshot(root: Path) -> dict[str, bytes]:
    if root.is_file():
        return {"": root.read_bytes()}
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def error_lines(result: Result) -> list[str]:
    """What went wrong: Click's usage/hint lines and lint's closing count left out."""
    return [line for line in result.output.splitlines()
            if line.strip() and not line.startswith(("Usage:", "Try '"))
            and not re.match(r"Error: .*: invalid glossary, \d+ problems?$", line)]


def _run(runner: CliRunner, case: Case, source: Path, work: Path) -> tuple[Result, Path]:
    work.mkdir()
    shutil.copyfile(GLOSSARY, work / "g.yaml")
    target = source
    if case.place:
        target = work / case.place
        target.parent.mkdir(parents=True)
        shutil.copyfile(source, target)
    before = {name: _snapshot(work / name) for name in case.guarded if (work / name).exists()}
    result = runner.invoke(main, case.args(target, work))
    # Invariants for every cell of the matrix.
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    leftovers = [p for p in work.rglob("*") if p.name.endswith((".tmp", ".part")) or p.name.startswith(".installing-")]
    assert leftovers == [], leftovers
    if result.exit_code != 0:
        for name in case.outputs:
            out = work / name
            if out.is_dir():  # lock files are not output; anything else is
                written = [p for p in out.rglob("*") if p.is_file() and p.suffix != ".lock"]
                assert written == [], f"output written by a failed run: {written}"
            else:
                assert not out.exists(), f"output {name} written by a failed run"
        for name, snapshot in before.items():
            assert _snapshot(work / name) == snapshot, f"{name} changed by a failed run"
    return result, work


@pytest.mark.parametrize(("command", "twist"), MATRIX, ids=[f"{c}-{t}" for c, t in MATRIX])
def test_bad_input_matrix(runner: CliRunner, packages_dir: Path, request: pytest.FixtureRequest,
                          inputs: dict[tuple[str, str], Path], tmp_path: Path, command: str, twist: str) -> None:
    case = CASES[command]
    if case.needs_model:
        if not TEST_MODEL.exists():
            pytest.skip("the test model tests/model/translate-en_qtc-1_0.argosmodel is not built")
        request.getfixturevalue("test_model")
    source = inputs[(case.kind, twist)]
    result, work = _run(runner, case, source, tmp_path / "work")
    lines = error_lines(result)
    if twist not in case.readable or (command, twist) in REFUSE:
        # A refusal: non-zero, and one line that names the input and says why.
        assert result.exit_code != 0, result.output
        assert len(lines) == 1, lines
        assert source.name in lines[0] or "article.po" in lines[0], lines[0]
        return
    # A correct result. Exit 1 is allowed only where it reports findings.
    if command in FINDINGS_EXIT_1 and result.exit_code == 1:
        assert "violation" in result.output or "deprecated" in result.output, result.output
    else:
        assert result.exit_code == 0, result.output
    text = result.output
    assert "not UTF-8" not in text and "not valid UTF-8" not in text and "binary" not in text, text
    if command == "translate":
        out = work / "out" / f"{source.stem}.qtc.txt"
        assert result.exit_code == 0, result.output
        translated = out.read_text(encoding="utf-8")
        source_text = source.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        # Line for line: the layout survives every twist.
        assert translated.count("\n") == source_text.count("\n")
        assert list(work.joinpath("locales").rglob("*.po"))
