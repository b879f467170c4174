"""Hostile files: model archives, XML, YAML, PO catalogs and the HTML review page.

Each case builds the hostile file itself and checks three things: it is
refused (or rendered inert) with one clear line, nothing is read or fetched
that the file points at, and nothing is left behind. The basic archive cases
(not a zip, zip slip, absolute path, symlink, two top folders, missing
metadata/model) live in tests/translate/argos/test_models.py; these are the ones it lacks.
"""

from __future__ import annotations

import dataclasses
import http.server
import json
import re
import shutil
import struct
import threading
import time
import warnings
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterator

import polib
import pytest
from click.testing import CliRunner, Result

from conftest import TEST_MODEL
from translate.argos import archive, packages
from translate.catalogs.errors import CatalogParseError
from translate.catalogs.folder import catalog_path
from translate.catalogs.header import HeaderInfo
from translate.catalogs.session import CatalogUpdate
from translate.cli import main
from translate.run.document import MachineTranslation, SourceDocument

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
EXCHANGE = Path(__file__).resolve().parent / "data" / "exchange"
REPORT = Path(__file__).resolve().parent / "data" / "report"
META = json.dumps({"from_code": "en", "to_code": "zz", "package_version": "1"}).encode()
HEADER = HeaderInfo(argos_package="en->qtc 1.0")
DIGEST = "c" * 64


def error_lines(result: Result) -> list[str]:
    """The lines that say what went wrong (Click's usage and hint lines left out)."""
    return [line for line in result.output.splitlines()
            if line.strip() and not line.startswith(("Usage:", "Try '"))]


def assert_one_clear_line(result: Result, *, code: int, message: str) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    lines = error_lines(result)
    assert len(lines) == 1, lines
    assert message in lines[0], lines[0]


# ----------------------------------------------------------------------------- model archives


