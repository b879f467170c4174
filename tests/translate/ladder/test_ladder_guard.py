"""The damage guard on its own: what counts as keeping the rest of a sentence."""

from __future__ import annotations

from array import array

from glossary.termbase.model import Rendering, Status
from translate.ladder import forms, guard
from translate.ladder.alignment import Alignment


def words(text: str) -> list[str]:
    return guard.words_outside(text, [])


def test_dropped_opening_words_are_damage() -> None:
    before = words("Tov maranen ba tov senolu Kagekuz-Galala Sokine, Mizigozeser.")
    after = words("Sokine, Mizigozeser.")
    reason = guard.check(before, after)
    assert reason is not None and "drops 'tov'" in reason


def test_a_spurious_word_is_damage_and_an_ending_change_is_not() -> None:
    before = words("Sipupizi zatukusud lodub meze tov poriro.")
    assert "inserts 'gelik'" in (guard.check(before, words("Sipupizi zatukusud lodub meze tov poriro gelik.")) or "")
    assert guard.check(before, words("Sipupizi zatukusud lodub meze tov porirota.")) is None
    assert guard.check(before, words("Sipupizita zatukusudum lodub meze tov porirota.")) is not None


def test_words_inside_renderings_do_not_count() -> None:
    text = "Derir golarri Malasudr vinelan karadognum."
    start = text.index("Malasudr")
    assert guard.words_outside(text, [(start, start + len("Malasudr"))]) == ["derir", "golarri", "vinelan",
                                                                            "karadognum"]


def test_coverage_sees_a_source_word_left_untranslated() -> None:
    before = Alignment(array("i", [0, 1, 2]), array("f", [1.0, 1.0, 1.0]))
    after = Alignment(array("i", [0, 0, 2]), array("f", [2.0, 0.02, 1.0]))
    assert guard.check(["a", "b"], ["a", "b"], before, after, range(1), ["\u2581x", "\u2581y", "\u2581z"]) \
        == "leaves 'y' untranslated"
    assert guard.check(["a", "b"], ["a", "b"], before, after, range(1, 2)) is None


def test_the_same_form_of_the_right_rendering() -> None:
    wrong = Rendering("Malasudr", Status.DEPRECATED, forms=("Malasudrum", "Malasudrta"))
    right = Rendering("Medagog", Status.PREFERRED, forms=("Medagogum", "Medagogta"))
    assert forms.same_form("Malasudrta", wrong, right) == "Medagogta"
    assert forms.same_form("malasudrum", wrong, right) == "Medagogum"
    two = Rendering("vina sazan", Status.PREFERRED, forms=("vina sazanta", "vina sazanleta"))
    one = Rendering("kalo", Status.DEPRECATED, forms=("kaloleta",))
    assert forms.same_form("kaloleta", one, two) == "vina sazanleta"
