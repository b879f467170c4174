"""The termbase model, after TBX-Basic (ISO 30042).

A concept holds, per locale, renderings (TBX terms), each with an
administrative status. Everything here is immutable: a loaded glossary is
shared by matchers and checks and must not change under them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from glossary.errors import UnknownConcept
from glossary.termbase.locales import normalize_locale


class Status(str, enum.Enum):
    """Administrative status of a rendering (TBX)."""

    PREFERRED = "preferred"
    ADMITTED = "admitted"
    DEPRECATED = "deprecated"
    FORBIDDEN = "forbidden"

    @property
    def acceptable(self) -> bool:
        """Preferred and admitted renderings satisfy an `enforce` concept."""
        return self in (Status.PREFERRED, Status.ADMITTED)


class Policy(str, enum.Enum):
    """What the pipeline and the checks do with a concept."""

    ENFORCE = "enforce"
    REVIEW = "review"
    KEEP = "keep"


class Quotation(str, enum.Enum):
    """How a concept is treated inside a quotation."""

    EXEMPT = "exempt"  # the speaker's word stands
    SAME = "same"  # quotations are treated like our own voice
    ONLY = "only"  # the term belongs in quotations; use `use_instead` otherwise


DEFAULT_STEM_MAX = 4


@dataclass(frozen=True)
class Rendering:
    """One way of writing a concept in one locale."""

    text: str
    status: Status
    forms: tuple[str, ...] = ()
    stem: str | None = None
    stem_max: int = DEFAULT_STEM_MAX
    note: str | None = None
    line: int | None = None
    # YAML `for`: the source names this rendering renders (a place with two
    # names); empty when the file does not say.
    source_names: tuple[str, ...] = ()

    @property
    def surfaces(self) -> tuple[str, ...]:
        """The base text followed by every listed inflected form."""
        return (self.text, *self.forms)


@dataclass(frozen=True)
class Concept:
    """A contested or policy-bearing term, with its renderings per locale."""

    id: str
    subject: str | None
    policy: Policy
    quotation: Quotation
    use_instead: str | None
    definition: str
    note: str
    first_mention: dict[str, str]
    terms: dict[str, tuple[Rendering, ...]]
    line: int | None = None


@dataclass(frozen=True)
class Glossary:
    """A validated glossary file.

    `digest` is the sha256 of the file's bytes, so a catalog header can say
    exactly which rules produced a translation.
    """

    source: str
    locales: tuple[str, ...]
    concepts: dict[str, Concept]
    path: str | None = None
    digest: str = ""
    # Phrasings in which the source names a term instead of using it ("which
    # Armenians call {term}"): such an occurrence counts as quoted. None: the
    # defaults of glossary/judge/mentions.py.
    mentions: tuple[str, ...] | None = None

    def concept(self, concept_id: str) -> Concept:
        """The concept with this id, or UnknownConcept."""
        try:
            return self.concepts[concept_id]
        except KeyError:
            import difflib

            close = difflib.get_close_matches(concept_id, list(self.concepts), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UnknownConcept(
                f"no concept {concept_id!r} in the glossary{hint}; "
                "`termguard glossary show` lists the ids"
            ) from None

    def renderings(self, concept_id: str, locale: str) -> tuple[Rendering, ...]:
        """Every rendering of a concept in a locale (empty if the locale has none)."""
        return self.concept(concept_id).terms.get(normalize_locale(locale), ())

    def acceptable(self, concept_id: str, locale: str) -> tuple[Rendering, ...]:
        """Preferred renderings first, then admitted ones."""
        found = self.renderings(concept_id, locale)
        return tuple(r for r in found if r.status is Status.PREFERRED) + tuple(
            r for r in found if r.status is Status.ADMITTED
        )

    def preferred(self, concept_id: str, locale: str) -> Rendering | None:
        """The first preferred rendering, or None if the locale has none."""
        for rendering in self.renderings(concept_id, locale):
            if rendering.status is Status.PREFERRED:
                return rendering
        return None
