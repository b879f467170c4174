"""The review commands (propose, approve, reject, proposals, history, diff, impact) through Click."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import click
import polib
import pytest
from click.testing import CliRunner, Result

from translate.cli.review import review_commands

# Every edit these tests make is checked against editing the whole document.
pytestmark = pytest.mark.usefixtures("same_as_whole_file")

DATA = Path(__file__).resolve().parents[2] / "data"
SMALL = DATA / "glossary" / "small.yaml"


@pytest.fixture
def group() -> click.Group:
    """A throwaway `glossary` group holding only the review commands."""
    glossary = click.Group("glossary")
    for command in review_commands:
        glossary.add_command(command)
    return glossary


@pytest.fixture
def glossary_file(tmp_path: Path) -> Path:
    target = tmp_path / "glossary.yaml"
    shutil.copyfile(SMALL, target)
    return target


def run(runner: CliRunner, group: click.Group, glossary_file: Path, *args: str) -> Result:
    result = runner.invoke(group, [*args, "--glossary", str(glossary_file)])
    # Errors are one line on stderr, never a traceback.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def propose(runner: CliRunner, group: click.Group, glossary_file: Path, *extra: str) -> Result:
    return run(runner, group, glossary_file, "propose", "karabakh", "--locale", "de",
               "--rendering", "Bergkarabach", "--status", "preferred",
               "--reason", "Duden lists Bergkarabach first", *extra)


def test_session(runner: CliRunner, group: click.Group, glossary_file: Path) -> None:
    original = glossary_file.read_text(encoding="utf-8")
    result = propose(runner, group, glossary_file, "--by", "alice")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("P1 proposed by alice at ")
    assert "'Karabach' preferred -> admitted (demoted" in result.output

    listed = run(runner, group, glossary_file, "proposals")
    assert listed.output.startswith("P1 [open] karabakh/de: 'Bergkarabach' -> preferred")

    approved = run(runner, group, glossary_file, "approve", "P1", "--by", "carol", "--reason", "desk meeting")
    assert approved.exit_code == 0, approved.output
    assert "'Bergkarabach' admitted -> preferred" in approved.output
    new = glossary_file.read_text(encoding="utf-8")
    assert sum(a != b for a, b in zip(original.splitlines(), new.splitlines())) == 2
    assert len(original.splitlines()) == len(new.splitlines())

    history = run(runner, group, glossary_file, "history", "karabakh")
    lines = history.output.splitlines()
    assert "alice  proposed P1" in lines[0] and "carol  approved P1" in lines[2]
    assert "why: Duden lists Bergkarabach first (proposed by alice" in history.output
    assert "approval note: desk meeting" in history.output

    records = json.loads(run(runner, group, glossary_file, "history", "--json").output)
    assert [r["event"] for r in records] == ["proposed", "approved"]
    assert records[1]["changes"][0] == {
        "concept": "karabakh", "locale": "de", "text": "Bergkarabach", "from": "admitted", "to": "preferred",
    }
    assert run(runner, group, glossary_file, "proposals").output.strip() == "no open proposals"
    everything = json.loads(run(runner, group, glossary_file, "proposals", "--all", "--json").output)
    assert everything[0]["state"] == "approved" and everything[0]["decided_by"] == "carol"


def test_reject(runner: CliRunner, group: click.Group, glossary_file: Path) -> None:
    before = glossary_file.read_bytes()
    propose(runner, group, glossary_file, "--by", "alice")
    missing = run(runner, group, glossary_file, "reject", "P1")
    assert missing.exit_code == 2  # --reason is required
    result = run(runner, group, glossary_file, "reject", "P1", "--reason", "the oblast only", "--by", "carol", "--json")
    assert result.exit_code == 0 and json.loads(result.output)["state"] == "rejected"
    assert glossary_file.read_bytes() == before


def test_by_defaults_to_the_login_name(runner: CliRunner, group: click.Group, glossary_file: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGNAME", "night-desk")
    result = propose(runner, group, glossary_file, "--json")
    assert json.loads(result.output)["proposal"]["by"] == "night-desk"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["propose", "nowhere", "--locale", "de", "--rendering", "X", "--status", "preferred", "--reason", "r"],
                     "no concept 'nowhere'", id="unknown-concept"),
        pytest.param(["propose", "karabakh", "--locale", "xx_QQ", "--rendering", "X", "--status", "preferred", "--reason", "r"],
                     "unknown locale 'xx_QQ'", id="unknown-locale"),
        pytest.param(["propose", "karabakh", "--locale", "es", "--rendering", "X", "--status", "preferred", "--reason", "r"],
                     "does not list locale 'es'", id="locale-not-listed"),
        pytest.param(["propose", "karabakh", "--locale", "de", "--rendering", "X", "--status", "banned", "--reason", "r"],
                     "'banned' is not one of", id="unknown-status"),
        pytest.param(["propose", "karabakh", "--locale", "de", "--rendering", "Karabachs", "--status", "forbidden", "--reason", "r"],
                     "would be forbidden (as 'Karabachs') and preferred (as 'Karabach')", id="preferred-and-forbidden"),
        pytest.param(["propose", "karabakh", "--locale", "en", "--rendering", "Karabakh", "--status", "admitted", "--reason", "r"],
                     "the glossary would not load", id="source-without-preferred"),
        pytest.param(["propose", "karabakh", "--locale", "de", "--rendering", "X", "--status", "preferred", "--reason", " "],
                     "a reason is required", id="blank-reason"),
        pytest.param(["approve", "P9"], "no proposal 'P9'", id="unknown-proposal"),
        pytest.param(["reject", "banana", "--reason", "r"], "not a proposal id", id="bad-proposal-id"),
        pytest.param(["history", "nowhere"], "no concept 'nowhere'", id="history-unknown-concept"),
        pytest.param(["diff", "no-such-revision"], "cannot read no-such-revision", id="diff-bad-revision"),
        pytest.param(["impact", "--catalog-dir", "/nonexistent/folder"], "no catalog folder", id="impact-no-catalogs"),
    ],
)
def test_bad_input_exits_2_with_one_line(runner: CliRunner, group: click.Group, glossary_file: Path,
                                         args: list[str], message: str) -> None:
    result = run(runner, group, glossary_file, *args, *([] if args[0] != "propose" else ["--by", "alice"]))
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_approving_twice_and_an_invalid_glossary(runner: CliRunner, group: click.Group, glossary_file: Path) -> None:
    propose(runner, group, glossary_file, "--by", "alice")
    assert run(runner, group, glossary_file, "approve", "P1", "--by", "carol").exit_code == 0
    again = run(runner, group, glossary_file, "approve", "P1", "--by", "carol")
    assert again.exit_code == 2 and "already approved by carol" in again.output
    propose_other = run(runner, group, glossary_file, "propose", "yerevan", "--locale", "de", "--rendering", "Erewan",
                        "--status", "forbidden", "--reason", "r", "--by", "bob")
    assert propose_other.exit_code == 0
    glossary_file.write_text("schema: 1\nsource: en\nconcepts: 3\n", encoding="utf-8")
    broken = run(runner, group, glossary_file, "approve", "P2", "--by", "carol")
    assert broken.exit_code == 2  # an invalid glossary is bad input, in every command
    lines = broken.output.strip().splitlines()
    assert "invalid glossary, 2 problems" in lines[0] and len(lines) == 3  # the head line, then each problem


def test_a_proposal_that_no_longer_applies_is_a_failure_and_stays_open(
        runner: CliRunner, group: click.Group, glossary_file: Path) -> None:
    # Proposing the same change twice is fine; once the first is approved the
    # second asks for nothing: the glossary moved on, the request was not bad.
    for by in ("alice", "bob"):
        assert propose(runner, group, glossary_file, "--by", by).exit_code == 0
    assert run(runner, group, glossary_file, "approve", "P1", "--by", "carol").exit_code == 0
    moot = run(runner, group, glossary_file, "approve", "P2", "--by", "carol")
    assert moot.exit_code == 1, moot.output
    assert moot.stderr.startswith("Error: ") and len(moot.stderr.splitlines()) == 1, moot.stderr
    listed = run(runner, group, glossary_file, "proposals", "--json")
    assert [p["id"] for p in json.loads(listed.output)] == ["P2"]


# --------------------------------------------------------------------------- diff


def test_diff_between_two_files(runner: CliRunner, group: click.Group, glossary_file: Path) -> None:
    propose(runner, group, glossary_file, "--by", "alice")
    run(runner, group, glossary_file, "approve", "P1", "--by", "carol")
    result = runner.invoke(group, ["diff", str(SMALL), str(glossary_file)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[2:] == [
        "~ karabakh/de: 'Karabach' preferred -> admitted",
        "~ karabakh/de: 'Bergkarabach' admitted -> preferred",
    ]
    data = json.loads(runner.invoke(group, ["diff", str(SMALL), str(SMALL), "--json"]).output)
    assert data["changes"] == []


def _git(folder: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", *args],
        cwd=folder, check=True, capture_output=True, env=env,
    )


def test_diff_against_a_git_revision(runner: CliRunner, group: click.Group, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    glossary_file = repo / "glossary.yaml"
    shutil.copyfile(SMALL, glossary_file)
    _git(repo, "init", "-q")
    _git(repo, "add", "glossary.yaml")
    _git(repo, "commit", "-q", "-m", "first")
    run(runner, group, glossary_file, "propose", "armenia", "--locale", "fr", "--rendering", "Arménie",
        "--status", "preferred", "--form", "l'Arménie", "--reason", "r", "--by", "alice")
    run(runner, group, glossary_file, "approve", "P1", "--by", "carol")
    _git(repo, "commit", "-q", "-am", "second")
    result = run(runner, group, glossary_file, "diff", "HEAD~1", "--json")
    assert result.exit_code == 0, result.output
    changes = json.loads(result.output)["changes"]
    assert [(c["kind"], c["text"], c["field"], c["new"]) for c in changes] == [
        ("rendering-changed", "Arménie", "forms", ["l'Arménie"])
    ]
    same = runner.invoke(group, ["diff", "HEAD", str(glossary_file)])
    assert same.exit_code == 0 and same.output.splitlines()[-1] == "no differences"


# --------------------------------------------------------------------------- impact


def _catalog(folder: Path) -> Path:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "de"}
    rows = [
        ("Azerbaijan seized Karabakh in 2023.", "Aserbaidschan hat Karabach 2023 eingenommen.", False),
        ("Talks on Karabakh resumed on Monday.", "Die Gespräche über Karabach wurden am Montag fortgesetzt.", True),
        ("NATO welcomed the peace agreement.", "Die NATO begrüßte das Friedensabkommen.", False),
    ]
    for number, (msgid, msgstr, fuzzy) in enumerate(rows, start=1):
        entry = polib.POEntry(msgid=msgid, msgstr=msgstr, occurrences=[("article.txt", str(number))])
        if fuzzy:
            entry.flags.append("fuzzy")
        po.append(entry)
    path = folder / "de" / "LC_MESSAGES" / "article.po"
    path.parent.mkdir(parents=True)
    po.save(str(path))
    return path


@pytest.mark.parametrize(
    ("rendering", "status", "exit_code", "broken"),
    [
        pytest.param("Karabach", "forbidden", 1, 1, id="reviewed-entry-breaks"),
        pytest.param("Bergkarabach", "preferred", 0, 0, id="nothing-breaks"),
    ],
)
def test_impact_of_a_proposal(runner: CliRunner, group: click.Group, glossary_file: Path, tmp_path: Path,
                              rendering: str, status: str, exit_code: int, broken: int) -> None:
    catalog = _catalog(tmp_path / "locales")
    run(runner, group, glossary_file, "propose", "karabakh", "--locale", "de", "--rendering", rendering,
        "--status", status, "--reason", "r", "--by", "alice")
    args = ("impact", "--proposal", "P1", "--catalog-dir", str(tmp_path / "locales"))
    result = run(runner, group, glossary_file, *args)
    assert result.exit_code == exit_code, result.output
    assert f"de: 2 of 3 translated entries affected, {broken} reviewed entr" in result.output
    assert "fuzzy" in result.output and "Talks on Karabakh resumed on Monday." in result.output
    if broken:
        line = next(line for line in result.output.splitlines() if "BROKEN" in line)
        assert f"{catalog}:" in line and "'Azerbaijan seized Karabakh in 2023.'" in line
    data = json.loads(run(runner, group, glossary_file, *args, "--json").output)
    assert data["broken"] == broken and data["affected"] == 2
    assert [e["reviewed"] for e in data["locales"][0]["entries"]] == [True, False]


def test_impact_after_an_approval_against_the_old_file(runner: CliRunner, group: click.Group,
                                                       glossary_file: Path, tmp_path: Path) -> None:
    _catalog(tmp_path / "locales")
    run(runner, group, glossary_file, "propose", "karabakh", "--locale", "de", "--rendering", "Karabach",
        "--status", "deprecated", "--reason", "r", "--by", "alice")
    run(runner, group, glossary_file, "approve", "P1", "--by", "carol")
    result = run(runner, group, glossary_file, "impact", "--before", str(SMALL),
                 "--catalog-dir", str(tmp_path / "locales"))
    assert result.exit_code == 1, result.output
    assert "now deprecated 'Karabach' (karabakh)" in result.output
    assert result.output.splitlines()[-1] == "1 reviewed entry now violates the glossary"
