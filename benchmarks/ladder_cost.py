"""The enforcement ladder's cost over one plain decode, and its memory on long documents.

    python benchmarks/ladder_cost.py [--runs 3] [--models qtc,qtr] [--memory 200,400,800]
    python benchmarks/ladder_cost.py --repo /path/to/other/checkout   # the same on other code

Decode cost: for each trained test model and each text (the sample article,
the term-dense text of benchmarks/workloads.py) it times, interleaved run by
run, (b) one bare ``translate_batch`` over every sentence and (d) termguard
with the model's glossary (``run_locale``), and reports the median d/b, the
ladder's decode calls and how many occurrences it resolved; ``--calls`` adds
the last run's decode and score calls, summed by kind (n-best, bans, force,
continue, score) with their seconds.

Memory: for each paragraph count, a fresh process translates that many
paragraphs (the article's, made distinct, ``workloads.article_paragraphs``;
``--repeated`` for verbatim repeats, which are decoded once) with the qtc glossary through
``run_locale`` and reports its peak RSS (VmHWM), with and without glossary,
and the growth per paragraph between the smallest and the largest count.

``--repo`` imports ``translate`` and ``glossary`` from another checkout (the
"before" of a before/after table); the test packages and glossaries are the
ones of this checkout. The load average of the machine is recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import workloads

HERE = Path(__file__).resolve().parent
MODELS = {
    "qtc": ("tests/model/translate-en_qtc-1_0.argosmodel", "tests/model/glossary-qtc.yaml"),
    "qtr": ("tests/model/translate-en_qtr-1_0.argosmodel", "tests/model/glossary-qtr.yaml"),
}
RESOLVED = ("settled", "forced", "substituted")


def _setup(repo: Path) -> Any:
    """Import run.py (private Argos home) and the project from ``repo``."""
    sys.path.insert(0, str(repo / "benchmarks"))
    sys.path.insert(0, str(repo))
    import run

    from glossary.termbase import locales

    try:
        locales.normalize_locale("qtr")
    except locales.UnknownLocale:  # code from before the qtr test language: register it for the measurement
        original = locales.normalize_locale

        def normalize(text: str) -> str:
            return "qtr" if isinstance(text, str) and text.strip().lower() == "qtr" else original(text)

        locales.normalize_locale = normalize  # type: ignore[assignment]
        for module in list(sys.modules.values()):
            if getattr(module, "normalize_locale", None) is original:
                module.normalize_locale = normalize  # type: ignore[attr-defined]
    return run


def _log_calls(engine_class: Any, calls: list[tuple[str, int, float]]) -> None:
    """Record every decode and score call of the engine (kind, sentences, seconds) in ``calls``."""
    translate, score = engine_class.translate, engine_class.score

    def logged_translate(self: Any, sentences: Any, options: Any = None, **kwargs: Any) -> Any:
        start = time.perf_counter()
        out = translate(self, sentences, options, **kwargs) if options is not None else \
            translate(self, sentences, **kwargs)
        hyps = options.num_hypotheses if options is not None else 1
        kind = ("continue" if options is not None and options.min_decoding_length else "force") \
            if kwargs.get("prefixes") else f"n-best {hyps}" if hyps > 1 else "plain"
        if kwargs.get("suppress"):
            kind += " +bans"
        calls.append((kind, len(sentences), time.perf_counter() - start))
        return out

    def logged_score(self: Any, sentences: Any, targets: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        out = score(self, sentences, targets, **kwargs)
        calls.append(("score", len(sentences), time.perf_counter() - start))
        return out

    engine_class.translate, engine_class.score = logged_translate, logged_score


def _by_kind(calls: list[tuple[str, int, float]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for kind, sentences, seconds in calls:
        row = out.setdefault(kind, {"calls": 0, "sentences": 0, "s": 0.0})
        row["calls"] += 1
        row["sentences"] += sentences
        row["s"] = round(row["s"] + seconds, 3)
    return out


def decode_cost(repo: Path, models: list[str], runs: int, threads: int, log_calls: bool = False) -> dict[str, Any]:
    run = _setup(repo)
    from glossary import load_glossary
    from translate.argos import packages
    from translate.argos.engine import Engine

    calls: list[tuple[str, int, float]] = []
    if log_calls:
        _log_calls(Engine, calls)

    cfg = run.make_config(False, runs, None, threads)
    out: dict[str, Any] = {}
    for model in models:
        package, glossary_file = (HERE.parent / p for p in MODELS[model])
        if not package.is_file():
            continue
        package_dir = packages.install_file(package).path
        bench = run.Bench(package_dir, cfg, glossary_file, locale=model,
                          only=frozenset({"b_limit", "d_termguard_glossary"}))
        texts = {"article": workloads.article_text(None),
                 "term_dense": workloads.term_dense_text(load_glossary(glossary_file), cfg.dense_sentences)}
        for name, text in texts.items():
            facts = bench.termguard(text, True)  # warm-up
            bench.limit(text)
            b_s, d_s, b_cpu, d_cpu = [], [], [], []
            for _ in range(runs):
                start, cpu = time.perf_counter(), time.process_time()
                bench.limit(text)
                b_s.append(time.perf_counter() - start)
                b_cpu.append(time.process_time() - cpu)
                calls.clear()
                start, cpu = time.perf_counter(), time.process_time()
                facts = bench.termguard(text, True)
                d_s.append(time.perf_counter() - start)
                d_cpu.append(time.process_time() - cpu)
            b, d = statistics.median(b_s), statistics.median(d_s)
            # CPU seconds too: on a shared machine the wall clock carries other people's load.
            cpu_ratio = statistics.median(d_cpu) / statistics.median(b_cpu)
            outcomes = facts["outcomes"]
            out[f"{model}/{name}"] = {
                "b_s": round(b, 3), "d_s": round(d, 3), "d_over_b": round(d / b, 2),
                "decode_calls": facts["decode_calls"], "occurrences": facts["occurrences"],
                "resolved": sum(outcomes.get(k, 0) for k in RESOLVED), "outcomes": outcomes,
                "cpu_d_over_b": round(cpu_ratio, 2), "steps": facts["steps"], "b_all_s": [round(x, 3) for x in b_s], "d_all_s": [round(x, 3) for x in d_s],
            }
            print(f"{model:<4} {name:<11} b {b:.3f}s  d {d:.3f}s  d/b {d / b:.2f}  calls {facts['decode_calls']}"
                  f"  cpu d/b {cpu_ratio:.2f}  resolved {out[f'{model}/{name}']['resolved']}/{facts['occurrences']}  {outcomes}", flush=True)
            if log_calls:
                # The last run's calls, by kind: where the ladder's time over (b) goes.
                out[f"{model}/{name}"]["calls_by_kind"] = kinds = _by_kind(calls)
                for kind, row in kinds.items():
                    print(f"    {kind:<16} {row['calls']:>3} call(s) {row['sentences']:>4} sentence(s) {row['s']:.3f}s",
                          flush=True)
    return out


PROBE = """
import json, sys
sys.argv = ["ladder_cost"]
sys.path.insert(0, {here!r})
import ladder_cost  # imports this checkout's workloads: both sides translate the same text
run = ladder_cost._setup(__import__("pathlib").Path({repo!r}))
import workloads
from glossary import load_glossary
from translate.argos import packages
from translate.run.document import SourceDocument
from translate.argos.engine import DecodeOptions, Engine
from translate.ladder.enforce import Enforcer
from translate.run.job import run_locale
package_dir = packages.install_file(__import__("pathlib").Path({package!r})).path
engine = Engine(package_dir, intra_threads={threads})
engine.load()
glossary = load_glossary({glossary!r})
text = "\\n\\n".join(workloads.article_paragraphs({n}, distinct={distinct}))
document = SourceDocument.from_text("long.txt", text)
with_glossary = {with_glossary}
run_locale(document, "qtc", engine, "en->qtc", options=DecodeOptions(max_decoding_length=96),
           glossary=glossary if with_glossary else None,
           enforcer=Enforcer(glossary, "qtc") if with_glossary else None, catalog_dir=None, domain="long")
