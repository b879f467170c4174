"""A sentence longer than the model's positions is split and translated, never a crash.

The test model has 256 positions. The ladder's forcing step decodes with a
target prefix and re-ranks candidates with score_batch; both must stay within
the positions too, whatever the length of the sentence (found by
benchmarks/attacks.py: a 300-word sentence ending in a glossary term crashed
in scoring, then in a forced decode).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO
from translate.cli import main


@pytest.mark.parametrize("where", ["end"])
def test_a_300_word_sentence_with_a_term_is_translated(where: str, test_model: Path, tmp_path: Path,
                                                       lexicon: dict[str, str]) -> None:
    words = [w.lower() for w in list(lexicon)[:400] if w.isalpha()]
    body = [words[i % len(words)] for i in range(300)]
    body[{"start": 0, "middle": 150, "end": 299}[where]] = "Karabakh"
    doc = tmp_path / "a.txt"
    doc.write_text("The " + " ".join(body) + "\n", encoding="utf-8")
    glossary = tmp_path / "g.yaml"
    shutil.copy(REPO / "tests" / "model" / "glossary-qtc.yaml", glossary)
    out = tmp_path / "o.txt"
    result = CliRunner().invoke(main, ["translate", str(doc), "--to", "qtc", "--glossary", str(glossary),
                                       "--no-catalog", "-o", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.count("\n") == 1 and len(text.split()) > 90
