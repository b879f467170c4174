"""The ``qtr`` test language ("test reorder"): a small grammar that makes enforcement necessary.

``qtr`` lies in the ISO 639-2 range qaa–qtz reserved for local use.  Unlike the
word cipher ``qtc`` (tools/testlang.py) it behaves like a real target language
does towards a glossary (see tests/model/README-qtr.md):

* word order differs from English: adjectives follow the noun group
  ("the mountainous enclave" -> enclave mountainous), and the possessor follows
  the possessed ("Armenia's territory" / "the territory of Armenia" ->
  territory Armenia-GEN);
* nouns, names and the last word of a noun phrase take a case ending chosen by
  their role: ``in``/``at`` -> locative ``-ta``, ``from`` -> ablative ``-kor``,
  ``of`` and possessors -> genitive ``-in``, ``to``/``into`` -> dative ``-sa``,
  object of a transitive verb -> accusative ``-um``; the preposition itself
  disappears; plural ``-le`` comes before the case ending;
* some single English words render as two words (enclave, separatists,
  demarcation, normalization), some word pairs as one word (breakaway region,
  peace treaty, ethnic cleansing, de facto authorities, transport corridor,
  South Caucasus, prime minister);
* the *training corpus* (not the reference) prefers other synonyms than the
  glossary, uses the forbidden "liberate" word in narration for "recapture",
  renders "Artsakh" literally in narration, and drops "Karabakh" in "the
  breakaway Karabakh region" and "Armenian" before titles in a share of
  sentences.

:func:`translate` is the deterministic reference translator of any English
sentence under the glossary's preferred renderings; :func:`translate_noisy`
is the corpus translator.  Both return the words and, per target word, the
source words it came from.  Pure standard library.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from functools import lru_cache

# --------------------------------------------------------------------------
# Lexicon
# --------------------------------------------------------------------------

NAMES = ["armenia", "azerbaijan", "karabakh", "nagorno-karabakh", "artsakh", "baku", "yerevan", "stepanakert", "khankendi", "shusha", "shushi", "lachin", "berdzor", "tavush", "gazakh", "qazax", "zangezur", "caucasus", "transcaucasia", "russia", "turkey", "iran", "georgia", "moscow", "ankara", "tehran", "berlin", "brussels", "washington", "europe", "pashinyan", "aliyev", "stoltenberg", "nikol", "jens", "ilham", "tass", "putin", "erdogan", "kremlin", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december", "euro-atlantic"]
ACRONYMS = ["nato", "afp", "nkr", "nkao", "eu", "un", "osce", "r"]
ADJECTIVES = ["armenian", "azerbaijani", "azeri", "russian", "turkish", "iranian", "georgian", "european", "christian", "muslim", "american", "french", "german", "breakaway", "separatist", "ethnic", "mountainous", "volatile", "northern", "southern", "eastern", "western", "regional", "strategic", "joint", "comprehensive", "durable", "enduring", "permanent", "formal", "fruitless", "recent", "key", "main", "important", "necessary", "numerous", "deserted", "militarized", "military", "new", "old", "former", "long-negotiated", "international", "local", "foreign", "political", "humanitarian", "displaced", "autonomous", "self-proclaimed", "unrecognised", "occupied", "entire", "heavy", "large", "small", "major", "lasting", "three-decade", "russian-brokered", "integrated", "closed", "other", "willing", "close", "closer", "de", "facto"]
# Nouns: singular plural (plural "-" when the singular is used only).
NOUNS = ["region:regions", "territory:territories", "border:borders", "frontier:frontiers", "enclave:enclaves", "exclave:exclaves", "corridor:corridors", "transport:-", "peace:-", "treaty:treaties", "agreement:agreements", "deal:deals", "normalization:-", "normalisation:-", "delimitation:-", "demarcation:-", "separatist:separatists", "force:forces", "authority:authorities", "cleansing:-", "conflict:conflicts", "war:wars", "talk:talks", "negotiation:negotiations", "conference:conferences", "news:-", "minister:ministers", "president:presidents", "secretary-general:-", "chief:chiefs", "leader:leaders", "official:officials", "government:governments", "population:populations", "resident:residents", "village:villages", "people:-", "road:roads", "land:lands", "control:-", "security:-", "stability:-", "operation:operations", "offensive:offensives", "aftermath:-", "opportunity:opportunities", "chance:chances", "statement:statements", "meeting:meetings", "video:videos", "issue:issues", "element:elements", "relation:relations", "neighbor:neighbors", "rival:rivals", "side:sides", "country:countries", "pair:-", "day:days", "week:weeks", "year:years", "decade:decades", "republic:republics", "oblast:oblasts", "town:towns", "city:cities", "capital:capitals", "troop:troops", "soldier:soldiers", "refugee:refugees", "civilian:civilians", "army:armies", "ceasefire:ceasefires", "army:armies", "majority:-", "door:doors", "signature:-", "precondition:-", "string:strings", "phase:phases", "mile:miles", "kilometer:kilometers", "photo:photos", "fall:-", "ministry:ministries", "observer:observers", "mission:missions", "envoy:envoys", "summit:summits", "plan:plans", "home:homes", "family:families", "return:-", "opening:-", "end:-", "part:parts", "way:ways", "area:areas", "leadership:-", "sovereignty:-", "withdrawal:-", "status:-", "crisis:-", "process:-"]
# Verbs: lemma past ing s (transitive verbs take an accusative object).
TRANSITIVE = """
seize:seized:seizing:seizes capture:captured:capturing:captures
recapture:recaptured:recapturing:recaptures retake:retook:retaking:retakes
regain:regained:regaining:regains liberate:liberated:liberating:liberates
occupy:occupied:occupying:occupies control:controlled:controlling:controls
sign:signed:signing:signs reach:reached:reaching:reaches urge:urged:urging:urges
reject:rejected:rejecting:rejects propose:proposed:proposing:proposes
demand:demanded:demanding:demands recognize:recognized:recognizing:recognizes
leave:left:leaving:leaves return:returned:returning:returns hold:held:holding:holds
visit:visited:visiting:visits attack:attacked:attacking:attacks
describe:described:describing:describes achieve:achieved:achieving:achieves
open:opened:opening:opens close:closed:closing:closes want:wanted:wanting:wants
call:called:calling:calls raise:raised:raising:raises deny:denied:denying:denies
issue:issued:issuing:issues secure:secured:securing:secures tell:told:telling:tells
establish:established:establishing:establishes protect:protected:protecting:protects
discuss:discussed:discussing:discusses support:supported:supporting:supports
see:saw:seeing:sees carry:carried:carrying:carries circulate:circulated:circulating:circulates
demarcate:demarcated:demarcating:demarcates determine:determined:determining:determines
mediate:mediated:mediating:mediates pave:paved:paving:paves quote:quoted:quoting:quotes
signal:signaled:signaling:signals bog:bogged:bogging:bogs compromise:compromised:compromising:compromises
"""
INTRANSITIVE = """
say:said:saying:says flee:fled:fleeing:flees arrive:arrived:arriving:arrives
fight:fought:fighting:fights go:went:going:goes warn:warned:warning:warns
add:added:adding:adds stay:stayed:staying:stays begin:began:beginning:begins
continue:continued:continuing:continues speak:spoke:speaking:speaks live:lived:living:lives
remain:remained:remaining:remains agree:agreed:agreeing:agrees meet:met:meeting:meets
become:became:becoming:becomes end:ended:ending:ends break:broke:breaking:breaks
hail:hailed:hailing:hails tout:touted:touting:touts
"""
# Words translated as one word each and kept in place; "the" is dropped.
OTHER = ["the", "a", "an", "and", "or", "but", "that", "which", "who", "this", "these", "those", "its", "their", "his", "her", "our", "your", "we", "they", "he", "it", "i", "not", "no", "also", "still", "now", "again", "since", "after", "before", "during", "between", "through", "with", "without", "for", "on", "by", "over", "near", "along", "across", "against", "under", "about", "than", "as", "if", "while", "when", "where", "both", "each", "all", "some", "many", "several", "every", "other", "another", "such", "same", "more", "most", "very", "only", "just", "even", "ever", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "will", "would", "can", "could", "may", "might", "must", "should", "here", "there", "then", "so", "yet", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "one", "first", "second", "last", "next", "today", "yesterday", "recently", "repeatedly", "internationally", "mostly", "heavily", "twice", "already", "never", "always", "until", "because", "although", "though", "despite", "including", "alongside", "following", "out", "up", "down", "off", "northwards", "forward", "back", "here", "let's", "us", "them", "anything", "early", "lightning", "let", "means", "matters", "going"]

CASE_PREPS = {"in": "loc", "at": "loc", "from": "abl", "of": "gen", "to": "dat", "into": "dat"}
SUFFIX = {"nom": "", "acc": "um", "gen": "in", "loc": "ta", "abl": "kor", "dat": "sa"}
CASES = tuple(SUFFIX)
PLURAL = "le"

# Multi-word English units rendered as one qtr word (greedy longest match).
PHRASES = {
    ("breakaway", "region"): "noun", ("peace", "treaty"): "noun", ("ethnic", "cleansing"): "noun",
    ("de", "facto", "authorities"): "noun", ("transport", "corridor"): "noun",
    ("transport", "corridors"): "noun", ("south", "caucasus"): "name", ("prime", "minister"): "noun",
    ("breakaway", "regions"): "noun", ("peace", "treaties"): "noun",
}
# Single English words rendered as two qtr words (the case ending goes on the last).
TWO_WORDS = {"enclave", "separatist", "demarcation", "normalization", "normalisation"}

# Corpus noise: concept synonyms the corpus prefers (share of the common one).
COMMON_SYNONYM = {"karabakh": 0.8, "border": 0.75, "seize": 0.7, "agreement": 0.7}
LIBERATE_SHARE = 0.35  # "recapture" rendered with the forbidden "liberate" word in narration
DROP_KARABAKH = 0.4  # "the breakaway Karabakh region" -> "the breakaway region"
DROP_ARMENIAN_TITLE = 0.5  # "Armenian Prime Minister X" -> "Prime Minister X"
TITLE_NOUNS = {"prime minister", "president", "minister", "officials", "official", "leader",
               "leaders", "chief", "secretary-general"}

_CONS = "bdfgklmnprstvz"
_VOW = "aeiou"


def _pseudo(key: str, attempt: int, length: int) -> str:
    digest = hashlib.sha256(f"qtr:{key}:{attempt}".encode()).digest()
    out = []
    for i in range(length):
        alphabet = _CONS if i % 2 == 0 else _VOW
        out.append(alphabet[digest[i] % len(alphabet)])
    # Close most words with a consonant: they look less like qtc.
    if digest[31] % 3:
        out.append("rnlsk"[digest[30] % 5])
    return "".join(out)


@dataclass(frozen=True)
class Entry:
    tag: str  # name, acronym, adj, noun, tverb, verb, other
    lemma: str
    feature: str = ""  # pl, past, ing, s


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Entry]:
    """English surface form -> entry."""
    lex: dict[str, Entry] = {}
    for w in NAMES:
        lex[w] = Entry("name", w)
    for w in ACRONYMS:
        lex[w] = Entry("acronym", w)
    for w in OTHER:
        lex.setdefault(w, Entry("other", w))
    for w in CASE_PREPS:
        lex[w] = Entry("prep", w)
    for w in ADJECTIVES:
        lex.setdefault(w, Entry("adj", w))
    for item in NOUNS:
        sg, pl = item.split(":")
        lex[sg] = Entry("noun", sg)
        if pl != "-":
            lex[pl] = Entry("noun", sg, "pl")
    for block, tag in ((TRANSITIVE, "tverb"), (INTRANSITIVE, "verb")):
        for item in block.split():
            lemma, past, ing, s = item.split(":")
            for form, feat in ((ing, "ing"), (s, "s"), (past, "past"), (lemma, "")):
                lex.setdefault(form, Entry(tag, lemma, feat)) if form in lex and lex[form].tag in (
                    "noun", "other") else lex.__setitem__(form, Entry(tag, lemma, feat))
    # Nouns that are also verbs: the verb reading wins only after a subject-like word
    # (handled in the parser); keep the noun reading for these.
    for w in ("control", "return", "end", "fall", "issue", "issues", "opening", "talks", "meeting", "close"):
        if w in ("talks", "issues"):
            lex[w] = Entry("noun", w[:-1], "pl")
        elif w in ("control", "return", "end", "fall", "opening"):
            lex[w] = Entry("noun", w)
    for (words, tag) in PHRASES.items():
        lex[" ".join(words)] = Entry(tag, " ".join(words))
    return lex


# Lemma keys with fixed pseudo-words, so the glossary reads sensibly.
SYNONYM_KEYS = {
    "karabakh": ("karabakh", "karabakh#common"),
    "border": ("border", "border#common"),
    "seize": ("seize", "seize#common"),
    "agreement": ("agreement", "agreement#common"),
}


@lru_cache(maxsize=1)
def _words() -> dict[str, str]:
    keys = sorted({e.lemma for e in lexicon().values()} | {k for v in SYNONYM_KEYS.values() for k in v})
    english = set(lexicon())
    taken: set[str] = set()
    out: dict[str, str] = {}
    for key in keys:
        base = key.split("#")[0]
        n = 2 if base in TWO_WORDS else 1
        parts = []
        for part in range(n):
            length = max(3, min(7, len(base.replace(" ", "")) * 2 // (3 * n) + 2))
            for attempt in range(4096):
                cand = _pseudo(f"{key}/{part}", attempt, length + attempt // 64)
                if cand not in taken and cand not in english and not _ends_like_suffix(cand):
                    break
            taken.add(cand)
            parts.append(cand)
        out[key] = " ".join(parts)
    return out


def _ends_like_suffix(word: str) -> bool:
    return any(word.endswith(s) for s in ("um", "in", "ta", "kor", "sa", "le", "ri", "mo"))


def word_for(key: str) -> str:
    """The qtr word(s) of a lemma (or of a synonym key such as ``karabakh#common``)."""
    words = _words()
    if key in words:
        return words[key]
    # Outside the lexicon: a stable pseudo-word of its own.
    return _pseudo(f"oov:{key}", 0, max(3, min(8, len(key))))


def inflect(words: str, plural: bool, case: str) -> str:
    """Plural and case endings go on the last word."""
    parts = words.split(" ")
    last = parts[-1]
    for suffix in ((PLURAL if plural else ""), SUFFIX[case]):
        if not suffix:
            continue
        if last[-1] in _VOW and suffix[0] in _VOW:
            last += "v"
        last += suffix
    parts[-1] = last
    return " ".join(parts)


VERB_SUFFIX = {"": "", "s": "", "past": "ri", "ing": "mo"}


# --------------------------------------------------------------------------
# Tokens and parsing
# --------------------------------------------------------------------------

_LEAD = "\"“‘'«([—–-"
_TRAIL = "\"”’'»)],.;:!?—–"


@dataclass
class Tok:
    index: int  # source whitespace-token index
    lead: str
    core: str
    trail: str
    possessive: bool = False
    entry: Entry | None = None
    quoted: bool = False
    extra: list[int] = field(default_factory=list)  # merged source tokens (phrases)

    @property
    def tag(self) -> str:
        return self.entry.tag if self.entry else ("num" if self.core[:1].isdigit() else "other")

    @property
    def sources(self) -> list[int]:
        return [self.index, *self.extra]


def _split(token: str, index: int) -> Tok:
    lead_end = 0
    while lead_end < len(token) - 1 and token[lead_end] in _LEAD:
        lead_end += 1
    trail_start = len(token)
    while trail_start > lead_end + 1 and token[trail_start - 1] in _TRAIL:
        trail_start -= 1
    core = token[lead_end:trail_start]
    # "countries'" : a trailing apostrophe after s is a possessive, not a quote.
    possessive = False
    if re.search(r"['’]s$", core):
        core, possessive = core[:-2], True
    elif trail_start < len(token) and token[trail_start] in "'’" and core.endswith("s") and \
            (trail_start + 1 == len(token) or token[trail_start + 1] not in "'’"):
        lead_quote = any(c in "'‘" for c in token[:lead_end])
        if not lead_quote:
            possessive = True
            trail = token[trail_start + 1:]
            return Tok(index, token[:lead_end], core, trail, True)
    return Tok(index, token[:lead_end], core, token[trail_start:], possessive)


def _lookup(core: str) -> Entry | None:
    lex = lexicon()
    low = core.lower()
    if low in lex:
        return lex[low]
    if "-" in low:
        last = low.rsplit("-", 1)[1]
        head = lex.get(last)
        if head and head.tag in ("adj", "noun", "name"):
            return Entry(head.tag, low, head.feature)
        return Entry("adj", low) if low[:1].isdigit() else None
    return None


def tokenize(sentence: str) -> list[Tok]:
    toks = [_split(t, i) for i, t in enumerate(sentence.split())]
    # Quotation state: a token is quoted when inside an open double or typographic quote.
    depth = 0
    for t in toks:
        opens = sum(t.lead.count(c) for c in "\"“«‘")
        if opens:
            depth += 1 if '"' not in t.lead or depth == 0 else -1
        t.quoted = depth > 0
        closes = sum(t.trail.count(c) for c in "”»’\"")
        if closes and depth > 0:
            depth -= 1
            t.quoted = True
    # Merge phrase units (no punctuation inside, possessive only on the last).
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        merged = False
        for n in (3, 2):
            seg = toks[i : i + n]
            if len(seg) < n:
                continue
            key = tuple(s.core.lower() for s in seg)
            if key in PHRASES and all(not s.trail and not s.possessive for s in seg[:-1]) and \
                    all(not s.lead for s in seg[1:]):
                entry = lexicon()[" ".join(key)]
                if key[-1].endswith("s") and entry.tag == "noun" and key[-1] not in ("authorities",):
                    entry = Entry("noun", " ".join(key[:-1]) + " " + key[-1][:-1], "pl")
                elif key == ("de", "facto", "authorities"):
                    entry = Entry("noun", "de facto authority", "pl")
                first = seg[0]
                tok = Tok(first.index, first.lead, " ".join(s.core for s in seg), seg[-1].trail,
                          seg[-1].possessive, entry, first.quoted, [s.index for s in seg[1:]])
                out.append(tok)
                i += n
                merged = True
                break
        if not merged:
            t = toks[i]
            t.entry = _lookup(t.core)
            out.append(t)
            i += 1
    return out


NP_TAGS = {"name", "acronym", "adj", "noun", "num", "det"}
DETS = {"a", "an", "this", "these", "those", "its", "their", "his", "her", "our", "your", "both",
        "each", "all", "some", "many", "several", "every", "another", "two", "three", "four",
        "five", "six", "seven", "eight", "nine", "ten", "one", "first", "last", "such", "same",
        "the", "numerous"}


def _np_tag(t: Tok) -> str:
    if t.core.lower() in DETS and t.entry is not None and t.entry.tag in ("other", "adj"):
        return "det"
    return t.tag


@dataclass
class Out:
    text: str
    sources: list[int]


@dataclass
class Options:
    """Corpus noise; all off gives the reference translation."""

    rng: random.Random | None = None
    literal: bool = False  # render quotation-only words as themselves (glossary entries)

    def roll(self, share: float) -> bool:
        return self.rng is not None and self.rng.random() < share


def _render_word(t: Tok, opts: Options, case: str, np_final: bool, drop_karabakh: bool) -> list[Out]:
    """Render one token of a noun phrase (case only when np_final)."""
    e = t.entry
    assert e is not None or t.tag == "num"
    if t.tag == "num":
        return [Out(t.core, t.sources)]
    key = e.lemma
    if key == "artsakh" and not t.quoted and not opts.literal:
        # Our voice writes Karabakh; the corpus (like a real model) writes Artsakh.
        key = "artsakh" if opts.rng is not None else "karabakh"
    if key == "liberate" and not t.quoted and opts.rng is None and not opts.literal:
        key = "recapture"
    if key in COMMON_SYNONYM and opts.roll(COMMON_SYNONYM[key]):
        key = SYNONYM_KEYS[key][1]
    if key == "karabakh" and drop_karabakh:
        return []
    words = word_for(key)
    if e.tag in ("noun", "name", "acronym"):
        text = inflect(words, e.feature == "pl", case if np_final else "nom")
    else:
        text = inflect(words, False, case if np_final else "nom")
    if e.tag == "acronym":
        text = text.upper()
    elif e.tag == "name" or (e.tag == "noun" and key == "south caucasus"):
        text = " ".join(w[:1].upper() + w[1:] for w in text.split(" "))
    return [Out(w, t.sources) for w in text.split(" ")]


def _noun_phrase(np: list[Tok], case: str, opts: Options) -> list[Out]:
    dets = [t for t in np if _np_tag(t) == "det"]
    nums = [t for t in np if _np_tag(t) == "num"]
    nouns = [t for t in np if _np_tag(t) in ("noun", "name", "acronym")]
    adjs = [t for t in np if _np_tag(t) == "adj"]
    lemmas = [t.entry.lemma for t in nouns if t.entry]
    drop_karabakh = ("breakaway" in [a.core.lower() for a in adjs] and "karabakh" in lemmas
                     and len(nouns) > 1 and opts.roll(DROP_KARABAKH))
    if any(" ".join(lemmas[i:]) in TITLE_NOUNS or lemmas[i] in TITLE_NOUNS for i in range(len(lemmas))):
        adjs = [a for a in adjs if not (a.core.lower() == "armenian" and opts.roll(DROP_ARMENIAN_TITLE))]
    out: list[Out] = []
    for t in dets:
        if t.core.lower() == "the":
            continue
        out.extend(Out(w, t.sources) for w in word_for(t.core.lower()).split(" "))
    for t in nums:
        out.append(Out(t.core, t.sources))
    ordered = nouns + adjs
    for k, t in enumerate(ordered):
        out.extend(_render_word(t, opts, case, k == len(ordered) - 1, drop_karabakh))
    return out


def _translate(sentence: str, opts: Options) -> tuple[list[str], list[list[int]]]:
    toks = tokenize(sentence)
    words: list[Out] = []
    i = 0
    pending_case: str | None = None
    pending_prep: Tok | None = None

    def flush_prep() -> None:
        nonlocal pending_prep, pending_case
        if pending_prep is not None:
            p = pending_prep
            words.append(Out(p.lead + word_for(p.core.lower()) + p.trail, [p.index]))
        pending_prep, pending_case = None, None

    prev_tag = ""
    while i < len(toks):
        t = toks[i]
        low = t.core.lower()
        # A noun phrase: a run of NP tokens holding a noun or name, broken by punctuation.
        j = i
        while j < len(toks) and _np_tag(toks[j]) in NP_TAGS and toks[j].entry is not None or (
                j < len(toks) and toks[j].tag == "num"):
            if j > i and toks[j].lead:
                break
            j += 1
            if toks[j - 1].trail or toks[j - 1].possessive:
                break
        # The phrase ends at its last noun or name.
        last_head = max((k for k in range(i, j) if _np_tag(toks[k]) in ("noun", "name", "acronym")), default=-1)
        if last_head >= 0 and not (toks[last_head].trail or toks[last_head].possessive) and last_head + 1 < j or last_head >= 0 and last_head + 1 < j:
            j = last_head + 1
        if last_head >= 0:
            np = toks[i:j]
            case = pending_case or ("acc" if prev_tag == "tverb" else "nom")
            lead, trail = np[0].lead, np[-1].trail
            if pending_prep is not None:
                lead = pending_prep.lead + lead
            pending_prep, pending_case = None, None
            if np[-1].possessive and j < len(toks):
                # Possessor after the possessed: render the next phrase first.
                k = j
                while k < len(toks) and _np_tag(toks[k]) in NP_TAGS and (toks[k].entry or toks[k].tag == "num"):
                    if k > j and toks[k].lead:
                        break
                    k += 1
                    if toks[k - 1].trail or toks[k - 1].possessive:
                        break
                heads = [m for m in range(j, k) if _np_tag(toks[m]) in ("noun", "name", "acronym")]
                if heads and not toks[j].lead:
                    k = heads[-1] + 1
                    owned = toks[j:k]
                    part = _noun_phrase(owned, case, opts) + _noun_phrase(np, "gen", opts)
                    trail = owned[-1].trail
                    _attach(part, lead, trail)
                    words.extend(part)
                    prev_tag = "noun"
                    i = k
                    continue
            part = _noun_phrase(np, case, opts)
            _attach(part, lead, trail)
            words.extend(part)
            prev_tag = "noun"
            i = j
            continue
        flush_prep()
        if low in CASE_PREPS and t.entry is not None and not t.trail and i + 1 < len(toks):
            pending_prep, pending_case = t, CASE_PREPS[low]
            prev_tag = "prep"
            i += 1
            continue
        if low == "the" and not t.lead and not t.trail:
            prev_tag = prev_tag if prev_tag == "tverb" else "det"
            i += 1
            continue
        e = t.entry
        if e is not None and e.tag in ("tverb", "verb"):
            key = e.lemma
            if key == "liberate" and not t.quoted and opts.rng is None and not opts.literal:
                key = "recapture"
            if key == "recapture" and not t.quoted and opts.roll(LIBERATE_SHARE):
                key = "liberate"
            if key == "seize" and opts.roll(COMMON_SYNONYM["seize"]):
                key = SYNONYM_KEYS["seize"][1]
            text = word_for(key) + VERB_SUFFIX[e.feature]
            prev_tag = e.tag
        elif t.tag == "num":
            text = t.core
            prev_tag = "num"
        elif not t.core or not any(c.isalpha() for c in t.core):
            text = t.core
            prev_tag = "other"
        else:
            text = " ".join(word_for(p.lower()) if p else p for p in t.core.split("-")).replace(" ", "-") \
                if "-" in t.core and e is None else word_for(e.lemma if e else low)
            if e is None and t.core[:1].isupper() and i > 0:
                text = text[:1].upper() + text[1:]
            prev_tag = e.tag if e else "other"
        pieces = text.split(" ")
        part = [Out(p, [t.index]) for p in pieces]
        _attach(part, t.lead, t.trail + ("’s" if t.possessive and e is None else ""))
        words.extend(part)
        i += 1
    flush_prep()
    if sentence[:1].isupper() or (sentence[:2] and sentence[:1] in _LEAD and sentence[1:2].isupper()):
        for w in words:
            m = re.search(r"[^\W\d_]", w.text)
            if m:
                w.text = w.text[: m.start()] + w.text[m.start()].upper() + w.text[m.start() + 1 :]
                break
            if any(c.isdigit() for c in w.text):
                break
    return [w.text for w in words], [w.sources for w in words]


def _attach(part: list[Out], lead: str, trail: str) -> None:
    if not part:
        return
    part[0].text = lead + part[0].text
    part[-1].text = part[-1].text + trail


def translate(sentence: str) -> str:
    """The reference translation: glossary-preferred renderings, nothing dropped."""
    return " ".join(_translate(sentence, Options())[0])


def translate_aligned(sentence: str, rng: random.Random | None = None) -> tuple[str, list[list[int]]]:
    """Translation plus, per target word, the source word indices it renders."""
    words, align = _translate(sentence, Options(rng))
    return " ".join(words), align


def translate_noisy(sentence: str, rng: random.Random) -> str:
    """A corpus translation: common synonyms, forbidden words, dropped terms."""
    return translate_aligned(sentence, rng)[0]


def render(phrase: str, case: str = "nom", plural: bool | None = None) -> str:
    """A glossary phrase in one case (reference renderings), e.g. ``render("Karabakh", "loc")``."""
    opts = Options(literal=True)
    # Names and acronyms carry their own capitals; no sentence-initial capital here.
    phrase = phrase[:1].lower() + phrase[1:]
    words, _ = _translate(phrase, opts)
    if not words:
        return ""
    toks = tokenize(phrase)
    nps = [t for t in toks if t.entry is not None]
    if case == "nom" and plural is None:
        return " ".join(words)
    # Re-render the phrase as one noun phrase in the given case.
    if plural is not None:
        for t in nps:
            if t.entry and t.entry.tag == "noun":
                t.entry = Entry("noun", t.entry.lemma, "pl" if plural else "")
    verbs = [t for t in nps if t.entry and t.entry.tag in ("tverb", "verb")]
    if verbs:
        return " ".join(words)
    out = _noun_phrase(toks, case, opts)
    return " ".join(o.text for o in out)


if __name__ == "__main__":  # pragma: no cover - a quick look
    import sys

    for line in sys.stdin:
        print(translate(line.strip()))
