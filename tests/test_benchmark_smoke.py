"""The benchmark's smoke version runs end to end and reports every figure.

No timing is asserted: CI machines are too noisy for that. What is asserted
is that every figure docs/performance.md quotes is produced, and the two
functional claims behind the timings: Argos' path really translated, and a
re-run on unchanged inputs never imported CTranslate2.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO

VARIANTS = ("a_argos", "b_limit", "c_termguard_no_glossary", "d_termguard_glossary")


def _positive(value: object) -> bool:
    return isinstance(value, (int, float)) and value > 0


def test_quick_benchmark_reports_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--quick",
         "--json", str(out), "--cache", str(tmp_path / "cache")],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "(a) Argos" in done.stdout and "goal " in done.stdout
    results = json.loads(out.read_text(encoding="utf-8"))

    trained = tuple(s for s in ("decoding_test_model", "decoding_qtr_model") if results.get(s))
    assert (REPO / "tests/model/translate-en_qtr-1_0.argosmodel").is_file() == bool(results["decoding_qtr_model"])
    for section in ("decoding", *trained):
        for text in ("article", "term_dense"):
            data = results[section][text]
            assert data["sentences"] > 0
            assert all(_positive(data["median_s"][v]) for v in VARIANTS)
            assert all(len(data["times_s"][v]) == results["settings"]["runs"] for v in VARIANTS)
            assert set(data["ratios"]) == {"c_over_b", "d_over_b", "a_over_c"}
            assert all(_positive(r) for r in data["ratios"].values())
            assert data["facts"]["c_termguard_no_glossary"]["decode_calls"] == 1
            assert data["ladder_decode_calls"] >= 1
            assert data["facts"]["a_argos"]["translated_paragraphs"] == data["paragraphs"]
    # The term-dense text really is term-dense: at least two occurrences a sentence.
    dense = results["decoding"]["term_dense"]
    assert dense["facts"]["d_termguard_glossary"]["occurrences"] >= 2 * dense["sentences"]

    memory = results["memory"]
    assert _positive(memory["process_peak_mib"])
    assert set(memory["per_variant_peak_mib"]) == set(VARIANTS)
    assert all(_positive(v) for v in memory["per_variant_peak_mib"].values())

    matching = results["matching"]
    assert [r["factor"] for r in matching["rows"]] == [1, 2, 4]
    assert all(_positive(r["seconds"]) and _positive(r["check_s"]) for r in matching["rows"])
    assert set(matching["growth"]) == {"1x", "2x", "4x"}

    processes = results["processes"]
    assert _positive(processes["help_s"]) and _positive(processes["rerun_s"])
    assert "0 paragraph(s) decoded" in processes["rerun_summary"]
    assert processes["rerun_imports_ctranslate2"] is False

    assert set(results["goals"]) == {"article_c_over_b", "article_d_over_b", "article_a_over_c",
                                     "matching_10k_s", "rerun_s", "help_s"}
    for key in ("cpus", "cpu_model", "ram_gib", "python", "ctranslate2", "argos_translate_lt"):
        assert results["machine"][key]
