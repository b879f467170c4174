"""Segmentation: sentences come out whole and join back to the exact paragraph."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ARTICLE
from translate.run.segment import join_sentences, split_sentences


def texts(paragraph: str) -> list[str]:
    return [s.text for s in split_sentences(paragraph)]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("Officials in the U.S. said talks went on. Both sides agreed.",
         ["Officials in the U.S. said talks went on.", "Both sides agreed."]),
        ("Growth was 3.5 percent in 2024. It slowed later.",
         ["Growth was 3.5 percent in 2024.", "It slowed later."]),
        ("“Armenia and Azerbaijan have an opportunity,” he said. “I urge both.”",
         ["“Armenia and Azerbaijan have an opportunity,” he said.", "“I urge both.”"]),
        ("He waited... Then he left.", ["He waited...", "Then he left."]),
        ("NATO chief hails chance for ‘enduring’ Azerbaijan-Armenia peace",
         ["NATO chief hails chance for ‘enduring’ Azerbaijan-Armenia peace"]),
        ("Mr. Pashinyan spoke in Yerevan. Tass quoted him.",
         ["Mr. Pashinyan spoke in Yerevan.", "Tass quoted him."]),
        ('"Stability matters," she said. "We agree," he replied.',
         ['"Stability matters," she said.', '"We agree," he replied.']),
    ],
    ids=["abbreviation-US", "decimal", "curly-quotes", "ellipsis", "headline-no-stop",
         "title-Mr", "straight-quotes"],
)
def test_sentences(paragraph: str, expected: list[str]) -> None:
    assert texts(paragraph) == expected
    pieces = split_sentences(paragraph)
    assert join_sentences(pieces, [s.text for s in pieces]) == paragraph


@pytest.mark.parametrize("paragraph", ["", "   ", "\t"], ids=["empty", "spaces", "tab"])
def test_blank_paragraph_has_no_sentences(paragraph: str) -> None:
    assert split_sentences(paragraph) == []


def test_whitespace_is_kept_around_sentences() -> None:
    pieces = split_sentences("  First one.   Second one.  ")
    assert [p.text for p in pieces] == ["First one.", "Second one."]
    assert join_sentences(pieces, ["A.", "B."]) == "  A.   B.  "


def test_article_lines_round_trip() -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    for line in text.split("\n"):
        pieces = split_sentences(line)
        assert join_sentences(pieces, [p.text for p in pieces]) == line


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), max_size=200))
def test_split_then_join_is_identity(paragraph: str) -> None:
    pieces = split_sentences(paragraph)
    if paragraph.strip():
        assert join_sentences(pieces, [p.text for p in pieces]) == paragraph
        assert all(p.text == p.text.strip() and p.text for p in pieces)
    else:
        assert pieces == []
