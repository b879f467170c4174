"""Every command, random arguments and hostile files: a sentence for every input, never a traceback."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ARTICLE, DATA, REPO, TEST_MODEL
from translate.cli import main

# Options that start clusters or wait on the network by design are left out.
SKIPPED_OPTIONS = {"ray_address", "workers"}


def every_command() -> list[tuple[list[str], click.Command]]:
    found: list[tuple[list[str], click.Command]] = []

    def walk(prefix: list[str], command: click.Command) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk([*prefix, name], sub)
        else:
            found.append((prefix, command))

    walk([], main)
    return found


COMMANDS = every_command()


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working folder full of awkward files; the project file points every command at copies."""
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copyfile(REPO / "tests" / "model" / "glossary-qtc.yaml", root / "g.yaml")
    shutil.copyfile(ARTICLE, root / "article.txt")
    (root / "article.qtc.txt").write_text("Ze.\n" * 3, encoding="utf-8")
    shutil.copyfile(DATA / "input" / "latin1.txt", root / "latin1.txt")
    (root / "binary.bin").write_bytes(b"\x00\xff\xfe" * 50)
    (root / "empty.txt").write_bytes(b"")
    (root / "crlf-bom.txt").write_bytes(b"\xef\xbb\xbfKarabakh.\r\nBaku.\r\n")
    (root / "bad.yaml").write_text("schema: 1\nconcepts: [1, {a: *b}]\n", encoding="utf-8")
    (root / "not.tbx").write_text("<tbx><text><body><conceptEntry/></body></text></tbx>", encoding="utf-8")
    (root / "not.po").write_text('msgid "a"\nmsgstr "b\n', encoding="utf-8")
    (root / "folder").mkdir()
    (root / os.fsdecode(b"caf\xe9\tx.txt")).write_text("Karabakh.\n", encoding="utf-8")
    os.symlink("article.txt", root / "link.txt")
    (root / "termguard.toml").write_text('glossary = "g.yaml"\n', encoding="utf-8")
    return root


FILES = ["article.txt", "article.qtc.txt", "latin1.txt", "binary.bin", "empty.txt", "crlf-bom.txt", "bad.yaml",
         "not.tbx", "not.po", "folder", "missing.txt", "link.txt", os.fsdecode(b"caf\xe9\tx.txt"), "g.yaml",
         "/dev/null", "-"]
WORDS = ["", " ", "{", "}", "{0}", "{foo}", "out/{name}.{locale}.txt", "de", "qtc", "de-AT", "deu", "xx", "pt_BR",
         "karabakh", "karabak", "P1", "P99", "HEAD", "en", "tbx", "csv", "po", "\x1b[2J", "a\tb", "é" * 300,
         "--", "-x", "0", "-1", "99999999999", "locales", "out", "news", "../escape"]
VALUES = st.sampled_from(FILES + WORDS) | st.text(max_size=12)
PATHS = st.sampled_from(FILES) | VALUES
LOCALES = st.sampled_from(["qtc", "de", "de-AT", "deu", "qtc,de", "xx", "", "pt_BR", "qtc,qtc"]) | VALUES
OUTPUTS = st.sampled_from(["out/{name}.{locale}.txt", "out.txt", "-", "link.txt", "/dev/null", "folder", "{",
                           "{foo}", "{0}", "out/{dir}/{name}.txt", "article.txt"]) | VALUES
BY_NAME = {"to": LOCALES, "locale": LOCALES, "locale_name": LOCALES, "locales": LOCALES, "output": OUTPUTS,
           "glossary_path": PATHS, "catalog_dir": PATHS}


def _option_value(option: click.Option) -> st.SearchStrategy[list[str]]:
    flag = option.opts[0]
    if option.is_flag:
        return st.just([flag])
    if isinstance(option.type, click.Choice):
        return st.sampled_from([*option.type.choices, "nonsense"]).map(lambda v: [flag, str(v)])
    if isinstance(option.type, click.IntRange | type(click.INT)):
        return st.integers(-3, 70).map(lambda v: [flag, str(v)])
    return BY_NAME.get(option.name or "", VALUES).map(lambda v: [flag, v])


@st.composite
def invocations(draw: st.DrawFn) -> list[str]:
    path, command = draw(st.sampled_from(COMMANDS))
    args: list[str] = list(path)
    for param in command.params:
        if isinstance(param, click.Argument):
            count = 1 if param.nargs == 1 else draw(st.integers(0, 3))
            if not param.required and draw(st.booleans()):
                count = 0
            args += [draw(PATHS) for _ in range(count)]
        elif isinstance(param, click.Option) and param.name not in SKIPPED_OPTIONS:
            if param.required or draw(st.integers(0, 2)) == 0:
                args += draw(_option_value(param))
    return args


@pytest.fixture(scope="module")
def packages(desk: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from translate.argos import packages as pkgs

    folder = tmp_path_factory.mktemp("fuzz-packages")
    old = os.environ.get("ARGOS_PACKAGES_DIR")
    os.environ["ARGOS_PACKAGES_DIR"] = str(folder)
    try:
        if TEST_MODEL.exists():
            pkgs.install_file(TEST_MODEL)
    finally:
        if old is not None:
            os.environ["ARGOS_PACKAGES_DIR"] = old
    return folder


@settings(max_examples=int(os.environ.get("TERMGUARD_FUZZ_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(args=invocations())
def test_no_command_shows_a_traceback(desk: Path, packages: Path, args: list[str]) -> None:
    old_cwd = Path.cwd()
    old_packages = os.environ.get("ARGOS_PACKAGES_DIR")
    os.chdir(desk)
    os.environ["ARGOS_PACKAGES_DIR"] = str(packages)
    try:
        result = CliRunner().invoke(main, args, input="Karabakh is a region.\n")
    finally:
        os.chdir(old_cwd)
        if old_packages is not None:
            os.environ["ARGOS_PACKAGES_DIR"] = old_packages
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert "Traceback" not in result.output, (args, result.output)
    assert result.exit_code in (0, 1, 2, 130), (args, result.exit_code, result.output)
    if result.exit_code != 0:
        # A sentence, not a stack: the last line says what went wrong.
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert lines or result.stdout.strip(), (args, result.output)
