"""Many small documents in one run against the same paragraphs as one document.

    python benchmarks/many_documents.py [--runs 2] [--documents 200] [--jobs 1,2] [--repeated] [--repo OTHER_CHECKOUT]

The article's paragraphs are repeated into ``--documents`` small documents (4
or 3 paragraphs each, 750 paragraphs for 200) and, once, into one document of
the same paragraphs. Every paragraph is distinct (``workloads.article_paragraphs``)
unless ``--repeated``: one document decodes a repeated paragraph once, so
repeats would measure that de-duplication instead of batching. Each variant is a whole ``termguard translate`` process (the
qtc test model, its glossary, no catalog), timed run by run interleaved with
the others (and with ``--repo``'s code, the "before", when given), so load
hits every variant alike. Reports paragraphs per second, the many/one ratio
(of wall-clock time, and of CPU time, which a loaded machine disturbs less),
and the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import workloads

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MODEL = ROOT / "tests/model/translate-en_qtc-1_0.argosmodel"
GLOSSARY = ROOT / "tests/model/glossary-qtc.yaml"


def _corpus(work: Path, documents: int, distinct: bool) -> tuple[Path, Path, int]:
    sizes = [3 if k % 4 == 3 else 4 for k in range(documents)]  # 750 paragraphs for 200 documents
    paragraphs = workloads.article_paragraphs(sum(sizes), distinct=distinct)
    many = work / "many"
    many.mkdir()
    total = 0
    everything = []
    for k, size in enumerate(sizes):
        chunk = paragraphs[total:total + size]
        total += size
        everything += chunk
        (many / f"doc{k:04d}.txt").write_text("\n\n".join(chunk) + "\n", encoding="utf-8")
    one = work / "one"
    one.mkdir()
    (one / "all.txt").write_text("\n\n".join(everything) + "\n", encoding="utf-8")
    return many, one, total


def _run(repo: Path, folder: Path, out: Path, jobs: int, env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock seconds and CPU seconds (user + system) of one whole run."""
    shutil.rmtree(out, ignore_errors=True)
    code = "import sys; from translate.cli import main; sys.exit(main())"
    args = [sys.executable, "-c", code, "translate", str(folder), "-r", "--to", "qtc", "--glossary", str(GLOSSARY),
            "--no-catalog", "-o", str(out) + "/{name}.{locale}.txt", "--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False,
                          env={**env, "PYTHONPATH": str(repo)}, cwd=str(folder.parent))
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{repo}: {done.stderr[-1500:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--jobs", default="1")
    parser.add_argument("--repo", type=Path, default=None, help="another checkout to time alongside (the before)")
    parser.add_argument("--repeated", action="store_true", help="repeat the article's paragraphs verbatim")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="termguard-many-"))
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(work / "packages"), "ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/",
           "OMP_NUM_THREADS": "1", "ARGOS_INTRA_THREADS": "1"}
    try:
        subprocess.run([sys.executable, "-c", "import sys; from translate.cli import main; sys.exit(main())",
                        "models", "install-file", str(MODEL)], check=True, capture_output=True, env=env, cwd=str(ROOT))
        many, one, paragraphs = _corpus(work, args.documents, not args.repeated)
        repos = {"new": ROOT} | ({"old": args.repo.resolve()} if args.repo else {})
        variants = [(name, repo, kind, folder, jobs) for name, repo in repos.items()
                    for kind, folder in (("one", one), ("many", many))
                    for jobs in [int(j) for j in args.jobs.split(",")] if not (kind == "one" and jobs > 1)]
        times: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}  # under load, CPU seconds vary less than wall-clock ones
        load_before = os.getloadavg()
        for _ in range(args.runs):
            for name, repo, kind, folder, jobs in variants:
                key = f"{name}/{kind}/jobs{jobs}"
                wall, used = _run(repo, folder, work / "out", jobs, env)
                times.setdefault(key, []).append(wall)
                cpu.setdefault(key, []).append(used)
                print(f"  run {key}: {wall:.2f}s, CPU {used:.2f}s (load {os.getloadavg()[0]:.2f})", flush=True)
        results: dict[str, object] = {"paragraphs": paragraphs, "documents": args.documents,
                                      "distinct": not args.repeated,
                                      "load_before": load_before, "load_after": os.getloadavg()}
        for key, values in times.items():
            median = statistics.median(values)
            cpu_s = statistics.median(cpu[key])
            results[key] = {"s": round(median, 2), "paragraphs_per_s": round(paragraphs / median, 1),
                            "all_s": [round(v, 2) for v in values], "cpu_s": round(cpu_s, 2),
                            "all_cpu_s": [round(v, 2) for v in cpu[key]]}
            print(f"{key:<18} {median:7.2f}s  {paragraphs / median:6.1f} paragraphs/s  CPU {cpu_s:7.2f}s  "
                  f"runs {[round(v, 2) for v in values]}", flush=True)
        for name in repos:
            one_s = times[f"{name}/one/jobs1"]
            for key in times:
                if key.startswith(f"{name}/many/"):
                    ratio = statistics.median(one_s) / statistics.median(times[key])
                    per_cpu = statistics.median(cpu[f"{name}/one/jobs1"]) / statistics.median(cpu[key])
                    print(f"{key}: throughput {ratio:.2f} of one document (per CPU second {per_cpu:.2f})")
        print(f"load average before {results['load_before']}, after {results['load_after']}")
        if args.json:
            args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
