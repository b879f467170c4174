"""The verdicts: what every glossary occurrence in a translation comes to.

`Judge.document` takes the paragraphs of one document, each a (source,
translation) pair, and returns one `Verdict` per source occurrence (plus one
per wrong rendering in the translation that no source occurrence answers).
Every command shows these verdicts and nothing else: translate's outcome
table, `--json` and `--strict`, `check`, the catalog commands, the review
page and `glossary impact` (docs/glossary-format.md, "Verdicts").

A document is the sequence of paragraphs of one source file, in line order:
a checked file pair, one run's output, or one catalog (its entries placed at
their source lines). Consistency (one rendering per source term) holds across
one document.

Rules, in the order they are applied to a source occurrence:

1. a `review` concept is `review`, whatever the translation holds;
2. quoted (or mentioned: "which Armenians call X") under `quotation: exempt`
   or `only`: `quoted`, the speaker's word stands;
3. `keep`: `ok` if kept, else `keep`;
4. no acceptable rendering in the locale: `unrendered` (an editor decides);
5. otherwise the occurrence is paired with one rendering in the translation,
   its own concept first (for a quotation-only term in our voice, the concept
   named by `use_instead`): none is `missing`, a deprecated or forbidden one
   `deprecated` / `forbidden`, the quotation-only term itself in our voice
   `forbidden`; an acceptable one is `ok` unless it is the other name of a
   place with two names (`mismatch`: the glossary's `for` says which source
   name each target name renders) or the document already rendered the same
   source term with another rendering (`inconsistent`).

One target word admitted for two concepts that the source both names
satisfies both. Forms of one rendering are never rivals; renderings of
different concepts are never rivals; different source terms of one concept
("treaty", "peace treaty"; "Armenian", "Armenians") may be rendered
differently; a rendering inside the locale's `first_mention` text is always
consistent and leaves the preferred rendering as the document's choice.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from typing import Any

OK = "ok"
QUOTED = "quoted"
REVIEW = "review"
UNRENDERED = "unrendered"
MISSING = "missing"
FORBIDDEN = "forbidden"
DEPRECATED = "deprecated"
INCONSISTENT = "inconsistent"
MISMATCH = "mismatch"
KEEP = "keep"

KINDS = (OK, QUOTED, REVIEW, UNRENDERED, MISSING, FORBIDDEN, DEPRECATED, INCONSISTENT, MISMATCH, KEEP)
# Kinds that fail a check (unless waived); the others inform an editor.
ERROR_KINDS = frozenset({MISSING, FORBIDDEN, DEPRECATED, INCONSISTENT, MISMATCH, KEEP})

# Outcomes, as translate's table and the review page name them.
SETTLED, UNRESOLVED, WAIVED = "settled", "unresolved", "waived"


def outcome_of(kind: str, waived: bool = False) -> str:
    """The outcome column for a verdict kind: settled, quoted, review, unresolved or waived."""
    if kind == OK:
        return SETTLED
    if kind == QUOTED:
        return QUOTED
    if kind in (REVIEW, UNRENDERED):
        return REVIEW
    return WAIVED if waived else UNRESOLVED


@dataclass(frozen=True)
class Verdict:
    """What one glossary occurrence comes to, tied to a paragraph (1-based line)."""

    paragraph: int
    concept: str
    kind: str
    source: str | None
    found: str | None
    expected: list[str]
    note: str
    quoted: bool
    hint: str = ""
    # Index of the source occurrence in its paragraph; None for a wrong
    # rendering found only in the translation.
    occurrence: int | None = None
    source_span: tuple[int, int] | None = None
    found_span: tuple[int, int] | None = None
    waived: str | None = None  # "who: why" of the editor who accepted this finding

    @property
    def is_error(self) -> bool:
        """Whether this verdict fails a check (a waived finding does not)."""
        return self.kind in ERROR_KINDS and self.waived is None

    @property
    def outcome(self) -> str:
        return outcome_of(self.kind, self.waived is not None)

    def key(self) -> tuple[Any, ...]:
        """What two commands must agree on for this occurrence."""
        return (self.paragraph, self.concept, self.kind, self.source, self.found, self.quoted, self.waived)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record."""
        record = asdict(self)
        record["outcome"] = self.outcome
        for name in ("source_span", "found_span"):
            if record[name] is not None:
                record[name] = list(record[name])
        return record


def text_hash(text: str) -> str:
    """The short hash waivers use to notice that an entry's text changed."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
