"""Hostile indexes, servers and installed packages; the locale table; Argos settings."""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from conftest import TEST_MODEL
from translate.cli import main

# ------------------------------------------------------------------ a hostile server


class _Hostile(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[str, bytes, dict[str, str]]]] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        kind, body, headers = self.routes.get(self.path, ("plain", b"", {}))
        if kind == "missing":
            self.send_error(404)
            return
        self.send_response(200)
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        try:
            if kind == "drip":
                for _ in range(1000):
                    self.wfile.write(b"[")
                    self.wfile.flush()
                    time.sleep(0.2)
            elif kind == "endless":
                chunk = b" " * 65536
                for _ in range(100000):
                    self.wfile.write(chunk)
            else:
                self.wfile.write(body)
        except OSError:
            pass


@pytest.fixture
def hostile(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, dict[str, tuple[str, bytes, dict[str, str]]]]]:
    routes: dict[str, tuple[str, bytes, dict[str, str]]] = {}
    handler = type("H", (_Hostile,), {"routes": routes})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", f"{base}/index.json")
    try:
        yield base, routes
    finally:
        server.shutdown()
        server.server_close()


def _entry(**changes: object) -> dict[str, object]:
    entry: dict[str, object] = {"package_version": "1.0", "argos_version": "1.0", "from_code": "en",
                                "from_name": "English", "to_code": "qtc", "to_name": "Test cipher",
                                "links": ["/pkg.argosmodel"], "code": "translate-en_qtc"}
    entry.update(changes)
    return entry


def _one_line(result: object) -> str:
    output = result.output  # type: ignore[attr-defined]
    assert "Traceback" not in output
    lines = [line for line in output.strip().splitlines() if line.strip()]
    assert len(lines) == 1, output
    return lines[0]


@pytest.mark.parametrize(("body", "expected"), [
    (b"[1, 2, 3]", "no usable entry"),
    (json.dumps([_entry(from_code=None)]).encode(), "from_code is missing or null"),
    (b"[" * 100000 + b"]" * 100000, "nests deeper than"),
    (json.dumps([_entry()]).encode("utf-16"), "UTF-16"),
    (json.dumps([_entry(links="http://x/y.argosmodel")]).encode(), "links is a str"),
    (b"{\"packages\": []}", "not a list of packages"),
    (b"\xff\xfe\x00garbage", "UTF-16"),
    (b"not json", "not valid JSON"),
], ids=["numbers", "null-code", "deep", "utf16", "links-string", "object", "bom-garbage", "not-json"])
def test_malformed_index_is_one_line(body: bytes, expected: str, hostile: tuple[str, dict],
                                     packages_dir: Path, runner: CliRunner) -> None:
    _, routes = hostile
    routes["/index.json"] = ("plain", body, {"Content-Length": str(len(body))})
    result = runner.invoke(main, ["models", "available"])
    assert result.exit_code == 1
    assert expected in _one_line(result)


def test_relative_links_are_read_against_the_index(hostile: tuple[str, dict], packages_dir: Path,
                                                   runner: CliRunner) -> None:
    _, routes = hostile
    body = json.dumps([_entry(links=["pkg.argosmodel"])]).encode()
    routes["/index.json"] = ("plain", body, {})
    package = TEST_MODEL.read_bytes()
    routes["/pkg.argosmodel"] = ("plain", package, {"Content-Length": str(len(package))})
    result = runner.invoke(main, ["models", "install", "en", "qtc"])
    assert result.exit_code == 0, result.output


