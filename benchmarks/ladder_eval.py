"""What the enforcement ladder achieves, measured against a reference translation.

    python benchmarks/ladder_eval.py                      # qtr model, held-out set + article
    python benchmarks/ladder_eval.py --limit 40 --json out.json
    python benchmarks/ladder_eval.py --model qtc          # the cipher model, for comparison

For the held-out sentences of the test language (never trained on; the
reference is the grammar's translation under the glossary's preferred
renderings) and for the sample article, the same sentences go through

  plain    one decode, no ladder step (the verdicts are still recorded)
  ladder   every step: choose, ban, force, substitute

and for each it reports: the share of enforceable occurrences resolved
(settled, forced or substituted), the count per settling step, sentence quality
against the reference (chrF and position-free word accuracy), and the sentences
the ladder damaged: more errors than the plain decode against the reference,
counted outside every glossary rendering and outside the reference's own words
for the source's glossary occurrences (content dropped, repeated or inserted
elsewhere than in the term itself). No timing: see benchmarks/run.py.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
for _path in (str(REPO), str(REPO / "tools")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

MODELS = {
    "qtr": (REPO / "tests/model/translate-en_qtr-1_0.argosmodel", REPO / "tests/model/glossary-qtr.yaml",
            REPO / "tests/model/heldout-qtr.tsv"),
    "qtc": (REPO / "tests/model/translate-en_qtc-1_0.argosmodel", REPO / "tests/model/glossary-qtc.yaml",
            REPO / "tests/model/heldout.tsv"),
}
ARTICLE = REPO / "samples" / "nato-armenia-azerbaijan.txt"
RESOLVED = ("settled", "forced", "substituted")


# ------------------------------------------------------------------ scores


def chrf(hyp: str, ref: str, n: int = 6, beta: float = 2.0) -> float:
    """Character n-gram F-score (chrF, Popović 2015), whitespace removed, averaged over n."""
    h, r = hyp.replace(" ", ""), ref.replace(" ", "")
    precisions, recalls = [], []
    for k in range(1, n + 1):
        hg = Counter(h[i : i + k] for i in range(len(h) - k + 1))
        rg = Counter(r[i : i + k] for i in range(len(r) - k + 1))
        if not hg or not rg:
            continue
        common = sum((hg & rg).values())
        precisions.append(common / sum(hg.values()))
        recalls.append(common / sum(rg.values()))
    if not precisions:
        return 1.0 if h == r else 0.0
    p, rc = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    return 0.0 if p + rc == 0 else (1 + beta**2) * p * rc / (beta**2 * p + rc)


def word_errors(hyp: Sequence[str], ref: Sequence[str]) -> int:
    """Words inserted, dropped or replaced, by a position-free alignment."""
    errors = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=list(ref), b=list(hyp), autojunk=False).get_opcodes():
        if op != "equal":
            errors += max(i2 - i1, j2 - j1)
    return errors


def outside_terms(matcher: Any, text: str) -> list[str]:
    """The words of a translation outside every glossary rendering found in it."""
    from translate.ladder.guard import words_outside

    return words_outside(text, [(h.start, h.end) for h in matcher.find(text)])


@dataclass
class Side:
    texts: list[str]
    records: list[list[Any]]
    seconds: float
    decode_calls: int


def evaluate(enforcer_for: Callable[[frozenset[str]], Any], engine: Any, matcher: Any, sources: list[str],
             refs: list[str], term_words: list[list[str]] | None = None) -> dict[str, Any]:
    """``term_words``: per sentence, the reference's own words for its glossary occurrences.

    Where the reference renders a term otherwise than the glossary (a verb form
    of a concept the glossary renders as a noun, say), those words are the term
    itself too: a ladder that replaces them with the glossary's rendering does
    not damage the sentence.
    """
    from translate.ladder.guard import without
    from translate.ladder.outcomes import LADDER

    sides: dict[str, Side] = {}
    for name, ladder in (("plain", frozenset()), ("ladder", LADDER)):
        enforcer = enforcer_for(ladder)
        calls = engine.decode_calls
        start = time.perf_counter()
        batch = enforcer.translate(engine, sources)
        sides[name] = Side(batch.texts, batch.occurrences, time.perf_counter() - start,
                           engine.decode_calls - calls)
    out: dict[str, Any] = {"sentences": len(sources)}
    for name, side in sides.items():
        enforceable = [o for occ in side.records for o in occ if o.policy in ("enforce", "keep")
                       and o.outcome != "quoted" and o.outcome != "review"]
        resolved = [o for o in enforceable if o.outcome in RESOLVED]
        ref_words = [r.split() for r in refs]
        correct = sum(len(r) - min(len(r), word_errors(t.split(), r)) for t, r in zip(side.texts, ref_words))
        out[name] = {
            "occurrences": sum(len(o) for o in side.records),
            "enforceable": len(enforceable),
            "resolved": len(resolved),
            "resolved_share": round(len(resolved) / max(len(enforceable), 1), 4),
            "steps": dict(sorted(Counter(o.step for o in resolved).items())),
            "unresolved_reasons": dict(Counter(o.reason.split(":")[0] for o in enforceable
                                               if o.outcome not in RESOLVED).most_common(6)),
            "chrf": round(100 * sum(chrf(t, r) for t, r in zip(side.texts, refs)) / max(len(refs), 1), 2),
            "word_accuracy": round(correct / max(sum(len(r) for r in ref_words), 1), 4),
            "exact": sum(t == r for t, r in zip(side.texts, refs)),
            "decode_calls": side.decode_calls,
            "seconds": round(side.seconds, 2),
        }
    damaged = []
    for i, (plain, ladder, ref) in enumerate(zip(sides["plain"].texts, sides["ladder"].texts, refs)):
        if plain == ladder:
            continue
        terms = term_words[i] if term_words else []

        def rest(text: str, terms: list[str] = terms) -> list[str]:
            return without(outside_terms(matcher, text), terms)

        before = word_errors(rest(plain), rest(ref))
        after = word_errors(rest(ladder), rest(ref))
        if after > before:
            damaged.append({"source": sources[i], "plain": plain, "ladder": ladder, "reference": ref,
                            "errors_outside_terms": [before, after]})
    out["changed_by_ladder"] = sum(p != q for p, q in zip(sides["plain"].texts, sides["ladder"].texts))
    out["damaged"] = len(damaged)
    out["damaged_share"] = round(len(damaged) / max(len(sources), 1), 4)
    out["damaged_examples"] = damaged[:5]
    out["side_by_side"] = [
        {"source": s, "plain": p, "ladder": q, "reference": r,
         "steps": [(o.source, o.step, o.outcome) for o in occ]}
        for s, p, q, r, occ in zip(sources, sides["plain"].texts, sides["ladder"].texts, refs,
                                   sides["ladder"].records) if p != q][:8]
    return out


def article_sentences() -> list[str]:
    from translate.run.pipeline import split_paragraphs

    paragraphs = [line for line in ARTICLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [s.text for sentences in split_paragraphs(paragraphs) for s in sentences]


def reference_for(model: str) -> Callable[[str], str]:
    if model == "qtr":
        import testlang_qtr

        return testlang_qtr.translate
    import testlang

    return testlang.cipher_text


def reference_term_words(model: str, matcher: Any, sentences: list[str]) -> list[list[str]] | None:
    """Per sentence, the reference's words that render its glossary occurrences (qtr: by the
    grammar's own alignment to source words); None where the reference gives no alignment."""
    if model != "qtr":
        return None
    import re

    import testlang_qtr

    out = []
    for sentence in sentences:
        spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", sentence)]
        occurrences = matcher.find(sentence)
        term_tokens = {k for k, (b, e) in enumerate(spans) for o in occurrences if b < o.end and e > o.start}
        text, alignment = testlang_qtr.translate_aligned(sentence)
        out.append([word for word, sources in zip(text.split(), alignment) if term_tokens & set(sources)])
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=sorted(MODELS), default="qtr")
    parser.add_argument("--limit", type=int, default=None, help="held-out sentences (default: all)")
    parser.add_argument("--json", type=Path, default=None, help="write every figure here")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)

    home = Path(tempfile.mkdtemp(prefix="termguard-ladder-eval-"))
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(home / var.lower())
    os.environ["ARGOS_PACKAGES_DIR"] = str(home / "packages")
    os.environ["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:9/"

    from glossary import SourceMatcher, TargetMatcher, load_glossary
    from translate.argos import packages
    from translate.argos.engine import Engine
    from translate.ladder.enforce import Enforcer

    package_file, glossary_file, heldout_file = MODELS[args.model]
    package_dir = packages.install_file(package_file).path
    engine = Engine(package_dir, intra_threads=args.threads)
    glossary = load_glossary(glossary_file)
    matcher = TargetMatcher(glossary, args.model)
    rows = [line.split("\t") for line in heldout_file.read_text(encoding="utf-8").splitlines() if "\t" in line]
    rows = rows[: args.limit] if args.limit else rows
    reference = reference_for(args.model)
    source_matcher = SourceMatcher(glossary)

    def enforcer_for(ladder: frozenset[str]) -> Enforcer:
        return Enforcer(glossary, args.model, ladder=ladder)

    results: dict[str, Any] = {"model": args.model, "package": package_file.name,
                               "package_bytes": package_file.stat().st_size}
    held_src = [s for s, _ in rows]
    results["heldout"] = evaluate(enforcer_for, engine, matcher, held_src, [r for _, r in rows],
                                  reference_term_words(args.model, source_matcher, held_src))
    results["heldout"]["glossary_occurrences"] = sum(len(source_matcher.find(s)) for s in held_src)
    art = article_sentences()
    results["article"] = evaluate(enforcer_for, engine, matcher, art, [reference(s) for s in art],
                                  reference_term_words(args.model, source_matcher, art))
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return results


def print_table(results: dict[str, Any]) -> None:
    print(f"model {results['model']} ({results['package_bytes']:,} bytes)")
    for part in ("heldout", "article"):
        data = results[part]
        print(f"\n{part}: {data['sentences']} sentences; changed by the ladder {data['changed_by_ladder']}, "
              f"damaged {data['damaged']} ({100 * data['damaged_share']:.1f}%)")
        print(f"  {'':<7}{'resolved':>18}{'chrF':>8}{'word acc':>10}{'exact':>7}{'calls':>7}  steps")
        for side in ("plain", "ladder"):
            d = data[side]
            share = f"{d['resolved']}/{d['enforceable']} {100 * d['resolved_share']:.1f}%"
            print(f"  {side:<7}{share:>18}{d['chrf']:>8.2f}{100 * d['word_accuracy']:>9.1f}%{d['exact']:>7}"
                  f"{d['decode_calls']:>7}  {d['steps']}")
        if data["ladder"]["unresolved_reasons"]:
            print(f"  unresolved (ladder): {data['ladder']['unresolved_reasons']}")


if __name__ == "__main__":
    main()
