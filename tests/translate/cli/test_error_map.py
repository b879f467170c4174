"""One error map: an invalid or missing glossary reads the same, with the same exit code, in every command."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DATA, REPO
from translate.cli import main

MANY = DATA / "glossary" / "many_problems.yaml"


def _commands(glossary: str, tmp: Path) -> dict[str, list[str]]:
    tbx = tmp / "valid.tbx"
    assert CliRunner().invoke(main, ["glossary", "export", "--format", "tbx", "-o", str(tbx)]).exit_code == 0
    doc = tmp / "doc.txt"
    doc.write_text("Karabakh is a region.\n", encoding="utf-8")
    return {
        "check": ["check", str(doc), str(doc), "--locale", "de", "--glossary", glossary],
        "glossary check": ["glossary", "check", str(doc), "--glossary", glossary],
        "glossary show": ["glossary", "show", "--glossary", glossary],
        "glossary lint": ["glossary", "lint", "--glossary", glossary],
        "glossary propose": ["glossary", "propose", "karabakh", "--locale", "de", "--rendering", "X",
                             "--status", "admitted", "--reason", "r", "--by", "a", "--glossary", glossary],
        "glossary approve": ["glossary", "approve", "P1", "--by", "e", "--glossary", glossary],
        "glossary proposals": ["glossary", "proposals", "--glossary", glossary],
        "glossary history": ["glossary", "history", "--glossary", glossary],
        "glossary export": ["glossary", "export", "--format", "tbx", "--glossary", glossary],
        "glossary import": ["glossary", "import", str(tbx), "--format", "tbx",
                            "--glossary", glossary],
        "translate": ["translate", str(doc), "--to", "qtc", "--no-catalog", "--glossary", glossary],
    }


@pytest.mark.parametrize("kind", ["invalid", "missing"])
def test_an_unusable_glossary_is_the_same_message_and_exit_everywhere(
    tmp_path: Path, test_model: Path, kind: str
) -> None:
    glossary = tmp_path / "g.yaml"
    if kind == "invalid":
        shutil.copyfile(MANY, glossary)
        extra = "".join(f"  - id: c{i}\n    policy: nonsense{i}\n    definition: d\n    note: n\n"
                        f"    terms:\n      en:\n        - text: T{i}\n          status: preferred\n"
                        for i in range(4))
        glossary.write_text(glossary.read_text(encoding="utf-8") + extra, encoding="utf-8")
    runner = CliRunner()
    heads: dict[str, str] = {}
    for name, args in _commands(str(glossary), tmp_path).items():
        result = runner.invoke(main, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), (name, result.exception)
        assert result.exit_code == 2, (name, result.output)
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
        assert len(errors) == 1, (name, result.stderr)
        heads[name] = errors[0]
        if kind == "invalid" and name != "glossary lint":
            # The first few problems, then how many more.
            lines = result.stderr.splitlines()
            assert len(lines) > 2, (name, lines)
            assert lines[1].startswith(f"  {glossary}:") and "more (termguard glossary lint" in lines[-1], (name, lines)
    assert len(set(heads.values())) == 1, heads
    head = next(iter(heads.values()))
    if kind == "missing":
        assert head == f"Error: {glossary}: the glossary file does not exist (check the path)"
        assert "problem" not in head
    else:
        assert head.startswith(f"Error: {glossary}: invalid glossary, ") and head.endswith(" problems")


CLI_MODULES = sorted((REPO / "translate" / "cli").glob("*.py"))
# What turns an error into a message and an exit code: Click's own errors.
CLICK_ERRORS = {"ClickException", "UsageError", "BadParameter", "Exit", "Abort", "fail"}


def test_the_cli_modules_are_found() -> None:
    # The checks below walk these; an empty list would pass them all.
    assert {"errors.py", "review.py", "report.py", "exchange.py"} <= {p.name for p in CLI_MODULES}


def _click_error(node: ast.expr | None) -> str | None:
    """The name of the Click error `node` builds (`click.UsageError(...)`, `BadInput`), if it is one."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute) and node.attr in CLICK_ERRORS:
        return node.attr
    if isinstance(node, ast.Name) and node.id in CLICK_ERRORS:
        return node.id
    return None