def _zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _forge_size(path: Path, member: str, claimed: int) -> None:
    """Rewrite the uncompressed size of ``member`` in both its local and central headers."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, claimed)  # local file header
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) >= 0:  # central directory entries
        name_length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46:start + 46 + name_length] == member.encode():
            struct.pack_into("<I", data, start + 24, claimed)
        start += 4
    path.write_bytes(bytes(data))


def _bomb(path: Path) -> Path:
    # 64 MiB of zeros deflates to about 64 KiB: a thousandfold expansion.
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("pkg/metadata.json", META)
        with archive.open("pkg/model/model.bin", "w", force_zip64=True) as member:
            block = bytes(1 << 20)
            for _ in range(64):
                member.write(block)
    return path


def _lies_small(path: Path) -> Path:
    _zip(path, {"pkg/metadata.json": META, "pkg/model/model.bin": b"A" * 100_000})
    _forge_size(path, "pkg/model/model.bin", 10)  # passes every size check, holds 100 kB
    return path


def _lies_big(path: Path, compression: int) -> Path:
    _zip(path, {"pkg/metadata.json": META, "pkg/model/model.bin": b"A" * 100_000}, compression)
    _forge_size(path, "pkg/model/model.bin", 5_000_000)
    return path


def _claims_terabytes(path: Path) -> Path:
    # Several members that each claim 4 GiB - 1: the sum is refused before a byte is written.
    members = {"pkg/metadata.json": META, **{f"pkg/model/part{i}": b"x" for i in range(3)}}
    _zip(path, members, zipfile.ZIP_STORED)
    for i in range(3):
        _forge_size(path, f"pkg/model/part{i}", 0xFFFFFFFE)
    return path


def _duplicate(path: Path) -> Path:
    # The checker reads one copy of metadata.json; extraction would write both.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns about the duplicate name
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("pkg/metadata.json", META)
            archive.writestr("pkg/model/model.bin", b"x")
            archive.writestr("pkg/metadata.json", b'{"from_code": "en", "to_code": "other"}')
    return path


def _truncated(path: Path) -> Path:
    data = _zip(path, {"pkg/metadata.json": META, "pkg/model/x": b"x" * 5000}).read_bytes()
    path.write_bytes(data[:-40])  # the end of the central directory is gone
    return path


def _many_members(path: Path) -> Path:
    members = {"pkg/metadata.json": META, **{f"pkg/model/f{i}": b"" for i in range(60)}}
    return _zip(path, members)


def _dir_symlink(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("pkg/metadata.json", META)
        archive.writestr("pkg/model/model.bin", b"x")
        link = zipfile.ZipInfo("pkg/model/up/")
        link.external_attr = (0o120777 << 16) | 0x10  # a symlink flagged as a folder
        archive.writestr(link, "../../..")
    return path


# (id, builder, expected message); every one must be refused with exit 2.
ARCHIVES: list[tuple[str, Callable[[Path], Path], str]] = [
    ("zip-bomb-64MiB", _bomb, "unpacks to more than 8 MiB"),
    ("header-claims-terabytes", _claims_terabytes, "unpacks to more than"),
    ("size-header-lies-small", _lies_small, "damaged zip archive"),
    ("size-header-lies-big-stored", lambda p: _lies_big(p, zipfile.ZIP_STORED), "header says 5000000"),
    ("size-header-lies-big-deflated", lambda p: _lies_big(p, zipfile.ZIP_DEFLATED), "header says 5000000"),
    ("too-many-members", _many_members, "more than the 50 allowed"),
    ("backslash-slip", lambda p: _zip(p, {"pkg/metadata.json": META, "pkg/model/x": b"x",
                                          "pkg\\..\\..\\evil": b"x"}), "outside the package folder"),
    ("drive-letter", lambda p: _zip(p, {"pkg/metadata.json": META, "pkg/model/x": b"x",
                                        "C:/evil": b"x"}), "outside the package folder"),
    ("nested-dotdot", lambda p: _zip(p, {"pkg/metadata.json": META, "pkg/model/../../../evil": b"x"}),
     "outside the package folder"),
    ("symlink-folder", _dir_symlink, "symbolic link"),
    ("file-and-folder", lambda p: _zip(p, {"pkg/metadata.json": META, "pkg/model": b"x",
                                           "pkg/model/x": b"y"}), "both a file and a folder"),
    ("code-escapes", lambda p: _zip(p, {"pkg/metadata.json": json.dumps(
        {"from_code": "en", "to_code": "zz/../../../evil"}).encode(), "pkg/model/x": b"x"}),
     "invalid to_code"),
    ("metadata-not-object", lambda p: _zip(p, {"pkg/metadata.json": b"[1, 2]", "pkg/model/x": b"x"}),
     "lacks from_code/to_code"),
    ("empty-zip", lambda p: _zip(p, {}), "the archive is empty"),
    ("duplicate-member", _duplicate, "appears more than once"),
    ("truncated-zip", lambda p: _truncated(p), "not a zip archive"),
]


@pytest.fixture
def installed_before(packages_dir: Path, tmp_path: Path) -> bytes:
    """An en->zz package already installed: a refused upgrade must leave it alone."""
    # The test model re-labelled: installs verify the model files, so it must be a real package.
    members = {}
    with zipfile.ZipFile(TEST_MODEL) as model:
        for info in model.infolist():
            if not info.is_dir():
                members["pkg/" + info.filename.split("/", 1)[1]] = model.read(info)
    members["pkg/metadata.json"] = META
    good = _zip(tmp_path / "good.argosmodel", members)
    packages.install_file(good)
    return (packages_dir / "translate-en_zz" / "model" / "model.bin").read_bytes()


@pytest.mark.parametrize(("builder", "message"), [case[1:] for case in ARCHIVES], ids=[c[0] for c in ARCHIVES])
def test_hostile_archive_is_refused_and_leaves_nothing(
    runner: CliRunner, packages_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    installed_before: bytes, builder: Callable[[Path], Path], message: str,
) -> None:
    # Lowered caps keep the test small and fast; the real ones are 4 GiB and 10 000 files.
    monkeypatch.setattr(archive, "MAX_UNPACKED_BYTES", 8 * 1024 * 1024)
    monkeypatch.setattr(archive, "MAX_MEMBERS", 50)
    work = tmp_path / "work"
    work.mkdir()
    path = builder(work / "hostile.argosmodel")
    assert path.stat().st_size < 1024 * 1024  # every hostile file is small
    start = time.monotonic()
    result = runner.invoke(main, ["models", "install-file", str(path)])
    assert time.monotonic() - start < 60  # a guard against a blow-up, not a speed claim
    assert_one_clear_line(result, code=2, message=message)
    # Nothing left behind: no staging folder, no stray file; the old package intact.
    assert sorted(p.name for p in packages_dir.iterdir()) == ["translate-en_zz"]
    assert (packages_dir / "translate-en_zz" / "model" / "model.bin").read_bytes() == installed_before
    assert sorted(p.name for p in work.iterdir()) == ["hostile.argosmodel"]
    assert not (tmp_path / "evil").exists() and not (packages_dir.parent / "evil").exists()


def test_default_caps_are_sane() -> None:
    # The lowered caps above stand in for these; a change here deserves a look.
    assert archive.MAX_UNPACKED_BYTES <= 4 * 1024**3
    assert archive.MAX_MEMBERS <= 10_000


# ----------------------------------------------------------------------------- XML (TBX)


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        type(self).hits.append(self.path)
        body = b'<!ENTITY leak "LEAKED-OVER-HTTP">'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def trap_server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request: a refused file makes none."""
    handler = type("Handler", (_CountingHandler,), {"hits": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler.hits
    finally:
        server.shutdown()
        server.server_close()


_TBX_BODY = """<tbx xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2" xmlns:xi="http://www.w3.org/2001/XInclude">
<text><body><conceptEntry id="c1"><descrip type="definition">{definition}</descrip><note>N.</note>
<langSec xml:lang="en"><termSec><term>Karabakh</term>
<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec>
</conceptEntry></body></text></tbx>"""


def _tbx_cases(base: str, secret: Path) -> dict[str, tuple[str, str]]:
    """id -> (TBX text, expected message or "" when the file is harmless and imports)."""
    doctype = '<?xml version="1.0"?>\n'
    return {
        "external-entity-file": (
            doctype + f'<!DOCTYPE tbx [<!ENTITY leak SYSTEM "file://{secret}">]>\n'
            + _TBX_BODY.format(definition="&leak;"), "entity declarations is not allowed"),
        "external-entity-http": (
            doctype + f'<!DOCTYPE tbx [<!ENTITY leak SYSTEM "{base}/entity">]>\n'
            + _TBX_BODY.format(definition="&leak;"), "entity declarations is not allowed"),
        "parameter-entity-http": (
            doctype + f'<!DOCTYPE tbx [<!ENTITY % remote SYSTEM "{base}/dtd"> %remote;]>\n'
            + _TBX_BODY.format(definition="&leak;"), "entity declarations is not allowed"),
        "billion-laughs": (
            doctype + "<!DOCTYPE tbx [<!ENTITY a0 \"lol\">"
            + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)) + "]>\n"
            + _TBX_BODY.format(definition="&a9;"), "entity declarations is not allowed"),
        "quadratic-blowup": (
            doctype + f'<!DOCTYPE tbx [<!ENTITY big "{"x" * 50_000}">]>\n'
            + _TBX_BODY.format(definition="&big;" * 2_000), "entity declarations is not allowed"),
        # An external DTD without an internal subset: harmless if never fetched.
        "external-dtd-only": (doctype + f'<!DOCTYPE tbx SYSTEM "{base}/TBX.dtd">\n'
                              + _TBX_BODY.format(definition="D."), ""),
        # XInclude is not processed: the element is just unknown markup.
        "xinclude": (doctype + _TBX_BODY.format(
            definition=f'D.<xi:include href="file://{secret}" parse="text"/>'), ""),
    }


