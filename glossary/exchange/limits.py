"""What every export of the glossary can carry, checked once when a glossary loads.

The loader refuses a glossary holding text that some export could not write
or that would be unsafe to open, so `lint`, `propose` and `import` all say so
before anything is written, and every export of a valid glossary succeeds.
"""

from __future__ import annotations

import re

__all__ = ["FORMULA_START", "UNWRITABLE", "export_problem", "neutralise_cell"]

# Characters XML 1.0 cannot carry at all, not even escaped (TBX), plus the
# noncharacters and lone surrogates that UTF-8 output cannot encode.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A spreadsheet runs a cell starting with one of these as a formula (OWASP,
# "CSV Injection"); tab and CR are listed there too, but the loader already
# folds white space away.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\ufe62", "\uff0d", "\uff20")


def export_problem(text: str, *, term: bool) -> str | None:
    """Why an export could not write `text` safely, or None.

    `term` is true for rendering texts and forms, which go into CSV cells.
    """
    bad = UNWRITABLE.search(text)
    if bad:
        return f"holds the character U+{ord(bad.group()):04X}, which TBX (XML) cannot carry"
    if term and text.startswith(FORMULA_START):
        return f"starts with {text[0]!r}, which a spreadsheet opening the CSV export would run as a formula"
    return None


def neutralise_cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text (OWASP: prefix a formula with ')."""
    return "'" + value if value.startswith(FORMULA_START) else value
