"""One verdict: every command shows the judge's verdicts on the same (source, translation) pairs.

A real run of the test model writes a catalog; an editor then plants errors
(a forbidden rendering in a reviewed headline, a dropped term in a hand-edited
entry, a deprecated rendering). translate (--json, --strict), check, catalog
status, catalog check, the review page and glossary impact must report the
same occurrences with the same verdicts, and re-saving the catalog with polib,
Babel or msgcat must change nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import polib
import pytest
from click.testing import CliRunner

from glossary import load_glossary
from translate.catalogs.folder import catalog_path
from translate.catalogs.impact import glossary_impact
from translate.cli import main
from translate.review_page.page import build_report

REPO = Path(__file__).resolve().parents[3]
ARTICLE = REPO / "samples" / "nato-armenia-azerbaijan.txt"
GLOSSARY = REPO / "tests" / "model" / "glossary-qtc.yaml"
DOMAIN = ARTICLE.stem


def _run(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(main, list(args), catch_exceptions=False)


def _translate(runner: CliRunner, out: str, *extra: str) -> Any:
    return _run(runner, "translate", str(ARTICLE), "--to", "qtc", "--glossary", str(GLOSSARY),
                "--catalog-dir", "cat", "-o", out, *extra)


def _key(record: dict[str, Any]) -> tuple[Any, ...]:
    return (record["paragraph"], record["concept"], record["kind"], record["source"], record["found"],
            record["quoted"], record["waived"])


def _plant(path: Path) -> None:
    """An editor's work with planted errors (saved with polib at its default wrap)."""
    po = polib.pofile(str(path))
    entries = [e for e in po if e.msgid and not e.obsolete]
    headline = entries[0]
    # A reviewed headline holding Artsakh's rendering in our voice.
    headline.msgstr = headline.msgstr + " Fadazip"
    headline.flags = [f for f in headline.flags if f != "fuzzy"]
    # A hand-edited (still fuzzy) entry that drops Karabakh.
    dropped = next(e for e in entries if "Gezalafo" in e.msgstr and "Karabakh" in e.msgid
                   and e.msgid.count("Karabakh") == 1)
    dropped.msgstr = dropped.msgstr.replace("Gezalafo", "lokal")
    # A reviewed entry with a deprecated rendering of South Caucasus.
    caucasus = next(e for e in entries if "Temiv Mupinodi" in e.msgstr)
    caucasus.msgstr = caucasus.msgstr.replace("Temiv Mupinodi", "Sobimumigevek")
    caucasus.flags = [f for f in caucasus.flags if f != "fuzzy"]
    po.save()


def _views(runner: CliRunner, tmp_path: Path) -> dict[str, Any]:
    """What every command says about the catalog's document."""
    glossary = load_glossary(GLOSSARY)
    path = catalog_path(tmp_path / "cat", "qtc", DOMAIN)
    views: dict[str, Any] = {}
    result = _translate(runner, "again.txt", "--strict", "--json")
    views["translate_exit"] = result.exit_code
    views["translate"] = json.loads(result.stdout)
    table = _translate(runner, "again2.txt", "--strict")
    views["table"] = [line for line in table.stderr.splitlines() if line.startswith("qtc ")]
    result = _run(runner, "check", str(ARTICLE), "again.txt", "--locale", "qtc", "--glossary", str(GLOSSARY),
                  "--json")
    views["check_exit"] = result.exit_code
    views["check"] = json.loads(result.stdout)
    result = _run(runner, "catalog", "check", "--catalog-dir", "cat", "--glossary", str(GLOSSARY), "--json")
    views["catalog_check_exit"] = result.exit_code
    views["catalog_check"] = json.loads(result.stdout)
    result = _run(runner, "catalog", "status", "--catalog-dir", "cat", "--glossary", str(GLOSSARY), "--json")
    views["status"] = json.loads(result.stdout)[0]
    views["report"] = build_report(path, glossary, "qtc")
    views["impact"] = glossary_impact(glossary, tmp_path / "cat")
    return views


