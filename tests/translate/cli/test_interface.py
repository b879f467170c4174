"""One interface: project file, option names and aliases, --json and examples everywhere, did-you-mean, fallbacks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import DATA, REPO
from translate.cli import main

SMALL = DATA / "glossary" / "small.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def every_command() -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []

    def walk(prefix: str, command: click.Command) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(f"{prefix} {name}".strip(), sub)
        else:
            found.append((prefix, command))

    walk("", main)
    return found


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copyfile(SMALL, tmp_path / "terms.yaml")
    (tmp_path / "work" / "deep").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "work" / "deep")
    (tmp_path / "work" / "deep" / "a.txt").write_text("Jerewan is a city.\n", encoding="utf-8")
    (tmp_path / "work" / "deep" / "a.de.txt").write_text("Jerewan ist eine Stadt.\n", encoding="utf-8")
    return tmp_path


# --------------------------------------------------------------------------- the project file


def test_termguard_toml_found_walking_up_sets_glossary_and_locale(project: Path) -> None:
    (project / "termguard.toml").write_text('glossary = "terms.yaml"\nlocales = ["de"]\n', encoding="utf-8")
    code, out, err = run("check", "a.txt", "a.de.txt", "--json")
    assert code == 1, err  # the small glossary's Eriwan rule, with no --glossary and no --locale given
    assert [v["concept"] for v in json.loads(out)] == ["yerevan"]
    code, _, err = run("check", "a.txt", "a.de.txt", "--locale", "fr")
    assert code == 0 or "fr" in err  # the option overrides the file's locale


def test_pyproject_tool_termguard_and_option_override(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "desk"\n\n[tool.termguard]\nglossary = "terms.yaml"\n', encoding="utf-8")
    code, out, _ = run("glossary", "show", "--json")
    small = {c["id"] for c in json.loads(out)}
    code2, out2, _ = run("glossary", "show", "--json", "--glossary", str(REPO / "glossary" / "data" / "curated.yaml"))
    assert code == code2 == 0 and "seized" in small and small != {c["id"] for c in json.loads(out2)}


def test_a_mistyped_setting_is_one_line_with_a_suggestion(project: Path) -> None:
    (project / "termguard.toml").write_text('glosary = "terms.yaml"\n', encoding="utf-8")
    code, _, err = run("glossary", "show")
    assert code == 2 and "unknown setting 'glosary' (did you mean 'glossary'?)" in err
    (project / "termguard.toml").write_text("glossary = [\n", encoding="utf-8")
    code, _, err = run("glossary", "show")
    assert code == 2 and "not valid TOML" in err and len(err.strip().splitlines()) == 1


# --------------------------------------------------------------------------- names, aliases, --json, examples


def test_glossary_option_on_every_command_that_reads_the_glossary() -> None:
    for name, command in every_command():
        params = {p.name for p in command.params}
        if name.startswith(("glossary ", "check", "report", "translate", "catalog check")):
            assert "glossary_path" in params, name
            option = next(p for p in command.params if p.name == "glossary_path")
            assert "--glossary" in option.opts, name


def test_translate_takes_locale_as_alias_of_to() -> None:
    option = next(p for p in main.commands["translate"].params if p.name == "to")
    assert {"--to", "--locale"} <= set(option.opts)


def test_every_reporting_command_has_json_and_every_command_an_example() -> None:
    reporting = {"check", "report", "catalog status", "catalog check", "catalog compile", "models list",
                 "models available", "glossary show", "glossary check", "glossary proposals", "glossary history",
                 "glossary diff", "glossary impact", "translate"}
    for name, command in every_command():
        if name in reporting:
            assert "as_json" in {p.name for p in command.params}, name
    for name, command in every_command():
        assert "Examples:" in (command.help or ""), name
    assert "Examples:" in (main.commands["glossary"].help or "") and "lint the glossary" not in (
        main.commands["glossary"].help or "")


def test_beam_size_is_documented() -> None:
    option = next(p for p in main.commands["translate"].params if p.name == "beam_size")
    assert option.help


# --------------------------------------------------------------------------- did you mean, fallbacks


def test_mistyped_concept_and_locale_get_a_suggestion() -> None:
    code, _, err = run("glossary", "show", "karabak")
    assert code == 2 and "did you mean 'karabakh'?" in err
    code, _, err = run("glossary", "show", "karabakh", "--locale", "dee")
    assert code == 2 and "did you mean 'de'?" in err


@pytest.mark.parametrize("given", ["de-AT", "deu", "de_CH", "DE"])
def test_a_regional_or_three_letter_locale_falls_back_to_its_language(tmp_path: Path, given: str) -> None:
    src, tgt = tmp_path / "a.txt", tmp_path / "a.de.txt"
    src.write_text("Jerewan is a city.\n", encoding="utf-8")
    tgt.write_text("Jerewan ist eine Stadt.\n", encoding="utf-8")
    code, out, err = run("check", str(src), str(tgt), "--locale", given, "--glossary", str(SMALL), "--json")
    assert code == 1, err
    assert [v["concept"] for v in json.loads(out)] == ["yerevan"]


def test_translate_enforces_the_language_of_a_regional_locale(tmp_path: Path, test_model: Path) -> None:
    from glossary.termbase.locales import fallback_locale

    assert fallback_locale("de_AT", ("en", "de")) == "de"
    assert fallback_locale("qtc", ("en", "qtc")) == "qtc"
    assert fallback_locale("fr_CA", ("en", "de")) is None


def test_the_hint_after_propose_repeats_the_glossary_given(tmp_path: Path) -> None:
    glossary = tmp_path / "g.yaml"
    shutil.copyfile(SMALL, glossary)
    code, out, err = run("glossary", "propose", "yerevan", "--locale", "de", "--rendering", "Jerewan", "--status",
                         "admitted", "--reason", "r", "--by", "a", "--glossary", str(glossary))
    assert code == 0, err
    hint = next(line for line in out.splitlines() if "termguard glossary impact" in line)
    assert f"--glossary {glossary}" in hint


def test_history_of_a_missing_glossary_is_an_error(tmp_path: Path) -> None:
    code, out, err = run("glossary", "history", "--glossary", str(tmp_path / "nope.yaml"))
    assert code == 2 and "does not exist" in err and "no recorded changes" not in out


def test_models_list_has_a_header_row(test_model: Path) -> None:
    code, out, _ = run("models", "list")
    assert code == 0 and out.splitlines()[0].split()[:3] == ["pair", "version", "size"]
