"""The ``qtc`` test language: a fixed, deterministic word-level cipher of English.

``qtc`` lies in the ISO 639-2 range qaa–qtz reserved for local use, so it can
never clash with a real language code.  The cipher exists only so that the
project's tests have a real translation model whose every output is known in
advance.

Rules (see also tests/model/README.md):

* every lowercase English word maps to a pronounceable pseudo-word of
  consonant-vowel syllables, derived from sha256 of the word and about as long
  as the word; over :data:`VOCABULARY` the mapping is a bijection and no
  pseudo-word is itself a vocabulary word;
* case is carried over: ``Armenia`` -> capitalised, ``NATO`` -> all caps;
* digits and numbers (``1990s``, ``1,000``, ``19th``), punctuation, quotes of
  every kind, brackets and whitespace pass through unchanged;
* hyphenated compounds are ciphered per part, and possessive or contraction
  endings (``'s``, ``’s``, a trailing apostrophe) stay after the ciphered stem.

Pure standard library, no dependence on the Python hash seed.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

__all__ = [
    "ACRONYMS",
    "ARTICLE_WORDS",
    "COMMON_WORDS",
    "GLOSSARY_WORDS",
    "PROPER_NOUNS",
    "VOCABULARY",
    "cipher_text",
    "cipher_word",
    "lexicon",
]

# Every alphabetic word of samples/nato-armenia-azerbaijan.txt, lower-cased.
# Listed literally so the cipher does not change when the sample is edited.
ARTICLE_WORDS: tuple[str, ...] = tuple(
    """
a achieve added afp after aftermath again agreement alongside also an and another
anything are areas armenia armenian arrive as at atlantic azerbaijan azerbaijani baku
become been begin being berlin between bogged border borders both break breakaway
brokered but by can carried caucasus chance chief christian circulated cleansing close
closed closer comprehensive compromise conference conflict continue control controlled
corridors could countries days deal decade decades december demarcating demarcation
denied described deserted despite determining do does door down durable during each
early elements enclave enclaves end ending enduring entire establishing ethnic euro ever
fall february first fled following for forces formal fought four from fruitless general
georgia go going government had hails has have he heavily held here his i if important
in including integrated internationally into is issue issued issues it its jens joint
karabakh key kilometer lands last leaders leave let lightning long main majority march
matters means mediated meeting mile militarized military minister monday mostly
mountainous muslim nato necessary negotiated negotiations neighbor neighbors news nikol
no normalization northern northwards not now numerous occupied occupy occupying of
offensive on opened opening operation opportunity other out over pair part pashinyan
paving peace people permanent phases photo population precondition prime quoted r raised
reach recapture recent recently recognized region regional relations repeatedly
residents return returning rivals road russian s said saw saying says secretary securing
security seized separatist separatists sides sign signaled signature since some south
speaking stability statement stayed stoltenberg strategic string talks tass tavush tell
territories territory than that the they this those three through to touted transport
treaty tuesday twice two urge urged video villages volatile want wanted wants war warned
was way we week weeks went were which who will willing with year years yerevan your
""".split()
)

# Terms of the project's glossary (South Caucasus conflict vocabulary) and their forms.
GLOSSARY_WORDS: tuple[str, ...] = tuple(
    """
karabakh nagorno artsakh republic republics enclave enclaves exclave exclaves occupied
occupy occupies occupying occupation occupations occupier occupiers breakaway
separatist separatists separatism de facto authorities authority ethnic cleansing
seized seize seizes seizing seizure recaptured recapture recaptures recapturing
liberated liberate liberates liberating liberation demarcation demarcate demarcated
delimitation delimit delimited border borders bordering transport corridor corridors
zangezur lachin berdzor stepanakert khankendi shusha shushi tavush gazakh armenia
armenian armenians azerbaijan azerbaijani azerbaijanis yerevan baku south caucasus
nato peace treaty treaties agreement agreements normalization autonomous autonomy
oblast oblasts region regions territory territories
""".split()
)

# About 400 common words of news prose: function words, numbers, days, months,
# frequent verbs, nouns and adjectives, and places of the region.
COMMON_WORDS: tuple[str, ...] = tuple(
    """
the a an and or but nor so yet if then than because while although though when where
what which who whom whose why how that this these those there here it its he him his
she her hers they them their we us our you your i me my one ones all any some no not
none each every both either neither other another such same more most less many much
few several own very too also only just even still already again ever never always
often sometimes now today yesterday tomorrow soon later early late ago before after
during since until about above across against along among around at behind below
beside between beyond by down for from in inside into near of off on onto out outside
over past per through throughout to toward towards under up upon via with within
without be is am are was were been being have has had having do does did done doing
will would shall should can could may might must
zero one two three four five six seven eight nine ten eleven twelve twenty thirty
forty fifty hundred thousand million billion first second third fourth fifth half
dozen
monday tuesday wednesday thursday friday saturday sunday january february march april
may june july august september october november december
say says said tell told ask asked make made take took taken give gave given get got go
went gone come came see saw seen know knew known think thought want wanted use used
find found call called try tried meet met hold held keep kept lead led leave left begin
began show showed hear heard run move live believe bring brought happen write wrote
provide stand lose lost pay paid include continue set learn change understand follow
stop create speak spoke read allow add spend grow open win won offer remember consider
appear wait serve die died send sent expect build stay fall cut reach kill killed
remain suggest raise pass require report reported decide announce announced agree
agreed accuse accused attack attacked launch launched deny refuse refused support
supported oppose visit visited sign signed vote elect elected fight fighting end ended
hope warn threaten threatened protect withdraw withdrew return returned
government president minister ministry official officials country state states nation
nations world city capital town village area province law court police army troops
soldiers forces war talks deal meeting summit leader leaders party election parliament
opposition power rights human refugees aid economy trade oil gas energy pipeline
sanctions market money price prices bank company group member members alliance union
european western eastern international foreign defense ceasefire crisis situation
problem question plan policy report reports statement news time day week month months
hour hours life lives home homes family families man men woman women child children
number place case point side road water food land sea north east west southern
percent dollars history future media agency spokesman envoy mission observers
humanitarian displaced civilians victims dead wounded fire shelling drone drones
weapons attack attacks dispute disputes conflict conflicts process progress efforts
new old good bad great big small large long short high low major main key political
public national local economic social free full strong possible able clear certain
former likely united
russia turkey iran ukraine france germany china europe moscow washington brussels
ankara tehran tbilisi kremlin american french german turkish iranian georgian
european eu un osce ilham aliyev putin erdogan macron
""".split()
)

# Words written capitalised wherever they stand (names of people, places,
# nations, days and months); used by the corpus generator for natural text.
PROPER_NOUNS: frozenset[str] = frozenset(
    """
