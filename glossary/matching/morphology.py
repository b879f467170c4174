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
  (`Karabachfrage`, `Delimitationskommissionen`);
- a hyphenated variant whose head is a rendering and whose capitalised first
  part is no glossary term (`Hoch-Karabach`, `Нагорно-Карабах`) is a
  different name, not that rendering;
- in English, a term followed by a capitalised word that is no term is a
  modifier inside a name (`Azerbaijan Airlines`, `Armenian Gampr`), not the
  term.

The glossary's own `forms` and `stem` win: a span matched by them is never
re-attributed by this module (the matcher prefers them at equal length).
The stemmers are imported on first use; without them only the rules that
need no stemmer apply.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from glossary.termbase.locales import language_of

# The matcher's word pattern (glossary/matching.py, _TOKEN), to tell which
# words of a surface are capitalised.
_WORD = re.compile(r"[^\W_][\w\u0300-\u036f\u0483-\u0489\u200b-\u200d\u2060\ufeff]*")
_HYPHENS = "-\u2010\u2011"

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
class _Word:
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
        self._verdicts: dict[tuple[_Word, str, bool, bool], bool] = {}
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

    def word(self, base: str, proper: bool) -> _Word:
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
        return _Word(base, root, self.stem(base), proper, verb, tuple(dict.fromkeys(derived)))

    def _inflected(self, word: _Word, token: str) -> bool:
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

    def _derived(self, word: _Word, token: str) -> bool:
        for base in word.derived_bases:
            if len(base) < _MIN_ROOT or not token.startswith(base):
                continue
            rest = token[len(base) :]
            for suffix in self.language.derived:
                if rest.startswith(suffix) and len(rest) - len(suffix) <= _MAX_DERIVED_TAIL:
                    return True
        return False

    def _compound(self, word: _Word, token: str) -> bool:
        for first in dict.fromkeys((word.base, word.root)):
            if len(first) < _MIN_ROOT + 1 or not token.startswith(first):
                continue
            rest = token[len(first) :]
            for linker in _LINKERS:
                if rest.startswith(linker) and len(rest) - len(linker) >= _MIN_COMPOUND_HEAD:
                    return True
        return False

    def accepts(self, word: _Word, token: str, *, alone: bool, capitalised: bool = True) -> bool:
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

    def _accepts(self, word: _Word, token: str, alone: bool, capitalised: bool) -> bool:
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


Payload = Any  # the matcher's (concept id, rendering); opaque here


class _Pattern:
    __slots__ = ("gaps", "payloads", "words")

    def __init__(self, words: tuple[_Word, ...], gaps: tuple[str, ...]) -> None:
        self.words = words
        self.gaps = gaps
        self.payloads: list[Payload] = []


