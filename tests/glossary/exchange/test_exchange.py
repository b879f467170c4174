"""Exchange formats: TBX, CSV (DeepL, Amazon), PO; YAML writing; applying changes."""

from __future__ import annotations

import dataclasses
import difflib
import shutil
import subprocess
from pathlib import Path
from typing import Any

import polib
import pytest
from hypothesis import HealthCheck, example, given, settings
from strategies import glossaries

from glossary import GlossaryInvalid, load_glossary
from glossary.edit.changes import (
    ApplyConflict,
    Change,
    ExchangeError,
    ExchangeInvalid,
    apply_changes,
    edits_between,
    value_of,
)
from glossary.edit.yaml_write import dump_glossary, load_glossary_text
from glossary.exchange.csvx import amazon_code, export_csv, import_csv
from glossary.exchange.po import export_po, import_po, po_path, write_po
from glossary.exchange.tbx.reader import import_tbx
from glossary.exchange.tbx.writer import export_tbx
from glossary.termbase.model import Concept, Glossary, Policy, Quotation, Rendering, Status

# Every edit these tests make is checked against editing the whole document.
pytestmark = pytest.mark.usefixtures("same_as_whole_file")

DATA = Path(__file__).resolve().parents[2] / "data" / "exchange"
FIXTURE = DATA / "glossary.yaml"

HISTORY = [
    {"concept": "karabakh", "locale": "pt_BR", "by": "ana", "when": "2024-05-01T10:00:00Z",
     "action": "set-status", "reason": "Brazilian desk <review> & \"sign-off\""},
    {"concept": "2020-war", "locale": None, "by": "bo", "when": "2024-05-02T08:30:00Z",
     "action": "add", "reason": None},
    {"concept": "karabakh", "locale": None, "by": "cy", "when": "2024-06-01T00:00:00Z",
     "action": "edit-note", "reason": "𝔘nicode reason"},
]


def comparable(glossary: Glossary) -> tuple[Any, ...]:
    """Everything TBX carries: the glossary without file positions, path and digest."""
    concepts = {
        concept_id: dataclasses.replace(
            concept,
            line=None,
            terms={
                locale: tuple(dataclasses.replace(r, line=None) for r in renderings)
                for locale, renderings in concept.terms.items()
            },
        )
        for concept_id, concept in glossary.concepts.items()
    }
    return glossary.source, glossary.locales, list(concepts), concepts


def curated() -> Glossary:
    try:
        return load_glossary()
    except GlossaryInvalid as error:  # still being written by its editors
        pytest.skip(f"the curated glossary does not load yet: {str(error).splitlines()[0]}")


@pytest.fixture
def glossary() -> Glossary:
    return load_glossary(FIXTURE)


@pytest.fixture
def yaml_copy(tmp_path: Path) -> Path:
    target = tmp_path / "glossary.yaml"
    shutil.copyfile(FIXTURE, target)
    return target


# ---------------------------------------------------------------- YAML writing


@pytest.mark.parametrize("source", ["fixture", "curated"], ids=["fixture", "curated"])
def test_dump_glossary_loads_back_equal(source: str) -> None:
    original = load_glossary(FIXTURE) if source == "fixture" else curated()
    again = load_glossary_text(dump_glossary(original), "dumped.yaml")
    assert comparable(again) == comparable(original)


def test_dump_glossary_separates_concepts_and_uses_flow_lists(glossary: Glossary) -> None:
    text = dump_glossary(glossary)
    assert "locales: [en, de, pt_BR, ru, tr]" in text
    assert "forms: [Karabachs]" in text
    assert "\n\n  - id: artsakh\n" in text
    assert text.count("\n\n  - id: ") == len(glossary.concepts) - 1


# ---------------------------------------------------------------- TBX


def test_tbx_round_trip_fixture_with_history(glossary: Glossary) -> None:
    imported, history = import_tbx(export_tbx(glossary, HISTORY), "x.tbx")
    assert comparable(imported) == comparable(glossary)
    assert history == HISTORY


def test_tbx_round_trip_curated() -> None:
    original = curated()
    imported, history = import_tbx(export_tbx(original), "curated.tbx")
    assert comparable(imported) == comparable(original)
    assert history == []


