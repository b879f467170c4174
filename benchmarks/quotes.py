"""The quotation finder on hostile paragraphs: a term and thousands of unclosed quotes.

Prints seconds per size for `quoted_spans` alone and for a whole `check`
(judge) of one such line, and the ratio between the largest and smallest
size: about the size ratio (8x) when the cost is linear, its square (64x)
when it is quadratic. No figure here is asserted by a test; the test suite
runs `--quick` only to see every figure produced.

    python benchmarks/quotes.py [--quick] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from glossary import check_document, load_glossary  # noqa: E402
from glossary.matching.quotes import quoted_spans  # noqa: E402

# The sizes the adversarial pass used (27 KB, 109 KB, 219 KB).
SIZES = (27_000, 109_000, 219_000)
QUICK_SIZES = (2_000, 8_000, 16_000)
_UNIT = "Karabakh „a «b ‚c "  # openers with no closers, and a term between them


def hostile_line(size: int) -> str:
    """One paragraph of about `size` characters: terms and unclosed quotations."""
    return (_UNIT * (size // len(_UNIT) + 1))[:size] + " » ” ’ « ‘"


def _seconds(function, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (for the smoke test)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    sizes = QUICK_SIZES if args.quick else SIZES
    glossary = load_glossary()
    rows = []
    for size in sizes:
        line = hostile_line(size)
        finder = _seconds(quoted_spans, line)
        check = _seconds(check_document, [line], [line], glossary, "de")
        rows.append({"chars": len(line), "quoted_spans_s": finder, "check_s": check})
        print(f"{len(line):>8} chars  quoted_spans {finder:8.4f} s  check {check:8.4f} s")
    growth = rows[-1]["chars"] / rows[0]["chars"]
    ratio = rows[-1]["check_s"] / max(rows[0]["check_s"], 1e-9)
    print(f"size x{growth:.1f} -> check time x{ratio:.1f} (linear ~x{growth:.0f}, quadratic ~x{growth ** 2:.0f})")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "size_growth": growth, "check_growth": ratio}, indent=2),
                             encoding="utf-8")


if __name__ == "__main__":
    main()