TBX_IDS = ["external-entity-file", "external-entity-http", "parameter-entity-http", "billion-laughs",
           "quadratic-blowup", "external-dtd-only", "xinclude"]


@pytest.mark.parametrize("case", TBX_IDS)
def test_hostile_tbx_reads_no_file_and_fetches_nothing(
    runner: CliRunner, tmp_path: Path, trap_server: tuple[str, list[str]], case: str,
) -> None:
    base, hits = trap_server
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    text, message = _tbx_cases(base, secret)[case]
    tbx = tmp_path / "hostile.tbx"
    tbx.write_text(text, encoding="utf-8")
    out = tmp_path / "imported.yaml"
    glossary = tmp_path / "glossary.yaml"
    shutil.copyfile(EXCHANGE / "glossary.yaml", glossary)
    before = glossary.read_bytes()
    start = time.monotonic()
    result = runner.invoke(main, ["glossary", "import", str(tbx), "--format", "tbx", "--glossary", str(glossary),
                                  "-o", str(out), "--apply"])
    # A guard against expansion or a network wait (which never end), not a speed claim.
    assert time.monotonic() - start < 60
    assert hits == []
    assert "TOP-SECRET" not in result.output and "LEAKED" not in result.output
    assert glossary.read_bytes() == before
    if message:
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        assert message in result.output
        assert not out.exists()
    else:
        assert result.exit_code == 0, result.output
        assert "TOP-SECRET" not in out.read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- YAML


