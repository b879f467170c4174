"""Words of a text for matching: tokens with folded keys, the case fold of a locale, what separates two words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from glossary.termbase.locales import language_of

__all__ = ["APOSTROPHES", "TOKEN", "Fold", "Tokens", "fold_for", "gap_class", "tokenize"]

# A word (the matchers' and word formation's): a letter or digit, then letters, digits and the combining marks that
# may follow them (an underscore inside a word is kept: this form of the
# pattern runs about twice as fast, and news text has no underscores).
#
# Invisible format characters (zero-width space, non-joiner, joiner, word
# joiner, BOM) inside a word belong to it and are dropped from its key: they
# change nothing a reader sees, so "Art<U+200B>sakh" must still be Artsakh and
# cannot slip a forbidden term past a check.
TOKEN = re.compile(r"[^\W_][\w\u0300-\u036f\u0483-\u0489\u200b-\u200d\u2060\ufeff]*")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")
_DROP_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_HYPHENS = "-\u2010\u2011\u00ad"
APOSTROPHES = "'\u2019\u02bc"
_GAP_TABLE = str.maketrans({**{h: "-" for h in _HYPHENS}, **{a: "'" for a in APOSTROPHES}})
# Locales whose dotted/dotless i need Turkish casing (I -> ı, İ -> i).
_TURKIC = frozenset({"tr", "az"})

Fold = Callable[[str], str]


def _fold_default(text: str) -> str:
    # İ casefolds to "i" + combining dot; map it to plain i first so the fold
    # never changes the length of a string for this letter.
    return text.replace("İ", "i").casefold()


def _fold_turkic(text: str) -> str:
    return text.replace("I", "ı").replace("İ", "i").casefold()


def fold_for(locale: str) -> Fold:
    """The case fold used for a locale: Turkish casing for tr and az."""
    return _fold_turkic if language_of(locale) in _TURKIC else _fold_default


def gap_class(gap: str) -> str:
    """What separates two words, with whitespace and one hyphen equivalent."""
    cleaned = "".join(gap.split()).translate(_GAP_TABLE).translate(_DROP_INVISIBLE)
    return "" if cleaned == "-" else cleaned


class Tokens:
    """Words of a text: character spans and casefolded, NFC-normalised keys."""

    __slots__ = ("keys", "matches")

    def __init__(self, text: str, fold: Fold) -> None:
        folded = fold(text)
        # Casefolding never shrinks a character, so equal lengths mean every
        # character folded to exactly one: positions in `folded` are positions
        # in `text`, and the text is folded and split by C code in two calls.
        if len(folded) == len(text) and (text.isascii() or unicodedata.is_normalized("NFC", text)):
            self.matches = list(TOKEN.finditer(folded))
            self.keys: list[str] = list(map(re.Match.group, self.matches))
        else:
            self.matches = list(TOKEN.finditer(text))
            self.keys = [fold(unicodedata.normalize("NFC", m.group())) for m in self.matches]
        if _INVISIBLE.search(text):
            self.keys = [key.translate(_DROP_INVISIBLE) for key in self.keys]

    def __len__(self) -> int:
        return len(self.keys)

    def start(self, index: int) -> int:
        return self.matches[index].start()

    def end(self, index: int) -> int:
        return self.matches[index].end()


def tokenize(text: str, fold: Fold = _fold_default) -> list[tuple[int, int, str]]:
    """Words of `text` as (start, end, casefolded key)."""
    tokens = Tokens(text, fold)
    return [(m.start(), m.end(), key) for m, key in zip(tokens.matches, tokens.keys)]