def test_tbx_field_mapping(glossary: Glossary) -> None:
    text = export_tbx(glossary).decode("utf-8")
    assert '<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">' in text
    assert '<p type="locales">en de pt-BR ru tr</p>' in text
    assert '<langSec xml:lang="pt-BR">' in text
    assert '<conceptEntry id="_2020-war">' in text  # an XML ID cannot start with a digit
    forbidden = text.split("<term>Artsakh</term>")[2].split("</termSec>")[0]
    assert "deprecatedTerm-admn-sts" in forbidden
    assert '<termNote type="termguardStatus">forbidden</termNote>' in forbidden
    assert '<admin type="termguardUseInstead">karabakh</admin>' in text
    assert '<descrip type="termguardFirstMention">Karabach (Bergkarabach)</descrip>' in text
    assert '<termNote type="termguardStem">Карабах</termNote>' in text
    assert '<termNote type="termguardStemMax">3</termNote>' in text


def test_tbx_reads_superseded_as_deprecated_and_plain_doctype() -> None:
    data = b"""<?xml version="1.0"?>
<!DOCTYPE tbx SYSTEM "http://127.0.0.1:9/TBXcoreStructV03.dtd">
<tbx xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>
<conceptEntry id="c1"><descrip type="definition">D.</descrip><note>N.</note>
<langSec xml:lang="en"><termSec><term>Karabakh</term>
<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
<termSec><term>Karabagh</term>
<termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></termSec></langSec>
</conceptEntry></body></text></tbx>"""
    imported, _ = import_tbx(data, "plain.tbx")
    concept = imported.concepts["c1"]
    assert concept.policy is Policy.ENFORCE and concept.quotation is Quotation.EXEMPT
    assert [r.status for r in concept.terms["en"]] == [Status.PREFERRED, Status.DEPRECATED]
    assert imported.locales == ("en",)


BAD_TBX = [
    ("unknown_status.tbx", [(18, "unknown administrativeStatus 'forbiddenTerm-admn-sts'")]),
    ("missing_source.tbx", [(6, "has no term in the source language en")]),
    ("unknown_language.tbx", [(14, "unknown language 'zz-Qq'"), (20, "has no xml:lang")]),
    ("entity.tbx", [(3, "DOCTYPE with entity declarations is not allowed")]),
    ("billion_laughs.tbx", [(3, "DOCTYPE with entity declarations is not allowed")]),
    ("external_entity.tbx", [(3, "DOCTYPE with entity declarations is not allowed")]),
    ("martif.tbx", [(2, "TBX v2 (martif)")]),
]


@pytest.mark.parametrize("name,expected", BAD_TBX, ids=[case[0] for case in BAD_TBX])
def test_bad_tbx_one_problem_each(name: str, expected: list[tuple[int, str]]) -> None:
    path = DATA / name
    with pytest.raises(ExchangeInvalid) as caught:
        import_tbx(path.read_bytes(), str(path))
    problems = caught.value.problems
    assert [(p.line, p.path) for p in problems] == [(line, str(path)) for line, _ in expected]
    for problem, (_, text) in zip(problems, expected):
        assert text in problem.message
    assert "/etc/passwd" not in str(caught.value) or name == "external_entity.tbx"


def test_tbx_not_xml_reports_position() -> None:
    with pytest.raises(ExchangeInvalid) as caught:
        import_tbx(b"<tbx>\n<text>\n</tbx>", "broken.tbx")
    (problem,) = caught.value.problems
    assert problem.line == 3 and "not well-formed XML" in problem.message


def test_tbx_cross_field_rules_of_the_yaml_apply(glossary: Glossary) -> None:
    text = export_tbx(glossary).decode("utf-8")
    broken = text.replace('<admin type="termguardUseInstead">karabakh</admin>',
                          '<admin type="termguardUseInstead">nowhere</admin>')
    with pytest.raises(ExchangeInvalid) as caught:
        import_tbx(broken.encode("utf-8"), "x.tbx")
    assert any("unknown concept 'nowhere'" in p.message for p in caught.value.problems)


def test_tbx_export_refuses_characters_xml_cannot_carry(glossary: Glossary) -> None:
    concept = glossary.concepts["armenia"]
    bad = dataclasses.replace(concept, note="bell \x07 here")
    with pytest.raises(ExchangeInvalid, match="U\\+0007"):
        export_tbx(dataclasses.replace(glossary, concepts={**glossary.concepts, "armenia": bad}))


