"""Precision suite: recall of planted errors and false alarms, per locale.

    python benchmarks/precision.py              # the table, with morphology
    python benchmarks/precision.py --baseline   # the same without it (listed forms and stems only)
    python benchmarks/precision.py --details    # every false alarm and every missed plant
    python benchmarks/precision.py --timing     # matching cost with and without morphology

Reads tests/data/precision/<locale>.yaml (human translations with planted
errors, documented per paragraph), checks each locale's paragraphs as one
document through the function `termguard check` uses, and scores:

- recall: planted errors whose finding (paragraph, concept, kind) is reported
  (or one of the plant's `or` findings, which report the same error);
- false alarms: error findings that no plant explains (its finding, its `or`
  findings, and the `also` findings that follow from it).

tests/translate/ladder/test_precision.py asserts the bar (every plant caught, zero false
alarms) with the same scorer.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from glossary import load_glossary
from glossary.judge.checks import Violation, check_document
from glossary.matching import SourceMatcher, TargetMatcher
from glossary.termbase.model import Glossary

DATA = REPO / "tests" / "data" / "precision"

Key = tuple[int, str, str]  # (paragraph, concept, kind)


@dataclass
class LocaleScore:
    """What the checker reported on one locale's suite, against the plants."""

    locale: str
    paragraphs: int
    plants: list[Key] = field(default_factory=list)
    missed: list[Key] = field(default_factory=list)
    false_alarms: list[Violation] = field(default_factory=list)

    @property
    def caught(self) -> int:
        return len(self.plants) - len(self.missed)

    @property
    def recall(self) -> float:
        return self.caught / len(self.plants) if self.plants else 1.0


def suite_files() -> list[Path]:
    """One YAML per locale."""
    return sorted(DATA.glob("*.yaml"))


def load_suite(path: Path) -> dict[str, Any]:
    """The parsed suite file."""
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _key(paragraph: int, entry: dict[str, Any]) -> Key:
    return (paragraph, str(entry["concept"]), str(entry["kind"]))


def score(path: Path, glossary: Glossary | None = None, *, morphology: bool = True) -> LocaleScore:
    """Check one locale's suite as one document and score it against its plants."""
    suite = load_suite(path)
    glossary = glossary or load_glossary()
    locale = str(suite["locale"])
    paragraphs = suite["paragraphs"]
    sources = [str(p["source"]) for p in paragraphs]
    targets = [str(p["target"]) for p in paragraphs]
    matchers: dict[str, Any] = {}
    if not morphology:
        matchers = {
            "source_matcher": SourceMatcher(glossary, morphology=False),
            "target_matcher": TargetMatcher(glossary, locale, morphology=False),
        }
    findings = check_document(sources, targets, glossary, locale, **matchers)
    errors = [f for f in findings if f.is_error]
    reported = {(f.paragraph, f.concept, f.kind) for f in errors}
    result = LocaleScore(locale, len(paragraphs))
    explained: set[Key] = set()
    for number, paragraph in enumerate(paragraphs, start=1):
        for plant in paragraph.get("plants") or ():
            key = _key(number, plant)
            result.plants.append(key)
            alternatives = {key, *(_key(number, other) for other in plant.get("or") or ())}
            explained.update(alternatives)
            explained.update(_key(number, also) for also in plant.get("also") or ())
            if not alternatives & reported:
                result.missed.append(key)
    result.false_alarms = [f for f in errors if (f.paragraph, f.concept, f.kind) not in explained]
    return result


def score_all(*, morphology: bool = True) -> list[LocaleScore]:
    """Every locale's score."""
    glossary = load_glossary()
    return [score(path, glossary, morphology=morphology) for path in suite_files()]


def timing(repeat: int = 20, rounds: int = 5) -> list[tuple[str, float, float]]:
    """(locale, ms per 1000 words without morphology, with it): best of `rounds`."""
    glossary = load_glossary()
    rows: list[tuple[str, float, float]] = []
    for path in suite_files():
        suite = load_suite(path)
        locale = str(suite["locale"])
        text = "\n".join(str(p["target"]) for p in suite["paragraphs"]) * repeat
        words = len(text.split())
        costs = []
        for morphology in (False, True):
            matcher = TargetMatcher(glossary, locale, morphology=morphology)
            matcher.find(text)  # warm: stems are cached per matcher
            best = float("inf")
            for _ in range(rounds):
                started = time.perf_counter()
                matcher.find(text)
                best = min(best, time.perf_counter() - started)
            costs.append(best * 1000 / words * 1000)
        rows.append((locale, costs[0], costs[1]))
    return rows


def _describe(alarm: Violation) -> str:
    return f"    paragraph {alarm.paragraph}: {alarm.kind} [{alarm.concept}] source {alarm.source!r} found {alarm.found!r}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", action="store_true", help="match without the morphology library")
    parser.add_argument("--details", action="store_true", help="list false alarms and missed plants")
    parser.add_argument("--timing", action="store_true", help="matching cost per 1000 words, without and with morphology")
    args = parser.parse_args(argv)
    if args.timing:
        print(f"{'locale':<8}{'ms/1000 words, listed only':>28}{'with morphology':>18}")
        for locale, without, with_morphology in timing():
            print(f"{locale:<8}{without:>28.1f}{with_morphology:>18.1f}")
        return 0
    scores = score_all(morphology=not args.baseline)
    print(f"{'locale':<8}{'paragraphs':>11}{'plants':>8}{'caught':>8}{'recall':>8}{'false alarms':>14}")
    for s in scores:
        print(f"{s.locale:<8}{s.paragraphs:>11}{len(s.plants):>8}{s.caught:>8}{s.recall:>8.2f}{len(s.false_alarms):>14}")
        if args.details:
            for key in s.missed:
                print(f"    missed plant: paragraph {key[0]}: {key[2]} [{key[1]}]")
            for alarm in s.false_alarms:
                print(_describe(alarm))
    plants = sum(len(s.plants) for s in scores)
    caught = sum(s.caught for s in scores)
    alarms = sum(len(s.false_alarms) for s in scores)
    print(f"{'all':<8}{sum(s.paragraphs for s in scores):>11}{plants:>8}{caught:>8}"
          f"{(caught / plants if plants else 1.0):>8.2f}{alarms:>14}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
