"""No lost update, all-or-nothing after a kill at every write, files keep their form, lint across concepts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from glossary.edit.records import Change
from glossary.files import groups
from glossary.review.history import history_path, read_history
from glossary.review.proposals import proposals_path
from glossary.review.workflow import GlossaryReview
from glossary.termbase.lint import lint
from glossary.termbase.load import load_glossary

REPO = Path(__file__).resolve().parents[3]
SMALL = REPO / "tests" / "data" / "glossary" / "small.yaml"
EDITOR_LINE = "# EDITOR-SAVE\n"


@pytest.fixture
def glossary_file(tmp_path: Path) -> Path:
    target = tmp_path / "glossary.yaml"
    shutil.copyfile(SMALL, target)
    return target


def _editor_save(path: Path) -> None:
    """An editor's tool saving the file (write to a temporary, rename over)."""
    text = path.read_text(encoding="utf-8")
    temp = path.with_name("editor.tmp")
    temp.write_text(text.replace("\nconcepts:", "\n" + EDITOR_LINE.rstrip("\n") + "\nconcepts:", 1), encoding="utf-8")
    os.replace(temp, path)


def test_a_save_between_read_and_write_is_merged_not_overwritten(glossary_file: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    review = GlossaryReview(glossary_file)
    review.propose("karabakh", "de", "Karabachs Land", "admitted", "r", by="a")
    saved: list[str] = []

    def save_once(step: str) -> None:
        # The editor saves after approve has read and planned, before it writes.
        if step == "journal-prepare" and not saved:
            saved.append(step)
            _editor_save(glossary_file)

    monkeypatch.setattr(groups, "_fault", save_once)
    proposal, _ = review.approve("P1", by="e", reason="ok")
    text = glossary_file.read_text(encoding="utf-8")
    assert EDITOR_LINE in text  # the editor's save is kept
    assert "Karabachs Land" in text  # and the approval landed on top of it
    assert proposal.state == "approved"
    assert [e.event for e in read_history(glossary_file)] == ["proposed", "approved"]


def test_an_editor_saving_while_approve_runs_is_never_lost(glossary_file: Path) -> None:
    """The user-level race: a save lands while `glossary approve` runs in another process."""
    review = GlossaryReview(glossary_file)
    review.propose("karabakh", "de", "Karabachs Land", "admitted", "r", by="a")
    code = (
        "import sys; from glossary.review.workflow import GlossaryReview;"
        "GlossaryReview(sys.argv[1]).approve('P1', by='e', reason='ok')"
    )
    process = subprocess.Popen([sys.executable, "-c", code, str(glossary_file)], cwd=REPO,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
    _editor_save(glossary_file)
    rc = process.wait(timeout=120)
    text = glossary_file.read_text(encoding="utf-8")
    assert EDITOR_LINE in text or rc != 0


_KILLER = """
import os, signal, sys
from glossary.files import groups
from glossary.review.workflow import GlossaryReview
target = sys.argv[2]
def fault(step):
    if step == target:
        os.kill(os.getpid(), signal.SIGKILL)
groups._fault = fault
GlossaryReview(sys.argv[1]).approve('P1', by='e', reason='ok')
print('DONE')
"""

STEPS = ["journal-prepare", "temp:glossary.yaml", "temp:glossary.proposals.yaml", "temp:glossary.history.yaml",
         "journal-commit", "replace:glossary.yaml", "replace:glossary.proposals.yaml",
         "replace:glossary.history.yaml", "done"]


@pytest.mark.parametrize("step", STEPS)
def test_approve_killed_at_every_write_is_all_or_nothing(glossary_file: Path, step: str) -> None:
    review = GlossaryReview(glossary_file)
    review.propose("karabakh", "de", "Karabachs Land", "admitted", "r", by="a")
    files = [glossary_file, proposals_path(glossary_file), history_path(glossary_file)]
    before = {path: path.read_bytes() for path in files}
    run = subprocess.run([sys.executable, "-c", _KILLER, str(glossary_file), step], cwd=REPO,
                         env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=120,
                         check=False)
    assert run.returncode == -9, run.stderr  # killed at that very write
    # The next command settles the interrupted change, one way or the other.
    state = review.get("P1").state
    events = [e.event for e in review.history()]
    approved = "Karabachs Land" in [r.text for r in load_glossary(glossary_file).renderings("karabakh", "de")
                                    if r.status.value == "admitted"]
    if state == "open":
        assert events == ["proposed"] and not approved
        assert {path: path.read_bytes() for path in files} == before
    else:
        assert state == "approved" and events == ["proposed", "approved"] and approved
    leftovers = [p.name for p in glossary_file.parent.iterdir() if p.name.endswith((".tmp", "journal"))]
    assert leftovers == []
    # And the workflow goes on: approving again either works or says it was done.
    if state == "open":
        review.approve("P1", by="e", reason="again")
    assert review.get("P1").state == "approved"


@pytest.mark.parametrize(("newline", "bom"), [("\r\n", False), ("\n", True), ("\r\n", True)])
def test_an_approval_keeps_line_endings_and_bom(glossary_file: Path, newline: str, bom: bool) -> None:
    text = SMALL.read_text(encoding="utf-8")
    data = text.replace("\n", newline).encode("utf-8")
    glossary_file.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    os.chmod(glossary_file, 0o640)
    review = GlossaryReview(glossary_file)
    review.propose("karabakh", "de", "Karabachs Land", "admitted", "r", by="a")
    review.approve("P1", by="e", reason="ok")
    after = glossary_file.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") == bom
    body = after.decode("utf-8-sig")
    lines = body.split(newline)
    if newline == "\r\n":
        assert "\n" not in body.replace("\r\n", "")
    old_lines = text.split("\n")
    new_lines = body.replace("\r\n", "\n").split("\n")
    assert len(new_lines) - len(old_lines) == 2  # one rendering added: text and status
    assert len(lines) == len(new_lines)
    assert os.stat(glossary_file).st_mode & 0o777 == 0o640


def test_import_is_recorded_in_the_history(glossary_file: Path) -> None:
    from glossary.edit.changes import apply_changes
    from glossary.edit.records import value_of

    old = value_of(load_glossary(glossary_file), "armenia", "de", "preferred")
    apply_changes(glossary_file, [Change("armenia", "de", "preferred", old, "Armenia-Land")], by="imp",
                  reason="desk CSV", source="de.csv")
    events = read_history(glossary_file)
    assert [e.event for e in events] == ["proposed", "approved"]
    assert events[1].edits and events[1].edits[0]["field"] == "renderings"
    assert events[1].source == "de.csv" and events[1].by == "imp"
    assert GlossaryReview(glossary_file).get("P1").state == "approved"


def test_lint_reports_one_preferred_rendering_for_two_concepts(glossary_file: Path) -> None:
    from glossary.edit.changes import apply_changes

    assert lint(glossary_file) == []
    apply_changes(glossary_file, [Change("karabakh", "de", "preferred", "Karabach", "Bergkarabach")], by="x",
                  reason="import")
    problems = lint(glossary_file)
    assert len(problems) == 1
    assert "'Bergkarabach' is the preferred de rendering of both" in problems[0].message
