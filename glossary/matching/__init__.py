"""Find glossary terms in English sources and their renderings in translations.

Rules (docs/glossary-format.md, "Matching rules"):

- case-insensitive whole words; a hyphen or an apostrophe is a word boundary,
  so `Bergkarabach` is found in `Bergkarabach-Konflikt`, `Armenia` in
  `Armenia's` and `Karabağ` in `Karabağ'da`;
- inside a multi-word term, any run of whitespace or a single hyphen separates
  the words (`Nagorno Karabakh` is `Nagorno-Karabakh`); other punctuation
  must be written as in the term;
- forms listed in the file count; a `stem` counts for any word that starts
  with it and has at most `stem_max` more characters (in a multi-word stem,
  each word is such a prefix);
- longest match first: a shorter match overlapping a longer one is dropped;
- invisible format characters inside a word (U+200B-U+200D, U+2060, U+FEFF)
  are ignored, so they cannot hide a term;
- translations: inflected, derived and compound forms of a rendering count,
  and the head of a hyphenated name does not; in English a term inside a
  name is not the term (glossary/matching/morphology.py, docs/morphology.md).

The engine is in index.py, the words it matches in tokens.py, the two
matchers in matchers.py.
"""

from __future__ import annotations

from glossary.matching.matchers import SourceMatcher, SourceOccurrence, TargetHit, TargetMatcher

# Hidden and look-alike characters: glossary/matching/normalize.py.
from glossary.matching.normalize import for_matching, needs_normalizing, visible
from glossary.matching.tokens import Fold, fold_for, tokenize

__all__ = [
    "Fold",
    "SourceMatcher",
    "SourceOccurrence",
    "TargetHit",
    "TargetMatcher",
    "fold_for",
    "for_matching",
    "needs_normalizing",
    "tokenize",
    "visible",
]
