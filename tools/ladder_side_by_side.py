"""Show the enforcement ladder at work: what the model wrote, what was published, and why.

    python tools/ladder_side_by_side.py ARTICLE --to qtr --glossary tests/model/glossary-qtr.yaml [--lines 6]

For the sentences where the ladder changed the model's own output (or left an
occurrence unresolved) it prints the source, the unconstrained translation, the
published one, and for each glossary term the step that settled it. Uses the
installed Argos package for the locale (``termguard models install-file``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--to", required=True)
    parser.add_argument("--glossary", type=Path, required=True)
    parser.add_argument("--lines", type=int, default=6)
    args = parser.parse_args(argv)

    from glossary import load_glossary
    from translate.argos import packages
    from translate.argos.engine import Engine
    from translate.ladder.enforce import Enforcer
    from translate.run.pipeline import split_paragraphs

    engine = Engine(packages.find_installed("en", args.to).path)
    enforcer = Enforcer(load_glossary(args.glossary), args.to)
    paragraphs = [p for p in args.source.read_text(encoding="utf-8").splitlines() if p.strip()]
    sentences = [s.text for group in split_paragraphs(paragraphs) for s in group]
    plain = [hyps[0].text for hyps in engine.translate(sentences)]
    batch = enforcer.translate(engine, sentences)
    shown = 0
    for source, before, after, records in zip(sentences, plain, batch.texts, batch.occurrences):
        worked = [o for o in records if o.step not in ("decode", "none")]
        if not worked or shown >= args.lines:
            continue
        shown += 1
        print(f"source      {source}")
        print(f"model alone {before}")
        print(f"published   {after}")
        for o in records:
            detail = f" ({o.reason})" if o.reason and o.outcome == "unresolved" else ""
            print(f"   {o.source!r:<28} {o.step:<10} {o.outcome}{detail}")
        print()
    if not shown:
        print("the model wrote every glossary rendering by itself: the ladder had nothing to do")
    return 0


if __name__ == "__main__":
    sys.exit(main())
