"""Hidden and look-alike characters cannot smuggle a term past any command (issue: hostile inputs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary import SourceMatcher, TargetMatcher, check_document, load_glossary
from glossary.matching import for_matching, visible
from translate.cli import main

HIDDEN = {
    "soft-hyphen": "\u00ad", "lrm": "\u200e", "rlm": "\u200f", "alm": "\u061c", "cgj": "\u034f",
    "invisible-separator": "\u2063", "variation-selector": "\ufe0f", "mongolian-vowel-separator": "\u180e",
    "zwsp": "\u200b", "word-joiner": "\u2060", "lro": "\u202d", "isolate": "\u2066",
}


@pytest.fixture(scope="module")
def curated():  # type: ignore[no-untyped-def]
    return load_glossary()


@pytest.mark.parametrize("char", list(HIDDEN.values()), ids=list(HIDDEN))
def test_a_hidden_character_inside_a_term_does_not_hide_it(curated, char: str) -> None:  # type: ignore[no-untyped-def]
    text = f"Talks on Kara{char}bakh resumed."
    found = SourceMatcher(curated).find(text)
    assert [(o.concept_id, o.text) for o in found] == [("karabakh", f"Kara{char}bakh")]
    # The offsets are the original text's.
    assert text[found[0].start:found[0].end] == found[0].text


@pytest.mark.parametrize("text", ["Talks on Ｋａｒａｂａｋｈ resumed.", "Talks on K\u0430rabakh resumed.",
                                  "Talks on Kar\u0430b\u0430kh resumed.",
                                  "Talks on \u041a\u0430\u0433\u0430b\u0430\u043a\u04bb resumed."],
                         ids=["fullwidth", "cyrillic-a", "two-cyrillic-a", "cyrillic-but-b"])
def test_look_alike_letters_are_folded(curated, text: str) -> None:  # type: ignore[no-untyped-def]
    assert [o.concept_id for o in SourceMatcher(curated).find(text)] == ["karabakh"]


def test_a_mixed_word_folds_to_the_script_it_can_be_whole_in() -> None:
    from glossary.matching.normalize import _fold_mixed

    # Mostly Cyrillic, but the Latin b has no Cyrillic look-alike: only Latin makes it one word.
    assert _fold_mixed("\u041a\u0430\u0433\u0430b\u0430\u043a\u04bb") == "Karabakh"
    # A Russian word with one Latin letter stays Russian.
    assert _fold_mixed("K\u0430\u0440\u0430\u0431\u0430\u0445") == "\u041a\u0430\u0440\u0430\u0431\u0430\u0445"
    assert _fold_mixed("\u0421\u0442\u0435\u043f\u0430\u043d\u0430k\u0435\u0440\u0442") == "Степанакерт"


def test_the_translation_side_is_normalised_too(curated) -> None:  # type: ignore[no-untyped-def]
    source = ["Pashinyan visited Karabakh.", "Talks in Karabakh.", "Savaş Karabakh'ta."]
    # A forbidden rendering split by a soft hyphen; the preferred one written with one.
    ru = ["Пашинян посетил Ар\u00adцах.", "Переговоры в Кара\u00adбахе.", "x"]
    kinds = [(v.paragraph, v.kind, v.found) for v in check_document(source[:2], ru[:2], curated, "ru")]
    assert kinds == [(1, "forbidden", "Ар\u00adцах")]
    # Turkish suffix after a modifier-letter apostrophe (U+02BC).
    assert [h.concept_id for h in TargetMatcher(curated, "tr").find("Karabağʼda savaş")] == ["karabakh"]


def test_a_right_to_left_override_cannot_disguise_a_forbidden_rendering(curated) -> None:  # type: ignore[no-untyped-def]
    # Displayed as "Artsakh": the letters are stored backwards under U+202E.
    source = ["Pashinyan visited Karabakh."]
    target = ["Paschinjan besuchte \u202ehcazrA\u202c."]
    found = check_document(source, target, curated, "de")
    assert [(v.kind, v.concept, v.source) for v in found if v.is_error] == [("forbidden", "artsakh", "Karabakh")]


def test_for_matching_maps_every_character_back() -> None:
    text = "a\u00adb Ｃ"
    normal, starts, ends = for_matching(text)
    assert normal == "ab C"
    assert [text[s:e] for s, e in zip(starts, ends)] == ["a\u00ad", "b", " ", "Ｃ"]


def test_visible_shows_controls() -> None:
    assert visible("Kara\u202ebakh\x1b[2J") == "Kara<U+202E>bakh<U+001B>[2J"


def test_glossary_check_finds_artsakh_with_a_soft_hyphen(runner: CliRunner, tmp_path: Path) -> None:
    file = tmp_path / "hid.txt"
    file.write_text("Leaders in Arts\u00adakh met.\n", encoding="utf-8")
    result = runner.invoke(main, ["glossary", "check", str(file), "--json"])
    assert result.exit_code == 1
    assert [r["concept"] for r in json.loads(result.stdout)] == ["artsakh"]


def test_terminal_output_shows_bidi_controls(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "en.txt"
    target = tmp_path / "de.txt"
    source.write_text("Pashinyan visited Art\u202dsakh\u202c.\n", encoding="utf-8")
    target.write_text("Paschinjan besuchte Arz\u202dach\u202c.\n", encoding="utf-8")
    result = runner.invoke(main, ["check", str(source), str(target), "--locale", "de"])
    assert result.exit_code == 1
    assert "\u202d" not in result.output
    assert "<U+202D>" in result.output


def test_glossary_show_escapes_text_from_the_yaml(runner: CliRunner, tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parents[3] / "glossary" / "data" / "curated.yaml").read_text(encoding="utf-8")
    hostile = tmp_path / "g.yaml"
    hostile.write_text(text.replace("Use the neutral", "\\e[2JUse the neutral", 1).replace(
        "note: >-\n      Our default", "note: \"\\e[31mOur default\"\n      #", 1), encoding="utf-8")
    result = runner.invoke(main, ["glossary", "show", "karabakh", "--glossary", str(hostile)])
    assert "\x1b" not in result.output


def test_the_review_page_shows_bidi_controls() -> None:
    from translate.review_page.page import _e

    assert _e("Kara\u202ebakh") == "Kara&lt;U+202E&gt;bakh"


def test_one_marker_form_for_pages_and_for_one_terminal_line() -> None:
    from glossary.matching.normalize import visible

    text = "a\tb\nc\x1b[2J\u202eKar\u200babakh\u00a0d\u2028e \ue000f"
    # Pages and multi-line output keep tabs and line breaks.
    assert visible(text) == "a\tb\nc<U+001B>[2J<U+202E>Kar<U+200B>abakh\u00a0d<U+2028>e \ue000f"
    # One line of outside text: every control, format, separator and private-use character but the space.
    assert visible(text, one_line=True) == (
        "a<U+0009>b<U+000A>c<U+001B>[2J<U+202E>Kar<U+200B>abakh<U+00A0>d<U+2028>e <U+E000>f")
    assert visible("Ստեփանակերտ (Ханкенди) Xankəndi'də", one_line=True) == "Ստեփանակերտ (Ханкенди) Xankəndi'də"