@pytest.mark.parametrize("path", [p for p in CLI_MODULES if p.name != "errors.py"], ids=lambda p: p.name)
def test_only_the_error_map_turns_errors_into_click_errors(path: Path) -> None:
    # Commands raise typed errors (or Click's own usage errors); turning a
    # caught error into a message and an exit code is translate.cli.errors' job.
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            bases = [ast.unparse(b) for b in node.bases]
            if any(b.split(".")[-1] in CLICK_ERRORS or b.startswith("click.") for b in bases):
                found.append(f"{path.name}:{node.lineno}: class {node.name}({', '.join(bases)})")
        if isinstance(node, ast.ExceptHandler):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Raise) and _click_error(inner.exc):
                    found.append(f"{path.name}:{inner.lineno}: except ... raise {ast.unparse(inner.exc)[:60]}")
    assert found == []


def test_the_cli_has_no_broad_except() -> None:
    for path in CLI_MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler):
                caught = ast.unparse(node.type) if node.type is not None else "everything"
                assert caught not in ("Exception", "BaseException", "everything"), f"{path.name}:{node.lineno}"


def test_every_error_class_says_bad_input_or_failure() -> None:
    import glossary.edit.changes
    import glossary.edit.yaml_edit
    import glossary.judge.checks
    import glossary.review.errors
    import glossary.review.semantic_diff
    import glossary.review.workflow
    import translate.catalogs.errors
    import translate.catalogs.impact
    import translate.run.distributed
    import translate.run.document
    import translate.run.ray_cluster
    from glossary.errors import TermguardError
    from translate import errors

    def every(cls: type[TermguardError]) -> list[type[TermguardError]]:
        return [cls, *(c for sub in cls.__subclasses__() for c in every(sub))]

    classes = every(TermguardError)
    assert len(classes) > 25
    for cls in classes:
        assert cls.exit_code in (1, 2), cls
    assert errors.InputError.exit_code == 2 and errors.IndexUnreachable.exit_code == 1
    assert glossary.review.errors.ReviewInputError.exit_code == 2
    assert translate.catalogs.errors.CatalogError.exit_code == 1


@pytest.mark.parametrize(
    "args",
    [["glossary", "check", "\x00", "--json"], ["glossary", "lint", "--glossary", "\x00"],
     ["check", "a.txt", "\x00", "--locale", "de"], ["translate", "a.txt", "--to", "qtc", "--no-glossary", "-o", "x\x00y"]],
    ids=["glossary-check", "lint", "check", "translate-output"],
)
def test_a_nul_in_a_file_name_is_one_line_and_exit_2(runner: CliRunner, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    # Found by the fuzz test: the OS raises ValueError (not OSError) for such a name.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Karabakh.\n", encoding="utf-8")
    result = runner.invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == ["Error: a file name cannot hold a NUL character"]


def test_a_refused_proposal_lists_the_first_few_problems_like_an_invalid_glossary() -> None:
    from glossary.errors import SHOWN_PROBLEMS, Problem
    from glossary.review.errors import ProposalInvalid

    problems = [Problem("g.yaml", n, f"problem {n}") for n in range(1, SHOWN_PROBLEMS + 4)]
    lines = str(ProposalInvalid("the glossary would not load", problems)).splitlines()
    assert lines[0] == "the glossary would not load"
    assert lines[1:-1] == [f"  g.yaml:{n}: problem {n}" for n in range(1, SHOWN_PROBLEMS + 1)]
    assert lines[-1] == "  ... and 3 more"
    assert ProposalInvalid.exit_code == 2