YAML_CASES = {
    # Nine levels of ten aliases: a billion "lol"s if expanded.
    "alias-bomb": ("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
                   + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n"
                             for i in range(8)),
                   "anchor or alias"),
    "merge-key": ("base: &base {policy: enforce}\nconcepts:\n  - <<: *base\n", "anchor or alias"),
    "python-object": ("schema: !!python/object/apply:os.system ['touch {marker}']\n", "problem"),
    "python-name": ("schema: !!python/name:os.system\n", "problem"),
    "deep-flow-nesting": ("concepts: " + "[" * 20_000 + "]" * 20_000 + "\n", "nests more than"),
    "deep-block-nesting": ("".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v: 1\n",
                           "nests more than"),
}


@pytest.mark.parametrize("case", sorted(YAML_CASES))
@pytest.mark.parametrize("command", ["lint", "show"])
def test_hostile_yaml_is_refused_quickly(runner: CliRunner, tmp_path: Path, case: str, command: str) -> None:
    marker = tmp_path / "executed"
    text, message = YAML_CASES[case]
    path = tmp_path / "hostile.yaml"
    path.write_text(text.replace("{marker}", str(marker)), encoding="utf-8")
    args = ["glossary", "lint", str(path)] if command == "lint" else ["glossary", "show", "--glossary", str(path)]
    start = time.monotonic()
    result = runner.invoke(main, args)
    assert time.monotonic() - start < 60  # a guard against a blow-up, not a speed claim
    assert result.exit_code == 2, result.output  # an invalid glossary is bad input in every command
    assert "Traceback" not in result.output and not isinstance(result.exception, RecursionError)
    assert message in result.output
    assert not marker.exists()  # no tag ever constructs a Python object


# ----------------------------------------------------------------------------- PO catalogs

_PO_HEAD = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset={charset}\\n"\n'
            '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n"Language: qtc\\n"\n\n')
PARA = "The talks went on."


def _po(charset: str = "UTF-8", body: str = "") -> bytes:
    return (_PO_HEAD.replace("{charset}", charset) + body).encode("utf-8")


# (id, catalog bytes, line, message)
PO_CASES: list[tuple[str, bytes, int, str]] = [
    ("charset-unknown", _po("klingon-8", f'msgid "{PARA}"\nmsgstr "q"\n'), 3, "unknown charset"),
    ("charset-latin1-over-utf8", _po("ISO-8859-1", f'msgid "{PARA}"\nmsgstr "Ärger čau"\n'), 3,
     "declares charset 'iso-8859-1' but the file is UTF-8"),
    ("charset-utf8-over-latin1", (_PO_HEAD.replace("{charset}", "UTF-8")
                                  + f'msgid "{PARA}"\nmsgstr "caf\xe9"\n').encode("latin-1"), 8,
     "invalid utf-8 byte sequence"),
    ("syntax-error", _po(body=f'msgid "{PARA}"\nmsgstr "open\n'), 8, "unterminated string"),
    ("duplicate", _po(body=f'msgid "{PARA}"\nmsgstr "a"\n\nmsgid "{PARA}"\nmsgstr "b"\n'), 10,
     "duplicate message definition"),
    ("plural-where-single", _po(body=f'msgid "{PARA}"\nmsgid_plural "Talks."\nmsgstr[0] "a"\nmsgstr[1] "b"\n'), 7,
     "plural entry"),
]


