"""Batch runs that cannot clobber: collisions, own outputs, shared domains, early writes, stdin/stdout, --json."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import main

NOTE_X = "Karabakh is a region.\n"
NOTE_Y = "Baku is a city.\n"


@pytest.fixture
def coll(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, test_model: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "coll" / "x").mkdir(parents=True)
    (tmp_path / "coll" / "y").mkdir()
    (tmp_path / "coll" / "x" / "note.txt").write_text(NOTE_X, encoding="utf-8")
    (tmp_path / "coll" / "y" / "note.txt").write_text(NOTE_Y, encoding="utf-8")
    return tmp_path / "coll"


def run(*args: str, input: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# --------------------------------------------------------------------------- collisions


def test_two_inputs_mapping_to_one_output_are_refused_before_decoding(coll: Path) -> None:
    code, _, err = run("translate", "coll/x/note.txt", "coll/y/note.txt", "--to", "qtc", "--no-glossary",
                       "-o", "out/{name}.{locale}.txt")
    assert code == 2
    assert "coll/x/note.txt and coll/y/note.txt would both be written to out/note.qtc.txt" in err
    assert len(err.strip().splitlines()) == 1
    assert not Path("out").exists() and not Path("locales").exists()


def test_output_over_an_input_is_refused(coll: Path) -> None:
    code, _, err = run("translate", "coll/x/note.txt", "--to", "qtc", "--no-glossary", "--no-catalog",
                       "-o", "coll/x/note.txt")
    assert code == 2 and "would be written over" in err
    assert (coll / "x" / "note.txt").read_text(encoding="utf-8") == NOTE_X


def test_documents_with_one_name_get_a_domain_each(coll: Path) -> None:
    code, _, err = run("translate", "coll", "-r", "--to", "qtc", "--no-glossary")
    assert code == 0, err
    catalogs = sorted(p.name for p in Path("locales/qtc/LC_MESSAGES").glob("*.po"))
    assert catalogs == ["x_note.po", "y_note.po"]
    # A second run: both catalogs serve their own document, nothing is decoded, nothing obsolete.
    code, _, err = run("translate", "coll", "-r", "--to", "qtc", "--no-glossary")
    assert code == 0 and "0 paragraph(s) decoded" in err, err
    for name in catalogs:
        assert "#~" not in (Path("locales/qtc/LC_MESSAGES") / name).read_text(encoding="utf-8")


def test_documents_sharing_a_given_domain_are_refused(coll: Path) -> None:
    code, _, err = run("translate", "coll/x/note.txt", "coll/y/note.txt", "--to", "qtc", "--no-glossary",
                       "--domain", "news", "-o", "out/{dir}/{name}.{locale}.txt")
    assert code == 2 and "--domain news" in err and "obsolete" in err
    assert not Path("locales").exists() and not Path("out").exists()
    # Without catalogs nothing is shared: the run goes ahead.
    code, _, err = run("translate", "coll", "-r", "--to", "qtc", "--no-glossary", "--no-catalog", "--domain", "news")
    assert code == 0, err
    assert files_under(coll) == ["x/note.qtc.txt", "x/note.txt", "y/note.qtc.txt", "y/note.txt"]


def test_a_folder_translated_again_skips_its_own_outputs(coll: Path) -> None:
    (coll / "y" / "note.txt").rename(coll / "y" / "other.txt")
    assert run("translate", "coll", "-r", "--to", "qtc", "--no-glossary")[0] == 0
    code, _, err = run("translate", "coll", "-r", "--to", "qtc", "--no-glossary")
    assert code == 0, err
    assert "skipped coll/x/note.qtc.txt: an earlier translation" in err
    assert "2 of 2 document(s) translated" in err
    assert files_under(coll) == ["x/note.qtc.txt", "x/note.txt", "y/other.qtc.txt", "y/other.txt"]
    # A translation made earlier into another locale is recognised too.
    (coll / "x" / "note.de.txt").write_text("Karabach ist eine Region.\n", encoding="utf-8")
    code, _, err = run("translate", "coll", "-r", "--to", "qtc", "--no-glossary")
    assert "skipped coll/x/note.de.txt" in err and "note.de.qtc.txt" not in files_under(coll)


# --------------------------------------------------------------------------- early writes


def test_each_output_is_written_as_soon_as_its_document_is_done(coll: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C during the second document keeps the first one's translation."""
    from translate.run import batch

    (coll / "y" / "note.txt").rename(coll / "y" / "other.txt")
    real = batch.run_locale
    calls = []

    def interrupting(document, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(document.name)
        if len(calls) == 2:
            assert (coll / "x" / "note.qtc.txt").exists(), "the first output waited for the whole run"
            raise KeyboardInterrupt
        return real(document, *args, **kwargs)

    monkeypatch.setattr(batch, "run_locale", interrupting)
    code, _, err = run("translate", "coll", "-r", "--to", "qtc", "--no-glossary")
    assert code == 130 and err.strip() == "Interrupted."
    assert (coll / "x" / "note.qtc.txt").read_text(encoding="utf-8").strip()
    assert not (coll / "y" / "other.qtc.txt").exists()


# --------------------------------------------------------------------------- stdin, stdout, --json


def test_dash_reads_stdin_and_writes_stdout(coll: Path) -> None:
    code, out, err = run("translate", "-", "--to", "qtc", "--no-glossary", "-o", "-", input=NOTE_X.encode())
    assert code == 0, err
    assert out.strip() and out != NOTE_X
    assert Path("locales/qtc/LC_MESSAGES/stdin.po").is_file()
    code, out2, _ = run("translate", "-", "--to", "qtc", "--no-glossary", "--no-catalog", input=NOTE_X.encode())
    assert code == 0 and out2 == out


def test_json_never_swallows_the_translation(coll: Path) -> None:
    code, out, err = run("translate", "coll/x/note.txt", "--to", "qtc", "--no-catalog", "--json")
    assert code == 0, err
    assert isinstance(json.loads(out), list)
    translated = Path("note.qtc.txt")  # in the working folder, not beside the source
    assert translated.read_text(encoding="utf-8").strip() and not (coll / "x" / "note.qtc.txt").exists()
    assert "wrote note.qtc.txt" in err
    code, _, err = run("translate", "coll/x/note.txt", "--to", "qtc", "--no-catalog", "--json", "-o", "-")
    assert code == 2 and "--json prints the occurrence records on standard output" in err
    code, _, err = run("translate", "-", "--to", "qtc", "--no-catalog", "--json", input=b"Baku.\n")
    assert code == 2 and "give -o FILE" in err


# --------------------------------------------------------------------------- where outputs go


@pytest.mark.parametrize("template", ["out/{foo}.txt", "{", "}", "{0}", "{}", "out/{name!r}", "{locale:>9}"])
def test_bad_output_templates_are_one_line(coll: Path, template: str) -> None:
    code, _, err = run("translate", "coll/x/note.txt", "--to", "qtc", "--no-glossary", "-o", template)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("Error: -o ")
    assert not Path("locales").exists()


def test_output_onto_symlink_device_and_fifo(coll: Path) -> None:
    Path("target.txt").write_text("")
    os.symlink("target.txt", "link")
    assert run("translate", "coll/x/note.txt", "--to", "qtc", "--no-glossary", "--no-catalog", "-o", "link")[0] == 0
    assert Path("link").is_symlink() and Path("target.txt").read_text(encoding="utf-8").strip()
    try:
        os.mknod("nulldev", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pass
    else:
        assert run("translate", "coll/x/note.txt", "--to", "qtc", "--no-glossary", "--no-catalog",
                   "-o", "nulldev")[0] == 0
        assert stat.S_ISCHR(os.lstat("nulldev").st_mode)
    os.mkfifo("pipe")
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(open("pipe", "rb").read()))
    reader.start()
    assert run("translate", "coll/x/note.txt", "--to", "qtc", "--no-glossary", "--no-catalog", "-o", "pipe")[0] == 0
    reader.join(30)
    assert got and got[0].strip()
    code, _, err = run("translate", "coll/x/note.txt", "--to", "qtc", "--no-glossary", "--no-catalog", "-o", "coll")
    assert code == 1 and "is a folder" in err


# --------------------------------------------------------------------------- awkward inputs


@pytest.mark.parametrize("name", [b"a\tb.txt", b"esc\x1b[2J.txt", b"caf\xe9.txt"])
def test_awkward_file_names_translate(coll: Path, name: bytes) -> None:
    path = os.fsdecode(name)
    Path(path).write_text(NOTE_X, encoding="utf-8")
    code, out, err = run("translate", path, "--to", "qtc", "--no-glossary")
    assert code == 0, err
    assert out.strip() and "\x1b" not in err


def test_endless_and_silent_inputs_are_bounded(coll: Path) -> None:
    code, _, err = run("translate", "/dev/zero", "--to", "qtc", "--no-glossary")
    assert code == 2 and "endless" in err
    os.mkfifo("in.fifo")
    writer = threading.Thread(target=lambda: Path("in.fifo").write_text(NOTE_X, encoding="utf-8"))
    writer.start()
    code, out, err = run("translate", "in.fifo", "--to", "qtc", "--no-glossary", "--no-catalog")
    writer.join(30)
    assert code == 0 and out.strip(), err


@pytest.mark.parametrize(
    "args",
    [
        ["check", "/dev/zero", "/dev/zero", "--locale", "de"],
        ["glossary", "check", "/dev/zero"],
        ["glossary", "lint", "--glossary", "/dev/zero"],
        ["glossary", "show", "--glossary", "/dev/zero"],
        ["glossary", "import", "/dev/zero", "--format", "po"],
    ],
    ids=["check", "glossary-check", "lint", "show", "import"],
)
def test_endless_inputs_to_every_reader_are_one_line(tmp_path: Path, args: list[str]) -> None:
    code, _, err = run(*args)
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and "/dev/zero" in err and "endless" in err


# --------------------------------------------------------------------------- batching across documents


def test_small_documents_are_decoded_together_with_the_same_result(coll: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder of small documents: one decode call per window, each output as if translated alone."""
    from translate.run import batch, job

    texts = ["Karabakh is a region.", "Baku is a city.\n\nThe Lachin corridor is open.",
             "Armenian officials still call the region Artsakh.", "Stepanakert was renamed Khankendi."]
    folder = coll.parent / "many"
    folder.mkdir()
    for k, text in enumerate(texts):
        (folder / f"d{k}.txt").write_text(text + "\n", encoding="utf-8")
    alone = {}
    for k in range(len(texts)):
        code, out, err = run("translate", f"many/d{k}.txt", "--to", "qtc", "--no-catalog", "-o", "-")
        assert code == 0, err
        alone[k] = out
    windows, singles = [], []
    real_batch, real_job = batch.translate_paragraphs, job.translate_paragraphs
    monkeypatch.setattr(batch, "translate_paragraphs", lambda e, p, *a, **kw: windows.append(p) or real_batch(e, p, *a, **kw))
    monkeypatch.setattr(job, "translate_paragraphs", lambda e, p, *a, **kw: singles.append(p) or real_job(e, p, *a, **kw))
    code, _, err = run("translate", "many", "-r", "--to", "qtc", "--no-catalog", "-o", "out/{name}.{locale}.txt")
    assert code == 0, err
    assert len(windows) == 1 and len(windows[0]) == 5 and singles == []
    for k in range(len(texts)):
        assert Path(f"out/d{k}.qtc.txt").read_text(encoding="utf-8") == alone[k]


def test_parallel_jobs_decode_whole_windows_with_the_same_result(coll: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--jobs 2: each worker decodes a window of documents in one call; outputs and records as alone."""
    from translate.run import batch, job

    texts = ["Karabakh is a region.", "Baku is a city.\n\nThe Lachin corridor is open.",
             "Armenian officials still call the region Artsakh.", "Stepanakert was renamed Khankendi.",
             "Baku and Yerevan met in Karabakh."]
    folder = coll.parent / "many"
    folder.mkdir()
    for k, text in enumerate(texts):
        (folder / f"d{k}.txt").write_text(text + "\n", encoding="utf-8")
    code, alone_json, err = run("translate", "many", "-r", "--to", "qtc", "--no-catalog", "--json",
                                "-o", "alone/{name}.{locale}.txt")
    assert code == 0, err
    windows, singles = [], []
    real_batch, real_job = batch.translate_paragraphs, job.translate_paragraphs
    monkeypatch.setattr(batch, "WINDOW_DOCUMENTS", 2)
    monkeypatch.setattr(batch, "translate_paragraphs", lambda e, p, *a, **kw: windows.append(p) or real_batch(e, p, *a, **kw))
    monkeypatch.setattr(job, "translate_paragraphs", lambda e, p, *a, **kw: singles.append(p) or real_job(e, p, *a, **kw))
    code, out_json, err = run("translate", "many", "-r", "--to", "qtc", "--no-catalog", "--json", "--jobs", "2",
                              "-o", "out/{name}.{locale}.txt")
    assert code == 0, err
    # d0+d1, d2+d3 in one call each; d4, alone in its window, is decoded by its own run.
    assert sorted(len(w) for w in windows) == [2, 3] and singles == [[texts[4]]]
    assert json.loads(out_json) == json.loads(alone_json.replace("alone/", "out/"))
    for k in range(len(texts)):
        assert Path(f"out/d{k}.qtc.txt").read_text(encoding="utf-8") == \
            Path(f"alone/d{k}.qtc.txt").read_text(encoding="utf-8")


def test_parallel_fail_fast_starts_no_document_after_the_failure(coll: Path) -> None:
    folder = coll.parent / "many"
    folder.mkdir()
    (folder / "a0.txt").write_bytes(b"\xff\xfe not UTF-8\n")
    for k in range(1, 80):
        (folder / f"a{k:02d}.txt").write_text("Baku is a city.\n", encoding="utf-8")
    code, _, err = run("translate", "many", "--to", "qtc", "--no-glossary", "--no-catalog", "--jobs", "2",
                       "--fail-fast", "-o", "out/{name}.{locale}.txt")
    assert code == 1 and "a0.txt" in err
    # Windows a0-a31, a32-a63, a64-a79: the first fails at its first document, and only the
    # windows already started beside it finish (without --fail-fast all 79 are written).
    assert len(files_under(Path("out"))) <= 32 + 16
