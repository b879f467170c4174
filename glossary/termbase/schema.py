"""The names of the glossary schema (docs/glossary-format.md): version, id pattern, keys."""

from __future__ import annotations

import re

__all__ = ["CONCEPT_KEYS", "ID_PATTERN", "RENDERING_KEYS", "SCHEMA_VERSION", "TOP_KEYS", "WORD"]

SCHEMA_VERSION = 1

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
WORD = re.compile(r"[^\W_]", re.UNICODE)

TOP_KEYS = ("schema", "source", "locales", "concepts", "mentions")
CONCEPT_KEYS = (
    "id",
    "subject",
    "policy",
    "quotation",
    "use_instead",
    "definition",
    "note",
    "first_mention",
    "terms",
)
RENDERING_KEYS = ("text", "status", "for", "forms", "stem", "stem_max", "note")
