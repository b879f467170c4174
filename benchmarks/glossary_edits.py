"""Glossary edits and lint, whole process, the old code and this checkout side by side in one run.

    python benchmarks/glossary_edits.py [--old-ref main] [--repeat 3] [--sizes curated,2000:1,curated+1000:1]

The old implementation is a `git worktree` of OLD_REF made in a temporary
folder; both trees run with this interpreter, each from its own folder (so
each imports its own code). For every glossary size, runs are interleaved
(old, new, old, new, ...) so the machine's drift hits both alike:

  propose   `glossary propose` of one rendering
  approve   `glossary approve` of that proposal
  import    `glossary import` of a one-row CSV, applied (old: `--apply`; new: `--apply --by --reason`)
  lint-cold `glossary lint` with an empty cache
  lint-edit `glossary lint` right after the approval (the cache after termguard's own edit)

A size is `curated`, a number of concepts, or either with `+EDITS`: the same
glossary with that many earlier proposals, each approved, in its proposals and
history files (copies of one real round's records, renumbered).

For each generated glossary (no earlier edits), where this checkout's cold
lint goes is measured too, in one process of this tree: Python's start and
the CLI's imports (a process that imports `translate.cli`), reading and
hashing the file, libyaml's parse into the tree, validation, and writing the
cache entry (pickling), each the best CPU seconds of 5 with the collector off.

Medians in seconds are printed as a table and written as JSON (default
benchmarks/glossary_edits.json), with the machine's load average before
and after each measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from side_by_side import Measured, load_range, old_tree

REPO = Path(__file__).resolve().parent.parent
CURATED = REPO / "glossary" / "data" / "curated.yaml"
STEPS = ("propose", "approve", "import", "lint-cold", "lint-edit")


def big_glossary(target: Path, concepts: int) -> None:
    """A valid glossary of about `concepts` concepts: copies of the curated ones, renamed."""
    yaml = YAML(typ="safe", pure=True)
    data = yaml.load(CURATED.read_text(encoding="utf-8"))
    base = data["concepts"]
    out: list[dict[str, Any]] = []
    copy = 0
    while len(out) < concepts:
        for concept in base:
            if len(out) >= concepts:
                break
            item = json.loads(json.dumps(concept))
            suffix = f"c{copy}"
            item["id"] = f"{concept['id']}-{suffix}"
            if item.get("use_instead"):
                item["use_instead"] = f"{item['use_instead']}-{suffix}"
            for renderings in item.get("terms", {}).values():
                for rendering in renderings:
                    rendering["text"] = f"{rendering['text']} {suffix.upper()}"
                    if "for" in rendering:  # the source names it renders are renamed too
                        names = rendering["for"]
                        renamed = [f"{n} {suffix.upper()}" for n in ([names] if isinstance(names, str) else names)]
                        rendering["for"] = renamed[0] if isinstance(names, str) else renamed
                    rendering.pop("forms", None)
                    rendering.pop("stem", None)
                    rendering.pop("stem_max", None)
            item.pop("first_mention", None)
            out.append(item)
        copy += 1
    data["concepts"] = out
    rt = YAML()
    rt.width = 4096
    rt.allow_unicode = True
    rt.indent(mapping=2, sequence=4, offset=2)
    with target.open("w", encoding="utf-8") as handle:
        rt.dump(data, handle)


def side_files(scratch: Path, source: Path, edits: int, suffix: str) -> dict[str, str]:
    """The proposals and history texts after `edits` earlier proposals, each approved: one real round, copied."""
    work = scratch / f"side-{edits}"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir()
    glossary = work / "g.yaml"
    shutil.copyfile(source, glossary)
    env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache"), "HOME": str(work), "PYTHONPATH": str(REPO)}
    concept = "karabakh" + (f"-{suffix}" if suffix else "")
    termguard(REPO, ["glossary", "propose", concept, "--locale", "de", "--rendering", "Karabach earlier",
                     "--status", "admitted", "--reason", "earlier", "--by", "b", "--glossary", str(glossary)], env)
    termguard(REPO, ["glossary", "approve", "P1", "--by", "e", "--reason", "ok", "--glossary", str(glossary)], env)
    texts = {}
    for kind, key in (("proposals", "proposals"), ("history", "events")):
        head, records = (work / f"g.{kind}.yaml").read_text(encoding="utf-8").split(f"{key}:\n", 1)
        texts[kind] = head + f"{key}:\n" + "".join(re.sub(r"\bP1\b", f"P{k + 1}", records) for k in range(edits))
    return texts


LINT_PARTS = r"""
import gc, hashlib, json, pickle, sys, time
from glossary.termbase.parse import parse_fast
from glossary.termbase.validate import validate_tree
gc.disable()
best = {}
for _ in range(5):
    marks = [time.process_time()]
    data = open(sys.argv[1], "rb").read(); digest = hashlib.sha256(data).hexdigest(); marks.append(time.process_time())
    tree = parse_fast(data.decode("utf-8-sig")); marks.append(time.process_time())
    glossary = validate_tree(tree, sys.argv[1], digest); marks.append(time.process_time())
    pickle.dumps(glossary, protocol=pickle.HIGHEST_PROTOCOL); marks.append(time.process_time())
    for name, a, b in zip(("read+hash", "parse (libyaml)", "validate", "cache write (pickle)"), marks, marks[1:]):
        best[name] = min(best.get(name, 9e9), b - a)
