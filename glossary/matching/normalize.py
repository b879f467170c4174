"""Text as the matchers see it: hidden and look-alike characters cannot smuggle a term.

`for_matching(text)` returns the text to match and, per character of it, the
span of the original characters it came from, so every match is reported at
its place in the text a person wrote. What it does, in order:

- default-ignorable characters and bidi controls are dropped (soft hyphen,
  zero-width space / joiners, LRM / RLM / ALM, embeddings, overrides and
  isolates, CGJ, invisible separators, variation selectors, the Mongolian
  vowel separator, tags...): they change nothing a reader sees, or they
  reorder it;
- each base character with its combining marks is NFKC-normalised, so a
  fullwidth `Ｋａｒａｂａｋｈ` or a decomposed `é` reads as the plain word;
- in a word that mixes Latin with Cyrillic or Greek letters, the look-alike
  letters of the minority script are folded to the majority script (a
  Cyrillic `а` in `Kаrabakh`), after Unicode's confusables data.

Both sides (sources and translations) and every command go through it, since
every command matches through glossary.matching.

`visible(text)` is for terminals and pages: control, bidi and invisible
characters become `<U+202E>`-style markers so they can neither hide nor
reorder what is shown; `visible(text, one_line=True)` also marks tabs, line
breaks and every other control or separator, for one line of outside text.
"""

from __future__ import annotations

import re
import unicodedata

# Default_Ignorable_Code_Point (DerivedCoreProperties.txt) plus the bidi
# controls that are not in it (LRM/RLM/ALM are; embeddings and isolates too).
_IGNORABLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\uFFF0-\uFFF8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
_IGNORABLE_RE = re.compile(f"[{_IGNORABLE}]")
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_VISIBLE_RE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_IGNORABLE}{_BIDI}\u2028\u2029]")
_COMBINING_START = 0x0300

# Cyrillic and Greek letters that look like Latin ones (a subset of Unicode's
# confusables.txt: the letters that render identically in common fonts, and
# г, һ, к, which pass for r, h, k inside a word of Latin letters).
_TO_LATIN = {
    **dict(zip("АВЕКМНОРСТХУаеорсухіјѕԁԛԝӏгһк", "ABEKMHOPCTXYaeopcyxijsdqwlrhk")),
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοι", "ABEZHIKMNOPTYXoi")),
}
_TO_CYRILLIC = dict(zip("ABEKMHOPCTXYaeopcyxk", "АВЕКМНОРСТХУаеорсухк"))
_WORD = re.compile(r"\w+")


def _script(char: str) -> str:
    if not char.isalpha():
        return ""
    name = unicodedata.name(char, "")
    for script in ("LATIN", "CYRILLIC", "GREEK"):
        if name.startswith(script):
            return script
    return "OTHER"


def _fold_mixed(word: str) -> str:
    """A word mixing Latin with Cyrillic or Greek letters, in its majority script."""
    counts: dict[str, int] = {}
    for char in word:
        script = _script(char)
        if script:
            counts[script] = counts.get(script, 0) + 1
    if len(counts) < 2 or "LATIN" not in counts:
        return word
    latin = counts["LATIN"]
    other = sum(n for s, n in counts.items() if s in ("CYRILLIC", "GREEK"))
    as_latin = "".join(_TO_LATIN.get(c, c) for c in word)
    as_cyrillic = "".join(_TO_CYRILLIC.get(c, c) for c in word)
    # A fold that leaves the word mixed reads nothing; prefer the one that makes it one script.
    latin_whole = all(_script(c) in ("", "LATIN") for c in as_latin)
    cyrillic_whole = "GREEK" not in counts and all(_script(c) in ("", "CYRILLIC") for c in as_cyrillic)
    if latin_whole != cyrillic_whole:
        return as_latin if latin_whole else as_cyrillic
    if latin >= other:
        return as_latin
    if counts.get("CYRILLIC", 0) >= latin:
        return as_cyrillic
    return word


