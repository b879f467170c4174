"""The run signature: what produced one catalog entry.

A machine entry is reused on a re-run only while everything that shaped its
text is the same: the Argos package and its version, the decode options that
change output, termguard's version, and the part of the glossary that bears
on that paragraph (the concepts found in it, with what the ladder uses of
them in the target locale). Notes, definitions and concepts the paragraph
does not hold are not part of it, so editing them re-decodes nothing; an
edited rendering re-decodes exactly the paragraphs holding its concept.

The signature is a hex digest kept in the entry's machine mark
(`termguard:machine;glossary=sha256:<signature>;msgstr=<hash>`): one word
with no spaces or hyphens, which polib, msgcat and PO editors never wrap.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from translate import __version__

if TYPE_CHECKING:
    from glossary import Glossary

__all__ = ["OUTPUT_OPTIONS", "RunSignature"]

# DecodeOptions fields that change the decoded text. Batch size and whether
# attention is returned change how, not what.
OUTPUT_OPTIONS = ("beam_size", "max_decoding_length", "length_penalty")


def _digest(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _renderings(glossary: Glossary, concept_id: str, locale: str) -> list[dict[str, Any]]:
    concept = glossary.concepts.get(concept_id)
    if concept is None:
        return []
    return [
        {"text": r.text, "status": r.status.value, "forms": list(r.forms), "stem": r.stem, "stem_max": r.stem_max}
        for r in concept.terms.get(locale, ())
    ]


@dataclass
class RunSignature:
    """`signature(paragraph)` for one run of one document into one locale.

    `glossary` is None for a run that enforces no glossary.
    """

    package: str
    options: Any  # translate.argos.engine.DecodeOptions
    locale: str
    glossary: Glossary | None = None
    _base: str = field(init=False, default="")
    _parts: dict[str, str] = field(init=False, default_factory=dict)
    _find: Callable[[str], list[str]] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        options = {name: getattr(self.options, name, None) for name in OUTPUT_OPTIONS}
        self._base = _digest({"package": self.package, "options": options, "termguard": __version__,
                              "locale": self.locale, "glossary": self.glossary is not None})
        if self.glossary is not None:
            from glossary import SourceMatcher

            matcher = SourceMatcher(self.glossary)
            self._find = lambda text: sorted({o.concept_id for o in matcher.find(text)})

    def _concept_part(self, concept_id: str) -> str:
        """What the ladder uses of one concept for this locale (no notes, no definitions)."""
        part = self._parts.get(concept_id)
        if part is None:
            assert self.glossary is not None
            glossary = self.glossary
            concept = glossary.concepts[concept_id]
            target = concept.use_instead
            part = _digest({
                "id": concept_id,
                "policy": concept.policy.value,
                "quotation": concept.quotation.value,
                "use_instead": target,
                "first_mention": concept.first_mention.get(self.locale),
                "source": _renderings(glossary, concept_id, glossary.source),
                "target": _renderings(glossary, concept_id, self.locale),
                # A concept to use instead lends its renderings.
                "instead": _renderings(glossary, target, self.locale) if target else [],
            })
            self._parts[concept_id] = part
        return part

    def __call__(self, paragraph: str) -> str:
        concepts = self._find(paragraph) if self._find is not None else []
        return _digest([self._base, *(self._concept_part(c) for c in concepts)])
