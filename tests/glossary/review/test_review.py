"""The glossary review workflow as a library: edits, proposals, history, diff, impact."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import polib
import pytest

from conftest import Clock
from glossary import load_glossary
from glossary.edit.yaml_edit import ReviewFileError, edit_text, minimal_merge
from glossary.errors import UnknownConcept, UnknownLocale
from glossary.review.errors import (
    InvalidStatus,
    MissingField,
    NothingToChange,
    ProposalClosed,
    ProposalInvalid,
    UnknownProposal,
)
from glossary.review.history import history_path, read_history
from glossary.review.proposals import proposals_path
from glossary.review.semantic_diff import RevisionError, diff_glossaries, glossary_at_revision, touched_concepts
from glossary.review.workflow import GlossaryReview
from glossary.termbase.model import Status
from translate.catalogs.impact import ImpactError, glossary_impact

# Every edit these tests make is checked against editing the whole document.
pytestmark = pytest.mark.usefixtures("same_as_whole_file")

DATA = Path(__file__).resolve().parents[2] / "data"
SMALL = DATA / "glossary" / "small.yaml"
COMMENTED = DATA / "review" / "commented.yaml"


def changed_lines(old: str, new: str) -> list[str]:
    """The `-`/`+` lines of a unified diff without context: what `git diff` would show."""
    return [
        line.rstrip("\n")
        for line in difflib.unified_diff(old.splitlines(True), new.splitlines(True), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]



@pytest.fixture
def glossary_file(tmp_path: Path) -> Path:
    target = tmp_path / "glossary.yaml"
    shutil.copyfile(SMALL, target)
    return target


@pytest.fixture
def review(glossary_file: Path) -> GlossaryReview:
    return GlossaryReview(glossary_file, clock=Clock())


# --------------------------------------------------------------------------- YAML edits


EDITS = [
    pytest.param(
        ("karabakh", "de", "Bergkarabach", Status.PREFERRED, ()),
        [
            "-          status: preferred",
            "+          status: admitted",
            "-          status: admitted",
            "+          status: preferred",
        ],
        id="promote-demotes-old-preferred",
    ),
    pytest.param(
        ("karabakh", "ru", "Карабаг", Status.FORBIDDEN, ()),
        ["+        - text: Карабаг", "+          status: forbidden"],
        id="append-before-blank-line",
    ),
    pytest.param(
        ("karabakh", "fr", "Karabakh", Status.PREFERRED, ()),
        ["+      fr:", "+        - text: Karabakh", "+          status: preferred"],
        id="new-locale-in-locales-order",
    ),
    pytest.param(
        ("seized", "tr", "ele geçirdi", Status.PREFERRED, ()),
        ["+      tr:", "+        - text: ele geçirdi", "+          status: preferred"],
        id="new-locale-at-end-of-file",
    ),
    pytest.param(
        ("armenia", "pt_BR", "Armenia", Status.FORBIDDEN, ()),
        ["+        - {text: Armenia, status: forbidden}"],
        id="flow-mapping-neighbours",
    ),
    pytest.param(
        ("armenia", "tr", "Ermenistan", Status.PREFERRED, ("Ermenistanı",)),
        ["+          forms: [Ermenistanı]"],
        id="forms-added-to-rendering",
    ),
    pytest.param(
        ("karabakh", "de", "karabach", Status.PREFERRED, ("Karabache",)),
        [
            "-          forms: [ Karabachs ]    # spaces inside the brackets are the editor's",
            "+          forms: [Karabachs, Karabache] # spaces inside the brackets are the editor's",
        ],
        id="form-appended-case-insensitive-text",
    ),
]


@pytest.mark.parametrize(("edit", "expected"), EDITS)
def test_edit_changes_only_the_intended_lines(edit: tuple, expected: list[str]) -> None:
    original = COMMENTED.read_text(encoding="utf-8")
    text, changes = edit_text(original, str(COMMENTED), *edit)
    assert changed_lines(original, text) == expected
    assert changes[0].concept == edit[0]
    # Every comment line of the original is still there, in order.
    comments = [line for line in original.splitlines() if line.lstrip().startswith("#")]
    assert [line for line in text.splitlines() if line.lstrip().startswith("#")] == comments


def test_minimal_merge_keeps_lines_the_dumper_would_reformat() -> None:
    original = "a: [ 1, 2 ]\nb: 1\nc:\n- x\n"
    unchanged = "a: [1, 2]\nb: 1\nc:\n  - x\n"
    changed = "a: [1, 2]\nb: 2\nc:\n  - x\n"
    assert minimal_merge(original, unchanged, changed) == "a: [ 1, 2 ]\nb: 2\nc:\n- x\n"


def test_edit_in_a_block_the_dumper_reindents_stays_valid(tmp_path: Path) -> None:
    # The list under `en` is not indented like the rest: the merge cannot
    # reuse those lines, and must still produce a file that means the edit.
    original = COMMENTED.read_text(encoding="utf-8").replace(
        "      en:\n        - text: Armenia\n          status: preferred\n",
        "      en:\n      - text: Armenia\n        status: preferred\n",
    )
    text, _ = edit_text(original, "x.yaml", "armenia", "en", "Armenian", Status.FORBIDDEN)
    path = tmp_path / "g.yaml"
    path.write_text(text, encoding="utf-8")
    renderings = load_glossary(path).renderings("armenia", "en")
    assert [(r.text, r.status) for r in renderings] == [("Armenia", Status.PREFERRED), ("Armenian", Status.FORBIDDEN)]
    assert "# --- characterisations" in text


# --------------------------------------------------------------------------- proposals


def test_propose_approve_history_session(review: GlossaryReview, glossary_file: Path) -> None:
    original = glossary_file.read_text(encoding="utf-8")
    proposal, plan = review.propose("karabakh", "DE", "Bergkarabach", "preferred",
                                    "Duden lists Bergkarabach first", by="alice")
    assert proposal.id == "P1" and proposal.locale == "de" and proposal.state == "open"
    assert proposal.when == "2024-05-01T09:01:00Z"
    assert [c.describe() for c in plan.changes] == [
        "karabakh/de: 'Bergkarabach' admitted -> preferred",
        "karabakh/de: 'Karabach' preferred -> admitted (demoted: a locale has one preferred rendering)",
    ]
    # Proposing changes nothing in the glossary itself.
    assert glossary_file.read_text(encoding="utf-8") == original

    decided, event = review.approve("p1", by="carol", reason="agreed at the desk meeting")
    assert decided.state == "approved" and decided.decided_by == "carol"
    assert decided.decided_when == "2024-05-01T09:02:00Z"
    new = glossary_file.read_text(encoding="utf-8")
    assert changed_lines(original, new) == [
        "-          status: preferred",
        "+          status: admitted",
        "-          status: admitted",
        "+          status: preferred",
    ]
    assert new.startswith("# A small, valid glossary for the tests")
    glossary = load_glossary(glossary_file)
    assert glossary.preferred("karabakh", "de").text == "Bergkarabach"
    assert event.glossary_after == glossary.digest != event.glossary_before

    history = review.history()
    assert [(e.event, e.by, e.proposal) for e in history] == [("proposed", "alice", "P1"), ("approved", "carol", "P1")]
    approved = history[-1]
    assert approved.proposed_by == "alice" and approved.proposal_reason == "Duden lists Bergkarabach first"
    assert approved.reason == "agreed at the desk meeting"
    assert [(c.text, c.old_status, c.new_status) for c in approved.changes] == [
        ("Bergkarabach", "admitted", "preferred"), ("Karabach", "preferred", "admitted"),
    ]
    assert review.history("karabakh") == history and review.history("armenia") == []
    assert review.proposals("open") == []
    # The side files sit next to the glossary and are plain YAML a person can read.
    assert proposals_path(glossary_file).name == "glossary.proposals.yaml"
    assert "reason: Duden lists Bergkarabach first" in history_path(glossary_file).read_text(encoding="utf-8")


def test_reject_keeps_the_glossary_and_records_why(review: GlossaryReview, glossary_file: Path) -> None:
    before = glossary_file.read_bytes()
    review.propose("yerevan", "de", "Erewan", "forbidden", "seen in wire copy", by="bob", forms=["Erewans"])
    with pytest.raises(MissingField):
        review.reject("P1", "  ", by="carol")
    decided = review.reject("P1", "not a spelling anyone uses", by="carol")
    assert decided.state == "rejected" and decided.decision_reason == "not a spelling anyone uses"
    assert glossary_file.read_bytes() == before
    assert [e.event for e in review.history("yerevan")] == ["proposed", "rejected"]
    with pytest.raises(ProposalClosed):
        review.approve("P1", by="carol")


@pytest.mark.parametrize(
    ("args", "error"),
    [
        pytest.param(("nowhere", "de", "X", "preferred"), UnknownConcept, id="unknown-concept"),
        pytest.param(("karabakh", "xx_QQ", "X", "preferred"), UnknownLocale, id="unknown-locale"),
        pytest.param(("karabakh", "es", "Karabaj", "preferred"), UnknownLocale, id="locale-not-listed"),
        pytest.param(("karabakh", "de", "Karabach", "banned"), InvalidStatus, id="unknown-status"),
        pytest.param(("karabakh", "de", "Karabachs", "forbidden"), ProposalInvalid, id="form-of-preferred-forbidden"),
        pytest.param(("karabakh", "en", "Karabakh", "forbidden"), ProposalInvalid, id="source-loses-preferred"),
        pytest.param(("karabakh", "de", "Karabach", "preferred"), NothingToChange, id="already-so"),
        pytest.param(("karabakh", "de", " ", "preferred"), MissingField, id="empty-text"),
    ],
)
def test_bad_proposals_are_refused_and_nothing_is_written(
    review: GlossaryReview, glossary_file: Path, args: tuple[str, str, str, str], error: type[Exception]
) -> None:
    before = glossary_file.read_bytes()
    with pytest.raises(error):
        review.propose(*args, reason="because", by="alice")
    assert glossary_file.read_bytes() == before
    assert not proposals_path(glossary_file).exists()
    assert not history_path(glossary_file).exists()


def test_reason_and_author_are_required(review: GlossaryReview) -> None:
    with pytest.raises(MissingField):
        review.propose("karabakh", "de", "Bergkarabach", "preferred", "", by="alice")
    with pytest.raises(MissingField):
        review.propose("karabakh", "de", "Bergkarabach", "preferred", "why", by=" ")


def test_by_defaults_to_the_user_name(review: GlossaryReview, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGNAME", "desk-editor")
    proposal, _ = review.propose("karabakh", "de", "Bergkarabach", "preferred", "why")
    assert proposal.by == "desk-editor"


@pytest.mark.parametrize("given", ["P7", "p1x", "0", "P"], ids=["missing", "garbage", "zero", "no-number"])
def test_unknown_proposal_ids(review: GlossaryReview, given: str) -> None:
    review.propose("karabakh", "de", "Bergkarabach", "preferred", "why", by="alice")
    with pytest.raises(UnknownProposal):
        review.approve(given, by="carol")


def test_concurrent_proposals_get_distinct_ids(glossary_file: Path) -> None:
    texts = ["Karabagh", "Qarabag", "Karabah", "Karabax", "Garabagh", "Karabaq"]
    errors: list[BaseException] = []

    def propose(text: str) -> None:
        try:
            GlossaryReview(glossary_file).propose("karabakh", "de", text, "deprecated", f"seen: {text}", by=text)
        except BaseException as error:  # collected and re-raised in the main thread
            errors.append(error)

    threads = [threading.Thread(target=propose, args=(text,)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    found = GlossaryReview(glossary_file).proposals()
    assert sorted(p.id for p in found) == sorted(f"P{n}" for n in range(1, len(texts) + 1))
    assert sorted(p.text for p in found) == sorted(texts)
    assert len(read_history(glossary_file)) == len(texts)


def test_approvals_are_checked_against_the_glossary_as_it_is_then(review: GlossaryReview, glossary_file: Path) -> None:
    review.propose("karabakh", "de", "Bergkarabach", "preferred", "Duden", by="alice")
    review.propose("karabakh", "de", "Bergkarabach", "forbidden", "it is the oblast", by="bob")
    review.approve("P1", by="carol")
    # Forbidding the (now) preferred text is a plain status change and stays valid.
    _, event = review.approve("P2", by="carol")
    assert [(c.text, c.old_status, c.new_status) for c in event.changes] == [("Bergkarabach", "preferred", "forbidden")]
    review.propose("karabakh", "de", "Karabach", "preferred", "back", by="dan")
    review.propose("karabakh", "de", "Karabach", "preferred", "same again", by="erin")
    review.approve("P3", by="carol")
    with pytest.raises(NothingToChange):
        review.approve("P4", by="carol")
    assert [p.id for p in review.proposals("open")] == ["P4"]


def test_failed_write_leaves_every_file_as_it_was(
    review: GlossaryReview, glossary_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    review.propose("karabakh", "de", "Bergkarabach", "preferred", "Duden", by="alice")
    paths = [glossary_file, proposals_path(glossary_file), history_path(glossary_file)]
    before = {path: path.read_bytes() for path in paths}
    from glossary.files import groups

    def failing(step: str) -> None:
        if step == f"temp:{proposals_path(glossary_file).name}":
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(groups, "_fault", failing)
    with pytest.raises(ReviewFileError):
        review.approve("P1", by="carol")
    assert {path: path.read_bytes() for path in paths} == before
    assert not [p for p in glossary_file.parent.iterdir() if p.name.endswith(".tmp")]


def test_corrupt_proposals_file_is_reported(review: GlossaryReview, glossary_file: Path) -> None:
    proposals_path(glossary_file).write_text("proposals: [1, 2", encoding="utf-8")
    with pytest.raises(ReviewFileError, match="not valid YAML"):
        review.proposals()


# --------------------------------------------------------------------------- semantic diff


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_semantic_diff_between_files(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8")
    new_text = (
        text.replace("        - text: Bergkarabach\n          status: admitted\n          forms: [Bergkarabachs]\n", "")
        .replace("        - text: Arménia\n          status: deprecated\n", "        - text: Arménia\n          status: forbidden\n")
        .replace("    policy: review\n    definition: Held by", "    policy: enforce\n    definition: Held by")
        + "\n  - id: exclave\n    policy: enforce\n    definition: d\n    note: n\n"
        "    terms:\n      en:\n        - text: exclave\n          status: preferred\n"
    )
    old = load_glossary(SMALL)
    new = load_glossary(_write(tmp_path / "new.yaml", new_text))
    entries = diff_glossaries(old, new)
    assert [e.describe() for e in entries] == [
        "- karabakh/de: 'Bergkarabach' (was admitted)",
        "~ armenia/pt_BR: 'Arménia' deprecated -> forbidden",
        "~ occupied: policy: 'review' -> 'enforce'",
        "+ concept exclave (enforce)",
    ]
    touched = touched_concepts(entries, old, new)
    assert touched["karabakh"] == frozenset({"de"})
    assert touched["artsakh"] == frozenset({"de"})  # use_instead: karabakh
    assert touched["occupied"] is None and touched["exclave"] is None
    assert diff_glossaries(old, old) == []


def _git(folder: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", *args],
        cwd=folder, check=True, capture_output=True, env=env,
    )


@pytest.fixture
def git_glossary(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    target = repo / "data" / "glossary.yaml"
    shutil.copyfile(SMALL, target)
    _git(repo, "init", "-q")
    _git(repo, "add", "data/glossary.yaml")
    _git(repo, "commit", "-q", "-m", "glossary")
    return target


def test_semantic_diff_against_a_git_revision(git_glossary: Path) -> None:
    review = GlossaryReview(git_glossary, clock=Clock())
    review.propose("yerevan", "de", "Jerewan", "forbidden", "never", by="alice")
    review.approve("P1", by="carol")
    at_head = glossary_at_revision("HEAD", git_glossary)
    assert at_head.path == f"HEAD:{git_glossary}"
    assert [e.describe() for e in diff_glossaries(at_head, load_glossary(git_glossary))] == [
        "~ yerevan/de: 'Jerewan' deprecated -> forbidden"
    ]


@pytest.mark.parametrize("revision", ["no-such-rev", "--output=x", "HEAD~5"], ids=["unknown", "option", "too-far"])
def test_bad_revisions(git_glossary: Path, revision: str) -> None:
    with pytest.raises(RevisionError):
        glossary_at_revision(revision, git_glossary)


def test_revision_outside_git(glossary_file: Path) -> None:
    with pytest.raises(RevisionError):
        glossary_at_revision("HEAD", glossary_file)


# --------------------------------------------------------------------------- impact


def write_catalog(folder: Path, locale: str, entries: list[tuple[str, str, bool]], obsolete: int = 0) -> Path:
    """A catalog of (msgid, msgstr, fuzzy) entries at folder/<locale>/LC_MESSAGES/article.po."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": locale}
    for number, (msgid, msgstr, fuzzy) in enumerate(entries, start=1):
        entry = polib.POEntry(msgid=msgid, msgstr=msgstr, occurrences=[("article.txt", str(number))])
        if fuzzy:
            entry.flags.append("fuzzy")
        po.append(entry)
    for number in range(obsolete):
        po.append(polib.POEntry(msgid=f"Old Karabakh paragraph {number}.", msgstr=f"Alter Karabach-Absatz {number}.", obsolete=True))
    path = folder / locale / "LC_MESSAGES" / "article.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return path


