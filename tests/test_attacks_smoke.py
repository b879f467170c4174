"""The adversarial pass's quick subset: every attack class is tried and every attack handled.

benchmarks/attacks.py drives the installed command line with hostile inputs,
servers, files and races; its --quick subset holds at least one attack of
each class. A regression anywhere (a traceback, a hang, a lost save, a term
smuggled past a check) fails here with the attack's name and reason.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO

CLASSES = {"hidden", "glossary-file", "formula", "terminal-escape", "output-template", "file-name",
           "endless-input", "catalog-header", "damaged-package", "index-json", "download", "long-sentence",
           "unclosed-quotes", "concurrent-save", "kill-approve"}


def test_quick_attack_pass_is_handled(tmp_path: Path) -> None:
    out = tmp_path / "attacks.json"
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "attacks.py"), "--quick", "--json", str(out)],
                          capture_output=True, text=True, timeout=1200, check=False)
    results = json.loads(out.read_text(encoding="utf-8"))
    failed = [f"{r['cls']}: {r['name']}: {r['reason']}" for r in results["results"] if not r["handled"]]
    assert failed == [], "\n".join(failed)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert set(results["classes"]) == CLASSES
    assert results["tried"] == results["handled"] == len(results["results"]) > 0
