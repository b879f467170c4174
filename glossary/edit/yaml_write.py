"""Write a glossary back as YAML in the documented format (docs/glossary-format.md).

Imports (TBX) build a `Glossary` in memory; this module turns it back into the
file editors own, so that `load_glossary(dump_glossary(g))` gives `g` again.
It also holds the plain-mapping form of concepts and renderings that change
records carry. `load_glossary_text` is re-exported from `glossary.termbase.load`.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from glossary import files
from glossary.edit.layout import round_trip_yaml
from glossary.termbase.load import load_glossary_text
from glossary.termbase.model import DEFAULT_STEM_MAX, Concept, Glossary, Rendering
from glossary.termbase.schema import SCHEMA_VERSION

# Wide enough that ruamel never folds a value over two lines: one value per
# line keeps `git diff` of a generated file readable and line-based.
YAML_WIDTH = 4096

_HEADER = "# Glossary of contested terms; the format is described in docs/glossary-format.md.\n"


def rendering_to_mapping(rendering: Rendering) -> dict[str, Any]:
    """A rendering as the plain mapping the YAML file holds (keys in documented order)."""
    data: dict[str, Any] = {"text": rendering.text, "status": rendering.status.value}
    if rendering.source_names:
        names = rendering.source_names
        data["for"] = names[0] if len(names) == 1 else list(names)
    if rendering.forms:
        data["forms"] = list(rendering.forms)
    if rendering.stem is not None:
        data["stem"] = rendering.stem
        # Written even when it is the default: an editor reading a stem rule
        # should see its limit without looking up the default.
        data["stem_max"] = rendering.stem_max
    elif rendering.stem_max != DEFAULT_STEM_MAX:
        data["stem_max"] = rendering.stem_max
    if rendering.note is not None:
        data["note"] = rendering.note
    return data


def concept_to_mapping(concept: Concept) -> dict[str, Any]:
    """A concept as the plain mapping the YAML file holds (keys in documented order)."""
    data: dict[str, Any] = {"id": concept.id}
    if concept.subject is not None:
        data["subject"] = concept.subject
    data["policy"] = concept.policy.value
    data["quotation"] = concept.quotation.value
    if concept.use_instead is not None:
        data["use_instead"] = concept.use_instead
    data["definition"] = concept.definition
    data["note"] = concept.note
    if concept.first_mention:
        data["first_mention"] = dict(concept.first_mention)
    data["terms"] = {
        locale: [rendering_to_mapping(r) for r in renderings]
        for locale, renderings in concept.terms.items()
    }
    return data


def glossary_to_mapping(glossary: Glossary) -> dict[str, Any]:
    """The whole glossary as plain data, in the shape of the YAML file."""
    return {
        "schema": SCHEMA_VERSION,
        "source": glossary.source,
        "locales": list(glossary.locales),
        "concepts": [concept_to_mapping(c) for c in glossary.concepts.values()],
    }


def to_commented(value: Any, flow_lists: bool = False) -> Any:
    """Plain data -> ruamel round-trip nodes, with short lists in flow style.

    `forms: [a, b]` and `locales: [en, de]` are written inline as the
    documentation shows them; lists of mappings stay in block style.
    """
    if isinstance(value, dict):
        node = CommentedMap()
        for key, item in value.items():
            node[key] = to_commented(item, flow_lists=key in ("forms", "locales"))
        return node
    if isinstance(value, (list, tuple)):
        items = [to_commented(item) for item in value]
        if flow_lists:
            # ruamel writes `?x` unquoted inside [...], where it reads back as
            # a mapping key; quoting those items keeps the list a list.
            items = [
                DoubleQuotedScalarString(item) if isinstance(item, str) and item.startswith("?") else item
                for item in items
            ]
        seq = CommentedSeq(items)
        if flow_lists:
            seq.fa.set_flow_style()
        return seq
    return value


def new_yaml() -> YAML:
    """The ruamel round-trip emitter configured for the documented layout."""
    return round_trip_yaml()


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write a file (text as UTF-8) through glossary.files, creating its folder; raises OSError (FileWriteError)."""
    files.write_bytes(path, data.encode("utf-8") if isinstance(data, str) else data, parents=True)


_CONCEPT_START = re.compile(r"^  - id: ", re.MULTILINE)


def dump_glossary(glossary: Glossary) -> str:
    """The glossary as YAML text that `load_glossary` reads back equal."""
    stream = io.StringIO()
    new_yaml().dump(to_commented(glossary_to_mapping(glossary)), stream)
    text = stream.getvalue()
    # A blank line between concepts, as in the hand-written files. The pattern
    # is unambiguous: no value spans lines at this width, and only concept
    # items sit at this indentation.
    starts = [m.start() for m in _CONCEPT_START.finditer(text)]
    for position in reversed(starts[1:]):
        text = text[:position] + "\n" + text[position:]
    return _HEADER + text


__all__ = [
    "concept_to_mapping",
    "dump_glossary",
    "glossary_to_mapping",
    "load_glossary_text",
    "new_yaml",
    "rendering_to_mapping",
    "to_commented",
    "write_atomic",
]
