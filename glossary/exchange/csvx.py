"""CSV glossaries for DeepL and Amazon Translate, one locale pair per file.

Shapes:

- `deepl`: DeepL glossary entries, one `source,target` row per line, no header.
  DeepL rejects duplicate source entries, empty entries and entries with
  leading or trailing whitespace. On import a row may also carry DeepL's
  optional third and fourth columns (source and target language codes).
- `amazon`: Amazon Translate custom terminology: a header row of language
  codes (`en,de`), then `source,target` rows. Amazon writes Brazilian
  Portuguese as `pt` and European Portuguese as `pt-PT` (likewise `fr-CA`,
  `es-MX`, `zh-TW`); `amazon_code` does that conversion.

Export rows: per concept with a preferred rendering in the target locale, the
preferred source term and every admitted source term, each mapped to the
preferred target rendering. Forms are not exported (the services inflect on
their own, and a form mapped to a base form would be wrong). When two
concepts share a source term, the first (preferred terms before admitted
ones) wins; two preferred source terms that collide are an error, because no
file can hold both.

Import: every row's source must be a source term of a concept, and a target
that differs from the concept's preferred rendering becomes a proposed
`preferred` change; problems (encoding, column count, unknown term,
conflicting rows) are collected, one per line, and nothing is proposed then.
"""

from __future__ import annotations

import csv
import io
from typing import Literal

from glossary.edit.changes import Change, ChangeList, ExchangeError, ExchangeInvalid
from glossary.errors import Problem, UnknownLocale
from glossary.exchange.limits import export_problem, neutralise_cell
from glossary.termbase.locales import language_of, normalize_locale
from glossary.termbase.model import Glossary, Status

Shape = Literal["deepl", "amazon"]
SHAPES: tuple[str, ...] = ("deepl", "amazon")

# Locales Amazon Translate writes with a region; every other locale is written
# as its bare language (Amazon's `pt` is Brazilian Portuguese).
_AMAZON_REGIONAL = {"pt_PT": "pt-PT", "fr_CA": "fr-CA", "es_MX": "es-MX", "zh_TW": "zh-TW", "zh_Hant": "zh-TW", "fa_AF": "fa-AF"}


def amazon_code(locale: str) -> str:
    """Amazon Translate's language code for a Babel locale: `pt_BR` -> `pt`, `pt_PT` -> `pt-PT`."""
    normal = normalize_locale(locale)
    for prefix, code in _AMAZON_REGIONAL.items():
        if normal == prefix or normal.startswith(prefix + "_"):
            return code
    return language_of(normal)


def _check_shape(shape: str) -> None:
    if shape not in SHAPES:
        raise ExchangeError(f"unknown CSV shape {shape!r}; use one of: {', '.join(SHAPES)}")


def _check_pair(glossary: Glossary, locale: str, source_locale: str | None) -> tuple[str, str]:
    source = normalize_locale(source_locale) if source_locale else glossary.source
    if source != glossary.source:
        raise ExchangeError(
            f"the glossary's source locale is {glossary.source}, not {source}; its terms are written in {glossary.source}"
        )
    target = normalize_locale(locale)
    if target == source:
        raise ExchangeError(f"{target} is the source locale; give a target locale")
    if target not in glossary.locales:
        raise ExchangeError(f"locale {target} is not one of the glossary's locales ({', '.join(glossary.locales)})")
    return source, target


def rows_for(glossary: Glossary, locale: str) -> list[tuple[str, str]]:
    """The (source, target) pairs exported for a target locale, in glossary order."""
    source_locale, target = _check_pair(glossary, locale, None)
    preferred_rows: list[tuple[str, str, str]] = []
    admitted_rows: list[tuple[str, str, str]] = []
    for concept in glossary.concepts.values():
        target_rendering = glossary.preferred(concept.id, target)
        if target_rendering is None:
            continue
        for rendering in concept.terms.get(source_locale, ()):
            if rendering.status is Status.PREFERRED:
                preferred_rows.append((rendering.text, target_rendering.text, concept.id))
            elif rendering.status is Status.ADMITTED:
                admitted_rows.append((rendering.text, target_rendering.text, concept.id))
    rows: list[tuple[str, str]] = []
    owner: dict[str, str] = {}
    clashes: list[str] = []
    for is_preferred, group in ((True, preferred_rows), (False, admitted_rows)):
        for source_text, target_text, concept_id in group:
            if source_text in owner:
                if is_preferred and owner[source_text] != concept_id:
                    clashes.append(f"{source_text!r} is the preferred source term of both {owner[source_text]!r} and {concept_id!r}")
                continue
            owner[source_text] = concept_id
            rows.append((source_text, target_text))
    if clashes:
        raise ExchangeError("; ".join(clashes) + "; a CSV glossary holds each source term once")
    return rows


def export_csv(glossary: Glossary, locale: str, *, shape: Shape = "deepl", source_locale: str | None = None) -> str:
    """A CSV glossary for one locale pair, in DeepL's or Amazon Translate's shape.

    Raises ExchangeError (unknown shape, locale not in the glossary, clashing
    source terms) or UnknownLocale.
    """
    _check_shape(shape)
    source, target = _check_pair(glossary, locale, source_locale)
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    if shape == "amazon":
        writer.writerow([amazon_code(source), amazon_code(target)])
    # The loader refuses formula-like terms; neutralising here as well keeps a
    # glossary built in memory (an import) just as safe to open.
    writer.writerows([neutralise_cell(a), neutralise_cell(b)] for a, b in rows_for(glossary, target))
    return stream.getvalue()


