"""Choosing the inflected form of a rendering that the context needs.

A glossary rendering lists its inflected forms (`forms`). When the model wrote
a wrong rendering in some form (a deprecated synonym with a case ending, say),
the context needs the same form of the right rendering: the same position in
the forms list when both list the same forms, else the same ending after the
rendering's base text. Without such evidence every form is a candidate and the
model's own score picks among them.
"""

from __future__ import annotations

from collections.abc import Sequence

from glossary.termbase.model import Rendering


def _fold(text: str) -> str:
    return text.casefold()


def ending(surface: str, rendering: Rendering) -> str | None:
    """What ``surface`` adds to the rendering's base text (``Malasudrta`` -> ``ta``), if it does."""
    base = _fold(rendering.text)
    folded = _fold(surface)
    if folded.startswith(base):
        return surface[len(rendering.text):]
    # Multi-word renderings inflect their last word: compare word by word.
    words, base_words = surface.split(" "), rendering.text.split(" ")
    if len(words) == len(base_words) and all(_fold(a) == _fold(b) for a, b in zip(words[:-1], base_words[:-1])) \
            and _fold(words[-1]).startswith(_fold(base_words[-1])):
        return words[-1][len(base_words[-1]):]
    return None


def same_form(found: str, wrong: Rendering, right: Rendering) -> str | None:
    """The form of ``right`` that corresponds to the form ``found`` of ``wrong``."""
    wrong_surfaces = [_fold(s) for s in wrong.surfaces]
    folded = _fold(found)
    if folded in wrong_surfaces and len(wrong.surfaces) == len(right.surfaces):
        return right.surfaces[wrong_surfaces.index(folded)]
    suffix = ending(found, wrong)
    if suffix is None:
        return None
    for surface in right.surfaces:
        if ending(surface, right) == suffix:
            return surface
    return None


def ordered_forms(right: Rendering, evidence: Sequence[str]) -> list[str]:
    """The rendering's surfaces, those matching the evidence first, the base form next."""
    first = [s for s in evidence if s in right.surfaces]
    rest = [s for s in right.surfaces if s not in first]
    return list(dict.fromkeys(first + rest))
