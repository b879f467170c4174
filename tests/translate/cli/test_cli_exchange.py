"""`glossary export` / `glossary import` through Click (a throwaway group holds them)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from glossary import load_glossary
from glossary.exchange.po import export_po, po_path, write_po
from translate.cli.exchange import exchange_commands
from translate.cli.review import review_commands

# Every edit these tests make is checked against editing the whole document.
pytestmark = pytest.mark.usefixtures("same_as_whole_file")

DATA = Path(__file__).resolve().parents[2] / "data" / "exchange"
FIXTURE = DATA / "glossary.yaml"


@click.group()
def group() -> None:
    """Test group."""


for _command in [*exchange_commands, *review_commands]:
    group.add_command(_command)


@pytest.fixture
def yaml_copy(tmp_path: Path) -> Path:
    target = tmp_path / "glossary.yaml"
    shutil.copyfile(FIXTURE, target)
    return target


def run(runner: CliRunner, *args: str) -> click.testing.Result:
    return runner.invoke(group, list(args), catch_exceptions=False)


def test_commands_are_named_export_and_import() -> None:
    assert [command.name for command in exchange_commands] == ["export", "import"]


def test_tbx_export_then_import_has_no_changes(runner: CliRunner, yaml_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "glossary.tbx"
    result = run(runner, "export", "--format", "tbx", "--glossary", str(yaml_copy), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    result = run(runner, "import", str(out), "--format", "tbx", "--glossary", str(yaml_copy))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "no changes" in result.stderr


def test_tbx_export_to_stdout(runner: CliRunner, yaml_copy: Path) -> None:
    result = run(runner, "export", "--format", "tbx", "--glossary", str(yaml_copy))
    assert result.exit_code == 0
    assert '<conceptEntry id="karabakh">' in result.stdout


def test_tbx_import_writes_new_yaml_only_with_apply(runner: CliRunner, yaml_copy: Path, tmp_path: Path) -> None:
    tbx = tmp_path / "desk.tbx"
    history = tmp_path / "history.json"
    records = [{"concept": "armenia", "locale": "pt_BR", "by": "ana", "when": "2024-05-01T10:00:00Z",
                "action": "set-status", "reason": "desk"}]
    history.write_text(json.dumps(records), encoding="utf-8")
    run(runner, "export", "--format", "tbx", "--glossary", str(yaml_copy), "-o", str(tbx), "--history", str(history))
    tbx.write_text(tbx.read_text(encoding="utf-8").replace("<term>Arzach</term>", "<term>Arzakh</term>"), encoding="utf-8")
    out = tmp_path / "new.yaml"
    back = tmp_path / "back.json"
    args = ["import", str(tbx), "--format", "tbx", "--glossary", str(yaml_copy), "-o", str(out), "--history-out", str(back)]
    result = run(runner, *args)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "artsakh [de]: renderings: Arzach (preferred) | Artsakh (forbidden; note 'English spelling; never in German copy.')"
        " -> Arzakh (preferred) | Artsakh (forbidden; note 'English spelling; never in German copy.')"
    ]
    assert "nothing written" in result.stderr and not out.exists() and not back.exists()
    result = run(runner, *args, "--apply")
    assert result.exit_code == 0, result.output
    assert load_glossary(out).preferred("artsakh", "de").text == "Arzakh"  # type: ignore[union-attr]
    assert json.loads(back.read_text(encoding="utf-8")) == records
    assert load_glossary(yaml_copy).preferred("artsakh", "de").text == "Arzach"  # type: ignore[union-attr]


def test_tbx_import_applies_in_place(runner: CliRunner, yaml_copy: Path, tmp_path: Path) -> None:
    tbx = tmp_path / "desk.tbx"
    run(runner, "export", "--format", "tbx", "--glossary", str(yaml_copy), "-o", str(tbx))
    tbx.write_text(tbx.read_text(encoding="utf-8").replace(">review<", ">enforce<"), encoding="utf-8")
    result = run(runner, "import", str(tbx), "--format", "tbx", "--glossary", str(yaml_copy), "--apply",
                 "--by", "ana", "--reason", "desk TBX")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "2020-war: policy: 'review' -> 'enforce'"
    assert "# the region" in yaml_copy.read_text(encoding="utf-8")
    assert load_glossary(yaml_copy).concepts["2020-war"].policy.value == "enforce"


@pytest.mark.parametrize("shape,first", [("deepl", "Karabakh,Karabach"), ("amazon", "en,de")], ids=["deepl", "amazon"])
def test_csv_export_to_stdout(runner: CliRunner, yaml_copy: Path, shape: str, first: str) -> None:
    result = run(runner, "export", "--format", "csv", "--locale", "de", "--shape", shape, "--glossary", str(yaml_copy))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == first


def test_csv_import_prints_and_applies(runner: CliRunner, yaml_copy: Path, tmp_path: Path) -> None:
    csv_file = tmp_path / "en-de.csv"
    csv_file.write_text("Karabakh,Bergkarabach\n", encoding="utf-8")
    args = ["import", str(csv_file), "--format", "csv", "--locale", "de", "--glossary", str(yaml_copy)]
    before = yaml_copy.read_bytes()
    result = run(runner, *args)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "karabakh [de]: preferred rendering: 'Karabach' -> 'Bergkarabach' ('Karabach' becomes admitted)"]
    assert yaml_copy.read_bytes() == before
    # --apply alone records a proposal for an editor; the glossary is unchanged.
    result = run(runner, *args, "--apply")
    assert result.exit_code == 0, result.output
    assert "P1 proposed: 1 change(s)" in result.stderr
    assert f"termguard glossary approve P1 --glossary {yaml_copy}" in result.stderr
    assert yaml_copy.read_bytes() == before
    result = run(runner, "approve", "P1", "--glossary", str(yaml_copy), "--by", "ed", "--reason", "ok")
    assert result.exit_code == 0, result.output
    assert load_glossary(yaml_copy).preferred("karabakh", "de").text == "Bergkarabach"  # type: ignore[union-attr]
    # With --by and --reason an import is approved at once.
    csv_file.write_text("Karabakh,Karabach\n", encoding="utf-8")
    result = run(runner, *args, "--apply", "--by", "ana", "--reason", "back")
    assert result.exit_code == 0, result.output
    assert "applied 1 change(s)" in result.stderr and "as P2, approved by ana" in result.stderr
    assert load_glossary(yaml_copy).preferred("karabakh", "de").text == "Karabach"  # type: ignore[union-attr]
    history = run(runner, "history", "karabakh", "--glossary", str(yaml_copy), "--json")
    assert [e["event"] for e in json.loads(history.stdout)] == ["proposed", "approved", "proposed", "approved"]


def test_po_export_default_path_and_import_json(
    runner: CliRunner, yaml_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(runner, "export", "--format", "po", "--locale", "pt_BR", "--glossary", str(yaml_copy))
    assert result.exit_code == 0, result.output
    path = Path("glossary.pt_BR.po")
    assert path.exists()
    assert not Path("locales").exists()  # never into the catalog folder unless asked
    text = path.read_text(encoding="utf-8").replace('msgstr "Armênia"', 'msgstr "Arménia"')
    path.write_text(text, encoding="utf-8")
    result = run(runner, "import", str(path), "--format", "po", "--glossary", str(yaml_copy), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["applied"] is False
    assert [(c["concept"], c["locale"], c["old"], c["new"]) for c in report["changes"]] == [
        ("armenia", "pt_BR", "Armênia", "Arménia")]


def test_po_export_every_target_locale(
    runner: CliRunner, yaml_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(runner, "export", "--format", "po", "--glossary", str(yaml_copy))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in Path(".").glob("glossary.*.po")) == [
        "glossary.de.po", "glossary.pt_BR.po", "glossary.ru.po", "glossary.tr.po"]
    assert not Path("locales").exists()
    result = run(runner, "export", "--format", "po", "--locale", "de", "--into", "exchange", "--glossary", str(yaml_copy))
    assert result.exit_code == 0, result.output
    assert Path("exchange/de/LC_MESSAGES/glossary.po").is_file()


BAD_INPUTS = [
    ("unknown_status.tbx", ["import", "{file}", "--format", "tbx"], 1),
    ("unknown_language.tbx", ["import", "{file}", "--format", "tbx"], 2),
    ("missing_source.tbx", ["import", "{file}", "--format", "tbx"], 1),
    ("billion_laughs.tbx", ["import", "{file}", "--format", "tbx"], 1),
    ("external_entity.tbx", ["import", "{file}", "--format", "tbx"], 1),
    ("wrong_columns.csv", ["import", "{file}", "--format", "csv", "--locale", "de"], 2),
    ("latin1.csv", ["import", "{file}", "--format", "csv", "--locale", "de"], 1),
    ("unknown_msgctxt.po", ["import", "{file}", "--format", "po"], 1),
]


@pytest.mark.parametrize("name,args,count", BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_exit_2_one_line_each_nothing_applied(
    runner: CliRunner, yaml_copy: Path, name: str, args: list[str], count: int
) -> None:
    before = yaml_copy.read_bytes()
    argv = [a.replace("{file}", str(DATA / name)) for a in args] + ["--glossary", str(yaml_copy), "--apply"]
    result = run(runner, *argv)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    # The one report of an invalid input: a head line, then one line per problem.
    assert lines[0].startswith(f"Error: {DATA / name}:"), lines
    problems = lines[1:] if len(lines) > 1 else lines
    assert len(problems) == count and all(f"{DATA / name}:" in line for line in problems), lines
    assert "Traceback" not in result.output
    assert yaml_copy.read_bytes() == before


@pytest.mark.parametrize(
    "args,message",
    [
        (["export", "--format", "csv"], "needs exactly one --locale"),
        (["export", "--format", "csv", "--locale", "xx-Nowhere"], "unknown locale"),
        (["export", "--format", "po", "--locale", "fr"], "not one of the glossary's locales"),
        (["import", "missing.po", "--format", "po"], "no such file"),
        (["import", "x.csv", "--format", "csv"], "needs --locale"),
    ],
    ids=["csv-no-locale", "unknown-locale", "locale-not-listed", "missing-file", "csv-import-no-locale"],
)
def test_bad_options_exit_2(runner: CliRunner, yaml_copy: Path, args: list[str], message: str) -> None:
    result = run(runner, *args, "--glossary", str(yaml_copy))
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_glossary_edited_meanwhile_exit_1_nothing_written(
    runner: CliRunner, yaml_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    glossary = load_glossary(yaml_copy)
    po = export_po(glossary, "de")
    for entry in po:
        if entry.msgctxt == "karabakh":
            entry.msgstr = "Bergkarabach"
    path = write_po(po, po_path(tmp_path / "locales", "de"))
    import glossary.exchange.po as po_exchange

    real_import = po_exchange.import_po

    def import_then_someone_edits(*args: object, **kwargs: object) -> object:
        changes = real_import(*args, **kwargs)  # type: ignore[arg-type]
        # An editor saves the glossary between the import and the apply.
        text = yaml_copy.read_text(encoding="utf-8").replace("text: Karabach\n", "text: Karabachh\n")
        yaml_copy.write_text(text, encoding="utf-8")
        return changes

    monkeypatch.setattr(po_exchange, "import_po", import_then_someone_edits)
    result = run(runner, "import", str(path), "--format", "po", "--glossary", str(yaml_copy), "--apply")
    assert result.exit_code == 1, result.output
    assert "run the import again" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "text: Karabachh\n" in yaml_copy.read_text(encoding="utf-8")
    assert "Bergkarabach\n          status: preferred" not in yaml_copy.read_text(encoding="utf-8")


def test_invalid_glossary_is_bad_input(runner: CliRunner, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema: 1\nsource: en\n", encoding="utf-8")
    result = run(runner, "export", "--format", "tbx", "--glossary", str(broken))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {broken}: invalid glossary")
