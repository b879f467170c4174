"""Throughput of many-document translation: local path vs Ray with 1 and 2 workers.

    python benchmarks/ray_throughput.py               # the figures in docs/scaling.md
    python benchmarks/ray_throughput.py --docs 8      # a quick look

Translates ``--docs`` variants of the sample article (each a little different,
each with its own fresh catalog, so every paragraph is really decoded) into
``qtc`` with the test model and the test glossary, through:

  local-j1   translate.run.batch.translate_documents, jobs=1, 1 thread (the baseline)
  local-j2   the same with jobs=2 (one engine, inter_threads=2, 1 thread each)
  ray-1      translate.run.distributed.translate_documents_ray, 1 worker x 1 thread
  ray-2      the same with 2 workers

Every variant's time includes its model load(s) and catalog writes; the Ray
cluster itself (127.0.0.1 only) is started once beforehand and its start-up is
reported apart. The variants run interleaved, ``--rounds`` times; each
variant's fastest round counts. Besides wall time, the CPU time of the translating process(es)
is recorded: on a shared machine it is the figure that other work does not
distort, and the one the archive arithmetic uses. Then the cost of a real Argos model relative to the test model
is estimated: the article's sentences are decoded (beam 4, 1 thread) by both
the test model and the Argos-shaped random-weight Transformer-base package of
benchmarks/argos_shaped_model.py, the latter forced to emit as many tokens per
sentence on average as the test model does (CPU time, one thread). Finally the archive arithmetic
(``--archive`` articles x ``--locales`` locales) is printed; everything goes to
``--json PATH`` if given.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
for _path in (str(BENCH_DIR), str(REPO)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

# Argos reads its settings (and creates folders) when first imported: point it
# at a private home before anything imports it, and never at a real index.
_HOME = Path(tempfile.mkdtemp(prefix="termguard-raybench-home-"))
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(_HOME / _var.lower())
os.environ["ARGOS_PACKAGES_DIR"] = str(_HOME / "packages")
os.environ["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:9/"
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)

TEST_MODEL = REPO / "tests" / "model" / "translate-en_qtc-1_0.argosmodel"
TEST_GLOSSARY = REPO / "tests" / "model" / "glossary-qtc.yaml"
ARTICLE = REPO / "samples" / "nato-armenia-azerbaijan.txt"
LOCALE = "qtc"


def make_documents(folder: Path, count: int) -> list[Path]:
    """``count`` variants of the article: a numbered dateline and one paragraph rotated."""
    lines = ARTICLE.read_text(encoding="utf-8").split("\n")
    body = [i for i, line in enumerate(lines) if line.strip()]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        variant = list(lines)
        variant[body[0]] = f"{lines[body[0]]} ({n + 1})"
        # Swap two later paragraphs in turn, so documents are not all alike.
        a, b = body[2 + n % (len(body) - 3)], body[-1]
        variant[a], variant[b] = variant[b], variant[a]
        path = folder / f"article-{n + 1:03d}.txt"
        path.write_text("\n".join(variant), encoding="utf-8")
        paths.append(path)
    return paths


def run_local(paths: list[Path], package_dir: Path, jobs: int, catalogs: Path) -> dict[str, Any]:
    from glossary import load_glossary
    from translate.argos.engine import DecodeOptions, Engine
    from translate.ladder.enforce import Enforcer
    from translate.run.batch import Target, translate_documents

    start, cpu = time.perf_counter(), time.process_time()
    glossary = load_glossary(TEST_GLOSSARY)
    target = Target(LOCALE, Engine(package_dir, inter_threads=jobs, intra_threads=1), "en->qtc 1.0",
                    Enforcer(glossary, LOCALE))
    results = list(translate_documents(paths, [target], options=DecodeOptions(), glossary=glossary,
                                       catalog_dir=catalogs, domain=lambda p: p.stem, jobs=jobs))
    return _summary(results, time.perf_counter() - start, time.process_time() - cpu)


def run_ray(paths: list[Path], package_dir: Path, workers: int, catalogs: Path) -> dict[str, Any]:
    from translate.argos.engine import DecodeOptions
    from translate.run.distributed import translate_documents_ray
    from translate.run.ray_worker import LocaleSpec

    start, cpu = time.perf_counter(), time.process_time()
    spec = LocaleSpec(LOCALE, package_dir, "en->qtc 1.0", enforce=True)
    results = list(translate_documents_ray(paths, [spec], address=None, workers=workers,
                                           options=DecodeOptions(), glossary_path=TEST_GLOSSARY,
                                           catalog_dir=catalogs, domain_of=lambda p: p.stem))
    seconds, driver_cpu = time.perf_counter() - start, time.process_time() - cpu
    # Each worker reports its CPU time since its models were loaded, cumulatively.
    per_worker: dict[int, float] = {}
    for r in results:
        if r.worker is not None:
            per_worker[r.worker.pid] = max(per_worker.get(r.worker.pid, 0.0), r.worker.cpu_s)
    summary = _summary(results, seconds, sum(per_worker.values()))
    summary["driver_cpu_s"] = round(driver_cpu, 2)
    summary["worker_pids"] = sorted({r.worker.pid for r in results if r.worker is not None})
    summary["model_loads_per_worker"] = sorted({r.worker.loads[LOCALE] for r in results if r.worker})
    summary["worker_peak_rss_mib"] = max(r.worker.peak_rss_mib for r in results if r.worker)
    return summary


def _summary(results: list[Any], seconds: float, cpu_seconds: float) -> dict[str, Any]:
    errors = [r.error for r in results if r.error]
    if errors:
        raise SystemExit(f"documents failed: {errors[:3]}")
    paragraphs = sum(run.decoded for r in results for run in r.runs)
    return {
        "seconds": round(seconds, 2),
        "documents": len(results),
        "paragraphs_decoded": paragraphs,
        "documents_per_min": round(len(results) / seconds * 60, 1),
        "paragraphs_per_s": round(paragraphs / seconds, 2),
        # CPU time of the translating process(es): what a busy machine does not distort.
        "cpu_s": round(cpu_seconds, 2),
        "cpu_s_per_document": round(cpu_seconds / len(results), 3),
    }


def real_model_ratio(package_dir: Path, runs: int) -> dict[str, Any]:
    """Per-sentence decode time of an Argos-shaped model over the test model's."""
    from argos_shaped_model import FULL, cached_package, install_package

    from translate.argos.engine import DecodeOptions, Engine
    from translate.run.pipeline import split_paragraphs

    paragraphs = [p for p in ARTICLE.read_text(encoding="utf-8").splitlines() if p.strip()]
    sentences = [s.text for group in split_paragraphs(paragraphs) for s in group]
    test = Engine(package_dir, intra_threads=1)
    out = test.translate(sentences, DecodeOptions())
    mean_tokens = statistics.mean(len(h[0].tokens) for h in out)
    shaped_dir = install_package(cached_package(FULL), _HOME / "shaped-packages")
    shaped = Engine(shaped_dir, intra_threads=1)
    shaped.load()
    # The random model never emits EOS: capping its length at the test model's
    # mean output length makes it do the same number of decoding steps overall.
    shaped_options = DecodeOptions(max_decoding_length=max(1, round(mean_tokens)))

    def median_time(engine: Engine, options: DecodeOptions) -> float:
        times = []  # CPU time (one decoding thread): a busy machine does not distort it
        for _ in range(runs):
            start = time.process_time()
            engine.translate(sentences, options)
            times.append(time.process_time() - start)
        return statistics.median(times)

    t_test = median_time(test, DecodeOptions())
    t_shaped = median_time(shaped, shaped_options)
    return {
        "sentences": len(sentences),
        "mean_output_tokens": round(mean_tokens, 1),
        "test_model_s": round(t_test, 3),
        "argos_shaped_s": round(t_shaped, 3),
        "ratio": round(t_shaped / t_test, 1),
        "test_model_mib": round(_folder_mib(package_dir / "model"), 1),
        "argos_shaped_mib": round(_folder_mib(shaped_dir / "model"), 1),
        # Peak RSS of a bare process with termguard's engine imported, and with
        # each model loaded and decoding the article (beam 4, 1 thread).
        "process_rss_mib": {
            "no_model": model_memory_mib(None, 1),
            "test_model": model_memory_mib(package_dir, 256),
            "argos_shaped": model_memory_mib(shaped_dir, max(1, round(mean_tokens))),
        },
    }


