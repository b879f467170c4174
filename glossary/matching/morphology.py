"""Word formation for the matchers: inflection, derivation and compounds.

A glossary lists a rendering once (`Karabach`, `захватить`, `ele geçirmek`)
and may add `forms` and a `stem`. This module recognises the other forms a
correct translation uses, per language, without listing them
(docs/morphology.md says which library serves which language, and why):

- inflection: a word is a form of a rendering word when it starts with the
  word's root (the word less a final vowel, or less an infinitive ending for
  a verb) and the language's stemmer reduces it to the same stem (or to a
  prefix of the word): Snowball stemmers for de, fr, es, pt, ru, tr and hy;
  Turkish and Azerbaijani verb roots take any suffix chain, Azerbaijani
  nouns a chain of its nominal suffixes (there is no maintained Azerbaijani
  stemmer); Armenian verbs may carry the prefix կ- or չ-;
- derivation, for proper names: adjectives and nouns of place (`Eriwaner`,
  `karabachisch`, `ереванский`, `бакинский`, `Karabağlı`, `Ղարաբաղյան`);
- German closed compounds whose first element is the rendering
  (`Karabachfrage`, `Delimitationskommissionen`).

A term inside a name is not the term: glossary/matching/proper_names.py.

The glossary's own `forms` and `stem` win: a span matched by them is never
re-attributed by this module (the matcher prefers them at equal length).
The stemmers are imported on first use; without them only the rules that
need no stemmer apply.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from glossary.termbase.locales import language_of

__all__ = ["Morphology", "Word", "morphology_for", "supported_languages"]

# Azerbaijani nominal suffixes (plural, possessive, case, relative, copula),
# in the order they attach; vowel harmony is not enforced (either vowel of a
# pair is accepted): it cannot make a wrong word right.
_AZ_NOUN = re.compile(
    r"(?:l[aə]r)?"
    r"(?:(?:s)?[ıiuü]|[ıiuü]?m|[ıiuü]?n|[ıiuü]?m[ıiuü]z|[ıiuü]?n[ıiuü]z|l[aə]r[ıi])?"
    r"(?:n?[ıiuü]n|y?[aə]|n?[ıiuü]|n?[dt][aə]n?|y?l[aə]|n[aə]|n[dt][aə]n?)?"
    r"(?:k[ıi])?"
    r"(?:[dt][ıiuü]r)?"
)


@dataclass(frozen=True)
class _Language:
    stemmer: str | None  # Snowball algorithm name
    vowels: str
    verb_endings: tuple[str, ...] = ()  # infinitive endings, longest first
    verbs_lowercase: bool = False  # German: a capitalised word is a noun, never a verb
    derived: tuple[str, ...] = ()  # suffixes deriving adjectives/nouns from a proper name
    derive_cut: tuple[str, ...] = ()  # endings a name drops before a derivational suffix
    compounds: bool = False  # closed compounds whose first element is the rendering
    agglutinative: bool = False  # verb roots take any suffix chain (tr, az)
    noun_suffixes: re.Pattern[str] | None = None  # a suffix grammar where there is no stemmer
    verb_prefixes: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()  # a definite article the stemmer leaves on (Armenian -ը, -ն)
    accent_shift: bool = False  # an ending moves the accent: delimitación, delimitaciones
    max_tail: int = 6  # letters an inflection may add to a verb's root
    noun_tail: int = 3  # ... to another word's root: traités, not traitement


_LANGUAGES: dict[str, _Language] = {
    "de": _Language(
        "german", "aeiouyäöü", ("en", "n"), verbs_lowercase=True, noun_tail=3,
        derived=("isch", "er"), derive_cut=("ien", "us", "en", "e", "a"), compounds=True,
    ),
    "fr": _Language(
        "french", "aeiouyéèêàâîôûœ", ("er", "ir", "re"), noun_tail=2,
        derived=("ais", "aise", "ien", "ienne", "ois", "oise"), derive_cut=("e",),
    ),
    "es": _Language(
        "spanish", "aeiouáéíóú", ("ar", "er", "ir"), derived=("í", "ense", "ino", "ina"), derive_cut=("a", "o"),
        noun_tail=3, accent_shift=True,
    ),
    "pt": _Language(
        "portuguese", "aeiouáéíóúâêôãõ", ("ar", "er", "ir"), derived=("ense", "ano", "ana"), derive_cut=("a", "o"),
        noun_tail=3, accent_shift=True,
    ),
    "ru": _Language(
        "russian", "аеёиоуыэюяьйъ",
        ("ться", "ать", "ять", "ить", "еть", "уть", "ыть", "оть", "ть"),
        derived=("инск", "ск"), derive_cut=("ия", "а", "я", "ь", "у"),
    ),
    "tr": _Language(
        "turkish", "aeıioöuü", ("mek", "mak"), derived=("lı", "li", "lu", "lü"),
        agglutinative=True, max_tail=10, noun_tail=10,
    ),
    "az": _Language(
        None, "aeəıioöuü", ("mək", "maq"), derived=("lı", "li", "lu", "lü"),
        agglutinative=True, noun_suffixes=_AZ_NOUN, max_tail=10, noun_tail=10,
    ),
    "hy": _Language(
        "armenian", "աեէըիոօու", ("ել", "ալ"), derived=("յան", "ցի", "ական"),
        verb_prefixes=("կ", "չ"), articles=("ը", "ն"), noun_tail=6,
    ),
}
# Roots shorter than this are matched only as listed (too many words start so).
_MIN_ROOT = 3
_MIN_VERB_ROOT = 4  # a one-word verb: tomar's tom- also starts tomo and Tomás
_MIN_COMPOUND_HEAD = 4  # letters after the rendering in a closed compound
_LINKERS = ("", "s", "es", "n", "en")
_MAX_DERIVED_TAIL = 4  # inflection after a derivational suffix


@dataclass(frozen=True)
class Word:
    """One word of a rendering, prepared for matching."""

    base: str  # casefolded
    root: str
    stem: str
    proper: bool
    verb: bool
    derived_bases: tuple[str, ...]


class Morphology:
    """The word-formation rules of one language."""

    def __init__(self, language: _Language) -> None:
        self.language = language
        self._stems: dict[str, str] = {}
        self._verdicts: dict[tuple[Word, str, bool, bool], bool] = {}
        self._stemmer: Any = None
        self._loaded = False

    def _stem_function(self) -> Callable[[str], str] | None:
        if not self._loaded:
            self._loaded = True
            if self.language.stemmer:
                try:  # imported on first use: most runs match no language at all
                    import snowballstemmer
                except ImportError:  # pragma: no cover - a declared dependency
                    self._stemmer = None
                else:
                    self._stemmer = snowballstemmer.stemmer(self.language.stemmer)
        return self._stemmer.stemWord if self._stemmer is not None else None

    def stem(self, word: str) -> str:
        """The stemmer's stem of a casefolded word (the word itself without one)."""
        found = self._stems.get(word)
        if found is None:
            function = self._stem_function()
            found = function(word) if function else word
            self._stems[word] = found
        return found

    def word(self, base: str, proper: bool) -> Word:
        """Prepare one casefolded rendering word."""
        language = self.language
        verb = False
        root = base
        if not (proper and language.verbs_lowercase):
            for ending in language.verb_endings:
                if base.endswith(ending) and len(base) - len(ending) >= 2:
                    root, verb = base[: -len(ending)], True
                    break
        if not verb:
            # The final vowel of a name (Армения -> Армени-и, Шуша -> Шуш-е),
            # the vowels of a common word's ending (фактические -> фактическ-ой):
            # a name keeps more of itself, so Армен is no form of Армения.
            cut = 0
            while cut < (1 if proper else 2) and len(base) - cut > _MIN_ROOT + 1 and base[-1 - cut] in language.vowels:
                cut += 1
            root = base[: len(base) - cut] if cut else base
        derived: list[str] = []
        if proper and language.derived:
            derived.append(root)
            for ending in language.derive_cut:
                if base.endswith(ending) and len(base) - len(ending) >= _MIN_ROOT:
                    derived.append(base[: -len(ending)])
            derived.append(base)
        return Word(base, root, self.stem(base), proper, verb, tuple(dict.fromkeys(derived)))

    def _inflected(self, word: Word, token: str) -> bool:
        language = self.language
        roots = [word.root]
        if word.verb and language.agglutinative and word.root.endswith("t"):
            roots.append(word.root[:-1] + "d")  # etmək: edəcək, etmek: edecek
        tail = language.max_tail if word.verb else language.noun_tail
        plain = _unaccented(token) if language.accent_shift else token
        for root in roots:
            # The accent moves only when an ending is added: tomo is no form of tomó.
            shifted = language.accent_shift and len(token) > len(root)
            starts = plain.startswith(_unaccented(root)) if shifted else token.startswith(root)
            if len(root) < 2 or not starts or len(token) - len(root) > tail:
                continue
            if word.verb and language.agglutinative:
                return True
            if language.noun_suffixes is not None:
                if token.startswith(word.base) and language.noun_suffixes.fullmatch(token[len(word.base) :]):
                    return True
                continue
            bare = [token]
            bare += [token[: -len(a)] for a in language.articles if token.endswith(a) and len(token) - len(a) >= len(root)]
            for form in bare:
                stem = self.stem(form)
                if form == word.base or stem == word.stem or word.base.startswith(stem):
                    return True
        return False

    def _derived(self, word: Word, token: str) -> bool:
        for base in word.derived_bases:
            if len(base) < _MIN_ROOT or not token.startswith(base):
                continue
            rest = token[len(base) :]
            for suffix in self.language.derived:
                if rest.startswith(suffix) and len(rest) - len(suffix) <= _MAX_DERIVED_TAIL:
                    return True
        return False

    def _compound(self, word: Word, token: str) -> bool:
        for first in dict.fromkeys((word.base, word.root)):
            if len(first) < _MIN_ROOT + 1 or not token.startswith(first):
                continue
            rest = token[len(first) :]
            for linker in _LINKERS:
                if rest.startswith(linker) and len(rest) - len(linker) >= _MIN_COMPOUND_HEAD:
                    return True
        return False

    def accepts(self, word: Word, token: str, *, alone: bool, capitalised: bool = True) -> bool:
        """Whether `token` (casefolded) is a form of the rendering word.

        `alone`: the rendering is this one word, so derivation and compounds
        apply too (inside a multi-word rendering only inflection does).
        `capitalised`: the word is capitalised in the text; a German compound
        is a noun, so `grenzenlos` is no compound of Grenze.
        """
        key = (word, token, alone, capitalised)
        verdict = self._verdicts.get(key)
        if verdict is None:
            if len(self._verdicts) > 200_000:  # a long-lived matcher over many texts
                self._verdicts.clear()
            verdict = self._verdicts[key] = self._accepts(word, token, alone, capitalised)
        return verdict

    def _accepts(self, word: Word, token: str, alone: bool, capitalised: bool) -> bool:
        if token == word.base:
            return True
        if word.verb and self.language.verb_prefixes:
            for prefix in self.language.verb_prefixes:
                if token.startswith(prefix) and token[len(prefix) :].startswith(word.root):
                    token = token[len(prefix) :]
                    break
        shortest = _MIN_VERB_ROOT if word.verb else _MIN_ROOT
        if (len(word.root) >= shortest or not alone) and self._inflected(word, token):
            return True
        if not alone:
            return False
        if self._derived(word, token):
            return True
        return self.language.compounds and word.proper and capitalised and self._compound(word, token)


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def morphology_for(locale: str) -> Morphology | None:
    """The word-formation rules of a locale's language, or None if it has none."""
    language = _LANGUAGES.get(language_of(locale))
    return Morphology(language) if language else None


def supported_languages() -> tuple[str, ...]:
    """Languages (of locale identifiers) that have word-formation rules."""
    return tuple(_LANGUAGES)
