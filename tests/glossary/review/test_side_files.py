"""The proposals and history files: read by libyaml, rewritten keeping the text of unchanged records."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml as pyyaml
from ruamel.yaml import YAML

from conftest import Clock
from glossary.review.history import history_path, read_history
from glossary.review.proposals import proposals_path
from glossary.review.side_files import dump_side_list, read_side_list
from glossary.review.workflow import GlossaryReview

DATA = Path(__file__).resolve().parents[2] / "data"
SMALL = DATA / "glossary" / "small.yaml"
HEADER = "# a side file of {name}\n"



@pytest.fixture
def review(tmp_path: Path) -> GlossaryReview:
    path = tmp_path / "g.yaml"
    shutil.copyfile(SMALL, path)
    return GlossaryReview(path, clock=Clock())


def _edits(review: GlossaryReview, rounds: int) -> None:
    done = len(review.proposals())
    for k in range(done, done + rounds):
        proposal, _ = review.propose("karabakh", "de", f"Karabach {k}", "admitted", reason=f"round {k}", by="ann")
        if k % 3 == 2:
            review.reject(proposal.id, reason="no", by="bob")
        else:
            review.approve(proposal.id, by="bob", reason="ok")


def _ruamel(path: Path) -> object:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def test_a_rewrite_keeps_every_earlier_record_and_writes_what_a_whole_dump_writes(review: GlossaryReview) -> None:
    _edits(review, 4)
    for path, key in ((history_path(review.glossary_path), "events"), (proposals_path(review.glossary_path), "proposals")):
        before = path.read_text(encoding="utf-8")
        _edits(review, 1)
        after = path.read_text(encoding="utf-8")
        read = read_side_list(path, key)
        assert read.starts is not None  # the layout this module writes takes the splicing path
        # Every record already written keeps its text: history only grows at the end.
        if key == "events":
            assert after.startswith(before)
        # And the text is the one a dump of the whole list gives.
        assert after == dump_side_list(_header(after), "g.yaml", key, read.items)


def _header(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if line.startswith("#")).replace("g.yaml", "{name}")


def test_the_files_read_alike_in_yaml_1_1_and_1_2_and_hold_no_aliases(review: GlossaryReview) -> None:
    # The curated German karabakh renderings have forms: an approval's record holds
    # them before and after, which an alias used to tie together; a reason of "no"
    # is false to a YAML 1.1 reader unless quoted.
    _edits(review, 3)
    for path in (history_path(review.glossary_path), proposals_path(review.glossary_path)):
        text = path.read_text(encoding="utf-8")
        assert "&id" not in text and "*id" not in text
        assert pyyaml.safe_load(text) == _ruamel(path)
    assert [e.reason for e in read_history(review.glossary_path) if e.event == "rejected"] == ["no"]


@pytest.mark.parametrize(
    "text",
    [
        # A comment between records and at the end is kept.
        "glossary: g.yaml\nitems:\n  - a: 1\n  # note\n  - a: 2\n# end\n",
        # Flow style, another indentation, a key after the list, an end marker, CRLF.
        "glossary: g.yaml\nitems: [{a: 1}, {a: 2}]\n",
        "glossary: g.yaml\nitems:\n- a: 1\n- a: 2\n",
        "glossary: g.yaml\nitems:\n  - a: 1\n  - a: 2\nother: x\n",
        "glossary: g.yaml\nitems:\n  - a: 1\n  - a: 2\n...\n",
        "glossary: g.yaml\r\nitems:\r\n  - a: 1\r\n  - a: 2\r\n",
        # Another glossary's name, and a value only ruamel reads.
        "glossary: other.yaml\nitems:\n  - a: 1\n  - a: 2\n",
        "glossary: g.yaml\nitems:\n  - a: yes\n  - a: 2\n",
        # A block scalar whose last lines look like a comment and a blank line.
        "glossary: g.yaml\nitems:\n  - a: 1\n    b: |+\n      line\n      # not a comment\n\n  - a: 2\n",
    ],
)
def test_a_rewrite_of_any_layout_holds_exactly_the_records(tmp_path: Path, text: str) -> None:
    path = tmp_path / "g.items.yaml"
    path.write_bytes(text.encode("utf-8"))
    read = read_side_list(path, "items")
    changed = [{**read.items[0], "a": 10}, read.items[1], {"a": 3, "b": "no"}]
    out = dump_side_list(HEADER, "g.yaml", "items", changed, read)
    assert YAML(typ="safe", pure=True).load(out) == {"glossary": "g.yaml", "items": changed}
    assert pyyaml.safe_load(out) == {"glossary": "g.yaml", "items": changed}
    if "# note" in text:
        assert "# note" in out and "# end" in out
    assert "\n      # not a comment\n" not in out  # the record was rewritten, its lines with it


def test_a_thousand_earlier_records_are_read_by_libyaml_not_reparsed_by_ruamel(review: GlossaryReview) -> None:
    _edits(review, 2)
    path = history_path(review.glossary_path)
    text = path.read_text(encoding="utf-8")
    head, records = text.split("events:\n", 1)
    path.write_text(head + "events:\n" + records * 500, encoding="utf-8")
    read = read_side_list(path, "events")
    assert len(read.items) == 500 * 4 and read.starts is not None
    _edits(review, 1)
    after = path.read_text(encoding="utf-8")
    assert after.startswith(head + "events:\n" + records * 500)
    assert len(_ruamel(path)["events"]) == 500 * 4 + 2  # type: ignore[index]


def test_reject_keeps_the_line_endings_and_bom_of_the_side_files(review: GlossaryReview) -> None:
    _edits(review, 1)
    paths = (history_path(review.glossary_path), proposals_path(review.glossary_path))
    for path in paths:
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    proposal, _ = review.propose("karabakh", "de", "Karabach later", "admitted", reason="r", by="ann")
    review.reject(proposal.id, reason="not now", by="bob")
    for path in paths:
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == data.count(b"\n")
    assert [e.event for e in read_history(review.glossary_path)][-2:] == ["proposed", "rejected"]
