"""Owner and mode of every file termguard rewrites stay as they were, through real commands.

The file layer keeps them (tests/test_files.py); these runs check that the
translate and review paths really write through it: a catalog and an output
rewritten by `translate`, and the glossary, its proposals and its history
rewritten by `glossary propose` and `glossary approve`. Changing a file's
owner needs root, so the tests are skipped for any other user.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO
from translate.cli import main

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="changing a file's owner to another user needs root")

OTHER = 1234  # a uid and gid that is not the runner's


def _give_away(path: Path, mode: int) -> None:
    os.chown(path, OTHER, OTHER)
    path.chmod(mode)


def _kept(path: Path, mode: int) -> None:
    info = path.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (OTHER, OTHER, mode), path


def test_translate_keeps_owner_and_mode_of_catalog_and_output(test_model: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(REPO / "tests" / "model" / "glossary-qtc.yaml", "g.yaml")
    doc = Path("doc.txt")
    doc.write_text("Leaders in Karabakh met.\n\nThe talks went on.\n", encoding="utf-8")
    args = ["translate", "doc.txt", "--to", "qtc", "--glossary", "g.yaml", "-o", "out/doc.qtc.txt"]
    runner = CliRunner()
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    catalog = Path("locales/qtc/LC_MESSAGES/doc.po")
    output = Path("out/doc.qtc.txt")
    before = {catalog: catalog.read_bytes(), output: output.read_bytes()}
    _give_away(catalog, 0o640)
    _give_away(output, 0o664)
    doc.write_text("Leaders in Karabakh met again.\n\nThe talks went on.\n", encoding="utf-8")
    second = runner.invoke(main, args)
    assert second.exit_code == 0, second.output
    for path in (catalog, output):
        assert path.read_bytes() != before[path], f"{path} was not rewritten"
    _kept(catalog, 0o640)
    _kept(output, 0o664)


def test_propose_and_approve_keep_owner_and_mode_of_glossary_proposals_and_history(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    glossary = Path("g.yaml")
    shutil.copy(REPO / "tests" / "model" / "glossary-qtc.yaml", glossary)
    runner = CliRunner()

    def propose(rendering: str) -> None:
        result = runner.invoke(main, ["glossary", "propose", "karabakh", "--locale", "qtc", "--rendering",
                                      rendering, "--status", "admitted", "--reason", "desk", "--by", "ana",
                                      "--glossary", str(glossary)])
        assert result.exit_code == 0, result.output

    propose("Gezalafoq")
    proposals, history = Path("g.proposals.yaml"), Path("g.history.yaml")
    assert proposals.is_file() and history.is_file()
    modes = {glossary: 0o664, proposals: 0o640, history: 0o660}
    for path, mode in modes.items():
        _give_away(path, mode)
    before = {path: path.read_bytes() for path in modes}
    propose("Gezalafor")  # rewrites proposals and history
    for path in (proposals, history):
        assert path.read_bytes() != before[path]
        _kept(path, modes[path])
    before = {path: path.read_bytes() for path in modes}
    result = runner.invoke(main, ["glossary", "approve", "P1", "--by", "ana", "--glossary", str(glossary)])
    assert result.exit_code == 0, result.output
    for path, mode in modes.items():
        assert path.read_bytes() != before[path], f"{path} was not rewritten"
        _kept(path, mode)
