"""The model reads the source as the glossary matches it.

A soft hyphen, a joiner, a fullwidth or a Cyrillic look-alike letter inside a
contested term broke it into pieces the model had never seen: the glossary
found the occurrence, the output lost the term (found by benchmarks/attacks.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO
from translate.cli import main

HIDDEN = {"soft-hyphen": "Kara\u00adbakh", "word-joiner": "Karaba\u2060kh", "zwsp": "K\u200barabakh",
          "variation-selector": "Karab\ufe0fakh", "alm": "Kar\u061cabakh", "fullwidth": "\uff2barabakh",
          "cyrillic-a": "K\u0430rabakh", "rlo-reversed": "\u202ehkabaraK\u202c",
          # every letter but one Cyrillic: folded to Latin, the one script the word can be whole in
          "cyrillic-but-b": "\u041a\u0430\u0433\u0430b\u0430\u043a\u04bb"}


@pytest.mark.parametrize("term", list(HIDDEN.values()), ids=list(HIDDEN))
def test_a_term_with_hidden_or_look_alike_characters_is_translated_as_the_term(
        term: str, test_model: Path, tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text(f"Leaders in {term} met.\n", encoding="utf-8")
    glossary = tmp_path / "g.yaml"
    shutil.copy(REPO / "tests" / "model" / "glossary-qtc.yaml", glossary)
    out = tmp_path / "o.txt"
    result = CliRunner().invoke(main, ["translate", str(doc), "--to", "qtc", "--glossary", str(glossary),
                                       "--no-catalog", "--strict", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Gezalafo" in out.read_text(encoding="utf-8")
