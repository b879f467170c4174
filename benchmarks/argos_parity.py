"""Parity with Argos' own decoding path: how many held-out sentences decode differently.

Decodes the test model's held-out English sentences twice: with termguard's
Engine (default DecodeOptions) and with ``argostranslate.translate.
apply_packaged_translation`` (Argos' path, one sentence per call, its
sentence splitter bypassed so both see the same sentence). Prints the count
of sentences whose translations differ, and the first few.

    python benchmarks/argos_parity.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
TEST_MODEL = REPO / "tests" / "model" / "translate-en_qtc-1_0.argosmodel"
HELDOUT = REPO / "tests" / "model" / "heldout.tsv"
DEFAULT_LENGTH_PENALTY = 0.2


class _Whole:
    """Argos' sentencizer interface, giving the text back as one sentence."""

    def split_sentences(self, text: str) -> list[str]:
        return [text]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--length-penalty", type=float, default=DEFAULT_LENGTH_PENALTY,
                        help="ours (default: Argos' 0.2; 1.0 was the old setting)")
    args = parser.parse_args()
    import os

    with tempfile.TemporaryDirectory(prefix="termguard-parity-") as tmp:
        os.environ["ARGOS_PACKAGES_DIR"] = tmp
        import ctranslate2
        from argostranslate import package as argos_package
        from argostranslate.translate import apply_packaged_translation

        from translate.argos import packages
        from translate.argos.engine import DecodeOptions, Engine

        path = packages.install_file(TEST_MODEL).path
        sentences = [line.split("\t", 1)[0] for line in HELDOUT.read_text(encoding="utf-8").splitlines()
                     if "\t" in line][: args.limit]
        options = DecodeOptions(length_penalty=args.length_penalty)
        ours = [h[0].text for h in Engine(path).translate(sentences, options)]
        pkg = argos_package.Package(path)
        translator = ctranslate2.Translator(str(path / "model"), device="cpu")
        theirs = [apply_packaged_translation(pkg, s, translator, _Whole(), 1)[0].value for s in sentences]
    differ = [(s, a, b) for s, a, b in zip(sentences, ours, theirs, strict=True) if a != b]
    print(json.dumps({"sentences": len(sentences), "differ": len(differ),
                      "examples": [{"source": s, "termguard": a, "argos": b} for s, a, b in differ[:5]]},
                     ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
