"""Issue 14's whole measurement in one run: every benchmark script, the baseline and this checkout side by side.

    python benchmarks/desk.py --old-ref 74283d6              # the full run (--help: minutes per part)
    python benchmarks/desk.py --old-ref 74283d6 --quick      # tiny sizes, one run each
    python benchmarks/desk.py --only goal1,goal3             # some parts only

The baseline is a `git worktree` of OLD_REF (benchmarks/side_by_side.py's
`old_tree`); "after" is this checkout. Each part runs its own script as a
subprocess with its own command line, in a fixed order:

  catalog   goals 1, 6  benchmarks/catalog_scaling.py (both sides in one process)
  edits     goal 2      benchmarks/glossary_edits.py (both sides in one process)
  ladder    goal 3      benchmarks/ladder_cost.py, before then after
  batching  goal 4      benchmarks/many_documents.py (both sides in one process)
  memory    goal 5      benchmarks/ladder_cost.py --memory, before then after
  variants  (a)-(d)     benchmarks/run.py of each side: the four decoding paths, --help, re-run

The machine (nproc, CPU, RAM, Python, ctranslate2) and the load average before
and after every command are recorded. One JSON (default benchmarks/desk.json)
holds per goal the exact commands, the figures, the targets, met or missed and
the loads; a table per goal is printed. benchmarks/desk_report.py turns the
JSON into the figures of docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desk_goals import FIGURES, GOALS, PARTS
from side_by_side import old_tree

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
DEFAULT_JSON = BENCH_DIR / "desk.json"
DEFAULT_OLD_REF = "74283d6"

# Minutes per part on this 2-core machine, both sides: (full run at the defaults, estimated for a
# 1-minute load of about 3; --quick, measured at load 9-14). Wall time grows about in proportion to
# the load above the 2 cores; the full figures are scaled from: catalog 3.8 min and ladder 4.7 min at
# the defaults at load 9-10; edits from the 74283d6 side's 190 s per propose at 2,000 concepts (load 3-10),
# so that size runs one round by default; batching
# 8.4 min at the defaults at load 9-11; memory 3.4 min for 1,200 paragraphs at load 10; variants from
# run.py's 12 min for 5 runs at load 1.5-2.5.
ESTIMATE_MINUTES = {
    "catalog": (1.5, 2.2),
    "edits": (12.0, 2.7),
    "ladder": (2.0, 2.6),
    "batching": (3.0, 1.1),
    "memory": (6.0, 2.0),
    "variants": (20.0, 7.3),
}


@dataclass(frozen=True)
class Sizes:
    """Every size and repeat count a part takes; --quick and the options fill it."""

    catalog_repeat: int
    edits_repeat: int
    edits_sizes: str
    ladder_runs: int
    ladder_models: str
    documents: int
    document_runs: int
    jobs: str
    memory_sizes: str
    memory_old_sizes: str
    variant_runs: int
    variant_quick: bool


def make_sizes(args: argparse.Namespace) -> Sizes:
    quick = args.quick
    return Sizes(
        catalog_repeat=args.catalog_repeat or (1 if quick else 3),
        edits_repeat=args.edits_repeat or (1 if quick else 3),
        edits_sizes=args.edits_sizes or ("curated" if quick else "curated,2000:1,curated+1000:1"),
        ladder_runs=args.ladder_runs or (1 if quick else 3),
        ladder_models=args.ladder_models or ("qtc" if quick else "qtc,qtr"),
        documents=args.documents or (8 if quick else 200),
        document_runs=args.document_runs or 1,
        jobs=args.jobs or ("1" if quick else "1,2"),
        memory_sizes=args.memory_sizes or ("28,112" if quick else "200,1000,5000"),
        memory_old_sizes=args.memory_old_sizes or ("28,112" if quick else "200,1000"),
        variant_runs=args.variant_runs or (1 if quick else 2),
        variant_quick=quick,
    )


# ------------------------------------------------------------ the commands


@dataclass(frozen=True)
class Step:
    """One subprocess: which side(s) it measures, its command line, where it writes its JSON."""

    side: str  # "old", "new" or "both"
    argv: list[str]
    cwd: Path
    out: Path


def steps(part: str, sizes: Sizes, old_ref: str, old: Path, work: Path) -> list[Step]:
    py = sys.executable
    here = str(BENCH_DIR)
    if part == "catalog":
        out = work / "catalog.json"
        return [Step("both", [py, f"{here}/catalog_scaling.py", "--old-ref", old_ref, "--repeat",
                              str(sizes.catalog_repeat), "--out", str(out)], REPO, out)]
    if part == "edits":
        out = work / "edits.json"
        return [Step("both", [py, f"{here}/glossary_edits.py", "--old-ref", old_ref, "--repeat",
                              str(sizes.edits_repeat), "--sizes", sizes.edits_sizes, "--out", str(out)], REPO, out)]
    if part == "ladder":
        # This side logs its decode and score calls by kind too: where the time over (b) goes.
        return [Step(side, [py, f"{here}/ladder_cost.py", "--repo", str(tree), "--models", sizes.ladder_models,
                            "--runs", str(sizes.ladder_runs), "--json", str(work / f"ladder-{side}.json"), *extra],
                     REPO, work / f"ladder-{side}.json") for side, tree, extra in (("old", old, []),
                                                                                   ("new", REPO, ["--calls"]))]
    if part == "batching":
        out = work / "batching.json"
        return [Step("both", [py, f"{here}/many_documents.py", "--repo", str(old), "--documents", str(sizes.documents),
                              "--runs", str(sizes.document_runs), "--jobs", sizes.jobs, "--json", str(out)], REPO, out)]
    if part == "memory":
        return [Step(side, [py, f"{here}/ladder_cost.py", "--repo", str(tree), "--models", "", "--memory", counts,
                            "--json", str(work / f"memory-{side}.json")], REPO, work / f"memory-{side}.json")
                for side, tree, counts in (("old", old, sizes.memory_old_sizes), ("new", REPO, sizes.memory_sizes))]
    if part == "variants":
        # Each side runs its own run.py (its own code, its own variants); one model cache for both.
        common = ["--quick"] if sizes.variant_quick else ["--runs", str(sizes.variant_runs)]
        return [Step(side, [py, f"{tree}/benchmarks/run.py", *common, "--cache",
                            str(BENCH_DIR / ".cache"), "--json", str(work / f"variants-{side}.json")],
                     tree, work / f"variants-{side}.json") for side, tree in (("old", old), ("new", REPO))]
    raise ValueError(part)


def shown(argv: list[str], old: Path, work: Path) -> str:
    """The command as a reader types it: python, paths in this checkout relative.

    OLD_TREE stands for the worktree of the old ref, OUT_DIR for the folder of the scripts' JSON files.
    """
    words = []
    for word in argv:
        word = "python" if word == sys.executable else word
        word = word.replace(str(old), "OLD_TREE").replace(str(work), "OUT_DIR").replace(str(REPO) + "/", "")
        words.append("." if word == str(REPO) else word)
    return shlex.join(words)


def run_step(step: Step, old: Path, work: Path) -> dict[str, Any]:
    record: dict[str, Any] = {"side": step.side, "command": shown(step.argv, old, work),
                              "argv": step.argv, "cwd": str(step.cwd), "load_before": list(os.getloadavg())}
    print(f"$ {record['command']}", flush=True)
    start = time.perf_counter()
    done = subprocess.run(step.argv, cwd=step.cwd, capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(step.cwd)})
    record["seconds"] = round(time.perf_counter() - start, 1)
    record["load_after"] = list(os.getloadavg())
    record["returncode"] = done.returncode
    record["stdout"] = done.stdout.splitlines()[-40:]
    if done.returncode != 0:
        record["stderr"] = done.stderr.splitlines()[-40:]
        print("\n".join(record["stderr"]), file=sys.stderr)
    elif step.out.is_file():
        record["results"] = json.loads(step.out.read_text(encoding="utf-8"))
    print(f"  {record['seconds']:.0f} s, exit {done.returncode}, load {record['load_before'][0]:.2f} -> "
          f"{record['load_after'][0]:.2f}", flush=True)
    return record


# --------------------------------------------------------------- machine


def machine() -> dict[str, Any]:
    """run.py's machine record (from a child, so its private Argos home stays its own) plus nproc."""
    code = "import json, sys; sys.path.insert(0, 'benchmarks'); import run; print(json.dumps(run.machine()))"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    facts: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    facts["nproc"] = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return facts


