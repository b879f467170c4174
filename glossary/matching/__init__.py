"""Find glossary terms in English sources and their renderings in translations.

Both matchers share one engine. A glossary and a locale are compiled once into
an index of word patterns keyed by their first (casefolded) word, plus a
dictionary of stems keyed by the stem itself. Matching a text tokenises it
once and looks each word up in those dictionaries, so the cost grows with the
length of the text and not with the number of concepts.

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
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from glossary.matching.morphology import (
    MorphIndex,
    Morphology,
    bound_head,
    modifies_name,
    morphology_for,
)

# Hidden and look-alike characters: glossary/matching/normalize.py.
from glossary.matching.normalize import (  # re-exported
    for_matching as for_matching,
)
from glossary.matching.normalize import (
    needs_normalizing as needs_normalizing,
)
from glossary.matching.normalize import (
    visible as visible,
)
from glossary.matching.quotes import depths_at, quoted_spans
from glossary.termbase.locales import language_of, normalize_locale
from glossary.termbase.model import Glossary, Policy, Rendering, Status

# A word: a letter or digit, then letters, digits and the combining marks that
# may follow them (an underscore inside a word is kept: this form of the
# pattern runs about twice as fast, and news text has no underscores).
#
# Invisible format characters (zero-width space, non-joiner, joiner, word
# joiner, BOM) inside a word belong to it and are dropped from its key: they
# change nothing a reader sees, so "Art<U+200B>sakh" must still be Artsakh and
# cannot slip a forbidden term past a check.
_TOKEN = re.compile(r"[^\W_][\w\u0300-\u036f\u0483-\u0489\u200b-\u200d\u2060\ufeff]*")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")
_DROP_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_HYPHENS = "-\u2010\u2011\u00ad"
_APOSTROPHES = "'\u2019\u02bc"
_GAP_TABLE = str.maketrans({**{h: "-" for h in _HYPHENS}, **{a: "'" for a in _APOSTROPHES}})
# Locales whose dotted/dotless i need Turkish casing (I -> ı, İ -> i).
_TURKIC = frozenset({"tr", "az"})
# Locales in which a suffix follows a proper noun after an apostrophe.
_APOSTROPHE_SUFFIX = frozenset({"tr", "az"})

Fold = Callable[[str], str]
# Length of the stem prefix filter (see _Index.freeze).
_HEAD = 3


def _fold_default(text: str) -> str:
    # İ casefolds to "i" + combining dot; map it to plain i first so the fold
    # never changes the length of a string for this letter.
    return text.replace("İ", "i").casefold()


def _fold_turkic(text: str) -> str:
    return text.replace("I", "ı").replace("İ", "i").casefold()


def fold_for(locale: str) -> Fold:
    """The case fold used for a locale: Turkish casing for tr and az."""
    return _fold_turkic if language_of(locale) in _TURKIC else _fold_default


def _gap_class(gap: str) -> str:
    """What separates two words, with whitespace and one hyphen equivalent."""
    cleaned = "".join(gap.split()).translate(_GAP_TABLE).translate(_DROP_INVISIBLE)
    return "" if cleaned == "-" else cleaned


class _Tokens:
    """Words of a text: character spans and casefolded, NFC-normalised keys."""

    __slots__ = ("keys", "matches")

    def __init__(self, text: str, fold: Fold) -> None:
        folded = fold(text)
        # Casefolding never shrinks a character, so equal lengths mean every
        # character folded to exactly one: positions in `folded` are positions
        # in `text`, and the text is folded and split by C code in two calls.
        if len(folded) == len(text) and (text.isascii() or unicodedata.is_normalized("NFC", text)):
            self.matches = list(_TOKEN.finditer(folded))
            self.keys: list[str] = list(map(re.Match.group, self.matches))
        else:
            self.matches = list(_TOKEN.finditer(text))
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
    tokens = _Tokens(text, fold)
    return [(m.start(), m.end(), key) for m, key in zip(tokens.matches, tokens.keys)]


Payload = tuple[str, Rendering]  # (concept id, rendering)


class _Pattern:
    """One surface (or stem) to look for, and every rendering it stands for."""

    __slots__ = ("chars", "gaps", "keys", "payloads", "stem_max")

    def __init__(self, keys: tuple[str, ...], gaps: tuple[str, ...], stem_max: int | None) -> None:
        self.keys = keys
        self.gaps = gaps
        self.stem_max = stem_max  # None: exact words
        self.payloads: list[Payload] = []
        self.chars = sum(len(k) for k in keys)


@dataclass(frozen=True)
class _Match:
    first: int  # token indexes, inclusive
    last: int
    start: int  # character offsets
    end: int
    payloads: tuple[Payload, ...]
    morph: bool = False  # found through word formation; listed forms win at equal length


class _Index:
    """Patterns keyed by first word; stems keyed by the stem of the first word."""

    def __init__(self, fold: Fold, morphology: Morphology | None = None) -> None:
        self.fold = fold
        self.morph = MorphIndex(morphology) if morphology is not None else None
        self.exact: dict[str, list[_Pattern]] = {}
        self.stems: dict[str, list[_Pattern]] = {}
        self._seen: dict[tuple[object, ...], _Pattern] = {}
        self.min_stem = 0
        self.max_extra = 0
        # stem_heads[n - 1]: the stems of n characters, for n < _HEAD; last:
        # the first _HEAD characters of every longer stem
        self.stem_heads: list[set[str]] = [set() for _ in range(_HEAD)]

    def _split(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        tokens = tokenize(text, self.fold)
        keys = tuple(key for _, _, key in tokens)
        gaps = tuple(_gap_class(text[a[1] : b[0]]) for a, b in zip(tokens, tokens[1:]))
        return keys, gaps

    def add(self, surface: str, payload: Payload, stem_max: int | None = None) -> None:
        if needs_normalizing(surface):  # the glossary's side is read like the text's
            surface = for_matching(surface)[0]
        keys, gaps = self._split(surface)
        if not keys:
            return
        signature = (keys, gaps, stem_max)
        pattern = self._seen.get(signature)
        if pattern is None:
            pattern = _Pattern(keys, gaps, stem_max)
            self._seen[signature] = pattern
            table = self.exact if stem_max is None else self.stems
            table.setdefault(keys[0], []).append(pattern)
        if payload not in pattern.payloads:
            pattern.payloads.append(payload)
        if self.morph is not None and stem_max is None:
            self.morph.add(surface, keys, gaps, payload)

    def add_rendering(self, concept_id: str, rendering: Rendering) -> None:
        payload = (concept_id, rendering)
        for surface in rendering.surfaces:
            self.add(surface, payload)
        if rendering.stem:
            self.add(rendering.stem, payload, rendering.stem_max)

    def freeze(self) -> None:
        """Sort candidates longest first and prepare the stem filters."""
        for table in (self.exact, self.stems):
            for patterns in table.values():
                patterns.sort(key=lambda p: (-len(p.keys), -p.chars))
        self.min_stem = min((len(key) for key in self.stems), default=0)
        self.max_extra = max(
            (p.stem_max or 0 for patterns in self.stems.values() for p in patterns), default=0
        )
        # Cheap filter before the prefix lookups: the first characters of
        # every stem (stems shorter than the head length are checked whole).
        self.stem_heads = [{key for key in self.stems if len(key) == size} for size in range(1, _HEAD)]
        self.stem_heads.append({key[:_HEAD] for key in self.stems if len(key) >= _HEAD})
        self._seen.clear()

    # -- matching --------------------------------------------------------------

    def _fits(self, pattern: _Pattern, tokens: _Tokens, i: int, text: str) -> bool:
        count = len(pattern.keys)
        if i + count > len(tokens):
            return False
        keys = tokens.keys
        stem_max = pattern.stem_max
        for k in range(count):
            key = keys[i + k]
            want = pattern.keys[k]
            if stem_max is None:
                if key != want:
                    return False
            elif not (key.startswith(want) and len(key) - len(want) <= stem_max):
                return False
            if k and _gap_class(text[tokens.end(i + k - 1) : tokens.start(i + k)]) != pattern.gaps[k - 1]:
                return False
        return True

    def _candidates(self, key: str) -> list[_Pattern]:
        found: list[_Pattern] = list(self.exact.get(key, ()))
        length = len(key)
        for size in range(max(self.min_stem, length - self.max_extra), length + 1):
            patterns = self.stems.get(key[:size])
            if patterns:
                found.extend(patterns)
        return found

    def _best_at(self, tokens: _Tokens, i: int, text: str, candidates: list[_Pattern]) -> _Match | None:
        best_last = -1
        payloads: list[Payload] = []
        for pattern in candidates:
            last = i + len(pattern.keys) - 1
            if last < best_last or not self._fits(pattern, tokens, i, text):
                continue
            if last > best_last:
                best_last = last
                payloads = []
            for payload in pattern.payloads:
                if payload not in payloads:
                    payloads.append(payload)
        if best_last < 0:
            return None
        return _Match(i, best_last, tokens.start(i), tokens.end(best_last), tuple(payloads))

    def find(self, text: str) -> list[_Match]:
        """Non-overlapping matches, longest first, returned in text order.

        Hidden and look-alike characters are normalised first
        (glossary/matching/normalize.py); offsets are the original text's.
        """
        if not needs_normalizing(text):
            return self._find(text)
        normal, starts, ends = for_matching(text)
        # min/max: under a right-to-left override the characters run backwards.
        return [
            dataclasses.replace(m, start=min(starts[m.start : m.end]), end=max(ends[m.start : m.end]))
            if m.end > m.start else m
            for m in self._find(normal)
        ]

    def _find(self, text: str) -> list[_Match]:
        tokens = _Tokens(text, self.fold)
        keys = tokens.keys
        exact = self.exact
        one, two, heads = self.stem_heads  # _HEAD == 3
        # One set probe per word in the common case (list comprehensions run
        # these loops at C speed); prefix lookups only run for words whose
        # first letters start some stem.
        where = [i for i, key in enumerate(keys) if key in exact]
        if heads or two or one:
            where += [
                i
                for i, key in enumerate(keys)
                if (heads and key[:3] in heads) or (two and key[:2] in two) or (one and key[:1] in one)
            ]
            where = sorted(set(where))
        matches: list[_Match] = []
        for i in where:
            match = self._best_at(tokens, i, text, self._candidates(keys[i]))
            if match is not None:
                matches.append(match)
        if self.morph is not None:
            return self._with_morphology(tokens, text, matches)
        if len(matches) < 2:
            return matches
        matches.sort(key=lambda m: (m.start - m.end, m.start))
        chosen, _ = _non_overlapping(matches, len(tokens))
        chosen.sort(key=lambda m: m.start)
        return chosen

    def _with_morphology(self, tokens: _Tokens, text: str, matches: list[_Match]) -> list[_Match]:
        """Add the forms word formation finds, then drop heads of hyphenated names."""
        assert self.morph is not None

        def gap(i: int) -> str:
            return _gap_class(text[tokens.end(i) : tokens.start(i + 1)])

        def capitalised(i: int) -> bool:
            return text[tokens.start(i)].isupper()

        for first, last, payloads in self.morph.find(tokens.keys, gap, capitalised):
            matches.append(_Match(first, last, tokens.start(first), tokens.end(last), tuple(payloads), True))
        matches.sort(key=lambda m: (m.start - m.end, m.morph, m.start))
        chosen, taken = _non_overlapping(matches, len(tokens))
        kept = [
            m
            for m in chosen
            if not (
                m.first > 0
                and bound_head(text, m.start, (tokens.start(m.first - 1), tokens.end(m.first - 1)), bool(taken[m.first - 1]))
            )
        ]
        kept.sort(key=lambda m: m.start)
        return kept


def _non_overlapping(matches: list[_Match], count: int) -> tuple[list[_Match], bytearray]:
    """The matches, in their order of preference, that overlap no earlier one; and the tokens taken."""
    taken = bytearray(count)
    chosen: list[_Match] = []
    for match in matches:
        if any(taken[match.first : match.last + 1]):
            continue
        taken[match.first : match.last + 1] = b"\x01" * (match.last - match.first + 1)
        chosen.append(match)
    return chosen, taken


def _extend_suffix(text: str, end: int, possessive_only: bool) -> int:
    """Extend a match over an apostrophe suffix (`'s`, or Turkish `'da`)."""
    if end >= len(text) or text[end] not in _APOSTROPHES:
        return end
    stop = end + 1
    while stop < len(text) and text[stop].isalpha():
        stop += 1
    if stop == end + 1:
        return end
    if possessive_only and text[end + 1 : stop].lower() != "s":
        return end
    return stop


@dataclass(frozen=True)
class SourceOccurrence:
    """A concept found in an English source text."""

    concept_id: str
    start: int
    end: int
    text: str
    quoted: bool
    depth: int
    rendering: Rendering | None = None

    @property
    def status(self) -> Status | None:
        """Status of the English term that was found (deprecated for Artsakh...)."""
        return self.rendering.status if self.rendering else None


@dataclass(frozen=True)
class TargetHit:
    """A rendering of a concept found in a translation."""

    concept_id: str
    rendering: Rendering
    status: Status
    start: int
    end: int
    text: str
    quoted: bool
    depth: int = 0


def _unique_by_concept(payloads: Iterable[Payload]) -> list[Payload]:
    # One span is one occurrence per concept; if several renderings of one
    # concept share a surface, the first (file order) stands for it.
    seen: set[str] = set()
    result: list[Payload] = []
    for concept_id, rendering in payloads:
        if concept_id not in seen:
            seen.add(concept_id)
            result.append((concept_id, rendering))
    return result


class SourceMatcher:
    """Finds concept occurrences in source-locale (English) text.

    Every source rendering is indexed, deprecated and forbidden ones included:
    they still identify the concept (Artsakh).
    """

    def __init__(self, glossary: Glossary, *, morphology: bool = True) -> None:
        self.glossary = glossary
        self.locale = glossary.source
        self._names = morphology  # a term inside a name is not the term
        self._index = _Index(fold_for(self.locale))
        for concept in glossary.concepts.values():
            for rendering in concept.terms.get(self.locale, ()):
                self._index.add_rendering(concept.id, rendering)
        self._index.freeze()

    def find(self, text: str) -> list[SourceOccurrence]:
        """Occurrences in text order; a text may hold several paragraphs (lines)."""
        matches = self._index.find(text)
        if matches and self._names:
            starts = {m.start for m in matches}
            matches = [m for m in matches if not modifies_name(text, m.start, m.end, starts)]
        if not matches:
            return []
        spans = quoted_spans(text)
        depths = depths_at(spans, [m.start for m in matches])
        found: list[SourceOccurrence] = []
        for match, depth in zip(matches, depths):
            end = _extend_suffix(text, match.end, possessive_only=True)
            for concept_id, rendering in _unique_by_concept(match.payloads):
                found.append(
                    SourceOccurrence(concept_id, match.start, end, text[match.start : end], depth > 0, depth, rendering)
                )
        return found


class TargetMatcher:
    """Finds renderings of concepts in a translation into `locale`.

    For a `keep` concept with no renderings in the locale, the source
    renderings stand in: kept means written as in the source.
    """

    def __init__(self, glossary: Glossary, locale: str, *, morphology: bool = True) -> None:
        self.glossary = glossary
        self.locale = normalize_locale(locale)
        self._suffixes = language_of(self.locale) in _APOSTROPHE_SUFFIX
        # Inflected, derived and compound forms (glossary/matching/morphology.py).
        self._index = _Index(fold_for(self.locale), morphology_for(self.locale) if morphology else None)
        for concept in glossary.concepts.values():
            renderings = concept.terms.get(self.locale, ())
            if not renderings and concept.policy is Policy.KEEP:
                renderings = concept.terms.get(glossary.source, ())
            for rendering in renderings:
                self._index.add_rendering(concept.id, rendering)
        self._index.freeze()

    def find(self, text: str) -> list[TargetHit]:
        """Hits in text order; one span may stand for several concepts."""
        matches = self._index.find(text)
        if not matches:
            return []
        spans = quoted_spans(text)
        depths = depths_at(spans, [m.start for m in matches])
        found: list[TargetHit] = []
        for match, depth in zip(matches, depths):
            end = _extend_suffix(text, match.end, possessive_only=False) if self._suffixes else match.end
            for concept_id, rendering in _unique_by_concept(match.payloads):
                found.append(
                    TargetHit(
                        concept_id,
                        rendering,
                        rendering.status,
                        match.start,
                        end,
                        text[match.start : end],
                        depth > 0,
                        depth,
                    )
                )
        return found
