"""Every layout of the real Argos index, through the real code path.

Stand-ins built by tests/layouts.py (random weights, real folder names, file
names, metadata and zip shapes): the 1.0 packages (bare ``en_de/`` with
``stanza/``), argos-train (one SentencePiece model for both sides), OPUS-MT
conversions (source-only SentencePiece, joint vocabulary, compact metadata,
no folder entries in the zip), BPE OPUS-MT (``bpe.model``), ``target_prefix``
and ``minisbd/``. Each installs from a local index on 127.0.0.1 and from a
file, lists, translates the sample article keeping its layout, and goes
through the ladder's ban and force steps.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from layouts import FORBIDDEN, LAYOUTS, PREFERRED, Layout, build, glossary_text

from conftest import ARTICLE
from translate.cli import main

IDS = [layout.name for layout in LAYOUTS]


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("layouts")
    return {layout.name: build(layout, folder) for layout in LAYOUTS}


@pytest.fixture
def glossary(tmp_path: Path) -> Path:
    path = tmp_path / "layouts.yaml"
    path.write_text(glossary_text(), encoding="utf-8")
    return path


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def serve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder served on 127.0.0.1 and set as ARGOS_PACKAGE_INDEX; returns the folder."""
    root = tmp_path / "www"
    root.mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", f"http://127.0.0.1:{server.server_address[1]}/")
    (root / "base").write_text(f"http://127.0.0.1:{server.server_address[1]}", encoding="utf-8")
    try:
        yield root
    finally:
        server.shutdown()
        server.server_close()


def _entry(layout: Layout, link: str, to_code: str | None = None) -> dict[str, object]:
    # The real index's eight keys, nothing more.
    return {"package_version": layout.version, "argos_version": layout.version, "from_code": "en",
            "from_name": "English", "to_code": to_code or layout.to_code, "to_name": layout.to_code,
            "links": [link], "code": f"translate-en_{layout.to_code}"}


def _publish(root: Path, entries: list[dict[str, object]]) -> None:
    (root / "index.json").write_text(json.dumps(entries), encoding="utf-8")


def _layout_kept(source: str, output: str) -> None:
    src, out = source.split("\n"), output.split("\n")
    assert len(out) == len(src)
    assert [i for i, line in enumerate(src) if not line.strip()] == \
           [i for i, line in enumerate(out) if not line.strip() and not src[i].strip()]


def _clean(text: str) -> None:
    assert "\u2581" not in text
    assert "\u2047" not in text
    assert "<unk>" not in text


