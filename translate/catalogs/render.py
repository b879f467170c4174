"""Rebuilding the translated document from a catalog, in the source layout its header records."""

from __future__ import annotations

from pathlib import Path

import polib

from translate.catalogs.entries import LINE_BREAK, is_fuzzy, is_ours
from translate.catalogs.errors import CatalogLayoutError
from translate.catalogs.header import SOURCE_HEADER, reference_name, source_layout
from translate.catalogs.reading import load_catalog

__all__ = ["MAX_TRAILING_BLANK_LINES", "render_catalog", "render_document"]

# Blank lines after the last paragraph a rebuilt document may have; a header
# claiming more was tampered with (it would make `render` allocate them all).
MAX_TRAILING_BLANK_LINES = 10_000


def render_document(path: Path | str, fuzzy: bool = True) -> tuple[str, int]:
    """Rebuild the translated document in the source layout.

    Returns (text, fallbacks): each paragraph line without a usable translation
    (untranslated, or fuzzy when ``fuzzy`` is False) keeps the source text and
    counts as one fallback.
    """
    path = Path(path)
    return render_catalog(path, load_catalog(path), fuzzy)


def render_catalog(path: Path, po: polib.POFile, fuzzy: bool) -> tuple[str, int]:
    """`render_document` of a catalog already read from `path` (named in errors)."""
    layout = source_layout(path, po)
    ref = reference_name(layout.name)
    # One pass over the entries: each referenced line and its text, checked below before
    # the document's lines are allocated (a tampered header may claim very many).
    numbers: list[int] = []
    texts: list[str] = []
    outside: tuple[str, str] | None = None  # the first reference to no line of the source
    fallbacks = 0
    for entry in po:
        if entry.obsolete or not is_ours(entry):
            continue
        usable = (bool(entry.msgstr) and (fuzzy or not is_fuzzy(entry))
                  and not LINE_BREAK.search(entry.msgstr))
        text = entry.msgstr if usable else entry.msgid
        for file, line in entry.occurrences:
            if file != ref or not str(line).isdigit():
                continue
            number = int(line)
            if outside is None and not 1 <= number <= layout.lines:
                outside = (file, line)
            numbers.append(number)
            texts.append(text)
            fallbacks += 0 if usable else 1
    highest = max(numbers, default=0)
    if highest > layout.lines:
        raise CatalogLayoutError(
            f"{path}: reference {ref}:{highest} is outside the {layout.lines}-line source"
        )
    if layout.lines > highest + MAX_TRAILING_BLANK_LINES:
        raise CatalogLayoutError(
            f"{path}: the {SOURCE_HEADER} header says lines={layout.lines}, but the last paragraph "
            f"is on line {highest}; the header was changed by hand: run the translation again"
        )
    if outside is not None:
        raise CatalogLayoutError(
            f"{path}: reference {outside[0]}:{outside[1]} is outside the {layout.lines}-line source"
        )
    lines = [""] * layout.lines
    for number, text in zip(numbers, texts):
        lines[number - 1] = text  # a line referenced twice takes the later entry's text
    text = "\n".join(lines)
    if layout.trailing_newline and layout.lines:
        text += "\n"
    return text, fallbacks