armenia armenian armenians azerbaijan azerbaijani azerbaijanis baku yerevan karabakh
nagorno artsakh zangezur lachin berdzor stepanakert khankendi shusha shushi tavush
gazakh caucasus stoltenberg jens nikol pashinyan berlin georgia russia russian
christian muslim euro atlantic tass monday tuesday wednesday thursday friday saturday
sunday january february april june july august september october november december
turkey iran ukraine france germany china europe moscow washington brussels ankara
tehran tbilisi kremlin american french german turkish iranian georgian european ilham
aliyev putin erdogan macron
""".split()
)

# Words written in capitals; "i" and the "(R)" of a photo caption are single letters.
ACRONYMS: frozenset[str] = frozenset({"nato", "afp", "eu", "un", "osce", "i", "r"})

VOCABULARY: tuple[str, ...] = tuple(sorted(set(ARTICLE_WORDS) | set(GLOSSARY_WORDS) | set(COMMON_WORDS)))

_CONSONANTS = "bdfgklmnprstvz"
_VOWELS = "aeiou"
_MAX_ATTEMPTS = 4096


def _candidate(word: str, attempt: int) -> str:
    """The attempt-th pseudo-word for word: alternating consonant/vowel letters."""
    digest = hashlib.sha256(f"qtc:{word}:{attempt}".encode("utf-8")).digest()
    # About as long as the source, never a single letter, and a little longer
    # after many collisions so that short words always find a free form.
    length = max(2, len(word)) + attempt // 16
    letters = []
    for i in range(length):
        byte = digest[i % len(digest)] ^ (i // len(digest))
        alphabet = _CONSONANTS if i % 2 == 0 else _VOWELS
        letters.append(alphabet[byte % len(alphabet)])
    return "".join(letters)


@lru_cache(maxsize=1)
def lexicon() -> dict[str, str]:
    """The fixed English -> qtc mapping over VOCABULARY (a bijection)."""
    english = set(VOCABULARY)
    taken: set[str] = set()
    mapping: dict[str, str] = {}
    # Sorted order makes collision resolution independent of anything but the word list.
    for word in VOCABULARY:
        for attempt in range(_MAX_ATTEMPTS):
            cand = _candidate(word, attempt)
            if cand not in taken and cand not in english:
                break
        else:  # pragma: no cover - impossible with the alphabet sizes above
            raise RuntimeError(f"no free cipher word for {word!r}")
        taken.add(cand)
        mapping[word] = cand
    return mapping


@lru_cache(maxsize=1)
def _reserved() -> frozenset[str]:
    return frozenset(lexicon().values()) | frozenset(VOCABULARY)


@lru_cache(maxsize=65536)
def _cipher_lower(word: str) -> str:
    known = lexicon().get(word)
    if known is not None:
        return known
    # Words outside the vocabulary still get a stable pseudo-word that avoids
    # every vocabulary word and every vocabulary cipher word.
    reserved = _reserved()
    for attempt in range(_MAX_ATTEMPTS):
        cand = _candidate(word, attempt)
        if cand not in reserved:
            return cand
    raise RuntimeError(f"no free cipher word for {word!r}")  # pragma: no cover


def _apply_case(source: str, target: str) -> str:
    if len(source) > 1 and source.isupper():
        return target.upper()
    if source[:1].isupper():
        return target[:1].upper() + target[1:]
    return target


def cipher_word(word: str) -> str:
    """Cipher one alphabetic word, carrying its case over."""
    if not word:
        return word
    return _apply_case(word, _cipher_lower(word.lower()))


# A number, with any letters glued to it (1990s, 19th, 2nd), passes through
# whole; otherwise a run of letters is a word.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*[^\W\d_]*|[^\W\d_]+")
_APOSTROPHES = "'’"
_CLITICS = frozenset({"s", "t", "re", "ve", "ll", "d", "m"})


def _is_clitic(text: str, start: int, end: int) -> bool:
    """True for the s of "country's" / "let’s" (and n't, 're, ...) after a letter."""
    if text[start:end].lower() not in _CLITICS or start < 2:
        return False
    if text[start - 1] not in _APOSTROPHES or not text[start - 2].isalpha():
        return False
    return end == len(text) or not text[end].isalpha()


def cipher_text(text: str) -> str:
    """Cipher a whole sentence or text; everything but words passes through."""
    out: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        out.append(text[pos:start])
        token = match.group()
        if token[0].isdigit() or _is_clitic(text, start, end):
            out.append(token)
        else:
            out.append(cipher_word(token))
        pos = end
    out.append(text[pos:])
    return "".join(out)


if __name__ == "__main__":  # pragma: no cover - handy for a quick look
    import sys

    for line in sys.stdin:
        sys.stdout.write(cipher_text(line))