def test_index_with_escape_sequences_is_printed_escaped(hostile: tuple[str, dict], packages_dir: Path,
                                                        runner: CliRunner) -> None:
    _, routes = hostile
    body = json.dumps([_entry(to_name="\x1b[2J\x1b[31mEvil\u202e", package_version="1\x1b]0;x\x07")]).encode()
    routes["/index.json"] = ("plain", body, {})
    result = runner.invoke(main, ["models", "available"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output and "\x07" not in result.output
    # One marker form everywhere (glossary.matching.normalize.visible): the escape shows as <U+001B>.
    assert "<U+001B>[2J<U+001B>[31mEvil<U+202E>" in result.output
    assert "1<U+001B>]0;x<U+0007>" in result.output


@pytest.mark.parametrize("link", ["file:///etc/passwd", "data:application/zip;base64,UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==",
                                  "ftp://127.0.0.1/x.argosmodel", "ipfs://QmNn1rBjRvGjTycGnKq7PoMrro4BvyTHT7nXu3sgqbo1RH"])
def test_only_http_and_https_links_are_fetched(link: str, hostile: tuple[str, dict], packages_dir: Path,
                                               runner: CliRunner) -> None:
    _, routes = hostile
    routes["/index.json"] = ("plain", json.dumps([_entry(links=[link])]).encode(), {})
    result = runner.invoke(main, ["models", "install", "en", "qtc"])
    assert result.exit_code == 1
    line = _one_line(result)
    assert "http and https only" in line
    assert [p for p in packages_dir.iterdir() if not p.name.startswith(".")] == []


def test_each_link_error_is_named(hostile: tuple[str, dict], packages_dir: Path, runner: CliRunner) -> None:
    base, routes = hostile
    routes["/index.json"] = ("plain", json.dumps([_entry(links=[f"{base}/gone.argosmodel", "ipfs://Qm"])]).encode(), {})
    routes["/gone.argosmodel"] = ("missing", b"", {})
    line = _one_line(runner.invoke(main, ["models", "install", "en", "qtc"]))
    assert "gone.argosmodel: HTTP 404" in line and "ipfs: links are not fetched" in line


def test_size_caps_and_truncation(hostile: tuple[str, dict], packages_dir: Path, runner: CliRunner,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from translate.argos import packages

    _, routes = hostile
    package = TEST_MODEL.read_bytes()
    routes["/index.json"] = ("plain", json.dumps([_entry()]).encode(), {})
    # A Content-Length beyond the cap: refused before a byte is written.
    routes["/pkg.argosmodel"] = ("plain", b"", {"Content-Length": str(100 * 1024**3)})
    assert "more than the 2.0 GiB allowed" in _one_line(runner.invoke(main, ["models", "install", "en", "qtc"]))
    # No Content-Length and an endless body: stopped at the cap.
    monkeypatch.setattr(packages, "MAX_DOWNLOAD_BYTES", 1024**2)
    routes["/pkg.argosmodel"] = ("endless", b"", {})
    assert "more than the 1.0 MiB allowed arrived" in _one_line(runner.invoke(main, ["models", "install", "en", "qtc"]))
    monkeypatch.setattr(packages, "MAX_DOWNLOAD_BYTES", 2 * 1024**3)
    # Fewer bytes than announced: truncated, said so.
    routes["/pkg.argosmodel"] = ("plain", package[:100000], {"Content-Length": str(len(package))})
    assert "truncated" in _one_line(runner.invoke(main, ["models", "install", "en", "qtc"]))
    # An index larger than its cap.
    monkeypatch.setattr(packages, "MAX_INDEX_BYTES", 1000)
    routes["/index.json"] = ("endless", b"", {})
    assert "allowed arrived" in _one_line(runner.invoke(main, ["models", "available"]))
    assert [p for p in packages_dir.iterdir() if not p.name.startswith(".")] == []


def test_a_dripping_server_cannot_outlast_the_deadline(hostile: tuple[str, dict], packages_dir: Path,
                                                       runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    from translate.argos import packages

    _, routes = hostile
    routes["/index.json"] = ("drip", b"", {})  # a byte every 0.2 s: no socket timeout ever fires
    monkeypatch.setattr(packages, "INDEX_DEADLINE", 1.0)
    line = _one_line(runner.invoke(main, ["models", "available"]))
    assert "not finished within 1 s" in line


def test_unreachable_port_is_one_line(packages_dir: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", f"http://127.0.0.1:{port}/")
    line = _one_line(runner.invoke(main, ["models", "available"]))
    assert "could not reach the Argos package index" in line


# ------------------------------------------------------------ damaged installed packages


@pytest.mark.parametrize(("damage", "reason"), [
    ("list", "holds a list, not an object"),
    ("folder", "metadata.json is a folder"),
    ("nested", "is inside inner/"),
    ("null-codes", "no valid from_code"),
], ids=["list", "folder", "nested", "null-codes"])
def test_damaged_installed_package_is_named_never_a_traceback(damage: str, reason: str, test_model: Path,
                                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              runner: CliRunner) -> None:
    import shutil

    folder = tmp_path / "pk"
    shutil.copytree(test_model.parent, folder)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    bad = folder / "translate-en_xx"
    shutil.copytree(test_model, bad)
    meta = bad / "metadata.json"
    if damage == "list":
        meta.write_text("[1, 2]", encoding="utf-8")
    elif damage == "folder":
        meta.unlink()
        meta.mkdir()
    elif damage == "nested":
        (bad / "inner").mkdir()
        meta.rename(bad / "inner" / "metadata.json")
    else:
        meta.write_text(json.dumps({"from_code": None, "to_code": None}), encoding="utf-8")
    result = runner.invoke(main, ["models", "list"])
    assert result.exit_code == 0
    assert "Traceback" not in result.output
    assert "translate-en_xx is a damaged package: " in result.output and reason in result.output
    assert "en->qtc" in result.stdout  # the good one still listed
    doc = tmp_path / "a.txt"
    doc.write_text("Karabakh.\n", encoding="utf-8")
    result = runner.invoke(main, ["translate", str(doc), "--to", "qtc", "--no-catalog", "--no-glossary"])
    assert result.exit_code == 0, result.output


def test_metadata_with_a_bom_is_read(test_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     runner: CliRunner) -> None:
    import shutil

    folder = tmp_path / "pk"
    shutil.copytree(test_model.parent, folder)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    meta = folder / "translate-en_qtc" / "metadata.json"
    meta.write_bytes(b"\xef\xbb\xbf" + meta.read_bytes())
    listed = json.loads(runner.invoke(main, ["models", "list", "--json"]).stdout)
    assert [(p["from"], p["to"]) for p in listed] == [("en", "qtc")]
    doc = tmp_path / "a.txt"
    doc.write_text("Karabakh.\n", encoding="utf-8")
    assert runner.invoke(main, ["translate", str(doc), "--to", "qtc", "--no-catalog", "--no-glossary"]).exit_code == 0


# --------------------------------------------------------------------- the locale table

TABLE = {
    "zh-TW": "zt", "zh_TW": "zt", "zh-HK": "zt", "zh_Hant": "zt", "zh_Hant_TW": "zt", "zh-MO": "zt",
    "zh": "zh", "zh_Hans": "zh", "zh-CN": "zh", "zh_SG": "zh",
    "tl": "tl", "fil": "tl", "fil_PH": "tl", "no": "nb", "nb": "nb", "nb_NO": "nb",
    "pt_BR": "pb", "pt-br": "pb", "pt": "pt", "pt_PT": "pt", "iw": "he", "he": "he", "in": "id",
    "de_DE": "de", "de-AT": "de", "en_US": "en", "pb": "pb", "zt": "zt",
}
INDEX_CODES = ["ar", "az", "bg", "bn", "ca", "cs", "da", "de", "el", "en", "eo", "es", "et", "eu", "fa", "fi", "fr", "ga", "gl", "he", "hi", "hu", "id", "it", "ja", "ko", "ky", "lt", "lv", "ms", "nb", "nl", "pb", "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sv", "th", "tl", "tr", "uk", "ur", "zh", "zt"]


@pytest.mark.parametrize(("locale", "code"), sorted(TABLE.items()))
def test_locale_table(locale: str, code: str) -> None:
    from translate.argos.codes import INDEX_CODES as CODES
    from translate.argos.codes import resolve

    assert resolve(locale, CODES) == code


@pytest.mark.parametrize("code", INDEX_CODES)
def test_every_code_of_the_real_index_maps_to_itself(code: str) -> None:
    from translate.argos.codes import INDEX_CODES as CODES
    from translate.argos.codes import resolve

    assert code in CODES
    assert resolve(code, CODES) == code


def test_pt_br_falls_back_to_pt_when_only_pt_is_installed() -> None:
    from translate.argos.codes import resolve

    assert resolve("pt_BR", {"pt"}) == "pt"
    assert resolve("pt_BR", set()) == "pb"  # the package a user would install


def test_models_install_and_remove_take_locales(hostile: tuple[str, dict], packages_dir: Path,
                                                runner: CliRunner) -> None:
    _, routes = hostile
    routes["/index.json"] = ("plain", json.dumps([_entry()]).encode(), {})
    result = runner.invoke(main, ["models", "remove", "EN", "zh-TW"])
    assert result.exit_code == 1 and "no model installed for en->zt" in result.output
    result = runner.invoke(main, ["models", "install", "en", "pt-BR"])
    assert result.exit_code == 1 and "has no model for en->pb" in result.output
    result = runner.invoke(main, ["models", "install", "en", "not a locale!"])
    assert result.exit_code == 2 and "Traceback" not in result.output


# --------------------------------------------------------------------------- settings


def test_decoding_defaults_are_argos(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from translate.argos.engine import DecodeOptions

    options = DecodeOptions()
    assert options.length_penalty == 0.2 and options.replace_unknowns and options.beam_size == 4
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "argos-translate").mkdir()
    (tmp_path / "argos-translate" / "settings.json").write_text(
        json.dumps({"ARGOS_BEAM_SIZE": "2", "ARGOS_BATCH_SIZE": 8}), encoding="utf-8")
    monkeypatch.delenv("ARGOS_BEAM_SIZE", raising=False)
    assert DecodeOptions.from_settings().beam_size == 2
    assert DecodeOptions.from_settings().max_batch_size == 8
    monkeypatch.setenv("ARGOS_BEAM_SIZE", "6")  # the environment wins, as in Argos
    assert DecodeOptions.from_settings().beam_size == 6
    assert DecodeOptions.from_settings(beam_size=3).beam_size == 3  # an option wins over both


@pytest.mark.parametrize(("name", "value", "message"), [
    ("ARGOS_BEAM_SIZE", "four", "ARGOS_BEAM_SIZE must be a whole number"),
    ("ARGOS_DEVICE_TYPE", "tpu", "ARGOS_DEVICE_TYPE must be one of auto, cpu, cuda"),
])
def test_bad_settings_are_bad_input(name: str, value: str, message: str, test_model: Path, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch, runner: CliRunner) -> None:
    monkeypatch.setenv(name, value)
    doc = tmp_path / "a.txt"
    doc.write_text("Karabakh.\n", encoding="utf-8")
    result = runner.invoke(main, ["translate", str(doc), "--to", "qtc", "--no-catalog", "--no-glossary"])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_device_auto_and_cuda(test_model: Path, tmp_path: Path, runner: CliRunner) -> None:
    from translate.argos.settings import cuda_devices, resolve_device

    doc = tmp_path / "a.txt"
    doc.write_text("Karabakh.\n", encoding="utf-8")
    result = runner.invoke(main, ["translate", str(doc), "--to", "qtc", "--no-catalog", "--no-glossary",
                                  "--device", "auto"])
    assert result.exit_code == 0, result.output
    if cuda_devices() == 0:
        assert resolve_device("auto") == "cpu"
        result = runner.invoke(main, ["translate", str(doc), "--to", "qtc", "--no-catalog", "--device", "cuda"])
        assert result.exit_code == 2 and "sees no CUDA GPU" in result.output
        pytest.skip("no CUDA GPU visible to CTranslate2: translation on the GPU not tried")
    result = runner.invoke(main, ["translate", str(doc), "--to", "qtc", "--no-catalog", "--no-glossary",
                                  "--device", "cuda"])
    assert result.exit_code == 0, result.output


def test_a_truncated_download_without_length_is_named(hostile: tuple[str, dict], packages_dir: Path,
                                                      runner: CliRunner) -> None:
    _, routes = hostile
    routes["/index.json"] = ("plain", json.dumps([_entry()]).encode(), {})
    routes["/pkg.argosmodel"] = ("plain", TEST_MODEL.read_bytes()[:200000], {})  # no Content-Length
    line = _one_line(runner.invoke(main, ["models", "install", "en", "qtc"]))
    assert "not a complete zip archive (200000 bytes arrived): truncated" in line
    assert [p for p in packages_dir.iterdir() if not p.name.startswith(".")] == []


def test_a_damaged_entry_is_named_when_its_pair_is_asked_for(hostile: tuple[str, dict], packages_dir: Path,
                                                             runner: CliRunner) -> None:
    _, routes = hostile
    routes["/index.json"] = ("plain", json.dumps([_entry(), _entry(to_code=None)]).encode(), {})
    line = _one_line(runner.invoke(main, ["models", "install", "en", "de"]))
    assert "has no model for en->de (1 damaged entries left out: index entry 2 left out: to_code is missing" in line