class MorphIndex:
    """Renderings of one locale, matched through their inflected and derived forms."""

    _HEAD = 3

    def __init__(self, morphology: Morphology) -> None:
        self.morphology = morphology
        self._by_head: dict[str, list[_Pattern]] = {}
        self._seen: dict[tuple[object, ...], _Pattern] = {}

    def add(self, surface: str, keys: tuple[str, ...], gaps: tuple[str, ...], payload: Payload) -> None:
        """Index one surface of a rendering (its casefolded words and gaps)."""
        words = [m.group() for m in _WORD.finditer(surface)]
        capitalised = [w[:1].isupper() for w in words] if len(words) == len(keys) else [False] * len(keys)
        signature = (keys, gaps)
        pattern = self._seen.get(signature)
        if pattern is None:
            prepared = tuple(self.morphology.word(key, proper) for key, proper in zip(keys, capitalised))
            head = prepared[0].root[: self._HEAD]
            if len(head) < self._HEAD:
                return  # a root this short is matched only as listed
            pattern = _Pattern(prepared, gaps)
            self._seen[signature] = pattern
            self._by_head.setdefault(head, []).append(pattern)
        if payload not in pattern.payloads:
            pattern.payloads.append(payload)

    def _heads(self, key: str) -> list[str]:
        heads = [key[: self._HEAD]]
        for prefix in self.morphology.language.verb_prefixes:
            if key.startswith(prefix):
                heads.append(key[len(prefix) : len(prefix) + self._HEAD])
        return heads

    def find(
        self, keys: Sequence[str], gap: Callable[[int], str], capitalised: Callable[[int], bool]
    ) -> list[tuple[int, int, list[Payload]]]:
        """(first token, last token, payloads) of every match, longest per start.

        `gap(i)` is the gap class between token i and token i + 1, as the
        matcher computes it; `capitalised(i)` whether token i is capitalised.
        """
        found: list[tuple[int, int, list[Payload]]] = []
        table = self._by_head
        size = self._HEAD
        prefixes = self.morphology.language.verb_prefixes
        # One set probe per word in the common case (no root starts so).
        where = [
            i
            for i, key in enumerate(keys)
            if key[:size] in table or (prefixes and key[:1] in prefixes and key[1 : 1 + size] in table)
        ]
        for i in where:
            key = keys[i]
            candidates: list[_Pattern] = []
            for head in dict.fromkeys(self._heads(key)):
                candidates.extend(table.get(head, ()))
            best = -1
            payloads: list[Payload] = []
            for pattern in candidates:
                count = len(pattern.words)
                last = i + count - 1
                if last >= len(keys) or last < best:
                    continue
                alone = count == 1
                if not all(
                    self.morphology.accepts(word, keys[i + k], alone=alone, capitalised=capitalised(i + k))
                    and (k == 0 or gap(i + k - 1) == pattern.gaps[k - 1])
                    for k, word in enumerate(pattern.words)
                ):
                    continue
                if last > best:
                    best, payloads = last, []
                payloads.extend(p for p in pattern.payloads if p not in payloads)
            if best >= 0:
                found.append((i, best, payloads))
        return found


def bound_head(text: str, start: int, before: tuple[int, int] | None, covered: bool) -> bool:
    """Whether a match at `start` is the head of a hyphenated name (`Hoch-Karabach`).

    `before` is the span of the word before the match and `covered` whether
    a glossary match covers that word: `Armenien-Aserbaidschan-Konflikt`,
    `Karabach-Armenier` and lower-case combining forms (`армяно-`) stay
    matches.
    """
    if before is None or covered:
        return False
    gap = text[before[1] : start]
    return len(gap) == 1 and gap in _HYPHENS and text[before[0]].isupper()


def _headline(text: str) -> bool:
    # Title Case lines capitalise every long word; there capitals say nothing.
    long_words = [w for w in _WORD.findall(text) if len(w) >= 4 and w.isalpha()]
    return len(long_words) >= 4 and sum(w[0].isupper() for w in long_words) >= 0.6 * len(long_words)


_NAME_RUN = re.compile(r"[^\W\d_][\w'\u2019-]*")


def modifies_name(text: str, start: int, end: int, term_starts: set[int]) -> bool:
    """Whether an English term at text[start:end] is a modifier inside a name.

    `Azerbaijan Airlines`, `Armenian Gampr`: the term is followed, after one
    space, by one or two capitalised words that start no glossary term, so
    the whole is a proper name (a firm, a breed) that need not render the
    term. Not so for `Karabakh Armenians` (a term follows), an acronym
    (`NATO Secretary-General`: the acronym is a name of its own), a title
    before a person's name (`Armenian Prime Minister Nikol Pashinyan`: a
    longer capitalised run) and Title Case headlines.
    """
    term = text[start:end]
    if not term[:1].isupper() or (len(term) > 1 and term.isupper()):
        return False
    position = end
    while position < len(text) and text[position] in " \t\u00a0":
        position += 1
    if position == end or position >= len(text) or not text[position].isupper():
        return False
    if position in term_starts:
        return False
    run = 0
    while position < len(text):
        word = _NAME_RUN.match(text, position)
        if word is None or not word.group()[0].isupper():
            break
        run += 1
        position = word.end()
        if position < len(text) and text[position] == " ":
            position += 1
        else:
            break
    return run <= 2 and not _headline(text)