_MEMORY_PROBE = """
import sys
sys.path.insert(0, sys.argv[1])
from translate.argos.engine import DecodeOptions, Engine
from translate.run.pipeline import split_paragraphs
import ctranslate2, sentencepiece  # the libraries' own footprint counts in the baseline
if sys.argv[2] != "-":
    paragraphs = [p for p in open(sys.argv[3], encoding="utf-8").read().splitlines() if p.strip()]
    sentences = [s.text for group in split_paragraphs(paragraphs) for s in group]
    from pathlib import Path
    Engine(Path(sys.argv[2]), intra_threads=1).translate(sentences, DecodeOptions(max_decoding_length=int(sys.argv[4])))
# VmHWM, not ru_maxrss: Linux keeps the parent's ru_maxrss across exec.
print(next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024)
"""


def model_memory_mib(package_dir: Path | None, max_length: int) -> float:
    """Peak RSS (MiB) of a fresh process that loads a model and decodes the article."""
    import subprocess

    args = [sys.executable, "-c", _MEMORY_PROBE, str(REPO), str(package_dir) if package_dir else "-",
            str(ARTICLE), str(max_length)]
    out = subprocess.run(args, check=True, capture_output=True, text=True, env=os.environ.copy())
    return round(float(out.stdout.strip().splitlines()[-1]), 1)