@pytest.fixture
def planted(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, test_model: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    first = _translate(runner, "out.txt")
    assert first.exit_code == 0, first.output
    path = catalog_path(tmp_path / "cat", "qtc", DOMAIN)
    _plant(path)
    return path


def test_every_command_shows_the_same_verdicts(runner: CliRunner, tmp_path: Path, planted: Path) -> None:
    views = _views(runner, tmp_path)
    records = views["translate"]
    keys = [_key(r) for r in records]
    errors = [r for r in records if r["outcome"] == "unresolved"]
    # The planted errors, each one verdict naming its source.
    planted_kinds = sorted((r["concept"], r["kind"], r["source"], r["found"]) for r in errors)
    headline = ARTICLE.read_text(encoding="utf-8").splitlines()[0]
    assert planted_kinds == [
        ("artsakh", "forbidden", headline, "Fadazip"),  # no source occurrence: the sentence is named
        ("karabakh", "missing", "Karabakh", None),
        ("south-caucasus", "deprecated", "South Caucasus", "Sobimumigevek"),
    ]
    # --strict fails on reused and reviewed text; check and catalog check agree.
    assert views["translate_exit"] == views["check_exit"] == views["catalog_check_exit"] == 1
    # check lists the findings: every record that is not settled or quoted, in the same order.
    assert [_key(r) for r in views["check"]] == [
        k for k, r in zip(keys, records) if r["kind"] not in ("ok", "quoted")]
    # catalog check: every verdict of the catalog read as one document.
    assert [_key(r) for r in views["catalog_check"]] == keys
    assert views["status"]["violations"] == len(errors)
    # The review page: the same counts per outcome (each entry stands for its lines).
    counts = Counter(r["outcome"] for r in records)
    page = views["report"].counts
    assert {k: v for k, v in page.items() if v} == dict(counts)
    page_findings = sorted((f.concept, f.outcome, f.source, f.found)
                           for p in views["report"].paragraphs for f in p.findings)
    assert page_findings == sorted((r["concept"], r["outcome"], r["source"], r["found"]) for r in records)
    # The table shows the same counts.
    row = views["table"][0].split()
    assert row[1:] == [str(counts.get(o, 0)) for o in
                       ("settled", "forced", "substituted", "unresolved", "review", "quoted")]
    # glossary impact (a full audit): the reviewed entries' errors, the same verdicts.
    broken = sorted((v.concept, v.kind, v.source, v.found) for e in views["impact"].broken for v in e.new_violations)
    reviewed_errors = sorted((r["concept"], r["kind"], r["source"], r["found"]) for r in views["catalog_check"]
                             if r["state"] == "reviewed" and r["outcome"] == "unresolved")
    assert len(reviewed_errors) >= 2  # the headline and the reviewed paragraph
    assert broken == reviewed_errors


def _resave(path: Path, how: str) -> None:
    if how == "polib":
        polib.pofile(str(path)).save()
    elif how == "babel":
        from babel.messages.pofile import read_po, write_po

        with path.open("rb") as handle:
            catalog = read_po(handle)
        with path.open("wb") as handle:
            write_po(handle, catalog)
    else:
        width = ["--no-wrap"] if how == "msgcat-no-wrap" else ["-w", "40"]
        subprocess.run(["msgcat", *width, "-o", str(path), str(path)], check=True)


@pytest.mark.parametrize("how", ["polib", "babel", "msgcat-no-wrap", "msgcat-w40"])
def test_verdicts_do_not_depend_on_po_layout(runner: CliRunner, tmp_path: Path, planted: Path, how: str) -> None:
    if how.startswith("msgcat") and shutil.which("msgcat") is None:
        pytest.skip("gettext's msgcat is not installed")
    before = _views(runner, tmp_path)
    _resave(planted, how)
    assert planted.read_text(encoding="utf-8") != ""
    after = _views(runner, tmp_path)
    # Everything but where the entry sits in the file ("line" of the PO file). Babel drops
    # the X-Termguard-* headers, so the next run takes the glossary for a new one and flags
    # (fuzzy + termguard-unresolved) the reviewed entries that fail it: their state changes,
    # no verdict does.
    ignore = {"line", "state"} if how == "babel" else {"line"}
    for name in ("translate", "check", "catalog_check"):
        strip = [{k: v for k, v in r.items() if k not in ignore} for r in after[name]]
        old = [{k: v for k, v in r.items() if k not in ignore} for r in before[name]]
        diff = [(a, b) for a, b in zip(strip, old) if a != b]
        assert not diff and len(strip) == len(old), (name, {k: (a[k], b[k]) for a, b in diff[:1] for k in a
                                                             if a[k] != b.get(k)})
    assert after["table"] == before["table"]
    assert after["status"]["violations"] == before["status"]["violations"]
    assert after["report"].counts == before["report"].counts

    def page(data: Any) -> list[tuple[Any, ...]]:
        return [(m.text, m.outcome, m.step, tuple(f.reason for f in m.findings))
                for p in data.paragraphs for m in (*p.source_marks, *p.target_marks)]

    assert page(after["report"]) == page(before["report"])


def test_a_waiver_is_shown_as_waived_everywhere_and_dropped_when_the_text_changes(
        runner: CliRunner, tmp_path: Path, planted: Path) -> None:
    line = next(r["paragraph"] for r in _views(runner, tmp_path)["translate"] if r["kind"] == "deprecated")
    result = _run(runner, "catalog", "waive", "--catalog-dir", "cat", "--glossary", str(GLOSSARY), "--locale", "qtc",
                  "--line", str(line), "--concept", "south-caucasus", "--kind", "deprecated",
                  "--by", "A. Editor", "--reason", "the old name, quoted from a 2019 resolution")
    assert result.exit_code == 0, result.output
    po = polib.pofile(str(planted))
    entry = next(e for e in po if e.occurrences and int(e.occurrences[0][1]) == line)
    assert "termguard-waived" in entry.flags and "termguard-waiver: south-caucasus deprecated" in entry.tcomment
    views = _views(runner, tmp_path)
    waived = [r for r in views["translate"] if r["waived"]]
    assert [(r["concept"], r["outcome"], r["waived"]) for r in waived] == [
        ("south-caucasus", "waived", "A. Editor: the old name, quoted from a 2019 resolution")]
    assert [_key(r) for r in views["catalog_check"] if r["waived"]] == [_key(r) for r in waived]
    assert views["status"]["violations"] == 2 and views["status"]["waived"] == 1
    assert views["report"].counts["waived"] == 1
    assert all(v.kind != "deprecated" for e in views["impact"].broken for v in e.new_violations)
    # A re-wrapped catalog keeps the waiver.
    polib.pofile(str(planted), wrapwidth=40).save(str(planted))
    assert [r["waived"] for r in _views(runner, tmp_path)["translate"] if r["waived"]] == [waived[0]["waived"]]
    # Changing the entry's text drops it: the finding is an error again.
    po = polib.pofile(str(planted))
    entry = next(e for e in po if e.occurrences and int(e.occurrences[0][1]) == line)
    entry.msgstr = entry.msgstr.replace("Sobimumigevek", "Sobimumigevek,")
    po.save()
    after = _views(runner, tmp_path)
    assert [r for r in after["translate"] if r["waived"]] == []
    assert after["status"]["violations"] == 3


def test_waiving_a_finding_that_is_not_there_is_bad_input(runner: CliRunner, tmp_path: Path, planted: Path) -> None:
    result = _run(runner, "catalog", "waive", "--catalog-dir", "cat", "--glossary", str(GLOSSARY), "--locale", "qtc",
                  "--line", "1", "--concept", "karabakh", "--kind", "missing", "--by", "x", "--reason", "y")
    assert result.exit_code == 2
    assert "has no missing finding" in result.output
