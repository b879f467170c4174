"""The quotation finder on hostile paragraphs: right answers, and the benchmark that measures its cost.

No timing is asserted (benchmarks/quotes.py prints the figures); what is
asserted is what the finder answers on the adversarial sizes, and that the
benchmark produces every figure.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

from glossary.matching.quotes import depths_at, quoted_spans

BENCH = Path(__file__).resolve().parents[3] / "benchmarks" / "quotes.py"


def _bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("quotes_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_unclosed_quotes_on_a_long_line_nest_and_run_to_the_end() -> None:
    line = _bench().hostile_line(219_000)
    spans = quoted_spans(line)
    openers = sum(line.count(mark) for mark in "„«‚")
    # Every opener is one quotation; the closers at the end close the innermost ones.
    assert len(spans) == openers
    assert max(depth for _s, _e, depth in spans) > 1000
    term = line.index("Karabakh", 100_000)
    assert depths_at(spans, [0, term]) == [0, sum(1 for s, e, _d in spans if s <= term < e)]


def test_the_benchmark_reports_every_size(tmp_path: Path) -> None:
    out = tmp_path / "quotes.json"
    done = subprocess.run([sys.executable, str(BENCH), "--quick", "--json", str(out)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert len(figures["rows"]) == 3
    assert all(row["check_s"] > 0 and row["quoted_spans_s"] > 0 for row in figures["rows"])
    assert figures["size_growth"] > 7
