"""Where the enforcement ladder's time goes, and what two small changes would save.

    python benchmarks/ladder_profile.py [--quick] [--runs N] [--model bench|test]

For the article and the term-dense text it logs every decode call the ladder
makes (sentences, hypotheses, prefixes, bans, seconds) and times variant (d)
against the limit (b) three ways, patching ``translate.ladder.enforce`` in this
process only:

  as-is       the ladder as it is in the tree
  no-repeat   a force round skips sentences whose best hypothesis has not
              changed since their last force attempt (decoding is
              deterministic, so the same prefixes would give the same,
              already rejected, candidates)
  +greedy     no-repeat, and forced decodes use beam 1: the prefix already
              holds the approved rendering, the rest is a continuation

docs/performance.md quotes its output.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
# run sets up the private Argos home when imported, before anything imports Argos.
import run
import workloads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--model", choices=("bench", "test"), default="bench")
    parser.add_argument("--max-length", type=int)
    args = parser.parse_args()
    cfg = run.make_config(args.quick, args.runs, args.max_length, None)
    os.environ["OMP_NUM_THREADS"] = os.environ["ARGOS_INTRA_THREADS"] = str(cfg.threads)

    from glossary import load_glossary
    from translate.argos import packages
    from translate.argos.engine import DecodeOptions, Engine
    from translate.ladder import enforce

    if args.model == "test":
        package_dir = packages.install_file(run.TEST_MODEL).path
        glossary_path, locale = run.TEST_GLOSSARY, "qtc"
    else:
        package_dir = packages.install_file(run.cached_package(cfg.shape)).path
        glossary_path = workloads.benchmark_glossary_yaml(package_dir / "sentencepiece.model",
                                                          run._HOME / "bench-glossary.yaml")
        locale = run.TARGET_CODE
    bench = run.Bench(package_dir, cfg, glossary_path, locale=locale,
                      only=frozenset({"b_limit", "d_termguard_glossary"}))
    texts = {"article": workloads.article_text(cfg.article_paragraphs),
             "term_dense": workloads.term_dense_text(load_glossary(glossary_path), cfg.dense_sentences)}

    calls: list[tuple[int, int, bool, int, float]] = []
    original_translate = Engine.translate
    original_force = enforce.Enforcer._force_round
    greedy_force = False

    def logged_translate(self: Engine, sentences: Any, options: Any = None, **kwargs: Any) -> Any:
        options = options or DecodeOptions()
        if greedy_force and kwargs.get("prefixes"):
            options = replace(options, beam_size=1)
        start = time.perf_counter()
        out = original_translate(self, sentences, options, **kwargs)
        calls.append((len(sentences), options.num_hypotheses, bool(kwargs.get("prefixes")),
                      len(kwargs.get("suppress") or []), time.perf_counter() - start))
        return out

    def no_repeat_force(self: Any, engine: Any, sentences: Any, plans: Any, states: Any,
                        pending: list[int], options: Any) -> None:
        tried: set[tuple[int, str]] = self.__dict__.setdefault("_tried", set())
        todo = [i for i in pending if (i, states[i].best.text) not in tried]
        tried.update((i, states[i].best.text) for i in todo)
        if todo:
            original_force(self, engine, sentences, plans, states, todo, options)

    Engine.translate = logged_translate  # type: ignore[method-assign]
    modes: dict[str, tuple[Callable[..., None], bool]] = {
        "as-is": (original_force, False),
        "no-repeat": (no_repeat_force, False),
        "+greedy": (no_repeat_force, True),
    }
    for name, text in texts.items():
        for mode, (force, greedy) in modes.items():
            enforce.Enforcer._force_round = force  # type: ignore[method-assign]
            greedy_force = greedy
            bench.termguard(text, True)  # warm-up
            limit_s, ladder_s = [], []
            facts: dict[str, Any] = {}
            for _ in range(cfg.runs):
                start = time.perf_counter()
                bench.limit(text)
                limit_s.append(time.perf_counter() - start)
                calls.clear()
                start = time.perf_counter()
                facts = bench.termguard(text, True)
                ladder_s.append(time.perf_counter() - start)
            b, d = statistics.median(limit_s), statistics.median(ladder_s)
            print(f"{name:<11} {mode:<10} b {b:.3f}s  d {d:.3f}s  d/b {d / b:.2f}  outcomes {facts['outcomes']}")
            for n, hyps, prefixed, bans, seconds in calls:
                kind = "force" if prefixed else f"n-best {hyps}" if hyps > 1 else "plain"
                print(f"    call: {n:>3} sentence(s) {kind:<9} {bans:>3} ban sequence(s) {seconds:.3f}s")


if __name__ == "__main__":
    main()