def _folder_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def archive_arithmetic(cpu_s_per_document: float, ratio: float, articles: int,
                       locales: int) -> dict[str, Any]:
    """Worker-hours for the archive: one worker = one core, busy all the time.

    ``cpu_s_per_document`` is one document into one locale on a Ray worker,
    with the test model; a real model costs ``ratio`` times as much.
    """
    translations = articles * locales
    test_hours = translations * cpu_s_per_document / 3600
    real_hours = test_hours * ratio
    return {
        "articles": articles,
        "locales": locales,
        "document_translations": translations,
        "cpu_s_per_document_test_model": cpu_s_per_document,
        "cpu_s_per_document_real_model_estimate": round(cpu_s_per_document * ratio, 2),
        "worker_hours_test_model": round(test_hours, 1),
        "worker_hours_real_model_estimate": round(real_hours, 1),
        "days_on_16_workers_real": round(real_hours / 16 / 24, 1),
        "days_on_64_workers_real": round(real_hours / 64 / 24, 1),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=40, help="documents per variant (default 40)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the four variants (default 3)")
    parser.add_argument("--ratio-runs", type=int, default=3, help="timed runs of the model ratio")
    parser.add_argument("--archive", type=int, default=300_000, help="articles in the archive")
    parser.add_argument("--locales", type=int, default=8, help="locales of the archive")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = parser.parse_args(argv)
    if not TEST_MODEL.is_file():
        raise SystemExit(f"{TEST_MODEL} is missing: build it with tools/build_test_model.py")

    import ray

    from translate.argos import packages
    from translate.run.ray_cluster import start_local_cluster

    package_dir = packages.install_file(TEST_MODEL).path
    work = _HOME / "work"
    paths = make_documents(work / "docs", args.docs)
    results: dict[str, Any] = {"machine": machine(), "docs": args.docs, "variants": {}}
    variants = results["variants"]

    runs: dict[str, list[dict[str, Any]]] = {}

    def report(name: str, figures: dict[str, Any]) -> None:
        runs.setdefault(name, []).append(figures)
        print(f"{name:<9} {figures['seconds']:>8.1f} s {figures['documents_per_min']:>9.1f} docs/min "
              f"{figures['paragraphs_per_s']:>8.2f} paragraphs/s {figures['cpu_s_per_document']:>7.3f} "
              f"CPU s/doc  load {os.getloadavg()[0]:.1f}", flush=True)

    # The cluster runs (idle) through the local variants too, so every variant
    # shares the machine with it; variants are interleaved round by round so
    # that drift in the machine's load hits all alike.
    start = time.perf_counter()
    start_local_cluster(num_cpus=2)
    results["ray_cluster_start_s"] = round(time.perf_counter() - start, 2)
    print(f"Ray cluster start-up (not in the figures): {results['ray_cluster_start_s']} s", flush=True)
    try:
        for round_ in range(args.rounds):
            report("local-j1", run_local(paths, package_dir, 1, work / f"local-j1-{round_}"))
            report("local-j2", run_local(paths, package_dir, 2, work / f"local-j2-{round_}"))
            report("ray-1", run_ray(paths, package_dir, 1, work / f"ray-1-{round_}"))
            report("ray-2", run_ray(paths, package_dir, 2, work / f"ray-2-{round_}"))
    finally:
        ray.shutdown()
    for name, figures in runs.items():
        # The fastest round counts (as timeit does): other work on the machine
        # only ever slows a run down, and the rounds are interleaved.
        variants[name] = min(figures, key=lambda f: f["seconds"])
        variants[name]["rounds_seconds"] = [f["seconds"] for f in figures]
    base = variants["local-j1"]["documents_per_min"]
    for figures in variants.values():
        figures["speedup_vs_local_j1"] = round(figures["documents_per_min"] / base, 2)

    ratio = real_model_ratio(package_dir, args.ratio_runs)
    results["real_model_ratio"] = ratio
    print(f"Argos-shaped model / test model, per sentence: {ratio['ratio']}x "
          f"({ratio['argos_shaped_s']} vs {ratio['test_model_s']} CPU s for {ratio['sentences']} sentences)")
    # CPU per document on Ray workers with both cores busy (ray-2): Ray's
    # per-document overhead is in it, and a loaded machine does not inflate it.
    results["archive"] = archive_arithmetic(variants["ray-2"]["cpu_s_per_document"], ratio["ratio"],
                                            args.archive, args.locales)
    print(json.dumps(results["archive"], indent=2))
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return results


def machine() -> dict[str, Any]:
    import platform
    from importlib.metadata import version

    cpu = ""
    ram = 0.0
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in
                    Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "")
        ram = next((int(line.split()[1]) / 2**20 for line in
                    Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), 0.0)
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu_model": cpu, "ram_gib": round(ram, 1),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "platform": platform.platform(), "python": platform.python_version(),
            "ray": version("ray"), "ctranslate2": version("ctranslate2")}


if __name__ == "__main__":
    main()