@pytest.fixture(params=[c[0] for c in PO_CASES])
def hostile_po(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, int, str]:
    _, data, line, message = next(c for c in PO_CASES if c[0] == request.param)
    path = catalog_path(tmp_path / "locales", "qtc", "article")
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    return path, line, message


def test_hostile_po_is_reported_with_file_and_line_and_never_overwritten(hostile_po: tuple[Path, int, str]) -> None:
    path, line, message = hostile_po
    before = path.read_bytes()
    document = SourceDocument.from_text("article.txt", PARA + "\n")
    with pytest.raises(CatalogParseError) as caught:
        with CatalogUpdate.open(path, locale="qtc", domain="article", header=HEADER, lock_timeout=2) as cat:
            need = cat.needs_translation(document, DIGEST)
            cat.apply(document, {p: MachineTranslation("qtc " + p) for p in need}, DIGEST)
    assert str(caught.value).startswith(f"{path}:{line}: "), str(caught.value)
    assert message in str(caught.value)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("command", ["status", "render", "check"])
def test_hostile_po_through_the_catalog_commands(runner: CliRunner, hostile_po: tuple[Path, int, str],
                                                 command: str) -> None:
    path, line, message = hostile_po
    if message == "plural entry":
        pytest.skip("a plural entry is valid PO; only an update that needs a single entry refuses it")
    before = path.read_bytes()
    root = path.parents[2]
    args = {"status": ["catalog", "status", "--catalog-dir", str(root)],
            "render": ["catalog", "render", "--locale", "qtc", "--catalog-dir", str(root)],
            "check": ["catalog", "check", "--catalog-dir", str(root), "--glossary",
                      str(EXCHANGE / "glossary.yaml")]}[command]
    result = runner.invoke(main, args)
    assert result.exit_code in (1, 2), result.output
    assert "Traceback" not in result.output
    problem = [ln for ln in error_lines(result) if f"{path}:{line}:" in ln]
    assert len(problem) == 1 and message in problem[0], result.output
    assert path.read_bytes() == before


# ----------------------------------------------------------------------------- HTML review page


MARKUP = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(document.cookie)",
    "' onmouseover='alert(2)",
    "<a href=\"javascript:alert(3)\">click</a>",
    "</textarea><svg/onload=alert(4)>",
]