def needs_normalizing(text: str) -> bool:
    """False for text the matchers can take as it is (the common case, checked cheaply)."""
    if text.isascii():
        return False
    return (bool(_IGNORABLE_RE.search(text)) or "\u02bc" in text or not unicodedata.is_normalized("NFKC", text)
            or _has_mixed(text))


_GREEK_OR_CYRILLIC = re.compile("[\u0370-\u03ff\u0400-\u04ff]")
_LATIN_LETTER = re.compile("[A-Za-z]")
# Characters that read as another one for matching: the modifier-letter
# apostrophe of Turkish `Karabağʼda` is an apostrophe, not a letter.
_MAP = str.maketrans({"\u02bc": "\u2019"})


def _has_mixed(text: str) -> bool:
    if not (_GREEK_OR_CYRILLIC.search(text) and _LATIN_LETTER.search(text)):
        return False
    return any(_fold_mixed(w) != w for w in _WORD.findall(text) if not w.isascii())


def for_matching(text: str) -> tuple[str, list[int], list[int]]:
    """(text to match, start and end offset in `text` of each of its characters)."""
    if "\u202e" in text:
        return _with_overrides(text)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, length = 0, len(text)
    while i < length:
        char = text[i]
        if _IGNORABLE_RE.match(char):
            i += 1
            continue
        j = i + 1
        # The cluster: a base character and the combining marks after it
        # (ignorable characters inside it are skipped, not kept).
        while j < length and (unicodedata.combining(text[j]) or _IGNORABLE_RE.match(text[j])):
            j += 1
        cluster = _IGNORABLE_RE.sub("", text[i:j])
        normal = unicodedata.normalize("NFKC", cluster) if not cluster.isascii() else cluster
        for piece in normal:
            out.append(piece)
            starts.append(i)
            ends.append(j)
        i = j
    folded = "".join(out).translate(_MAP)
    if not folded.isascii():
        # Look-alike letters keep one character each: offsets are unchanged.
        folded = _WORD.sub(lambda m: _fold_mixed(m.group()), folded)
    return folded, starts, ends


_OVERRIDE = re.compile("\u202e([^\u202c\n]*)")


def _with_overrides(text: str) -> tuple[str, list[int], list[int]]:
    """Text under a right-to-left override is matched in the order it is displayed."""
    pieces: list[tuple[str, list[int], list[int]]] = []
    position = 0
    for match in _OVERRIDE.finditer(text):
        pieces.append(_shifted(text[position:match.start()], position))
        run_start = match.start(1)
        run = match.group(1)
        normal, starts, ends = _shifted(run, run_start)
        pieces.append((normal[::-1], starts[::-1], ends[::-1]))
        position = match.end()
    pieces.append(_shifted(text[position:], position))
    return ("".join(p[0] for p in pieces), [s for p in pieces for s in p[1]], [e for p in pieces for e in p[2]])


def _shifted(text: str, offset: int) -> tuple[str, list[int], list[int]]:
    normal, starts, ends = for_matching(text.replace("\u202e", ""))
    return normal, [s + offset for s in starts], [e + offset for e in ends]


def _marker(char: str) -> str:
    return f"<U+{ord(char):04X}>"


def visible(text: str, *, one_line: bool = False) -> str:
    """`text` with control, invisible and bidi characters shown as <U+XXXX>.

    `one_line` is for one line of terminal output from outside text (a remote
    index, a package's metadata): there every control, format, unassigned,
    private-use and separator character but the plain space is shown too,
    tabs and line breaks included, so the text can neither move the cursor
    nor start a line of its own.
    """
    if not one_line:
        return _VISIBLE_RE.sub(lambda m: _marker(m.group()), text)
    return "".join(
        _marker(ch) if ch != " " and (unicodedata.category(ch)[0] in "CZ" or _VISIBLE_RE.match(ch)) else ch
        for ch in text
    )