print(json.dumps(best))
"""


def lint_parts(source: Path) -> dict[str, float]:
    """Where this checkout's cold lint of `source` goes: CPU seconds per part (best of 5)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    starts = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import translate.cli"], cwd=REPO, env=env, check=True)
        starts.append(time.perf_counter() - start)
    done = subprocess.run([sys.executable, "-c", LINT_PARTS, str(source)], cwd=REPO, env=env, check=True,
                          capture_output=True, text=True)
    return {"start and imports (wall)": min(starts), **json.loads(done.stdout)}


def termguard(tree: Path, args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", "import sys; from translate.cli import main; sys.exit(main())", *args],
                         cwd=tree, env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if run.returncode != 0:
        raise RuntimeError(f"{tree.name}: termguard {' '.join(args)} exited {run.returncode}: {run.stderr.strip()}")
    return took


def _import_takes_by(tree: Path) -> bool:
    module = tree / "translate" / "cli" / "exchange.py"
    return module.exists() and '"--by"' in module.read_text(encoding="utf-8")


def one_round(tree: Path, is_new: bool, source: Path, work: Path, suffix: str,
              earlier: dict[str, str] | None = None, edits: int = 0) -> dict[str, float]:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    glossary = work / "g.yaml"
    shutil.copyfile(source, glossary)
    for kind, text in (earlier or {}).items():
        (work / f"g.{kind}.yaml").write_text(text, encoding="utf-8")
    cache = work / "cache"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "HOME": str(work), "PYTHONPATH": str(tree),
           # Compiled modules are kept, as on an installed machine (outside the trees).
           "PYTHONPYCACHEPREFIX": str(work.parent / f"pycache-{work.name}")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    csv_file = work / "de.csv"
    csv_file.write_text(f"Karabakh{suffix.upper() and ' ' + suffix.upper()},Karabachs Land\n", encoding="utf-8")
    times: dict[str, float] = {}
    g = ["--glossary", str(glossary)]
    # Warm the cache as an editor's earlier command would have.
    termguard(tree, ["glossary", "lint", str(glossary)], env)
    concept = "karabakh" + (f"-{suffix}" if suffix else "")
    times["propose"] = termguard(tree, ["glossary", "propose", concept, "--locale", "de", "--rendering",
                                        "Karabachs Land", "--status", "admitted", "--reason", "bench", "--by", "b", *g], env)
    times["approve"] = termguard(tree, ["glossary", "approve", f"P{edits + 1}", "--by", "e", "--reason", "ok", *g], env)
    times["lint-edit"] = termguard(tree, ["glossary", "lint", str(glossary)], env)
    # The code before imports made proposals applied `--apply` without --by/--reason.
    extra = ["--by", "e", "--reason", "bench"] if is_new or _import_takes_by(tree) else []
    times["import"] = termguard(tree, ["glossary", "import", str(csv_file), "--format", "csv", "--locale", "de",
                                       "--apply", *extra, *g], env)
    shutil.rmtree(cache, ignore_errors=True)
    times["lint-cold"] = termguard(tree, ["glossary", "lint", str(glossary)], env)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # The code to compare with (9116468, before the one edit engine, no longer reads the curated glossary).
    parser.add_argument("--old-ref", default="main")
    parser.add_argument("--repeat", type=int, default=3)
    # SIZE:N runs that size N rounds instead of --repeat (the old code's 2,000-concept round is minutes).
    parser.add_argument("--sizes", default="curated,2000,curated+1000",
                        help="glossary sizes, each SIZE or SIZE:ROUNDS; SIZE+EDITS adds that many earlier edits")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "glossary_edits.json")
    args = parser.parse_args()
    results: dict[str, Any] = {"old_ref": args.old_ref, "load_before": os.getloadavg(), "sizes": {},
                               "measurements": []}
    with old_tree(REPO, args.old_ref, "tg-bench-edits-") as (old, scratch):
        for entry in args.sizes.split(","):
            size, _, rounds = entry.partition(":")
            repeat = int(rounds) if rounds else args.repeat
            concepts, _, earlier_edits = size.partition("+")
            edits = int(earlier_edits or 0)
            source = CURATED if concepts == "curated" else scratch / f"g{concepts}.yaml"
            if concepts != "curated":
                big_glossary(source, int(concepts))
            suffix = "" if concepts == "curated" else "c0"
            earlier = side_files(scratch, source, edits, suffix) if edits else None
            runs: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
            log = results["measurements"]
            for _ in range(repeat):
                for side, tree in (("old", old), ("new", REPO)):
                    with Measured(log, f"{size}/{side}") as measured:
                        times = one_round(tree, side == "new", source, scratch / f"w-{side}", suffix, earlier, edits)
                        measured.record["seconds"] = times
                    runs[side].append(times)
            medians = {side: {step: statistics.median(r[step] for r in rounds) for step in STEPS}
                       for side, rounds in runs.items()}
            low, high = load_range([m for m in log if m["name"].startswith(f"{size}/")])
            results["sizes"][size] = {**medians, "load_1min_range": [low, high]}
            if concepts != "curated" and not edits:
                results["sizes"][size]["new_lint_parts"] = parts = lint_parts(source)
                print("lint-cold of this checkout, CPU s (best of 5): "
                      + ", ".join(f"{name} {seconds:.3f}" for name, seconds in parts.items()))
            print(f"\n{concepts} concepts" if concepts != "curated" else "\ncurated glossary",
                  f"after {edits:,} earlier edits" if edits else "", f"(load {low:.2f}-{high:.2f})")
            print(f"{'step':<10} {'old s':>8} {'new s':>8} {'old/new':>8}")
            for step in STEPS:
                old_s, new_s = medians["old"][step], medians["new"][step]
                print(f"{step:<10} {old_s:8.2f} {new_s:8.2f} {old_s / new_s:8.2f}")
    results["load_after"] = os.getloadavg()
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nload average before {results['load_before']}, after {results['load_after']}; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
