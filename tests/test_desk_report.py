"""benchmarks/desk_report.py fills the marked sections of a document from desk.json and leaves the prose."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO

RUN = {"side": "both", "command": "python benchmarks/catalog_scaling.py --old-ref abc --repeat 1 --out OUT_DIR/c.json",
       "seconds": 42.0, "load_before": [2.5, 2.0, 1.0], "load_after": [3.5, 2.2, 1.1], "returncode": 0}
RESULTS = {
    "command": "python benchmarks/desk.py --only goal6", "started": "2026-12-02 04:00:00 UTC", "minutes": 0.8,
    "quick": False, "old_ref": "abc", "old_commit": "abc1234", "new_commit": "def5678",
    "load_before": [2.4, 2.0, 1.0], "load_after": [3.6, 2.2, 1.1],
    "machine": {"nproc": 2, "cpu_model": "Test CPU", "ram_gib": 23.5, "platform": "Linux", "python": "3.11.7",
                "ctranslate2": "4.8.5", "argos_translate_lt": "1.12.1", "sentencepiece": "0.2.3", "numpy": "2.4.6"},
    "goals": {"goal6": {"title": "Checks at scale", "part": "catalog", "part_minutes": 0.7, "runs": [RUN],
                        "figures": [{"figure": "re-check 1,000 reviewed entries (s)", "before": 1.43, "after": 0.31,
                                     "target": "<= 0.5 s", "met": True}]}},
}


def test_report_fills_marked_sections_and_keeps_the_prose(tmp_path: Path) -> None:
    desk = tmp_path / "desk.json"
    desk.write_text(json.dumps(RESULTS), encoding="utf-8")
    doc = tmp_path / "performance.md"
    doc.write_text("# P\n\nprose before\n\n<!-- desk:machine -->\nold machine\n<!-- /desk:machine -->\n\n"
                   "<!-- desk:goal6 -->\nold table\n<!-- /desk:goal6 -->\n\nwhat limits it\n\n"
                   "<!-- desk:goal1 -->\nnot in this run\n<!-- /desk:goal1 -->\n", encoding="utf-8")
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "desk_report.py"), str(desk), "--doc", str(doc)],
                   check=True, capture_output=True, text=True, timeout=60)
    text = doc.read_text(encoding="utf-8")

    assert "old machine" not in text and "old table" not in text
    assert "prose before" in text and "what limits it" in text
    assert "not in this run" in text  # a goal the run did not measure keeps what it had
    assert "| re-check 1,000 reviewed entries (s) | 1.430 | 0.310 | <= 0.5 s | met |" in text
    assert RUN["command"] + "    # both: 42 s, load 2.50 -> 3.50" in text
    assert "1-minute load 2.50-3.50" in text
    assert '"Test CPU"' in text and "before = `abc` (abc1234), after = def5678" in text
    # Markers stay, so the page can be filled again from the next run.
    assert text.count("<!-- desk:goal6 -->") == 1 and text.count("<!-- /desk:goal6 -->") == 1
