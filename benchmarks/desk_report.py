"""The figures of docs/performance.md, generated from one run of benchmarks/desk.py.

    python benchmarks/desk_report.py [benchmarks/desk.json]                          # prints the Markdown
    python benchmarks/desk_report.py benchmarks/desk.json --doc docs/performance.md  # fills the doc in place

Every section is a table per goal (before, after, target, met) with the
commands that produced it and the machine's load while they ran. With --doc,
each section replaces what stands between ``<!-- desk:NAME -->`` and
``<!-- /desk:NAME -->`` in the document (NAME: machine, goal1 ... goal6,
variants); the prose around the markers is left as it is.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
VARIANT_NAMES = {"a_argos": "(a) Argos", "b_limit": "(b) limit", "c_termguard_no_glossary": "(c) no glossary",
                 "d_termguard_glossary": "(d) glossary"}
MODELS = (("decoding", "benchmark model (random weights, 6+6 layers)"),
          ("decoding_test_model", "trained test model qtc"), ("decoding_qtr_model", "trained test model qtr"))


def cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def loads(runs: list[dict[str, Any]]) -> str:
    seen = [x for run in runs for x in (run["load_before"][0], run["load_after"][0])]
    return f"{min(seen):.2f}-{max(seen):.2f}"


def commands(runs: list[dict[str, Any]]) -> str:
    lines = ["```sh"]
    for run in runs:
        lines.append(f"{run['command']}    # {run['side']}: {run['seconds']:.0f} s, load {run['load_before'][0]:.2f}"
                     f" -> {run['load_after'][0]:.2f}" + ("" if run["returncode"] == 0 else
                                                          f", FAILED (exit {run['returncode']})"))
    lines.append("```")
    return "\n".join(lines)


def goal_section(name: str, goal: dict[str, Any], results: dict[str, Any]) -> str:
    before = f"before ({results['old_ref']})"
    lines = [f"| figure | {before} | after | target | |", "|---|---:|---:|---|---|"]
    for row in goal["figures"]:
        met = {True: "met", False: "**missed**", None: ""}[row["met"]]
        lines.append(f"| {row['figure']} | {cell(row['before'])} | {cell(row['after'])} | {row['target']} | {met} |")
    lines += ["", f"Measured by (the part took {goal['part_minutes']} min, 1-minute load {loads(goal['runs'])} "
                  "on the 2 cores):", "", commands(goal["runs"])]
    return "\n".join(lines)


def variant_tables(results: dict[str, Any]) -> str:
    """The four variants' medians per model and text, both sides (run.py's own table)."""
    raw = results.get("raw", {}).get("variants") or []
    goal = results["goals"]["variants"]
    sides = [(run["side"], data) for run, data in zip(goal["runs"], raw) if data]
    lines = ["| side | model | text | sentences | " + " | ".join(VARIANT_NAMES.values())
             + " | (c)/(b) | (d)/(b) | (a)/(c) | ladder calls |",
             "|---|---|---|---:|" + "---:|" * (len(VARIANT_NAMES) + 4)]
    for side, data in sides:
        label = f"before ({results['old_ref']})" if side == "old" else "after"
        for section, model in MODELS:
            for text, figures in (data.get(section) or {}).items():
                ratios = figures["ratios"]
                lines.append(f"| {label} | {model} | {text} | {figures['sentences']} | "
                             + " | ".join(f"{figures['median_s'][v]:.3f}" for v in VARIANT_NAMES)
                             + f" | {ratios['c_over_b']:.2f} | {ratios['d_over_b']:.2f} | {ratios['a_over_c']:.2f}"
                             f" | {figures['ladder_decode_calls']} |")
    runs = sides[0][1]["settings"]["runs"] if sides else "?"
    return "\n".join([f"Medians of {runs} interleaved run(s), seconds, model loading excluded:", "", *lines])


def ladder_calls_table(results: dict[str, Any]) -> str:
    """Where the ladder's time goes (this code, the last timed run): seconds per kind of call, over (b)."""
    runs = results["goals"]["goal3"]["runs"]
    raw = results.get("raw", {}).get("ladder") or []
    decode = next(((data or {}).get("decode", {}) for run, data in zip(runs, raw) if run["side"] == "new"), {})
    rows = [(key, figures) for key, figures in decode.items() if figures.get("calls_by_kind")]
    if not rows:
        return ""
    kinds = sorted({kind for _, figures in rows for kind in figures["calls_by_kind"]})
    lines = ["| model/text | (b) s | (d) s | " + " | ".join(kinds) + " | rest (Python) |",
             "|---|---:|---:|" + "---:|" * (len(kinds) + 1)]
    for key, figures in rows:
        b, d, by_kind = figures["b_s"], figures["d_s"], figures["calls_by_kind"]
        cells = [f"{by_kind[k]['s'] / b:.2f}x ({by_kind[k]['calls']})" if k in by_kind else "-" for k in kinds]
        rest = d - sum(row["s"] for row in by_kind.values())
        lines.append(f"| {key} | {b:.3f} | {d:.3f} | " + " | ".join(cells) + f" | {rest / b:.2f}x |")
    return "\n".join(["Where the time of (d) goes, after: each kind of decode or score call's seconds over (b), "
                      "with the number of calls, in the last timed run (`ladder_cost.py --calls`):", "", *lines])