def git_head(tree: Path) -> str:
    """The commit a tree holds, with "+changes" when its tracked files differ from it."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=tree, capture_output=True, text=True,
                          check=False).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=tree,
                           capture_output=True, text=True, check=False).stdout.strip()
    return f"{head}+changes" if dirty else head


# ----------------------------------------------------------------- output


def print_goal(name: str, goal: dict[str, Any]) -> None:
    loads = [x for run in goal["runs"] for x in (run["load_before"][0], run["load_after"][0])]
    print(f"\n{name}: {GOALS[name]}  (load {min(loads):.2f}-{max(loads):.2f})")
    print(f"  {'figure':<56}{'before':>10}{'after':>10}  {'target':<12}")
    for row in goal["figures"]:
        def cell(value: Any) -> str:
            return "-" if value is None else f"{value:.3g}" if isinstance(value, float) else str(value)

        met = {True: "met", False: "MISSED", None: ""}[row["met"]]
        print(f"  {row['figure']:<56}{cell(row['before']):>10}{cell(row['after']):>10}  {row['target']:<12}{met}")


def write(path: Path, results: dict[str, Any], started: float) -> None:
    results["load_after"] = list(os.getloadavg())
    results["minutes"] = round((time.time() - started) / 60, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def selected_parts(only: str) -> list[str]:
    if not only:
        return list(PARTS)
    wanted = {w.strip() for w in only.split(",") if w.strip()}
    unknown = wanted - set(GOALS) - set(PARTS)
    if unknown:
        raise SystemExit(f"desk: unknown part or goal {', '.join(sorted(unknown))} "
                         f"(choose from {', '.join([*GOALS, *PARTS])})")
    return [part for part, goals in PARTS.items() if part in wanted or wanted & set(goals)]


def parse(argv: list[str] | None) -> argparse.Namespace:
    estimates = "\n".join(f"  {part:<9} {', '.join(PARTS[part]):<16} about {full:g} min (quick {quick:g} min)"
                          for part, (full, quick) in ESTIMATE_MINUTES.items())
    total = sum(full for full, _ in ESTIMATE_MINUTES.values()), sum(q for _, q in ESTIMATE_MINUTES.values())
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="parts in order, what they measure, minutes at the defaults (estimated for load ~3) and with\n"
               f"--quick (measured at load 9-14):\n{estimates}\n"
               f"  total     about {total[0]:g} min (quick {total[1]:g} min)\n"
               "Fit a full run to the time there is with the per-part options: time grows about linearly with\n"
               "repeats and runs, the memory part with the sum of the paragraph counts, every part with the load.")
    parser.add_argument("--old-ref", default=DEFAULT_OLD_REF, help=f"the baseline (default {DEFAULT_OLD_REF})")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run each (a few minutes)")
    parser.add_argument("--only", default="", help="comma-separated goals or parts, e.g. goal1,goal3 or variants")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON,
                        help=f"where to write the figures (default {DEFAULT_JSON.relative_to(REPO)})")
    sizes = parser.add_argument_group("sizes (defaults: the full run; --quick makes them tiny)")
    sizes.add_argument("--catalog-repeat", type=int, help="catalog: repeats per case (3)")
    sizes.add_argument("--edits-repeat", type=int, help="edits: rounds per glossary size (3)")
    sizes.add_argument("--edits-sizes", help="edits: glossary sizes, SIZE or SIZE:ROUNDS, SIZE+EDITS (curated,2000:1,curated+1000:1)")
    sizes.add_argument("--ladder-runs", type=int, help="ladder: timed runs per side (3)")
    sizes.add_argument("--ladder-models", help="ladder: trained test models (qtc,qtr)")
    sizes.add_argument("--documents", type=int, help="batching: small documents (200: 750 paragraphs)")
    sizes.add_argument("--document-runs", type=int, help="batching: runs per variant (1)")
    sizes.add_argument("--jobs", help="batching: --jobs values (1,2)")
    sizes.add_argument("--memory-sizes", help="memory: paragraph counts, after (200,1000,5000; the goal's 20,000 adds about 15 min)")
    sizes.add_argument("--memory-old-sizes", help="memory: paragraph counts, before (200,1000)")
    sizes.add_argument("--variant-runs", type=int, help="variants: run.py --runs per side (2)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    parts = selected_parts(args.only)
    sizes = make_sizes(args)
    started = time.time()
    results: dict[str, Any] = {
        "command": shlex.join(["python", "benchmarks/desk.py", *(sys.argv[1:] if argv is None else argv)]),
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(started)),
        "quick": args.quick, "old_ref": args.old_ref, "new_commit": git_head(REPO),
        "machine": machine(), "sizes": sizes.__dict__, "load_before": list(os.getloadavg()), "goals": {},
    }
    with tempfile.TemporaryDirectory(prefix="tg-desk-out-") as out_dir, \
            old_tree(REPO, args.old_ref, "tg-desk-") as (old, _scratch):
        work = Path(out_dir)
        results["old_commit"] = git_head(old)
        for part in parts:
            part_start = time.perf_counter()
            runs = [run_step(step, old, work) for step in steps(part, sizes, args.old_ref, old, work)]
            minutes = round((time.perf_counter() - part_start) / 60, 1)
            for goal in PARTS[part]:
                try:
                    figures = FIGURES[goal](runs)
                except (KeyError, TypeError, ValueError, ZeroDivisionError) as error:
                    figures = [{"figure": f"(no figures: {type(error).__name__} {error})", "before": None,
                                "after": None, "target": "", "met": None}]
                results["goals"][goal] = {"title": GOALS[goal], "part": part, "part_minutes": minutes,
                                          "runs": [{k: v for k, v in r.items() if k != "results"} for r in runs],
                                          "figures": figures}
                print_goal(goal, results["goals"][goal])
            results.setdefault("raw", {})[part] = [r.get("results") for r in runs]
            write(args.json, results, started)  # after every part: a long run stopped midway keeps what it did
    write(args.json, results, started)
    print(f"\n{results['minutes']} min, load {results['load_before'][0]:.2f} -> {results['load_after'][0]:.2f}; "
          f"wrote {args.json}")
    failed = [r["command"] for g in results["goals"].values() for r in g["runs"] if r["returncode"] != 0]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
