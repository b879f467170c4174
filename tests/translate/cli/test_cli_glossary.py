"""The glossary commands: `termguard glossary lint|show|check` and `termguard check`."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from translate.cli.glossary import check_command, glossary_group

DATA = Path(__file__).resolve().parents[2] / "data" / "glossary"
SMALL = DATA / "small.yaml"

SOURCE = "NATO urged Armenia and Azerbaijan to sign a peace agreement.\n\nYerevan is occupying four villages, Baku says.\n"
RU_GOOD = "НАТО призвало Армению и Азербайджан подписать мирное соглашение.\n\nЕреван оккупирует четыре села, утверждает Баку.\n"
RU_BAD = "НАТО призвало Армению подписать мирное соглашение.\n\nЕреван оккупирует четыре села, утверждает Баку.\n"


@pytest.fixture
def cli() -> click.Group:
    group = click.Group("termguard")
    group.add_command(glossary_group)
    group.add_command(check_command)
    return group


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_lint_valid(runner: CliRunner, cli: click.Group) -> None:
    result = runner.invoke(cli, ["glossary", "lint", str(SMALL)])
    assert result.exit_code == 0, result.output
    assert "OK (15 concepts, 8 locales)" in result.output


def test_lint_invalid_lists_every_problem(runner: CliRunner, cli: click.Group) -> None:
    path = DATA / "many_problems.yaml"
    result = runner.invoke(cli, ["glossary", "lint", str(path)])
    assert result.exit_code == 2
    assert f"{path}:6: unknown policy 'enforced'" in result.output
    assert "unknown key 'staus'" in result.output
    assert "Traceback" not in result.output


def test_show_one_concept(runner: CliRunner, cli: click.Group) -> None:
    result = runner.invoke(cli, ["glossary", "show", "yerevan", "--locale", "de", "--glossary", str(SMALL)])
    assert result.exit_code == 0, result.output
    assert "Eriwan [preferred]" in result.output and "Jerewan [deprecated]" in result.output
    assert "Ереван" not in result.output


def test_show_json(runner: CliRunner, cli: click.Group) -> None:
    result = runner.invoke(cli, ["glossary", "show", "--json", "--locale", "pt-BR", "--glossary", str(SMALL)])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    armenia = next(r for r in records if r["id"] == "armenia")
    assert set(armenia["terms"]) == {"en", "pt_BR"}
    assert [t["status"] for t in armenia["terms"]["pt_BR"]] == ["preferred", "deprecated"]


@pytest.mark.parametrize(
    ("args", "message"),
    [(["show", "nowhere"], "no concept 'nowhere'"), (["show", "--locale", "xx"], "unknown locale 'xx'")],
    ids=["unknown-concept", "unknown-locale"],
)
def test_show_bad_arguments(runner: CliRunner, cli: click.Group, args: list[str], message: str) -> None:
    result = runner.invoke(cli, ["glossary", *args, "--glossary", str(SMALL)])
    assert result.exit_code == 2
    assert message in result.output


def test_glossary_check_source(runner: CliRunner, cli: click.Group, tmp_path: Path) -> None:
    source = write(tmp_path, "en.txt", "Yerevan is occupying villages.\nHe visited Artsakh.\n")
    result = runner.invoke(cli, ["glossary", "check", str(source), "--json", "--glossary", str(SMALL)])
    assert result.exit_code == 1  # Artsakh in our own voice
    records = json.loads(result.output)
    assert [(r["paragraph"], r["kind"], r["concept"]) for r in records] == [
        (1, "term", "yerevan"),
        (1, "review", "occupied"),
        (2, "forbidden", "artsakh"),
    ]


def test_check_clean(runner: CliRunner, cli: click.Group, tmp_path: Path) -> None:
    source = write(tmp_path, "en.txt", SOURCE)
    target = write(tmp_path, "ru.txt", RU_GOOD)
    result = runner.invoke(cli, ["check", str(source), str(target), "--locale", "ru", "--glossary", str(SMALL)])
    assert result.exit_code == 0, result.output
    assert "3: review [occupied]" in result.output  # flagged, but not a failure


def test_check_violations_json(runner: CliRunner, cli: click.Group, tmp_path: Path) -> None:
    source = write(tmp_path, "en.txt", SOURCE)
    target = write(tmp_path, "ru.txt", RU_BAD)
    result = runner.invoke(
        cli, ["check", str(source), str(target), "--locale", "ru", "--glossary", str(SMALL), "--json"]
    )
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    missing = [r for r in records if r["kind"] == "missing"]
    assert missing == [
        {
            "paragraph": 1,
            "concept": "azerbaijan",
            "kind": "missing",
            "source": "Azerbaijan",
            "found": None,
            "expected": ["Азербайджан"],
            "note": "Standard exonym in each locale.",
            "quoted": False,
            "hint": "the translation needs Азербайджан (inflected forms count)",
            "occurrence": 2,
            "source_span": [23, 33],
            "found_span": None,
            "waived": None,
            "outcome": "unresolved",
        }
    ]


def test_check_accepts_bom_and_crlf(runner: CliRunner, cli: click.Group, tmp_path: Path) -> None:
    source = write(tmp_path, "en.txt", SOURCE.replace("\n", "\r\n").encode("utf-8-sig"))
    target = write(tmp_path, "ru.txt", RU_GOOD.rstrip("\n").encode("utf-8-sig"))
    result = runner.invoke(cli, ["check", str(source), str(target), "--locale", "ru", "--glossary", str(SMALL)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("target", "locale", "message"),
    [
        ("НАТО призвало.\n", "ru", "has 3 lines but"),
        (b"\xff\xfe broken", "ru", "is not UTF-8 text"),
        (RU_GOOD, "xx", "unknown locale 'xx'"),
        (RU_GOOD, "ja", "the glossary has no locale 'ja'"),
    ],
    ids=["line-count", "not-utf8", "unknown-locale", "uncovered-locale"],
)
def test_check_bad_input_exits_2(
    runner: CliRunner, cli: click.Group, tmp_path: Path, target: str | bytes, locale: str, message: str
) -> None:
    source = write(tmp_path, "en.txt", SOURCE)
    translation = write(tmp_path, "t.txt", target)
    result = runner.invoke(cli, ["check", str(source), str(translation), "--locale", locale, "--glossary", str(SMALL)])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_check_with_invalid_glossary_exits_2(runner: CliRunner, cli: click.Group, tmp_path: Path) -> None:
    source = write(tmp_path, "en.txt", SOURCE)
    target = write(tmp_path, "ru.txt", RU_GOOD)
    bad = DATA / "unknown_status.yaml"
    result = runner.invoke(cli, ["check", str(source), str(target), "--locale", "ru", "--glossary", str(bad)])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {bad}:") and len(result.output.splitlines()) == 1
    assert "unknown status 'prefered'" in result.output