class _LiveContent(HTMLParser):
    """Collects what a browser would run or follow: scripts, handlers, URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.handlers: list[tuple[str, str]] = []
        self.urls: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name in {"href", "src", "action", "formaction", "xlink:href"} and value:
                self.urls.append(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def test_html_report_keeps_hostile_text_inert(tmp_path: Path) -> None:
    report = pytest.importorskip("translate.review_page.page")
    from glossary import load_glossary

    glossary = load_glossary(REPORT / "glossary.yaml")
    evil = " ".join(MARKUP)
    concept = glossary.concepts["karabakh"]
    renderings = tuple(dataclasses.replace(r, note=evil) for r in concept.terms["de"])
    glossary = dataclasses.replace(glossary, concepts={
        **glossary.concepts,
        "karabakh": dataclasses.replace(concept, note=evil, definition=evil,
                                        terms={**concept.terms, "de": renderings}),
    })
    path = tmp_path / "de" / "LC_MESSAGES" / "evil.po"
    path.parent.mkdir(parents=True)
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "de",
                   "X-Termguard-Source": "evil.txt; lines=2; trailing-newline=yes"}
    po.append(polib.POEntry(msgid=f"Karabakh {evil} talks.", msgstr=f"Karabach {evil} Gespräche.",
                            occurrences=[("evil.txt", "1")],
                            comment=f"glossary: karabakh (Karabakh) settled [exact] -> Karabach; {evil}"))
    po.append(polib.POEntry(msgid=f"{evil} Artsakh", msgstr=f"{evil} Arzach", occurrences=[("evil.txt", "2")]))
    po.save(str(path))
    page = report.render_html(report.build_report(path, glossary, "de"))
    live = _LiveContent()
    live.feed(page)
    assert live.handlers == []
    assert [u for u in live.urls if not u.startswith("#")] == []
    assert not {"img", "svg", "iframe", "object", "embed", "textarea"} & set(live.tags)
    assert all("alert(" not in script for script in live.scripts)  # only the page's own filter script
    # The text itself is still there for the editor to read, escaped.
    assert "&lt;script&gt;alert(" in page
    assert re.search(r"javascript:alert\(document\.cookie\)", page)  # as text, never as an href


_GLOSSARY_PO_HEAD = 'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset={charset}\\n"\n\n'
GLOSSARY_PO_CASES: list[tuple[str, bytes, int, str]] = [
    ("charset-latin1-over-utf8", (_GLOSSARY_PO_HEAD.replace("{charset}", "ISO-8859-1")
                                  + 'msgctxt "karabakh"\nmsgid "Karabakh"\nmsgstr "Karabach é"\n').encode("utf-8"),
     4, "declares charset 'ISO-8859-1'"),
    ("not-utf8", (_GLOSSARY_PO_HEAD.replace("{charset}", "UTF-8")
                  + 'msgctxt "karabakh"\nmsgid "Karabakh"\nmsgstr "Karabach \xe9"\n').encode("latin-1"),
     8, "not valid UTF-8"),
    ("syntax-error", (_GLOSSARY_PO_HEAD.replace("{charset}", "UTF-8")
                      + 'msgctxt "karabakh"\nmsgid "Karabakh"\nmsgstr "Karabach\nmsgid\n').encode("utf-8"),
     9, "not a valid PO file"),
    ("duplicate", (_GLOSSARY_PO_HEAD.replace("{charset}", "UTF-8")
                   + 'msgctxt "karabakh"\nmsgid "Karabakh"\nmsgstr "A"\n\n'
                   + 'msgctxt "karabakh"\nmsgid "Karabakh"\nmsgstr "B"\n').encode("utf-8"),
     10, "appears twice"),
    ("plural-where-single", (_GLOSSARY_PO_HEAD.replace("{charset}", "UTF-8")
                             + 'msgctxt "karabakh"\nmsgid "Karabakh"\nmsgid_plural "Karabakhs"\n'
                             + 'msgstr[0] "Karabach"\nmsgstr[1] "Karabachs"\n').encode("utf-8"),
     6, "plural entry"),
]


@pytest.mark.parametrize(("data", "line", "message"), [c[1:] for c in GLOSSARY_PO_CASES],
                         ids=[c[0] for c in GLOSSARY_PO_CASES])
def test_hostile_glossary_po_is_reported_with_file_and_line(runner: CliRunner, tmp_path: Path, data: bytes,
                                                            line: int, message: str) -> None:
    po = tmp_path / "glossary.po"
    po.write_bytes(data)
    glossary = tmp_path / "glossary.yaml"
    shutil.copyfile(EXCHANGE / "glossary.yaml", glossary)
    before = glossary.read_bytes()
    result = runner.invoke(main, ["glossary", "import", str(po), "--format", "po", "--glossary", str(glossary),
                                  "--apply"])
    assert_one_clear_line(result, code=2, message=f"{po}:{line}: ")
    assert message in result.output
    assert glossary.read_bytes() == before and po.read_bytes() == data


@pytest.mark.skipif(not TEST_MODEL.exists(), reason="the test model is not built yet")
def test_hostile_catalog_stops_translate_with_file_and_line(runner: CliRunner, test_model: Path,
                                                            hostile_po: tuple[Path, int, str]) -> None:
    path, line, message = hostile_po
    before = path.read_bytes()
    article = path.parents[3] / "article.txt"
    article.write_text(PARA + "\n", encoding="utf-8")
    out = path.parents[3] / "article.qtc.txt"
    result = runner.invoke(main, ["translate", str(article), "--to", "qtc", "--catalog-dir", str(path.parents[2]),
                                  "--glossary", str(Path(__file__).resolve().parent / "model" / "glossary-qtc.yaml"),
                                  "-o", str(out)])
    assert_one_clear_line(result, code=1, message=f"{path}:{line}: ")
    assert message in result.output
    assert path.read_bytes() == before
    assert not out.exists()
