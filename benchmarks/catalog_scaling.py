"""Catalog updates at desk scale, the old code and this checkout side by side in one run.

    python benchmarks/catalog_scaling.py [--old-ref 74283d6] [--repeat 3]

Cases (decoding excluded: a stand-in decoder returns the reversed text):

  edit-440-of-1000  a 1,000-paragraph document, then 440 of its paragraphs edited (a few words each)
  rerun-20000       a 20,000-paragraph document run again unchanged
  recheck-1000      1,000 reviewed entries re-checked against the curated glossary (what a run
                    does after the glossary changed: `translate.run.job._reviewed_violations`;
                    the new side is handed the enforcer's judge, built before, as a run does)

Each measured run is one catalog session as a translate run makes it: open,
`needs_translation`, `apply`, write, and the rendered output. The old code is
a `git worktree` of OLD_REF; each side runs in its own process from its own
folder, interleaved. Prints medians (seconds) and writes JSON
(benchmarks/catalog_scaling.json) with the load average before and after
each measurement. Each run also reports its process CPU time, which a busy
shared machine disturbs less than the wall clock.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from side_by_side import Measured, load_range, old_tree

REPO = Path(__file__).resolve().parent.parent
WORDS = ["talks", "ministers", "region", "border", "agreement", "delegation", "statement", "officials", "week", "ceasefire", "observers", "mission", "capital", "government", "peace", "process", "negotiations", "corridor", "villages", "road", "the", "of", "and", "in", "to", "a", "on", "for", "with", "was", "were", "said", "that", "by", "from", "at", "as"]


def paragraphs(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 30))).capitalize() + f" {i}."
            for i in range(n)]


def edited(texts: list[str], k: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = list(texts)
    for index in rng.sample(range(len(texts)), k):
        words = out[index].split()
        for _ in range(3):
            words[rng.randrange(len(words))] = rng.choice(WORDS)
        out[index] = " ".join(words)
    return out


def worker(case: str, folder: Path) -> tuple[float, float]:
    # The old code (before the layout moved the modules) runs this worker too.
    try:
        from translate.catalogs.folder import catalog_path
        from translate.catalogs.header import HeaderInfo
        from translate.catalogs.render import render_document
        from translate.catalogs.session import CatalogUpdate
        from translate.run.document import MachineTranslation, SourceDocument
    except ImportError:
        try:  # the catalog code in one module, before it was split by concern
            from translate.catalogs.store import (  # type: ignore
                CatalogUpdate,
                HeaderInfo,
                catalog_path,
                render_document,
            )
            from translate.run.document import MachineTranslation, SourceDocument
        except ImportError:
            from translate.catalog import CatalogUpdate, HeaderInfo, catalog_path, render_document  # type: ignore
            from translate.document import MachineTranslation, SourceDocument  # type: ignore

    header = HeaderInfo(argos_package="en->qtc 1.0")
    digest = "a" * 64
    path = catalog_path(folder, "qtc", "bench")

    def session(texts: list[str]) -> tuple[float, float]:
        document = SourceDocument.from_text("doc.txt", "\n".join(texts) + "\n")
        start, cpu = time.perf_counter(), time.process_time()
        with CatalogUpdate.open(path, locale="qtc", domain="bench", header=header) as cat:
            todo = cat.needs_translation(document, digest)
            cat.apply(document, {p: MachineTranslation(p[::-1]) for p in todo}, digest)
        if hasattr(cat, "render"):
            cat.render()
        else:
            render_document(path)
        return time.perf_counter() - start, time.process_time() - cpu

    if case == "recheck-1000":
        import polib

        from glossary import load_glossary
        try:
            from translate.run.job import _reviewed_violations
        except ImportError:
            from translate.job import _reviewed_violations  # type: ignore

        glossary = load_glossary()
        terms = ["Karabakh", "Nagorno-Karabakh", "Artsakh", "Stepanakert", "Khankendi", "Lachin corridor"]
        rng = random.Random(4)
        texts = [f"{t} {i}: " + " ".join(rng.choice(WORDS) for _ in range(12)) for i, t in
                 ((i, terms[i % len(terms)]) for i in range(1000))]
        session(texts)
        po = polib.pofile(str(path), wrapwidth=0)
        for entry in po:
            entry.msgstr = entry.msgid.replace("Karabakh", "Karabach")
            entry.flags = []
        po.save()
        import inspect

        with CatalogUpdate.open(path, locale="qtc", domain="bench", header=header) as cat:
            if "judge" in inspect.signature(_reviewed_violations).parameters:
                # A run hands over the enforcer's judge, built before the catalog is opened.
                from translate.ladder.enforce import Enforcer

                judge = Enforcer(glossary, "de").judge
                start, cpu = time.perf_counter(), time.process_time()
                _reviewed_violations(cat, judge)
            else:
                start, cpu = time.perf_counter(), time.process_time()
                _reviewed_violations(cat, glossary, "de")
            return time.perf_counter() - start, time.process_time() - cpu
    if case == "edit-440-of-1000":
        base = paragraphs(1000, 1)
        session(base)
        return session(edited(base, 440, 2))
    base = paragraphs(20000, 3)
    session(base)
    return session(base)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Main before this round of issue 14's work (the baseline of benchmarks/desk.py).
    parser.add_argument("--old-ref", default="74283d6")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", nargs=2, metavar=("CASE", "FOLDER"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "catalog_scaling.json")
    args = parser.parse_args()
    if args.worker:
        print(*worker(args.worker[0], Path(args.worker[1])))
        return 0
    results: dict[str, Any] = {"old_ref": args.old_ref, "load_before": os.getloadavg(), "measurements": []}
    with old_tree(REPO, args.old_ref, "tg-bench-catalog-") as (old, scratch):
        for case in ("edit-440-of-1000", "rerun-20000", "recheck-1000"):
            times: dict[str, list[float]] = {"old": [], "new": []}
            cpu: dict[str, list[float]] = {"old": [], "new": []}
            for _ in range(args.repeat):
                for side, tree in (("old", old), ("new", REPO)):
                    folder = scratch / f"cat-{side}"
                    shutil.rmtree(folder, ignore_errors=True)
                    with Measured(results["measurements"], f"{case}/{side}") as measured:
                        run = subprocess.run(
                            [sys.executable, str(Path(__file__).resolve()), "--worker", case, str(folder)],
                            cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)},
                            capture_output=True, text=True, check=True)
                        seconds, cpu_seconds = map(float, run.stdout.strip().splitlines()[-1].split())
                        measured.record["seconds"] = seconds
                        measured.record["cpu_seconds"] = cpu_seconds
                    times[side].append(seconds)
                    cpu[side].append(cpu_seconds)
            low, high = load_range([m for m in results["measurements"] if m["name"].startswith(case)])
            old_s, new_s = statistics.median(times["old"]), statistics.median(times["new"])
            old_c, new_c = statistics.median(cpu["old"]), statistics.median(cpu["new"])
            results[case] = {"old": times["old"], "new": times["new"], "old_median": old_s, "new_median": new_s,
                             "old_cpu": cpu["old"], "new_cpu": cpu["new"], "old_cpu_median": old_c,
                             "new_cpu_median": new_c, "load_1min_range": [low, high]}
            print(f"{case:<18} old {old_s:7.2f} s   new {new_s:7.2f} s   old/new {old_s / new_s:6.2f}"
                  f"   cpu old {old_c:6.2f} s  new {new_c:6.2f} s   load {low:.2f}-{high:.2f}")
    results["load_after"] = os.getloadavg()
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"load average before {results['load_before']}, after {results['load_after']}; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