@pytest.mark.parametrize("layout", LAYOUTS, ids=IDS)
def test_layout_installs_from_index_lists_and_translates(layout: Layout, built: dict[str, Path],
                                                         serve: Path, packages_dir: Path,
                                                         runner: CliRunner) -> None:
    package = built[layout.name]
    shutil.copy(package, serve / package.name)
    base = (serve / "base").read_text()
    _publish(serve, [_entry(layout, f"{base}/{package.name}")])
    result = runner.invoke(main, ["models", "available"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["models", "install", "en", layout.to_code])
    assert result.exit_code == 0, result.output
    assert f"Installed en->{layout.to_code} {layout.version}" in result.output
    listed = json.loads(runner.invoke(main, ["models", "list", "--json"]).output)
    assert [(p["from"], p["to"], p["version"]) for p in listed] == [("en", layout.to_code, layout.version)]
    marked = runner.invoke(main, ["models", "available"]).output
    assert f"[installed {layout.version}]" in marked
    out = packages_dir.parent / "out.txt"
    result = runner.invoke(main, ["translate", str(ARTICLE), "--to", layout.to_code, "--no-catalog",
                                  "--no-glossary", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    _clean(text)
    _layout_kept(ARTICLE.read_text(encoding="utf-8"), text)


@pytest.mark.parametrize("layout", LAYOUTS, ids=IDS)
def test_layout_installs_from_file_and_the_ladder_bans_and_forces(layout: Layout, built: dict[str, Path],
                                                                   packages_dir: Path, glossary: Path,
                                                                   runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["models", "install-file", str(built[layout.name])])
    assert result.exit_code == 0, result.output
    doc = tmp_path / "doc.txt"
    doc.write_text("Karabakh is a region.\n\nThe talks on Karabakh went on.\n", encoding="utf-8")
    plain = runner.invoke(main, ["translate", str(doc), "--to", layout.to_code, "--no-catalog",
                                 "--no-glossary", "-o", str(tmp_path / "plain.txt")])
    assert plain.exit_code == 0, plain.output
    # The stand-in is biased towards the forbidden rendering, written as its target side writes it.
    assert FORBIDDEN in (tmp_path / "plain.txt").read_text(encoding="utf-8")
    result = runner.invoke(main, ["translate", str(doc), "--to", layout.to_code, "--no-catalog",
                                  "--glossary", str(glossary), "--json", "-o", str(tmp_path / "out.txt")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out.txt").read_text(encoding="utf-8")
    _clean(text)
    _layout_kept(doc.read_text(encoding="utf-8"), text)
    assert FORBIDDEN not in text and FORBIDDEN.lower() not in text  # the ban held
    assert text.count(PREFERRED) >= 2  # written where the decoder did not write it
    records = json.loads(result.stdout[result.stdout.index("["):])
    # Random weights: the damage guard may refuse a forced continuation, then substitution settles it.
    assert [r["outcome"] for r in records] and all(r["outcome"] in ("settled", "forced", "substituted")
                                                   for r in records)
    # The force step's mechanism on this layout: a prefix in the model's own target pieces is written.
    from translate.argos import packages
    from translate.argos.engine import Engine

    engine = Engine(packages.installed_packages()[0].path)
    pieces = engine.target_pieces(PREFERRED)
    assert pieces and all(engine.in_vocabulary(p) for p in pieces)
    [hyps] = engine.translate(["Karabakh is a region."], prefixes=[list(pieces[0])])
    assert hyps[0].text.startswith(PREFERRED)
    _clean(hyps[0].text)


def test_opus_target_pieces_come_from_the_model_vocabulary(built: dict[str, Path], packages_dir: Path) -> None:
    from translate.argos import packages
    from translate.argos.engine import Engine

    installed = packages.install_file(built["opus-mt-source-only"]).installed
    engine = Engine(installed.path)
    assert not engine.covers_target  # the package's SentencePiece model is the source side only
    pieces = engine.target_pieces(FORBIDDEN)
    # The model writes it as one target piece; the source tokeniser cuts it elsewhere.
    assert pieces[0] == ("\u2581" + FORBIDDEN,)
    assert tuple(engine.tokenize(FORBIDDEN)) != pieces[0]
    assert all(engine.in_vocabulary(p) for p in pieces)
    assert engine.target_pieces("\u0429\u044e\u0449") == []  # letters the vocabulary lacks: not writable


def test_bpe_target_pieces_carry_the_joiner(built: dict[str, Path], packages_dir: Path) -> None:
    from translate.argos import packages
    from translate.argos.engine import Engine

    engine = Engine(packages.install_file(built["opus-mt-bpe"]).installed.path)
    for pieces in engine.target_pieces(PREFERRED):
        assert all(p.endswith("@@") for p in pieces[:-1]) and not pieces[-1].endswith("@@")
        assert engine.detokenize(list(pieces)) == PREFERRED


def test_a_sentence_longer_than_the_positions_is_split_and_fully_translated(
        built: dict[str, Path], packages_dir: Path, runner: CliRunner, tmp_path: Path) -> None:
    from translate.argos import packages
    from translate.argos.engine import Engine

    installed = packages.install_file(built["argos-train-joint"]).installed
    assert Engine(installed.path).max_source_tokens == 127  # 256 positions, half for the output
    doc = tmp_path / "long.txt"
    words = " ".join(f"region{i % 7} and talks" for i in range(300))  # ~900 words, no full stop
    doc.write_text(f"Headline\n\n{words}\n", encoding="utf-8")
    result = runner.invoke(main, ["translate", str(doc), "--to", "tr", "--no-catalog", "--no-glossary",
                                  "-o", str(tmp_path / "out.txt")])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    _layout_kept(doc.read_text(encoding="utf-8"), (tmp_path / "out.txt").read_text(encoding="utf-8"))


def test_split_parts_are_all_sent_to_the_decoder(built: dict[str, Path], packages_dir: Path) -> None:
    from translate.argos import packages
    from translate.argos.engine import Engine
    from translate.run.pipeline import translate_paragraphs

    engine = Engine(packages.install_file(built["argos-train-joint"]).installed.path)
    seen: list[str] = []
    original = engine.translate

    def spy(sentences, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.extend(sentences)
        return original(sentences, *args, **kwargs)

    engine.translate = spy  # type: ignore[method-assign]
    paragraph = ", ".join(f"the talks on region number {i}" for i in range(120))
    translate_paragraphs(engine, [paragraph])
    assert len(seen) > 1
    assert all(len(engine.tokenize(s)) <= engine.max_source_tokens for s in seen)  # type: ignore[operator]
    assert " ".join(seen).replace(" ", "") == paragraph.replace(" ", "")  # nothing cut


def _argos_copy(package: Path, packages_dir: Path, name: str, version: str) -> Path:
    """Unpack a package as Argos does (its top folder name kept), with another version."""
    with zipfile.ZipFile(package) as archive:
        top = archive.namelist()[0].split("/")[0]
        archive.extractall(packages_dir / ".x")
    target = packages_dir / name
    (packages_dir / ".x" / top).rename(target)
    shutil.rmtree(packages_dir / ".x")
    meta = json.loads((target / "metadata.json").read_text(encoding="utf-8"))
    meta["package_version"] = version
    (target / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    return target


def test_one_copy_per_pair(built: dict[str, Path], packages_dir: Path, runner: CliRunner) -> None:
    argos_old = _argos_copy(built["bare-1.0-stanza"], packages_dir, "en_de", "1.0")
    argos_new = _argos_copy(built["bare-1.0-stanza"], packages_dir, "translate-en_de-1_9", "1.9")
    listed = runner.invoke(main, ["models", "list", "--json"])
    assert [(p["version"], Path(p["path"]).name) for p in json.loads(listed.stdout)] == \
           [("1.9", "translate-en_de-1_9")]  # the highest version is the one in use
    assert "en_de is not used" in listed.output or "1.0 in" in listed.output
    result = runner.invoke(main, ["models", "install-file", str(built["bare-1.0-stanza"])])
    assert result.exit_code == 0, result.output
    assert "replaced the NEWER version 1.9" in result.output
    assert "replaced the copy argos installed (en_de)" in result.output  # same version, other origin
    assert not argos_old.exists() and not argos_new.exists()
    assert sorted(p.name for p in packages_dir.iterdir()) == ["translate-en_de"]
    _argos_copy(built["bare-1.0-stanza"], packages_dir, "en_de", "0.9")
    result = runner.invoke(main, ["models", "remove", "en", "de"])
    assert result.exit_code == 0, result.output
    assert result.output.count("Removed en->de") == 2
    assert list(packages_dir.iterdir()) == []


def test_a_served_package_of_another_pair_is_refused(built: dict[str, Path], serve: Path,
                                                     packages_dir: Path, runner: CliRunner) -> None:
    wrong = built["opus-mt-source-only"]  # en->fr served where the index promises en->de
    shutil.copy(wrong, serve / "de.argosmodel")
    base = (serve / "base").read_text()
    _publish(serve, [_entry(LAYOUTS[0], f"{base}/de.argosmodel")])
    result = runner.invoke(main, ["models", "install", "en", "de"])
    assert result.exit_code == 1
    assert "asked for en->de but the package served is en->fr 1.9" in result.output
    assert [p for p in packages_dir.iterdir() if not p.name.startswith(".")] == []


def test_metadata_claiming_another_pair_than_its_folder_is_refused(built: dict[str, Path], tmp_path: Path,
                                                                   packages_dir: Path, runner: CliRunner) -> None:
    forged = tmp_path / "forged.argosmodel"
    with zipfile.ZipFile(built["opus-mt-source-only"]) as src, zipfile.ZipFile(forged, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("metadata.json"):
                meta = json.loads(data)
                meta["to_code"], meta["package_version"] = "de", "2.0"
                data = json.dumps(meta).encode()
            dst.writestr(info.filename, data)
    result = runner.invoke(main, ["models", "install-file", str(forged)])
    assert result.exit_code == 2
    assert "says en->de but the package folder is 'translate-en_fr-1_9'" in result.output
    assert [p for p in packages_dir.iterdir() if not p.name.startswith(".")] == []


def test_a_tokeniser_from_another_model_is_refused(built: dict[str, Path], tmp_path: Path,
                                                   packages_dir: Path, runner: CliRunner) -> None:
    with zipfile.ZipFile(built["argos-train-joint"]) as other:
        foreign = other.read("translate-en_tr-1_5/sentencepiece.model")
    forged = tmp_path / "translate-en_es-1_9.argosmodel"
    with zipfile.ZipFile(built["opus-mt-bpe"]) as src, zipfile.ZipFile(forged, "w") as dst:
        for info in src.infolist():
            if not info.filename.endswith("bpe.model"):
                dst.writestr(info.filename, src.read(info))
        dst.writestr("translate-en_es-1_9/sentencepiece.model", foreign)
    result = runner.invoke(main, ["models", "install-file", str(forged)])
    assert result.exit_code == 2
    assert "belongs to another model" in result.output


def test_pivot_through_english_enforces_on_the_leg_into_the_target(
        built: dict[str, Path], packages_dir: Path, glossary: Path, runner: CliRunner, tmp_path: Path) -> None:
    import polib
    from layouts import INTO_ENGLISH

    from translate.catalogs.header import ARGOS_HEADER

    for package in (build(INTO_ENGLISH, tmp_path / "pkg"), built["opus-mt-source-only"]):
        assert runner.invoke(main, ["models", "install-file", str(package)]).exit_code == 0
    doc = tmp_path / "artikel.txt"
    doc.write_text("Die Gespräche gingen weiter.\n\nAm 3. Okt. sprachen sie wieder.\n", encoding="utf-8")
    catalogs = tmp_path / "locales"
    result = runner.invoke(main, ["translate", str(doc), "--from", "de", "--to", "fr", "--glossary",
                                  str(glossary), "--catalog-dir", str(catalogs), "--json",
                                  "-o", str(tmp_path / "out.txt")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out.txt").read_text(encoding="utf-8")
    _clean(text)
    _layout_kept(doc.read_text(encoding="utf-8"), text)
    # The German->English leg writes "Karabakh"; the glossary then acts on the English->French leg.
    records = json.loads(result.stdout[result.stdout.index("["):])
    assert records and all(r["concept"] == "karabakh" for r in records)
    assert FORBIDDEN not in text and PREFERRED in text
    header = polib.pofile(str(catalogs / "fr" / "LC_MESSAGES" / "artikel.po")).metadata[ARGOS_HEADER]
    assert header == "de->en 1.9 + en->fr 1.9"


def test_no_route_names_both_ways_to_get_one(built: dict[str, Path], packages_dir: Path, runner: CliRunner,
                                             tmp_path: Path) -> None:
    assert runner.invoke(main, ["models", "install-file", str(built["opus-mt-source-only"])]).exit_code == 0
    doc = tmp_path / "a.txt"
    doc.write_text("Hallo.\n", encoding="utf-8")
    result = runner.invoke(main, ["translate", str(doc), "--from", "de", "--to", "fr", "--no-glossary"])
    assert result.exit_code == 1
    assert "or through English: termguard models install de en" in result.output
    assert "termguard models install en fr" not in result.output  # that one is installed


def test_a_package_of_the_installed_pair_with_a_forged_version_is_refused(
        built: dict[str, Path], tmp_path: Path, packages_dir: Path, runner: CliRunner) -> None:
    assert runner.invoke(main, ["models", "install-file", str(built["argos-train-joint"])]).exit_code == 0
    forged = tmp_path / "evil.argosmodel"
    with zipfile.ZipFile(built["argos-train-joint"]) as src, zipfile.ZipFile(forged, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("metadata.json"):
                data = json.dumps({**json.loads(data), "package_version": "EVIL"}).encode()
            dst.writestr(info.filename, data)
    result = runner.invoke(main, ["models", "install-file", str(forged)])
    assert result.exit_code == 2 and "'EVIL' in metadata.json is not a version" in result.output
    listed = json.loads(runner.invoke(main, ["models", "list", "--json"]).stdout)
    assert [(p["to"], p["version"]) for p in listed] == [("tr", "1.5")]  # the installed one untouched


def test_a_damaged_copy_of_the_pair_is_named_when_translating(built: dict[str, Path], packages_dir: Path,
                                                              runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(main, ["models", "install-file", str(built["argos-train-joint"])]).exit_code == 0
    (packages_dir / "translate-en_tr" / "metadata.json").write_text("[]", encoding="utf-8")
    doc = tmp_path / "a.txt"
    doc.write_text("Karabakh.\n", encoding="utf-8")
    result = runner.invoke(main, ["translate", str(doc), "--to", "tr", "--no-glossary", "--no-catalog"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "translate-en_tr is damaged (metadata.json holds a list, not an object)" in result.output