print(json.dumps({{"peak_mib": run.peak_rss_mib()}}))
"""


def memory(repo: Path, sizes: list[int], threads: int, distinct: bool, plain: bool = True) -> dict[str, Any]:
    """Peak RSS per paragraph count, with the glossary and (``plain``) without."""
    package, glossary_file = (str(HERE.parent / p) for p in MODELS["qtc"])
    rows = []
    for n in sizes:
        row: dict[str, Any] = {"paragraphs": n}
        for with_glossary in (True, False) if plain else (True,):
            code = PROBE.format(here=str(HERE), repo=str(repo), package=package, glossary=glossary_file,
                                threads=threads, n=n, with_glossary=with_glossary, distinct=distinct)
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                                  env={**os.environ, "OMP_NUM_THREADS": str(threads)})
            if done.returncode != 0:
                raise SystemExit(done.stderr[-2000:])
            peak = json.loads(done.stdout.strip().splitlines()[-1])["peak_mib"]
            row["glossary_mib" if with_glossary else "no_glossary_mib"] = round(peak, 1)
            row["glossary_s" if with_glossary else "no_glossary_s"] = round(time.perf_counter() - start, 1)
        rows.append(row)
        plain_mib = f", no glossary {row['no_glossary_mib']:.0f} MiB" if plain else ""
        print(f"memory {n:>6} paragraphs: glossary {row['glossary_mib']:.0f} MiB ({row['glossary_s']}s){plain_mib}",
              flush=True)
    first, last = rows[0], rows[-1]
    span = max(last["paragraphs"] - first["paragraphs"], 1)
    return {"rows": rows} | {
        f"{kind}_mib_per_paragraph": round((last[f"{kind}_mib"] - first[f"{kind}_mib"]) / span, 4)
        for kind in (("glossary", "no_glossary") if plain else ("glossary",))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=HERE.parent, help="checkout whose code is measured")
    parser.add_argument("--models", default="qtc,qtr")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--memory", default="", help="paragraph counts for the memory probe, e.g. 200,400,800")
    parser.add_argument("--repeated", action="store_true",
                        help="memory probe: repeat the article's paragraphs verbatim (decoded once each)")
    parser.add_argument("--glossary-only", action="store_true",
                        help="memory probe: skip the runs without glossary (long counts take a while)")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--calls", action="store_true",
                        help="log every decode and score call of the last run, summed by kind")
    args = parser.parse_args()
    results: dict[str, Any] = {"repo": str(args.repo), "load_before": os.getloadavg()}
    if args.models:
        results["decode"] = decode_cost(args.repo.resolve(), args.models.split(","), args.runs, args.threads,
                                       args.calls)
    if args.memory:
        results["memory"] = memory(args.repo.resolve(), [int(x) for x in args.memory.split(",")], args.threads,
                                   not args.repeated, not args.glossary_only)
        growth = ", ".join(f"{key.removesuffix('_mib_per_paragraph').replace('_', ' ')} {value} MiB"
                           for key, value in results["memory"].items() if key.endswith("_per_paragraph"))
        print(f"growth per paragraph: {growth}")
    results["load_after"] = os.getloadavg()
    print(f"load average before {results['load_before']}, after {results['load_after']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
