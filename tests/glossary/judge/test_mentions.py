"""Mentions: a name the source mentions ("which Armenians call Artsakh") is the speaker's word."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary import check_document, load_glossary
from glossary.errors import GlossaryInvalid
from glossary.judge import Judge

CURATED = Path(__file__).resolve().parents[3] / "glossary" / "data" / "curated.yaml"


@pytest.fixture(scope="module")
def curated():  # type: ignore[no-untyped-def]
    return load_glossary()


@pytest.mark.parametrize("source", [
    "Armenian officials still call the region Artsakh.",
    "The region, known as Artsakh, fell in 2023.",
    "Karabakh, which Armenians call Artsakh, fell in 2023.",
    "Artsakh, as Armenians call it, fell in 2023.",
    "Its leaders called it Artsakh.",
])
def test_a_mentioned_name_counts_as_quoted(curated, source: str) -> None:  # type: ignore[no-untyped-def]
    artsakh = [o for o in Judge(curated, "de").occurrences(source) if o.concept_id == "artsakh"]
    assert [o.quoted for o in artsakh] == [True]


@pytest.mark.parametrize("source", ["Pashinyan visited Artsakh.", "They called for talks on Artsakh."])
def test_a_name_in_our_voice_is_not_a_mention(curated, source: str) -> None:  # type: ignore[no-untyped-def]
    artsakh = [o for o in Judge(curated, "de").occurrences(source) if o.concept_id == "artsakh"]
    assert [o.quoted for o in artsakh] == [False]


def test_the_mention_keeps_the_name_in_the_translation(curated) -> None:  # type: ignore[no-untyped-def]
    source = ["Armenian officials still call the region Artsakh."]
    target = ["Armenische Vertreter nennen die Region noch immer Arzach."]
    assert [v for v in check_document(source, target, curated, "de") if v.is_error] == []


def _with_mentions(tmp_path: Path, block: str) -> Path:
    text = CURATED.read_text(encoding="utf-8").replace("\nconcepts:", f"\n{block}\nconcepts:", 1)
    path = tmp_path / "g.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_editors_choose_the_phrasings(tmp_path: Path) -> None:
    glossary = load_glossary(_with_mentions(tmp_path, "mentions:\n  - dubbed {term}"))
    judge = Judge(glossary, "de")
    assert [o.quoted for o in judge.occurrences("Locals dubbed it Artsakh.") if o.concept_id == "artsakh"] == [False]
    assert [o.quoted for o in judge.occurrences("A land dubbed Artsakh.") if o.concept_id == "artsakh"] == [True]
    off = Judge(load_glossary(_with_mentions(tmp_path, "mentions: []")), "de")
    assert [o.quoted for o in off.occurrences("Karabakh, which Armenians call Artsakh.")
            if o.concept_id == "artsakh"] == [False]


def test_a_mention_without_its_term_is_refused(tmp_path: Path) -> None:
    with pytest.raises(GlossaryInvalid, match="term"):
        load_glossary(_with_mentions(tmp_path, "mentions:\n  - known as"))
