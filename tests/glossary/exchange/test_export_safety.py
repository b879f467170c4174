"""Exports that are safe to open: formula-like terms and characters no export can write."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from glossary.errors import GlossaryInvalid
from glossary.exchange.csvx import export_csv
from glossary.exchange.limits import neutralise_cell
from glossary.review.errors import ProposalInvalid
from glossary.review.workflow import GlossaryReview
from glossary.termbase.lint import lint
from glossary.termbase.load import load_glossary
from glossary.termbase.model import Rendering, Status

REPO = Path(__file__).resolve().parents[3]
CURATED = REPO / "glossary" / "data" / "curated.yaml"
PAYLOADS = ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1",
            "\uff1d1+1"]


@pytest.fixture
def glossary_file(tmp_path: Path) -> Path:
    path = tmp_path / "g.yaml"
    path.write_bytes(CURATED.read_bytes())
    return path


@pytest.mark.parametrize("payload", PAYLOADS)
def test_propose_refuses_a_formula_rendering(glossary_file: Path, payload: str) -> None:
    review = GlossaryReview(glossary_file)
    with pytest.raises(ProposalInvalid, match="formula"):
        review.propose("karabakh", "de", payload + " Karabach", "admitted", "r", by="a")
    assert not review.proposals_path.exists()


@pytest.mark.parametrize("char", ["\x01", "\ufffe", "\x08", "\ud800"])
def test_lint_refuses_what_tbx_cannot_carry(glossary_file: Path, char: str) -> None:
    text = glossary_file.read_text(encoding="utf-8")
    escaped = f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    at = text.index("status: preferred\n") + len("status: preferred\n")
    line_start = text.rindex("\n", 0, at - 1) + 1
    indent = text[line_start:at].index("status")
    note = " " * indent + f'note: "Bad{escaped}note"\n'
    glossary_file.write_text(text[:at] + note + text[at:], encoding="utf-8")
    problems = lint(glossary_file)
    assert any("TBX" in p.message for p in problems), problems


def test_csv_export_neutralises_formula_cells(glossary_file: Path) -> None:
    glossary = load_glossary(glossary_file)
    concept = glossary.concepts["karabakh"]
    evil = Rendering(text="=1+1", status=Status.PREFERRED)
    terms = dict(concept.terms)
    terms["de"] = (evil,)
    import dataclasses

    glossary.concepts["karabakh"] = dataclasses.replace(concept, terms=terms)
    rows = list(csv.reader(io.StringIO(export_csv(glossary, "de"))))
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert ["Karabakh", "'=1+1"] in rows
    assert neutralise_cell("Karabach") == "Karabach"


def test_a_curated_glossary_is_still_valid() -> None:
    with pytest.raises(GlossaryInvalid) if lint(CURATED) else _nothing():
        load_glossary(CURATED)


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *args: object) -> None:
        return None
