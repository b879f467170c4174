"""Pairing changed paragraphs with the removed entries they most resemble, as msgmerge does, in linear time."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

import polib

__all__ = ["FUZZY_MATCH_RATIO", "fuzzy_match"]

FUZZY_MATCH_RATIO = 0.6  # msgmerge's fuzzy threshold
# Old entries scored per changed paragraph: the fuzzy matching stays linear
# in the document however many paragraphs changed.
_FUZZY_SHORTLIST = 24


def _words(text: str) -> set[str]:
    return {word for word in re.findall(r"\w+", text.casefold()) if len(word) > 1}


def fuzzy_match(
    paragraphs: list[str], candidates: list[polib.POEntry], lines: Mapping[str, list[int]]
) -> dict[str, polib.POEntry]:
    """Pair changed paragraphs with the old entries they most resemble (msgmerge-like).

    Linear in the document: an index of the old entries' words gives each
    changed paragraph a bounded shortlist (the entries sharing the most
    of its words, and the one that started on its line), and only those
    are scored (rapidfuzz's normalised Indel similarity, msgmerge's 0.6
    threshold). The best pairs win, each old entry used once.
    """
    if not paragraphs or not candidates:
        return {}
    from rapidfuzz import fuzz  # only a run with changed paragraphs needs it
    first_line: dict[int, int] = {}
    postings: dict[str, list[int]] = {}
    for j, entry in enumerate(candidates):
        for _file, line in entry.occurrences[:1]:
            if str(line).isdigit():
                first_line.setdefault(int(line), j)
        for word in _words(entry.msgid):
            postings.setdefault(word, []).append(j)
    # A word most entries share ("the") tells nothing and costs a pass over them.
    common = max(_FUZZY_SHORTLIST, len(candidates) // 10)
    pairs: list[tuple[float, int, int]] = []
    for i, paragraph in enumerate(paragraphs):
        shared: Counter[int] = Counter()
        for word in _words(paragraph):
            found = postings.get(word)
            if found is not None and len(found) <= common:
                shared.update(found)
        shortlist = {j for j, _count in shared.most_common(_FUZZY_SHORTLIST)}
        same_line = first_line.get(lines[paragraph][0])
        if same_line is not None:
            shortlist.add(same_line)
        if len(candidates) <= _FUZZY_SHORTLIST:
            shortlist = set(range(len(candidates)))
        for j in shortlist:
            score = fuzz.ratio(paragraph, candidates[j].msgid, score_cutoff=FUZZY_MATCH_RATIO * 100)
            if score:
                pairs.append((-score / 100, i, j))
    pairs.sort()
    result: dict[str, polib.POEntry] = {}
    taken: set[int] = set()
    for _ratio, i, j in pairs:
        if paragraphs[i] in result or j in taken:
            continue
        result[paragraphs[i]] = candidates[j]
        taken.add(j)
    return result