GERMAN = [
    ("Azerbaijan seized Karabakh in 2023.", "Aserbaidschan hat Karabach 2023 eingenommen.", False),
    ("Talks on Karabakh resumed on Monday.", "Die Gespräche über Karabach wurden am Montag fortgesetzt.", True),
    ("NATO welcomed the peace agreement.", "Die NATO begrüßte das Friedensabkommen.", False),
]


def test_impact_reports_broken_reviewed_entries_and_affected_fuzzy_ones(review: GlossaryReview, tmp_path: Path) -> None:
    catalogs = tmp_path / "locales"
    path = write_catalog(catalogs, "de", GERMAN, obsolete=1)
    write_catalog(catalogs, "ru", [("Karabakh.", "Карабах.", False)])
    review.propose("karabakh", "de", "Karabach", "forbidden", "use Bergkarabach", by="alice")
    _, plan = review.preview("P1")
    report = glossary_impact(plan.after, catalogs, plan.before, baseline="P1")
    assert [c.describe() for c in report.changes] == ["~ karabakh/de: 'Karabach' preferred -> forbidden"]
    assert [locale.locale for locale in report.locales] == ["de", "ru"]
    german, russian = report.locales
    assert german.checked == 3 and russian.entries == []
    assert [(e.msgid, e.reviewed, e.breaks) for e in german.entries] == [
        (GERMAN[0][0], True, True),
        (GERMAN[1][0], False, False),
    ]
    broken = report.broken[0]
    assert broken.path == str(path) and broken.line > 0
    # The line points into the entry (its comments or its msgid), for an editor to jump to.
    lines = path.read_text(encoding="utf-8").splitlines()
    assert f'msgid "{GERMAN[0][0]}"' in lines[broken.line - 1 : broken.line + 3]
    assert {v.kind for v in broken.new_violations} == {"forbidden"}  # one verdict per occurrence, naming its source
    assert report.to_dict()["broken"] == 1