def test_tbx_export_refuses_history_of_unknown_concept(glossary: Glossary) -> None:
    with pytest.raises(ExchangeInvalid, match="unknown concept 'atlantis'"):
        export_tbx(glossary, [{"concept": "atlantis", "when": "2024-01-01T00:00:00Z"}])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(Glossary(source="en", locales=("en",), concepts={"a": Concept(
    id="a", subject=None, policy=Policy.ENFORCE, quotation=Quotation.EXEMPT, use_instead=None,
    definition="d", note="n", first_mention={},
    terms={"en": (Rendering("x", Status.PREFERRED, forms=("?0", "? y", "a, b")),)})}))
@given(glossaries())
def test_tbx_and_yaml_round_trip_generated(generated: Glossary) -> None:
    loaded = load_glossary_text(dump_glossary(generated), "generated.yaml")
    assert comparable(loaded) == comparable(generated)
    imported, history = import_tbx(export_tbx(loaded), "generated.tbx")
    assert comparable(imported) == comparable(loaded)
    assert history == []


# ---------------------------------------------------------------- CSV


def test_csv_deepl_rows(glossary: Glossary) -> None:
    text = export_csv(glossary, "de")
    assert text.splitlines() == [
        "Karabakh,Karabach",
        "Artsakh,Arzach",
        "2020 war,Krieg von 2020",
        "Karabagh,Karabach",
    ]


def test_csv_amazon_header_uses_amazon_codes(glossary: Glossary) -> None:
    text = export_csv(glossary, "pt_BR", shape="amazon")
    assert text.splitlines() == ["en,pt", "Armenia,Armênia"]
    assert amazon_code("pt_PT") == "pt-PT" and amazon_code("de") == "de"


def test_csv_quotes_commas_and_quotes(glossary: Glossary) -> None:
    concept = glossary.concepts["armenia"]
    renamed = dataclasses.replace(concept, terms={**concept.terms, "tr": (Rendering('Ermenistan, "Cumhuriyeti"', Status.PREFERRED),)})
    special = dataclasses.replace(glossary, concepts={**glossary.concepts, "armenia": renamed})
    text = export_csv(special, "tr")
    assert 'Armenia,"Ermenistan, ""Cumhuriyeti"""' in text
    assert import_csv(text.encode(), special, "tr") == []


@pytest.mark.parametrize("shape", ["deepl", "amazon"], ids=["deepl", "amazon"])
def test_csv_round_trip_has_no_changes(glossary: Glossary, shape: str) -> None:
    text = export_csv(glossary, "de", shape=shape)  # type: ignore[arg-type]
    assert import_csv(text.encode("utf-8"), glossary, "de", shape) == []  # type: ignore[arg-type]


def test_csv_changed_target_is_a_proposed_change(glossary: Glossary) -> None:
    text = export_csv(glossary, "de").replace("Karabakh,Karabach", "Karabakh,Bergkarabach")
    text = text.replace("Karabagh,Karabach", "Karabagh,Bergkarabach")
    changes = import_csv(text.encode("utf-8"), glossary, "de", "deepl")
    assert changes == [Change("karabakh", "de", "preferred", "Karabach", "Bergkarabach")]
    assert "becomes admitted" in changes[0].describe()


BAD_CSV = [
    ("wrong_columns.csv", "deepl", [(2, "3 columns"), (3, "1 column")]),
    ("latin1.csv", "deepl", [(2, "not valid UTF-8")]),
    ("unknown_term.csv", "deepl", [(2, "'Shangri-La' is not a source term")]),
    ("amazon_wrong_pair.csv", "amazon", [(1, "is not the pair en,de")]),
]


@pytest.mark.parametrize("name,shape,expected", BAD_CSV, ids=[case[0] for case in BAD_CSV])
def test_bad_csv_one_problem_per_line(glossary: Glossary, name: str, shape: str, expected: list[tuple[int, str]]) -> None:
    path = DATA / name
    with pytest.raises(ExchangeInvalid) as caught:
        import_csv(path.read_bytes(), glossary, "de", shape, str(path))  # type: ignore[arg-type]
    problems = caught.value.problems
    assert [p.line for p in problems] == [line for line, _ in expected]
    for problem, (_, text) in zip(problems, expected):
        assert text in problem.message and problem.path == str(path)


def test_csv_conflicting_rows_for_one_concept(glossary: Glossary) -> None:
    with pytest.raises(ExchangeInvalid, match="conflicts with 'Karabach' on line 1"):
        import_csv(b"Karabakh,Karabach\nKarabagh,Bergkarabach\n", glossary, "de", "deepl")


def test_csv_refuses_source_locale_and_unknown_shape(glossary: Glossary) -> None:
    with pytest.raises(ExchangeError, match="source locale"):
        export_csv(glossary, "en")
    with pytest.raises(ExchangeError, match="unknown CSV shape"):
        export_csv(glossary, "de", shape="systran")  # type: ignore[arg-type]


