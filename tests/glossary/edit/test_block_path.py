"""The applier's block path gives exactly the text editing the whole document gives, or steps aside."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from glossary.edit.apply import _apply_blocks, apply_edits
from glossary.edit.plan import rendering_edit
from glossary.edit.records import Change
from glossary.edit.yaml_write import concept_to_mapping, rendering_to_mapping
from glossary.termbase.load import default_glossary_path, load_glossary_text
from glossary.termbase.model import Glossary, Status

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "tests" / "data"


def _generated(tmp_path: Path) -> str:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from glossary_edits import big_glossary  # the benchmark's generated termbases
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    target = tmp_path / "generated.yaml"
    big_glossary(target, 120)
    return target.read_text(encoding="utf-8")


def _new_renderings(g: Glossary) -> list[Change]:
    locale = g.locales[-1]
    return [rendering_edit(g, cid, locale, f"Neues Wort {n}", Status.ADMITTED) for n, cid in enumerate(g.concepts)]


def _new_preferred_with_forms(g: Glossary) -> list[Change]:
    locale = next(loc for loc in g.locales if loc != g.source)
    return [rendering_edit(g, cid, locale, "Erstwahl", Status.PREFERRED, ("Erstwahls",)) for cid in g.concepts]


def _status_and_forms_of_existing(g: Glossary) -> list[Change]:
    changes = []
    for cid, concept in g.concepts.items():
        for locale, renderings in concept.terms.items():
            if locale != g.source and renderings:
                last = renderings[-1]
                status = Status.DEPRECATED if last.status is not Status.DEPRECATED else Status.ADMITTED
                changes.append(rendering_edit(g, cid, locale, last.text, status, (*last.forms, last.text + "x")))
                break
    return changes


def _notes(g: Glossary) -> list[Change]:
    return [Change(cid, None, "note", c.note, c.note + " Reviewed.") for cid, c in g.concepts.items()]


def _subjects(g: Glossary) -> list[Change]:
    return [Change(cid, None, "subject", c.subject, None if c.subject else "Geography") for cid, c in g.concepts.items()]


def _first_mentions_removed(g: Glossary) -> list[Change]:
    return [Change(cid, loc, "first_mention", text, None)
            for cid, c in g.concepts.items() for loc, text in c.first_mention.items()]


def _renderings_dropped(g: Glossary) -> list[Change]:
    changes = []
    for cid, concept in g.concepts.items():
        for locale, renderings in concept.terms.items():
            if locale != g.source and len(renderings) > 1:
                old = [rendering_to_mapping(r) for r in renderings]
                changes.append(Change(cid, locale, "renderings", old, old[1:]))
                break
    return changes


def _concepts_replaced(g: Glossary) -> list[Change]:
    changes = []
    for cid, concept in list(g.concepts.items())[::3]:
        old = concept_to_mapping(concept)
        changes.append(Change(cid, None, "concept", old, {**old, "definition": "Replaced."}))
    return changes


def _mixed_on_one_concept(g: Glossary) -> list[Change]:
    cid, concept = list(g.concepts.items())[-1]
    locale = g.locales[-1]
    return [Change(cid, None, "note", concept.note, "First."),
            rendering_edit(g, cid, locale, "Spät", Status.ADMITTED),
            Change(cid, None, "note", "First.", "Second.")]


EDITS: dict[str, Callable[[Glossary], list[Change]]] = {
    "new renderings": _new_renderings,
    "new preferred with forms": _new_preferred_with_forms,
    "status and forms of existing": _status_and_forms_of_existing,
    "notes": _notes,
    "subjects": _subjects,
    "first mentions removed": _first_mentions_removed,
    "renderings dropped": _renderings_dropped,
    "concepts replaced": _concepts_replaced,
    "mixed on one concept": _mixed_on_one_concept,
}

FILES: dict[str, Callable[[Path], str]] = {
    "curated": lambda _: default_glossary_path().read_text(encoding="utf-8"),
    "commented": lambda _: (DATA / "review" / "commented.yaml").read_text(encoding="utf-8"),
    "small": lambda _: (DATA / "glossary" / "small.yaml").read_text(encoding="utf-8"),
    "generated": _generated,
}


@pytest.mark.parametrize("edit", list(EDITS))
@pytest.mark.parametrize("file", list(FILES))
def test_block_path_writes_what_editing_the_whole_document_writes(file: str, edit: str, tmp_path: Path) -> None:
    text = FILES[file](tmp_path)
    glossary = load_glossary_text(text, "g.yaml")
    changes = EDITS[edit](glossary)
    if not changes:
        pytest.skip(f"{file} has nothing to edit this way")
    whole = apply_edits(text, "g.yaml", changes, whole=True)
    fast = _apply_blocks(text, "g.yaml", changes, lambda value: value.encode("utf-8"), glossary)
    assert fast is not None, "the block path steps aside on a clean file"
    assert fast.text == whole.text
    assert fast.glossary == whole.glossary
    assert apply_edits(text, "g.yaml", changes, before=glossary).text == whole.text


SMALL = (DATA / "glossary" / "small.yaml").read_text(encoding="utf-8")
FIRST = SMALL.index("  - id: ")


def _flow_concept(text: str) -> str:
    # The last concept written as one flow mapping.
    last = text.rindex("  - id: ")
    glossary = load_glossary_text(text, "g.yaml")
    concept = list(glossary.concepts.values())[-1]
    terms = ", ".join(f"{loc}: [" + ", ".join(f"{{text: {r.text}, status: {r.status.value}}}" for r in rs) + "]"
                      for loc, rs in concept.terms.items())
    flow = (f"  - {{id: {concept.id}, policy: {concept.policy.value}, quotation: {concept.quotation.value}, "
            f"definition: {concept.definition!r}, note: {concept.note!r}, terms: {{{terms}}}}}\n")
    return text[:last] + flow


@pytest.mark.parametrize(
    ("case", "make_text", "make_changes"),
    [
        ("locales changed", lambda t: t,
         lambda g: [Change(None, None, "locales", list(g.locales), [*g.locales[1:], g.locales[0]])]),
        ("concept added", lambda t: t,
         lambda g: [Change("new-one", None, "concept", None,
                           {**concept_to_mapping(next(iter(g.concepts.values()))), "id": "new-one"})]),
        ("concept removed", lambda t: t,
         lambda g: [Change(cid, None, "concept", concept_to_mapping(g.concepts[cid]), None)
                    for cid in list(g.concepts)[1:2]]),
        ("flow-style concept", _flow_concept,
         lambda g: [Change(cid, None, "note", c.note, "New.") for cid, c in list(g.concepts.items())[-1:]]),
        ("key after the concepts", lambda t: t + "mentions:\n  - which {who} call {term}\n",
         lambda g: [Change(cid, None, "note", c.note, "New.") for cid, c in list(g.concepts.items())[-1:]]),
        ("concept not on its dash line", lambda t: t[:FIRST] + "  -\n    id: " + t[FIRST + len("  - id: "):],
         lambda g: [Change(cid, None, "note", c.note, "New.") for cid, c in list(g.concepts.items())[:1]]),
    ],
)
def test_block_path_steps_aside_where_it_cannot_be_sure(case: str, make_text: Callable[[str], str],
                                                         make_changes: Callable[[Glossary], list[Change]]) -> None:
    text = make_text(SMALL)
    glossary = load_glossary_text(text, "g.yaml")
    changes = make_changes(glossary)
    assert _apply_blocks(text, "g.yaml", changes, lambda value: value.encode("utf-8"), glossary) is None, case
    assert apply_edits(text, "g.yaml", changes, before=glossary).text == apply_edits(
        text, "g.yaml", changes, whole=True).text
