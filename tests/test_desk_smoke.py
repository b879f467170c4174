"""benchmarks/desk.py runs one part end to end, side by side with the old ref, and records every field.

No timing is asserted (CI machines are too noisy); what is asserted is that the
JSON docs/performance.md is generated from holds, per goal, the commands, the
figures of both sides, the targets with met or missed, the loads and the
machine, and that benchmarks/desk_report.py turns it into the doc's tables.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


@pytest.mark.slow
def test_quick_desk_part_records_commands_figures_targets_and_loads(tmp_path: Path) -> None:
    out = tmp_path / "desk.json"
    # The old ref is this checkout's HEAD: the harness, not the figures, is under test.
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "desk.py"), "--quick", "--only", "goal2",
         "--old-ref", "HEAD", "--json", str(out)],
        capture_output=True, text=True, timeout=900, check=False, cwd=REPO,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert "goal2: Glossary edits parse once" in done.stdout
    results = json.loads(out.read_text(encoding="utf-8"))

    assert results["quick"] is True and results["old_ref"] == "HEAD"
    assert results["command"].startswith("python benchmarks/desk.py --quick --only goal2")
    for key in ("nproc", "cpu_model", "ram_gib", "python", "ctranslate2"):
        assert results["machine"][key]
    assert len(results["load_before"]) == 3 and len(results["load_after"]) == 3
    assert set(results["goals"]) == {"goal2"}  # --only ran that part alone

    goal = results["goals"]["goal2"]
    assert goal["part"] == "edits"
    [run] = goal["runs"]
    assert run["returncode"] == 0
    assert run["command"].startswith("python benchmarks/glossary_edits.py --old-ref HEAD --repeat 1 --sizes curated")
    assert len(run["load_before"]) == 3 and len(run["load_after"]) == 3 and run["seconds"] > 0

    figures = {row["figure"]: row for row in goal["figures"]}
    for step in ("propose", "approve", "import", "lint-cold", "lint-edit"):
        figure = figures[f"curated: {step} (s)"]
        assert _number(figure["before"]) and _number(figure["after"])
    for step in ("propose", "approve", "import"):  # the targets, judged
        figure = figures[f"curated: {step} (s)"]
        assert figure["target"] == "<= 0.3 s"
        assert figure["met"] is (figure["after"] <= 0.3)
    assert figures["curated: lint-edit (s)"]["met"] is None  # no target set for it

    report = subprocess.run([sys.executable, str(REPO / "benchmarks" / "desk_report.py"), str(out)],
                            capture_output=True, text=True, timeout=60, check=True)
    assert "| curated: propose (s) |" in report.stdout
    assert "python benchmarks/glossary_edits.py --old-ref HEAD" in report.stdout
    assert "load" in report.stdout and results["machine"]["cpu_model"] in report.stdout
