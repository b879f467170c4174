"""Places with two names: each source name is answered by its own target name, in every script.

The glossary links each target rendering of a two-name place to the source
name it renders (the rendering's `for`, docs/glossary-format.md); the judge
pairs by that link, not by spelling, so Russian, Armenian and the cipher of
the test language pair as well as German does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary import Status, lint, lint_warnings, load_glossary
from glossary.errors import GlossaryInvalid
from glossary.judge import Judge, Verdict

# Every edit these tests make is checked against editing the whole document.
pytestmark = pytest.mark.usefixtures("same_as_whole_file")

TESTS = Path(__file__).resolve().parents[2]

# locale -> (the Stepanakert name, the Khankendi name, a verb phrase "was quiet")
TOWN = {
    "de": ("Stepanakert", "Chankendi", "war ruhig."),
    "fr": ("Stepanakert", "Khankendi", "était calme."),
    "es": ("Stepanakert", "Jankendi", "estaba tranquila."),
    "pt_BR": ("Stepanakert", "Khankendi", "estava tranquila."),
    "ru": ("Степанакерт", "Ханкенди", "был спокоен."),
    "hy": ("Ստեփանակերտ", "Խանքենդի", "հանգիստ էր։"),
    "tr": ("Stepanakert", "Hankendi", "sakindi."),
    "az": ("Stepanakert", "Xankəndi", "sakit idi."),
}


@pytest.fixture(scope="module")
def curated():  # type: ignore[no-untyped-def]
    return load_glossary()


def verdicts(glossary, locale: str, source: str, target: str) -> list[Verdict]:  # type: ignore[no-untyped-def]
    return [v for v in Judge(glossary, locale).pair(source, target) if v.concept == "stepanakert-khankendi"]


@pytest.mark.parametrize("locale", sorted(TOWN))
def test_the_other_name_does_not_pass_for_this_one(curated, locale: str) -> None:  # type: ignore[no-untyped-def]
    stepanakert, khankendi, rest = TOWN[locale]
    found = verdicts(curated, locale, "Stepanakert was quiet.", f"{khankendi} {rest}")
    assert [(v.kind, v.source, v.found, v.expected) for v in found] == [
        ("mismatch", "Stepanakert", khankendi, [stepanakert])]
    assert found[0].is_error
    assert f"for 'Stepanakert' write {stepanakert}" in found[0].hint
    # And the other way round.
    found = verdicts(curated, locale, "Khankendi was quiet.", f"{stepanakert} {rest}")
    assert [(v.kind, v.source, v.found, v.expected) for v in found] == [
        ("mismatch", "Khankendi", stepanakert, [khankendi])]


@pytest.mark.parametrize("locale", sorted(TOWN))
def test_each_name_is_settled_by_its_own(curated, locale: str) -> None:  # type: ignore[no-untyped-def]
    stepanakert, khankendi, rest = TOWN[locale]
    for source, target in (("Khankendi", khankendi), ("Stepanakert", stepanakert)):
        found = verdicts(curated, locale, f"{source} was quiet.", f"{target} {rest}")
        assert [(v.kind, v.source, v.found) for v in found] == [("ok", source, target)]


@pytest.mark.parametrize("locale", sorted(TOWN))
@pytest.mark.parametrize("order", ["stepanakert first", "khankendi first"])
def test_both_names_pair_the_right_source_text(curated, locale: str, order: str) -> None:  # type: ignore[no-untyped-def]
    stepanakert, khankendi, rest = TOWN[locale]
    # The translation may put either name first (Turkish and Azerbaijani
    # write Hankendi (Stepanakert) on first mention).
    target = f"{stepanakert} ({khankendi}) {rest}" if order == "stepanakert first" else f"{khankendi} ({stepanakert}) {rest}"
    found = verdicts(curated, locale, "Stepanakert (Khankendi) was quiet.", target)
    assert sorted((v.source, v.found, v.kind) for v in found) == [
        ("Khankendi", khankendi, "ok"), ("Stepanakert", stepanakert, "ok")]


def test_other_places_pair_by_the_glossary_in_cyrillic_and_armenian(curated) -> None:  # type: ignore[no-untyped-def]
    judge = Judge(curated, "ru")
    found = [(v.kind, v.source, v.found) for v in judge.pair("Shushi was rebuilt.", "Шуша восстановлена.")]
    assert found == [("mismatch", "Shushi", "Шуша")]
    found = [(v.kind, v.source, v.found) for v in judge.pair("Berdzor was handed over.", "Бердзор передан.")]
    assert found == [("ok", "Berdzor", "Бердзор")]
    judge = Judge(curated, "hy")
    found = [(v.kind, v.source, v.found) for v in judge.pair("Lachin was handed over.", "Բերձորը հանձնվեց։")]
    assert found == [("mismatch", "Lachin", "Բերձորը")]


def test_the_test_language_glossaries_link_their_names() -> None:
    qtc = load_glossary(TESTS / "model" / "glossary-qtc.yaml")
    names = {r.text: r.source_names for r in qtc.concepts["stepanakert-khankendi"].terms["qtc"]}
    assert names == {"Mizigozeser": ("Stepanakert",), "Gomibuzeb": ("Khankendi",)}
    found = [(v.kind, v.source, v.found) for v in Judge(qtc, "qtc").pair("Stepanakert was quiet.", "Gomibuzeb.")]
    assert found == [("mismatch", "Stepanakert", "Gomibuzeb")]
    qtr = load_glossary(TESTS / "model" / "glossary-qtr.yaml")
    for concept_id in ("stepanakert-khankendi", "shusha-shushi", "lachin-berdzor"):
        assert all(r.source_names for r in qtr.concepts[concept_id].terms["qtr"] if r.status.acceptable)
    assert lint_warnings(qtc) == [] and lint_warnings(qtr) == []


def test_the_curated_glossary_links_every_name(curated) -> None:  # type: ignore[no-untyped-def]
    assert lint_warnings(curated) == []
    for concept_id in ("stepanakert-khankendi", "shusha-shushi", "lachin-berdzor"):
        concept = curated.concepts[concept_id]
        for locale in curated.locales:
            if locale == curated.source:
                continue
            linked = sorted(n for r in concept.terms[locale] if r.status.acceptable for n in r.source_names)
            assert linked == sorted(r.text for r in concept.terms["en"] if r.status.acceptable), (concept_id, locale)


GLOSSARY = """\
schema: 1
source: en
locales: [en, ru]
concepts:
  - id: town
    policy: enforce
    definition: A town with two names.
    note: One town, two names.
    first_mention:
      ru: Степанакерт (Ханкенди)
    terms:
      en:
        - text: Stepanakert
          status: preferred
        - text: Khankendi
          status: admitted
      ru:
        - text: Степанакерт
          status: preferred
{first}
        - text: Ханкенди
          status: admitted
{second}
"""


def write(tmp_path: Path, first: str = "", second: str = "") -> Path:
    path = tmp_path / "g.yaml"
    path.write_text(GLOSSARY.format(first=first, second=second), encoding="utf-8")
    return path


def test_a_missing_link_is_a_warning_and_the_judge_falls_back_to_spelling(tmp_path: Path) -> None:
    path = write(tmp_path)
    assert lint(path) == []
    glossary = load_glossary(path)
    warnings = lint_warnings(glossary)
    assert [(w.line, w.message) for w in warnings] == [
        (18, "'Степанакерт' of concept 'town', locale ru, has no 'for': "
             "the checks pair it with a source name by spelling"),
        (21, "'Ханкенди' of concept 'town', locale ru, has no 'for': "
             "the checks pair it with a source name by spelling"),
    ]
    assert all("\n" not in str(w) for w in warnings)
    # Spelling cannot pair Cyrillic with Latin: either name passes, as before the links.
    found = [(v.kind, v.found) for v in Judge(glossary, "ru").pair("Stepanakert was quiet.", "Ханкенди спокоен.")]
    assert found == [("ok", "Ханкенди")]
    # One link is enough for the other to follow (the one name left on each side).
    glossary = load_glossary(write(tmp_path, second="          for: Khankendi"))
    assert [w.line for w in lint_warnings(glossary)] == [18]
    found = [(v.kind, v.found) for v in Judge(glossary, "ru").pair("Stepanakert was quiet.", "Ханкенди спокоен.")]
    assert found == [("mismatch", "Ханкенди")]


def test_a_preferred_name_may_stand_for_both(tmp_path: Path) -> None:
    # A desk that writes its preferred name for either source name says so in the data.
    glossary = load_glossary(write(tmp_path, first="          for: [Stepanakert, Khankendi]",
                                   second="          for: Khankendi"))
    assert lint_warnings(glossary) == []
    judge = Judge(glossary, "ru")
    assert [v.kind for v in judge.pair("Khankendi was quiet.", "Степанакерт спокоен.")] == ["ok"]
    assert [v.kind for v in judge.pair("Stepanakert was quiet.", "Ханкенди спокоен.")] == ["mismatch"]


@pytest.mark.parametrize(("first", "message"), [
    ("          for: Stepanakertt",
     "'for' of 'Степанакерт' in concept 'town', locale ru names 'Stepanakertt', "
     "which is no acceptable en name of the concept (did you mean 'Stepanakert'?)"),
    ("          for: [Stepanakert, 3]",
     "'for' of 'Степанакерт' in concept 'town', locale ru must be an en name or a list of them, not 3 "
     "(e.g. 'for: Stepanakert')"),
    ("          for: []",
     "'for' of 'Степанакерт' in concept 'town', locale ru must be an en name or a list of them, not [] "
     "(e.g. 'for: Stepanakert')"),
])
def test_a_bad_link_is_one_line_with_its_line_number(tmp_path: Path, first: str, message: str) -> None:
    path = write(tmp_path, first=first)
    with pytest.raises(GlossaryInvalid) as caught:
        load_glossary(path)
    problems = caught.value.problems
    assert [(p.line, str(p).split(": ", 1)[1]) for p in problems] == [(20, message)]


def test_a_link_on_the_source_locale_is_refused(tmp_path: Path) -> None:
    text = GLOSSARY.format(first="", second="").replace(
        "        - text: Khankendi\n          status: admitted\n",
        "        - text: Khankendi\n          status: admitted\n          for: Stepanakert\n")
    path = tmp_path / "g.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryInvalid) as caught:
        load_glossary(path)
    assert [p.message for p in caught.value.problems] == [
        "'for' of 'Khankendi' in concept 'town', locale en: the source names are what 'for' refers to"]


def test_lint_shows_the_warnings_and_passes(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from translate.cli.glossary import glossary_group

    path = write(tmp_path, second="          for: Khankendi")
    result = CliRunner().invoke(glossary_group, ["lint", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"warning: {path}:18: 'Степанакерт' of concept 'town', locale ru, has no 'for': the checks pair it "
        "with a source name by spelling (add 'for:' with the en name it renders: Stepanakert, Khankendi)",
        f"{path}: OK (1 concepts, 2 locales, 1 warning)",
    ]
    bad = write(tmp_path, first="          for: Stepanakertt")
    result = CliRunner().invoke(glossary_group, ["lint", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:20: 'for' of 'Степанакерт'" in result.output


def test_an_edit_of_a_place_keeps_its_links() -> None:
    import difflib

    from glossary import default_glossary_path
    from glossary.edit.yaml_edit import edit_text
    from glossary.termbase.load import load_glossary_text

    original = default_glossary_path().read_text(encoding="utf-8")
    # A form added to the Russian Khankendi name, and a new admitted spelling.
    text, _ = edit_text(original, "curated.yaml", "stepanakert-khankendi", "ru", "Ханкенди", Status.ADMITTED,
                        ("Ханкендах",))
    text, _ = edit_text(text, "curated.yaml", "stepanakert-khankendi", "ru", "Ханкенде", Status.ADMITTED, ())
    changed = [line for line in difflib.unified_diff(original.splitlines(), text.splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert not any("for:" in line for line in changed), changed
    glossary = load_glossary_text(text, "curated.yaml")
    names = {r.text: r.source_names for r in glossary.concepts["stepanakert-khankendi"].terms["ru"]}
    assert names == {"Степанакерт": ("Stepanakert",), "Ханкенди": ("Khankendi",), "Ханкенде": ()}
    # The new spelling has no link yet: lint says so.
    assert [w.message.split(",")[0] for w in lint_warnings(glossary)] == ["'Ханкенде' of concept 'stepanakert-khankendi'"]


@pytest.mark.parametrize("locale", ["de", "ru", "hy", "tr"])
def test_one_name_given_for_two_goes_to_its_own_source_name(curated, locale: str) -> None:  # type: ignore[no-untyped-def]
    stepanakert, khankendi, rest = TOWN[locale]
    found = verdicts(curated, locale, "Stepanakert (Khankendi) was quiet.", f"{khankendi} {rest}")
    assert [(v.kind, v.source, v.found) for v in found] == [("missing", "Stepanakert", None), ("ok", "Khankendi", khankendi)]
    found = verdicts(curated, locale, "Khankendi, once Stepanakert, was quiet.", f"{stepanakert} {rest}")
    assert [(v.kind, v.source, v.found) for v in found] == [("missing", "Khankendi", None), ("ok", "Stepanakert", stepanakert)]


def test_the_ladder_forces_the_name_the_judge_accepts(curated) -> None:  # type: ignore[no-untyped-def]
    for locale in ("de", "ru", "tr"):
        stepanakert, khankendi, _ = TOWN[locale]
        judge = Judge(curated, locale)
        for source, own in (("Khankendi", khankendi), ("Stepanakert", stepanakert)):
            [occurrence] = [o for o in judge.occurrences(f"{source} was quiet.")]
            assert [r.text for r in judge.renderings_for("stepanakert-khankendi", occurrence)] == [own]
    # Any other concept: its preferred rendering.
    judge = Judge(curated, "de")
    [occurrence] = judge.occurrences("Karabakh was quiet.")
    assert [r.text for r in judge.renderings_for("karabakh", occurrence)] == ["Karabach"]