def _source_index(glossary: Glossary, target: str | None = None) -> dict[str, str]:
    """Source term -> concept id: exact text first, then case-folded.

    When several concepts share a source term, a concept with a preferred
    rendering in `target` wins: the export writes rows only for those, so a
    row read back belongs to one of them, not to a concept it never came from.
    """
    index: dict[str, str] = {}
    concepts = list(glossary.concepts.values())
    if target is not None:
        concepts.sort(key=lambda c: glossary.preferred(c.id, target) is None)  # stable: glossary order kept
    for concept in concepts:
        for rendering in concept.terms.get(glossary.source, ()):
            if rendering.status in (Status.PREFERRED, Status.ADMITTED):
                index.setdefault(rendering.text, concept.id)
    for text, concept_id in list(index.items()):
        index.setdefault(text.casefold(), concept_id)
    return index


def _codes_match(given: str, locale: str, shape: str) -> bool:
    """Does a language code in the file denote `locale`? (Amazon's `pt` is pt_BR.)"""
    try:
        normal = normalize_locale(given)
    except UnknownLocale:
        return False
    if normal == locale:
        return True
    expected = amazon_code(locale) if shape == "amazon" else language_of(locale)
    return given.strip().lower() == expected.lower() or (
        shape == "deepl" and language_of(normal) == language_of(locale)
    )


def import_csv(data: bytes, glossary: Glossary, locale: str, shape: Shape = "deepl", name: str = "<csv>") -> ChangeList:
    """The changes a CSV glossary proposes for one locale; nothing is written.

    Raises ExchangeInvalid with one problem per bad line (file:line), or
    ExchangeError for a bad shape or locale.
    """
    _check_shape(shape)
    source, target = _check_pair(glossary, locale, None)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ExchangeInvalid(
            [Problem(name, line, f"the file is not valid UTF-8 (byte 0x{data[error.start]:02X})", "save it as UTF-8")]
        ) from None
    problems: list[Problem] = []
    index = _source_index(glossary, target)
    wanted: dict[str, tuple[str, int]] = {}
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    expected_columns = "2 (source,target)" if shape == "amazon" else "2 (source,target) or 4 (source,target,source language,target language)"
    header_seen = False
    try:
        for row in reader:
            line = reader.line_num
            if not row or all(not cell.strip() for cell in row):
                continue
            if shape == "amazon" and not header_seen:
                # Amazon's first row names the languages, in column order.
                header_seen = True
                if len(row) != 2:
                    problems.append(Problem(name, line, f"the header has {len(row)} columns, expected 2 language codes", f"write '{amazon_code(source)},{amazon_code(target)}'"))
                elif not (_codes_match(row[0], source, shape) and _codes_match(row[1], target, shape)):
                    problems.append(Problem(name, line, f"the header {','.join(row)!r} is not the pair {amazon_code(source)},{amazon_code(target)}", "export the file for this locale, or pass the right --locale"))
                continue
            allowed = (2,) if shape == "amazon" else (2, 4)
            if len(row) not in allowed:
                problems.append(Problem(name, line, f"{len(row)} column{'s' if len(row) != 1 else ''}, expected {expected_columns}"))
                continue
            if len(row) == 4 and not (_codes_match(row[2], source, shape) and _codes_match(row[3], target, shape)):
                problems.append(Problem(name, line, f"the language codes {row[2]!r},{row[3]!r} are not the pair {source},{target}"))
                continue
            source_text, target_text = (" ".join(cell.split()) for cell in row[:2])
            if not source_text or not target_text:
                problems.append(Problem(name, line, "an empty source or target", "every row needs both terms"))
                continue
            unsafe = export_problem(target_text, term=True)
            if unsafe:
                # Refused here, with this file's line, rather than by the glossary after the edit.
                problems.append(Problem(name, line, f"the target {target_text!r} {unsafe}", "remove the character or rewrite the term"))
                continue
            concept_id = index.get(source_text) or index.get(source_text.casefold())
            if concept_id is None:
                problems.append(Problem(name, line, f"{source_text!r} is not a source term of any concept", "add the concept to the glossary first, or remove the row"))
                continue
            if concept_id in wanted and wanted[concept_id][0] != target_text:
                first_target, first_line = wanted[concept_id]
                problems.append(
                    Problem(name, line, f"{target_text!r} for concept {concept_id!r} conflicts with {first_target!r} on line {first_line}", "give one target per concept")
                )
                continue
            wanted.setdefault(concept_id, (target_text, line))
    except csv.Error as error:
        problems.append(Problem(name, reader.line_num or None, f"malformed CSV: {error}", "check the quotes"))
    if shape == "amazon" and not header_seen:
        problems.append(Problem(name, 1, "the file is empty", "the first row must be the language codes"))
    if problems:
        raise ExchangeInvalid(problems)
    changes = ChangeList()
    for concept_id, (target_text, _line) in wanted.items():
        current = glossary.preferred(concept_id, target)
        old = current.text if current is not None else None
        if old != target_text:
            changes.append(Change(concept_id, target, "preferred", old, target_text))
    return changes


__all__ = ["SHAPES", "Shape", "amazon_code", "export_csv", "import_csv", "rows_for"]