# ---------------------------------------------------------------- PO


def test_po_export_entries_and_comments(glossary: Glossary, tmp_path: Path) -> None:
    po = export_po(glossary, "de")
    assert po.metadata["Language"] == "de"
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    entries = {entry.msgctxt: entry for entry in po}
    assert list(entries) == ["karabakh", "artsakh", "armenia", "2020-war"]
    karabakh = entries["karabakh"]
    assert (karabakh.msgid, karabakh.msgstr) == ("Karabakh", "Karabach")
    assert "definition: The region in the South Caucasus" in karabakh.comment
    assert "admitted: Bergkarabach" in karabakh.comment
    assert "first mention: Karabach (Bergkarabach)" in karabakh.comment
    assert "forbidden: Artsakh - English spelling; never in German copy." in entries["artsakh"].comment
    assert entries["armenia"].msgstr == ""
    path = write_po(po, po_path(tmp_path / "locales", "de"))
    assert path == tmp_path / "locales" / "de" / "LC_MESSAGES" / "glossary.po"
    if shutil.which("msgfmt"):
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert "warning" not in result.stderr


def _write_po(tmp_path: Path, glossary: Glossary, locale: str, edit: dict[str, str], fuzzy: tuple[str, ...] = ()) -> Path:
    po = export_po(glossary, locale)
    for entry in po:
        if entry.msgctxt in edit:
            entry.msgstr = edit[entry.msgctxt]
        if entry.msgctxt in fuzzy:
            entry.flags.append("fuzzy")
    return write_po(po, po_path(tmp_path, locale))


def test_po_import_proposes_changed_msgstr_and_skips_fuzzy(glossary: Glossary, tmp_path: Path) -> None:
    path = _write_po(tmp_path, glossary, "pt_BR", {"armenia": "Arménia", "karabakh": "Carabaque"}, fuzzy=("karabakh",))
    changes = import_po(path, glossary)
    assert changes == [Change("armenia", "pt_BR", "preferred", "Armênia", "Arménia")]
    assert len(changes.notes) == 1 and "fuzzy entry 'karabakh' skipped" in changes.notes[0]


def test_po_unknown_msgctxt_is_a_problem(glossary: Glossary) -> None:
    path = DATA / "unknown_msgctxt.po"
    with pytest.raises(ExchangeInvalid) as caught:
        import_po(path, glossary)
    (problem,) = caught.value.problems
    assert problem.line == 10 and "msgctxt 'atlantis' names no concept" in problem.message


def test_po_language_must_match(glossary: Glossary, tmp_path: Path) -> None:
    path = _write_po(tmp_path, glossary, "de", {})
    with pytest.raises(ExchangeInvalid, match="for locale de, not ru"):
        import_po(path, glossary, "ru")


def test_po_not_utf8(glossary: Glossary, tmp_path: Path) -> None:
    path = tmp_path / "latin1.po"
    path.write_bytes('msgid ""\nmsgstr ""\n"Language: de\\n"\n\nmsgctxt "karabakh"\nmsgid "Karabakh"\nmsgstr "Karabäch"\n'.encode("latin-1"))
    with pytest.raises(ExchangeInvalid, match="not valid UTF-8"):
        import_po(path, glossary)


# ---------------------------------------------------------------- applying changes


def test_apply_po_change_keeps_everything_else(glossary: Glossary, yaml_copy: Path, tmp_path: Path) -> None:
    before = yaml_copy.read_text(encoding="utf-8")
    path = _write_po(tmp_path, glossary, "de", {"karabakh": "Bergkarabach", "2020-war": "Krieg 2020"})
    changes = import_po(path, glossary)
    apply_changes(yaml_copy, changes)
    after = yaml_copy.read_text(encoding="utf-8")
    updated = load_glossary(yaml_copy)
    assert [(r.text, r.status) for r in updated.renderings("karabakh", "de")] == [
        ("Karabach", Status.ADMITTED), ("Bergkarabach", Status.PREFERRED)]
    assert [(r.text, r.status) for r in updated.renderings("2020-war", "de")] == [
        ("Krieg 2020", Status.PREFERRED), ("Krieg von 2020", Status.ADMITTED)]
    assert "  - id: karabakh            # the region\n" in after
    assert after.startswith("# Exchange test glossary: every field the YAML format has.\n")
    diff = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    # Only the touched lines: two status swaps in karabakh, one new rendering
    # (two lines) and one demotion in 2020-war.
    assert len(diff) == 8, diff
    assert all(line[1:].strip().startswith(("status:", "- text:")) for line in diff), diff
    assert sum(line.startswith("+") for line in diff) == 5


