"""A catalog as the judge sees it: one document, its entries at their source lines.

Every command that judges a catalog (`catalog status`, `catalog check`,
`report`, `glossary impact`, and translate when it reuses entries) reads it
through `catalog_document`, so they all judge the same text: the translation
each source line gets when the catalog is rendered (an untranslated entry
falls back to its source text, as `catalog render` does), in line order.

What a run remembers about an entry, the ladder step that settled each
occurrence, is one comment line without spaces or hyphens
(``#. termguard:steps=dfs``), which PO tools never re-wrap; it counts only
while the machine mark says the text is the machine's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polib

from glossary.judge import Judge, Verdict
from translate.catalogs.entries import entry_is_reviewed, machine_mark, text_hash
from translate.catalogs.reading import load_catalog

STEPS_PREFIX = "termguard:steps="
# One letter per ladder step (translate.ladder.enforce); "-" is not used: wrapping
# tools break comments at hyphens.
_CODES = {"decode": "d", "ban": "b", "choose": "c", "force": "f", "substitute": "s",
          "give-up": "g", "none": "n"}
_STEPS = {code: step for step, code in _CODES.items()}
STEP_EDITOR = "editor"  # a person's text: no ladder step settled it
STEP_CATALOG = "catalog"  # machine text from a run that did not record its steps


def steps_comment(steps: Sequence[str]) -> str:
    """The comment line recording the step of each occurrence, in source order."""
    return STEPS_PREFIX + "".join(_CODES.get(step, "n") for step in steps)


def entry_steps(entry: polib.POEntry) -> list[str] | None:
    """The recorded steps of an entry whose text is still the machine's, else None.

    An editor may have accepted the machine's text (reviewed, not fuzzy): the
    steps still say how it came about.
    """
    mark = machine_mark(entry) if entry.msgstr else None
    if mark is None or mark.group("hash") != text_hash(entry.msgstr):
        return None
    for line in (entry.comment or "").split("\n"):
        line = line.strip()
        if line.startswith(STEPS_PREFIX):
            return [_STEPS.get(code, "none") for code in line[len(STEPS_PREFIX):]]
    return []  # machine text from a run that recorded no steps


_OUTCOME_OF_STEP = {"force": "forced", "substitute": "substituted"}


def step_and_outcome(verdict: Verdict, steps: Sequence[str] | None) -> tuple[str, str]:
    """The ladder step and outcome shown for a verdict.

    ``steps``: the steps recorded for the paragraph's occurrences (None for a
    person's text). The outcome is the judge's; a settled occurrence shows
    `forced` or `substituted` when that step settled it.
    """
    outcome = verdict.outcome
    if outcome == "settled":
        if steps is None:
            return STEP_EDITOR, outcome
        index = verdict.occurrence
        step = steps[index] if index is not None and index < len(steps) else STEP_CATALOG
        return step, _OUTCOME_OF_STEP.get(step, outcome)
    if outcome in ("review", "quoted"):
        return "none", outcome
    return ("give-up" if steps is not None else STEP_EDITOR), outcome


def entry_state(entry: polib.POEntry) -> str:
    """reviewed | fuzzy | untranslated."""
    if not entry.msgstr:
        return "untranslated"
    return "reviewed" if entry_is_reviewed(entry) else "fuzzy"


def _ours(entry: polib.POEntry) -> bool:
    return not entry.obsolete and entry.msgctxt is None and not entry.msgid_plural and bool(entry.msgid)


@dataclass(frozen=True)
class Line:
    """One source line of the catalog's document and the entry that translates it."""

    number: int
    source: str
    target: str  # what the rendered document holds on this line
    entry: polib.POEntry


def catalog_document(po: polib.POFile) -> list[Line]:
    """The catalog's document in line order (an entry on several lines appears on each)."""
    lines: list[Line] = []
    unplaced: list[polib.POEntry] = []
    for entry in po:
        if not _ours(entry):
            continue
        numbers = sorted({int(n) for _f, n in entry.occurrences if str(n).isdigit()})
        if not numbers:
            unplaced.append(entry)
        for number in numbers:
            lines.append(Line(number, entry.msgid, entry.msgstr or entry.msgid, entry))
    lines.sort(key=lambda line: line.number)
    last = lines[-1].number if lines else 0
    # Entries without a line reference (written by another tool) come last, in file order.
    for offset, entry in enumerate(unplaced, start=1):
        lines.append(Line(last + offset, entry.msgid, entry.msgstr or entry.msgid, entry))
    return lines


def judge_lines(judge: Judge, lines: Sequence[Line]) -> list[tuple[Line, Verdict]]:
    """Every verdict of the document, with the line (and entry) it belongs to."""
    from translate.catalogs.waivers import entry_waivers

    by_number = {line.number: line for line in lines}
    waivers = {line.number: entry_waivers(line.entry) for line in lines}
    verdicts = judge.document([(line.number, line.source, line.target) for line in lines],
                              {n: w for n, w in waivers.items() if w})
    return [(by_number[v.paragraph], v) for v in verdicts]


def judge_catalog(path: str, judge: Judge) -> list[tuple[Line, Verdict]]:
    """Load a catalog and judge it as one document."""
    return judge_lines(judge, catalog_document(load_catalog(path)))
