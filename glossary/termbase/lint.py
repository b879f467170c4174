"""What `glossary lint` reports beyond what loading refuses: checks across concepts, warnings."""

from __future__ import annotations

from pathlib import Path

from glossary.errors import GlossaryInvalid, Problem
from glossary.termbase.load import load_glossary
from glossary.termbase.model import Concept, Glossary, Rendering, Status

__all__ = ["across_concepts", "lint", "lint_warnings", "two_name_concepts"]


def lint(path: str | Path | None = None) -> list[Problem]:
    """Every problem of a glossary file; an empty list means it is valid.

    Beyond what loading refuses, the checks across concepts (`across_concepts`).
    """
    try:
        glossary = load_glossary(path)
    except GlossaryInvalid as error:
        return error.problems
    return across_concepts(glossary)


def across_concepts(glossary: Glossary) -> list[Problem]:
    """Contradictions no single concept shows, which `lint` reports on a glossary that loads.

    One rendering preferred for two concepts in one locale (the checks could
    not tell which concept a translation meant), and `use_instead` chains that
    go round in a circle.
    """
    problems: list[Problem] = []
    name = glossary.path or "<glossary>"
    owner: dict[tuple[str, str], tuple[str, Rendering]] = {}
    for concept in glossary.concepts.values():
        for locale, renderings in concept.terms.items():
            for rendering in renderings:
                if rendering.status is not Status.PREFERRED:
                    continue
                key = (locale, rendering.text.casefold())
                if key in owner and owner[key][0] != concept.id:
                    first, first_rendering = owner[key]
                    problems.append(Problem(
                        name, rendering.line or concept.line,
                        f"{rendering.text!r} is the preferred {locale} rendering of both {first!r} "
                        f"(line {first_rendering.line}) and {concept.id!r}",
                        "a preferred rendering names one concept: make it admitted in one of them, "
                        "or merge the two concepts",
                    ))
                else:
                    owner.setdefault(key, (concept.id, rendering))
    for concept in glossary.concepts.values():
        seen = [concept.id]
        current = concept.use_instead
        while current is not None and current in glossary.concepts and current not in seen:
            seen.append(current)
            current = glossary.concepts[current].use_instead
        if current == concept.id and len(seen) > 1:
            problems.append(Problem(
                name, concept.line, f"'use_instead' goes round in a circle: {' -> '.join([*seen, concept.id])}",
                "the last concept of a use_instead chain must have none",
            ))
    return sorted(problems, key=lambda p: p.line or 0)


def two_name_concepts(glossary: Glossary) -> list[Concept]:
    """Places with two names: two acceptable source names, and a `first_mention` or a `for`."""
    found = []
    for concept in glossary.concepts.values():
        names = [r for r in concept.terms.get(glossary.source, ()) if r.status.acceptable]
        linked = any(r.source_names for rs in concept.terms.values() for r in rs)
        if len(names) > 1 and (concept.first_mention or linked):
            found.append(concept)
    return found


def lint_warnings(glossary: Glossary) -> list[Problem]:
    """What `lint` reports without failing: acceptable renderings of a two-name place with no `for`.

    Only in locales with two acceptable names or more: with one there is nothing to pair.

    The checks then pair such a rendering with a source name by spelling,
    which only works where the names look alike in both scripts.
    """
    name = glossary.path or "<glossary>"
    warnings: list[Problem] = []
    for concept in two_name_concepts(glossary):
        names = ", ".join(r.text for r in concept.terms[glossary.source] if r.status.acceptable)
        for locale, renderings in concept.terms.items():
            # With one name in a locale there is nothing to pair.
            if locale == glossary.source or sum(r.status.acceptable for r in renderings) < 2:
                continue
            for rendering in renderings:
                if rendering.status.acceptable and not rendering.source_names:
                    warnings.append(Problem(
                        name, rendering.line or concept.line,
                        f"{rendering.text!r} of concept {concept.id!r}, locale {locale}, has no 'for': "
                        "the checks pair it with a source name by spelling",
                        f"add 'for:' with the {glossary.source} name it renders: {names}",
                    ))
    return sorted(warnings, key=lambda p: p.line or 0)
