"""One glossary diff: the review entries and the import's edit records come from one comparison."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest

from glossary import load_glossary
from glossary.edit.changes import apply_changes, edits_between
from glossary.review.semantic_diff import ORDER_CHANGED, diff_glossaries, touched_concepts
from glossary.termbase.model import Glossary

SMALL = Path(__file__).resolve().parents[2] / "data" / "glossary" / "small.yaml"

DE_RENDERINGS = """\
      de:
        - text: Karabach
          status: preferred
          forms: [Karabachs]
        - text: Bergkarabach
          status: admitted
          forms: [Bergkarabachs]
"""
DE_SWAPPED = """\
      de:
        - text: Bergkarabach
          status: admitted
          forms: [Bergkarabachs]
        - text: Karabach
          status: preferred
          forms: [Karabachs]
"""

# Each case: (old text, new text), and the (concept, locale, field) of every edit expected.
EDITS = {
    "renderings reordered": ((DE_RENDERINGS, DE_SWAPPED), [("karabakh", "de", "renderings")]),
    "locales reordered": (("locales: [en, de, fr,", "locales: [en, fr, de,"), [(None, None, "locales")]),
    "note": (("note: Use the neutral geographic name;", "note: Prefer the neutral geographic name;"),
             [("karabakh", None, "note")]),
    "first mention": (("first_mention:\n      de: Karabach", "first_mention:\n      de: Bergkarabach"),
                      [("karabakh", "de", "first_mention")]),
    "stem_max": (("stem: Карабах\n          stem_max: 3", "stem: Карабах\n          stem_max: 2"),
                 [("karabakh", "ru", "renderings")]),
    "status and forms in one locale": (
        ("        - text: Bergkarabach\n          status: admitted\n          forms: [Bergkarabachs]\n      fr:",
         "        - text: Bergkarabach\n          status: deprecated\n          forms: [Bergkarabachs, Bergkarabache]\n      fr:"),
        [("karabakh", "de", "renderings")]),
}


def _without_places(glossary: Glossary) -> tuple[Any, ...]:
    concepts = {
        cid: dataclasses.replace(c, line=None, terms={
            loc: tuple(dataclasses.replace(r, line=None) for r in rs) for loc, rs in c.terms.items()})
        for cid, c in glossary.concepts.items()
    }
    return glossary.source, glossary.locales, list(concepts), concepts


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = SMALL.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "edited.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize("case", list(EDITS))
def test_the_edits_are_the_diff_and_applying_them_gives_the_new_glossary(case: str, tmp_path: Path) -> None:
    (old_text, new_text), expected = EDITS[case]
    before = load_glossary(SMALL)
    after = load_glossary(_edited(tmp_path, old_text, new_text))
    entries = diff_glossaries(before, after)
    changes = edits_between(before, after)
    assert entries, "the review diff sees the change"
    assert [(c.concept, c.locale, c.field) for c in changes] == expected
    # Every edit's concept and locale is one the review diff names, and the reverse.
    assert {(c.concept, c.locale) for c in changes if c.field == "renderings"} == {
        (e.concept, e.locale) for e in entries if e.locale is not None and e.field != "first_mention"}

    target = tmp_path / "glossary.yaml"
    shutil.copyfile(SMALL, target)
    apply_changes(target, changes, by="tester", reason="test")
    assert _without_places(load_glossary(target)) == _without_places(after)


def test_a_reorder_is_shown_and_edited_but_changes_no_verdict(tmp_path: Path) -> None:
    before = load_glossary(SMALL)
    after = load_glossary(_edited(tmp_path, DE_RENDERINGS, DE_SWAPPED))
    [entry] = diff_glossaries(before, after)
    assert entry.kind == ORDER_CHANGED
    assert not entry.checked
    assert entry.describe() == "~ karabakh/de: renderings reordered: Karabach, Bergkarabach -> Bergkarabach, Karabach"
    assert touched_concepts([entry], before, after) == {}


def test_the_same_glossary_has_no_difference() -> None:
    glossary = load_glossary(SMALL)
    assert diff_glossaries(glossary, glossary) == []
    assert edits_between(glossary, glossary) == []
