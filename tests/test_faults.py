"""Faults during a translation run: SIGKILL, disk full, read-only folder, two
runs at once, an editor's save landing mid-run, Ctrl-C.

The kill and Ctrl-C cases run the real CLI in a child process with the test
model; the others run it in-process. Library-level cases of the same faults
(killed writer inside the atomic write, injected write errors, concurrent
sessions) are in tests/translate/catalogs/test_catalog.py; these go through `termguard translate`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import polib
import pytest
from click.testing import CliRunner

from conftest import REPO, TEST_MODEL
from translate.catalogs.errors import CatalogParseError
from translate.catalogs.folder import catalog_path
from translate.catalogs.header import HeaderInfo
from translate.catalogs.reading import load_catalog
from translate.catalogs.session import CatalogUpdate
from translate.cli import main
from translate.run.document import MachineTranslation, SourceDocument

QTC_GLOSSARY = REPO / "tests" / "model" / "glossary-qtc.yaml"
HELDOUT = REPO / "tests" / "model" / "heldout.tsv"
MSGFMT = shutil.which("msgfmt")
KILL_TRIALS = 24
DOCS = 4  # documents per run, so one run writes several catalogs
SEED = 20241126

needs_model = pytest.mark.skipif(not TEST_MODEL.exists(), reason="the test model is not built yet")


def sentences() -> list[str]:
    return [line.split("\t", 1)[0] for line in HELDOUT.read_text(encoding="utf-8").splitlines() if "\t" in line]


def write_docs(folder: Path, generation: int, per_doc: int = 4) -> list[Path]:
    """DOCS documents; generation 1 shares its first paragraph with generation 0 and changes the rest."""
    pool = sentences()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for d in range(DOCS):
        keep = [pool[d * 20]]
        fresh = [pool[d * 20 + 1 + generation * per_doc + i] for i in range(per_doc)]
        path = folder / f"doc{d}.txt"
        path.write_text("\n".join(keep + fresh) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def paragraphs(path: Path) -> set[str]:
    return {line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()}


def check_valid(path: Path) -> polib.POFile:
    """The catalog parses strictly (ours), with polib, and with msgfmt --check."""
    po = load_catalog(path)
    polib.pofile(str(path))
    if MSGFMT:
        done = subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    return po


def active_ids(po: polib.POFile) -> set[str]:
    return {e.msgid for e in po if not e.obsolete and e.msgid}


def leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".tmp")]


@pytest.fixture
def packages(test_model: Path) -> Path:
    return test_model.parent


def child_env(tmp_path: Path, packages: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ARGOS_"))}
    home = tmp_path / "home"
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[var] = str(home / var.lower())
    env["ARGOS_PACKAGES_DIR"] = str(packages)
    env["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:9/"
    env["PYTHONPATH"] = str(REPO)
    return env


def translate_args(docs: list[Path], catalogs: Path, out: Path, *extra: str) -> list[str]:
    return ["translate", *map(str, docs), "--to", "qtc", "--glossary", str(QTC_GLOSSARY),
            "--catalog-dir", str(catalogs), "-o", str(out / "{name}.{locale}.txt"), *extra]


def spawn(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "translate.cli", *args], env=env, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


# ----------------------------------------------------------------------------- SIGKILL at random points


@needs_model
def test_sigkill_at_random_points_leaves_every_catalog_old_or_new(tmp_path: Path, packages: Path) -> None:
    env = child_env(tmp_path, packages)
    old_docs = write_docs(tmp_path / "old-docs", 0)
    new_docs = write_docs(tmp_path / "docs", 1)
    seed_dir = tmp_path / "seed"
    first = subprocess.run([sys.executable, "-m", "translate.cli",
                            *translate_args(old_docs, seed_dir / "locales", seed_dir / "out")],
                           env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    old_catalogs = {p.name: p.read_bytes() for p in (seed_dir / "locales").rglob("*.po")}
    assert len(old_catalogs) == DOCS

    def fresh(trial: int) -> Path:
        work = tmp_path / f"trial{trial}"
        shutil.copytree(seed_dir, work)
        return work

    # One uninterrupted run sets the range the kills are drawn from.
    work = fresh(-1)
    start = time.monotonic()
    full = subprocess.run([sys.executable, "-m", "translate.cli",
                           *translate_args(new_docs, work / "locales", work / "out")],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    duration = time.monotonic() - start
    assert full.returncode == 0, full.stderr
    # Decoding is deterministic: a "new" catalog must hold exactly these translations.
    reference = {p.name: {e.msgid: e.msgstr for e in check_valid(p) if not e.obsolete}
                 for p in (work / "locales").rglob("*.po")}
    rng = random.Random(SEED)
    outcomes: list[tuple[float, int, int]] = []  # (delay, catalogs new, return code)
    for trial in range(KILL_TRIALS):
        work = fresh(trial)
        delay = rng.uniform(0.0, duration * 1.05)
        child = spawn(translate_args(new_docs, work / "locales", work / "out"), env, tmp_path)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
        new_count = 0
        for path in (work / "locales").rglob("*.po"):
            data = path.read_bytes()
            if data == old_catalogs[path.name]:
                continue
            # Not the old bytes: must be the whole new catalog.
            po = check_valid(path)
            doc = next(d for d in new_docs if d.stem == path.stem)
            assert active_ids(po) == paragraphs(doc), f"trial {trial}: {path.name} mixes two writes"
            entries = {e.msgid: e.msgstr for e in po if not e.obsolete}
            assert entries == reference[path.name], f"trial {trial}: {path.name} is not the finished catalog"
            new_count += 1
        for path in (work / "locales").rglob("*.po"):
            check_valid(path)
        # An output file is written whole or not at all.
        for out in (work / "out").glob("*.txt"):
            text = out.read_text(encoding="utf-8")
            assert text.endswith("\n") and text.count("\n") == 5, f"trial {trial}: partial {out.name}"
        outcomes.append((round(delay, 2), new_count, child.returncode))
    killed = [o for o in outcomes if o[2] == -signal.SIGKILL]
    assert len(outcomes) == KILL_TRIALS and killed, outcomes
    # The next run after a kill cleans the dead writer's temporary files and completes.
    work = tmp_path / f"trial{KILL_TRIALS - 1}"
    again = subprocess.run([sys.executable, "-m", "translate.cli",
                            *translate_args(new_docs, work / "locales", work / "out")],
                           env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    # Catalog temp files are cleaned under the catalog lock. An output file has
    # no lock, so a temp file a killed run left next to it stays (hidden, never
    # read); the output itself is always whole.
    assert leftovers(work / "locales") == []
    for path in (work / "locales").rglob("*.po"):
        assert active_ids(check_valid(path)) == paragraphs(next(d for d in new_docs if d.stem == path.stem))
    print(f"\nkill trials: {len(outcomes)}, killed mid-run: {len(killed)}, "
          f"catalogs new per trial: {[o[1] for o in outcomes]}")


# ----------------------------------------------------------------------------- Ctrl-C


@needs_model
def test_ctrl_c_exits_130_with_one_line_and_no_partial_files(tmp_path: Path, packages: Path) -> None:
    env = child_env(tmp_path, packages)
    doc = tmp_path / "long.txt"
    pool = sentences()
    # 1,800 distinct paragraphs (repeated ones are decoded once): far more decoding than the wait below.
    paragraphs = [f"{pool[i]} {pool[(i + k) % len(pool)]}" for k in range(1, 7) for i in range(len(pool))]
    doc.write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    catalogs = tmp_path / "locales"
    child = spawn(["translate", str(doc), "--to", "qtc", "--glossary", str(QTC_GLOSSARY),
                   "--catalog-dir", str(catalogs), "-o", str(tmp_path / "out" / "long.qtc.txt")], env, tmp_path)
    # The glossary cache is written once the glossary is loaded, after the imports and
    # right before the model work: an interrupt from then on is the command's to handle.
    cache = Path(env["XDG_CACHE_HOME"]) / "termguard"
    deadline = time.monotonic() + 120
    while child.poll() is None and time.monotonic() < deadline and not any(
            p.is_file() for p in cache.rglob("*") if "locks" not in p.parts):
        time.sleep(0.01)
    time.sleep(0.5)
    assert child.poll() is None, "the run ended before it could be interrupted"
    child.send_signal(signal.SIGINT)
    _out, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert err.strip().splitlines() == ["Interrupted."], err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
    assert not catalog_path(catalogs, "qtc", "long").exists()
    assert leftovers(tmp_path) == []


def test_ctrl_c_in_process_is_exit_130(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Without the model: interrupt the first library call a command makes.
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("glossary.load_glossary", interrupted)
    monkeypatch.setattr("translate.cli.glossary.load_glossary", interrupted)
    result = runner.invoke(main, ["glossary", "show"])
    assert result.exit_code == 130
    assert result.output.strip().splitlines() == ["Interrupted."]


# ----------------------------------------------------------------------------- disk full, read-only


@contextlib.contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or 'not permitted'})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _one_doc(folder: Path, generation: int) -> Path:
    pool = sentences()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "article.txt"
    path.write_text("\n".join(pool[generation * 8:(generation + 1) * 8]) + "\n", encoding="utf-8")
    return path


def _translate(runner: CliRunner, doc: Path, catalogs: Path, out: Path) -> object:
    return runner.invoke(main, ["translate", str(doc), "--to", "qtc", "--glossary", str(QTC_GLOSSARY),
                                "--catalog-dir", str(catalogs), "-o", str(out)])


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.po"))}


@needs_model
def test_disk_full_on_a_small_tmpfs(runner: CliRunner, test_model: Path, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "small", "64k") as disk:
        catalogs = disk / "locales"
        assert _translate(runner, _one_doc(tmp_path / "a", 0), catalogs, tmp_path / "out0.txt").exit_code == 0
        before = _snapshot(catalogs)
        # Fill the disk to the last few hundred bytes.
        filler = disk / "filler"
        with contextlib.suppress(OSError), filler.open("wb", buffering=0) as handle:
            while True:
                handle.write(b"\0" * 1024)
        result = _translate(runner, _one_doc(tmp_path / "b", 1), catalogs, tmp_path / "out1.txt")
        assert result.exit_code == 1, result.output
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and "No space left on device" in lines[0], lines
        assert "Traceback" not in result.output
        assert _snapshot(catalogs) == before
        assert leftovers(disk) == []
        assert not (tmp_path / "out1.txt").exists()


@needs_model
def test_read_only_catalog_folder(runner: CliRunner, test_model: Path, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", "4m") as disk:
        catalogs = disk / "locales"
        assert _translate(runner, _one_doc(tmp_path / "a", 0), catalogs, tmp_path / "out0.txt").exit_code == 0
        before = _snapshot(catalogs)
        done = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot remount read-only ({done.stderr.strip()})")
        result = _translate(runner, _one_doc(tmp_path / "b", 1), catalogs, tmp_path / "out1.txt")
        assert result.exit_code == 1, result.output
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and "Read-only file system" in lines[0], lines
        assert _snapshot(catalogs) == before
        assert not (tmp_path / "out1.txt").exists()


@needs_model
@pytest.mark.parametrize(
    ("target", "name", "code"),
    [("os", "fsync", errno.ENOSPC), ("tempfile", "mkstemp", errno.EROFS), ("os", "replace", errno.EIO)],
    ids=["disk-full", "read-only", "rename-fails"],
)
def test_injected_write_errors_through_the_cli(runner: CliRunner, test_model: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch, target: str, name: str,
                                               code: int) -> None:
    catalogs = tmp_path / "locales"
    assert _translate(runner, _one_doc(tmp_path / "a", 0), catalogs, tmp_path / "out0.txt").exit_code == 0
    before = _snapshot(catalogs)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    from glossary.files import atomic

    if target == "tempfile":  # the temporary file cannot be created
        monkeypatch.setattr(atomic, "write_temp", fail)
    else:
        monkeypatch.setattr(atomic.os, name, fail)
    result = _translate(runner, _one_doc(tmp_path / "b", 1), catalogs, tmp_path / "out1.txt")
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and os.strerror(code) in lines[0], lines
    assert _snapshot(catalogs) == before
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "out1.txt").exists()


# ----------------------------------------------------------------------------- two runs at once, an editor's save


@needs_model
def test_two_runs_on_the_same_catalogs_at_once_lose_nothing(tmp_path: Path, packages: Path) -> None:
    env = child_env(tmp_path, packages)
    docs_a = write_docs(tmp_path / "a", 0)
    docs_b = write_docs(tmp_path / "b", 1)
    catalogs = tmp_path / "locales"
    # Same catalogs (one domain per document name), different texts: the lock
    # serialises the two sessions, the merge keeps both runs' entries.
    runs = [spawn(translate_args(docs, catalogs, tmp_path / f"out-{tag}"), env, tmp_path)
            for tag, docs in (("a", docs_a), ("b", docs_b))]
    for run in runs:
        _out, err = run.communicate(timeout=180)
        assert run.returncode == 0, err
    for a, b in zip(docs_a, docs_b, strict=True):
        po = check_valid(catalog_path(catalogs, "qtc", a.stem))
        everything = {e.msgid: e.msgstr for e in po if e.msgid}
        assert paragraphs(a) | paragraphs(b) <= set(everything), "an entry was lost"
        assert all(everything[p] for p in paragraphs(a) | paragraphs(b)), "a translation was lost"
        assert active_ids(po) in (paragraphs(a), paragraphs(b))


@needs_model
def test_editor_save_landing_mid_run_is_merged(runner: CliRunner, test_model: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from translate.run import job

    catalogs = tmp_path / "locales"
    doc = tmp_path / "article.txt"
    pool = sentences()
    doc.write_text("\n".join(pool[:3]) + "\n", encoding="utf-8")
    assert _translate(runner, doc, catalogs, tmp_path / "out.txt").exit_code == 0
    path = catalog_path(catalogs, "qtc", "article")
    doc.write_text("\n".join(pool[:6]) + "\n", encoding="utf-8")  # three new paragraphs to decode
    real = job.translate_paragraphs

    def decode_while_the_editor_saves(*args: object, **kwargs: object) -> object:
        # The editor's tool rewrites the file without our lock, as Poedit does.
        po = polib.pofile(str(path), wrapwidth=0)
        entry = po.find(pool[0])
        entry.msgstr = "EDITOR REVIEWED"
        entry.flags.remove("fuzzy")
        po.save(str(path))
        return real(*args, **kwargs)

    monkeypatch.setattr(job, "translate_paragraphs", decode_while_the_editor_saves)
    result = _translate(runner, doc, catalogs, tmp_path / "out.txt")
    assert result.exit_code == 0, result.output
    po = check_valid(path)
    edited = po.find(pool[0])
    assert edited.msgstr == "EDITOR REVIEWED" and "fuzzy" not in edited.flags
    assert active_ids(po) == set(pool[:6])
    assert all(e.msgstr for e in po if not e.obsolete)
    assert (tmp_path / "out.txt").read_text(encoding="utf-8").split("\n")[0] == "EDITOR REVIEWED"


# Library level, no model needed: the same merge, and a broken save is never overwritten.

HEADER = HeaderInfo(argos_package="en->qtc 1.0")
DIGEST = "d" * 64


def _session(path: Path, text: str, editor: bytes | None = None) -> None:
    document = SourceDocument.from_text("a.txt", text)
    with CatalogUpdate.open(path, locale="qtc", domain="a", header=HEADER, lock_timeout=5) as cat:
        need = cat.needs_translation(document, DIGEST)
        if editor is not None:
            path.write_bytes(editor)
        cat.apply(document, {p: MachineTranslation("m " + p) for p in need}, DIGEST)


def test_editor_save_during_a_session_is_merged(tmp_path: Path) -> None:
    path = catalog_path(tmp_path, "qtc", "a")
    _session(path, "One.\nTwo.\n")
    po = polib.pofile(str(path), wrapwidth=0)
    po.find("One.").msgstr = "by the editor"
    po.find("One.").flags.remove("fuzzy")
    po.append(polib.POEntry(msgid="Editor's own note entry.", msgstr="x", msgctxt="editor"))
    _session(path, "One.\nTwo.\nThree.\n", editor=po.__unicode__().encode("utf-8"))
    merged = check_valid(path)
    assert merged.find("One.").msgstr == "by the editor" and "fuzzy" not in merged.find("One.").flags
    assert merged.find("Three.").msgstr == "m Three."
    assert any(e.msgid == "Editor's own note entry." for e in merged)  # kept (as obsolete at worst)


def test_broken_editor_save_during_a_session_is_never_overwritten(tmp_path: Path) -> None:
    path = catalog_path(tmp_path, "qtc", "a")
    _session(path, "One.\n")
    broken = path.read_bytes() + b'\nmsgid "unterminated\nmsgstr ""\n'
    with pytest.raises(CatalogParseError):
        _session(path, "One.\nTwo.\n", editor=broken)
    assert path.read_bytes() == broken