def machine_section(results: dict[str, Any]) -> str:
    m = results["machine"]
    goals = results["goals"]
    all_runs = [run for goal in goals.values() for run in goal["runs"]]
    seen = [x for run in all_runs for x in (run["load_before"][0], run["load_after"][0])]
    load = f"{min(seen):.2f}-{max(seen):.2f}" if seen else "-"
    return "\n".join([
        f"{m['nproc']} CPUs (`nproc`; `/proc/cpuinfo`: \"{m['cpu_model']}\"), {m['ram_gib']} GiB RAM, "
        f"{m['platform']}; Python {m['python']}, ctranslate2 {m['ctranslate2']}, argos-translate-lt "
        f"{m['argos_translate_lt']}, sentencepiece {m['sentencepiece']}, numpy {m['numpy']}.",
        "",
        f"One run of `{results['command']}`, started {results['started']}, {results['minutes']} min: "
        f"before = `{results['old_ref']}` ({results['old_commit']}), after = {results['new_commit']}. "
        f"1-minute load average {results['load_before'][0]:.2f} at the start, {results['load_after'][0]:.2f} "
        f"at the end, {load} around the commands (2 cores; a load above 2 means other jobs shared the machine, and "
        "absolute times are upper bounds)." + (" **A `--quick` run: tiny sizes, one run each; not the figures to quote.**"
                                if results["quick"] else ""),
    ])


def sections(results: dict[str, Any]) -> dict[str, str]:
    out = {"machine": machine_section(results)}
    for name, goal in results["goals"].items():
        text = goal_section(name, goal, results)
        if name == "variants":
            text = variant_tables(results) + "\n\n" + text
        calls = ladder_calls_table(results) if name == "goal3" else ""
        if calls:
            text = text + "\n\n" + calls
        out[name] = text
    return out


def fill(doc: str, parts: dict[str, str]) -> str:
    """Replace each marked region of `doc` whose section the run produced."""
    for name, text in parts.items():
        pattern = re.compile(rf"(<!-- desk:{name} -->\n).*?(<!-- /desk:{name} -->)", re.DOTALL)
        doc = pattern.sub(lambda m, text=text: m.group(1) + text + "\n" + m.group(2), doc)
    return doc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", type=Path, nargs="?", default=BENCH_DIR / "desk.json")
    parser.add_argument("--doc", type=Path, help="fill the marked sections of this Markdown file in place")
    args = parser.parse_args(argv)
    results = json.loads(args.json.read_text(encoding="utf-8"))
    parts = sections(results)
    if args.doc:
        args.doc.write_text(fill(args.doc.read_text(encoding="utf-8"), parts), encoding="utf-8")
        print(f"filled {', '.join(parts)} in {args.doc}")
    else:
        for name, text in parts.items():
            title = results["goals"][name]["title"] if name in results["goals"] else "The machine"
            print(f"## {name}: {title}\n\n{text}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
