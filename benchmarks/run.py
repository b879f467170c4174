"""termguard's benchmark: decoding paths side by side, matching scaling, start-up costs.

    python benchmarks/run.py                  # the full measurement (docs/performance.md)
    python benchmarks/run.py --quick          # the CI smoke version, well under a minute

Builds what it needs (an Argos-shaped random-weight package, cached in
benchmarks/.cache/), prints a table and writes every figure as JSON
(default benchmarks/results.json).

Decoding variants, all with the same sentences, beam size (4), length limit
and threads, all in this process with their model loaded before timing (model
loading is excluded from every variant):

  (a) argos    Argos' own path: ``PackageTranslation.hypotheses`` (one
               ``apply_packaged_translation`` per paragraph, Argos' settings)
  (b) limit    one ``translate_batch`` over all sentences of the text
  (c) plain    termguard without a glossary (``translate.run.job.run_locale``)
  (d) glossary termguard with the benchmark glossary (the enforcement ladder)

Variants are interleaved run by run, so drift of the machine hits all alike.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
for _path in (str(BENCH_DIR), str(REPO)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

# Argos reads its settings (and creates folders) when first imported: point it
# at a private home before anything imports it, and never at a real index.
_HOME = Path(tempfile.mkdtemp(prefix="termguard-bench-home-"))
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(_HOME / _var.lower())
os.environ["ARGOS_PACKAGES_DIR"] = str(_HOME / "packages")
os.environ["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:9/"
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)

import workloads
from argos_shaped_model import (
    CACHE,
    FULL,
    QUICK,
    TARGET_CODE,
    ModelShape,
    cached_package,
)

TEST_MODEL = REPO / "tests" / "model" / "translate-en_qtc-1_0.argosmodel"
TEST_GLOSSARY = REPO / "tests" / "model" / "glossary-qtc.yaml"
# The second trained test model: reorders, inflects, prefers the wrong synonyms, drops
# terms, so its ladder has real work (tests/model/README-qtr.md).
QTR_MODEL = REPO / "tests" / "model" / "translate-en_qtr-1_0.argosmodel"
QTR_GLOSSARY = REPO / "tests" / "model" / "glossary-qtr.yaml"
DEFAULT_JSON = BENCH_DIR / "results.json"
BEAM_SIZE = 4  # Argos' default, and termguard's

GOALS = {
    "article_c_over_b": 1.05,  # at most
    "article_d_over_b": 1.3,  # at most
    "article_a_over_c": 2.0,  # at least
    "matching_10k_s": 2.0,  # at most
    "rerun_s": 0.5,  # at most
    "help_s": 0.3,  # at most
}


@dataclass(frozen=True)
class Config:
    """Everything that differs between the full benchmark and the smoke version."""

    quick: bool
    shape: ModelShape
    runs: int
    max_length: int
    threads: int
    article_paragraphs: int | None  # None: the whole article
    dense_sentences: int
    match_concepts: int
    match_paragraphs: int
    process_runs: int


def make_config(quick: bool, runs: int | None, max_length: int | None, threads: int | None) -> Config:
    threads = threads or os.cpu_count() or 1
    if quick:
        return Config(True, QUICK, runs or 1, max_length or 24, threads, 4, 4, 200, 500, 2)
    return Config(False, FULL, runs or 5, max_length or 64, threads, None, 26, 2000, 10_000, 7)


def _progress(message: str) -> None:
    """A line on stderr, so a long run shows where it is."""
    print(message, file=sys.stderr, flush=True)


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB.

    On Linux this reads VmHWM: ``ru_maxrss`` survives ``exec`` (the kernel
    keeps the larger of the parent's peak at fork and the child's own), so a
    probe started from the big benchmark process would report the parent's
    peak. VmHWM belongs to the process image and starts afresh at exec.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    scale = 1 if sys.platform == "darwin" else 1024  # Linux reports KiB, macOS bytes
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


# --------------------------------------------------------------- variants


class _LengthLimited:
    """Argos' ``translate_batch`` call with the benchmark's length limit added.

    ``apply_packaged_translation`` passes no ``max_decoding_length`` (so
    CTranslate2's 256 applies) and argostranslate exposes no setting for it.
    Every other argument is Argos' own; without this the random model would
    decode 256 tokens per sentence on Argos' path and 64 on the others.
    """

    def __init__(self, translator: Any, max_length: int) -> None:
        self._translator = translator
        self._max_length = max_length

    def translate_batch(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("max_decoding_length", self._max_length)
        return self._translator.translate_batch(*args, **kwargs)


VARIANTS = ("a_argos", "b_limit", "c_termguard_no_glossary", "d_termguard_glossary")


def _argos_translation(package_dir: Path, cfg: Config) -> Any:
    """(a) Argos' ``PackageTranslation``, as argostranslate builds it, but for the sentence splitter.

    Argos' default splitter (MiniSBD) downloads a model on first use, and no
    other setting both works offline and translates (ARGOS_CHUNK_TYPE=NONE
    makes Argos skip the package; stanza and spacy are not installed). So
    Argos' splitter interface is fed termguard's offline splitter: (a) and
    (c) decode exactly the same sentences. Everything else (one
    ``apply_packaged_translation`` per paragraph, beam 4, 32-token batches,
    length penalty 0.2, threads from Argos' settings) is Argos' own code.
    """
    from argostranslate import package as argos_package
    from argostranslate import settings as argos_settings
    from argostranslate import translate as argos_translate
    from argostranslate.sbd import ISentenceBoundaryDetectionModel

    from translate.run.segment import split_sentences

    class OfflineSentencizer(ISentenceBoundaryDetectionModel):
        def split_sentences(self, text: str) -> list[str]:
            return [s.text for s in split_sentences(text)]

    class OfflinePackageTranslation(argos_translate.PackageTranslation):  # type: ignore[misc]
        def __init__(self, pkg: Any) -> None:  # Argos' __init__ minus the MiniSBD download
            self.from_lang = argos_translate.Language(pkg.from_code, pkg.from_name)
            self.to_lang = argos_translate.Language(pkg.to_code, pkg.to_name)
            self.pkg = pkg
            self.translator = None
            self.sentencizer = OfflineSentencizer()

    if argos_settings.intra_threads != cfg.threads:
        raise SystemExit("benchmark: ARGOS_INTRA_THREADS was not applied before argostranslate was imported")
    return OfflinePackageTranslation(argos_package.Package(package_dir))


class Bench:
    """The four decoding variants over one installed package."""

    def __init__(self, package_dir: Path, cfg: Config, glossary_path: Path, locale: str = TARGET_CODE,
                 only: frozenset[str] = frozenset(VARIANTS)) -> None:
        """Load what the variants in ``only`` need (the memory probes load one each)."""
        import ctranslate2
        import sentencepiece

        from glossary import load_glossary
        from translate.argos.engine import DecodeOptions, Engine

        self.cfg = cfg
        self.package_dir = package_dir
        self.locale = locale
        self.options = DecodeOptions(beam_size=BEAM_SIZE, max_decoding_length=cfg.max_length)
        self.glossary = load_glossary(glossary_path)
        if "a_argos" in only:
            self.argos = _argos_translation(package_dir, cfg)
        if "b_limit" in only:
            # (b) the limit: one bare translate_batch over every sentence.
            self.sp = sentencepiece.SentencePieceProcessor(model_file=str(package_dir / "sentencepiece.model"))
            self.limit_translator = ctranslate2.Translator(str(package_dir / "model"), device="cpu",
                                                           inter_threads=1, intra_threads=cfg.threads)
        if only & {"c_termguard_no_glossary", "d_termguard_glossary"}:
            # (c), (d): termguard's engine, loaded once and shared (one model in memory).
            self.engine = Engine(package_dir, intra_threads=cfg.threads)
            self.engine.load()

    # Each variant takes the text and returns facts about the run (not timed).

    def argos_path(self, text: str) -> dict[str, Any]:
        if self.argos.translator is None:
            # Argos creates its Translator on first use (from its settings);
            # an empty text makes it do so without decoding anything.
            self.argos.hypotheses("", num_hypotheses=1)
            self.argos.translator = _LengthLimited(self.argos.translator, self.cfg.max_length)
        out = self.argos.translate(text)  # ITranslation.translate: Argos' own per-paragraph loop
        return {"output_lines": len(out.split("\n")), "output": out}

    def limit(self, text: str) -> dict[str, Any]:
        from translate.run.segment import split_sentences

        sentences = [s.text for line in text.split("\n") if line.strip() for s in split_sentences(line)]
        tokens = [self.sp.encode(s, out_type=str) for s in sentences]
        results = self.limit_translator.translate_batch(tokens, beam_size=BEAM_SIZE,
                                                        max_decoding_length=self.cfg.max_length)
        outputs = [self.sp.decode_pieces(r.hypotheses[0]) for r in results]
        return {"sentences": len(outputs), "decode_calls": 1}

    def termguard(self, text: str, with_glossary: bool) -> dict[str, Any]:
        from translate.ladder.enforce import Enforcer
        from translate.run.document import SourceDocument
        from translate.run.job import run_locale

        document = SourceDocument.from_text("bench.txt", text)
        # The CLI builds the enforcer per run; so does the benchmark (its
        # matcher indexes are part of a run's cost).
        enforcer = Enforcer(self.glossary, self.locale) if with_glossary else None
        before = self.engine.decode_calls
        run = run_locale(document, self.locale, self.engine, f"en->{self.locale} bench", options=self.options,
                         glossary=self.glossary if with_glossary else None, enforcer=enforcer,
                         catalog_dir=None, domain="bench")
        return {
            "decode_calls": self.engine.decode_calls - before,
            "occurrences": len(run.occurrences),
            "outcomes": dict(Counter(r["outcome"] for r in run.occurrences)),
            "steps": dict(Counter(r["step"] for r in run.occurrences)),
        }

    def variants(self) -> dict[str, Callable[[str], dict[str, Any]]]:
        return {
            "a_argos": self.argos_path,
            "b_limit": self.limit,
            "c_termguard_no_glossary": lambda text: self.termguard(text, False),
            "d_termguard_glossary": lambda text: self.termguard(text, True),
        }


def check_argos_translates(text: str, output: str) -> int:
    """Argos' output must hold a translation of every paragraph (not skipped, not copied)."""
    pairs = list(zip(text.split("\n"), output.split("\n")))
    if len(pairs) != len(text.split("\n")):
        raise SystemExit("benchmark: Argos' path lost paragraphs")
    translated = 0
    for source, target in pairs:
        if not source.strip():
            continue
        if not target.strip() or target.strip() == source.strip():
            raise SystemExit(f"benchmark: Argos' path did not translate {source[:60]!r}")
        translated += 1
    return translated


def time_variants(bench: Bench, texts: dict[str, str], runs: int) -> dict[str, Any]:
    """Median wall time of every variant on every text; warm-up first, then interleaved runs."""
    from translate.run.segment import split_sentences

    variants = bench.variants()
    results: dict[str, Any] = {}
    for name, text in texts.items():
        paragraphs = [line for line in text.split("\n") if line.strip()]
        results[name] = {
            "paragraphs": len(paragraphs),
            "sentences": sum(len(split_sentences(p)) for p in paragraphs),
            "times_s": {v: [] for v in variants},
            "facts": {},
        }
        for variant, fn in variants.items():  # warm-up: loads models, fills caches
            _progress(f"warm-up {name} {variant}")
            facts = fn(text)
            if variant == "a_argos":
                facts["translated_paragraphs"] = check_argos_translates(text, facts.pop("output"))
            results[name]["facts"][variant] = facts
    for run_number in range(runs):
        for name, text in texts.items():
            for variant, fn in variants.items():
                start = time.perf_counter()
                fn(text)
                results[name]["times_s"][variant].append(time.perf_counter() - start)
                _progress(f"run {run_number + 1}/{runs} {name} {variant}: "
                          f"{results[name]['times_s'][variant][-1]:.2f}s")
    for name, data in results.items():
        median = {v: statistics.median(ts) for v, ts in data["times_s"].items()}
        data["median_s"] = median
        data["ratios"] = {
            "c_over_b": median["c_termguard_no_glossary"] / median["b_limit"],
            "d_over_b": median["d_termguard_glossary"] / median["b_limit"],
            "a_over_c": median["a_argos"] / median["c_termguard_no_glossary"],
        }
        data["ladder_decode_calls"] = data["facts"]["d_termguard_glossary"]["decode_calls"]
    return results


def memory_probe(variant: str, package_dir: Path, cfg: Config, glossary_path: Path, text: str) -> float:
    """Peak RSS (MiB) of a fresh process that loads only what one variant needs and runs it once."""
    code = (
        "import sys, json; sys.argv = ['run.py']; import run\n"
        f"cfg = run.make_config({cfg.quick!r}, 1, {cfg.max_length}, {cfg.threads})\n"
        f"print(json.dumps(run._probe({variant!r}, {str(package_dir)!r}, cfg, {str(glossary_path)!r}, "
        f"{text!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=BENCH_DIR, env=_child_env(cfg.threads),
                          capture_output=True, text=True, check=True)
    return float(json.loads(done.stdout.strip().splitlines()[-1]))


def _probe(variant: str, package_dir: str, cfg: Config, glossary_path: str, text: str) -> float:
    """Child side of ``memory_probe``: load only what one variant needs, run it once, report the peak."""
    bench = Bench(Path(package_dir), cfg, Path(glossary_path), only=frozenset({variant}))
    bench.variants()[variant](text)
    return peak_rss_mib()


# ------------------------------------------------------------- matching


def time_matching(cfg: Config) -> dict[str, Any]:
    """check_document over 1x, 2x, 4x the paragraphs against a synthetic glossary.

    ``seconds`` is a whole ``check_document`` call (it builds its matchers);
    ``check_s`` reuses prebuilt matchers, so its growth shows the per-paragraph
    cost alone.
    """
    from glossary import SourceMatcher, TargetMatcher, check_document

    glossary = workloads.synthetic_glossary(cfg.match_concepts)
    start = time.perf_counter()
    source_matcher, target_matcher = SourceMatcher(glossary), TargetMatcher(glossary, "de")
    build_s = time.perf_counter() - start
    rows = []
    for factor in (1, 2, 4):
        n = cfg.match_paragraphs * factor
        sources, targets = workloads.matching_corpus(glossary, n)
        whole, check = [], []
        violations = 0
        for _ in range(max(1, min(cfg.runs, 3))):
            start = time.perf_counter()
            violations = len(check_document(sources, targets, glossary, "de"))
            whole.append(time.perf_counter() - start)
            start = time.perf_counter()
            check_document(sources, targets, glossary, "de",
                           source_matcher=source_matcher, target_matcher=target_matcher)
            check.append(time.perf_counter() - start)
        rows.append({"factor": factor, "paragraphs": n, "seconds": statistics.median(whole),
                     "check_s": statistics.median(check), "violations": violations})
    base = rows[0]["check_s"]
    return {
        "concepts": cfg.match_concepts,
        "matcher_build_s": build_s,
        "rows": rows,
        # Linear growth: check time at 2x and 4x near 2 and 4 times the 1x time.
        "growth": {f"{r['factor']}x": r["check_s"] / base for r in rows},
        "us_per_paragraph": {f"{r['factor']}x": r["check_s"] / r["paragraphs"] * 1e6 for r in rows},
    }


# ------------------------------------------------------ whole processes


def _child_env(threads: int) -> dict[str, str]:
    env = dict(os.environ)
    # Time processes as a user runs them: with cached bytecode, as every
    # installed package has. (A PYTHONDONTWRITEBYTECODE in the environment
    # would compile every module on every start, ~70 ms here.) The cache goes
    # to the private home, not into the source tree.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(_HOME / "pycache")
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["OMP_NUM_THREADS"] = str(threads)
    env["ARGOS_INTRA_THREADS"] = str(threads)
    return env


def _termguard_cmd() -> list[str]:
    """How a user starts termguard: the installed script, or the module with this Python."""
    script = shutil.which("termguard")
    if script and Path(script).resolve().parent == Path(sys.executable).resolve().parent:
        return [script]
    return [sys.executable, "-m", "translate.cli"]


def _median_process_time(cmd: list[str], runs: int, env: dict[str, str], cwd: Path) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def time_processes(cfg: Config, bench_package: Path, bench_glossary: Path, article_text: str) -> dict[str, Any]:
    """Whole-process wall time of `termguard --help` and of a re-run on unchanged inputs."""
    from translate.argos import packages

    cmd = _termguard_cmd()
    work = Path(tempfile.mkdtemp(prefix="termguard-bench-rerun-"))
    env = _child_env(cfg.threads)
    env["ARGOS_PACKAGES_DIR"] = str(work / "packages")
    # The bundled test model is the realistic case (a catalog made by a
    # trained model); the benchmark model stands in until it exists.
    if TEST_MODEL.is_file():
        model, locale, glossary_file = TEST_MODEL, "qtc", TEST_GLOSSARY
    else:
        model, locale, glossary_file = bench_package, TARGET_CODE, bench_glossary
    old = os.environ["ARGOS_PACKAGES_DIR"]
    os.environ["ARGOS_PACKAGES_DIR"] = env["ARGOS_PACKAGES_DIR"]
    try:
        packages.install_file(model)
    finally:
        os.environ["ARGOS_PACKAGES_DIR"] = old
    article = work / "article.txt"
    article.write_text(article_text, encoding="utf-8")
    translate = [*cmd, "translate", str(article), "--to", locale, "--glossary", str(glossary_file),
                 "--catalog-dir", str(work / "locales"), "-o", str(work / "out.txt")]
    first_start = time.perf_counter()
    subprocess.run(translate, env=env, cwd=work, capture_output=True, check=True)
    first_s = time.perf_counter() - first_start
    # Verify the claim, outside the timed runs: a re-run decodes nothing and
    # never even imports CTranslate2 (so it cannot have loaded a model).
    probe = ("import sys, json\nfrom translate.cli import main\ntry:\n"
             f"    main({translate[len(cmd):]!r})\nfinally:\n"
             "    print(json.dumps({'ctranslate2_imported': 'ctranslate2' in sys.modules}), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe], env=env, cwd=work, capture_output=True, text=True,
                          check=False)
    lines = done.stderr.strip().splitlines()
    imported = json.loads(lines[-1])["ctranslate2_imported"] if lines else None
    summary = next((line for line in lines if "decoded" in line), "")
    rerun_s, rerun_all = _median_process_time(translate, cfg.process_runs, env, work)
    help_s, help_all = _median_process_time([*cmd, "--help"], cfg.process_runs, env, work)
    shutil.rmtree(work, ignore_errors=True)
    return {
        "command": " ".join(Path(c).name if i == 0 else c for i, c in enumerate(cmd)),
        "help_s": help_s,
        "help_all_s": help_all,
        "rerun_model": model.name,
        "first_run_s": first_s,
        "rerun_s": rerun_s,
        "rerun_all_s": rerun_all,
        "rerun_summary": summary,
        "rerun_imports_ctranslate2": imported,
    }


# ----------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    from importlib.metadata import version

    import ctranslate2
    import numpy
    import sentencepiece

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    ram = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = int(line.split()[1]) / 2**20
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "ram_gib": round(ram, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "ctranslate2": ctranslate2.__version__,
        "argos_translate_lt": version("argos-translate-lt"),
        "sentencepiece": sentencepiece.__version__,
        "numpy": numpy.__version__,
        "ctranslate2_cpu_compute_types": sorted(ctranslate2.get_supported_compute_types("cpu")),
    }


def goals(results: dict[str, Any]) -> dict[str, Any]:
    article = results["decoding"]["article"]["ratios"]
    values = {
        "article_c_over_b": article["c_over_b"],
        "article_d_over_b": article["d_over_b"],
        "article_a_over_c": article["a_over_c"],
        "matching_10k_s": results["matching"]["rows"][0]["seconds"],
        "rerun_s": results["processes"]["rerun_s"],
        "help_s": results["processes"]["help_s"],
    }
    out = {}
    for name, value in values.items():
        target = GOALS[name]
        met = value >= target if name == "article_a_over_c" else value <= target
        out[name] = {"value": value, "target": target, "met": met}
    return out


def print_table(results: dict[str, Any]) -> None:
    cfg = results["settings"]
    print(f"model {cfg['model']}, beam {cfg['beam_size']}, max_decoding_length {cfg['max_decoding_length']}, "
          f"{cfg['threads']} thread(s), median of {cfg['runs']} run(s)")
    names = {"a_argos": "(a) Argos", "b_limit": "(b) limit", "c_termguard_no_glossary": "(c) --no-glossary",
             "d_termguard_glossary": "(d) glossary"}
    print(f"{'text':<11}{'sent':>5}" + "".join(f"{n:>18}" for n in names.values())
          + f"{'c/b':>7}{'d/b':>7}{'a/c':>7}{'calls d':>8}")
    rows = [(text, data) for text, data in results["decoding"].items()]
    if results.get("decoding_test_model"):
        rows += [(f"{text}*", data) for text, data in results["decoding_test_model"].items()]
    if results.get("decoding_qtr_model"):
        rows += [(f"{text}**", data) for text, data in results["decoding_qtr_model"].items()]
    for text, data in rows:
        row = f"{text:<11}{data['sentences']:>5}"
        row += "".join(f"{data['median_s'][v]:>17.3f}s" for v in names)
        r = data["ratios"]
        row += f"{r['c_over_b']:>7.2f}{r['d_over_b']:>7.2f}{r['a_over_c']:>7.2f}{data['ladder_decode_calls']:>8}"
        print(row)
    if results.get("decoding_test_model"):
        print("* the same on the bundled trained test model (tests/model), its qtc glossary")
    if results.get("decoding_qtr_model"):
        print("** the same on the second trained test model (qtr: reorders, inflects, drops terms), "
              "its qtr glossary")
    mem = results["memory"]
    print(f"peak RSS: whole benchmark process {mem['process_peak_mib']:.0f} MiB; per variant "
          + ", ".join(f"{k.split('_')[0]} {v:.0f}" for k, v in mem["per_variant_peak_mib"].items()) + " MiB")
    m = results["matching"]
    print(f"matching, {m['concepts']} concepts (matchers built in {m['matcher_build_s']:.3f}s): "
          + ", ".join(f"{r['paragraphs']} paragraphs {r['seconds']:.3f}s ({r['check_s']:.3f}s prebuilt)"
                      for r in m["rows"])
          + "; growth " + ", ".join(f"{k} {v:.2f}" for k, v in m["growth"].items()))
    p = results["processes"]
    print(f"whole process: `{p['command']} --help` {p['help_s']:.3f}s; re-run with catalogs "
          f"({p['rerun_model']}) {p['rerun_s']:.3f}s (first run {p['first_run_s']:.2f}s; "
          f"imports ctranslate2: {p['rerun_imports_ctranslate2']})")
    for name, goal in results["goals"].items():
        print(f"goal {name:<18} {goal['value']:8.3f} (target {goal['target']}) "
              + ("met" if goal["met"] else "MISSED"))


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description="termguard benchmark (see docs/performance.md)")
    parser.add_argument("--quick", action="store_true", help="CI smoke version: tiny model, one run")
    parser.add_argument("--runs", type=int, help="timed runs per variant (default 5; quick 1)")
    parser.add_argument("--max-length", type=int, help="max_decoding_length for every path (default 64)")
    parser.add_argument("--threads", type=int, help="CTranslate2 intra threads for every path (default: all CPUs)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"where to write the figures "
                        f"(default {DEFAULT_JSON.relative_to(REPO)})")
    parser.add_argument("--cache", type=Path, default=CACHE,
                        help=f"where built models are kept (default {CACHE.relative_to(REPO)})")
    parser.add_argument("--skip-memory", action="store_true", help="skip the per-variant memory probes")
    args = parser.parse_args(argv)
    cfg = make_config(args.quick, args.runs, args.max_length, args.threads)
    # Same thread count everywhere: CTranslate2 translators get intra_threads,
    # Argos reads ARGOS_INTRA_THREADS when first imported, OpenMP gets it too.
    os.environ["OMP_NUM_THREADS"] = str(cfg.threads)
    os.environ["ARGOS_INTRA_THREADS"] = str(cfg.threads)

    from translate.argos import packages

    started = time.perf_counter()
    package_file = cached_package(cfg.shape, args.cache)
    build_s = time.perf_counter() - started
    package_dir = packages.install_file(package_file).path
    glossary_path = workloads.benchmark_glossary_yaml(package_dir / "sentencepiece.model",
                                                      _HOME / "bench-glossary.yaml")
    from glossary import load_glossary

    texts = {
        "article": workloads.article_text(cfg.article_paragraphs),
        "term_dense": workloads.term_dense_text(load_glossary(glossary_path), cfg.dense_sentences),
    }
    bench = Bench(package_dir, cfg, glossary_path)
    decoding = time_variants(bench, texts, cfg.runs)
    process_peak = peak_rss_mib()
    del bench
    # The same variants on the bundled trained test model, when it exists: a
    # trained model settles most terms in the first pass, so its ladder cost
    # is the realistic one (the random model forces nearly every term).
    def time_trained(model: Path, glossary: Path, locale: str) -> dict[str, Any] | None:
        if not model.is_file():
            return None
        from translate.argos import packages as _packages

        model_dir = _packages.install_file(model).path
        model_texts = {"article": texts["article"],
                       "term_dense": workloads.term_dense_text(load_glossary(glossary), cfg.dense_sentences)}
        return time_variants(Bench(model_dir, cfg, glossary, locale=locale), model_texts, cfg.runs)

    trained = time_trained(TEST_MODEL, TEST_GLOSSARY, "qtc")
    qtr = time_trained(QTR_MODEL, QTR_GLOSSARY, "qtr")
    _progress("memory probes")
    per_variant = {} if args.skip_memory else {
        v: memory_probe(v, package_dir, cfg, glossary_path, texts["article"]) for v in VARIANTS
    }
    _progress("matching")
    matching = time_matching(cfg)
    _progress("whole processes")
    processes = time_processes(cfg, package_file, glossary_path, texts["article"])
    results: dict[str, Any] = {
        "command": " ".join(["python benchmarks/run.py", *(sys.argv[1:] if argv is None else argv)]),
        "machine": machine(),
        "settings": {
            "quick": cfg.quick,
            "model": f"{cfg.shape.encoder_layers}+{cfg.shape.decoder_layers} layers, d_model {cfg.shape.d_model}, "
                     f"{cfg.shape.heads} heads, ffn {cfg.shape.ffn}, vocab {cfg.shape.vocab}, int8, random weights",
            "model_file_mib": package_file.stat().st_size / 2**20,
            "model_build_s": build_s,
            "beam_size": BEAM_SIZE,
            "max_decoding_length": cfg.max_length,
            "threads": cfg.threads,
            "runs": cfg.runs,
            "model_loading": "excluded from every decoding variant (loaded in the warm-up run)",
        },
        "decoding": decoding,
        "decoding_test_model": trained,
        "decoding_qtr_model": qtr,
        "memory": {"process_peak_mib": process_peak, "per_variant_peak_mib": per_variant},
        "matching": matching,
        "processes": processes,
    }
    results["goals"] = goals(results)
    for data in decoding.values():  # keep the JSON readable: raw times stay, facts are summarised
        data["facts"]["a_argos"].pop("output_lines", None)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_table(results)
    print(f"wrote {args.json}")
    return results


if __name__ == "__main__":
    main()
