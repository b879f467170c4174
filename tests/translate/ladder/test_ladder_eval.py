"""The ladder measurement (benchmarks/ladder_eval.py) runs end to end on the qtr test model.

No timing and no quality threshold is asserted here (the figures are in
docs/enforcement.md); what is asserted is that every figure is produced and
that the held-out set is what the measurement claims it is.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO
from glossary import SourceMatcher, load_glossary

MODEL = REPO / "tests/model"
sys.path.insert(0, str(REPO / "tools"))

import testlang_qtr  # noqa: E402 - found through the sys.path entry above


def test_heldout_set_is_dense_in_terms_and_its_reference_is_the_grammar() -> None:
    glossary = load_glossary(MODEL / "glossary-qtr.yaml")
    matcher = SourceMatcher(glossary)
    rows = [line.split("\t") for line in (MODEL / "heldout-qtr.tsv").read_text("utf-8").splitlines()]
    assert len(rows) == 400
    assert sum(len(matcher.find(source)) for source, _ in rows) >= 300
    assert all(testlang_qtr.translate(source) == reference for source, reference in rows)


def test_ladder_measurement_reports_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "ladder.json"
    done = subprocess.run([sys.executable, str(REPO / "benchmarks/ladder_eval.py"), "--limit", "12",
                           "--threads", "1", "--json", str(out)],
                          capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text("utf-8"))
    for part in ("heldout", "article"):
        data = results[part]
        for side in ("plain", "ladder"):
            figures = data[side]
            assert 0 <= figures["resolved"] <= figures["enforceable"] > 0
            assert 0.0 <= figures["resolved_share"] <= 1.0
            assert 0.0 < figures["chrf"] <= 100.0 and 0.0 < figures["word_accuracy"] <= 1.0
            assert sum(figures["steps"].values()) == figures["resolved"]
        # The plain side uses no ladder step: whatever it resolves, decoding did.
        assert set(data["plain"]["steps"]) <= {"decode"}
        assert data["plain"]["decode_calls"] == 1
        assert 0 <= data["damaged"] <= data["changed_by_ladder"] <= data["sentences"]
    assert results["article"]["sentences"] == 26
    assert "resolved" in done.stdout and "damaged" in done.stdout
