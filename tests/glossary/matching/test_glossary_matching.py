"""Source occurrences, target renderings and quotations."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary import SourceMatcher, Status, TargetMatcher, load_glossary
from glossary.matching.quotes import depths_at, is_quoted, quoted_spans

SMALL = Path(__file__).resolve().parents[2] / "data" / "glossary" / "small.yaml"
SAMPLE = Path(__file__).resolve().parents[3] / "samples" / "nato-armenia-azerbaijan.txt"
GLOSSARY = load_glossary(SMALL)
SOURCE = SourceMatcher(GLOSSARY)


def found(text: str) -> list[tuple[str, str]]:
    return [(o.concept_id, o.text) for o in SOURCE.find(text)]


SOURCE_CASES = [
    ("Armenia's prime minister", [("armenia", "Armenia's")]),
    ("Armenia’s prime minister", [("armenia", "Armenia’s")]),
    ("Azerbaijan-Armenia peace", [("azerbaijan", "Azerbaijan"), ("armenia", "Armenia")]),
    ("the Nagorno-Karabakh war", [("nagorno-karabakh", "Nagorno-Karabakh")]),
    ("the Nagorno Karabakh war", [("nagorno-karabakh", "Nagorno Karabakh")]),
    ("fled Karabakh for Armenia", [("karabakh", "Karabakh"), ("armenia", "Armenia")]),
    ("KARABAKH and karabakh", [("karabakh", "KARABAKH"), ("karabakh", "karabakh")]),
    ("a long-negotiated peace agreement", [("peace-agreement", "peace agreement")]),
    ("a peace\n  agreement", [("peace-agreement", "peace\n  agreement")]),
    ("two peace deals", [("peace-agreement", "peace deals")]),
    ("ethnic enclaves on both sides", [("enclave", "enclaves")]),
    ("Yerevan is occupying four villages", [("yerevan", "Yerevan"), ("occupied", "occupying")]),
    ("they occupy lands", [("occupied", "occupy")]),
    ("Armenian separatist forces", [("separatists", "separatist")]),
    ("the countries' leaders", []),
    ("Armenian and Azerbaijani villages", []),  # whole words only
    ("Karabakhi", []),
    ("he visited Artsakh", [("artsakh", "Artsakh")]),
    ("he visited Erevan", [("yerevan", "Erevan")]),  # deprecated English terms identify the concept
]


@pytest.mark.parametrize(("text", "expected"), SOURCE_CASES, ids=[row[0] for row in SOURCE_CASES])
def test_source_matching(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_source_occurrence_positions_and_status() -> None:
    text = "He visited Erevan."
    [occurrence] = SOURCE.find(text)
    assert text[occurrence.start : occurrence.end] == occurrence.text == "Erevan"
    assert occurrence.status is Status.DEPRECATED
    assert not occurrence.quoted and occurrence.depth == 0


def test_sample_article_quotes() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    occurrences = SOURCE.find(text)
    quoted = [(o.concept_id, o.depth) for o in occurrences if o.quoted]
    # “Armenia and Azerbaijan have an opportunity ...” is the only quoted
    # paragraph naming concepts; the headline quotes only ‘enduring’.
    assert quoted == [("armenia", 1), ("azerbaijan", 1)]
    headline = text.split("\n", 1)[0]
    assert [headline[a:b] for a, b, _ in quoted_spans(headline)] == ["‘enduring’"]


QUOTE_CASES = [
    ("chance for ‘enduring’ peace", ["‘enduring’"]),
    ('he said "Karabakh is ours" today', ['"Karabakh is ours"']),
    ("he said 'Karabakh is ours' today", ["'Karabakh is ours'"]),
    ("“He said ‘X’ today” and left", ["“He said ‘X’ today”", "‘X’"]),
    ("il a dit «Karabakh» hier", ["«Karabakh»"]),
    ("il a dit ‹Karabakh› hier", ["‹Karabakh›"]),
    ("er sagte „Karabach“ gestern", ["„Karabach“"]),
    ("er sagte ‚Karabach‘ gestern", ["‚Karabach‘"]),
    ("er sagte »Karabach« gestern", ["»Karabach«"]),
    ("„Er sagte ‚nein‘ heute“ so", ["„Er sagte ‚nein‘ heute“", "‚nein‘"]),
    ("Armenia's and the countries' leaders don't", []),
    ('Tass: "Now we can leave here, let’s go. This" end', ['"Now we can leave here, let’s go. This"']),
    ("“An open quote runs on\nnext paragraph", ["“An open quote runs on"]),
    ("each other's territory", []),
]


@pytest.mark.parametrize(("text", "expected"), QUOTE_CASES, ids=[f"case{i}" for i in range(len(QUOTE_CASES))])
def test_quoted_spans(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b, _ in quoted_spans(text)] == expected


def test_nested_depth_and_is_quoted() -> None:
    text = "“He said ‘Artsakh’ today” and Artsakh"
    spans = quoted_spans(text)
    inner = text.index("Artsakh")
    outer = text.index("today")
    last = text.rindex("Artsakh")
    assert depths_at(spans, [inner, outer, last]) == [2, 1, 0]
    assert is_quoted(spans, inner) and not is_quoted(spans, last)
    assert [(o.quoted, o.depth) for o in SOURCE.find(text)] == [(True, 2), (False, 0)]


def hits(locale: str, text: str) -> list[tuple[str, str, str]]:
    return [(h.concept_id, h.text, h.status.value) for h in TargetMatcher(GLOSSARY, locale).find(text)]


TARGET_CASES = [
    ("ru", "в Карабахе", [("karabakh", "Карабахе", "preferred")]),
    ("ru", "Армении, Армению и Арменией", [("armenia", "Армении", "preferred"), ("armenia", "Армению", "preferred"), ("armenia", "Арменией", "preferred")]),
    ("ru", "в Нагорном Карабахе", [("nagorno-karabakh", "Нагорном Карабахе", "preferred")]),
    # an adjective derived from the name (glossary/matching/morphology.py)
    ("ru", "Карабахский", [("karabakh", "Карабахский", "preferred")]),
    ("ru", "мирного соглашения", [("peace-agreement", "мирного соглашения", "preferred")]),
    ("de", "der Bergkarabach-Konflikt", [("karabakh", "Bergkarabach", "admitted"), ("nagorno-karabakh", "Bergkarabach", "preferred")]),
    ("de", "die Hauptstadt Armeniens", [("armenia", "Armeniens", "preferred")]),
    ("de", "in Jerewan", [("yerevan", "Jerewan", "deprecated")]),
    ("de", "besetzten Dörfer", [("occupied", "besetzten", "preferred")]),
    ("de", "der ethnischen Säuberung", [("ethnic-cleansing", "ethnischen Säuberung", "preferred")]),
    ("tr", "Karabağ'da", [("karabakh", "Karabağ'da", "preferred")]),
    ("tr", "Ermenistan’ın", [("armenia", "Ermenistan’ın", "preferred")]),
    ("tr", "İşgal altındaki", [("occupied", "İşgal", "preferred")]),
    ("tr", "İŞGAL ve işgalinde", [("occupied", "İŞGAL", "preferred"), ("occupied", "işgalinde", "preferred")]),
    ("tr", "ERMENİSTAN", [("armenia", "ERMENİSTAN", "preferred")]),
    ("tr", "barış anlaşmasını", [("peace-agreement", "barış anlaşmasını", "preferred")]),
    ("tr", "Dağlık Karabağ'ın", [("nagorno-karabakh", "Dağlık Karabağ'ın", "preferred")]),
    ("az", "Qarabağ'ın", [("karabakh", "Qarabağ'ın", "preferred")]),
    ("az", "İŞĞAL", [("occupied", "İŞĞAL", "preferred")]),
    ("hy", "Ղարաբաղում", [("karabakh", "Ղարաբաղում", "preferred")]),
    ("hy", "Լեռնային Ղարաբաղի", [("nagorno-karabakh", "Լեռնային Ղարաբաղի", "preferred")]),
    ("hy", "Երևանում", [("yerevan", "Երևանում", "preferred")]),
    ("pt_BR", "a Arménia e a Armênia", [("armenia", "Arménia", "deprecated"), ("armenia", "Armênia", "preferred")]),
    ("pt_BR", "acordos de paz", [("peace-agreement", "acordos de paz", "preferred")]),
    ("fr", "l'Arménie et l’Azerbaïdjan", [("armenia", "Arménie", "preferred"), ("azerbaijan", "Azerbaïdjan", "preferred")]),
]


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    TARGET_CASES,
    ids=[f"{row[0]}-{row[1]}" for row in TARGET_CASES],
)
def test_target_matching(locale: str, text: str, expected: list[tuple[str, str, str]]) -> None:
    assert hits(locale, text) == expected


def test_target_hits_know_quotes() -> None:
    text = "Он сказал: «Арцах — наш», а Арцах"
    result = TargetMatcher(GLOSSARY, "ru").find(text)
    assert [(h.text, h.quoted) for h in result] == [("Арцах", True), ("Арцах", False)]


def test_keep_concept_without_locale_renderings_uses_the_source() -> None:
    # `nato` has no fr rendering: kept means written as in English.
    assert hits("fr", "l'OTAN et la NATO") == [("nato", "NATO", "preferred")]


def test_longest_match_first_drops_overlaps() -> None:
    assert hits("ru", "Нагорного Карабаха") == [("nagorno-karabakh", "Нагорного Карабаха", "preferred")]
    assert found("Nagorno-Karabakh and Karabakh") == [
        ("nagorno-karabakh", "Nagorno-Karabakh"),
        ("karabakh", "Karabakh"),
    ]


ENGLISH_TERMS = sorted(
    {(c.id, r.text) for c in GLOSSARY.concepts.values() for r in c.terms["en"]},
)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_matching_never_raises(text: str) -> None:
    SOURCE.find(text)
    for locale in ("ru", "tr", "hy", "de"):
        TargetMatcher(GLOSSARY, locale).find(text)
    quoted_spans(text)


# Filler that cannot join a planted term: no letters next to it, and a full
# stop between them (a multi-word term never spans other punctuation).
FILLER = st.text(alphabet=st.sampled_from(list("0123456789 ,;:()!?\"'“”‘’«»\n")), max_size=20)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(FILLER, st.sampled_from(ENGLISH_TERMS)), min_size=1, max_size=8), FILLER)
def test_every_planted_occurrence_is_found(pieces: list[tuple[str, tuple[str, str]]], tail: str) -> None:
    text = ""
    planted: list[tuple[int, str]] = []
    for filler, (concept_id, term) in pieces:
        text += filler + " . "
        planted.append((len(text), concept_id))
        text += term + " . "
    text += tail
    occurrences = {(o.start, o.concept_id) for o in SOURCE.find(text)}
    for position, concept_id in planted:
        assert (position, concept_id) in occurrences, (text, position, concept_id)
