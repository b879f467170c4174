"""Word formation in the matchers (glossary/matching/morphology.py)."""

from __future__ import annotations

import pytest

from glossary import load_glossary
from glossary.matching import SourceMatcher, TargetMatcher
from glossary.matching.morphology import morphology_for, supported_languages

GLOSSARY = load_glossary()


def _hits(locale: str, text: str, morphology: bool = True) -> list[tuple[str, str]]:
    return [(h.concept_id, h.text) for h in TargetMatcher(GLOSSARY, locale, morphology=morphology).find(text)]


@pytest.mark.parametrize(
    ("locale", "text", "concept", "found"),
    [
        ("de", "die Karabachfrage", "karabakh", "Karabachfrage"),  # closed compound
        ("de", "die Delimitationskommissionen", "delimitation", "Delimitationskommissionen"),
        ("de", "die Eriwaner Regierung", "yerevan", "Eriwaner"),  # derived from a city
        ("de", "der südkaukasischen Staaten", "south-caucasus", "südkaukasischen"),
        ("de", "Truppen besetzten das Dorf", "occupied", "besetzten"),
        ("fr", "il reprendra chaque village", "recapture", "reprendra"),
        ("fr", "les délimitations", "delimitation", "délimitations"),
        ("es", "las delimitaciones", "delimitation", "delimitaciones"),  # the accent moves
        ("pt_BR", "as delimitações", "delimitation", "delimitações"),
        ("ru", "ереванские чиновники", "yerevan", "ереванские"),
        ("ru", "бакинские чиновники", "baku", "бакинские"),  # Баку -> бакинский
        ("ru", "карабахских армян", "karabakh", "карабахских"),
        ("ru", "захватят село", "seize", "захватят"),
        ("ru", "о роспуске фактической власти", "de-facto-authorities", "фактической власти"),
        ("tr", "ele geçirdiler", "seize", "ele geçirdiler"),  # a finite verb form
        ("tr", "geri alacağını", "recapture", "geri alacağını"),
        ("tr", "Karabağ Ermenilerinin", "armenian", "Ermenilerinin"),
        ("tr", "fiili yönetimlerini", "de-facto-authorities", "fiili yönetimlerini"),
        ("az", "ələ keçirdilər", "seize", "ələ keçirdilər"),
        ("az", "nəzarəti bərpa edəcək", "recapture", "nəzarəti bərpa edəcək"),  # t/d of etmək
        ("az", "ermənilərinin", "armenian", "ermənilərinin"),
        ("hy", "կվերագրավի", "recapture", "կվերագրավի"),  # future prefix կ-
        ("hy", "Երևանում", "yerevan", "Երևանում"),
        ("hy", "սահմանը", "border", "սահմանը"),  # the article the stemmer leaves on
        ("hy", "հայերն", "armenian", "հայերն"),
        ("tr", "sınırlarında", "border", "sınırlarında"),
        ("az", "sərhədlərin", "border", "sərhədlərin"),
    ],
)
def test_unlisted_forms_are_recognised(locale: str, text: str, concept: str, found: str) -> None:
    assert (concept, found) in _hits(locale, text)


@pytest.mark.parametrize(
    ("locale", "text", "concept"),
    [
        ("hy", "Թվում է, որ երևում է", "yerevan"),  # երևում (it appears) shares the stem of Երևան
        ("ru", "Армен Саркисян", "armenia"),  # a first name, not a form of Армения
        ("de", "im Nordkaukasus", "caucasus"),  # the rendering as the head of a compound
        ("de", "das Leben in Hoch-Karabach", "karabakh"),  # an unlisted hyphenated name
        ("fr", "la vie au Nagorno-Karabakh", "karabakh"),
        ("ru", "жизнь в Нагорно-Карабахе", "karabakh"),
        ("de", "eine grenzenlose Freude", "border"),  # an adjective, no compound noun
        ("fr", "le traitement des réfugiés", "peace-treaty"),  # traité + a derivational suffix
        ("es", "Tomás llegó ayer", "seize"),  # tomar's root is too short to stand alone
        ("es", "el tomo tercero", "seize"),  # tomó without its accent is another word
        ("tr", "sınırlı bir bütçe", "border"),  # limited: a derivation, not a case form
        ("tr", "sınırsız", "border"),
        ("hy", "սահմանափակ", "border"),  # limited
        ("az", "sərhədsiz", "border"),  # tomar's root is too short to stand alone
    ],
)
def test_look_alikes_are_not_forms(locale: str, text: str, concept: str) -> None:
    assert concept not in {c for c, _ in _hits(locale, text)}


def test_listed_forms_win_over_word_formation() -> None:
    # armenisch is listed for `armenian`; derivation from Armenien (`armenia`)
    # must not claim the span.
    assert _hits("de", "die armenische Regierung") == [("armenian", "armenische")]
    # A deprecated hyphenated rendering that is listed is still found as itself.
    assert ("nagorno-karabakh", "Berg-Karabach") in _hits("de", "in Berg-Karabach")


def test_hyphenated_coordination_keeps_both_terms() -> None:
    found = _hits("de", "der Armenien-Aserbaidschan-Konflikt")
    assert ("armenia", "Armenien") in found and ("azerbaijan", "Aserbaidschan") in found
    assert ("karabakh", "Karabach") in _hits("de", "die Karabach-Armenier")
    assert ("azerbaijani", "азербайджанский") in _hits("ru", "армяно-азербайджанский конфликт")


def test_without_morphology_only_listed_forms_match() -> None:
    assert _hits("de", "die Karabachfrage", morphology=False) == []
    assert _hits("de", "in Hoch-Karabach", morphology=False) == [("karabakh", "Karabach")]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Azerbaijan Airlines resumed flights.", False),  # a firm's name
        ("An Armenian Gampr won the prize at the show.", False),  # a dog breed
        ("Karabakh Armenians fled to Armenia last year.", True),  # a term follows
        ("NATO Secretary-General Jens Stoltenberg spoke.", True),  # an acronym is a name itself
        ("Armenian Prime Minister Nikol Pashinyan spoke.", True),  # a title before a name
        ("Azerbaijan Rejects Claims Over Karabakh Talks", True),  # a Title Case headline
    ],
)
def test_english_term_inside_a_name(text: str, kept: bool) -> None:
    first = SourceMatcher(GLOSSARY).find(text)
    assert bool(first) and first[0].start == min(o.start for o in SourceMatcher(GLOSSARY, morphology=False).find(text)) or not kept
    found = {o.start for o in SourceMatcher(GLOSSARY).find(text)}
    assert (0 in found or text.startswith("An ") and 3 in found) is kept


def test_every_issue_locale_has_rules_and_the_stemmers_load() -> None:
    for locale in ("de", "fr", "es", "pt_BR", "ru", "tr", "az", "hy"):
        morphology = morphology_for(locale)
        assert morphology is not None, locale
        if morphology.language.stemmer:
            assert morphology.stem("grenzen" if locale == "de" else "xxxxxxs") is not None
    assert morphology_for("qtc") is None
    assert "az" in supported_languages()