def test_apply_new_locale_goes_in_locales_order(yaml_copy: Path) -> None:
    apply_changes(yaml_copy, [Change("armenia", "de", "preferred", None, "Armenien")])
    text = yaml_copy.read_text(encoding="utf-8")
    section = text.split("  - id: armenia")[1]
    assert section.index("de:") < section.index("pt_BR:")
    assert load_glossary(yaml_copy).preferred("armenia", "de").text == "Armenien"  # type: ignore[union-attr]


def test_apply_at_the_tail_of_a_concept_keeps_the_blank_line(yaml_copy: Path) -> None:
    apply_changes(yaml_copy, [Change("armenia", "ru", "preferred", None, "Армения")])
    text = yaml_copy.read_text(encoding="utf-8")
    assert "          status: preferred\n\n  - id: 2020-war" in text
    assert "\n\n      ru:" not in text


def test_apply_refuses_stale_changes(yaml_copy: Path) -> None:
    before = yaml_copy.read_bytes()
    with pytest.raises(ApplyConflict, match="run the import again"):
        apply_changes(yaml_copy, [Change("karabakh", "de", "preferred", "Karabachh", "Bergkarabach")])
    assert yaml_copy.read_bytes() == before


def test_apply_refuses_a_change_that_breaks_the_glossary(yaml_copy: Path) -> None:
    before = yaml_copy.read_bytes()
    with pytest.raises(GlossaryInvalid, match="unknown concept 'nowhere'"):
        apply_changes(yaml_copy, [Change("artsakh", None, "use_instead", "karabakh", "nowhere")])
    assert yaml_copy.read_bytes() == before
    assert not [p for p in yaml_copy.parent.iterdir() if p.name.endswith(".tmp")]


def test_tbx_edit_applied_to_yaml_gives_the_imported_glossary(glossary: Glossary, yaml_copy: Path) -> None:
    text = export_tbx(glossary).decode("utf-8")
    text = text.replace("<note>Brazilian spelling in pt_BR.</note>", "<note>Brazilian spelling.</note>")
    text = text.replace('<descrip type="subjectField">event</descrip>', "")
    text = text.replace("<term>Bergkarabach</term>", "<term>Berg-Karabach</term>")
    imported, _ = import_tbx(text.encode("utf-8"), "edited.tbx")
    changes = edits_between(glossary, imported)
    assert [(c.concept, c.locale, c.field) for c in changes] == [
        ("karabakh", "de", "renderings"), ("armenia", None, "note"), ("2020-war", None, "subject")]
    apply_changes(yaml_copy, changes)
    assert comparable(load_glossary(yaml_copy)) == comparable(imported)


def test_apply_adds_and_removes_concepts(glossary: Glossary, yaml_copy: Path) -> None:
    new = value_of(glossary, "armenia", None, "concept")
    new["id"] = "armenia-2"
    apply_changes(yaml_copy, [
        Change("armenia-2", None, "concept", None, new),
        Change("2020-war", None, "concept", value_of(glossary, "2020-war", None, "concept"), None),
    ])
    updated = load_glossary(yaml_copy)
    assert list(updated.concepts) == ["karabakh", "artsakh", "armenia", "armenia-2"]
    assert "\n\n  - id: armenia-2\n" in yaml_copy.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "change,text",
    [
        (Change("karabakh", "de", "preferred", "Karabach", "Bergkarabach"),
         "karabakh [de]: preferred rendering: 'Karabach' -> 'Bergkarabach' ('Karabach' becomes admitted)"),
        (Change("armenia", None, "note", "old", None), "armenia: note: 'old' -> (none)"),
        (Change(None, None, "locales", ["en"], ["en", "de"]), "glossary: locales: [en] -> [en, de]"),
    ],
    ids=["preferred", "scalar", "top-level"],
)
def test_change_describe(change: Change, text: str) -> None:
    assert change.describe() == text
    assert change.to_json()["description"] == text


def test_po_round_trip_on_polib_file(glossary: Glossary) -> None:
    po = polib.pofile(str(export_po(glossary, "ru")))
    assert [entry.msgctxt for entry in po] == ["karabakh", "artsakh", "armenia", "2020-war"]