def test_impact_of_a_harmless_change_breaks_nothing(review: GlossaryReview, tmp_path: Path) -> None:
    catalogs = tmp_path / "locales"
    write_catalog(catalogs, "de", GERMAN)
    review.propose("karabakh", "de", "Bergkarabach", "preferred", "Duden", by="alice")
    _, plan = review.preview("P1")
    report = glossary_impact(plan.after, catalogs, plan.before)
    assert report.broken == []
    assert [e.msgid for e in report.affected] == [GERMAN[0][0], GERMAN[1][0]]


def test_impact_without_baseline_audits_every_reviewed_entry(tmp_path: Path) -> None:
    catalogs = tmp_path / "locales"
    write_catalog(catalogs, "de", [("Yerevan said so.", "Jerewan sagte das.", False), *GERMAN])
    write_catalog(catalogs, "es", [("Karabakh.", "Karabaj.", False)])
    report = glossary_impact(load_glossary(SMALL), catalogs, None)
    assert [(e.msgid, sorted(v.kind for v in e.new_violations)) for e in report.broken] == [
        ("Yerevan said so.", ["deprecated"])
    ]
    assert report.skipped == [(str(catalogs / "es" / "LC_MESSAGES" / "article.po"), "the glossary has no locale 'es'")]


def test_impact_needs_a_catalog_folder(tmp_path: Path) -> None:
    with pytest.raises(ImpactError):
        glossary_impact(load_glossary(SMALL), tmp_path / "missing", None)


def test_glossary_package_never_imports_the_pipeline() -> None:
    code = (
        "import sys, glossary.review.workflow, glossary.review.history, glossary.review.semantic_diff, glossary.edit.yaml_edit\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in {'translate', 'argostranslate', 'ctranslate2'}]\n"
        "assert not bad, bad\n"
    )
    root = Path(__file__).resolve().parents[3]
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)
