"""Loading and validating glossary files, and locale handling."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from glossary import (
    GlossaryInvalid,
    Policy,
    Quotation,
    Status,
    UnknownConcept,
    UnknownLocale,
    default_glossary_path,
    display_name,
    lint,
    load_glossary,
    normalize_locale,
    plural_forms,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "glossary"
SMALL = DATA / "small.yaml"


def test_small_glossary_loads() -> None:
    glossary = load_glossary(SMALL)
    assert glossary.source == "en"
    assert glossary.locales == ("en", "de", "fr", "pt_BR", "ru", "tr", "az", "hy")
    assert glossary.digest == hashlib.sha256(SMALL.read_bytes()).hexdigest()
    karabakh = glossary.concept("karabakh")
    assert karabakh.policy is Policy.ENFORCE and karabakh.quotation is Quotation.EXEMPT
    assert karabakh.first_mention == {"de": "Karabach"}
    assert glossary.concept("artsakh").use_instead == "karabakh"
    assert glossary.concept("nagorno-karabakh").quotation is Quotation.EXEMPT  # the default


def test_glossary_helpers() -> None:
    glossary = load_glossary(SMALL)
    assert [r.text for r in glossary.renderings("yerevan", "de")] == ["Eriwan", "Jerewan"]
    assert [r.text for r in glossary.acceptable("karabakh", "de")] == ["Karabach", "Bergkarabach"]
    preferred = glossary.preferred("armenia", "pt-BR")
    assert preferred is not None and preferred.text == "Armênia" and preferred.status is Status.PREFERRED
    assert glossary.renderings("peace-agreement", "hy") == ()
    assert glossary.preferred("peace-agreement", "hy") is None
    ru = glossary.renderings("karabakh", "ru")[0]
    assert (ru.stem, ru.stem_max) == ("Карабах", 3)
    with pytest.raises(UnknownConcept, match="no concept 'karabagh'"):
        glossary.concept("karabagh")


BAD_FILES = [
    ("duplicate_id.yaml", 13, "duplicate concept id 'karabakh' (first defined on line 5)"),
    ("bad_id.yaml", 5, "bad concept id 'Karabakh_Region'"),
    ("unknown_status.yaml", 12, "unknown status 'prefered'"),
    ("unknown_policy.yaml", 6, "unknown policy 'enforced'"),
    ("unknown_quotation.yaml", 9, "unknown quotation 'never'"),
    ("unknown_locale.yaml", 13, "unknown locale 'xx'"),
    ("locale_not_listed.yaml", 13, "locale 'fr' under 'terms' of concept 'karabakh' is not listed in 'locales'"),
    ("no_preferred_source.yaml", 10, "has no preferred en renderings; it needs exactly one"),
    ("two_preferred_source.yaml", 10, "has 2 preferred en renderings; it needs exactly one"),
    ("preferred_and_forbidden.yaml", 16, "'Karabach' is both preferred and forbidden"),
    ("use_instead_unknown.yaml", 10, "'use_instead' of 'artsakh' names unknown concept 'karabak'"),
    ("use_instead_missing.yaml", 9, "has 'quotation: only' but no 'use_instead'"),
    ("missing_definition.yaml", 5, "concept 'karabakh' has no 'definition'"),
    ("missing_note.yaml", 5, "concept 'karabakh' has no 'note'"),
    ("empty_text.yaml", 14, "'text' of a rendering of concept 'karabakh', locale de is empty"),
    ("stem_max_invalid.yaml", 17, "'stem_max' in concept 'karabakh', locale de must be a positive integer"),
    ("unknown_key.yaml", 12, "unknown key 'staus'"),
    ("unknown_schema.yaml", 1, "unknown schema 2"),
    ("yaml_syntax.yaml", 7, "YAML syntax error"),
    ("not_mapping.yaml", 1, "the top level must be a mapping"),
    ("duplicate_key.yaml", 9, 'duplicate key "policy"'),
    ("alias_bomb.yaml", 1, "YAML anchor or alias 'a' is not allowed"),
]


@pytest.mark.parametrize(("name", "line", "message"), BAD_FILES, ids=[row[0] for row in BAD_FILES])
def test_bad_glossary_reports_line_and_message(name: str, line: int, message: str) -> None:
    with pytest.raises(GlossaryInvalid) as caught:
        load_glossary(DATA / name)
    problems = caught.value.problems
    matching = [p for p in problems if message in p.message]
    assert matching, [str(p) for p in problems]
    assert matching[0].line == line
    assert matching[0].path == str(DATA / name)
    assert matching[0].hint  # every problem says what to do
    assert message in str(caught.value)


def test_unknown_key_suggests_the_right_one() -> None:
    problems = lint(DATA / "unknown_key.yaml")
    assert any(p.hint == "did you mean 'status'?" for p in problems)


def test_every_problem_is_reported_not_only_the_first() -> None:
    problems = lint(DATA / "many_problems.yaml")
    messages = " | ".join(p.message for p in problems)
    assert "unknown policy 'enforced'" in messages
    assert "unknown key 'staus'" in messages
    assert "concept 'x' has no 'definition'" in messages
    assert "concept 'x' has no preferred en renderings" in messages
    assert [p.line for p in problems] == sorted(p.line or 0 for p in problems)


def test_lint_of_a_valid_file_is_empty() -> None:
    assert lint(SMALL) == []


def test_alias_bomb_is_refused_quickly() -> None:
    started = time.perf_counter()
    with pytest.raises(GlossaryInvalid):
        load_glossary(DATA / "alias_bomb.yaml")
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"schema: 1\nsource: en\n\xff\xfe: x\n", "not valid UTF-8"),
        (b"", "the file is empty"),
        (b"just text\n", "the top level must be a mapping"),
    ],
    ids=["not-utf8", "empty", "scalar"],
)
def test_unusable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "g.yaml"
    path.write_bytes(content)
    with pytest.raises(GlossaryInvalid, match=message):
        load_glossary(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GlossaryInvalid, match="does not exist"):
        load_glossary(tmp_path / "nope.yaml")


def test_locales_in_the_file_are_normalised(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8").replace("pt_BR", "pt-BR")
    path = tmp_path / "g.yaml"
    path.write_text(text, encoding="utf-8")
    glossary = load_glossary(path)
    assert "pt_BR" in glossary.locales
    assert glossary.preferred("armenia", "pt_BR").text == "Armênia"  # type: ignore[union-attr]


def test_unknown_locale_in_the_locales_list(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8").replace("locales: [en, de,", "locales: [en, de, klingon,")
    path = tmp_path / "g.yaml"
    path.write_text(text, encoding="utf-8")
    problems = lint(path)
    assert [(p.line, p.message) for p in problems] == [(4, "unknown locale 'klingon' in 'locales'")]


def test_default_glossary_path_is_package_data() -> None:
    path = default_glossary_path()
    assert path.parts[-3:] == ("glossary", "data", "curated.yaml")


@pytest.mark.skipif(not default_glossary_path().exists(), reason="the curated glossary is not written yet")
def test_curated_glossary_is_valid() -> None:
    assert lint(None) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("pt-BR", "pt_BR"), ("pt_BR", "pt_BR"), ("pt_br", "pt_BR"), ("de-DE", "de_DE"), ("de", "de"), ("qtc", "qtc"), ("hy", "hy")],
    ids=["hyphen", "underscore", "lowercase", "region-kept", "bare", "test-cipher", "armenian"],
)
def test_normalize_locale(text: str, expected: str) -> None:
    assert normalize_locale(text) == expected


@pytest.mark.parametrize("text", ["xx", "", "pt_XX", "english"], ids=["unknown", "empty", "bad-region", "word"])
def test_unknown_locale(text: str) -> None:
    with pytest.raises(UnknownLocale, match="such as 'de', 'ru' or 'pt_BR'"):
        normalize_locale(text)


def test_display_names_and_plural_forms() -> None:
    assert display_name("qtc") == "Test cipher (qtc)"
    assert display_name("pt-BR") == "Portuguese (Brazil)"
    assert plural_forms("qtc") == "nplurals=2; plural=(n != 1);"
    assert plural_forms("de") == "nplurals=2; plural=(n != 1);"
    assert plural_forms("ru").startswith("nplurals=3;")
