"""Model management through the real code path: a local index over HTTP, real zips."""

from __future__ import annotations

import functools
import http.server
import json
import threading
import zipfile
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from conftest import DATA, TEST_MODEL
from translate.cli import main


@pytest.fixture
def index_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 serving index.json and the test package."""
    root = tmp_path / "www"
    root.mkdir()
    (root / "en_qtc.argosmodel").write_bytes(TEST_MODEL.read_bytes())
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    index = [{
        "package_version": "1.0", "argos_version": "1.0", "from_code": "en", "from_name": "English",
        "to_code": "qtc", "to_name": "Test cipher", "type": "translate",
        "links": [f"{base}/en_qtc.argosmodel"],
    }]
    (root / "index.json").write_text(json.dumps(index), encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base + "/")
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_available_lists_the_index(runner: CliRunner, packages_dir: Path, index_server: str) -> None:
    result = runner.invoke(main, ["models", "available", "--json"])
    assert result.exit_code == 0, result.output
    pairs = [(p["from"], p["to"]) for p in json.loads(result.output)]
    assert pairs == [("en", "qtc")]


def test_install_from_index_then_list_and_remove(runner: CliRunner, packages_dir: Path,
                                                 index_server: str) -> None:
    result = runner.invoke(main, ["models", "install", "en", "qtc"])
    assert result.exit_code == 0, result.output
    installed = packages_dir / "translate-en_qtc"
    assert (installed / "metadata.json").is_file()
    assert (installed / "model" / "model.bin").is_file()
    listed = json.loads(runner.invoke(main, ["models", "list", "--json"]).output)
    assert [(p["from"], p["to"], p["version"]) for p in listed] == [("en", "qtc", "1.0")]
    assert listed[0]["size"] > 1_000_000
    result = runner.invoke(main, ["models", "remove", "en", "qtc"])
    assert result.exit_code == 0, result.output
    assert not installed.exists()
    assert json.loads(runner.invoke(main, ["models", "list", "--json"]).output) == []


def test_install_pair_missing_from_index(runner: CliRunner, packages_dir: Path, index_server: str) -> None:
    result = runner.invoke(main, ["models", "install", "en", "xx"])
    assert result.exit_code == 1
    assert "has no model for en->xx" in result.output
    assert list(packages_dir.iterdir()) == []


@pytest.mark.parametrize("command", [["models", "available"], ["models", "install", "en", "de"]],
                         ids=["available", "install"])
def test_unreachable_index_is_one_clear_line(runner: CliRunner, packages_dir: Path,
                                             monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/")  # discard port: refused
    result = runner.invoke(main, command)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "could not reach the Argos package index" in lines[0]
    assert "termguard models install-file" in lines[0]
    assert list(packages_dir.iterdir()) == []


def test_install_file(runner: CliRunner, packages_dir: Path) -> None:
    result = runner.invoke(main, ["models", "install-file", str(TEST_MODEL)])
    assert result.exit_code == 0, result.output
    assert "Installed en->qtc 1.0" in result.output
    assert sorted(p.name for p in packages_dir.iterdir()) == ["translate-en_qtc"]


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


META = json.dumps({"from_code": "en", "to_code": "zz", "package_version": "1"}).encode()


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (None, "not a zip archive"),
        ({"pkg/model/model.bin": b"x"}, "no pkg/metadata.json"),
        ({"pkg/metadata.json": META}, "no pkg/model/ folder"),
        ({"pkg/metadata.json": b"{oops", "pkg/model/model.bin": b"x"}, "not valid JSON"),
        ({"pkg/metadata.json": META, "pkg/model/model.bin": b"x", "../../escape": b"x"},
         "outside the package folder"),
        ({"pkg/metadata.json": META, "/abs/path": b"x"}, "outside the package folder"),
        ({"a/metadata.json": META, "b/model/x": b"x"}, "exactly one top folder"),
    ],
    ids=["not-zip", "no-metadata", "no-model", "bad-json", "zip-slip", "absolute", "two-tops"],
)
def test_bad_package_files_are_refused(runner: CliRunner, packages_dir: Path, tmp_path: Path,
                                       members: dict[str, bytes] | None, message: str) -> None:
    path = tmp_path / "bad.argosmodel"
    if members is None:
        path.write_bytes((DATA / "models" / "not-a-zip.argosmodel").read_bytes())
    else:
        _zip(path, members)
    result = runner.invoke(main, ["models", "install-file", str(path)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert list(packages_dir.iterdir()) == []
    assert not (tmp_path / "escape").exists()


def test_symlink_member_is_refused(runner: CliRunner, packages_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "link.argosmodel"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("pkg/metadata.json", META)
        archive.writestr("pkg/model/model.bin", b"x")
        link = zipfile.ZipInfo("pkg/model/evil")
        link.external_attr = (0o120777 << 16)
        archive.writestr(link, "/etc/passwd")
    result = runner.invoke(main, ["models", "install-file", str(path)])
    assert result.exit_code == 2
    assert "symbolic link" in result.output
    assert list(packages_dir.iterdir()) == []
